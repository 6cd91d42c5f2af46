"""The agenda's card: a valid Adaptive Card 1.5 (the official schema and renderer agree) that says which meeting,
when, and links the document and the Teams meeting, whatever characters the subject holds."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

from assistant.domain.meeting_types import MeetingType
from assistant.render.agenda_card import JOIN, OPEN_AGENDA, agenda_card
from assistant.render.status_card import card_bytes
from tests.domain.test_agenda import NEW_YORK, TODAY, agenda, at, meeting
from tests.render.test_agenda_docx import CARRIED, kind_agenda
from tests.render.test_agenda_docx import JOIN as JOIN_URL
from tests.render.test_status_card import NASTY, host_config, run_node, runs, schema_errors, typed_texts, visible

DOC_URL = "https://contoso.sharepoint.com/sites/IT/Shared%20Documents/Meeting%20documents/Atlas%20stand-up/a.docx"


def cards() -> dict[str, dict]:
    standup = kind_agenda(MeetingType.STANDUP)
    dst = agenda(meeting(start=at(dt.date(2026, 3, 9), 9, 0, NEW_YORK), organizer_zone="America/New_York"))
    return {
        "standup": agenda_card(standup, DOC_URL),
        "steering-with-actions": agenda_card(kind_agenda(MeetingType.STEERING), DOC_URL),
        "no-join-link": agenda_card(agenda(meeting(join_url=None)), DOC_URL),
        "no-document": agenda_card(standup),
        "nasty": agenda_card(agenda(meeting(NASTY + " 🚀 stand-up")), DOC_URL),
        "new-york": agenda_card(dst, DOC_URL),
        "long": agenda_card(agenda(meeting("Atlas stand-up " + "and more words " * 40)), DOC_URL),
    }


def test_every_card_is_a_valid_adaptive_card_1_5(schema):
    for name, card in cards().items():
        assert card["version"] == "1.5", name
        assert schema_errors(schema, card) == [], name
        assert card_bytes(card) < 2048, name


def test_the_card_says_which_meeting_when_and_links_the_agenda_and_the_meeting():
    result = kind_agenda(MeetingType.STANDUP)
    card = agenda_card(result, DOC_URL)
    assert visible(card).splitlines()[:3] == [
        "Agenda for ",
        "Atlas stand-up",
        ", Wed 4 Mar 2026, 10:00–11:00 Berlin time",
    ]
    assert "Stand-up · 3 invited: 3 accepted · 1 open action item carried over" in visible(card)
    assert card["actions"] == [
        {"type": "Action.OpenUrl", "title": OPEN_AGENDA, "url": DOC_URL},
        {"type": "Action.OpenUrl", "title": JOIN, "url": JOIN_URL},
    ]
    assert CARRIED in result.carried_actions
    assert card["fallbackText"] == "Agenda for Atlas stand-up, Wed 4 Mar 2026, 10:00–11:00 Berlin time"


def test_the_organizers_time_is_named_when_it_differs():
    text = visible(cards()["new-york"])
    assert "Mon 9 Mar 2026, 14:00–14:15 Berlin time" in text
    assert "09:00–09:15 New York time (the organizer's)" in text


def test_without_a_join_link_or_a_document_the_buttons_are_left_out():
    assert [a["title"] for a in cards()["no-join-link"]["actions"]] == [OPEN_AGENDA]
    assert [a["title"] for a in cards()["no-document"]["actions"]] == [JOIN]
    bare = agenda_card(agenda(dataclasses.replace(meeting(), join_url=None)))
    assert "actions" not in bare


def test_the_subject_shows_as_typed_and_never_as_markdown():
    card = cards()["nasty"]
    literal = (NASTY + " 🚀 stand-up").replace("{{", "{\u2060{")
    assert literal in [r["text"] for r in runs(card)]
    markdown = [t for kind, t in typed_texts(card) if kind != "TextRun"]
    assert markdown and not any(c in t for t in markdown for c in "*_<>&[]`{}"), markdown
    long = [r["text"] for r in runs(cards()["long"])][1]
    assert len(long) <= 200 and long.endswith("…")


def test_the_official_renderer_finds_no_problem_and_shows_the_buttons(node, chromium, tmp_path: Path):
    found = run_node(node, "validate_card.cjs", {"host_config": host_config(), "cards": cards()})
    assert found == {name: [] for name in cards()}
    chosen = {name: cards()[name] for name in ("standup", "nasty")}
    payload = {"host_config": host_config(), "cards": chosen, "out_dir": str(tmp_path), "chromium": chromium}
    seen = run_node(node, "render_card.cjs", payload)
    for name, result in seen.items():
        assert result["errors"] == [] and result["html_tags"] == [], name
        assert result["buttons"] == [OPEN_AGENDA, JOIN], name
    assert "Agenda for Atlas stand-up, Wed 4 Mar 2026" in seen["standup"]["text"]
    assert NASTY in seen["nasty"]["text"].replace("\u2060", "")
    assert TODAY.isoformat() not in seen["standup"]["text"]
