"""The real app on a fake Slack: every input is dispatched through Bolt as a signed request.

Nothing here shortcuts Bolt: signature checks, middleware, ack and the listener executor all
run as they do behind `policybot serve`. The only difference is that Slack is `FakeSlack`.
"""

from __future__ import annotations

import json
import logging
import secrets
import threading
from typing import Any

from slack_bolt import BoltResponse

from bot.settings import Settings
from runtime.app_factory import PolicyApp, create_app
from runtime.executor import TrackingExecutor
from runtime.fakeslack import FakeSlack, signing
from runtime.startup import open_database

FAKE_BOT_TOKEN = "xoxb-policybot-shell"
BUSY_AFTER = 60.0  # seconds; a listener still running then is reported, not waited for


class LogCollector(logging.Handler):
    """Warnings and errors from the app, kept as one line each for the transcript."""

    def __init__(self) -> None:
        super().__init__(level=logging.WARNING)
        self._lines: list[str] = []
        self._lock = threading.Lock()

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage().strip().splitlines()
        line = message[0] if message else record.levelname.lower()
        if line.startswith("Unhandled request"):
            if _routine(line):
                return
            line = "the bot has no listener for this (yet)"
        elif record.exc_info and record.exc_info[1] is not None:
            error = record.exc_info[1]
            detail = (str(error).splitlines() or [""])[0]
            line = f"{line}: {type(error).__name__}: {detail}" if detail else line
        with self._lock:
            self._lines.append(line)

    def take(self) -> list[str]:
        with self._lock:
            lines, self._lines = self._lines, []
            return lines


def _routine(unhandled: str) -> bool:
    """A channel message (or an edit) nobody listens to: bots ignore most of those."""
    is_message = "'type': 'message'" in unhandled
    return is_message and ("'channel_type': 'im'" not in unhandled or "subtype" in unhandled)


class Harness:
    def __init__(self, settings: Settings) -> None:
        self.fake = FakeSlack()
        try:
            self.signing_secret = secrets.token_hex(16)
            self.settings = settings.with_overrides(
                slack_api_url=self.fake.api_url,
                bot_token=FAKE_BOT_TOKEN,
                signing_secret=self.signing_secret,
                app_token=None,
            )
            self.db = open_database(self.settings)
            self.executor = TrackingExecutor(max_workers=4)
            self.app: PolicyApp = create_app(
                self.settings, self.db, listener_executor=self.executor, claimant="shell"
            )
            self.app.background.start()  # what Slack refused for now, sent when it may
        except BaseException:
            self.fake.close()
            raise
        self.still_busy = False

    def close(self) -> None:
        self.executor.wait_idle(timeout=5)
        self.app.background.stop()
        self.executor.shutdown(wait=False, cancel_futures=True)
        self.fake.close()
        self.db.dispose()

    def command(self, form: dict[str, str]) -> BoltResponse:
        return self._dispatch(*signing.slash_command_body(form))

    def event(self, envelope: dict[str, Any]) -> BoltResponse:
        return self._dispatch(*signing.event_body(envelope))

    def interaction(self, payload: dict[str, Any]) -> BoltResponse:
        return self._dispatch(*signing.interactive_body(payload))

    def _dispatch(self, body: str, content_type: str) -> BoltResponse:
        request = signing.bolt_request(self.signing_secret, body, content_type)
        response = self.app.dispatch(request)
        # Bolt answered as soon as the listener acked; wait for the rest of its work.
        self.still_busy = not (
            self.executor.wait_idle(timeout=BUSY_AFTER)
            and self.app.background.wait_idle(timeout=BUSY_AFTER)
        )
        return response


def response_json(response: BoltResponse) -> dict[str, Any] | None:
    """The app's immediate answer (slash command text, view_submission response_action)."""
    body = (response.body or "").strip()
    if not body:
        return None
    if body.startswith("{"):
        try:
            parsed = json.loads(body)
        except ValueError:
            return {"text": body}
        return parsed if isinstance(parsed, dict) else None
    return {"text": body}
