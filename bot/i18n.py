"""The message catalogue: every word the bot says, in Dutch and English.

Messages live in `policy_content/messages/*.yml` as `key: {en: "...", nl: "..."}` with
`str.format` placeholders. One file per capability keeps edits apart; the keys form one
catalogue and must be unique across files.

A message that counts something has plural forms instead of a single text, chosen by the
`count` placeholder (Dutch and English both distinguish only one and other):

    asking.more_rules:
      en: {one: "{count} more rule", other: "{count} more rules"}
      nl: {one: "nog {count} regel", other: "nog {count} regels"}
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources
from string import Formatter
from typing import Any

from bot.vocabulary import LANGUAGES

PLURAL_FORMS = ("one", "other")

# One language's text of a message: a plain template, or its plural forms by name.
Text = str | dict[str, str]


class CatalogueError(ValueError):
    pass


def _text(entry: str, key: str, lang: str, raw: Any) -> Text:
    if isinstance(raw, dict):
        if set(raw) != set(PLURAL_FORMS):
            raise CatalogueError(f"{entry}: message {key!r} ({lang}) needs forms one and other")
        return {form: str(raw[form]) for form in PLURAL_FORMS}
    return str(raw)


@lru_cache(maxsize=1)
def catalogue() -> dict[str, dict[str, Text]]:
    # YAML is imported with the first read: a serving process reads the catalogue after its
    # first ack (`runtime.lifecycle`), and nothing before it needs a YAML parser.
    from bot import yaml_safe

    messages: dict[str, dict[str, Text]] = {}
    folder = resources.files("policy_content") / "messages"
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if not entry.name.endswith(".yml"):
            continue
        data = yaml_safe.load(entry.read_text(encoding="utf-8")) or {}
        for key, texts in data.items():
            if key in messages:
                raise CatalogueError(f"{entry.name}: message {key!r} is defined twice")
            if not isinstance(texts, dict) or set(texts) != set(LANGUAGES):
                raise CatalogueError(f"{entry.name}: message {key!r} needs exactly nl and en")
            messages[key] = {lang: _text(entry.name, key, lang, texts[lang]) for lang in LANGUAGES}
    return messages


def placeholders(text: Text) -> set[str]:
    forms = text.values() if isinstance(text, dict) else [text]
    return {name for form in forms for _, name, _, _ in Formatter().parse(form) if name}


def t(lang: str, key: str, **values: Any) -> str:
    """The message `key` in `lang` (falling back to English), filled in with `values`.

    A message with plural forms takes the form for `values["count"]`."""
    texts = catalogue().get(key)
    if texts is None:
        raise KeyError(f"no message {key!r} in the catalogue")
    template = texts.get(lang) or texts["en"]
    if isinstance(template, dict):
        if "count" not in values:
            raise KeyError(f"message {key!r} has plural forms and needs a count")
        template = template["one" if values["count"] == 1 else "other"]
    return template.format(**values) if values else template


@lru_cache(maxsize=256)
def words(key: str) -> tuple[str, ...]:
    """A message that lists words people may type (aliases, in either language, separated by
    commas): every word of both languages, lower case, each once."""
    texts = catalogue().get(key)
    if texts is None:
        raise KeyError(f"no message {key!r} in the catalogue")
    found: list[str] = []
    for lang in LANGUAGES:
        text = texts[lang]
        for word in (text if isinstance(text, str) else "").split(","):
            word = word.strip().lower()
            if word and word not in found:
                found.append(word)
    return tuple(found)
