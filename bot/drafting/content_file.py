"""What the bundled content files (`policy_content/`: the drafting template, the standard
rule library and roles) share: texts in both languages, and a reader that checks a file's
shape and names the path of the first bad value, so a typo in the YAML fails at first load
instead of in front of a user."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, ClassVar

from bot.vocabulary import LANGUAGES, Language, language_of_locale


def language(lang: str | None) -> Language:
    """`nl`, `nl-NL`, `nl_BE` → nl; anything else → en.

    Slack hands out locales such as `nl-NL`. Anything not Dutch gets English, as in the
    message catalogue: a colleague whose Slack speaks German more likely reads English.
    """
    return language_of_locale(lang, "en")


@dataclass(frozen=True)
class Localized:
    """One text in Dutch and English."""

    nl: str
    en: str

    def get(self, lang: str | None) -> str:
        """The text in `lang` (see `language()`)."""
        return self.nl if language(lang) == "nl" else self.en


class ContentReader:
    """Checks one content file's parsed YAML; each file's reader raises its own error type."""

    error: ClassVar[type[ValueError]] = ValueError

    def __init__(self, source: str) -> None:
        self.source = source

    def fail(self, path: str, message: str) -> ValueError:
        return self.error(f"{self.source}: {path}: {message}")

    def mapping(self, value: Any, path: str, allowed: set[str]) -> Mapping[str, Any]:
        if not isinstance(value, Mapping):
            raise self.fail(path, f"expected a mapping, got {type(value).__name__}")
        unknown = sorted(set(value) - allowed)
        if unknown:
            raise self.fail(f"{path}.{unknown[0]}", "unknown key")
        return value

    def localized(self, value: Any, path: str) -> Localized:
        value = self.mapping(value, path, set(LANGUAGES))
        texts = {}
        for lang in LANGUAGES:
            text = value.get(lang)
            if not isinstance(text, str) or not text.strip():
                raise self.fail(f"{path}.{lang}", "missing or empty text")
            texts[lang] = text.strip()
        return Localized(**texts)
