"""One shell session: who you are, where you are, and turning what you type into what Slack
would send the app. Backslash commands live in `commands.py`; this module has the pieces
they share (sending, showing, looking things up)."""

from __future__ import annotations

import re
import sys
import uuid
from collections.abc import Callable
from typing import Any, TextIO

from runtime.fakeslack import Activity, Message, inbound
from runtime.fakeslack.methods import SlackError
from runtime.shell import state as saved_state
from runtime.shell.compose import Directory, escape, to_slack
from runtime.shell.errors import ShellError
from runtime.shell.harness import Harness, LogCollector, response_json
from runtime.shell.identity import locale_for, normalise, user_id_for, usergroup_id_for
from runtime.shell.manifest import read_manifest
from runtime.shell.render_blocks import Choice, Origin
from runtime.shell.state import ShellState
from runtime.shell.transcript import Transcript

NAME = re.compile(r"^[a-z0-9][a-z0-9._-]{0,79}$")
BOT_NAME = "policybot"
COMMAND = "/policy"


class LineSource:
    """Input lines; a line can be given back, so `\\submit` can stop at the next command."""

    def __init__(self, stream: TextIO, interactive: bool, out: TextIO) -> None:
        self.stream, self.interactive, self.out = stream, interactive, out
        self._back: list[str] = []

    def read(self, prompt: str = "") -> str | None:
        if self._back:
            return self._back.pop()
        if self.interactive and self.stream is sys.stdin and self.out is sys.stdout:
            try:  # input() gives line editing and history (readline) at a terminal
                return input(prompt)
            except EOFError:
                return None
        if self.interactive:
            self.out.write(prompt)
            self.out.flush()
        line = self.stream.readline()
        return line.rstrip("\r\n") if line else None

    def give_back(self, line: str) -> None:
        self._back.append(line)


