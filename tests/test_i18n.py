"""The catalogue: plural forms are chosen by the count, in both languages."""

from __future__ import annotations

import pytest

from bot.i18n import t


@pytest.mark.parametrize(
    ("lang", "count", "expected"),
    [
        ("en", 1, "…and 1 more rule."),
        ("en", 3, "…and 3 more rules."),
        ("nl", 1, "…en nog 1 regel."),
        ("nl", 0, "…en nog 0 regels."),
    ],
)
def test_plural_form_follows_the_count(lang: str, count: int, expected: str) -> None:
    assert t(lang, "asking.more_rules", count=count) == expected


def test_a_plural_message_without_a_count_is_a_programming_error() -> None:
    with pytest.raises(KeyError):
        t("en", "asking.more_rules")
