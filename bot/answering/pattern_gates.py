"""What a regular expression needs of a text before it can match, so that a text which lacks
it skips the pattern: exactly the matches it would have had (none), without the search.

A question runs every concept pattern of the lexicon and every rule's `patterns` (issue 13:
the regular-expression engine was the largest piece of a DM's instructions after the
interpreter), and most of them cannot match most questions: they need a digit (an amount,
a plate), or one word of a few ("honderd", "password"). `gate_of` reads what a pattern
needs from its parsed form:

- a decimal digit (`\\d`, `[0-9]`, a digit written out) that every match consumes or looks
  ahead or behind at; a text without one (`str.isdecimal`, which is what `\\d` matches for a
  text pattern) cannot match;
- strings of which every match contains one (a run of literal characters, a set of
  characters, one literal run from each branch of an alternation); a text holding none of
  them cannot match. Case-insensitive patterns are tested only on an ASCII text, lower-cased,
  and only with ASCII strings: there `re.IGNORECASE` is plain lower-casing (the Kelvin sign
  that matches `k`, the long s that matches `s`, are not ASCII). A non-ASCII text runs the
  pattern.

The parsed form is the standard library's (`re._parser`, a private module): a pattern it
cannot read, or an item this reading does not know, asks for nothing (the pattern runs), so
a future parser can only make gates rarer, never wrong; `tests/test_pattern_gates.py` guards
the reading and compares gated and ungated matches on random texts.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

_c: Any
_p: Any
try:  # the standard library's parser of patterns: private, so read with care (above)
    _c = importlib.import_module("re._constants")
    _p = importlib.import_module("re._parser")
except ImportError:  # pragma: no cover - another Python's layout: no gates at all
    _p = _c = None

_DIGIT = re.compile(r"\d")
_ASCII_DIGITS = range(ord("0"), ord("9") + 1)


@dataclass(frozen=True)
class Gate:
    """What a text needs for the pattern to match: a digit, and one of each set of strings."""

    digit: bool = False
    needs: tuple[tuple[str, ...], ...] = ()
    ignore_case: bool = False

    @property
    def opens_always(self) -> bool:
        return not self.digit and not self.needs

    def may_match(self, text: TextFacts) -> bool:
        """False only where the pattern cannot match `text`."""
        if self.digit and not text.digit:
            return False
        if not self.needs:
            return True
        if self.ignore_case:
            if text.lowered is None:
                return True  # not ASCII: case-insensitive matching is more than lower()
            hay = text.lowered
        else:
            hay = text.text
        return all(any(map(hay.__contains__, strings)) for strings in self.needs)


OPEN = Gate()


class TextFacts:
    """What the gates ask of one text, worked out once for all of them."""

    __slots__ = ("text", "digit", "lowered")

    def __init__(self, text: str, lowered: str | None = None) -> None:
        """`lowered`: `text.lower()` if the caller has it (only read for an ASCII text)."""
        self.text = text
        self.digit = _DIGIT.search(text) is not None
        ascii_text = text.isascii()
        self.lowered = (lowered if lowered is not None else text.lower()) if ascii_text else None


class GatedPatterns:
    """Patterns by their source, each run only on a text its gate lets through."""

    def __init__(self, patterns: dict[str, re.Pattern[str]]) -> None:
        self._gated = tuple((source, p, gate_of(p)) for source, p in patterns.items())

    def spans(self, text: str, facts: TextFacts, most: int) -> dict[str, list[tuple[int, int]]]:
        """Per pattern that matched, the spans of its first `most` matches (empty ones left
        out), in the patterns' order."""
        found: dict[str, list[tuple[int, int]]] = {}
        for source, pattern, gate in self._gated:
            if not gate.may_match(facts):
                continue
            matched = [
                (m.start(), m.end())
                for _, m in zip(range(most), pattern.finditer(text), strict=False)
                if m.end() > m.start()
            ]
            if matched:
                found[source] = matched
        return found


