"""A rule heard in its own words (policy-format.md, "Evidence, weighed"): rare words of the
rule's text count, words every rule uses do not, words meet across inflections, derivations,
the two languages and Dutch compounds, and e-mail addresses are no words."""

from __future__ import annotations

from bot.answering.crosslang import cognate_keys
from bot.answering.frequency import zipf, zipf_nl
from bot.answering.lexicon import translations
from bot.answering.relevance import (
    Heard,
    HeardWord,
    TextIndex,
    compound_parts,
    rarity,
    rule_texts,
)
from bot.answering.text import Folded, tokenize
from tests.samples import compiled


def heard(index: TextIndex, question: str) -> dict[int, float]:
    return {
        owner: round(h.points, 2)
        for owner, h in index.hear(tokenize(Folded(question)), question).items()
    }


def test_common_words_count_less_than_rare_ones_and_framing_words_not_at_all() -> None:
    assert zipf("de") > 7 and zipf("foto") >= 5 and zipf("kazerne") < 4.5
    assert zipf("prive") > 0  # folded: the list is looked up without accents
    assert zipf_nl("kazerne") > 0 and zipf_nl("the") < zipf("the")
    assert rarity("kazerne") == 1.0
    assert 0 < rarity("gemeente") < 1.0
    for word in ("de", "the", "posten", "instagram", "foto"):
        assert rarity(word) == 0.0, word


def test_regular_cognates_meet_across_the_languages() -> None:
    for dutch, english in (
        ("locatie", "location"),
        ("locaties", "locations"),
        ("kamp", "camp"),
        ("integriteit", "integrity"),
        ("financiele", "financial"),
        ("politieke", "political"),
        ("negatieve", "negative"),
        ("kandidaten", "candidates"),
        ("discrimineren", "discriminate"),
        ("studenten", "students"),
    ):
        assert set(cognate_keys(dutch)) & set(cognate_keys(english)), (dutch, english)
    assert not set(cognate_keys("vertrouwelijk")) & set(cognate_keys("confidential"))
    assert cognate_keys("de") == ()


def test_translations_come_from_the_lexicon_without_false_friends() -> None:
    assert "kluis" in translations("vault") and "vault" in translations("kluis")
    assert "unit" in translations("eenheid")
    assert translations("brand") == []  # nl brand = fire, en brand = merk: never joined


def test_dutch_compounds_split_into_two_dutch_words() -> None:
    assert compound_parts("vakantiefoto") == ("vakantie", "foto")
    assert compound_parts("gereedschapskist") == ("gereedschap", "kist")
    assert compound_parts("personeel") == ()


def test_the_rule_that_uses_a_rare_word_is_heard_and_a_word_every_rule_uses_is_not() -> None:
    index = TextIndex(
        [
            rule_texts("Deel geen informatie over de kazerne of het kamp.", [], [], []),
            rule_texts("Deel geen informatie over collega's.", [], [], []),
            rule_texts("Deel geen informatie over klanten.", [], [], []),
        ]
    )
    scores = heard(index, "Mag ik een foto van ons kamp bij de kazerne delen?")
    assert set(scores) == {0} and scores[0] >= 1.3
    everyone = heard(index, "Is dit informatie?")
    assert all(points < 0.6 for points in everyone.values())
    camp = heard(index, "Can I post a picture of our camp near the barracks?")  # in English
    assert set(camp) == {0}


def test_e_mail_addresses_are_no_words() -> None:
    index = TextIndex([rule_texts("Het algemene adres is info@gemeentevoorbeeld.nl.", [], [], [])])
    assert heard(index, "Vragen? Schrijf naar j.devries@gemeentevoorbeeld.nl") == {}
    assert heard(index, "Wat is het algemene adres?") != {}


