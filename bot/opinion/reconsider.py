"""When the rules leave a question uncovered or only weakly covered, ask the model which of the
adopted version's rules apply, and combine (interfaces.md):

- the model sees the question with personal data masked, and only the rules that apply to the
  asker's groups;
- only real rule ids count; the verdict comes from those rules by the format's semantics;
- what the rules matched on strong evidence stays (detectors keep the last word); the model
  replaces only the weak matches: it may confirm them, add rules, or find that none applies;
- a model that is off, slow, failing or talking nonsense leaves the rules' answer standing.

Asked with `model_first`, the model is not waited for in the caller's unit of work: when it
must be asked (unsure, nothing cached), `NeedsModel` is raised with the `Consultation` to make
before the answer is logged; the caller rolls that unit of work back, asks (`Consultation.ask`, with
no transaction open: on SQLite a slow model would otherwise hold the writer turn every other
request's write waits for, on PostgreSQL a transaction and a pooled connection), and runs the
answer again in a new one, given the model's `Opinion` (stored in the cache there).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from bot.answering.answers import (
    MODEL,
    NOT_COVERED,
    STRONG,
    WEAK,
    CheckAnswer,
    RuleMatch,
    SecondOpinion,
)
from bot.answering.decide import decide
from bot.answering.ownership import NOBODY, OwnContacts
from bot.opinion import cache
from bot.opinion.client import ModelClient
from bot.opinion.prompt import messages, read_answer
from bot.policy.model import EVERYONE
from bot.settings import Settings
from bot.storage import Session
from bot.vocabulary import strictness

if TYPE_CHECKING:  # the engine is loaded when the first question is answered
    from bot.answering.engine import CompiledPolicy

log = logging.getLogger(__name__)

UNSURE = (WEAK, NOT_COVERED)


def client_for(settings: Settings) -> ModelClient | None:
    if not settings.llm_url or not settings.llm_model:
        return None
    return ModelClient(
        settings.llm_url, settings.llm_model, settings.llm_api_key, settings.llm_timeout_ms
    )


def applicable_rule_ids(compiled: CompiledPolicy, groups: Iterable[str]) -> list[str]:
    asked = set(groups) | {EVERYONE}
    return [
        rule.id
        for rule in compiled.document.rules
        if not rule.applies_to or EVERYONE in rule.applies_to or asked & set(rule.applies_to)
    ]


@dataclass(frozen=True)
class Opinion:
    """What the model said of one masked question under one version: the rule ids it named,
    or None for no usable answer (the rules' own answer then stands, nothing is cached)."""

    policy_number: int
    model: str
    masked_text: str
    rules: tuple[str, ...] | None

    def about(self, policy_number: int, model: str, masked_text: str) -> bool:
        return (self.policy_number, self.model, self.masked_text) == (
            policy_number,
            model,
            masked_text,
        )


@dataclass(frozen=True)
class Consultation:
    """The model's question, made ready in a unit of work, to be asked outside any: the masked
    text and the rules that apply to the asker's groups."""

    client: ModelClient
    compiled: CompiledPolicy
    policy_number: int
    masked_text: str
    offered: tuple[str, ...]

    def ask(self) -> Opinion:
        """The model asked now (bounded by its timeout); call it with no transaction open."""
        offered = list(self.offered)
        reply = self.client.complete_json(
            messages(self.compiled.document, self.masked_text, offered)
        )
        answer = read_answer(reply, offered)
        named = answer.rules if answer is not None else None
        return Opinion(self.policy_number, self.client.model, self.masked_text, named)


class NeedsModel(Exception):  # noqa: N818 (not an error: the model is asked outside first)
    """Raised in the caller's unit of work, before the answer's log is written, when the model
    must be asked: the caller rolls the unit of work back, asks, and answers again with the
    opinion."""

    def __init__(self, consultation: Consultation) -> None:
        super().__init__("the language model is asked outside the unit of work")
        self.consultation = consultation


def model_rules(
    session: Session,
    client: ModelClient,
    compiled: CompiledPolicy,
    policy_number: int,
    masked_text: str,
    groups: Iterable[str],
    opinion: Opinion | None = None,
    model_first: bool = False,
) -> tuple[str, ...] | None:
    """The rule ids the model names for `masked_text` (cached), or None for no usable answer.
    `opinion`: the model's answer asked outside this unit of work (see the module); another
    question's opinion (the version changed meanwhile) is no answer, so one question waits
    for the model once."""
    offered = applicable_rule_ids(compiled, groups)
    known = cache.cached(session, policy_number, client.model, masked_text)
    if known is not None:
        return tuple(r for r in known if r in offered)
    consultation = Consultation(client, compiled, policy_number, masked_text, tuple(offered))
    if opinion is None and model_first:
        raise NeedsModel(consultation)
    if opinion is None:
        opinion = consultation.ask()
    elif not opinion.about(policy_number, client.model, masked_text):
        return None
    if opinion.rules is None:
        return None
    named = tuple(r for r in opinion.rules if r in offered)
    cache.store(session, policy_number, client.model, masked_text, named)
    return named


def combine(
    compiled: CompiledPolicy,
    matches: list[RuleMatch],
    named: tuple[str, ...],
    model: str,
    text: str = "",
    own: OwnContacts = NOBODY,
) -> CheckAnswer:
    """The answer from the rules' strong matches and the rules the model named; with none,
    `text`'s signs of risk still make it review (`decide`)."""
    kept = {m.rule.id: m for m in matches if m.strength == STRONG}
    weak = {m.rule.id: m for m in matches if m.strength == WEAK}
    for rule_id in named:
        if rule_id in kept:
            continue
        rule = compiled.document.rule(rule_id)
        if rule is None:
            continue
        seen = weak.get(rule_id)
        evidence = seen.evidence if seen is not None else ()
        score = seen.score if seen is not None else 1.0
        kept[rule_id] = RuleMatch(rule, evidence, score, MODEL)
    ordered = sorted(
        kept.values(),
        key=lambda m: (strictness(m.rule.verdict), -m.score, compiled.rule_order(m.rule.id)),
    )
    return decide(
        compiled,
        ordered,
        certainty_of_strong=MODEL,
        second_opinion=SecondOpinion(model, named),
        text=text,
        own=own,
    )


def reconsider(
    session: Session,
    settings: Settings,
    compiled: CompiledPolicy,
    policy_number: int,
    answer: CheckAnswer,
    text: str,
    masked_text: str,
    groups: Iterable[str],
    own: OwnContacts = NOBODY,
    opinion: Opinion | None = None,
    model_first: bool = False,
) -> CheckAnswer:
    """`answer` with the model's second opinion when it is unsure and a model is configured
    (`model_first`, `opinion`: see the module)."""
    client = client_for(settings)
    if client is None or answer.certainty not in UNSURE:
        return answer
    groups = list(groups)
    named = model_rules(
        session, client, compiled, policy_number, masked_text, groups, opinion, model_first
    )
    if named is None:
        return answer
    matches = compiled.matches(text, groups, own)
    return combine(compiled, matches, named, client.model, text, own)
