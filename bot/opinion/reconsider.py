"""When the rules leave a question uncovered or only weakly covered, ask the model which of the
adopted version's rules apply, and combine (interfaces.md):

- the model sees the question with personal data masked, and only the rules that apply to the
  asker's groups;
- only real rule ids count; the verdict comes from those rules by the format's semantics;
- what the rules matched on strong evidence stays (detectors keep the last word); the model
  replaces only the weak matches: it may confirm them, add rules, or find that none applies;
- a model that is off, slow, failing or talking nonsense leaves the rules' answer standing.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
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


def model_rules(
    session: Session,
    client: ModelClient,
    compiled: CompiledPolicy,
    policy_number: int,
    masked_text: str,
    groups: Iterable[str],
) -> tuple[str, ...] | None:
    """The rule ids the model names for `masked_text` (cached), or None for no usable answer."""
    offered = applicable_rule_ids(compiled, groups)
    known = cache.cached(session, policy_number, client.model, masked_text)
    if known is not None:
        return tuple(r for r in known if r in offered)
    answer = read_answer(
        client.complete_json(messages(compiled.document, masked_text, offered)), offered
    )
    if answer is None:
        return None
    cache.store(session, policy_number, client.model, masked_text, answer.rules)
    return answer.rules


def combine(
    compiled: CompiledPolicy,
    matches: list[RuleMatch],
    named: tuple[str, ...],
    model: str,
    text: str = "",
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
) -> CheckAnswer:
    """`answer` with the model's second opinion when it is unsure and a model is configured."""
    client = client_for(settings)
    if client is None or answer.certainty not in UNSURE:
        return answer
    groups = list(groups)
    named = model_rules(session, client, compiled, policy_number, masked_text, groups)
    if named is None:
        return answer
    return combine(compiled, compiled.matches(text, groups, own), named, client.model, text)
