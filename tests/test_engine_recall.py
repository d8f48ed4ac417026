"""Recall by domain knowledge, and no false alarms from look-alikes (policy-format.md, "Evidence,
weighed"): what the lexicon knows makes a rule heard in words it does not list, and what it
knows of everyday senses keeps an innocent post from being called a breach."""

from __future__ import annotations

from typing import Any

from bot.answering.engine import CompiledPolicy
from tests.samples import compiled


def _rule(rule_id: str, verdict: str, role: str, text: str, *keywords: str) -> dict[str, Any]:
    return {
        "id": rule_id,
        "verdict": verdict,
        "role": role,
        "text": text,
        "keywords": list(keywords),
    }


FIGURES = [
    _rule(
        "F",
        "forbidden",
        "comms",
        "Never disclose non-public financial information such as sales.",
        "omzet",
        "revenue",
    )
]


def _answer(engine: CompiledPolicy, text: str) -> tuple[str, str, list[str]]:
    answer = engine.check(text)
    return answer.verdict, answer.certainty, [m.rule.id for m in answer.rules]


def _evidence(engine: CompiledPolicy, text: str) -> list[tuple[str, str]]:
    return [(e.kind, e.text) for m in engine.check(text).rules for e in m.evidence]


def test_a_distinctive_word_of_a_concept_the_rule_names_is_strong() -> None:
    engine = compiled(FIGURES, language="en")
    # "omgezet" is not the keyword "omzet" in any inflection, but a rare word of the concept
    # (figures) that the keyword names.
    text = "Mag ik posten wat de winkel gisteren omgezet heeft?"
    assert _answer(engine, text) == ("forbidden", "strong", ["F"])
    assert _evidence(engine, text) == [("concept", "omgezet")]


def test_an_amount_only_suggests_figures() -> None:
    engine = compiled(FIGURES, language="en")
    charity = "Can I post that our branch raised $500 for charity?"
    assert _answer(engine, charity) == ("review", "weak", ["F"])
    # In a post about the asker's private life, with nobody else, one weak hint is no evidence
    # (test_engine_frame.py).
    club = "Can I post that my running club raised $500 for charity?"
    assert _answer(engine, club) == ("allowed", "not_covered", [])
    # Two different signs of company figures together are strong.
    assert _answer(engine, "Can I post that deposits are up 30% this quarter?")[:2] == (
        "forbidden",
        "strong",
    )


def test_a_concept_the_rule_merely_mentions_is_one_weak_hint() -> None:
    rules = [
        _rule(
            "C1",
            "forbidden",
            "crisis",
            "Do not use our accounts for party politics.",
            "party politics",
        )
    ]
    engine = compiled(rules, language="en")
    text = (
        "Someone started a Facebook page called 'Friends of the Kitchen' and asked me to help"
        " set it up. Can I?"
    )
    # Two terms of "new accounts", a concept the rule only mentions in passing: noticed.
    assert _answer(engine, text) == ("review", "weak", ["C1"])


def test_someones_contact_details_are_personal_data_and_ours_are_not() -> None:
    text = "Never share personal information about customers, such as addresses or phone numbers."
    rules = [_rule("PI", "forbidden", "privacy", text, "personal information")]
    engine = compiled(rules, language="en")
    lady = "A lady left her shopping list with her phone number on it. Can I post it as a joke?"
    assert _answer(engine, lady) == ("forbidden", "strong", ["PI"])
    assert _answer(engine, "Can I post our shop's phone number on Facebook?")[:2] == (
        "review",
        "weak",
    )


MISSION = [
    _rule("M", "forbidden", "crisis", "Deel niets over waar eenheden op missie gaan.", "missie")
]


def test_a_word_whose_usual_sense_is_the_policys_needs_no_corroboration() -> None:
    engine = compiled(MISSION)
    assert _answer(engine, "Mag ik delen dat we volgende maand op missie gaan?") == (
        "forbidden",
        "strong",
        ["M"],
    )
    # Its figurative use is innocent, and earns no points as the rule's own words either.
    swim = "Mijn dochter had zwemles, wat een missie was dat! Mag ik een foto delen?"
    assert _answer(engine, swim) == ("allowed", "not_covered", [])


