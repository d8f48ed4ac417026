"""How an answer was reached, as the words that say it need it (interfaces.md, `certainty`).

The command line and Slack both say it in the asker's language with the catalogue's
`answering.certainty.*`; this is the one place that decides which of those applies and what
goes into it: the rules named, the role to ask, the model that contributed, and what was
noticed on weak evidence (quoted as the answer holds it: masked).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from bot.answering.answers import MODEL, NOT_COVERED, STRONG, WEAK
from bot.answering.risk import OUR_WORK as OUR_WORK_SIGN
from bot.answering.unsure import UNSURE as UNSURE_SIGN
from bot.vocabulary import Verdict

# The catalogue key of each way an answer can be reached.
CERTAINTY_KEYS = {
    STRONG: "answering.certainty.strong",
    WEAK: "answering.certainty.weak",
    MODEL: "answering.certainty.model",
    NOT_COVERED: "answering.certainty.not_covered",
}
MODEL_FOUND_NONE = "answering.certainty.model_none"  # asked the model: no rule applies
SIGN_OF_RISK = "answering.certainty.cue"  # no rule applies, but a sign of risk was noticed
OUR_WORK = "answering.certainty.our_work"  # no rule applies, but the post is about the work
# No rule applies, and nothing shows the post to be plainly fine (policy-format.md, "A post no
# rule covers and nothing shows to be fine"): not sure, and whom to ask.
UNSURE = "answering.certainty.unsure"
# Allowed by the default, but a lone ambiguous word of a strict rule was noticed: what, and
# whom to ask if the post is about that (policy-format.md, "A lone word, noticed").
LONE_WORD = "answering.certainty.lone_word"
MAX_NOTICED = 6


@dataclass(frozen=True)
class HowSure:
    certainty: str  # STRONG, WEAK, MODEL or NOT_COVERED
    key: str  # the catalogue key that says it
    rules: tuple[str, ...]  # the rules it names: noticed ones, or those the model named
    role: str  # whom to ask
    model: str  # the language model that contributed, or ""
    noticed: tuple[str, ...]  # what was noticed on weak evidence, as quoted in the answer

    @property
    def rule_list(self) -> str:
        return ", ".join(self.rules) or "-"


def how_sure(data: dict[str, Any]) -> HowSure:
    """From a check answer's JSON (`bot.asking.service.check`)."""
    certainty = str(data.get("certainty") or STRONG)
    opinion = data.get("second_opinion") or {}
    answered = tuple(str(r.get("id")) for r in data.get("rules") or [] if r.get("id"))
    key = CERTAINTY_KEYS.get(certainty, CERTAINTY_KEYS[STRONG])
    if certainty == NOT_COVERED and opinion:
        key = MODEL_FOUND_NONE
    cues = data.get("cues") or []
    if certainty == WEAK and not answered and cues:
        kinds = {c.get("kind") for c in cues}
        key = {OUR_WORK_SIGN: OUR_WORK, UNSURE_SIGN: UNSURE}.get(kinds.pop(), SIGN_OF_RISK)
        key = key if not kinds else SIGN_OF_RISK  # several kinds: said as signs noticed
    elif certainty == WEAK and not answered and data.get("verdict") == Verdict.ALLOWED:
        key = LONE_WORD
    if certainty == MODEL:
        rules = tuple(str(r) for r in opinion.get("rules") or ()) or answered
    elif certainty == WEAK:
        rules = tuple(str(r.get("id")) for r in data.get("noticed") or [] if r.get("id"))
        rules = rules or answered
    else:
        rules = answered
    return HowSure(
        certainty=certainty,
        key=key,
        rules=rules,
        role=str((data.get("role") or {}).get("name") or "?"),
        model=str(opinion.get("model") or ""),
        noticed=noticed_quotes(data),
    )


@dataclass(frozen=True)
class Outweighed:
    """A `forbidden` rule that matched only on words the deciding `review` rule matched on too
    (policy-format.md, "Evidence, weighed"): named beside the answer, not decided on."""

    rule: str
    verdict: str
    quotes: tuple[str, ...]  # as the answer holds them: masked


def outweighed(data: dict[str, Any]) -> tuple[Outweighed, ...]:
    """From a check answer's JSON: the rules the deciding rule outweighed, if any."""
    return tuple(
        Outweighed(
            str(r.get("id")),
            str(r.get("verdict") or "forbidden"),
            tuple(dict.fromkeys(str(e) for e in r.get("evidence") or [] if str(e).strip())),
        )
        for r in data.get("outweighed") or []
        if r.get("id")
    )


def noticed_quotes(data: dict[str, Any], rule_ids: set[str] | None = None) -> tuple[str, ...]:
    """What the rules (all, or `rule_ids`) noticed on weak evidence, each quote once; with
    no rule matched, the signs of risk noticed."""
    seen = [
        str(e)
        for r in data.get("noticed") or []
        if rule_ids is None or r.get("id") in rule_ids
        for e in r.get("evidence") or []
        if str(e).strip()
    ]
    if rule_ids is None:
        seen += [str(c.get("evidence") or "") for c in data.get("cues") or []]
        seen = [e for e in seen if e.strip()]
    return tuple(dict.fromkeys(seen))[:MAX_NOTICED]
