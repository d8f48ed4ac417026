"""Requests as Slack sends them: real bodies, real v0 signatures, over real HTTP.

Independent of the shell's own payload code on purpose: the tests are a second opinion on
what Slack sends.
"""

from __future__ import annotations

import itertools
import json
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from slack_sdk.signature import SignatureVerifier

TEAM = "T0TEST"
APP = "A0POLICY"
_counter = itertools.count(1)


@dataclass
class Response:
    status: int
    body: str

    def json(self) -> Any:
        return json.loads(self.body) if self.body else None


@dataclass
class SlackSender:
    """Posts signed requests to the app's /slack/events and knows the fake's response_url."""

    url: str
    signing_secret: str
    fake: Any
    bot_user_id: str = "UBOT"
    wait: Any = None  # callable that waits until the app has finished reacting
    sent: list[str] = field(default_factory=list)

    # -- transport -----------------------------------------------------------------------
    def signed_headers(self, body: str, timestamp: int | None = None) -> dict[str, str]:
        ts = str(int(time.time()) if timestamp is None else timestamp)
        signature = SignatureVerifier(self.signing_secret).generate_signature(
            timestamp=ts, body=body
        )
        return {"X-Slack-Request-Timestamp": ts, "X-Slack-Signature": signature}

    def post(self, body: str, content_type: str, headers: dict[str, str] | None = None) -> Response:
        request = urllib.request.Request(self.url, data=body.encode(), method="POST")
        request.add_header("Content-Type", content_type)
        for name, value in (headers if headers is not None else self.signed_headers(body)).items():
            request.add_header(name, value)
        try:
            with urllib.request.urlopen(request, timeout=15) as answer:
                result = Response(answer.status, answer.read().decode())
        except urllib.error.HTTPError as error:
            result = Response(error.code, error.read().decode())
        if self.wait is not None:
            self.wait()
        return result

    def post_form(self, fields: dict[str, str], headers: dict[str, str] | None = None) -> Response:
        return self.post(urlencode(fields), "application/x-www-form-urlencoded", headers)

    def post_json(self, payload: dict[str, Any], headers: dict[str, str] | None = None) -> Response:
        return self.post(json.dumps(payload), "application/json", headers)

    # -- what Slack sends ---------------------------------------------------------------
    def command(self, user: str, text: str, channel: str = "C0GENERAL") -> Response:
        key = f"cmd{next(_counter)}"
        return self.post_form(self.command_fields(user, text, channel, key))

    def command_fields(self, user: str, text: str, channel: str, key: str) -> dict[str, str]:
        return {
            "token": "legacy-unused",
            "team_id": TEAM,
            "team_domain": "example",
            "channel_id": channel,
            "channel_name": "general",
            "user_id": user,
            "user_name": user.lower(),
            "command": "/policy",
            "text": text,
            "api_app_id": APP,
            "is_enterprise_install": "false",
            "response_url": self.fake.response_url_for(key),
            "trigger_id": f"trigger.{key}",
        }

    def event_envelope(self, event: dict[str, Any], event_id: str | None = None) -> dict[str, Any]:
        return {
            "token": "legacy-unused",
            "team_id": TEAM,
            "api_app_id": APP,
            "event": event,
            "type": "event_callback",
            "event_id": event_id or f"Ev{next(_counter):08d}",
            "event_time": int(time.time()),
            "authorizations": [{"team_id": TEAM, "user_id": self.bot_user_id, "is_bot": True}],
        }

    def event(
        self, event: dict[str, Any], event_id: str | None = None, retry: int | None = None
    ) -> Response:
        body = json.dumps(self.event_envelope(event, event_id))
        headers = self.signed_headers(body)
        if retry is not None:
            headers |= {"X-Slack-Retry-Num": str(retry), "X-Slack-Retry-Reason": "http_timeout"}
        return self.post(body, "application/json", headers)

    def message(self, user: str, channel: str, text: str, thread_ts: str | None = None) -> str:
        """A person writes a message: stored in the fake workspace, then delivered as an event."""
        ts = self.fake.post_user_message(user, channel, text, thread_ts=thread_ts)
        event = {
            "type": "message",
            "channel": channel,
            "user": user,
            "text": text,
            "ts": ts,
            "channel_type": "im" if channel.startswith("D") else "channel",
            "event_ts": ts,
        }
        if thread_ts:
            event["thread_ts"] = thread_ts
        self.event(event)
        return ts

    def interaction(self, payload: dict[str, Any]) -> Response:
        payload = {"team": {"id": TEAM}, "api_app_id": APP, "token": "legacy-unused"} | payload
        return self.post_form({"payload": json.dumps(payload)})

    def block_action(
        self,
        user: str,
        action: dict[str, Any],
        *,
        channel: str | None = None,
        message: dict[str, Any] | None = None,
        view: dict[str, Any] | None = None,
    ) -> Response:
        key = f"act{next(_counter)}"
        payload: dict[str, Any] = {
            "type": "block_actions",
            "user": {"id": user, "name": user.lower()},
            "trigger_id": f"trigger.{key}",
            "response_url": self.fake.response_url_for(key),
            "actions": [{"type": "button", "action_ts": str(time.time())} | action],
        }
        if channel:
            payload["channel"] = {"id": channel}
            payload["container"] = {"type": "message", "channel_id": channel}
        if message:
            payload["message"] = message
            payload["container"] = {
                "type": "message",
                "channel_id": channel,
                "message_ts": message.get("ts"),
                "thread_ts": message.get("thread_ts"),
            }
        if view:
            payload["view"] = view
            payload["container"] = {"type": "view", "view_id": view.get("id")}
        return self.interaction(payload)

    def view_submission(self, user: str, view: dict[str, Any], values: dict[str, Any]) -> Response:
        submitted = dict(view) | {"state": {"values": values}}
        return self.interaction(
            {
                "type": "view_submission",
                "user": {"id": user, "name": user.lower()},
                "view": submitted,
            }
        )

    def message_shortcut(
        self, user: str, callback_id: str, channel: str, message: dict[str, Any]
    ) -> Response:
        key = f"sc{next(_counter)}"
        return self.interaction(
            {
                "type": "message_action",
                "callback_id": callback_id,
                "user": {"id": user, "name": user.lower()},
                "channel": {"id": channel, "name": "general"},
                "message": message,
                "message_ts": message.get("ts"),
                "trigger_id": f"trigger.{key}",
                "response_url": self.fake.response_url_for(key),
            }
        )
