"""The message catalogue: every word the bot says, in Dutch and English.

Messages live in `policy_content/messages/*.yml` as `key: {en: "...", nl: "..."}` with
`str.format` placeholders. One file per capability keeps edits apart; the keys form one
catalogue and must be unique across files.
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources
from string import Formatter
from typing import Any

import yaml

LANGUAGES = ("nl", "en")


class CatalogueError(ValueError):
    pass


@lru_cache(maxsize=1)
def catalogue() -> dict[str, dict[str, str]]:
    messages: dict[str, dict[str, str]] = {}
    folder = resources.files("policy_content") / "messages"
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if not entry.name.endswith(".yml"):
            continue
        data = yaml.safe_load(entry.read_text(encoding="utf-8")) or {}
        for key, texts in data.items():
            if key in messages:
                raise CatalogueError(f"{entry.name}: message {key!r} is defined twice")
            if not isinstance(texts, dict) or set(texts) != set(LANGUAGES):
                raise CatalogueError(f"{entry.name}: message {key!r} needs exactly nl and en")
            messages[key] = {lang: str(texts[lang]) for lang in LANGUAGES}
    return messages


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in Formatter().parse(text) if name}


def t(lang: str, key: str, **values: Any) -> str:
    """The message `key` in `lang` (falling back to English), filled in with `values`."""
    texts = catalogue().get(key)
    if texts is None:
        raise KeyError(f"no message {key!r} in the catalogue")
    template = texts.get(lang) or texts["en"]
    return template.format(**values) if values else template


def normalise_language(locale: str | None, fallback: str) -> str:
    """`nl-NL`, `nl_BE` → nl; `en-GB` → en; anything else → the fallback."""
    if locale:
        prefix = locale.replace("_", "-").split("-")[0].lower()
        if prefix in LANGUAGES:
            return prefix
    return fallback
