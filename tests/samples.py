"""Policies as data for the tests: the sample in examples/, and small policies built around
the rules a test names (for the policy document and answering engine tests)."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import yaml

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
SAMPLE_POLICY = EXAMPLES / "gemeente-voorbeeld.policy.yml"
SAMPLE_QUESTIONS = EXAMPLES / "gemeente-voorbeeld.questions.yml"


def sample_text(path: Path) -> str:
    """A file from examples/."""
    return path.read_text(encoding="utf-8")


def sample_questions() -> list[dict[str, Any]]:
    """The sample's labelled questions (id, kind, text, expect …)."""
    return yaml.safe_load(sample_text(SAMPLE_QUESTIONS))


def sample_policy_data() -> dict[str, Any]:
    """The sample municipality's policy as JSON-able data (dates as ISO strings)."""
    data = yaml.safe_load(sample_text(SAMPLE_POLICY))
    return json.loads(json.dumps(data, default=str))


_MINIMAL: dict[str, Any] = {
    "format": "policybot/1",
    "organisation": "Voorbeeld BV",
    "language": "nl",
    "sections": [{"id": "purpose", "title": "Waarom", "text": "Houvast, geen verbodslijst."}],
    "groups": [{"id": "editorial", "name": "Redactie", "slack": "@redactie"}],
    "roles": [
        {
            "id": "comms",
            "name": "Communicatie",
            "contact": "#communicatie",
            "handles": "Alles wat naar buiten gaat",
        }
    ],
    "rules": [
        {
            "id": "R1",
            "verdict": "forbidden",
            "text": "Deel geen persoonsgegevens.",
            "role": "comms",
            "keywords": ["persoonsgegevens"],
        }
    ],
    "default": {"verdict": "allowed", "role": "comms"},
}


def minimal_policy_data() -> dict[str, Any]:
    """A small valid policy as plain data, fresh for every call (tests change it)."""
    return copy.deepcopy(_MINIMAL)


def policy_data(
    rules: list[dict[str, Any]],
    *,
    roles: list[dict[str, Any]] | None = None,
    groups: list[dict[str, Any]] | None = None,
    language: str = "nl",
    default: dict[str, str] | None = None,
) -> dict[str, Any]:
    """A valid policy around the given rules. Roles `comms` (the default), `press`, `privacy`
    and `crisis` exist unless others are given; rules without a role get `comms`."""
    data = minimal_policy_data()
    data["language"] = language
    data["roles"] = roles or [
        {"id": "comms", "name": "Communicatie", "contact": "#comms", "handles": "Posts"},
        {
            "id": "press",
            "name": "Pers",
            "contact": "@U0PRESS01",
            "handles": "Journalists",
            "keywords": ["journalist", "pers"],
        },
        {"id": "privacy", "name": "Privacy", "contact": "privacy@voorbeeld.nl", "handles": "AVG"},
        {"id": "crisis", "name": "Crisis", "contact": "#crisis", "handles": "Crises"},
    ]
    data["groups"] = groups if groups is not None else data["groups"]
    data["rules"] = [{"role": "comms", "text": f"Rule {r['id']}.", **r} for r in rules]
    data["default"] = default or {"verdict": "allowed", "role": "comms"}
    return data


def compiled(rules: list[dict[str, Any]], **kwargs: Any) -> Any:
    """The compiled engine for a policy around `rules` (see `policy_data`)."""
    from bot.answering import compile_policy
    from bot.policy.validation import parse_policy

    return compile_policy(parse_policy(policy_data(rules, **kwargs)), "test-1")
