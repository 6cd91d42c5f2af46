"""`coordinator minutes` end to end against the sandbox: text, Word, a malformed notes file, Planner tasks, --post."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from docx import Document

from assistant.graph.calendar import read_meetings
from assistant.projects import parse_projects
from assistant.sandbox.demo_tenant import demo_projects
from tests.conftest import DEMO_NOW
from tests.render.test_status_docx import table_with
from tests.services.test_minutes import NOTES
from tests.test_cli import run


@pytest.fixture
def standup_id(client, demo_tenant) -> str:
    """Yesterday's Atlas stand-up, as `coordinator meetings` would show it."""
    atlas = parse_projects({"projects": demo_projects(demo_tenant)}, source="demo")["atlas"]
    day = read_meetings(client, atlas.calendar, DEMO_NOW - dt.timedelta(days=1), DEMO_NOW, atlas.zone)
    return next(m.id for m in day if m.subject == "Atlas stand-up")


@pytest.fixture
def notes(tmp_path: Path) -> str:
    (tmp_path / "notes.txt").write_text(NOTES, encoding="utf-8")
    return "notes.txt"


def test_text_minutes_in_the_terminal(configured, tmp_path, standup_id, notes):
    result = run("minutes", standup_id, "--notes", notes, cwd=tmp_path, env=configured)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "Minutes: Atlas stand-up"
    assert "  - Roll back to firmware 1.0.14 on the flickering docks." in lines
    assert any(line.startswith("  - Write the FAQ entry — @Zed (NOT RESOLVED") for line in lines)
    assert "Planner task" not in result.stdout  # none asked for


def test_out_docx_writes_the_word_minutes(configured, tmp_path, standup_id, notes):
    result = run("minutes", standup_id, "--notes", notes, "--out", "minutes.docx", cwd=tmp_path, env=configured)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "wrote minutes.docx"
    doc = Document(str(tmp_path / "minutes.docx"))
    assert doc.paragraphs[0].text == "Atlas stand-up"
    rows = table_with(doc, ["Action", "Owner", "Due", "Planner"])
    assert [r[:2] for r in rows] == [
        ["Roll out docking firmware 1.0.16", "Tomasz Nowak"],
        ["Ship replacement docks to Munich", "Isabella Rossi"],
        ["Write the FAQ entry", "@Zed — not resolved"],
    ]
    text = run("minutes", standup_id, "--notes", notes, "--out", "minutes.txt", cwd=tmp_path, env=configured)
    assert text.returncode == 0 and (tmp_path / "minutes.txt").read_text().startswith("Minutes: Atlas stand-up\n")


def test_a_malformed_notes_file_names_its_line(configured, tmp_path, standup_id):
    (tmp_path / "notes.txt").write_text("## Pilot\nDecision: Go.\nAction: fix the docks\n", encoding="utf-8")
    result = run("minutes", standup_id, "--notes", "notes.txt", cwd=tmp_path, env=configured)
    assert result.returncode == 2
    assert result.stderr.strip() == (
        "coordinator: notes.txt: line 3: an action needs an owner first: Action: @Name what to do by <date>"
    )
    assert result.stdout == ""


def test_create_tasks_reports_the_tasks_and_the_owner_that_matched_nobody(configured, tmp_path, standup_id, notes):
    result = run("minutes", standup_id, "--notes", notes, "--create-tasks", cwd=tmp_path, env=configured)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1] == "2 Planner tasks created; 1 not created: nobody matches @Zed"
    again = run("minutes", standup_id, "--notes", notes, "--create-tasks", cwd=tmp_path, env=configured)
    assert (
        again.stdout.splitlines()[-1]
        == "0 Planner tasks created; 2 already had one; 1 not created: nobody matches @Zed"
    )


def test_post_without_a_sign_in_files_the_minutes_creates_the_tasks_and_says_what_to_do(
    configured, sandbox, http, tmp_path, standup_id, notes
):
    result = run(
        "minutes", standup_id, "--notes", notes, "--post", "--create-tasks", "--out", "m.docx",
        cwd=tmp_path, env=configured,
    )  # fmt: skip
    assert result.returncode == 1
    assert "card NOT posted" in result.stderr and "coordinator login" in result.stderr
    assert "Traceback" not in result.stderr
    assert result.stdout.splitlines() == [
        "wrote m.docx",
        "2 Planner tasks created; 1 not created: nobody matches @Zed",
    ]
    [filed] = http.get(f"{sandbox.url}/_sandbox/files").json()["value"]
    assert filed["path"].endswith("/Meeting documents/Atlas stand-up/2026-03-03 Atlas stand-up minutes.docx")
    assert http.get(filed["webUrl"]).content == (tmp_path / "m.docx").read_bytes()
