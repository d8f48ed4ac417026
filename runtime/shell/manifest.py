"""What the app manifest promises Slack will send, so the shell sends exactly that.

Slack only delivers events the app subscribes to, names a message shortcut by the callback
id the manifest declares, and rewrites `@name` in slash-command text only when the command
has `should_escape`. Without a manifest the shell assumes what the bot is documented to use.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from bot import yaml_safe

DEFAULT_SHORTCUT = "check_against_policy"
DEFAULT_EVENTS = frozenset(
    {"app_home_opened", "app_mention", "message.im", "message.channels", "message.groups"}
)
REPO_ROOT = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class ManifestFacts:
    message_shortcut: str = DEFAULT_SHORTCUT
    bot_events: frozenset[str] = DEFAULT_EVENTS
    escape_command_text: bool = True
    source: str = "defaults (no manifest.yml found)"

    def subscribed(self, event: str) -> bool:
        return event in self.bot_events


def find_manifest() -> Path | None:
    for folder in (Path.cwd(), REPO_ROOT):
        if (folder / "manifest.yml").is_file():
            return folder / "manifest.yml"
    return None


def read_manifest(path: Path | None = None) -> ManifestFacts:
    path = path or find_manifest()
    if path is None:
        return ManifestFacts()
    try:
        data: dict[str, Any] = yaml_safe.load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError):
        return ManifestFacts(source=f"defaults ({path} is unreadable)")
    features = data.get("features") or {}
    shortcuts = [s for s in features.get("shortcuts") or [] if s.get("type") == "message"]
    commands = [c for c in features.get("slash_commands") or [] if c.get("command") == "/policy"]
    events = ((data.get("settings") or {}).get("event_subscriptions") or {}).get("bot_events")
    return ManifestFacts(
        message_shortcut=shortcuts[0]["callback_id"] if shortcuts else DEFAULT_SHORTCUT,
        bot_events=frozenset(events) if events else DEFAULT_EVENTS,
        escape_command_text=bool(commands[0].get("should_escape", False)) if commands else True,
        source=str(path),
    )
