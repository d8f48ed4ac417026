"""Every non-hard labelled question on the sample policy is answered right."""

from __future__ import annotations

from typing import Any

import pytest
import yaml

from bot.answering import compile_policy
from bot.answering.engine import CompiledPolicy
from bot.policy.yaml_io import load_policy_yaml
from tests.samples import SAMPLE_POLICY, SAMPLE_QUESTIONS, sample_text

CASES: list[dict[str, Any]] = yaml.safe_load(SAMPLE_QUESTIONS.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def engine() -> CompiledPolicy:
    doc = load_policy_yaml(sample_text(SAMPLE_POLICY))
    return compile_policy(doc, doc.version or "")


@pytest.mark.parametrize("case", [c for c in CASES if not c.get("hard")], ids=lambda c: c["id"])
def test_sample_question(engine: CompiledPolicy, case: dict[str, Any]) -> None:
    groups = ["all", *case.get("groups", [])]
    expect = case["expect"]
    if case["kind"] == "check":
        answer = engine.check(case["text"], groups)
        got = {
            "verdict": answer.verdict,
            "rules": sorted(m.rule.id for m in answer.rules),
            "role": answer.role.id,
            "covered": answer.covered,
        }
        wanted = {
            "verdict": expect["verdict"],
            "rules": sorted(expect["rules"]),
            "role": expect["role"],
            "covered": expect.get("covered", True),
        }
    else:
        who = engine.who(case["text"], groups)
        got = {"role": who.role.id, "covered": who.covered}
        wanted = {"role": expect["role"], "covered": expect.get("covered", True)}
    assert got == wanted


def test_sample_answers_never_show_personal_data_in_full(engine: CompiledPolicy) -> None:
    texts = {c["id"]: c["text"] for c in CASES}
    for case_id, secret in (("Q01", "111222333"), ("Q02", "0417"), ("Q03", "12345678")):
        assert secret not in str(engine.check(texts[case_id]).to_json())
    assert "peter.jansen72" not in str(engine.check(texts["Q04"]).to_json())
