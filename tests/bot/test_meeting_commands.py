"""The meeting commands and the card buttons that act, through the router, against the shared sandbox.

The Atlas stand-up is at 09:45 Berlin (08:45Z) every working day; DEMO_NOW is Wed 4 Mar 2026, 07:00Z.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import jsonschema

from assistant.graph.client import GraphClient
from assistant.render.card_actions import CREATE_TASKS_ACTION, MARK_DONE_ACTION, REFRESH_STATUS_ACTION
from assistant.storage.meeting_records import MeetingRecords
from assistant.storage.state import StateStore
from tests.bot.conftest import BotUnderTest, completed
from tests.conftest import DEMO_NOW
from tests.render.test_status_docx import all_text, open_docx
from tests.services.test_agenda import files

DURING_STANDUP = dt.datetime(2026, 3, 4, 8, 50, tzinfo=dt.UTC)
AFTER_STANDUP = dt.datetime(2026, 3, 4, 11, 0, tzinfo=dt.UTC)


def card_actions(card: dict[str, Any]) -> list[dict[str, Any]]:
    """Every action of the card: its own and those of ActionSets anywhere in its body."""
    found = list(card.get("actions", []))

    def walk(element: Any) -> None:
        if isinstance(element, dict):
            if element.get("type") == "ActionSet":
                found.extend(element["actions"])
            for value in element.values():
                walk(value)
        elif isinstance(element, list):
            for value in element:
                walk(value)

    walk(card.get("body", []))
    return found


def buttons(card: dict[str, Any]) -> list[dict[str, Any]]:
    """Every Action.Submit in the card, in the card's actions and in ActionSets of its body."""
    return [a for a in card_actions(card) if a["type"] == "Action.Submit"]


def note_standup(bot: BotUnderTest) -> None:
    """Today's stand-up, noted while it runs (a decision, two actions whose owners resolve); then it is over."""
    bot.now = DURING_STANDUP
    assert "Added" in bot.say("decision roll back the flickering docks to 1.0.14").text
    assert "Owner: Tomasz Nowak" in bot.say("action roll out docking firmware 1.0.16 @Tomasz Nowak by Friday").text
    isabella = bot.say("action @Isabella ship replacement docks to Munich by 2026-03-09").text
    assert isabella.splitlines()[1] == "Owner: Isabella Rossi, due Mon 09 Mar."  # named first: hers, not the asker's
    bot.now = AFTER_STANDUP


def test_agenda_standup_in_the_atlas_channel_is_a_valid_card(bot: BotUnderTest, card_schema: jsonschema.Validator):
    reply = bot.say("agenda standup")
    assert reply.card is not None
    card_schema.validate(reply.card)
    assert reply.text.startswith("Agenda for Atlas stand-up") and "Wed" in reply.text
    assert "agenda for" in reply.card["fallbackText"].lower()


def test_agenda_says_on_it_at_once_then_files_the_word_agenda_and_links_it(bot: BotUnderTest, http, sandbox):
    first = bot.first("agenda standup")
    assert first.text.startswith(
        "On it: drafting the agenda for Atlas stand-up, Wed 4 Mar 2026, 09:45–10:00 Berlin time. I will"
    )
    assert first.card is None and first.later is not None
    assert files(http, sandbox) == []  # nothing drafted before the "on it" is sent

    final = completed(first)
    [stored] = files(http, sandbox)
    assert stored["path"].endswith("/Meeting documents/Atlas stand-up/2026-03-04 Atlas stand-up agenda.docx")
    assert final.text.endswith(": filed in the channel's files, Meeting documents/Atlas stand-up.")
    assert final.card is not None and final.card["actions"][0]["url"] == stored["webUrl"]
    assert "Atlas stand-up" in all_text(open_docx(http.get(stored["webUrl"]).content))
    assert bot.say("agenda standup").text.endswith(
        ": replaced in the channel's files, Meeting documents/Atlas stand-up."
    )
    assert len(files(http, sandbox)) == 1


def test_agenda_rejects_an_unknown_kind(bot: BotUnderTest):
    answer = bot.say("agenda standupp").text
    assert "“standupp” is not a kind of meeting" in answer and "standup" in answer


def test_note_decision_and_action_are_stored_in_the_meeting_under_way(bot: BotUnderTest):
    bot.now = DURING_STANDUP
    assert bot.say("note two docks flicker after sleep").text.startswith("Added to the notes of Atlas stand-up")
    bot.say("decision keep local admin rights until wave 3")
    answer = bot.say("action send the rollout schedule @Omar by tomorrow").text
    assert "Owner: Omar" in answer and "due Thu 05 Mar" in answer
    records = MeetingRecords(bot.database)
    [stored] = [records.notes(m) for m in _meeting_ids(bot)]
    assert stored is not None
    assert stored.splitlines() == [
        "two docks flicker after sleep",
        "Decision: keep local admin rights until wave 3",
        "Action: @Omar send the rollout schedule by tomorrow",
    ]


