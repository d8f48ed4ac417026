"""The test driver: talks to policybot as Slack does and reads what it did.

In the spirit of errbot's `testbot`: a test gets one object (the `slack` or `running` fixture,
the same `SlackDriver`) and writes what people do and what they should see:

    running.command(LEAD, "review purpose")
    running.press(LEAD, running.find_button("review_accept"))
    assert "accepted" in running.last_reply_text()

It sends real requests with real v0 signatures over real HTTP to the app's /slack/events, and
reads the record of the stand-in Web API (`runtime.fakeslack.FakeSlack`, at `driver.fake`) that
the bot called. The payloads are written here, independently of the shell's own payload code
(`runtime/fakeslack/inbound.py`), on purpose: the tests are a second opinion on what Slack
sends. Reading payloads needs no driver: `tests/payloads.py` (`text_of`, `buttons`,
`text_value` …). Database state for a scene is put in by `tests/seed.py`.
"""

from __future__ import annotations

import itertools
import json
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from urllib.parse import urlencode

from slack_sdk.signature import SignatureVerifier

from bot.clock import ManualClock
from bot.settings import Settings
from bot.storage import Database
from runtime.app_factory import PolicyApp
from runtime.fakeslack import FakeSlack, Message
from tests.app_server import AppServer
from tests.cast import (  # noqa: F401  (the cast, as the tests import it from here)
    ADMIN,
    APP,
    CARLA,
    DRAFT_CHANNEL,
    EMMA,
    EMPLOYEE,
    ERIK,
    GENERAL,
    HOSTILE,
    LEAD,
    MEMBER,
    PEOPLE,
    SIGNING_SECRET,
    TEAM,
    WENDY,
    WILLEM,
    add_sample_contacts,
    populate,
)
from tests.payloads import buttons, element, select_value, text_of, text_value
from tests.wire import Response, Sent

_counter = itertools.count(1)


