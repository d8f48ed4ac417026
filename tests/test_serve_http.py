"""`policybot serve --http`, as an operator runs it, answers signed requests and refuses others."""

from __future__ import annotations

from pathlib import Path

from runtime.fakeslack import FakeSlack
from tests.driver import SlackDriver
from tests.http_process import serve_http


def test_serve_http_answers_a_signed_help_and_refuses_an_unsigned_one(
    fake_slack: FakeSlack, db_url: str, tmp_path: Path
) -> None:
    with serve_http(fake_slack, db_url, tmp_path) as served:
        sender = SlackDriver(served.events_url, fake_slack)
        unsigned = sender.post_form({"command": "/policy", "text": "help"}, headers={})
        assert unsigned.status == 401
        signed = sender.command("UEMP0002", "help")
        assert signed.status == 200
        reply = fake_slack.wait_for("response_url", timeout=10)
        assert "`/policy help [COMMAND]`: this list" in reply.args["text"]
