"""Whether a question is framed in the asker's private life rather than at work
(policy-format.md, "Evidence, weighed": "A lone keyword in a private post").

A post about the asker's cat, a brother's wedding or a running club's schedule is private
life; one that names colleagues, clients, patients, the employer or the workplace is about
the work, and so is one that uses a private cue the policy's own text uses (a handball club's
policy is about its "wedstrijd" and "training"). Only a post with a private cue and no work
cue counts as private: "my colleague's birthday" is still about a colleague. The cues are
`policy_content/lexicon/frames.yml`."""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from bot.answering.domain import PRONOUNS, mentions_person
from bot.answering.lexicon import lexicon_file
from bot.answering.text import Folded, Token, fold, tokenize
from bot.policy.model import PolicyDocument

AFFIX = 5  # a cue this long is heard inside the policy's words too ("wedstrijden")


@dataclass(frozen=True, slots=True)
class FrameCues:
    own: frozenset[str]  # private only as the asker's own ("mijn broer", "my cat")
    possessive: frozenset[str]
    private: frozenset[str]
    endings: tuple[str, ...]  # of a Dutch compound ("hardloopclub")
    work: frozenset[str]
    we: frozenset[str] = frozenset()  # the asker as one of the organisation ("we", "onze")
    we_before_a_word: frozenset[str] = frozenset()  # "ons team", not "met ons"


@lru_cache(maxsize=1)
def _lexicon() -> FrameCues:
    data = lexicon_file("frames.yml")

    def words(key: str) -> frozenset[str]:
        return frozenset(fold(str(w)) for w in data[key])

    endings = tuple(fold(str(w)) for w in data["private_endings"])
    return FrameCues(
        words("own"),
        words("possessive"),
        words("private"),
        endings,
        words("work"),
        words("we"),
        words("we_before_a_word"),
    )


def frame_cues(policy_texts: Iterable[str]) -> FrameCues:
    """The lexicon's cues for one policy: a private cue that the policy's own texts use is
    its subject, not private life, and is a work cue instead. Used means as written, or for
    a cue of five letters or more as the start or the end of one of its words ("wedstrijd"
    in "wedstrijden", "kat" only as written: it is not in "katholiek")."""
    lexicon = _lexicon()
    used_words = {t.text for t in tokenize(Folded(" \n ".join(policy_texts)))}
    words = sorted(used_words)
    backwards = sorted(w[::-1] for w in words)

    def starts(sorted_words: list[str], prefix: str) -> bool:
        at = bisect_left(sorted_words, prefix)
        return at < len(sorted_words) and sorted_words[at].startswith(prefix)

    def used(cue: str) -> bool:
        if len(cue) < AFFIX:
            return cue in used_words
        return starts(words, cue) or starts(backwards, cue[::-1])

    theirs = {c for c in lexicon.own | lexicon.private | set(lexicon.endings) if used(c)}
    return FrameCues(
        lexicon.own - theirs,
        lexicon.possessive,
        lexicon.private - theirs,
        tuple(e for e in lexicon.endings if e not in theirs),
        lexicon.work | (theirs - set(lexicon.endings)),
        lexicon.we,
        lexicon.we_before_a_word,
    )


def policy_frame_cues(document: PolicyDocument) -> FrameCues:
    """The cues for a policy, its own words being its rules' (text, keywords, examples,
    context) and its roles' (`handles`, keywords)."""
    rules = (t for r in document.rules for t in (r.text, *r.keywords, *r.examples, *r.context))
    roles = (t for r in document.roles for t in (r.handles, *r.keywords))
    return frame_cues([*rules, *roles])


def private_frame(tokens: list[Token], cues: FrameCues) -> bool:
    """A private cue ("mijn hond", "birthday", "hardloopclub") and no work cue."""
    words = [t.text for t in tokens]  # set operations on them run at C speed: every question
    if not cues.work.isdisjoint(words):
        return False
    if not cues.private.isdisjoint(words):
        return True
    if not cues.own.isdisjoint(words) and any(
        word in cues.own and before in cues.possessive
        for before, word in zip(words, words[1:], strict=False)
    ):
        return True
    return any(len(word) > 6 and word.endswith(cues.endings) for word in words)


def only_own_family(tokens: list[Token], original: str, cues: FrameCues) -> bool:
    """Whether every person a question names is the asker's own family ("mijn dochter", "my
    kid"), or a pronoun that may stand for them ("haar diploma", "she won"): no colleague,
    client, patient, name or anyone else."""
    own_at = {
        i
        for i in range(1, len(tokens))
        if tokens[i].text in cues.own and tokens[i - 1].text in cues.possessive
    }
    if not own_at:
        return False
    ignore = own_at | {i for i, t in enumerate(tokens) if t.text in PRONOUNS}
    return not mentions_person(tokens, original, ignore)


class Frame:
    """Whether one question is private, worked out the first time a rule asks: most
    questions never reach a keyword whose sense it decides."""

    __slots__ = ("_tokens", "_cues", "_text", "_private", "_own_family")

    def __init__(self, tokens: list[Token], cues: FrameCues, text: str = "") -> None:
        self._tokens = tokens
        self._cues = cues
        self._text = text
        self._private: bool | None = None
        self._own_family: bool | None = None

    def private(self) -> bool:
        if self._private is None:
            self._private = private_frame(self._tokens, self._cues)
        return self._private

    def only_own_family(self) -> bool:
        """Whether the people it names are all the asker's own family (`only_own_family`):
        asked only of a private post that names someone."""
        if self._own_family is None:
            self._own_family = only_own_family(self._tokens, self._text, self._cues)
        return self._own_family
