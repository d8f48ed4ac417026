"""Signs of risk that hold whatever a policy says (`policy_content/lexicon/risk.yml`;
policy-format.md, "Evidence, weighed": "Signs of risk when no rule applies").

On unseen policies most posts wrongly called *allowed* are ones no rule matched at all: the
policy's default answered (benchmarks/devset/README.md, "False reassurance"). Some of them
carry a sign that any organisation would want checked: something not yet made public, a third
person the asker dealt with at work, an incident the asker met at work, speaking for the
organisation, attacking the employer or a colleague in public, answering someone else's post in
public. When no rule matched (or only `allowed` rules, on weak evidence) and the default would
allow the post, such a sign makes the answer *review* on weak evidence: what was noticed, and
whom to ask (`decide`).

When none of those signs is there, one more is looked for (`our_work_cue`): the asker speaking
as one of the organisation ("we had to turn back", "our strategy offsite", "onze compagnie")
in a post that is not private. A social media policy is about posts on the work; one that no
rule covers is then not known to be allowed, and the honest answer is to ask.

Failing that, a post told ahead of time (`timing_cue`): what will happen, a plan, what is not
so yet ("prices will drop", "next month the branch"), in a post that is not private and not the
asker's own plan. Those are the posts a policy asks to check first (an announcement not made
yet), and most posts no rule covers that were wrongly called allowed hear no rule's words at
all (devset README, round 22).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from functools import lru_cache
from importlib import resources

import re2

from bot import yaml_safe
from bot.answering.answers import Evidence
from bot.answering.detectors import detect_all
from bot.answering.frame import FrameCues, private_frame
from bot.answering.text import STOPWORDS, Folded, Token, tokenize

CUE = "cue"  # the evidence kind of a sign of risk
MAX_CUES = 6
OUR_WORK = "our_work"  # the kind of the sign `our_work_cue` finds
AHEAD = "ahead"  # the kind `timing_cue` finds: a post told ahead of time
# The asker as the subject of what a post tells ("ik volg volgende week een cursus"): their own
# plan. Not when asking: "can I post", "mag ik" (the word before it one of `ASKING`).
ME = frozenset({"i", "ik"})
ASKING = frozenset(
    {"can", "may", "could", "should", "might", "would", "shall", "do"}
    | {"mag", "kan", "kun", "moet", "mogen", "zou"}
)
SENTENCE_END = frozenset(".!?:;")
QUOTED_AFTER = 2  # words quoted after "we" / "our": "our strategy offsite"


@lru_cache(maxsize=1)
def _signs() -> tuple[tuple[str, str], ...]:
    """Every sign as (kind, pattern), in the order risk.yml gives them."""
    path = resources.files("policy_content") / "lexicon" / "risk.yml"
    data = yaml_safe.load(path.read_text(encoding="utf-8"))["patterns"]
    return tuple(
        (str(kind), str(pattern)) for kind, patterns in data.items() for pattern in patterns
    )


def _source(signs: Iterable[tuple[str, str]]) -> str:
    """Signs in one pattern, a group named after each kind, read in one pass."""
    by_kind: dict[str, list[str]] = {}
    for kind, pattern in signs:
        by_kind.setdefault(kind, []).append(pattern)
    return "|".join(rf"\b(?P<{kind}>" + "|".join(ps) + ")" for kind, ps in by_kind.items())


@lru_cache(maxsize=512)
def _reading(chosen: tuple[int, ...]) -> re.Pattern[str]:
    """The signs `chosen` (their places in `_signs`) in one pattern, as written for lower-case
    text. Leaving out signs that cannot match the text changes no match: at every place the
    others are tried in the same order, and the ones left out would have failed there."""
    signs = _signs()
    return re.compile(_source(signs[i] for i in chosen))


@lru_cache(maxsize=1)
def _ignoring_case() -> re.Pattern[str]:
    """Every sign, case-insensitively: for a text whose lower case is not as long."""
    return re.compile(_source(_signs()), re.IGNORECASE)


class _Prefilter:
    """The signs that may match a text, found in one pass by RE2's set of regular expressions
    (`re2.Set`, google-re2), which says which of its patterns match anywhere in a text. Most
    questions hold no sign and are done; the rest are read by the few signs that may match,
    not all of them: `re` tries every alternative it has at every word (devset README,
    "Signs of risk, read faster")."""

    def __init__(self, patterns: Sequence[str]) -> None:
        options = re2.Options()
        options.log_errors = False  # a sign RE2 cannot read is always read instead
        self._set = re2.Set.SearchSet(options)
        self._places: list[int] = []  # the sign (its place in `_signs`) of each set entry
        always = []
        for place, pattern in enumerate(patterns):
            try:
                self._set.Add(_loosened(pattern))
                self._places.append(place)
            except re2.error:
                always.append(place)
        self._set.Compile()
        self.always = frozenset(always)

    def possible(self, lower: str) -> tuple[int, ...]:
        """The signs (their places in `_signs`) that may match `lower`, in their order."""
        found = {self._places[entry] for entry in self._set.Match(lower) or ()}
        return tuple(sorted(found | self.always))


# What RE2 reads more narrowly than `re` and `_loosened` does not widen: `\d`, `\s` and `\B`
# (RE2's know only ASCII), and `\w` or `\b` inside a class, where `[\pL\pN_]` cannot stand.
_NARROWER_IN_RE2 = re.compile(r"\\[dsB]|\[\]?[^\]]*\\[wb]")


def _loosened(pattern: str) -> str:
    """`pattern` as RE2 reads it, matching wherever `re` would and perhaps more: RE2's `\\b`
    and `\\w` know only ASCII, so a word boundary is left out and a word character becomes
    any letter, digit or underscore (`re` decides afterwards). A pattern it cannot widen so is
    refused (`re2.error`): that sign is always read."""
    if _NARROWER_IN_RE2.search(pattern):
        raise re2.error(f"RE2 would read {pattern!r} more narrowly than re")
    loose = {"b": "", "w": r"[\pL\pN_]"}
    return re.sub(r"\\(.)", lambda escape: loose.get(escape[1], escape[0]), pattern)


@lru_cache(maxsize=1)
def _prefilter() -> _Prefilter:
    return _Prefilter([pattern for _kind, pattern in _signs()])


def risk_cues(text: str) -> tuple[Evidence, ...]:
    """The signs of risk in `text`, in the order they stand, each quoted as written."""
    lower = text.lower()  # lower case first: 2 to 3 times faster than ignoring case
    if len(lower) == len(text):
        chosen = _prefilter().possible(lower)
        if not chosen:
            return ()
        pattern, read = _reading(chosen), lower
    else:  # rare (a "İ"): every sign, ignoring case
        pattern, read = _ignoring_case(), text
    found = []
    for match in pattern.finditer(read):
        if match.end() > match.start() and match.lastgroup:
            quoted = _shown(text, match.start(), match.end())
            found.append(Evidence(quoted, match.start(), match.end(), CUE, match.lastgroup))
            if len(found) == MAX_CUES:
                break
    return tuple(found)


def our_work_cue(text: str, cues: FrameCues) -> tuple[Evidence, ...]:
    """The first "we", "our", "onze" … of `text` (frames.yml, `we`), quoted with the two words
    after it in the same clause ("our strategy offsite"), when the post is not private
    (`frame.private_frame`: "our family holiday", "onze hardloopclub" are the asker's own
    life); else nothing."""
    if not _any_of(cues.we | cues.we_before_a_word).search(text.lower()):
        return ()  # most posts: no need to read them word by word (a tenth of the time)
    tokens = tokenize(Folded(text))
    at = next((i for i, t in enumerate(tokens) if _speaks_as_us(tokens, i, cues)), None)
    if at is None or private_frame(tokens, cues):
        return ()
    last = at
    while last - at < QUOTED_AFTER and last + 1 < len(tokens) and not tokens[last + 1].gap:
        last += 1
    start, end = tokens[at].ostart, tokens[last].oend
    return (Evidence(_shown(text, start, end), start, end, CUE, OUR_WORK),)


@lru_cache(maxsize=2)
def _timing(ignore_case: bool) -> re.Pattern[str]:
    """The words of a post told ahead of time (risk.yml, `timing`), in one pattern."""
    path = resources.files("policy_content") / "lexicon" / "risk.yml"
    data = yaml_safe.load(path.read_text(encoding="utf-8"))["timing"]["patterns"]
    signs = [(str(kind), str(p)) for kind, patterns in data.items() for p in patterns]
    return re.compile(_source(signs), re.IGNORECASE if ignore_case else 0)


def timing_cue(text: str, cues: FrameCues) -> tuple[Evidence, ...]:
    """The first word of `text` that tells it ahead of time (`_timing`), quoted with the two
    words after it in the same clause ("will drop 30"), when the post is not private
    (`frame.private_frame`) and that sentence is not the asker's own plan (`_own_plan`); else
    nothing."""
    lower = text.lower()
    same = len(lower) == len(text)  # else (a "İ") the text itself, ignoring case
    found = _timing(not same).search(lower if same else text)
    if found is None or not found.lastgroup:
        return ()  # most posts: no need to read them word by word
    tokens = tokenize(Folded(text))
    if private_frame(tokens, cues) or _own_plan(tokens, found.start()):
        return ()
    start, end = found.start(), found.end()
    after = [t for t in tokens if t.ostart >= end]
    for i, token in enumerate(after[:QUOTED_AFTER]):
        if token.gap or (i == 0 and text[end : token.ostart].strip()):
            break  # the quote ends with its clause
        end = token.oend
    return (Evidence(_shown(text, start, end), start, end, CUE, found.lastgroup),)


def _own_plan(tokens: list[Token], at: int) -> bool:
    """Whether the sentence that holds the character `at` has "I" or "ik" in it other than in
    asking: the asker's own plan ("Ik volg volgende week een cursus", "Next week I start my
    course"), not "Can I post that the shop will close?"."""
    here = next((i for i, t in enumerate(tokens) if t.oend > at), len(tokens) - 1)
    start = max(here, 0)
    while start > 0 and not _starts_sentence(tokens[start]):
        start -= 1
    for i in range(start, len(tokens)):
        if i > start and _starts_sentence(tokens[i]):
            return False  # the sentence is over
        asked = i > start and tokens[i - 1].text in ASKING
        if tokens[i].text in ME and not asked:
            return True
    return False


