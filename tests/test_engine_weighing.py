"""Evidence, weighed (policy-format.md): strong evidence decides, weak evidence is noticed and
caps the verdict at review, look-alikes are dropped, and the asker's own details are theirs."""

from __future__ import annotations

import pytest

from bot.answering import compile_policy
from bot.answering.engine import CompiledPolicy
from bot.answering.ownership import OwnContacts
from bot.policy.yaml_io import load_policy_yaml
from tests.samples import SAMPLE_POLICY, compiled, sample_text


@pytest.fixture(scope="module")
def sample() -> CompiledPolicy:
    doc = load_policy_yaml(sample_text(SAMPLE_POLICY))
    return compile_policy(doc, doc.version or "")


SOURCES = [
    {
        "id": "N3",
        "verdict": "forbidden",
        "role": "press",
        "text": "Never reveal a confidential source or anything that identifies one.",
        "keywords": ["source", "bron"],
    }
]


def test_one_ambiguous_keyword_alone_is_weak_and_never_forbidden() -> None:
    engine = compiled(SOURCES)
    # A colleague named: the post may be about the work (else "A lone word, noticed").
    answer = engine.check("Mijn collega heeft een nieuwe bron gevonden")
    assert (answer.verdict, answer.certainty) == ("review", "weak")
    assert [m.rule.id for m in answer.rules] == ["N3"] and answer.role.id == "press"
    assert [m.rule.id for m in answer.noticed] == ["N3"]
    data = answer.to_json()
    assert data["certainty"] == "weak"
    assert data["noticed"] == [
        {"id": "N3", "verdict": "forbidden", "role": "press", "evidence": ["bron"]}
    ]


def test_the_rules_own_words_or_the_meant_sense_make_it_strong() -> None:
    engine = compiled(SOURCES)
    # "identifies" is a word of the rule's own text: it corroborates "source"
    assert engine.check("Can I post a hint that identifies my source?").certainty == "strong"
    assert engine.check("Can I post a hint that identifies my source?").verdict == "forbidden"
    # "journalist" says which sense of "bron" is meant
    assert engine.check("Mijn bron bij de politie belde een journalist").verdict == "forbidden"


@pytest.mark.parametrize(
    "text",
    [
        "Dit boek was een bron van inspiratie voor mijn rubriek",
        "We love open source software and share our source code",
    ],
)
def test_an_innocent_sense_drops_the_keyword(text: str) -> None:
    answer = compiled(SOURCES).check(text)
    assert (answer.rules, answer.noticed, answer.covered) == ((), (), False)  # no rule heard
    # Not allowed outright where "we ... our" speak of the work (risk.our_work_cue): still no
    # rule's, and never forbidden.
    assert answer.verdict == ("review" if text.startswith("We") else "allowed")


def test_look_alikes_of_brand_and_scoop() -> None:
    engine = compiled(
        [
            {"id": "F", "verdict": "forbidden", "keywords": ["brand", "fire"], "role": "crisis"},
            {"id": "S", "verdict": "review", "keywords": ["scoop"], "role": "press"},
        ]
    )
    assert engine.check("So proud of our brand new playground!").covered is False
    assert engine.check("Best ice cream in town, get a scoop of vanilla").covered is False
    assert engine.check("Er is brand, de brandweer is al onderweg").verdict == "forbidden"
    assert engine.check("Er is een bosbrand bij de heide").verdict == "forbidden"  # compound


def test_health_data_of_a_person_is_personal_data(sample: CompiledPolicy) -> None:
    for text in (
        "Mijn collega Jan zit thuis met een burn-out",
        "Petra heeft kanker, mag ik een kaartje-actie op Facebook zetten?",
    ):
        answer = sample.check(text)
        assert (answer.verdict, answer.role.id) == ("forbidden", "privacy"), text
        assert [m.rule.id for m in answer.rules] == ["R01"]


def test_general_health_advice_is_nobodys_health_data(sample: CompiledPolicy) -> None:
    answer = sample.check("Tip voor iedereen: de griepprik helpt tegen ziekte in de winter")
    assert answer.verdict == "allowed"