def test_a_paraphrase_in_the_rules_own_words_matches_without_a_keyword() -> None:
    engine = compiled(
        [
            {
                "id": "S1",
                "verdict": "forbidden",
                "text": "Never post reviews of our products without disclosing that you work here.",
                "keywords": ["fake review"],
            },
            {"id": "S2", "verdict": "review", "text": "Pass complaints to customer care."},
        ],
        language="en",
    )
    answer = engine.check(
        "Can I write a glowing review of our products, disclosing nothing about it?"
    )
    assert (answer.verdict, answer.certainty) == ("forbidden", "strong")
    assert [m.rule.id for m in answer.rules] == ["S1"]
    assert "text" in [e.kind for e in answer.rules[0].evidence]
    assert engine.check("Can I post a photo of the sunset?").covered is False


def test_a_keyword_is_heard_in_the_other_language_weakly_unless_backed() -> None:
    engine = compiled(
        [
            {
                "id": "B4",
                "verdict": "forbidden",
                "role": "crisis",
                "text": "Never post photos of the vault, the alarm or the cash deliveries.",
                "keywords": ["vault"],
            }
        ],
        language="en",
    )
    # ("een selfie in de kluis" would be strong: the lexicon knows it as a secure area.)
    weak = engine.check("Mag ik een selfie bij de kluis posten?")
    assert (weak.verdict, weak.certainty) == ("review", "weak")
    assert [e.text for e in weak.rules[0].evidence] == ["kluis"]
    backed = engine.check("Mag ik een foto van de kluis en het alarm posten?")
    assert (backed.verdict, backed.certainty) == ("forbidden", "strong")


def test_points_outside_leave_out_words_inside_a_span_or_skipped() -> None:
    words = (
        HeardWord(0, 5, "foto", 0.25),
        HeardWord(10, 17, "kazerne", 0.5),
        HeardWord(20, 26, "wapens", 0.125),
    )
    heard = Heard.of(words)
    assert heard.points == 0.875
    assert heard.points_outside([]) == 0.875
    assert heard.points_outside([(8, 18)]) == 0.375  # kazerne is inside the span
    assert heard.points_outside([(12, 18)]) == 0.875  # a span inside a word does not cover it
    assert heard.points_outside([(8, 18)], ("wapens",)) == 0.25
    assert heard.points_outside([(0, 30)]) == 0.0
    # Added in order, one by one: as `WordTextIndex.hear` adds them while it gathers them.
    tiny = Heard.of(
        (HeardWord(0, 1, "a", 1e16), HeardWord(2, 3, "b", 1.0), HeardWord(4, 5, "c", -1e16))
    )
    assert tiny.points == (1e16 + 1.0) + -1e16


def test_everyday_words_of_a_situation_count_for_a_little_and_the_commonest_for_nothing() -> None:
    # A post described by its situation is told in everyday words (round 20).
    assert 0.3 < rarity("police") < 0.5 and 0.3 < rarity("report") < 0.5
    for word in ("goed", "mensen", "nieuwe", "people", "good"):
        assert rarity(word) == 0.0, word
    assert rarity("werk") < 0.1 and rarity("team") < 0.15


def test_a_situation_told_in_the_rules_everyday_words_is_heard_strongly() -> None:
    engine = compiled(
        [
            {
                "id": "U1",
                "verdict": "forbidden",
                "role": "comms",
                "text": "Do not post pictures of yourself or colleagues in police uniform or "
                "with a police car on a private account.",
                "keywords": ["uniform"],
            },
            {
                "id": "U2",
                "verdict": "review",
                "text": "Pass questions from journalists to the press office.",
                "keywords": ["journalist"],
            },
            {
                "id": "U3",
                "verdict": "allowed",
                "text": "Share the official posts of the force.",
                "keywords": ["official post"],
            },
        ],
        language="en",
    )
    answer = engine.check("Can I post a selfie next to the police car with my colleague?")
    assert (answer.verdict, answer.certainty) == ("forbidden", "strong")
    assert [m.rule.id for m in answer.rules] == ["U1"]
    assert [e.kind for e in answer.rules[0].evidence] == ["text"]
    # One everyday word of the rule is still no evidence.
    assert engine.check("Can I post a photo of my new car?").covered is False
