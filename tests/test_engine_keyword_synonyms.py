"""A keyword heard in the words that mean the same (round 25, `recall25`): a rule's keywords are
indexed with its text, each word met in the forms the keyword matcher accepts and, since round
25, through the lexicon's translations and the thesaurus's synsets, at a keyword word's weight;
never through derivations or cognates (policy-format.md, "The rule's own words")."""

from __future__ import annotations

from typing import Any

from bot.answering.relevance import KEYWORD_SOURCE, TextIndex, keyword_terms, rule_texts
from bot.answering.text import Folded, tokenize
from bot.answering.thesaurus import synsets
from bot.answering.weighing import TEXT_WEAK
from tests.samples import compiled

# A Dutch policy's rule and an English one, each with a keyword its text does not say.
SHIFTS_NL = {
    "id": "W",
    "verdict": "forbidden",
    "role": "comms",
    "text": "Niets over onze werkwijze: geen tactieken, niets over de bezetting van de dienst.",
    "keywords": ["rooster"],
}
DECENCY_EN = {
    "id": "D",
    "verdict": "forbidden",
    "role": "comms",
    "text": "Keep to common decency: never hurt or smear anyone, not even as a joke.",
    "keywords": ["bullying"],
}
RIVALS_EN = {
    "id": "R",
    "verdict": "forbidden",
    "role": "comms",
    "text": "No provocative replies to other companies' posts.",
    "keywords": ["competitor"],
}
OTHER_NL = {"id": "V", "verdict": "allowed", "role": "comms", "keywords": ["vacature"]}
OTHER_EN = {"id": "V", "verdict": "allowed", "role": "comms", "keywords": ["vacancy"]}


def _points(rule: dict[str, Any], question: str, *, keywords: bool = True) -> float:
    """What the rule's own words (text and keywords) account for in `question`, next to a
    second rule that shares none of them."""
    own = rule_texts(rule["text"], rule["keywords"] if keywords else [], (), ())
    other = rule_texts("Share our vacancies and open days.", ["vacancy"], (), ())
    heard = TextIndex([own, other]).hear(tokenize(Folded(question)), question)
    return heard[0].points if 0 in heard else 0.0


def test_a_keyword_is_heard_in_the_other_language_through_the_lexicons_translations() -> None:
    # translations.yml: `rooster` ~ "schedule", `bullying` ~ "treiteren"; no word of the texts.
    assert _points(SHIFTS_NL, "Can I post the schedule?") > 0.0
    assert _points(SHIFTS_NL, "Can I post the schedule?", keywords=False) == 0.0
    assert _points(DECENCY_EN, "Mag ik posten hoe we een collega treiteren?") > 0.0
    assert _points(DECENCY_EN, "Mag ik posten hoe we een collega treiteren?", keywords=False) == 0


def test_a_keyword_is_heard_in_other_words_through_the_thesaurus() -> None:
    assert synsets("competitor") & synsets("rival")
    assert _points(RIVALS_EN, "Can I post a GIF about our rival?") > 0.0
    assert _points(RIVALS_EN, "Can I post a GIF about our rival?", keywords=False) == 0.0


def test_a_keyword_in_other_words_counts_for_less_than_as_written() -> None:
    as_written = _points(SHIFTS_NL, "Mag ik het rooster posten?")
    translated = _points(SHIFTS_NL, "Can I post the schedule?")
    assert as_written > translated > 0.0
    # A keyword's word is worth half a text word (`KEYWORD_SOURCE`): one of them met in other
    # words is never weak evidence on its own.
    assert translated < TEXT_WEAK * KEYWORD_SOURCE * 2


def test_never_through_derivations_or_cognates() -> None:
    # A keyword means itself: Snowball's derivational stems ("reporter" and "reporting" are
    # both `report`) and the cross-language spellings stay the text's, not the keyword's.
    assert not [term for term, _ in keyword_terms("reporter") if term.startswith(("s:", "x:"))]
    assert not [term for term, _ in keyword_terms("rooster") if term.startswith(("s:", "x:"))]
    reporters = {
        **DECENCY_EN,
        "text": "Refer the press to the spokesperson.",
        "keywords": ["reporter"],
    }
    assert _points(reporters, "Can I post about the reporting of our results?") == 0.0


def test_one_keyword_met_in_other_words_alone_decides_nothing() -> None:
    # "schedule" is the Dutch keyword `rooster`, but alone it is no evidence: no rule is heard,
    # and the answer is the "not sure" of a post no rule covers.
    engine = compiled([SHIFTS_NL, OTHER_NL], language="nl")
    assert engine.matches("Can I post next week's schedule of our unit?") == []
    answer = engine.check("Can I post next week's schedule of our unit?")
    assert (answer.verdict, answer.certainty) == ("review", "weak")


def test_a_keyword_in_other_words_adds_to_the_rules_text() -> None:
    # "planning" (the keyword `rooster` in other words) and "dienst" (the text's) together:
    # the rule's own words account for more of the post than its text alone does.
    post = "Mag ik de planning van de dienst van volgende week posten?"
    assert _points(SHIFTS_NL, post) > _points(SHIFTS_NL, post, keywords=False) > 0.0
    engine = compiled([SHIFTS_NL, OTHER_NL], language="nl")
    assert [m.rule.id for m in engine.matches(post)] == ["W"]
    english = compiled([DECENCY_EN, OTHER_EN], language="en")
    assert english.matches("Can I post our team photo?") == []
