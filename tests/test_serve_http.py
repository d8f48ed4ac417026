"""`policybot serve --http`, as an operator runs it, answers signed requests and refuses others."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from tests.driver import SIGNING_SECRET, SlackDriver

ROOT = Path(__file__).resolve().parents[1]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_until_listening(port: int, process: subprocess.Popen[str]) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        assert process.poll() is None, process.stderr.read() if process.stderr else "exited"
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1):
                return
        except OSError:
            time.sleep(0.2)
    raise AssertionError("policybot serve --http did not start listening")


def test_serve_http_answers_a_signed_help_and_refuses_an_unsigned_one(
    fake_slack, db_url: str, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "POLICYBOT_"))}
    env |= {
        "SLACK_BOT_TOKEN": "xoxb-serve-test",
        "SLACK_SIGNING_SECRET": SIGNING_SECRET,
        "SLACK_API_URL": fake_slack.api_url,
        "DATABASE_URL": db_url,
        "POLICYBOT_LANGUAGE": "en",
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "runtime.cli", "serve", "--http", "--port", str(port)],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        _wait_until_listening(port, process)
        sender = SlackDriver(f"http://127.0.0.1:{port}/slack/events", fake_slack)
        unsigned = sender.post_form({"command": "/policy", "text": "help"}, headers={})
        assert unsigned.status == 401
        signed = sender.command("UEMP0002", "help")
        assert signed.status == 200
        reply = fake_slack.wait_for("response_url", timeout=10)
        assert "`/policy help [COMMAND]`: this list" in reply.args["text"]
    finally:
        process.terminate()
        process.wait(timeout=20)
