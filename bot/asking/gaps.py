"""The questions the policy did not cover, grouped by similarity, each with a likely section.

A gap is a question no rule or role keyword answered (the default did). Similar questions are
grouped so the communications lead sees "12 people asked about TikTok" once, and each group is
matched against what every section is about (the drafting template's intro and guiding
questions in both languages, and the adopted policy's own section text and rules) so one click
can start a drafting session where the answer belongs.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from bot.asking.question_log import LoggedQuestion, uncovered_questions
from bot.drafting.template import load_template
from bot.policy.model import PolicyDocument
from bot.vocabulary import LANGUAGES

GROUP_THRESHOLD = 0.35
FALLBACK_SECTION = "employees"


@dataclass(frozen=True)
class GapGroup:
    questions: list[LoggedQuestion]
    section_id: str
    section_title: str

    @property
    def size(self) -> int:
        return len(self.questions)

    @property
    def sample(self) -> LoggedQuestion:
        return self.questions[0]


@dataclass(frozen=True)
class Gaps:
    groups: list[GapGroup]
    without_text: int  # uncovered questions whose text the retention period has removed


def section_profiles(document: PolicyDocument | None) -> dict[str, list[str]]:
    """Per drafting-template section, short texts that say what belongs there: the template's
    own words in both languages, and the adopted policy's text and rules for that section.
    Only template sections count, since a drafting session can only start on one of those."""
    profiles: dict[str, list[str]] = {}
    for section in load_template().sections:
        pieces = profiles.setdefault(section.id, [])
        for lang in LANGUAGES:
            pieces += [section.title.get(lang), section.intro.get(lang)]
            for question in section.questions:
                pieces.append(question.prompt.get(lang))
                if question.hint is not None:
                    pieces.append(question.hint.get(lang))
    if document is not None:
        for policy_section in document.sections:
            if policy_section.id in profiles:
                paragraphs = [p for p in (policy_section.text or "").split("\n\n") if p.strip()]
                profiles[policy_section.id] += [policy_section.title, *paragraphs]
        for rule in document.rules:
            if rule.section in profiles:
                profiles[rule.section].append(" ".join([rule.text, *rule.keywords]))
    return {sid: [p for p in pieces if p and p.strip()] for sid, pieces in profiles.items()}


class SectionIndex:
    """Which section a question most likely belongs to.

    Each section is the set of stemmed terms of its profile. A question scores, per section,
    the summed rarity (inverse section frequency) of the terms it shares with it, so a word
    only one section uses ("TikTok" → practice) counts far more than one every section uses
    ("decide", "ask"). Too little evidence and the answer is `employees`: what every employee
    is expected to do is where an unforeseen question most often belongs.
    """

    MIN_SCORE = 1.0  # about one term that at most two sections share

    def __init__(self, profiles: dict[str, list[str]]) -> None:
        from bot.answering.passages import term_set  # stemmers: loaded when first used

        self.terms = {
            sid: frozenset().union(*(term_set(p) for p in pieces))
            for sid, pieces in profiles.items()
        }
        frequency = Counter(term for terms in self.terms.values() for term in terms)
        sections = len(self.terms)
        self.rarity = {t: math.log((sections + 1) / (n + 0.5)) for t, n in frequency.items()}

    def best(self, text: str) -> str:
        from bot.answering.passages import term_set

        asked = term_set(text)
        scores = {
            sid: sum(self.rarity[t] for t in asked & terms) for sid, terms in self.terms.items()
        }
        best_id = max(scores, key=lambda sid: scores[sid], default="")
        if best_id and scores[best_id] >= self.MIN_SCORE:
            return best_id
        return FALLBACK_SECTION if FALLBACK_SECTION in self.terms else best_id


def section_title(section_id: str, document: PolicyDocument | None, lang: str) -> str:
    try:
        return load_template().section(section_id).title.get(lang)
    except KeyError:
        pass
    if document is not None:
        for section in document.sections:
            if section.id == section_id and section.title:
                return section.title
    return section_id


def _index_groups(found: Sequence[Any], texts: list[str]) -> list[list[int]]:
    """`group_similar`'s answer as lists of indices into `texts`."""
    groups: list[list[int]] = []
    unused = list(range(len(texts)))
    for group in found:
        indices: list[int] = []
        for item in group:
            if isinstance(item, int):
                indices.append(item)
            else:  # the texts themselves: take the first unused index with that text
                index = next(i for i in unused if texts[i] == item)
                unused.remove(index)
                indices.append(index)
        groups.append(indices)
    return groups


def find_gaps(
    session: Session, document: PolicyDocument | None, lang: str, limit: int = 500
) -> Gaps:
    from bot.answering.passages import group_similar

    questions, without_text = uncovered_questions(session, limit=limit)
    texts = [q.text or "" for q in questions]
    if not texts:
        return Gaps([], without_text)
    index = SectionIndex(section_profiles(document))
    groups: list[GapGroup] = []
    for indices in _index_groups(group_similar(texts, GROUP_THRESHOLD), texts):
        members = [questions[i] for i in indices]
        section_id = index.best(" ".join(texts[i] for i in indices))
        groups.append(GapGroup(members, section_id, section_title(section_id, document, lang)))
    groups.sort(key=lambda g: (-g.size, -g.sample.asked_at.timestamp()))
    return Gaps(groups, without_text)
