"""`policybot serve` as a supervisor runs it: SIGTERM finishes the work in flight, Slack out of
reach at start-up is one line, a refused token stops it in one line."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

from runtime.fakeslack import FakeSlack
from tests.driver import SIGNING_SECRET, SlackDriver
from tests.http_process import free_port, wait_until_answering
from tests.seed import adopt

ROOT = Path(__file__).resolve().parents[1]


def start(tmp_path: Path, api_url: str, db_url: str, *args: str, **env: str) -> subprocess.Popen:
    environment = {
        k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "POLICYBOT_"))
    }
    environment |= {
        "SLACK_BOT_TOKEN": "xoxb-serve-test",
        "SLACK_SIGNING_SECRET": SIGNING_SECRET,
        "SLACK_API_URL": api_url,
        "DATABASE_URL": db_url,
        "POLICYBOT_LANGUAGE": "en",
        "PYTHONPATH": str(ROOT),
        **env,
    }
    return subprocess.Popen(
        [sys.executable, "-m", "runtime.cli", "serve", *args],
        cwd=tmp_path,
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_sigterm_finishes_the_work_in_flight_then_exits(
    fake_slack: FakeSlack, db_url: str, db, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    adopt(db)
    port = free_port()
    process = start(tmp_path, fake_slack.api_url, db_url, "--http", "--port", str(port))
    try:
        wait_until_answering(f"http://127.0.0.1:{port}/healthz", process)
        sender = SlackDriver(f"http://127.0.0.1:{port}/slack/events", fake_slack)
        # Slack rate-limits the answer once: the listener is still at work (waiting the second
        # Retry-After asks) when the process is told to stop.
        fake_slack.fail_next("chat.postMessage", status=429, retry_after=1)
        dm = fake_slack.im_for("UEMP0002")
        sender.message("UEMP0002", dm, "may I post this: a photo of our new office")  # acked
        assert not fake_slack.bot_messages(dm)
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=30) == 0
    finally:
        if process.poll() is None:
            process.kill()
    answers = fake_slack.bot_messages(dm)
    assert len(answers) == 1, "the acknowledged question was answered before the exit"
    _, stderr = process.communicate()
    assert "finishing 1 piece(s) of work in flight" in stderr
    assert "Traceback" not in stderr


def test_the_first_request_is_acknowledged_without_asking_slack_who_the_bot_is_again(
    fake_slack: FakeSlack, db_url: str, tmp_path: Path
) -> None:
    """Start-up asked `auth.test` once; Bolt's authorization uses that answer, so the first
    request's ack does not wait for a second round trip to Slack."""
    port = free_port()
    process = start(tmp_path, fake_slack.api_url, db_url, "--http", "--port", str(port))
    try:
        wait_until_answering(f"http://127.0.0.1:{port}/healthz", process)
        sender = SlackDriver(f"http://127.0.0.1:{port}/slack/events", fake_slack)
        assert sender.command("UEMP0002", "help").status == 200
        fake_slack.wait_for("response_url")
        assert "/policy" in sender.last_reply_text()
    finally:
        process.send_signal(signal.SIGTERM)
        process.communicate(timeout=30)
    assert len(fake_slack.calls_for("auth.test")) == 1


def test_slack_out_of_reach_at_start_up_is_one_line_and_http_serves_anyway(
    db_url: str, tmp_path: Path
) -> None:
    port, nowhere = free_port(), free_port()  # nothing listens on `nowhere`
    process = start(
        tmp_path, f"http://127.0.0.1:{nowhere}/api/", db_url, "--http", "--port", str(port)
    )
    try:
        wait_until_answering(f"http://127.0.0.1:{port}/healthz", process)
    finally:
        process.send_signal(signal.SIGTERM)
        _, stderr = process.communicate(timeout=30)
    assert "Traceback" not in stderr and "token" not in stderr.lower()
    lines = [line for line in stderr.splitlines() if "not reachable" in line]
    assert len(lines) == 1 and "serving anyway" in lines[0]


def test_a_refused_token_stops_start_up_in_one_line(
    fake_slack: FakeSlack, db_url: str, tmp_path: Path
) -> None:
    fake_slack.fail_next("auth.test", status=200, error="invalid_auth")
    process = start(tmp_path, fake_slack.api_url, db_url, "--http", "--port", str(free_port()))
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == 2
    assert stderr.strip().splitlines() == [
        "policybot: Slack refused SLACK_BOT_TOKEN (invalid_auth): copy it again"
    ]


def test_socket_mode_without_slack_exits_for_the_supervisor_in_one_line(
    db_url: str, tmp_path: Path
) -> None:
    nowhere = free_port()
    process = start(
        tmp_path, f"http://127.0.0.1:{nowhere}/api/", db_url, SLACK_APP_TOKEN="xapp-1-test"
    )
    _, stderr = process.communicate(timeout=60)  # a failure's bound: it exits by itself
    assert process.returncode == 1
    assert "Traceback" not in stderr
    assert [line for line in stderr.splitlines() if "cannot connect" in line]
