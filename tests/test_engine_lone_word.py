"""A lone word, noticed (policy-format.md, "Evidence, weighed"): a strict rule heard only
through one ambiguous keyword, in a post that names no one and says nothing of the work, under
an allowing default and with no sign of risk, is the default's *allowed* (not covered), still
weak: the answer names the word noticed and the role of its rule. A person, the work, "we",
a second word, a sign of risk, strong evidence or a stricter default keep the answer as it
was."""

from __future__ import annotations

from typing import Any

import pytest

from bot.answering.answers import NOT_COVERED, STRONG, WEAK
from bot.answering.frame import frame_cues
from bot.answering.lone_word import about_nobody
from bot.asking.certainty import LONE_WORD, how_sure
from tests.samples import compiled

SOURCES: dict[str, Any] = {
    "id": "N3",
    "verdict": "forbidden",
    "role": "press",
    "text": "Never reveal a confidential source or anything that identifies one.",
    "keywords": ["bron", "source"],
}
INCIDENTS: dict[str, Any] = {
    "id": "C1",
    "verdict": "review",
    "role": "crisis",
    "text": "Ask the crisis team before posting about an incident at work.",
    "keywords": ["incident"],
}
RULES = [SOURCES, INCIDENTS]


def _answer(text: str, **policy: Any) -> tuple[str, str, str, bool, list[str], list[str]]:
    answer = compiled(RULES, **policy).check(text)
    return (
        answer.verdict,
        answer.certainty,
        answer.role.id,
        answer.covered,
        [m.rule.id for m in answer.rules],
        [m.rule.id for m in answer.noticed],
    )


NOTICED_BRON = ("allowed", WEAK, "press", False, [], ["N3"])
NOTICED_INCIDENT = ("allowed", WEAK, "crisis", False, [], ["C1"])


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Ik heb een nieuwe bron gevonden", NOTICED_BRON),
        ("Mag ik posten dat ik een nieuwe bron heb gevonden?", NOTICED_BRON),
        ("Can I post that I found a new source?", NOTICED_BRON),
        ("Er was een incident", NOTICED_INCIDENT),
    ],
)
def test_one_ambiguous_keyword_alone_about_nobody_is_allowed_and_noticed(
    text: str, expected: tuple[str, str, str, bool, list[str], list[str]]
) -> None:
    assert _answer(text) == expected


def test_the_answer_says_what_was_noticed_and_whom_to_ask() -> None:
    answer = compiled(RULES).check("Ik heb een nieuwe bron gevonden")
    data = answer.to_json()
    assert (data["verdict"], data["certainty"], data["covered"], data["rules"]) == (
        "allowed",
        "weak",
        False,
        [],
    )
    assert data["noticed"] == [
        {"id": "N3", "verdict": "forbidden", "role": "press", "evidence": ["bron"]}
    ]
    assert data["role"]["id"] == "press" and "cues" not in data
    how = how_sure(data)
    assert (how.key, how.rules, how.noticed) == (LONE_WORD, ("N3",), ("bron",))


@pytest.mark.parametrize(
    "text",
    [
        "Mijn collega heeft een nieuwe bron gevonden",  # a person, and a work cue
        "Ik heb met Jorien een nieuwe bron gevonden",  # a name
        "Wij hebben een nieuwe bron gevonden",  # the organisation's "we"
        "Ik heb een nieuwe bron gevonden voor onze krant",  # "onze" before a word
        "Ik heb op kantoor een nieuwe bron gevonden",  # the workplace
        "Ik wil in de reacties zeggen dat ik een nieuwe bron heb gevonden",  # a sign of risk
    ],
)
def test_a_person_the_work_or_a_sign_keeps_the_word_as_weak_evidence(text: str) -> None:
    assert _answer(text) == ("review", WEAK, "press", True, ["N3"], ["N3"])


def test_two_words_noticed_stay_review() -> None:
    # Two ambiguous words, of two rules: two things noticed, not one lone word.
    verdict, certainty, role, covered, rules, _ = _answer("I found a new source for the incident")
    assert (verdict, certainty, role, covered) == ("review", WEAK, "crisis", True)
    assert rules == ["C1", "N3"]


def test_strong_evidence_and_a_stricter_default_stand() -> None:
    # The rule's own words around the keyword make it strong: it decides as before.
    text = "Mag ik posten dat mijn bron vertrouwelijk is?"
    assert _answer(text)[:2] == ("forbidden", STRONG)
    # Under a default of review the weak match answers as before: the default allows nothing.
    review_default = {"verdict": "review", "role": "comms"}
    expected = ("review", WEAK, "press", True, ["N3"])
    assert _answer("Ik heb een nieuwe bron gevonden", default=review_default)[:5] == expected


def test_no_rule_heard_is_not_covered_as_before() -> None:
    assert _answer("Wat een mooie zonsondergang") == (
        "allowed",
        NOT_COVERED,
        "comms",
        False,
        [],
        [],
    )


def test_about_nobody_means_no_person_no_work_and_no_we() -> None:
    cues = frame_cues([])
    assert about_nobody("Ik heb een nieuwe bron gevonden", cues)
    assert about_nobody("Three days in a row of sunshine", cues)
    assert not about_nobody("Mijn collega heeft een bron gevonden", cues)
    assert not about_nobody("She found a source", cues)
    assert not about_nobody("We found a source", cues)
    assert not about_nobody("Our new office opens", cues)
    # A private post's "our" is the asker's own life, not the organisation's.
    assert about_nobody("Our holiday in the mountains was lovely", cues)


def test_a_concept_term_alone_is_no_lone_keyword() -> None:
    # "source" is heard through a domain concept of the Dutch rule, not as its keyword.
    answer = compiled([{**SOURCES, "keywords": ["bron"]}]).check("I found a new source")
    assert (answer.verdict, answer.certainty, answer.covered) == ("review", WEAK, True)


def test_the_command_line_says_it_in_both_languages() -> None:
    from runtime.cli_asking import certainty_line

    data = compiled(RULES).check("Ik heb een nieuwe bron gevonden").to_json()
    english = certainty_line(data, "en")
    assert english.startswith("How sure: not sure. I noticed only “bron” (rule N3)")
    assert english.endswith("if your post is about that after all, ask Pers.")
    dutch = certainty_line(data, "nl")
    assert dutch.startswith("Hoe zeker: niet zeker. Ik zag alleen “bron” (regel N3)")
    assert dutch.endswith("gaat je bericht daar toch over, vraag het dan aan Pers.")
