"""What the model is asked, and how its answer is read.

The model sees the adopted version's rules (id, verdict, text, and the author's examples) and
the question with personal data masked, and answers `{"rules": [ids], "explanation": text}`.
Only ids of the adopted version count; an answer that names none of them while naming
something, or is not of that shape, is no answer.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from bot.policy.model import PolicyDocument

MAX_RULE_TEXT = 600  # characters per rule: a long policy must still fit a small model's context

SYSTEM = (
    "You apply an organisation's social media policy. You get its rules and one post or "
    "question from an employee (Dutch or English; personal data is masked with *). Name the "
    "ids of the rules that apply to it: a rule applies when the post falls under what the "
    "rule's text says, even in other words; not when it only shares a word with it. Answer "
    'with one JSON object: {"rules": ["RULE-ID", ...], "explanation": "one sentence"}. '
    'Use "rules": [] when no rule applies.'
)


def messages(
    document: PolicyDocument, masked_question: str, rule_ids: Iterable[str]
) -> list[dict[str, str]]:
    """The chat for `masked_question`, offering the rules in `rule_ids` (those that apply to
    the asker's groups)."""
    offered = set(rule_ids)
    rules: list[dict[str, Any]] = []
    for rule in document.rules:
        if rule.id not in offered:
            continue
        entry: dict[str, Any] = {
            "id": rule.id,
            "verdict": rule.verdict,
            "text": rule.text[:MAX_RULE_TEXT],
        }
        if rule.examples:
            entry["examples"] = list(rule.examples[:3])
        if rule.not_examples:
            entry["not_examples"] = list(rule.not_examples[:3])
        rules.append(entry)
    user = json.dumps({"rules": rules, "post": masked_question}, ensure_ascii=False)
    return [{"role": "system", "content": SYSTEM}, {"role": "user", "content": user}]


@dataclass(frozen=True)
class ModelAnswer:
    rules: tuple[str, ...]  # real rule ids only, in the order named
    explanation: str


def read_answer(data: dict[str, Any] | None, rule_ids: Iterable[str]) -> ModelAnswer | None:
    """The model's answer, or None when it is no answer (wrong shape, or only invented ids)."""
    if not isinstance(data, dict):
        return None
    named = data.get("rules")
    if not isinstance(named, list) or not all(isinstance(r, str) for r in named):
        return None
    known = set(rule_ids)
    real = tuple(dict.fromkeys(r.strip() for r in named if r.strip() in known))
    if named and not real:
        return None  # it talked about rules that do not exist: nonsense, not "none apply"
    explanation = data.get("explanation")
    return ModelAnswer(real, explanation[:500] if isinstance(explanation, str) else "")
