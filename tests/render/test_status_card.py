"""The status card: a valid Adaptive Card 1.5 (the official schema and the official renderer agree), under
Teams' size limit however large the plan, saying what the report says whatever characters the plan holds."""

from __future__ import annotations

import datetime as dt
import functools
import json
import os
import shutil
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from assistant.domain.people import Person
from assistant.domain.plans import Bucket, Plan, PlanSnapshot
from assistant.domain.project import Project
from assistant.domain.status import StatusReport, build_status
from assistant.domain.tasks import Priority, Status, Task
from assistant.render.status_card import MAX_CARD_BYTES, card_bytes, status_card
from tests.conftest import REFDATA

CARDS = REFDATA / "adaptivecards"
JS = Path(__file__).resolve().parents[1] / "js"
REPORT_URL = "https://contoso.sharepoint.com/sites/IT/Shared%20Documents/Status/atlas-2026-03-04.docx"
TASK_URL = "https://tasks.office.com/{tenant}/Home/Task/{task_id}"
AS_OF = dt.date(2026, 3, 4)
# Markdown, HTML, an entity, a link and a date macro: a title must show as typed, none of it as formatting.
NASTY = "R&D <b>budget</b> **approved** _now_ &amp; [see](https://evil.example) {{DATE(2026-03-04T10:00:00Z,SHORT)}}"


@pytest.fixture
def demo_cards(demo_report: Callable[..., StatusReport]) -> dict[str, tuple[StatusReport, dict[str, Any]]]:
    reports = {key: demo_report(key) for key in ("atlas", "apollo", "meridian")}
    return {key: (r, status_card(r, REPORT_URL, TASK_URL, "contoso")) for key, r in reports.items()}


# --- what the card says ----------------------------------------------------------------------------------


def test_demo_cards_are_valid_adaptive_cards_1_5_under_the_size_limit(demo_cards, schema):
    for key, (_, card) in demo_cards.items():
        assert card["version"] == "1.5"
        assert schema_errors(schema, card) == [], key
        assert card_bytes(card) <= MAX_CARD_BYTES
    # The check is strict: Teams' own extensions are not Adaptive Cards 1.5 (GRAPH-FACTS 11).
    assert schema_errors(schema, {**card, "msteams": {"width": "Full"}})


def test_card_says_what_the_report_says(demo_cards):
    report, card = demo_cards["atlas"]
    text = visible(card)
    assert f"{report.rag.value.upper()} — " in text  # the verdict's colour word, in a band of that colour
    assert card["body"][0]["style"] == {"green": "good", "amber": "warning", "red": "attention"}[report.rag.value]
    assert report.summary in text
    counts = report.counts
    assert facts(card) == {
        "Complete": f"{report.percent_complete} % ({counts.completed} of {counts.total} tasks)",
        "Tasks": f"{counts.in_progress} in progress, {counts.not_started} not started",
        "Late": str(counts.late),
        "Due within 7 days": str(counts.due_soon),
        "Open without owner": str(counts.unassigned),
        "Next milestone": facts(card)["Next milestone"],
    }
    assert all(risk.summary in text for risk in report.risks[:5])
    assert card["actions"] == [{"type": "Action.OpenUrl", "title": "Open full report", "url": REPORT_URL}]


def test_task_titles_link_to_planner(demo_cards):
    report, card = demo_cards["apollo"]
    late = report.late[0]
    run = next(r for r in runs(card) if r["text"] == late.title)
    assert run["selectAction"]["url"] == f"https://tasks.office.com/contoso/Home/Task/{late.id}"


def test_without_urls_there_are_no_links():
    card = status_card(small_report())
    assert "actions" not in card
    assert not any("selectAction" in r for r in runs(card))


def test_a_huge_plan_still_fits_and_lists_end_with_and_n_more(schema):
    report = huge_report()
    assert len(report.late) > 100 and len(report.risks) > 50 and len(report.achievements) > 100
    card = status_card(report, REPORT_URL, TASK_URL, "contoso")
    assert schema_errors(schema, card) == []
    assert card_bytes(card) <= MAX_CARD_BYTES
    assert facts(card)["Late"] == str(report.counts.late)
    for heading, total in (
        (f"Top risks ({len(report.risks)})", len(report.risks)),
        (f"Late ({report.counts.late})", report.counts.late),
        (f"Completed this week ({len(report.achievements)})", len(report.achievements)),
    ):
        section = section_texts(card, heading)
        assert section[-1] == f"and {total - 5} more", heading
        assert len(section) == 5 * (1 if heading.startswith("Top") else 2) + 1, heading


