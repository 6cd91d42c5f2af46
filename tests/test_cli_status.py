"""`coordinator status` end to end against the sandbox: the JSON contract and the terminal report."""

from __future__ import annotations

import datetime as dt
import json
from zoneinfo import ZoneInfo

from tests.conftest import late_titles
from tests.test_cli import run

CONTRACT = {
    "project", "name", "as_of", "period", "rag", "rag_reasons", "summary", "percent_complete", "counts",
    "achievements", "late", "due_soon", "milestones", "workload", "risks", "upcoming_meetings",
}  # fmt: skip
TASK_KEYS = {"id", "title", "bucket", "status", "priority", "due", "completed", "assignees", "labels", "url"}


def test_json_follows_the_contract_and_matches_the_plan(configured, demo_tenant, tmp_path):
    out = tmp_path / "atlas.json"
    result = run(
        "status", "atlas", "--as-of", "2026-03-04", "--format", "json", "--out", str(out), cwd=tmp_path, env=configured
    )
    assert result.returncode == 0, result.stderr
    report = json.loads(out.read_text())
    assert CONTRACT <= set(report)
    assert report["as_of"] == "2026-03-04" and report["period"] == {"start": "2026-02-26", "end": "2026-03-04"}
    expected_late = late_titles(demo_tenant, "Atlas", dt.date(2026, 3, 4), ZoneInfo("Europe/Berlin"))
    assert {t["title"] for t in report["late"]} == expected_late
    assert report["counts"]["late"] == len(expected_late)
    plan = next(p for p in demo_tenant["plans"] if p["title"].startswith("Atlas"))
    assert report["counts"]["total"] == len(plan["tasks"])
    for item in report["late"]:
        assert TASK_KEYS <= set(item) and item["days_late"] >= 1
        assert dt.date.fromisoformat(item["due"]) < dt.date(2026, 3, 4)
        assert item["url"].endswith(item["id"])
    assert report["rag"] in {"green", "amber", "red"} and report["rag_reasons"]
    assert {w["person"]["name"] for w in report["workload"]} <= {u["displayName"] for u in demo_tenant["users"]}
    assert all(r["task_ids"] for r in report["risks"])


def test_text_report_leads_with_the_verdict_and_summary(configured, tmp_path):
    result = run("status", "meridian", "--as-of", "2026-03-04", cwd=tmp_path, env=configured)
    assert result.returncode == 0, result.stderr
    first = result.stdout.splitlines()[0]
    assert first.startswith("Meridian") and first.rsplit(" ", 1)[-1] in {"GREEN", "AMBER", "RED"}
    assert "Meridian – SD-WAN rollout is " in result.stdout
    assert "Workload (open / late / due soon):" in result.stdout


def test_period_and_unknown_format_are_checked(configured, tmp_path):
    result = run("status", "atlas", "--period", "0", cwd=tmp_path, env=configured)
    assert result.returncode == 2 and "expected a whole number ≥ 1" in result.stderr
    result = run("status", "atlas", "--format", "pdf", cwd=tmp_path, env=configured)
    assert result.returncode == 2 and "invalid choice" in result.stderr


def test_docx_needs_an_output_file_and_force_needs_post(configured, tmp_path):
    result = run("status", "atlas", "--format", "docx", cwd=tmp_path, env=configured)
    assert result.returncode == 2 and "add --out FILE.docx" in result.stderr
    result = run("status", "atlas", "--force", cwd=tmp_path, env=configured)
    assert result.returncode == 2 and "only means something with --post" in result.stderr


def test_docx_report_is_written(configured, tmp_path):
    from docx import Document

    out = tmp_path / "atlas.docx"
    result = run(
        "status", "atlas", "--as-of", "2026-03-04", "--format", "docx", "--out", str(out), cwd=tmp_path, env=configured
    )
    assert result.returncode == 0, result.stderr
    text = "\n".join(p.text for p in Document(str(out)).paragraphs)
    assert "Atlas – Laptop refresh 2026" in text and "Summary" in text


def test_post_without_a_signed_in_service_account_files_the_report_and_says_what_to_do(
    configured, sandbox, http, tmp_path
):
    env = {**configured, "COORDINATOR_DATA_DIR": str(tmp_path / "data")}
    result = run("status", "atlas", "--as-of", "2026-03-04", "--post", cwd=tmp_path, env=env)
    assert result.returncode == 1
    assert "card NOT posted" in result.stderr and "coordinator login" in result.stderr
    assert "Traceback" not in result.stderr
    files = http.get(f"{sandbox.url}/_sandbox/files").json()
    assert any(f["name"].endswith("status 2026-03-04.docx") for f in files.get("value", files))
    assert http.get(f"{sandbox.url}/_sandbox/messages").json()["value"] == []
