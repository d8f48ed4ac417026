"""What the bot did since the last input, as lines a person reads in a terminal.

Works from the fake's activity feed (messages, ephemerals, reactions, views), its call log
(only to report calls Slack refused) and the app's warnings. Numbers messages (`[#3]`) so
`\\edit`, `\\delete`, `\\thread` and `\\shortcut` can refer to them, and numbers choices
(`[1]`) so `\\pick` can press them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from runtime.fakeslack import Activity, Call, FakeSlack
from runtime.shell.render_blocks import INDENT, BlockRenderer, Choice, Field, Origin, plain
from runtime.shell.state import ShellState

QUIET_METHODS = {"auth.test"}  # failures here are the app's start-up business, not the user's


@dataclass
class Rendered:
    lines: list[str] = field(default_factory=list)
    choices: list[Choice] = field(default_factory=list)
    fields: list[Field] = field(default_factory=list)


class Transcript:
    def __init__(self, fake: FakeSlack, state: ShellState, me: str) -> None:
        self.fake = fake
        self.state = state
        self.me = me  # the current user's id
        self.renderer = BlockRenderer(self.name_of)
        self.out = Rendered()

    # ---- names and places ----------------------------------------------------------------

    def name_of(self, some_id: str) -> str | None:
        with self.fake.lock:
            if some_id in self.fake.ws.users:
                return self.fake.ws.users[some_id].name
            if some_id in self.fake.ws.usergroups:
                return "@" + self.fake.ws.usergroups[some_id].handle
            channel = self.fake.ws.channels.get(some_id)
            return channel.name if channel and not channel.is_im else None

    def who(self, user_id: str | None) -> str:
        if user_id == self.me:
            return "you"
        return "@" + (self.name_of(user_id or "") or str(user_id))

    def place(self, channel_id: str | None, thread_ts: str | None = None) -> str:
        channel = self.fake.channel(channel_id or "")
        if channel is None:
            where = str(channel_id)
        elif channel.is_im:
            where = "DM" if channel.user == self.me else f"DM with {self.who(channel.user)}"
        else:
            where = f"#{channel.name}"
        if thread_ts and channel_id:
            where += f", thread [#{self.state.number_of(channel_id, thread_ts)}]"
        return where

    # ---- rendering -----------------------------------------------------------------------

    def body(self, data: dict[str, Any], origin: Origin) -> list[str]:
        """A message's (or view's) content, indented; blocks win over the fallback text."""
        blocks = data.get("blocks") or []
        if blocks:
            lines = self.renderer.render(blocks, origin)
        else:
            lines = self.renderer.text(data.get("text", "")).splitlines()
        for file in data.get("files") or []:
            lines.append(
                f"[file: {file.get('name')} “{file.get('title')}”, {file.get('size', 0)} bytes]"
            )
        return [INDENT + line for line in lines] or [INDENT + "(empty)"]

    def add(self, *lines: str) -> None:
        self.out.lines.extend(lines)

    def activity(self, item: Activity, shown_home: bool) -> None:
        kind = item.kind
        if kind == "message":
            self._message(item, "")
        elif kind == "update":
            self._message(item, "edited ")
        elif kind == "ephemeral":
            self._ephemeral(item)
        elif kind == "delete":
            self._deleted(item)
        elif kind in ("reaction_added", "reaction_removed"):
            self._reaction(item)
        elif kind == "home" and not shown_home:
            self.add(
                f"(policybot updated the home tab of {self.who(item.user)}; \\home shows yours)"
            )
        elif kind in ("view_open", "view_push", "view_update"):
            self._view(item)

    def _message(self, item: Activity, edited: str) -> None:
        channel, ts = item.channel or "", item.ts or ""
        number = self.state.number_of(channel, ts)
        thread = item.thread_ts if item.thread_ts != ts else None
        if item.actor != self.fake.bot_user_id:
            if item.actor == self.me:
                self.add(f"(your message is [#{number}]{' now' if edited else ''})")
            else:
                self.add(
                    f"[#{number}] {self.who(item.actor)} {edited}in {self.place(channel)}:",
                    *self.body(item.data, Origin("message", channel, ts, thread)),
                )
            return
        self.add(f"[#{number}] policybot {edited}in {self.place(channel, thread)}:")
        self.add(*self.body(item.data, Origin("message", channel, ts, thread)))

    def _ephemeral(self, item: Activity) -> None:
        audience = "only you" if item.user == self.me else f"only {self.who(item.user)} sees this"
        self.add(f"policybot ({audience}) in {self.place(item.channel, item.thread_ts)}:")
        origin = Origin("ephemeral", item.channel, item.ts, item.thread_ts)
        self.add(*self.body(item.data, origin))

    def _deleted(self, item: Activity) -> None:
        number = self.state.known_number(item.channel or "", item.ts or "")
        what = f"[#{number}]" if number else "a message"
        if item.data.get("ephemeral"):
            what = "a message only you saw" if item.user == self.me else "an ephemeral message"
        actor = "policybot" if item.actor == self.fake.bot_user_id else self.who(item.actor)
        self.add(f"({actor} deleted {what})")

    def _reaction(self, item: Activity) -> None:
        number = self.state.number_of(item.channel or "", item.ts or "")
        owner = "your message" if item.user == self.me else "message"
        verb = "reacted" if item.kind == "reaction_added" else "took back"
        self.add(f"(bot {verb} :{item.data['name']}: to {owner} [#{number}])")

    def _view(self, item: Activity) -> None:
        if item.user not in (self.me, None) and not str(item.user).startswith("trigger:"):
            self.add(f"(a modal opened for {self.who(item.user)})")
            return
        self.modal(
            item.data,
            {"view_open": "", "view_push": "pushed ", "view_update": "updated "}[item.kind],
        )

    def modal(self, view: dict[str, Any], how: str = "") -> None:
        title = plain(view.get("title")) or "modal"
        self.add(f"=== {how}modal: {title} ===")
        self.add(*self.body(view, Origin("view", view=view)))
        submit = plain(view.get("submit"))
        hint = f"\\submit sends “{submit}”, " if submit else ""
        self.add(f"{INDENT}({hint}\\cancel closes)")

    def home(self, view: dict[str, Any] | None) -> None:
        if view is None:
            self.add("(your home tab is empty: the bot published nothing)")
            return
        self.add("=== home tab ===")
        self.add(*self.body(view, Origin("view", view=view)))

    def failed_call(self, call: Call) -> None:
        if call.ok or call.method in QUIET_METHODS:
            return
        reason = call.response.get("error") or f"HTTP {call.status}"
        if call.status in (429, 500, 502, 503):
            reason += " (injected; the client retries)"
        self.add(f"(Slack refused the bot's {call.method}: {reason})")

    def finish(self) -> Rendered:
        self.out.choices = self.renderer.choices
        self.out.fields = self.renderer.fields
        return self.out