def _starts_sentence(token: Token) -> bool:
    return bool(SENTENCE_END.intersection(token.gap))


@lru_cache(maxsize=4)
def _any_of(words: frozenset[str]) -> re.Pattern[str]:
    """One of `words` as a word of a lower-cased text: a quick test before tokenizing."""
    return re.compile(r"\b(?:" + "|".join(sorted(map(re.escape, words))) + r")\b")


def _speaks_as_us(tokens: list[Token], i: int, cues: FrameCues) -> bool:
    word = tokens[i].text
    if word in cues.we:
        return True
    if word not in cues.we_before_a_word or i + 1 == len(tokens):
        return False
    after = tokens[i + 1]
    return not after.gap and after.text not in STOPWORDS


def _shown(text: str, start: int, end: int) -> str:
    """The sign as the answer quotes it: as written, with any personal data in it masked (a
    pattern's free words may hold a house number: "a photo of the Dorpsstraat 12 family")."""
    quoted = text[start:end]
    if not any(ch.isdigit() or ch == "@" for ch in quoted):  # nearly every sign: nothing to mask
        return quoted.strip()
    parts, at = [], start
    for d in sorted(detect_all(text), key=lambda d: d.start):
        if d.end <= at or d.start >= end:
            continue
        parts += [text[at : max(d.start, at)], d.masked if start <= d.start else "***"]
        at = min(d.end, end)
    parts.append(text[at:end])
    return "".join(parts).strip()