def test_an_everyday_keyword_alone_is_no_evidence_for_a_strict_rule() -> None:
    rules = [
        _rule("F1", "review", "comms", "Foto's met herkenbare collega's eerst voorleggen.", "foto")
    ]
    engine = compiled(rules)
    assert _answer(engine, "Mag ik een foto van mijn zelfgebakken appeltaart posten?") == (
        "allowed",
        "not_covered",
        [],
    )
    assert _answer(engine, "Mag ik een foto van mijn collega posten?") == (
        "review",
        "strong",
        ["F1"],
    )
    # A person is enough to keep it as a weak hint.
    assert _answer(engine, "Mag ik een foto van de buurman posten?") == ("review", "weak", ["F1"])


def test_private_use_of_a_rules_word_is_innocent() -> None:
    text = "Foto's of berichten over renovaties en nieuwbouw stem je af met de projectleider."
    rules = [_rule("R", "review", "comms", text, "renovatie", "nieuwbouw")]
    engine = compiled(rules)
    own = "Wat een renovatie van mijn eigen badkamer, eindelijk klaar! Mag ik dat posten?"
    assert _answer(engine, own) == ("allowed", "not_covered", [])
    # A paraphrase of a building project without the keywords is heard through the lexicon.
    flats = "Mag ik een filmpje van het appartementencomplex posten dat we aan het opleveren zijn?"
    assert _answer(engine, flats)[::2] == ("review", ["R"])


PARAPHRASES = [
    # (keyword the rule names its subject by, a post that says it in other words)
    ("reorganisatie", "Mag ik op LinkedIn zetten dat onze vestiging in Tilburg dichtgaat?"),
    ("layoffs", "Can I tweet that jobs will be cut at the Leeds office next spring?"),
    ("bron", "Mag ik vertellen dat iemand van binnen me dit heeft verteld?"),
    ("source", "Can I say who tipped me off about the fraud story?"),
    ("nepaccount", "Mag ik onder een alias reageren op de reviews van onze winkel?"),
    ("fake account", "Can I make an alt account to reply to complaints about us?"),
    ("embargo", "Mag ik alvast delen wat nog niet naar buiten is gebracht?"),
    ("financial results", "Can I post our quarterly numbers before the results come out?"),
]


def test_a_rule_is_heard_in_paraphrases_its_keywords_do_not_list() -> None:
    for keyword, text in PARAPHRASES:
        rules = [_rule("X", "forbidden", "comms", "Share nothing about this subject.", keyword)]
        assert _answer(compiled(rules), text) == ("forbidden", "strong", ["X"]), text


def test_everyday_ways_of_naming_the_press_access_passes_and_side_businesses() -> None:
    """Lexicon entries an employee in any sector would use: an editor who wants to film, a
    quote for the paper, a swipe card and a keypad, a side business."""
    press = compiled(
        [
            _rule(
                "P",
                "review",
                "press",
                "Beantwoord geen vragen van journalisten zelf; verwijs ze naar de woordvoerder.",
                "journalist",
                "pers",
            )
        ]
    )
    for text in (
        "Een redacteur van de lokale omroep wil morgen met mij filmen. Mag dat?",
        "Someone from the newspaper wants a quote from me about the outage.",
    ):
        assert _answer(press, text) == ("review", "strong", ["P"])
    assert _answer(press, "Mag ik een foto van mijn hond posten?")[1] == "not_covered"
    security = compiled(
        [
            _rule(
                "S",
                "forbidden",
                "crisis",
                "Deel niets over de beveiliging van onze gebouwen: toegang, alarm en sleutels.",
                "beveiliging",
            )
        ]
    )
    text = "Can I post a video of me opening the door with my swipe card? You can see the keypad."
    assert _answer(security, text) == ("forbidden", "strong", ["S"])
    side = compiled(
        [
            _rule(
                "C",
                "review",
                "comms",
                "Avoid conflicts of interest: never promote your own business with your position.",
                "conflict of interest",
            )
        ],
        language="en",
    )
    text = "I run a small side business restoring furniture. Can I mention it on my profile?"
    assert _answer(side, text) == ("review", "strong", ["C"])
