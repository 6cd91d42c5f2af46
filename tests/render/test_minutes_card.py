"""The minutes' card: a valid Adaptive Card 1.5 (the official schema and renderer agree) that says which meeting and
day, counts the decisions and actions (owners that did not resolve among them), lists a few actions and links the
document, whatever characters the subject, owners and actions hold."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

from assistant.domain.minutes import Attendance
from assistant.render.minutes_card import ACTION_LINES, OPEN_MINUTES, minutes_card
from assistant.render.status_card import card_bytes
from tests.domain.test_agenda import ANA, TODAY
from tests.render.test_minutes_docx import ZED, action, minutes
from tests.render.test_status_card import NASTY, host_config, run_node, runs, schema_errors, typed_texts, visible

SHORT_NASTY = "Fix R&D <b>x</b> **now** _a_ [y](https://evil.example) {{DATE(2026-03-04T10:00:00Z,SHORT)}}"
DOC_URL = "https://contoso.sharepoint.com/sites/IT/Shared%20Documents/Meeting%20documents/Atlas/m.docx"


def many_actions() -> tuple:
    return tuple(action(f"m{n}", f"Task number {n} " + "and more " * 20, ANA, TODAY) for n in range(12))


def cards() -> dict[str, dict]:
    return {
        "full": minutes_card(minutes(), DOC_URL),
        "no-document": minutes_card(minutes()),
        "empty": minutes_card(
            minutes(decisions=(), actions=(), suggestions=(), attendance=Attendance((), (), (), "x")), DOC_URL
        ),
        "nasty": minutes_card(
            minutes(
                meeting=dataclasses.replace(minutes().meeting, subject=NASTY + " 🚀 stand-up"),
                actions=(
                    action("n1", SHORT_NASTY, dataclasses.replace(ANA, name="Zoë_Admin_ <x>"), TODAY),
                    dataclasses.replace(ZED, owner_text="**Zed** <b>"),
                ),
            ),
            DOC_URL,
        ),
        "many": minutes_card(minutes(actions=many_actions()), DOC_URL),
    }


def test_every_card_is_a_valid_adaptive_card_1_5_and_small(schema):
    for name, card in cards().items():
        assert card["version"] == "1.5", name
        assert schema_errors(schema, card) == [], name
        assert card_bytes(card) < 4096, name


def test_the_card_says_which_meeting_counts_and_lists_the_actions():
    card = cards()["full"]
    lines = visible(card).splitlines()
    assert lines[:3] == ["Minutes of ", "R&D <lab> stand-up 🚀", ", Wed 4 Mar 2026"]
    assert "2 decisions · 3 action items, 1 owner not resolved · 1 suggested from the transcript" in lines
    rows = ["".join(i["text"] for i in b["inlines"]) for b in card["body"][2:] if b["type"] == "RichTextBlock"]
    assert rows == [
        "Ana Lima — Send the <draft> & budget — due Fri 6 Mar",
        "Ben Okafor — Book the lab 🚀",
        "@Zed (not resolved) — Write the FAQ entry — due Thu 5 Mar",
    ]
    assert card["actions"] == [{"type": "Action.OpenUrl", "title": OPEN_MINUTES, "url": DOC_URL}]
    assert card["fallbackText"] == "Minutes of R&D <lab> stand-up 🚀, Wed 4 Mar 2026"


def test_a_long_list_shows_a_few_actions_and_how_many_more():
    card = cards()["many"]
    rows = [b for b in card["body"][2:] if b["type"] == "RichTextBlock"]
    assert len(rows) == ACTION_LINES
    assert all(len(b["inlines"][2]["text"]) <= 100 and b["inlines"][2]["text"].endswith("…") for b in rows)
    assert visible(card).splitlines()[-1] == f"and {12 - ACTION_LINES} more in the minutes"


def test_without_anything_agreed_or_a_document():
    empty = cards()["empty"]
    assert "No decisions · no action items" in visible(empty)
    assert "actions" not in cards()["no-document"]


def test_subject_owners_and_actions_show_as_typed_and_never_as_markdown():
    card = cards()["nasty"]
    literal = NASTY.replace("{{", "{\u2060{")
    shown = [r["text"] for r in runs(card)]
    assert literal + " 🚀 stand-up" in shown and SHORT_NASTY.replace("{{", "{\u2060{") in shown
    assert "Zoë_Admin_ <x>" in shown and "@**Zed** <b> (not resolved)" in shown
    markdown = [t for kind, t in typed_texts(card) if kind != "TextRun"]
    assert markdown and not any(c in t for t in markdown for c in "*_<>&[]`{}"), markdown


def test_the_official_renderer_finds_no_problem_and_shows_the_button(node, chromium, tmp_path: Path):
    found = run_node(node, "validate_card.cjs", {"host_config": host_config(), "cards": cards()})
    assert found == {name: [] for name in cards()}
    chosen = {name: cards()[name] for name in ("full", "nasty")}
    payload = {"host_config": host_config(), "cards": chosen, "out_dir": str(tmp_path), "chromium": chromium}
    seen = run_node(node, "render_card.cjs", payload)
    for name, result in seen.items():
        assert result["errors"] == [] and result["html_tags"] == [], name
        assert result["buttons"] == [OPEN_MINUTES], name
    assert "Minutes of R&D <lab> stand-up 🚀, Wed 4 Mar 2026" in seen["full"]["text"]
    assert "@Zed (not resolved) — Write the FAQ entry — due Thu 5 Mar" in seen["full"]["text"]
    assert NASTY in seen["nasty"]["text"].replace("\u2060", "")
    assert dt.date(2026, 3, 4).isoformat() not in seen["full"]["text"]
