"""`answer_quality.py --llm`: the rules' answer with the configured language model's second
opinion, as `check` gives it, without a database (no cache: every question is asked)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from bot.answering.answers import CheckAnswer
from bot.answering.engine import CompiledPolicy
from bot.asking.masking import mask_personal_data
from bot.opinion.prompt import messages, read_answer
from bot.opinion.reconsider import UNSURE, applicable_rule_ids, client_for, combine
from bot.settings import load_settings


def configured_opinion() -> Callable[[CompiledPolicy, str, Any], CheckAnswer]:
    client = client_for(load_settings())
    if client is None:
        raise SystemExit("--llm needs POLICYBOT_LLM_URL and POLICYBOT_LLM_MODEL")

    def opinion(engine: CompiledPolicy, text: str, groups: Any) -> CheckAnswer:
        answer = engine.check(text, groups)
        if answer.certainty not in UNSURE:
            return answer
        offered = applicable_rule_ids(engine, groups)
        masked = mask_personal_data(text)
        named = read_answer(
            client.complete_json(messages(engine.document, masked, offered)), offered
        )
        if named is None:
            return answer
        return combine(engine, engine.matches(text, groups), named.rules, client.model, text)

    return opinion
