"""Stable Slack-looking ids for the names typed in the shell.

Ids are derived from the name, not stored, so `@maria` is the same person in every session
and an operator can put `user_id_for("maria")` in POLICYBOT_ADMINS before the first run.
"""

from __future__ import annotations

import base64
import hashlib

LOCALES = {"nl": "nl-NL", "en": "en-US"}


def normalise(name: str) -> str:
    """`@Maria ` → `maria`: names are case-insensitive, as Slack handles are."""
    return name.strip().lstrip("@#").lower()


def _derived(prefix: str, kind: str, name: str) -> str:
    digest = hashlib.sha256(f"{kind}:{normalise(name)}".encode()).digest()
    return prefix + base64.b32encode(digest).decode()[:10]


def user_id_for(name: str) -> str:
    """The user id the shell gives `name`, e.g. `user_id_for("maria")` → `"U…"` (11 chars)."""
    return _derived("U", "user", name)


def channel_id_for(name: str) -> str:
    return _derived("C", "channel", name)


def usergroup_id_for(handle: str) -> str:
    return _derived("S", "usergroup", handle)


def locale_for(language: str) -> str:
    return LOCALES.get(language, "en-US")