def test_bad_dates_owners_and_missing_meetings_get_specific_messages(bot: BotUnderTest):
    bot.now = DURING_STANDUP
    bad_date = bot.say("action @Omar send the schedule by someday").text
    assert "cannot read the date 'someday'" in bad_date
    assert "Nobody called “@Zed”" in bot.say("action update the FAQ @Zed by Friday").text
    assert "Nobody called “@Zed”" in bot.say("action @Zed update the FAQ", asker=None).text  # owner named first
    assert "name the owner" in bot.say("action update the FAQ by Friday", asker=None).text
    stranger = bot.say("action update the FAQ by Friday", asker="Zed Stranger").text
    assert stranger.startswith("You (Zed Stranger) are not invited to Atlas stand-up")
    assert _meeting_ids(bot) == []  # nothing stored
    bot.now = DEMO_NOW  # 08:00 in Berlin: no meeting yet today
    assert "no meeting under way and none ended today" in bot.say("note hello").text


def test_an_action_without_owner_belongs_to_who_asked(bot: BotUnderTest, demo_tenant: dict):
    bot.now = DURING_STANDUP
    answer = bot.say("action update the FAQ by Friday", asker="Megan Bowen").text
    assert answer.splitlines()[1] == "Owner: Megan Bowen (you; add @name to give it to someone else), due Fri 06 Mar."
    [stored] = [MeetingRecords(bot.database).notes(m) for m in _meeting_ids(bot)]
    megan = next(u for u in demo_tenant["users"] if u["displayName"] == "Megan Bowen")
    assert stored == f"Action: @{megan['mail']} update the FAQ by Friday\n"  # reads back as her, whatever names


def test_the_asker_is_found_by_entra_id_not_by_a_name_that_matches_someone_else(bot: BotUnderTest):
    bot.now = DURING_STANDUP
    bot.user_ids["Isabella Stranger"] = "5f0c0b9e-0000-4000-8000-00000000beef"  # not in the tenant
    answer = bot.say("action update the FAQ", asker="Isabella Stranger").text
    assert answer.startswith("You (Isabella Stranger) are not invited to Atlas stand-up")  # not Isabella Rossi's
    assert _meeting_ids(bot) == []


def test_minutes_last_card_offers_the_tasks_and_a_second_click_creates_none(
    bot: BotUnderTest, client: GraphClient, card_schema: jsonschema.Validator, http, sandbox
):
    note_standup(bot)
    first = bot.first("minutes last")
    assert first.text == (
        "On it: writing the minutes of Atlas stand-up, Wed 04 Mar. I will post them here once they are filed."
    )
    reply = completed(first)
    assert reply.card is not None
    card_schema.validate(reply.card)
    assert "1 decision" in reply.text and "filed in the channel's files, Meeting documents/Atlas stand-up" in reply.text
    [stored] = files(http, sandbox)
    assert stored["path"].endswith("/2026-03-04 Atlas stand-up minutes.docx")
    recorded_next = MeetingRecords(bot.database).add_document(_meeting_ids(bot)[0], "minutes", "x", None, DEMO_NOW)
    assert recorded_next == 2  # the bot's filing is version 1
    [button] = buttons(reply.card)
    assert button["title"] == "Create 2 Planner tasks"
    assert button["data"]["action"] == CREATE_TASKS_ACTION and button["data"]["project"] == "atlas"

    first = bot.click(button["data"]).text
    assert "2 Planner tasks created" in first
    second = bot.click(button["data"]).text
    assert second.startswith("Nothing to create") and "2 already had one" in second
    plan = bot.projects["atlas"].plan_id
    titles = [t["title"] for t in client.pages(f"/planner/plans/{plan}/tasks")]
    assert titles.count("Roll out docking firmware 1.0.16") == 1
    assert "Create" not in str(buttons(bot.say("minutes").card or {}))  # nothing left to create


