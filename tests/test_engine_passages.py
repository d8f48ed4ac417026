"""Relevant passages for free questions; similarity and grouping of uncovered questions."""

from __future__ import annotations

from bot.answering.passages import group_similar, relevant_passages
from bot.policy.validation import parse_policy
from bot.policy.yaml_io import load_policy_yaml
from tests.samples import SAMPLE_POLICY, policy_data, sample_text


def test_relevant_passages_finds_section_paragraphs_and_rules() -> None:
    data = policy_data(
        [
            {"id": "R1", "verdict": "review", "keywords": ["klacht"], "text": "Klachten: webcare."},
            {"id": "R2", "verdict": "forbidden", "keywords": ["geheim"], "text": "Niets geheims."},
        ]
    )
    data["sections"] = [
        {
            "id": "practice",
            "title": "Praktijk",
            "text": "Over TikTok beslissen we later.\n\nWebcare reageert op vragen en klachten.",
        }
    ]
    doc = parse_policy(data)
    found = relevant_passages(doc, "Waar laat ik klachten over de app?", limit=2)
    assert [(p.kind, p.rule_id) for p in found] == [("rule", "R1"), ("section", None)]
    assert found[1].section_id == "practice" and found[1].title == "Praktijk"
    assert found[1].text == "Webcare reageert op vragen en klachten."
    assert found[0].score >= found[1].score > 0
    assert relevant_passages(doc, "complaints?", limit=1)[0].rule_id == "R1"  # other language
    assert relevant_passages(doc, "xyzzy") == []
    assert relevant_passages(doc, "klachten", limit=0) == []


def test_relevant_passages_on_the_sample() -> None:
    doc = load_policy_yaml(sample_text(SAMPLE_POLICY))
    found = relevant_passages(doc, "Mogen we een TikTok-account voor de bibliotheek beginnen?")
    assert found and found[0].rule_id == "R15"  # new accounts go through Communicatie


def test_how_alike_two_texts_must_be_to_group() -> None:
    assert group_similar(["Mag ik op TikTok?", "Mag ik op TikTok?"], 1.0) == [[0, 1]]
    assert group_similar(["klachten over afval", "complaints about waste"], 0.01) == [[0, 1]]
    unrelated = ["Mag ik een TikTok account?", "Wat is de dresscode?"]
    assert group_similar(unrelated, 0.01) == [[0], [1]]
    assert group_similar(["", "iets"], 0.01) == [[0], [1]]
    a = "Mag ik een TikTok account beginnen?"
    close, far = "Kunnen we een TikTok-account beginnen?", "TikTok"
    assert group_similar([a, close, far], 0.5) == [[0, 1], [2]]


def test_group_similar_groups_alike_questions() -> None:
    texts = [
        "Mag ik een TikTok account beginnen?",
        "Wat is de dresscode op het kerstfeest?",
        "Kunnen we een TikTok-account beginnen voor de bibliotheek?",
        "Dresscode kerstfeest?",
        "Hoe laat begint de vergadering?",
    ]
    assert group_similar(texts, 0.3) == [[0, 2], [1, 3], [4]]
    assert group_similar([], 0.3) == []
    assert group_similar(texts, 1.01) == [[0], [1], [2], [3], [4]]
