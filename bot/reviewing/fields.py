"""Values as the lead types them into a form, made into the policy file's values."""

from __future__ import annotations

import re
from typing import Any

from bot.policy.model import FormatIssue


def split_list(text: str | None) -> list[str]:
    """Words or phrases typed one per line or separated by commas, trimmed, without repeats."""
    items: list[str] = []
    for piece in re.split(r"[\n,;]", text or ""):
        item = piece.strip().strip("•-*").strip()
        if item and item not in items:
            items.append(item)
    return items


def split_lines(text: str | None) -> list[str]:
    """One item per line (patterns may contain commas, so only newlines split them)."""
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def field_of(issue: FormatIssue) -> str:
    """The field an issue is about: `rules[3].verdict` → `verdict`; `keywords[2]` → `keywords`."""
    last = issue.path.rsplit(".", 1)[-1]
    return last.split("[", 1)[0]


def without_empty(data: dict[str, Any]) -> dict[str, Any]:
    """Drop empty optional fields, as the policy file leaves them out."""
    kept: dict[str, Any] = {}
    for key, value in data.items():
        if isinstance(value, str):
            value = value.strip()
        if value in (None, "", [], ()):
            continue
        kept[key] = list(value) if isinstance(value, tuple) else value
    return kept
