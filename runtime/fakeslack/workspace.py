"""The fake workspace's state: people, channels, messages, views, files.

Plain dataclasses guarded by one lock (held by the caller, see `FakeSlack.lock`). Everything
can be turned into JSON (`snapshot`) and back (`restore`), which is how the shell keeps a
conversation across restarts.
"""

from __future__ import annotations

import copy
import secrets
import time
from dataclasses import asdict, dataclass, field
from typing import Any

TEAM_ID = "T0FAKETEAM"
TEAM_DOMAIN = "example"
BOT_USER_ID = "U0POLICYBOT"
BOT_ID = "B0POLICYBOT"
APP_ID = "A0POLICYBOT"
BOT_NAME = "policybot"


def new_id(prefix: str) -> str:
    """A Slack-looking id (`F…`, `V…`, `S…`): upper-case letters and digits."""
    return prefix + secrets.token_hex(5).upper()


@dataclass
class User:
    id: str
    name: str
    locale: str = "en-US"
    is_bot: bool = False
    real_name: str = ""
    phone: str = ""  # the profile's phone and e-mail, as people fill them in
    email: str = ""
    deleted: bool = False  # deactivated: still listed by users.list, as Slack does

    def to_api(self, include_locale: bool = False) -> dict[str, Any]:
        shown = self.real_name or self.name
        user: dict[str, Any] = {
            "id": self.id,
            "team_id": TEAM_ID,
            "name": self.name,
            "real_name": shown,
            "deleted": self.deleted,
            "is_bot": self.is_bot,
            "is_admin": False,
            "tz": "Europe/Amsterdam",
            "profile": {
                "display_name": self.name,
                "real_name": shown,
                "team": TEAM_ID,
                "phone": self.phone,
                "email": self.email,
            },
        }
        if self.is_bot:
            user["profile"]["bot_id"] = BOT_ID
        if include_locale:
            user["locale"] = self.locale
        return user


@dataclass
class Channel:
    id: str
    name: str
    is_im: bool = False
    user: str | None = None  # the other person in a DM
    members: list[str] = field(default_factory=list)
    is_private: bool = False  # a private channel: only its members may read it

    def to_api(self) -> dict[str, Any]:
        if self.is_im:
            return {"id": self.id, "is_im": True, "user": self.user, "created": 1700000000}
        return {
            "id": self.id,
            "name": self.name,
            "is_channel": True,
            "is_im": False,
            "is_private": self.is_private,
            "is_member": True,
            "created": 1700000000,
            "num_members": len(self.members),
        }


@dataclass
class Message:
    channel: str
    ts: str
    user: str
    text: str = ""
    blocks: list[dict[str, Any]] = field(default_factory=list)
    thread_ts: str | None = None
    bot_id: str | None = None
    edited: dict[str, str] | None = None
    files: list[dict[str, Any]] = field(default_factory=list)
    metadata: dict[str, Any] | None = None  # chat.postMessage's; shown on include_all_metadata

    @property
    def is_reply(self) -> bool:
        return self.thread_ts is not None and self.thread_ts != self.ts

    def to_api(self) -> dict[str, Any]:
        message: dict[str, Any] = {
            "type": "message",
            "user": self.user,
            "text": self.text,
            "ts": self.ts,
            "team": TEAM_ID,
        }
        if self.blocks:
            message["blocks"] = copy.deepcopy(self.blocks)
        if self.bot_id:
            message["bot_id"], message["app_id"] = self.bot_id, APP_ID
        if self.thread_ts:
            message["thread_ts"] = self.thread_ts
        if self.edited:
            message["edited"] = dict(self.edited)
        if self.files:
            message["files"] = copy.deepcopy(self.files)
        return message


@dataclass
class Ephemeral:
    """A message only `user` sees: from `chat.postEphemeral` or a `response_url`."""

    channel: str
    user: str | None
    ts: str
    text: str = ""
    blocks: list[dict[str, Any]] = field(default_factory=list)
    thread_ts: str | None = None
    source: str = "chat.postEphemeral"


@dataclass
class UploadedFile:
    id: str
    filename: str
    length: int
    title: str = ""
    content: bytes | None = None  # None until the upload POST arrives
    channel: str | None = None
    initial_comment: str | None = None
    thread_ts: str | None = None
    shared: bool = False

    def to_api(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.filename,
            "title": self.title or self.filename,
            "size": len(self.content or b""),
            "user": BOT_USER_ID,
            "channels": [self.channel] if self.channel else [],
            "permalink": f"https://{TEAM_DOMAIN}.slack.com/files/{BOT_USER_ID}/{self.id}",
        }


@dataclass
class UserGroup:
    id: str
    handle: str
    users: list[str] = field(default_factory=list)

    def to_api(self, include_users: bool = False) -> dict[str, Any]:
        group: dict[str, Any] = {
            "id": self.id,
            "team_id": TEAM_ID,
            "handle": self.handle,
            "name": self.handle,
            "user_count": len(self.users),
        }
        if include_users:
            group["users"] = list(self.users)
        return group