class SlackDriver:
    """Sends what Slack would send to the app at `url`; reads what the app did from `fake`.

    With an app served in-process (`SlackDriver.serving`), every request waits until the app
    has finished reacting (its listener pool is idle), so a test reads the outcome right after
    the call that caused it, without sleeping.

    The readers here answer the usual questions (the private answers, a button in them, the
    modal opened, a drafting thread). Everything else is in the stand-in's record at
    `driver.fake`: `bot_messages(channel, thread_ts)`, `ephemerals_for(user)`,
    `reactions_on(channel, ts)`, `uploaded_files()`, `home_view(user)`, `open_views(user)`,
    `calls_for(method)`, `last(method)`, and `fail_next(method, …)` to make Slack fail.
    """

    def __init__(
        self,
        url: str,
        fake: FakeSlack,
        *,
        signing_secret: str = SIGNING_SECRET,
        db: Database | None = None,
        server: AppServer | None = None,
    ) -> None:
        self.url, self.fake, self.signing_secret = url, fake, signing_secret
        self._db, self._server = db, server
        self.acks: list[Response] = []  # every answer the app gave, oldest first
        self.sent: list[Sent] = []  # every request as it went over the wire (to replay)

    @classmethod
    def serving(
        cls,
        settings: Settings,
        fake: FakeSlack,
        db: Database,
        clock: ManualClock | None = None,
        name: str | None = None,
    ) -> SlackDriver:
        """Serve a new instance of the app over HTTP on 127.0.0.1 and drive it; `close()` it."""
        server = AppServer(settings, db, clock, name)
        return cls(
            server.url, fake, signing_secret=settings.signing_secret or "", db=db, server=server
        )

    @contextmanager
    def another_instance(self, name: str | None = None) -> Iterator[SlackDriver]:
        """A second instance of the app on the same database, the same Slack and the same
        clock."""
        assert self._server is not None, "only a driver that serves the app has instances"
        server = self._server
        other = SlackDriver.serving(server.settings, self.fake, self.db, server.clock, name)
        try:
            yield other
            # Its background loop may have taken up work the first instance queued (the
            # outbox is shared) after its own last request settled: let it finish, as a
            # graceful stop would, before the test reads what Slack got.
            other.wait()
        finally:
            other.close()

    @property
    def clock(self) -> ManualClock:
        """The instance's clock: leases and back-off move only when a test advances it."""
        assert self._server is not None, "this driver talks to an app in another process"
        return self._server.clock

    @property
    def db(self) -> Database:
        assert self._db is not None, "this driver talks to an app in another process"
        return self._db

    @property
    def app(self) -> PolicyApp:
        assert self._server is not None, "this driver talks to an app in another process"
        return self._server.app

    def close(self) -> None:
        """Stop the served app (as a process going down); safe to call twice."""
        if self._server is not None:
            self._server.close()

    def wait(self) -> None:
        """Until the app has finished everything it started (no-op for another process)."""
        if self._server is not None:
            self._server.settle()

    # -- transport ----------------------------------------------------------------------------
    def signed_headers(self, body: str, timestamp: int | None = None) -> dict[str, str]:
        ts = str(int(time.time()) if timestamp is None else timestamp)
        signature = SignatureVerifier(self.signing_secret).generate_signature(
            timestamp=ts, body=body
        )
        assert signature is not None
        return {"X-Slack-Request-Timestamp": ts, "X-Slack-Signature": signature}

    def post(self, body: str, content_type: str, headers: dict[str, str] | None = None) -> Response:
        """POST `body` signed (or with exactly `headers`), then wait for the app to finish."""
        request = urllib.request.Request(self.url, data=body.encode(), method="POST")
        request.add_header("Content-Type", content_type)
        headers = headers if headers is not None else self.signed_headers(body)
        for name, value in headers.items():
            request.add_header(name, value)
        self.sent.append(Sent(body, content_type, dict(headers)))
        started = time.monotonic()
        try:
            with urllib.request.urlopen(request, timeout=15) as answer:
                result = Response(answer.status, answer.read().decode())
        except urllib.error.HTTPError as error:
            result = Response(error.code, error.read().decode())
        result.elapsed = time.monotonic() - started
        self.acks.append(result)
        self.wait()
        return result

    def replay(self, captured: Sent) -> Response:
        """Send a captured request again, byte for byte (its signature still valid)."""
        return self.post(captured.body, captured.content_type, captured.headers)

    def post_form(self, fields: dict[str, str], headers: dict[str, str] | None = None) -> Response:
        return self.post(urlencode(fields), "application/x-www-form-urlencoded", headers)

    # -- slash commands and events ------------------------------------------------------------
    def command(self, user: str, text: str, channel: str = GENERAL) -> Response:
        """`/policy TEXT` typed by `user` in `channel`."""
        return self.post_form(self.command_fields(user, text, channel, f"cmd{next(_counter)}"))

    def command_fields(self, user: str, text: str, channel: str, key: str) -> dict[str, str]:
        """The form Slack posts for `/policy TEXT`; `key` names its response_url."""
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
            "authorizations": [{"team_id": TEAM, "user_id": self.fake.bot_user_id, "is_bot": True}],
        }

    def event(
        self, event: dict[str, Any], event_id: str | None = None, retry: int | None = None
    ) -> Response:
        """An Events API delivery; `retry` makes it Slack's redelivery number `retry`."""
        body = json.dumps(self.event_envelope(event, event_id))
        headers = self.signed_headers(body)
        if retry is not None:
            headers |= {"X-Slack-Retry-Num": str(retry), "X-Slack-Retry-Reason": "http_timeout"}
        return self.post(body, "application/json", headers)

    def message(self, user: str, channel: str, text: str, thread_ts: str | None = None) -> str:
        """`user` writes in `channel` (or a thread): stored in the workspace, then delivered as
        an event. Returns the message's ts."""
        ts = self.fake.post_user_message(user, channel, text, thread_ts=thread_ts)
        event = {
            "type": "message",
            "channel": channel,
            "user": user,
            "text": text,
            "ts": ts,
            "channel_type": _channel_type(channel),
            "event_ts": ts,
        }
        if thread_ts:
            event["thread_ts"] = thread_ts
        self.event(event)
        return ts

    def dm(self, user: str, text: str) -> Message:
        """`user` writes to the bot in their DM; returns the bot's last message there."""
        channel = self.fake.im_for(user)
        self.message(user, channel, text)
        answers = self.fake.bot_messages(channel)
        assert answers, "the bot did not answer the direct message"
        return answers[-1]

    def edit(self, channel: str, ts: str, text: str) -> None:
        """The author edits their message: Slack sends `message_changed`."""
        previous, current = self.fake.edit_user_message(channel, ts, text)
        changed = {"subtype": "message_changed", "message": current, "previous_message": previous}
        self.event(_hidden_message_event(channel) | changed)

    def delete(self, channel: str, ts: str) -> None:
        """The author deletes their message: Slack sends `message_deleted`."""
        previous = self.fake.delete_user_message(channel, ts)
        deleted = {"subtype": "message_deleted", "deleted_ts": ts, "previous_message": previous}
        self.event(_hidden_message_event(channel) | deleted)

    # -- interactivity ------------------------------------------------------------------------
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
        """A `block_actions` payload: `action` on a message in `channel`, or in a `view`."""
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

    def click(
        self,
        user: str,
        message: Message,
        action_id: str,
        *,
        value: str | None = None,
        selected: list[str] | None = None,
    ) -> Response:
        """Press a button, or pick `selected` options in a select, on a message the bot posted
        in a channel (the payload carries the message, as Slack's does)."""
        block, found = element(message, action_id)
        action: dict[str, Any] = {
            "action_id": action_id,
            "block_id": block.get("block_id"),
            "type": found["type"],
        }
        if found["type"] == "button":
            action["value"] = found.get("value", "") if value is None else value
        elif found["type"] == "multi_static_select":
            action["selected_options"] = [{"value": v} for v in selected or []]
        else:
            action["selected_option"] = {"value": (selected or [""])[0]}
        return self.block_action(user, action, channel=message.channel, message=message.to_api())

    def press(self, user: str, button: dict[str, Any], channel: str = GENERAL) -> Response:
        """Press `button` from a private answer (a response_url or ephemeral message, which
        Slack does not send back with the action); see `find_button`."""
        action = {"action_id": button["action_id"], "value": button.get("value", "")}
        return self.block_action(user, action, channel=channel)

    def pick_in_menu(
        self, user: str, action_id: str, label: str, contains: str = "", channel: str = GENERAL
    ) -> Response:
        """Pick the option `label` (whose value contains `contains`) in the newest "⋯" menu
        with `action_id` in a private answer, as Slack sends an overflow choice."""
        for reply in reversed(self.replies()):
            for menu in buttons(reply.get("blocks"), action_id):
                for choice in menu.get("options") or []:
                    if choice["text"]["text"] == label and contains in choice["value"]:
                        picked = {"value": choice["value"]}
                        action = {"action_id": action_id, "type": "overflow"}
                        return self.block_action(
                            user, action | {"selected_option": picked}, channel=channel
                        )
        raise AssertionError(f"no {label!r} in a {action_id} menu")

    def view_submission(self, user: str, view: dict[str, Any], values: dict[str, Any]) -> Response:
        """`user` submits the modal `view` with `values` (block_id → action_id → state)."""
        submitted = dict(view) | {"state": {"values": values}}
        payload = {"type": "view_submission", "user": {"id": user, "name": user.lower()}}
        return self.interaction(payload | {"view": submitted})

    def submit(self, user: str, view: dict[str, Any], values: dict[str, Any]) -> Any:
        """`view_submission`, asserting the app accepted it; the app's JSON answer or None
        (`{"response_action": "update" | "errors" | "push", …}` when it gave one)."""
        answer = self.view_submission(user, view, values)
        assert answer.status == 200, answer.body
        return answer.json()

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

    # -- reading what the bot did -------------------------------------------------------------
    def replies(self) -> list[dict[str, Any]]:
        """Every private answer (a response_url POST: text, blocks …), oldest first."""
        return [call.args for call in self.fake.calls_for("response_url")]

    def last_reply(self) -> dict[str, Any]:
        """The last answer to a slash command or an action."""
        call = self.fake.last("response_url")
        assert call is not None, "the bot did not answer"
        return call.args

    def last_reply_text(self) -> str:
        return text_of(self.last_reply())

    def all_reply_text(self) -> str:
        return "\n".join(text_of(reply) for reply in self.replies())

    def find_button(self, action_id: str, contains: str | None = None) -> dict[str, Any]:
        """The newest button with `action_id` in any answer (whose value contains `contains`)."""
        for reply in reversed(self.replies()):
            for button in buttons(reply.get("blocks"), action_id):
                if contains is None or contains in button.get("value", ""):
                    return button
        raise AssertionError(f"no {action_id} button in the answers")

    def announcement(self, channel: str = GENERAL) -> dict[str, Any]:
        """The arguments of the bot's last chat.postMessage to `channel` (an adoption's
        announcement; the lead's follow-up goes to their DM after it)."""
        posts = [
            c for c in self.fake.calls_for("chat.postMessage") if c.args.get("channel") == channel
        ]
        assert posts, f"nothing was posted in {channel}"
        return posts[-1].args

    def opened_view(self) -> dict[str, Any]:
        """The modal the bot opened last, as the stand-in stored it (with its id)."""
        call = self.fake.last("views.open")
        assert call is not None and call.ok, f"no modal was opened: {call}"
        return call.response["view"]

    def thread(self, thread_ts: str, channel: str = DRAFT_CHANNEL) -> list[Message]:
        """What the bot posted in a thread after its first message, oldest first."""
        return [m for m in self.fake.bot_messages(channel, thread_ts) if m.ts != thread_ts]

    def last_post(self, thread_ts: str, channel: str = DRAFT_CHANNEL) -> Message:
        posts = self.thread(thread_ts, channel)
        assert posts, "the bot posted nothing in the thread"
        return posts[-1]

    # -- scenes that go through Slack ---------------------------------------------------------
    def start_draft(self, user: str, section: str, channel: str = DRAFT_CHANNEL) -> str:
        """`/policy draft SECTION` in `channel`; the ts of the session message (its thread)."""
        before = {m.ts for m in self.fake.bot_messages(channel)}
        self.command(user, f"draft {section}", channel)
        posted = [
            m for m in self.fake.bot_messages(channel) if m.ts not in before and not m.is_reply
        ]
        assert posted, f"no session message; calls: {[str(c) for c in self.fake.calls]}"
        return posted[-1].ts

    def save_settings(self, user: str, **fields: str) -> Any:
        """`/policy review` → *Document settings*, submitted with `fields` (organisation,
        language, version, default_verdict, default_role); the app's answer (None when it
        saved them and closed the modal)."""
        self.command(user, "review")
        self.press(user, self.find_button("review_settings"))
        selects = {"language", "default_verdict", "default_role"}
        values = {k: select_value(v) if k in selects else text_value(v) for k, v in fields.items()}
        return self.submit(user, self.opened_view(), values)

    def save_decisions(self, user: str, decisions: str) -> Any:
        """`/policy review voorblad` → *Edit decisions*, submitted with `decisions` (one per
        line); the app's answer (None when it saved them)."""
        self.command(user, "review voorblad")
        self.press(user, self.find_button("review_decisions_edit"))
        return self.submit(user, self.opened_view(), {"decisions": text_value(decisions)})

    def adopt_from_slack(self, by: str = "Directie", user: str = LEAD) -> dict[str, Any]:
        """`/policy adopt` through its three steps; the view shown at the end."""
        self.command(user, "adopt")
        confirm = self.opened_view()
        assert confirm["callback_id"] == "review_adopt_confirm"
        # What is not ready (waiting answers, empty sections …) is confirmed with a tick.
        asks = any(b.get("block_id") == "confirm_unready" for b in confirm["blocks"])
        tick = {"a": {"type": "checkboxes", "selected_options": [{"value": "confirmed"}]}}
        step2 = self.submit(user, confirm, {"confirm_unready": tick} if asks else {})
        assert step2["response_action"] == "update"
        approval = step2["view"] | {"id": confirm["id"]}  # an update keeps the view's id
        assert approval["callback_id"] == "review_adopt_approval"
        done = self.submit(user, approval, approval_values(by))
        assert done["response_action"] == "update", done
        return done["view"]


def approval_values(by: str = "Directie", channel: str = GENERAL) -> dict[str, Any]:
    """The adoption modal's second step filled in: management's approval."""
    return {
        "approved_by": text_value(by),
        "approved_on": {"a": {"type": "datepicker", "selected_date": "2026-01-20"}},
        "decisions": text_value("Medewerkers mogen over hun werk posten\nCommunicatie is eigenaar"),
        "announce": {"a": {"type": "conversations_select", "selected_conversation": channel}},
    }


def _channel_type(channel: str) -> str:
    return "im" if channel.startswith("D") else "channel"


def _hidden_message_event(channel: str) -> dict[str, Any]:
    ts = f"{time.time():.6f}"
    return {
        "type": "message",
        "hidden": True,
        "channel": channel,
        "channel_type": _channel_type(channel),
        "ts": ts,
        "event_ts": ts,
    }
