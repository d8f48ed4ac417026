"""Evidence explained by another rule (policy-format.md, "Evidence, weighed").

A question is usually about one thing. When a rule matched on the signals its author wrote for
it (a keyword, a detector, a pattern, an example, a concept about a person), that rule explains
the words it matched: another rule that reaches the same words only through the lexicon or a
concept has weak evidence there, and a rule reached only through its own text or the lexicon
gives way to it.
"""

from __future__ import annotations

from functools import lru_cache

from bot.answering.answers import STRONG, WEAK, RuleMatch
from bot.answering.decide import counted_verdict
from bot.answering.domain import concepts
from bot.answering.keywords import LEXICON, TRANSLATED
from bot.answering.relevance import Heard
from bot.answering.weighing import (
    CONCEPT,
    Item,
    Reading,
    RuleProfile,
    concept_items,
    named_concepts,
)
from bot.vocabulary import strictness

_DIRECT = frozenset({"keyword", "compound", "detector", "pattern", "example"})


def _direct(match: RuleMatch) -> bool:
    """Whether a match rests on something the rule's author wrote as a signal for it (a
    keyword, a detector, a pattern, an example), not only on its text and the lexicon."""
    # Most matches rest on a keyword: answered before the concepts are looked at, which at
    # thousands of rules is most of what this costs per question.
    if any(e.kind in _DIRECT for e in match.evidence):
        return True
    if any(e.kind == CONCEPT and _about_a_person(e.source) for e in match.evidence):
        return True
    # Two different terms of a concept a keyword of the rule names say it as plainly as a
    # keyword would ("in het afdelingsoverleg werd gezegd … alvast"); one word said twice
    # does not, nor a concept the rule merely mentions.
    terms_of: dict[str, set[str]] = {}  # concept → the different terms of it heard
    named: frozenset[str] | None = None
    for e in match.evidence:
        if e.kind != CONCEPT:
            continue
        if named is None:
            named = _named(match.rule.keywords)
        if e.source in named:
            terms_of.setdefault(e.source, set()).add(e.text.casefold())
    return any(len(terms) >= 2 for terms in terms_of.values())


@lru_cache(maxsize=4096)
def _named(keywords: tuple[str, ...]) -> frozenset[str]:
    """The names of the concepts a rule's keywords name."""
    all_concepts = concepts()
    return frozenset(all_concepts[n].name for n in named_concepts(keywords))


@lru_cache(maxsize=1)
def _person_concepts() -> frozenset[str]:
    return frozenset(c.name for c in concepts() if c.requires is not None)


def _about_a_person(concept_name: str) -> bool:
    return concept_name in _person_concepts()


def explained_by_keywords(matches: list[RuleMatch]) -> list[RuleMatch]:
    """A rule reached only through its text or the lexicon is probably not what the question
    is about when another rule matched strongly on its own signals: it is left out when that
    rule is at least as strict (it would change nothing but the role, or the other rule is
    about exactly this but not meant for the asker's groups), and it counts as weak when that
    rule is milder (it is noticed, and the answer asks)."""
    # Most matches' first evidence is a keyword: decided here without a call per match.
    is_direct = [bool(m.evidence and m.evidence[0].kind in _DIRECT) or _direct(m) for m in matches]
    direct = [m for m, d in zip(matches, is_direct, strict=True) if d and m.strength == STRONG]
    if not direct:
        return matches
    out = []
    for m, d in zip(matches, is_direct, strict=True):
        if d:
            out.append(m)
            continue
        counted = strictness(counted_verdict(m))
        if any(d.rule.id != m.rule.id and strictness(d.rule.verdict) <= counted for d in direct):
            continue
        out.append(m if m.strength != STRONG else RuleMatch(m.rule, m.evidence, m.score, WEAK))
    return out


def explained_elsewhere(item: Item, elsewhere: list[tuple[int, int]]) -> Item:
    """Lexicon and concept evidence on words another rule names as its own keyword is weak
    for this rule: those words are explained by the other rule (a "one-star review" is the
    complaints rule's keyword, not evidence of a fake review)."""
    if item.kind not in (LEXICON, TRANSLATED, CONCEPT) or not item.decisive:
        return item
    if any(item.start < e and s < item.end for s, e in elsewhere):
        return Item(item.kind, item.start, item.end, item.source, item.weight / 2, False)
    return item


def with_concepts(
    items: list[Item],
    about: RuleProfile,
    reading: Reading,
    text: str,
    unless: list[tuple[int, int]],
    heard: Heard,
    reached: list[tuple[int, int]],
) -> list[Item]:
    """`items` with the rule's concept evidence. A concept term around a word the rule reaches
    only through the lexicon ("grootste gever" around "gever" as "donor") says more than that
    word: the term replaces it. `reached`: spans other rules reach with their keywords."""
    taken = [(i.start, i.end) for i in items if i.kind not in (LEXICON, TRANSLATED)] + unless
    found = [
        explained_elsewhere(i, reached) for i in concept_items(about, reading, text, taken, heard)
    ]
    kept = [
        i
        for i in items
        if i.kind not in (LEXICON, TRANSLATED)
        or not any(c.start <= i.start and i.end <= c.end for c in found)
    ]
    return kept + found
