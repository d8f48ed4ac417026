"""The words every capability shares, defined once: verdicts and languages.

A verdict is what the policy says about a post (policy-format.md): `forbidden`, `review` (ask
a role first) or `allowed`. When several rules match, the strictest wins, so the order of
`VERDICTS` is part of the meaning: strictest first. A document's `default` may only say
`allowed` or `review`: "forbidden unless a rule allows it" is not a policy anyone can follow.

The bot speaks Dutch and English; so do the policy file, the catalogue and the settings.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Literal, TypeGuard


class Verdict(StrEnum):
    FORBIDDEN = "forbidden"
    REVIEW = "review"
    ALLOWED = "allowed"

    @property
    def strictness(self) -> int:
        """0 for forbidden, 1 for review, 2 for allowed: lower is stricter."""
        return VERDICTS.index(self)


VERDICTS: tuple[Verdict, ...] = (Verdict.FORBIDDEN, Verdict.REVIEW, Verdict.ALLOWED)
DEFAULT_VERDICTS: tuple[Verdict, ...] = (Verdict.ALLOWED, Verdict.REVIEW)
# An answer with one of these sends the asker to a person (the "Ask ROLE" button).
STRICT_VERDICTS = frozenset({Verdict.FORBIDDEN, Verdict.REVIEW})


_STRICTNESS = {str(v): i for i, v in enumerate(VERDICTS)}  # the engine asks this per match


def strictness(verdict: str) -> int:
    """The strictness of a verdict given as text; ValueError for anything else."""
    try:
        return _STRICTNESS[verdict]
    except (KeyError, TypeError):
        raise ValueError(f"{verdict!r} is not a verdict") from None


Language = Literal["nl", "en"]
LANGUAGES: tuple[Language, ...] = ("nl", "en")


def is_language(value: object) -> TypeGuard[Language]:
    return value in LANGUAGES


def language_or(value: object, fallback: Language) -> Language:
    """`value` when it is one of our languages, else `fallback`."""
    return value if is_language(value) else fallback


def language_of_locale(locale: str | None, fallback: Language) -> Language:
    """A Slack locale to our language: `nl-NL`, `nl_BE` → nl; `en-GB` → en; else `fallback`."""
    if locale:
        prefix = locale.replace("_", "-").split("-")[0].lower()
        if is_language(prefix):
            return prefix
    return fallback
