"""`coordinator serve`: the bot endpoints under cheroot, and the dangerous switch refused off loopback."""

from __future__ import annotations

import threading

import pytest
import requests

from assistant.app import make_server
from assistant.cli import main
from assistant.settings import load_settings


def test_serve_refuses_the_unauthenticated_switch_off_loopback(monkeypatch, capsys, tmp_path):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("COORDINATOR_DANGEROUSLY_ALLOW_UNAUTHENTICATED_BOT", "1")
    assert main(["serve", "--host", "0.0.0.0", "--port", "0"]) == 2  # noqa: S104 - refused, never bound
    assert "refused: the server must be bound to 127.0.0.1 or ::1" in capsys.readouterr().err


def test_the_server_answers_healthz_on_an_ephemeral_port(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    server = make_server(load_settings(), "127.0.0.1", 0)
    thread = threading.Thread(target=server.serve, daemon=True)
    thread.start()
    try:
        answer = requests.get(f"http://127.0.0.1:{server.bind_addr[1]}/healthz", timeout=5)
        assert answer.status_code == 200 and answer.json()["status"] == "ok"
        refused = requests.post(f"http://127.0.0.1:{server.bind_addr[1]}/api/messages", json={}, timeout=5)
        assert refused.status_code == 401
    finally:
        server.stop()
        thread.join(timeout=5)


@pytest.mark.parametrize("argv", [["serve", "--port", "x"]])
def test_serve_port_must_be_a_number(argv, capsys):
    with pytest.raises(SystemExit) as exit_:
        main(argv)
    assert exit_.value.code == 2
