"""Texts a regular expression cannot match without: for each alternative of a pattern, sets
of strings of which every match holds one each, so that a text missing them is known, by a
cheap literal test, not to match (the prefilter of the signs of risk, `bot/answering/risk.py`).

Read from the standard library's own parse of the pattern (`sre_parse`), never from its
source text, so it cannot drift from what `re` matches. Any construct this module does not
know (a class such as `\\w`, a look-around, a flag set inside the pattern) counts as "any
text": it only ever makes the answer less useful (fewer sets, or `None`: none found), never
wrong. Where only one set can be kept (one per branch of a `|` inside an alternative), the one
of the rarest strings is: the fewer texts it is found in, the more texts the test rules out.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable, Sequence
from typing import Any

with warnings.catch_warnings():  # the parser's public name is deprecated since 3.11, not gone
    warnings.simplefilter("ignore", DeprecationWarning)
    import sre_parse

# A run of fixed text is kept as every string it can be ("(a|an) (man|woman)": 4 strings) up to
# this many; past it, the run is cut there and goes on as a new one.
_MAX_STRINGS = 256
# Words found in nearly every question: a string of these alone rules out almost nothing.
_COMMON_WORDS = (
    "a an and are as at be by for from had has have he her his i if in is it me my not of on or"
    " our she so that the they this to was we with you your"
    " aan als bij dat de die een er het hij ik in is je m'n met mijn na naar niet of om ons onze"
    " ook op over te uit van voor was we wij ze zij"
)
_COMMON = frozenset(_COMMON_WORDS.split())

Strings = frozenset[str]
# What a piece of pattern is known to match: every string it can match, when that is a short
# list (`exact`, else None), and sets of strings one of which each of its matches holds.
_Known = tuple[Strings | None, list[Strings]]


def necessary_per_alternative(pattern: str) -> list[list[Strings]] | None:
    """For each alternative of `pattern` (its `|`, through groups), the sets of strings it
    cannot match without: a text can only match if, for some alternative, it holds a string
    of each of that alternative's sets. The rarest set of each alternative comes first. None
    when some alternative has no set but of common words ("of the"), which rule out nothing
    alone."""
    parsed = sre_parse.parse(pattern)
    if parsed.state.flags & ~sre_parse.SRE_FLAG_UNICODE:
        return None
    needs = []
    for items in _alternatives(parsed.data):
        exact, candidates = _sequence(items)
        options = [*candidates, *([exact] if exact is not None else [])]
        usable = sorted({o for o in options if o and "" not in o}, key=_rarity, reverse=True)
        if not usable or _rarity(usable[0])[0] == 0:
            return None
        needs.append(usable)
    return needs


def _alternatives(items: list[tuple[Any, Any]]) -> list[list[tuple[Any, Any]]]:
    """The alternatives of a sequence: through zero-width edges (`\\b`), a group without flags,
    and `|`."""
    inner = [(op, value) for op, value in items if op is not sre_parse.AT]
    if len(inner) == 1:
        op, value = inner[0]
        if op is sre_parse.SUBPATTERN and not (value[1] or value[2]):
            return _alternatives(value[3].data)
        if op is sre_parse.BRANCH:
            return [alt for branch in value[1] for alt in _alternatives(branch.data)]
    return [items]


def _sequence(items: Iterable[tuple[Any, Any]]) -> _Known:
    """One piece after another: fixed runs are multiplied out, each cut run is a candidate."""
    candidates: list[Strings] = []
    run: Strings = frozenset({""})
    whole = True  # the sequence is one fixed run throughout
    for op, value in items:
        exact, inner = _piece(op, value)
        candidates += inner
        if exact is not None and len(run) * len(exact) <= _MAX_STRINGS:
            run = frozenset(a + b for a in run for b in exact)
            continue
        whole = False
        if "" not in run:
            candidates.append(run)
        run = exact if exact is not None else frozenset({""})
    if whole:
        return run, candidates
    if "" not in run:
        candidates.append(run)
    return None, candidates


def _piece(op: Any, value: Any) -> _Known:
    if op is sre_parse.LITERAL:
        return frozenset({chr(value)}), []
    if op is sre_parse.AT:  # \b, ^, $: match no text
        return frozenset({""}), []
    if op is sre_parse.IN:
        return _characters(value), []
    if op is sre_parse.SUBPATTERN:
        _group, add_flags, del_flags, items = value
        return _sequence(items.data) if not (add_flags or del_flags) else (None, [])
    if op is sre_parse.BRANCH:
        return _branch([branch.data for branch in value[1]])
    if op in (sre_parse.MAX_REPEAT, sre_parse.MIN_REPEAT):
        low, high, items = value
        exact, inner = _sequence(items.data)
        if low == 0:  # may be left out: only as "this or nothing" is anything known
            return (exact | {""}, []) if high == 1 and exact is not None else (None, [])
        if low == high == 1:
            return exact, inner
        best = _rarest(exact, inner)
        return None, [best] if best else []
    return None, []  # any other construct: any text


def _characters(items: Sequence[tuple[Any, Any]]) -> Strings | None:
    """A class of a few listed characters (`[- ]`) is a fixed run; any other is any text."""
    if len(items) > 8 or any(op is not sre_parse.LITERAL for op, _value in items):
        return None
    return frozenset(chr(value) for _op, value in items)


def _branch(branches: Sequence[Sequence[tuple[Any, Any]]]) -> _Known:
    known = [_sequence(items) for items in branches]
    exacts = [exact for exact, _inner in known]
    if all(exact is not None for exact in exacts):
        every = frozenset().union(*(exact for exact in exacts if exact is not None))
        if len(every) <= _MAX_STRINGS:
            return every, []
    # Each branch must give its own set; one that cannot makes the whole branch any text.
    picks = [_rarest(exact, inner) for exact, inner in known]
    if any(pick is None for pick in picks):
        return None, []
    return None, [frozenset().union(*(pick for pick in picks if pick))]


def _rarest(exact: Strings | None, candidates: list[Strings]) -> Strings | None:
    options = [*candidates, *([exact] if exact is not None else [])]
    usable = [option for option in options if option and "" not in option]
    return max(usable, key=_rarity) if usable else None


def _rarity(option: Strings) -> tuple[int, int]:
    """Rarer first: the shortest string's length (of words not all common, up to 8), then
    fewer strings."""

    def weight(text: str) -> int:
        words = text.split()
        return 0 if all(word in _COMMON for word in words) else min(len(text.strip()), 8)

    return min(map(weight, option)), -len(option)