def gate_of(pattern: re.Pattern[str]) -> Gate:
    """What `pattern` needs of a text (`OPEN`: nothing known, it always runs)."""
    if _p is None or not isinstance(pattern.pattern, str):
        return OPEN
    flags = pattern.flags
    if flags & (re.VERBOSE | re.LOCALE):  # read as written: not worth a second reading
        return OPEN
    try:
        parsed = _p.parse(pattern.pattern, flags)
        items = list(parsed)
        digit = _needs_digit(items)
        needs = _needed_strings(items)
    except Exception:  # noqa: BLE001 - a parser this reading does not know: no gate
        return OPEN
    ignore_case = bool(parsed.state.flags & re.IGNORECASE)
    if ignore_case:  # only ASCII strings are exact as lower-cased ASCII text (above)
        needs = [s for s in needs if all(x.isascii() for x in s)]
        needs = [tuple(x.lower() for x in s) for s in needs]
    # The most selective first and the few kept: each costs a look at the text.
    needs.sort(key=lambda s: -min(len(x) for x in s))
    return Gate(digit, tuple(tuple(s) for s in needs[:2]), ignore_case)


# -- reading the parsed pattern ---------------------------------------------------------------
def _is_digit_set(items: Sequence[Any]) -> bool:
    """A character set (`IN`'s items) of decimal digits only."""
    if not items:
        return False
    for op, av in items:
        if op is _c.CATEGORY and av is _c.CATEGORY_DIGIT:
            continue
        if op is _c.LITERAL and av in _ASCII_DIGITS:
            continue
        if op is _c.RANGE and av[0] in _ASCII_DIGITS and av[1] in _ASCII_DIGITS:
            continue
        return False
    return True


def _needs_digit(items: Sequence[Any]) -> bool:
    """Every match of the sequence `items` sees a decimal digit of the text."""
    return any(_item_needs_digit(op, av) for op, av in items)


def _item_needs_digit(op: Any, av: Any) -> bool:
    if op is _c.LITERAL:
        return av in _ASCII_DIGITS
    if op is _c.IN:
        return _is_digit_set(av)
    if op in (_c.MAX_REPEAT, _c.MIN_REPEAT, _POSSESSIVE):
        low, _high, sub = av
        return low >= 1 and _needs_digit(sub)
    if op is _c.SUBPATTERN:
        _group, _add, _delete, sub = av
        return _needs_digit(sub)
    if op is _ATOMIC:
        return _needs_digit(av)
    if op is _c.ASSERT:  # a lookahead or lookbehind that must match sees its digit
        _direction, sub = av
        return _needs_digit(sub)
    if op is _c.BRANCH:
        _none, branches = av
        return bool(branches) and all(_needs_digit(b) for b in branches)
    return False


def _needed_strings(items: Sequence[Any]) -> list[tuple[str, ...]]:
    """Sets of strings of which every match of the sequence contains one, each set."""
    needs: list[tuple[str, ...]] = []
    run: list[str] = []
    for op, av in items:
        if op is _c.LITERAL:
            run.append(chr(av))
            continue
        if run:
            needs.append(("".join(run),))
            run = []
        needs += _item_strings(op, av)
    if run:
        needs.append(("".join(run),))
    return needs


def _item_strings(op: Any, av: Any) -> list[tuple[str, ...]]:
    if op is _c.IN:
        if av and all(o is _c.LITERAL for o, _ in av):
            return [tuple(chr(a) for _, a in av)]
        return []
    if op in (_c.MAX_REPEAT, _c.MIN_REPEAT, _POSSESSIVE):
        low, _high, sub = av
        return _needed_strings(sub) if low >= 1 else []
    if op is _c.SUBPATTERN:
        _group, add, delete, sub = av
        return [] if add or delete else _needed_strings(sub)
    if op is _ATOMIC:
        return _needed_strings(av)
    if op is _c.ASSERT:
        _direction, sub = av
        return _needed_strings(sub)
    if op is _c.BRANCH:
        _none, branches = av
        one_each: list[str] = []
        for branch in branches:
            strings = [s for need in _needed_strings(branch) if len(need) == 1 for s in need]
            if not strings:
                return []  # a branch that needs no string of its own: nothing needed
            one_each.append(max(strings, key=len))
        return [tuple(dict.fromkeys(one_each))] if one_each else []
    return []


_POSSESSIVE = getattr(_c, "POSSESSIVE_REPEAT", object()) if _c is not None else object()
_ATOMIC = getattr(_c, "ATOMIC_GROUP", object()) if _c is not None else object()
