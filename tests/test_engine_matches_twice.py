"""One analysis for the answer and for masking (`CompiledPolicy.matches_twice`): the same
matches as two separate calls, for every development-set question, every group and with the
asker's own contact details in the text or not, and the same values as the detectors find;
and a new question's answer and masked text are what they were when each had its own
analysis."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from bot.answering import compile_policy
from bot.answering.detectors import detect_all
from bot.answering.ownership import NOBODY, OwnContacts
from bot.asking import service
from bot.policy.yaml_io import load_policy_yaml

ROOT = Path(__file__).resolve().parents[1]
POLICIES = [ROOT / "examples" / "gemeente-voorbeeld"] + sorted(
    p.with_name(p.name.removesuffix(".policy.yml"))
    for p in (ROOT / "benchmarks" / "devset").glob("*.policy.yml")
)
OWN_PHONE, OWN_MAIL = "06-12345678", "j.devries@gemeentevoorbeeld.nl"
MINE = OwnContacts.of(["+31 6 1234 5678", OWN_MAIL])
# Personal data, some of it the asker's own: the case where the two analyses differ.
EXTRA = [
    f"Vragen over de subsidie? Mail naar {OWN_MAIL} of bel {OWN_PHONE}",
    f"Mag ik het nummer van mijn collega delen, 06-87654321, en het mijne: {OWN_PHONE}?",
    "Can I post the IBAN NL91ABNA0417164300 and my colleague's plate GX-412-K?",
]


def _texts(base: Path) -> list[str]:
    cases: list[dict[str, Any]] = yaml.safe_load(
        base.with_name(base.name + ".questions.yml").read_text("utf-8")
    )
    return [c["text"] for c in cases] + EXTRA


@pytest.mark.parametrize("base", POLICIES, ids=lambda p: p.name)
def test_one_analysis_gives_what_two_calls_give(base: Path) -> None:
    doc = load_policy_yaml(base.with_name(base.name + ".policy.yml").read_text("utf-8"))
    compiled = compile_policy(doc, "v")
    everyone = sorted({"all", *(g.id for g in doc.groups)})
    compared = differing = 0
    for text in _texts(base):
        for groups in [["all"], *(["all", g.id] for g in doc.groups)]:
            for own in (NOBODY, MINE):
                mine, everyones, detected = compiled.matches_twice(text, groups, own, everyone)
                assert mine == compiled.matches(text, groups, own)
                assert everyones == compiled.matches(text, everyone)
                assert detected == detect_all(text)
                compared += 1
        differing += compiled.matches(text, everyone) != compiled.matches(text, everyone, MINE)
    assert compared >= 2 * len(_texts(base))
    assert differing >= 1, "the asker's own details change some analysis"


def test_a_new_question_is_answered_and_masked_as_before() -> None:
    base = POLICIES[0]
    doc = load_policy_yaml(base.with_name(base.name + ".policy.yml").read_text("utf-8"))
    policy = service.AdoptedPolicy(1, "v1", doc, compile_policy(doc, "v1"))
    for text in _texts(base):
        answer, shown = service._checked_and_masked(policy, text, ["all"], MINE)
        assert answer == policy.compiled.check(text, ["all"], MINE)
        policy.masked_texts.clear()  # each way from nothing
        assert shown == service.masked(policy, text)
        # Masked before: the answer alone is worked out, the masked text remembered.
        assert service._checked_and_masked(policy, text, ["all"], MINE) == (answer, shown)
    assert OWN_PHONE not in service.masked(policy, EXTRA[0])  # masked for the log all the same