class TsClock:
    """Message timestamps as Slack writes them: "1700000000.000100", increasing and unique."""

    def __init__(self) -> None:
        self._last = 0

    def next(self) -> str:
        self._last = max(int(time.time() * 1_000_000), self._last + 1)
        return f"{self._last // 1_000_000}.{self._last % 1_000_000:06d}"

    def seen(self, ts: str) -> None:
        """Never hand out a ts at or before one already used (restored, or typed by a test)."""
        seconds, _, micros = ts.partition(".")
        if seconds.isdigit() and micros.isdigit():
            self._last = max(self._last, int(seconds) * 1_000_000 + int(micros))


@dataclass
class Workspace:
    users: dict[str, User] = field(default_factory=dict)
    channels: dict[str, Channel] = field(default_factory=dict)
    messages: dict[str, list[Message]] = field(default_factory=dict)  # by channel, ts order
    ephemerals: list[Ephemeral] = field(default_factory=list)
    reactions: dict[tuple[str, str], dict[str, list[str]]] = field(default_factory=dict)
    usergroups: dict[str, UserGroup] = field(default_factory=dict)
    home_views: dict[str, dict[str, Any]] = field(default_factory=dict)
    views: dict[str, dict[str, Any]] = field(default_factory=dict)  # open modals by view id
    view_stacks: dict[str, list[str]] = field(default_factory=dict)  # user -> modal ids
    triggers: dict[str, str] = field(default_factory=dict)  # trigger_id -> user
    files: dict[str, UploadedFile] = field(default_factory=dict)
    # AI assistant threads, by (DM, thread ts): their status, suggested prompts and title
    assistant_threads: dict[tuple[str, str], dict[str, Any]] = field(default_factory=dict)
    clock: TsClock = field(default_factory=TsClock)

    def __post_init__(self) -> None:
        self.users.setdefault(BOT_USER_ID, User(BOT_USER_ID, BOT_NAME, is_bot=True))

    # ---- lookups -------------------------------------------------------------------------

    def resolve_channel(self, given: str) -> Channel | None:
        """A channel by id, by `#name`, or a user id (posting to a user means their DM)."""
        if given in self.channels:
            return self.channels[given]
        if given in self.users and not self.users[given].is_bot:
            return self.im_with(given)
        name = given.lstrip("#")
        return next((c for c in self.channels.values() if c.name == name and not c.is_im), None)

    def im_with(self, user_id: str) -> Channel:
        """The bot's DM with `user_id`; the id is derived from the user's so it is stable."""
        channel_id = "D" + user_id[1:]
        if channel_id not in self.channels:
            self.channels[channel_id] = Channel(channel_id, "", is_im=True, user=user_id)
            self.messages.setdefault(channel_id, [])
        return self.channels[channel_id]

    def find_message(self, channel: str, ts: str) -> Message | None:
        return next((m for m in self.messages.get(channel, []) if m.ts == ts), None)

    def replies_to(self, channel: str, parent_ts: str) -> list[Message]:
        return [m for m in self.messages.get(channel, []) if m.thread_ts == parent_ts]

    def add_message(self, message: Message) -> Message:
        self.clock.seen(message.ts)
        if message.thread_ts:
            parent = self.find_message(message.channel, message.thread_ts)
            if parent is None:  # like Slack: an unknown thread_ts posts to the channel
                message.thread_ts = None
            else:  # a reply to a reply joins the parent's thread
                message.thread_ts = parent.thread_ts or parent.ts
                parent.thread_ts = parent.thread_ts or parent.ts
        self.messages.setdefault(message.channel, []).append(message)
        return message

    def message_api(self, message: Message, metadata: bool = False) -> dict[str, Any]:
        """A message as conversations.* return it: parents carry reply counts; its metadata
        when asked (`include_all_metadata`)."""
        data = message.to_api()
        if metadata and message.metadata is not None:
            data["metadata"] = copy.deepcopy(message.metadata)
        if message.thread_ts == message.ts:
            replies = [r for r in self.replies_to(message.channel, message.ts) if r.is_reply]
            data["reply_count"] = len(replies)
            data["reply_users"] = sorted({r.user for r in replies})
            if replies:
                data["latest_reply"] = replies[-1].ts
        return data

    # ---- persistence ---------------------------------------------------------------------

    def snapshot(self) -> dict[str, Any]:
        """The durable part as JSON-able data; open modals and file bytes are left out."""
        return {
            "users": [asdict(u) for u in self.users.values()],
            "channels": [asdict(c) for c in self.channels.values()],
            "messages": [asdict(m) for ms in self.messages.values() for m in ms],
            "reactions": [
                {"channel": ch, "ts": ts, "names": names}
                for (ch, ts), names in self.reactions.items()
            ],
            "usergroups": [asdict(g) for g in self.usergroups.values()],
            "home_views": self.home_views,
        }

    def restore(self, data: dict[str, Any]) -> None:
        for user in data.get("users", []):
            self.users[user["id"]] = User(**user)
        for channel in data.get("channels", []):
            self.channels[channel["id"]] = Channel(**channel)
            self.messages.setdefault(channel["id"], [])
        for message in data.get("messages", []):
            restored = Message(**message)
            self.messages.setdefault(restored.channel, []).append(restored)
            self.clock.seen(restored.ts)
        for reaction in data.get("reactions", []):
            self.reactions[(reaction["channel"], reaction["ts"])] = reaction["names"]
        for group in data.get("usergroups", []):
            self.usergroups[group["id"]] = UserGroup(**group)
        self.home_views.update(data.get("home_views", {}))