def test_actions_and_done_close_the_item_and_complete_its_planner_task(bot: BotUnderTest, client: GraphClient):
    note_standup(bot)
    [button] = buttons(bot.say("minutes last").card or {})
    bot.click(button["data"])
    listed = bot.say("actions")
    [number] = [line.split(".")[0] for line in listed.text.splitlines() if "docking firmware" in line]
    assert f"{number}. Roll out docking firmware 1.0.16 (Tomasz Nowak; due Fri 06 Mar; Atlas stand-up" in listed.text
    marks = buttons(listed.card or {})
    assert [b["title"] for b in marks] == ["Mark done", "Mark done"]
    assert all(b["data"]["action"] == MARK_DONE_ACTION for b in marks)

    [item] = [a for a in MeetingRecords(bot.database).actions("atlas") if a.number == int(number)]
    assert item.text == "Roll out docking firmware 1.0.16" and item.planner_task_id
    task_id = item.planner_task_id
    answer = bot.say(f"done {number}").text
    assert answer == "Done: “Roll out docking firmware 1.0.16”. Its Planner task is marked complete."
    assert client.get(f"/planner/tasks/{task_id}")["percentComplete"] == 100
    assert len(MeetingRecords(bot.database).actions("atlas", open_only=True)) == 1
    [clicked] = [m["data"] for m in marks if m["data"]["item"] == item.id]
    assert bot.click(clicked).text.startswith("Already done")  # the same item's button, clicked later
    assert bot.say(f"done {number}").text.startswith("Already done")  # and its number, typed again
    [other] = [a.number for a in MeetingRecords(bot.database).actions("atlas", open_only=True)]
    assert bot.say("done 7").text.startswith(
        f"N must be the number of an open action item, as `actions` shows it (open now: {other})"
    )


def test_numbers_do_not_shift_when_someone_else_closes_an_item_first(bot: BotUnderTest):
    note_standup(bot)
    [button] = buttons(bot.say("minutes last").card or {})
    bot.click(button["data"])
    numbered = {
        line.split(". ", 1)[1].split(" (")[0]: line.split(".")[0] for line in bot.say("actions").text.splitlines()[1:]
    }
    first, second = sorted(numbered.values())
    bot.say(f"done {first}")  # someone closes the first item; the second keeps its number
    titles = {v: k for k, v in numbered.items()}
    assert bot.say(f"done {second}").text.startswith(f"Done: “{titles[second]}”")
    assert bot.say("actions").text.endswith("has no open action items.")


def test_mark_done_twice_acts_once(bot: BotUnderTest):
    note_standup(bot)
    [button] = buttons(bot.say("minutes last").card or {})
    bot.click(button["data"])
    listed = bot.say("actions")
    [number] = [int(line.split(".")[0]) for line in listed.text.splitlines() if "replacement docks" in line]
    [item] = [a for a in MeetingRecords(bot.database).actions("atlas") if a.number == number]
    [mark] = [b["data"] for b in buttons(listed.card or {}) if b["data"]["item"] == item.id]
    assert bot.click(mark).text == "Done: “Ship replacement docks to Munich”. Its Planner task is marked complete."
    assert bot.click(mark).text == "Already done: “Ship replacement docks to Munich”."


def test_refresh_re_renders_the_status_card(bot: BotUnderTest, card_schema: jsonschema.Validator):
    status = bot.say("status")
    card_schema.validate(status.card)
    [refresh] = buttons(status.card or {})
    assert refresh["data"] == {"action": REFRESH_STATUS_ACTION, "project": "atlas"}
    again = bot.click(refresh["data"], project="apollo")  # the button names its project, wherever clicked
    assert again.text == status.text and again.card == status.card


def test_schedule_status_is_stored_per_project_and_nonsense_is_rejected(bot: BotUnderTest):
    assert "`0 9 * * MON`" in bot.say("schedule status 0 9 * * MON").text
    store = StateStore(bot.database)
    entry = store.get("schedule", "atlas")
    assert entry is not None and entry.value == {"status": "0 9 * * MON", "set_by": "Megan Bowen (test)"}
    assert "five cron fields" in bot.say("schedule status nonsense").text
    assert "no scheduled status report" in bot.say("schedule status off").text
    after = store.get("schedule", "atlas")
    assert after is not None and after.version == 2 and after.value["status"] is None  # type: ignore[index]


def test_unknown_commands_suggest_the_closest(bot: BotUnderTest):
    answer = bot.say("minuts").text
    assert "Did you mean “minutes”?" in answer and "minutes [last]" in answer
    assert "Did you mean “actions”?" in bot.say("actons").text


def _meeting_ids(bot: BotUnderTest) -> list[str]:
    from sqlalchemy import select

    from assistant.storage.models import MeetingNotes

    with bot.database.session() as session:
        return list(session.scalars(select(MeetingNotes.meeting_id)))


def test_every_command_is_in_the_docs_table(bot: BotUnderTest):
    table = (Path(__file__).resolve().parents[2] / "docs" / "teams-bot.md").read_text(encoding="utf-8")
    for command in bot.router.commands:
        usage = command.usage.replace("|", "\\|")
        assert f"| `{usage}` |" in table, command.usage