def test_an_address_is_personal_data_when_the_rule_names_addresses(sample: CompiledPolicy) -> None:
    answer = sample.check("Mevrouw de Boer van de Dorpsstraat 12 belt elke dag, grappig toch?")
    assert (answer.verdict, [m.rule.id for m in answer.rules]) == ("forbidden", ["R01"])
    assert answer.to_json()["rules"][0]["evidence"] == ["Do********* **"]


def test_my_own_work_number_is_mine(sample: CompiledPolicy) -> None:
    own = sample.check("0612345678 is mijn werknummer, bel me gerust met vragen")
    assert own.verdict == "allowed"
    someone = sample.check("Bel mevrouw Bakker op 0612345678")
    assert someone.verdict == "forbidden"


def test_the_askers_own_details_from_their_profile_are_no_evidence(
    sample: CompiledPolicy,
) -> None:
    text = "Vragen over de subsidie? Mail naar j.devries@gemeentevoorbeeld.nl of 06-12345678"
    assert sample.check(text).verdict == "forbidden"
    mine = OwnContacts.of(["+31 6 1234 5678", "J.deVries@gemeentevoorbeeld.nl"])
    assert sample.check(text, own=mine).verdict == "allowed"


def test_examples_and_not_examples_teach_the_rule() -> None:
    rule = {
        "id": "L",
        "verdict": "forbidden",
        "role": "press",
        "text": "Do not announce unpublished results.",
        "examples": ["We beat the sales target by far this quarter, can I post our numbers?"],
        "not_examples": ["My running club beat its target for the charity run"],
    }
    engine = compiled([rule])
    hit = engine.check("Can I post that we beat the quarter sales target?")
    assert hit.covered and hit.verdict in ("forbidden", "review")
    assert engine.check("My running club beat its target for the charity run!").covered is False


def test_context_words_corroborate_an_ambiguous_keyword() -> None:
    rule = {"id": "C", "verdict": "forbidden", "keywords": ["missie"], "role": "crisis"}
    weak = compiled([rule]).check("Volgende week op missie")
    assert weak.verdict == "review" or weak.certainty == "strong"
    with_context = compiled([{**rule, "context": ["vertrekken", "kazerne"]}])
    answer = with_context.check("Volgende week vertrekken we vanaf de kazerne op missie")
    assert (answer.verdict, answer.certainty) == ("forbidden", "strong")


def test_paraphrases_through_the_domain_lexicon() -> None:
    engine = compiled(
        [
            {
                "id": "V",
                "verdict": "forbidden",
                "role": "comms",
                "text": "Deel geen vertrouwelijke informatie, zoals een reorganisatie.",
                "keywords": ["vertrouwelijk"],
            },
            {
                "id": "P",
                "verdict": "review",
                "role": "press",
                "text": "Do not misrepresent yourself or use a false identity.",
            },
        ]
    )
    closure = engine.check(
        "Heard in the board meeting they will close the ward and let 40 nurses go"
    )
    assert (closure.verdict, [m.rule.id for m in closure.rules]) == ("forbidden", ["V"])
    second = engine.check("Can I make a second account under another name to follow them?")
    assert (second.verdict, second.role.id) == ("review", "press")


CONFIDENTIAL = [
    {
        "id": "V1",
        "verdict": "forbidden",
        "text": "Deel geen vertrouwelijke informatie en niets uit interne overleggen.",
        "keywords": ["vertrouwelijk"],
    }
]


def test_a_concept_phrase_decides_for_a_rule_it_is_central_to() -> None:
    engine = compiled(CONFIDENTIAL)
    answer = engine.check("Dat besluit is nog niet openbaar, mag ik het alvast delen?")
    assert (answer.verdict, answer.certainty) == ("forbidden", "strong")
    assert answer.rules[0].evidence[0].kind == "concept"


def test_a_term_that_only_suggests_a_concept_is_weak_evidence() -> None:
    engine = compiled(CONFIDENTIAL)
    answer = engine.check("Ik hoorde dat de kantine dichtgaat. Mag ik dat delen?")
    assert (answer.verdict, answer.certainty) == ("review", "weak")