class Session:
    def __init__(self, harness: Harness, logs: LogCollector, lines: LineSource, out: TextIO):
        self.harness, self.fake, self.logs = harness, harness.fake, logs
        self.lines, self.out = lines, out
        self.manifest = read_manifest()
        self.path = saved_state.state_path(harness.settings.database_url)
        saved = saved_state.load(self.path)
        self.restored = bool(saved)
        self.fake.restore(saved.get("workspace", {}))
        language = harness.settings.language
        self.state = (
            ShellState.from_json(saved["shell"], language)
            if saved.get("shell")
            else ShellState(language=language)
        )
        if self.state.channel and self.fake.channel(self.state.channel) is None:
            self.state.channel, self.state.thread_ts = None, None
        self.choices: list[Choice] = []
        self.activity_cursor = self.fake.activity_count
        self.call_cursor = len(self.fake.calls)
        self.ensure_user(self.state.user_name)
        self.directory = Directory(self.ensure_user, self.usergroup_id, self.channel_id)

    # ---- identity and place --------------------------------------------------------------

    @property
    def me(self) -> str:
        return user_id_for(self.state.user_name)

    @property
    def interactive(self) -> bool:
        return self.lines.interactive

    def ensure_user(self, name: str) -> str:
        """The id for `name`, registering the person (in the current language) the first time."""
        name = normalise(name)
        if name == BOT_NAME:
            return self.fake.bot_user_id
        if not NAME.match(name):
            raise ShellError(f"{name!r} is not a name: use letters, digits, . _ or -")
        user_id = user_id_for(name)
        if self.fake.user(user_id) is None:
            self.fake.add_user(user_id, name, locale_for(self.state.language))
        return user_id

    def usergroup_id(self, handle: str) -> str | None:
        group_id = usergroup_id_for(handle)
        with self.fake.lock:
            return group_id if group_id in self.fake.ws.usergroups else None

    def channel_id(self, name: str) -> str | None:
        channel = self.fake.channel("#" + normalise(name))
        return channel.id if channel else None

    def here(self) -> str:
        return self.state.channel or self.fake.im_for(self.me)

    def is_dm(self, channel_id: str) -> bool:
        channel = self.fake.channel(channel_id)
        return bool(channel and channel.is_im)

    def place_name(self, channel_id: str | None = None) -> str:
        channel = self.fake.channel(channel_id or self.here())
        return "DM" if channel is None or channel.is_im else f"#{channel.name}"

    def prompt(self) -> str:
        thread = "/thread" if self.state.thread_ts else ""
        return f"{self.state.user_name}@{self.place_name()}{thread}> "

    def user_ref(self) -> dict[str, str]:
        return inbound.user_ref(self.me, self.state.user_name)

    def channel_ref(self, channel_id: str) -> dict[str, str]:
        channel = self.fake.channel(channel_id)
        name = "directmessage" if channel is None or channel.is_im else channel.name
        return {"id": channel_id, "name": name}

    def numbered_message(self, number: int) -> Message:
        found = self.state.message_at(number)
        message = self.fake.message(*found) if found else None
        if message is None:
            raise ShellError(f"there is no message [#{number}] (any more)")
        return message

    # ---- output --------------------------------------------------------------------------

    def print(self, *lines: str) -> None:
        for line in lines:
            self.out.write(line + "\n")
        self.out.flush()

    def transcript(self) -> Transcript:
        return Transcript(self.fake, self.state, self.me)

    def show(
        self,
        before: Callable[[Transcript], None] | None = None,
        after: Callable[[Transcript], None] | None = None,
        *,
        home: bool = False,
    ) -> None:
        """Print what happened since the last time: the bot's messages, modals, reactions,
        refused calls and errors. Choices shown become what `\\pick` presses."""
        transcript = self.transcript()
        if before:
            before(transcript)
        for item in self.fake.activity_since(self.activity_cursor):
            transcript.activity(item, shown_home=home)
        self.activity_cursor = self.fake.activity_count
        for call in self.fake.calls_since(self.call_cursor):
            transcript.failed_call(call)
        self.call_cursor = len(self.fake.calls)
        for line in self.logs.take():
            transcript.add(f"! bot: {line}")
        if after:
            after(transcript)
        if self.harness.still_busy:
            transcript.add(
                "(the bot is still working; what it does next shows after your next input)"
            )
        rendered = transcript.finish()
        self.print(*rendered.lines)
        if rendered.choices:
            self.choices = rendered.choices

    def save(self) -> None:
        saved_state.save(self.path, self.fake.snapshot(), self.state)

    # ---- what people type ----------------------------------------------------------------

    def slash_command(self, line: str) -> None:
        command, _, text = line.strip().partition(" ")
        if command != COMMAND:
            raise ShellError(f"{command} is not a valid command (the app has {COMMAND})")
        channel = self.here()
        typed = text.strip()
        encoded = (
            to_slack(typed, self.directory, labelled=True)
            if self.manifest.escape_command_text
            else escape(typed)
        )
        key = uuid.uuid4().hex
        form = inbound.slash_command(
            command,
            encoded,
            self.me,
            self.state.user_name,
            channel,
            self.channel_ref(channel)["name"],
            self.fake.issue_trigger(self.me),
            self.fake.response_url_for(key, user=self.me, channel=channel),
        )
        response = self.harness.command(form)
        answer = response_json(response)
        if response.status >= 400:
            self.print(
                f"(Slack would tell you: {command} failed with the error "
                f'"dispatch_failed"; the app answered HTTP {response.status})'
            )
        elif answer and (answer.get("text") or answer.get("blocks")):
            try:
                self.fake.deliver_ack(self.me, channel, answer)
            except SlackError as refused:
                self.print(f"(Slack refused the app's answer: {refused.error})")
        self.show()

    def say(self, text: str) -> None:
        """A message from you, here: a DM, a channel message (mentions → app_mention) or a
        thread reply, delivered as the events the app subscribes to."""
        channel, thread_ts = self.here(), self.state.thread_ts
        encoded = to_slack(text, self.directory)
        ts = self.fake.post_user_message(self.me, channel, encoded, thread_ts)
        events = []
        if self.is_dm(channel):
            if self.manifest.subscribed("message.im"):
                events.append(inbound.message_event(self.me, channel, encoded, ts, "im", thread_ts))
        else:
            if f"<@{self.fake.bot_user_id}>" in encoded and self.manifest.subscribed("app_mention"):
                events.append(
                    inbound.message_event(
                        self.me, channel, encoded, ts, "channel", thread_ts, kind="app_mention"
                    )
                )
            if self.manifest.subscribed("message.channels"):
                events.append(
                    inbound.message_event(self.me, channel, encoded, ts, "channel", thread_ts)
                )
        for event in events:
            self.harness.event(inbound.event_callback(event))
        self.show()

    def message_event_allowed(self, channel: str) -> bool:
        wanted = "message.im" if self.is_dm(channel) else "message.channels"
        return self.manifest.subscribed(wanted)

    def channel_type(self, channel: str) -> str:
        return "im" if self.is_dm(channel) else "channel"

    def interact(self, payload: dict[str, Any]) -> dict[str, Any] | None:
        """Send an interactivity payload; the app's answer (view_submission) if it gave one."""
        return response_json(self.harness.interaction(payload))

    def replay(self, messages: list[Message]) -> None:
        """Show stored messages again (entering a thread, after a restart)."""

        def render(transcript: Transcript) -> None:
            for message in messages:
                data = message.to_api()
                actor = message.user
                if actor == self.me:  # shown in full: you may not remember what you wrote
                    number = self.state.number_of(message.channel, message.ts)
                    transcript.add(f"[#{number}] you:")
                    transcript.add(*transcript.body(data, _origin(message)))
                    continue
                transcript.activity(
                    Activity(
                        "message", actor, message.channel, message.ts, message.thread_ts, data=data
                    ),
                    shown_home=False,
                )

        self.show(before=render)


def _origin(message: Message) -> Origin:
    thread = message.thread_ts if message.thread_ts != message.ts else None
    return Origin("message", message.channel, message.ts, thread)
