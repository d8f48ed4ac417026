"""`FakeSlack`: a stateful stand-in for Slack's Web API on a real local HTTP server.

Point `Settings.slack_api_url` at `fake.api_url` and the bot's WebClient, Bolt's `respond()`
and file uploads all talk to it. Tests then read what happened (`calls`, `messages()`,
`ephemerals_for()` …) and simulate people (`post_user_message()` …). It never sends anything
to the bot: building the requests Slack would send is `runtime.fakeslack.inbound`'s job.
"""

from __future__ import annotations

import contextlib
import copy
import threading
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from runtime.fakeslack.activity import Activity, message_activity
from runtime.fakeslack.faults import Fault, Hold
from runtime.fakeslack.http import start_server
from runtime.fakeslack.methods.views import checked_view, stored_view
from runtime.fakeslack.records import WAIT_AT_MOST_S, Call
from runtime.fakeslack.responses import ResponseTarget
from runtime.fakeslack.web_api import WebApi
from runtime.fakeslack.workspace import (
    BOT_ID,
    BOT_USER_ID,
    TEAM_ID,
    Channel,
    Ephemeral,
    Message,
    UploadedFile,
    User,
    UserGroup,
    Workspace,
)


class FakeSlack:
    bot_user_id = BOT_USER_ID
    bot_id = BOT_ID
    team_id = TEAM_ID

    def __init__(self, host: str = "127.0.0.1", port: int = 0) -> None:
        self.lock = threading.RLock()  # guards `ws`, the feed and the response targets
        self.ws = Workspace()
        self._feed: list[Activity] = []
        self._web = WebApi(self, self.lock)
        self._log = self._web.log
        self._server, self._thread = start_server(self._web, host, port)
        self.base_url = f"http://{host}:{self._server.server_port}"
        self.api_url = f"{self.base_url}/api/"
        # Where apps.connections.open sends a Socket Mode client: a test's WebSocket stand-in.
        self.socket_mode_url: str | None = None

    # ---- lifecycle -----------------------------------------------------------------------

    def close(self) -> None:
        self._web.faults.release_all()
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    def __enter__(self) -> FakeSlack:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    # ---- the call log --------------------------------------------------------------------

    @property
    def calls(self) -> list[Call]:
        return self._log.all()

    def calls_for(self, method: str) -> list[Call]:
        return [c for c in self._log.all() if c.method == method]

    def calls_since(self, index: int) -> list[Call]:
        return self._log.since(index)

    def last(self, method: str) -> Call | None:
        found = self.calls_for(method)
        return found[-1] if found else None

    def clear(self) -> None:
        """Forget recorded calls (the workspace state stays)."""
        self._log.clear()

    def wait_for(
        self,
        method: str,
        predicate: Callable[[Call], bool] | None = None,
        timeout: float = WAIT_AT_MOST_S,
    ) -> Call:
        """The first call to `method` (matching `predicate`), as soon as it is made; `timeout`
        bounds a failure only."""
        return self._log.wait_for(method, predicate, timeout)

    def activity_since(self, index: int) -> list[Activity]:
        """What changed for people to see, from position `index` of the feed on."""
        with self.lock:
            return self._feed[index:]

    @property
    def activity_count(self) -> int:
        with self.lock:
            return len(self._feed)

    def happened(self, activity: Activity) -> None:
        with self.lock:
            self._feed.append(activity)

    # ---- fault injection -----------------------------------------------------------------

    def fail_next(
        self,
        method: str,
        status: int = 429,
        retry_after: int = 1,
        times: int = 1,
        error: str | None = None,
    ) -> None:
        """The next `times` requests to `method` (or "response_url", "upload") fail.

        429 carries `Retry-After: retry_after`; 5xx answers `internal_error`; status 200 with
        `error` answers `{"ok": false, "error": error}` without doing anything.
        """
        self._web.faults.add(method, Fault(status, retry_after, times, error))

    def drop_after_reading(self, method: str, times: int = 1) -> None:
        """The next `times` requests to `method` are done (a message is posted), and then the
        connection is closed without an answer: the client cannot tell whether they were."""
        self._web.faults.add(method, Fault(times=times, drop=True))

    def hold_next(self, method: str) -> Hold:
        """The next request to `method` (a Web API method, or "response_url") waits until the
        returned hold is released: Slack slow to answer, for as long as the test needs, then
        answering as usual. `wait_until_arrived()` says when the request is waiting."""
        hold = Hold()
        self._web.faults.hold(method, hold)
        return hold

    def hold_answer(self, method: str) -> Hold:
        """The next request to `method` is done at once (a message is posted, people see it
        and may press its buttons) and its answer waits until the returned hold is released:
        the app has not heard back yet, for as long as the test needs."""
        hold = Hold()
        self._web.faults.hold(method, hold, done_first=True)
        return hold

    @contextlib.contextmanager
    def outage(
        self,
        status: int = 500,
        retry_after: int = 1,
        methods: Iterable[str] | None = None,
    ) -> Iterator[None]:
        """While the block runs, every request (to `methods`, or to any method, uploads and
        response_urls included) answers `status` (429 with `Retry-After: retry_after`)."""
        fault = Fault(status, retry_after, times=0)
        self._web.faults.begin_outage(fault, frozenset(methods) if methods else None)
        try:
            yield
        finally:
            self._web.faults.end_outage()

    # ---- setting the scene ---------------------------------------------------------------

    def add_user(
        self,
        user_id: str,
        name: str,
        locale: str = "en-US",
        is_bot: bool = False,
        *,
        phone: str = "",
        email: str = "",
        deleted: bool = False,
    ) -> None:
        with self.lock:
            self.ws.users[user_id] = User(
                user_id, name, locale, is_bot, phone=phone, email=email, deleted=deleted
            )

    def set_contact(self, user_id: str, *, phone: str = "", email: str = "") -> None:
        """What `user_id` filled in as their profile's phone and e-mail."""
        with self.lock:
            user = self.ws.users[user_id]
            user.phone, user.email = phone, email

    def set_locale(self, user_id: str, locale: str) -> None:
        with self.lock:
            self.ws.users[user_id].locale = locale

    def user(self, user_id: str) -> User | None:
        with self.lock:
            return self.ws.users.get(user_id)

    def add_channel(
        self, channel_id: str, name: str, members: Iterable[str] = (), *, private: bool = False
    ) -> None:
        with self.lock:
            channel = self.ws.channels.setdefault(
                channel_id, Channel(channel_id, name, is_private=private)
            )
            channel.members = sorted({*channel.members, *members, BOT_USER_ID})
            self.ws.messages.setdefault(channel_id, [])

    def channel(self, channel_id: str) -> Channel | None:
        with self.lock:
            return self.ws.resolve_channel(channel_id)

    def im_for(self, user_id: str) -> str:
        """The id of the bot's DM with `user_id` (what conversations.open returns)."""
        with self.lock:
            return self.ws.im_with(user_id).id

    def add_usergroup(self, usergroup_id: str, handle: str, members: Iterable[str]) -> None:
        with self.lock:
            self.ws.usergroups[usergroup_id] = UserGroup(
                usergroup_id, handle.lstrip("@"), list(members)
            )

    def issue_trigger(self, user_id: str) -> str:
        """A trigger_id for an interaction by `user_id`; views.open with it opens their modal."""
        with self.lock:
            trigger_id = f"{len(self.ws.triggers) + 1}.{self.ws.clock.next().replace('.', '')}"
            self.ws.triggers[trigger_id] = user_id
            return trigger_id

    def response_url_for(
        self,
        key: str,
        *,
        user: str | None = None,
        channel: str | None = None,
        message_ts: str | None = None,
        thread_ts: str | None = None,
    ) -> str:
        """A response_url on this server; answers posted there reach `user` in `channel`."""
        with self.lock:
            self._web.responses.add(key, ResponseTarget(user, channel, message_ts, thread_ts))
        return f"{self.base_url}/respond/{key}"

    # ---- simulating people ---------------------------------------------------------------

    def post_user_message(
        self, user: str, channel: str, text: str, thread_ts: str | None = None
    ) -> str:
        """Store a message as if `user` typed it (nothing is sent to the bot); returns its ts."""
        with self.lock:
            target = self.ws.resolve_channel(channel)
            if target is None:
                raise ValueError(f"unknown channel {channel!r}: add_channel() it first")
            message = self.ws.add_message(
                Message(target.id, self.ws.clock.next(), user, text, thread_ts=thread_ts)
            )
            if not target.is_im and user not in target.members:
                target.members.append(user)
            self.happened(message_activity("message", user, message))
            return message.ts

    def edit_user_message(self, channel: str, ts: str, text: str) -> tuple[dict, dict]:
        """Change a person's message; returns (previous, current) as Slack's events show them."""
        with self.lock:
            message = self._existing(channel, ts)
            previous = message.to_api()
            message.text = text
            message.edited = {"user": message.user, "ts": self.ws.clock.next()}
            self.happened(message_activity("update", message.user, message))
            return previous, message.to_api()

    def delete_user_message(self, channel: str, ts: str) -> dict[str, Any]:
        with self.lock:
            message = self._existing(channel, ts)
            self.ws.messages[channel].remove(message)
            self.happened(message_activity("delete", message.user, message))
            return message.to_api()

    def _existing(self, channel: str, ts: str) -> Message:
        message = self.ws.find_message(channel, ts)
        if message is None:
            raise ValueError(f"no message {ts} in {channel}")
        return message

    # ---- Slack's own UI: what happens to modals when people submit or close them ---------

    def close_view(self, view_id: str) -> None:
        """Close one modal and those pushed on top of it."""
        with self.lock:
            for user, stack in list(self.ws.view_stacks.items()):
                if view_id in stack:
                    for closed in stack[stack.index(view_id) :]:
                        self.ws.views.pop(closed, None)
                    del stack[stack.index(view_id) :]
                    if not stack:
                        del self.ws.view_stacks[user]

    def close_views(self, user: str) -> None:
        with self.lock:
            for view_id in self.ws.view_stacks.pop(user, []):
                self.ws.views.pop(view_id, None)

    def replace_view(self, view_id: str, view: dict[str, Any]) -> dict[str, Any]:
        """`response_action: update`: the modal's content changes, its id stays."""
        with self.lock:
            current = self.ws.views[view_id]
            stored = stored_view(
                checked_view(view),
                view_id=view_id,
                root=current["root_view_id"],
                previous=current["previous_view_id"],
            )
            self.ws.views[view_id] = stored
            return stored

    def push_view(self, user: str, view: dict[str, Any]) -> dict[str, Any]:
        """`response_action: push`: a new modal on top of the user's stack."""
        with self.lock:
            stack = self.ws.view_stacks.setdefault(user, [])
            stored = stored_view(
                checked_view(view),
                root=stack[0] if stack else None,
                previous=stack[-1] if stack else None,
            )
            self.ws.views[stored["id"]] = stored
            stack.append(stored["id"])
            return stored

    def deliver_ack(self, user: str, channel: str, answer: dict[str, Any]) -> dict[str, Any]:
        """Show what the app put in its HTTP answer to a slash command (`ack("text")`):
        to the asker only, or in the channel with `response_type: in_channel`."""
        with self.lock:
            key = f"ack-{self.ws.clock.next()}"
            self._web.responses.add(key, ResponseTarget(user, channel))
            return self._web.responses.apply(key, answer)

    # ---- reading the workspace -----------------------------------------------------------

    def message(self, channel: str, ts: str) -> Message | None:
        with self.lock:
            return self.ws.find_message(channel, ts)

    def messages(
        self, channel: str, thread_ts: str | None = None, *, top_level: bool = False
    ) -> list[Message]:
        """A channel's messages oldest first; with `thread_ts`, that thread (parent first)."""
        with self.lock:
            found = list(self.ws.messages.get(channel, []))
        if thread_ts:
            return [m for m in found if m.ts == thread_ts or m.thread_ts == thread_ts]
        return [m for m in found if not m.is_reply] if top_level else found

    def bot_messages(
        self, channel: str | None = None, thread_ts: str | None = None
    ) -> list[Message]:
        """What the bot posted, oldest first: everywhere, in one channel, or in one thread."""
        with self.lock:
            channels = [channel] if channel else list(self.ws.messages)
            found = [m for ch in channels for m in self.messages(ch, thread_ts)]
        return sorted((m for m in found if m.user == BOT_USER_ID), key=lambda m: m.ts)

    def ephemerals_for(self, user: str) -> list[Ephemeral]:
        with self.lock:
            return [e for e in self.ws.ephemerals if e.user == user]

    def ephemeral(self, ts: str) -> Ephemeral | None:
        with self.lock:
            return next((e for e in self.ws.ephemerals if e.ts == ts), None)

    def reactions_on(self, channel: str, ts: str) -> dict[str, list[str]]:
        """Emoji name → ids of the users who reacted with it."""
        with self.lock:
            return copy.deepcopy(self.ws.reactions.get((channel, ts), {}))

    def home_view(self, user: str) -> dict[str, Any] | None:
        with self.lock:
            return copy.deepcopy(self.ws.home_views.get(user))

    def open_views(self, user: str | None = None) -> list[dict[str, Any]]:
        """Open modals, bottom of each stack first; only `user`'s when given."""
        with self.lock:
            stacks = [self.ws.view_stacks.get(user, [])] if user else self.ws.view_stacks.values()
            return [copy.deepcopy(self.ws.views[v]) for stack in stacks for v in stack]

    def uploaded_files(self) -> list[UploadedFile]:
        with self.lock:
            return [f for f in self.ws.files.values() if f.content is not None]

    def snapshot(self) -> dict[str, Any]:
        with self.lock:
            return copy.deepcopy(self.ws.snapshot())

    def restore(self, data: dict[str, Any]) -> None:
        with self.lock:
            self.ws.restore(copy.deepcopy(data))
