"""A lone ambiguous keyword in a post that names nobody and is not about the work
(policy-format.md, "A lone word, noticed"; issue 10, points 1 and 4).

One ambiguous keyword of a strict rule with nothing of the rule around it is weak evidence:
the answer says what was noticed and whom to ask, and is never a confident *forbidden*. Where
the post also names no one (no person, no name) and says nothing of the work (no work cue of
`frames.yml`, no "we" or "our" of the organisation), nothing in it says the word is meant in
the rule's sense ("Ik heb een nieuwe bron gevonden"): the policy's allowing
default answers, and the answer still says what was noticed and whom to ask, so an asker whose
post is about that rule after all learns it (`decide`): *allowed*, "but I noticed …".
"""

from __future__ import annotations

from collections.abc import Sequence

from bot.answering.answers import WEAK, RuleMatch
from bot.answering.domain import mentions_person
from bot.answering.frame import FrameCues
from bot.answering.keywords import COMPOUND, KEYWORD
from bot.answering.risk import our_work_cue
from bot.answering.text import Folded, tokenize
from bot.vocabulary import Verdict

# A keyword as its author wrote it (in any inflection, or inside a Dutch compound), weak only
# because the word has an everyday or a second sense. Not a translation: that is the rule's
# own word said in the asker's language, weak for the step of translating, not for a sense the
# post may mean innocently (measured: with translations, false reassurance +2 on the check
# sets; devset README, round 20). Nor a lexicon synonym, a concept term or the rule's text.
_KEYWORD_KINDS = frozenset({KEYWORD, COMPOUND})


def lone_keyword(match: RuleMatch) -> bool:
    """Whether `match` rests on one keyword alone, on weak evidence: an ambiguous word with
    nothing of its rule around it (a weak match holds one piece of evidence: two would have
    made it strong, `weighing.strength`)."""
    return (
        match.strength == WEAK
        and len(match.evidence) == 1
        and match.evidence[0].kind in _KEYWORD_KINDS
    )


def one_lone_keyword(matches: Sequence[RuleMatch]) -> bool:
    """Whether every strict rule among `matches` was heard through one lone keyword only, all
    of them through the same word of the question. Two such words, even of two rules ("a new
    source for the incident"), are two things noticed: the answer stays *review*."""
    strict = [m for m in matches if m.rule.verdict != Verdict.ALLOWED]
    if not strict or not all(lone_keyword(m) for m in strict):
        return False
    return len({(m.evidence[0].start, m.evidence[0].end) for m in strict}) == 1


def about_nobody(text: str, cues: FrameCues) -> bool:
    """Whether `text` names no person and says nothing of the work: no person word, pronoun or
    name (`domain.mentions_person`), no work cue (`frames.yml` `work`, with the private cues
    the policy's own words make work cues), and no "we"/"our" of the organisation
    (`risk.our_work_cue`)."""
    tokens = tokenize(Folded(text))
    if mentions_person(tokens, text):
        return False
    if not cues.work.isdisjoint([t.text for t in tokens]):
        return False
    return not our_work_cue(text, cues)
