"""Which groups a question is answered for, and the order of the rules it matches."""

from __future__ import annotations

from collections.abc import Iterable
from operator import attrgetter

from bot.answering.answers import RuleMatch
from bot.policy.model import EVERYONE
from bot.vocabulary import VERDICTS, strictness

_SCORE = attrgetter("score")
_STRICTNESS = {verdict: strictness(verdict) for verdict in VERDICTS}  # 0, 1, 2


def ranked(found: list[RuleMatch]) -> list[RuleMatch]:
    """Ordered by (strictness, -score, rule order) without a key function called per match:
    `found` is in rule order, and sorting by score is stable (also in reverse), so ties stay
    in rule order; then each verdict's matches in turn, strictest first."""
    found.sort(key=_SCORE, reverse=True)
    by_verdict: tuple[list[RuleMatch], ...] = ([], [], [])
    for m in found:
        by_verdict[_STRICTNESS[m.rule.verdict]].append(m)
    return [m for matches in by_verdict for m in matches]


def groups_of(groups: Iterable[str] | str | None) -> frozenset[str]:
    """The asker's groups, everyone's among them."""
    if groups is None:
        return frozenset({EVERYONE})
    if isinstance(groups, str):  # one group id passed on its own
        groups = (groups,)
    return frozenset(groups) | {EVERYONE}
