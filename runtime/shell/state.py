"""Who you are and where, message numbers, and the file that keeps them across restarts.

The bot keeps its own state in the database. What Slack would remember (people, channels,
the messages a drafting thread consists of) lives in the fake, which is gone when the shell
exits; so the fake's workspace and the shell's place are saved as JSON next to the SQLite
file (`policybot.db` → `policybot-shell.json`) after every input, and loaded at start.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy.engine import make_url

DEFAULT_NAME = "you"
FORMAT = 1


@dataclass
class ShellState:
    user_name: str = DEFAULT_NAME
    language: str = "nl"  # of people the shell registers from now on
    channel: str | None = None  # None: the DM with the bot
    thread_ts: str | None = None
    numbered: list[tuple[str, str]] = field(default_factory=list)  # [n-1] = (channel, ts)

    def number_of(self, channel: str, ts: str) -> int:
        """The message's number, given the first time it is shown."""
        key = (channel, ts)
        if key not in self.numbered:
            self.numbered.append(key)
        return self.numbered.index(key) + 1

    def known_number(self, channel: str, ts: str) -> int | None:
        key = (channel, ts)
        return self.numbered.index(key) + 1 if key in self.numbered else None

    def message_at(self, number: int) -> tuple[str, str] | None:
        return self.numbered[number - 1] if 1 <= number <= len(self.numbered) else None

    def to_json(self) -> dict[str, Any]:
        return {
            "user_name": self.user_name,
            "language": self.language,
            "channel": self.channel,
            "thread_ts": self.thread_ts,
            "numbered": [list(pair) for pair in self.numbered],
        }

    @classmethod
    def from_json(cls, data: dict[str, Any], language: str) -> ShellState:
        return cls(
            user_name=str(data.get("user_name") or DEFAULT_NAME),
            language=str(data.get("language") or language),
            channel=data.get("channel"),
            thread_ts=data.get("thread_ts"),
            numbered=[(str(c), str(t)) for c, t in data.get("numbered", [])],
        )


def state_path(database_url: str) -> Path | None:
    """Next to a SQLite file; in the working directory for a server database; none in memory."""
    url = make_url(database_url)
    if url.get_backend_name() != "sqlite":
        return Path.cwd() / "policybot-shell.json"
    if not url.database or url.database == ":memory:" or url.database.startswith("file:"):
        return None
    database = Path(url.database)
    return database.with_name(database.stem + "-shell.json")


def load(path: Path | None) -> dict[str, Any]:
    if path is None or not path.is_file():
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}  # a damaged file costs the shell's memory, never the bot's data
    return data if isinstance(data, dict) and data.get("format") == FORMAT else {}


def save(path: Path | None, workspace: dict[str, Any], state: ShellState) -> None:
    if path is None:
        return
    data = {"format": FORMAT, "workspace": workspace, "shell": state.to_json()}
    temporary = path.with_name(path.name + ".tmp")
    temporary.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
    os.replace(temporary, path)  # atomic: a crash never leaves half a file
