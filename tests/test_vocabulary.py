"""The shared words: verdicts in their order of strictness, and our two languages."""

from __future__ import annotations

import pytest

from bot.vocabulary import (
    DEFAULT_VERDICTS,
    STRICT_VERDICTS,
    VERDICTS,
    Verdict,
    language_of_locale,
    language_or,
    strictness,
)


def test_the_strictest_verdict_comes_first() -> None:
    assert [v.value for v in VERDICTS] == ["forbidden", "review", "allowed"]
    assert sorted(Verdict, key=lambda v: v.strictness) == list(VERDICTS)
    assert strictness("forbidden") < strictness("review") < strictness("allowed")
    assert {Verdict.FORBIDDEN, Verdict.REVIEW} == STRICT_VERDICTS
    assert Verdict.FORBIDDEN not in DEFAULT_VERDICTS  # a default never forbids everything
    with pytest.raises(ValueError):
        strictness("maybe")


def test_verdicts_are_the_words_of_the_file() -> None:
    assert Verdict("review") == "review" and f"{Verdict.REVIEW}" == "review"


@pytest.mark.parametrize(
    ("locale", "expected"),
    [("nl-NL", "nl"), ("nl_BE", "nl"), ("en-GB", "en"), ("de-DE", "en"), (None, "en"), ("", "en")],
)
def test_a_slack_locale_becomes_one_of_our_languages(locale: str | None, expected: str) -> None:
    assert language_of_locale(locale, "en") == expected


def test_anything_else_than_our_languages_falls_back() -> None:
    assert language_or("nl", "en") == "nl"
    assert language_or("fr", "en") == "en"
    assert language_or(None, "nl") == "nl"