def test_the_size_guard_shortens_lists_until_the_card_fits(schema):
    report = huge_report()
    roomy = status_card(report, REPORT_URL, TASK_URL, "contoso")
    tight = status_card(report, REPORT_URL, TASK_URL, "contoso", max_bytes=card_bytes(roomy) // 2)
    assert card_bytes(tight) <= card_bytes(roomy) // 2
    assert schema_errors(schema, tight) == []
    assert "RED — off track" in visible(tight) and facts(tight) == facts(roomy)
    assert any(t.startswith("and ") and t.endswith(" more") for t in texts(tight))
    with pytest.raises(ValueError, match="shortest status card"):
        status_card(report, max_bytes=500)


def test_long_titles_are_cut_at_a_word_with_an_ellipsis():
    long = "Migrate the shared mailboxes of the finance department " * 5
    card = status_card(small_report(title=long))
    shown = [r["text"] for r in runs(card) if r["text"].startswith("Migrate the")]
    assert len(shown) == 3  # late, done, milestone
    for text in shown:
        assert len(text) <= 120 and text.endswith("…") and long.startswith(text[:-1] + " ")


def test_plan_text_shows_as_typed_and_never_as_markdown(schema):
    report = small_report(title=NASTY, name="Atlas *2026* & <i>Co</i>", person="Zoë_Admin_ <x>")
    card = status_card(report, REPORT_URL, TASK_URL, "contoso")
    assert schema_errors(schema, card) == []
    # Only TextRuns (never markdown) carry it; TextBlocks and facts (markdown in Teams) carry our own words.
    literal = NASTY.replace("{{", "{\u2060{")
    assert literal in [r["text"] for r in runs(card)]
    assert any("Zoë_Admin_ <x>" == r["text"] for r in runs(card))
    assert any("Atlas *2026* & <i>Co</i>" == r["text"] for r in runs(card))
    markdown = [t for kind, t in typed_texts(card) if kind != "TextRun"]
    assert markdown and not any(c in t for t in markdown for c in "*_<>&[]`{}"), markdown


# --- the official renderer -------------------------------------------------------------------------------


def test_the_official_renderer_finds_no_problem_in_any_card(node, demo_cards):
    cards = {key: card for key, (_, card) in demo_cards.items()}
    huge = huge_report()
    cards["huge"] = status_card(huge, REPORT_URL, TASK_URL, "contoso")
    cards["huge-tight"] = status_card(huge, max_bytes=card_bytes(cards["huge"]) // 2)
    cards["nasty"] = status_card(small_report(title=NASTY), REPORT_URL, TASK_URL, "contoso")
    cards["plain"] = status_card(small_report())
    found = run_node(node, "validate_card.cjs", {"host_config": host_config(), "cards": cards})
    assert found == {name: [] for name in cards}
    # The check itself works: a broken card is reported.
    broken = {"type": "AdaptiveCard", "version": "1.5", "body": [{"type": "TextBlok", "text": "x"}]}
    assert run_node(node, "validate_card.cjs", {"host_config": host_config(), "cards": {"b": broken}})["b"]


def test_the_card_renders_in_teams_colours_with_titles_as_typed(node, chromium, demo_cards, tmp_path):
    report, atlas = demo_cards["atlas"]
    cards = {"atlas": atlas, "nasty": status_card(small_report(title=NASTY), REPORT_URL, TASK_URL, "contoso")}
    payload = {"host_config": host_config(), "cards": cards, "out_dir": str(tmp_path), "chromium": chromium}
    seen = run_node(node, "render_card.cjs", payload)
    for name, result in seen.items():
        assert result["errors"] == [], name
        assert Path(result["png"]).stat().st_size > 10_000, name
        assert result["html_tags"] == [], name  # no bold, italics, lists or images made from text
        assert result["buttons"] == ["Open full report"], name
    assert f"{report.rag.value.upper()} — " in seen["atlas"]["text"]
    assert NASTY in seen["nasty"]["text"].replace("\u2060", "")  # as typed; the date macro is not expanded
    assert all(link["href"].startswith("https://tasks.office.com/contoso/") for link in seen["nasty"]["links"])
    keep = os.environ.get("COORDINATOR_CARD_SCREENSHOTS")  # a folder to keep the PNGs in, to look at them
    if keep:
        for name, result in seen.items():
            shutil.copy(result["png"], Path(keep) / f"card-{name}.png")


# --- helpers ---------------------------------------------------------------------------------------------


def schema_errors(schema: jsonschema.Draft6Validator, card: dict[str, Any]) -> list[str]:
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in schema.iter_errors(card)]


def walk(node: Any) -> Iterator[dict[str, Any]]:
    if isinstance(node, dict):
        yield node
        node = list(node.values())
    if isinstance(node, list):
        for item in node:
            yield from walk(item)


def typed_texts(card: dict[str, Any]) -> list[tuple[str, str]]:
    """Every text a reader sees, in order, with the kind of element that shows it."""
    found = []
    for node in walk(card["body"]):
        kind = node.get("type")
        if kind in ("TextBlock", "TextRun"):
            found.append((kind, node["text"]))
        elif kind == "FactSet":
            found += [("Fact", f"{fact['title']}: {fact['value']}") for fact in node["facts"]]
    return found


def texts(card: dict[str, Any]) -> list[str]:
    return [text for _, text in typed_texts(card)]


def visible(card: dict[str, Any]) -> str:
    return "\n".join(texts(card))


def runs(card: dict[str, Any]) -> list[dict[str, Any]]:
    return [node for node in walk(card["body"]) if node.get("type") == "TextRun"]


def facts(card: dict[str, Any]) -> dict[str, str]:
    factset = next(node for node in card["body"] if node["type"] == "FactSet")
    return {fact["title"]: fact["value"] for fact in factset["facts"]}


def section_texts(card: dict[str, Any], heading: str) -> list[str]:
    """The lines under `heading` (each RichTextBlock as one line), up to the next heading."""
    body = card["body"]
    start = next(i for i, e in enumerate(body) if e.get("text") == heading)
    lines = []
    for element in body[start + 1 :]:
        if element.get("separator"):
            break
        parts = element["inlines"] if element["type"] == "RichTextBlock" else [element]
        lines.append("".join(part["text"] for part in parts))
    return lines


def host_config() -> dict[str, Any]:
    return json.loads((CARDS / "hostconfig-microsoft-teams-light.json").read_text())


def run_node(node: str, script: str, payload: dict[str, Any]) -> dict[str, Any]:
    done = subprocess.run(
        [node, str(JS / script)], input=json.dumps(payload), capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


# --- reports made by hand ----------------------------------------------------------------------------------


def project(name: str = "Atlas – Laptop refresh 2026") -> Project:
    return Project("atlas", name, "plan-1", "team-1", "channel-1", "atlas@contoso.com", (), "Europe/Berlin", None)


def at(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(10), dt.UTC)


def snapshot(tasks: list[Task]) -> PlanSnapshot:
    people = {p.id: p for t in tasks for p in t.assignees if p.id}
    plan = Plan("plan-1", "Atlas plan", (Bucket("b1", "Rollout"),), {"category1": "Milestone"})
    return PlanSnapshot(plan, tuple(tasks), people)


def small_report(
    title: str = "Order docking stations", name: str | None = None, person: str = "Megan Bowen"
) -> StatusReport:
    """One late task, one done this week and one milestone due soon, all named `title`."""
    owner = (Person(person, id="u1"),)
    tasks = [
        Task("t1", title, "Rollout", Status.IN_PROGRESS, at(AS_OF - dt.timedelta(days=3)), None, owner),
        Task("t2", title, "Rollout", Status.COMPLETED, at(AS_OF - dt.timedelta(days=10)), at(AS_OF), owner),
        Task("t3", title, "Rollout", Status.NOT_STARTED, at(AS_OF + dt.timedelta(days=2)), None, labels=("Milestone",)),
    ]
    return build_status(project(name or project().name), snapshot(tasks), [], AS_OF)


@functools.cache
def huge_report() -> StatusReport:
    """2,000 tasks with 200-character titles full of non-ASCII and markup: hundreds late, done this week,
    blocked and overloaded, one in fifty a milestone."""
    people = [Person(f"Person {n} – Überprüfung 東京", id=f"u{n}") for n in range(12)]

    def title(i: int) -> str:
        return f"Task {i:04} — {'Überprüfung der Gerätezuordnung 東京 🚀 & <b>**' * 6}"[:200]

    tasks = []
    for i in range(2000):
        due = AS_OF + dt.timedelta(days=i % 90 - 45)
        done = i % 3 == 0
        tasks.append(
            Task(
                f"task-{i:04}",
                title(i),
                "Rollout",
                Status.COMPLETED if done else Status.IN_PROGRESS if i % 3 == 1 else Status.NOT_STARTED,
                at(due),
                at(AS_OF - dt.timedelta(days=i % 5)) if done else None,
                (people[i % 12],) if i % 7 else (),
                Priority.URGENT if i % 11 == 0 else Priority.MEDIUM,
                labels=("Milestone",) if i % 50 == 1 else (),
                description=f"Blocked by: {title(i + 1)}" if i % 4 == 2 and not done else None,
            )
        )
    return build_status(project(), snapshot(tasks), [], AS_OF)
