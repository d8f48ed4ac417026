"""The open thesaurus (policy-format.md, "The rule's own words"): a word of the question that
shares a WordNet synset with a word of a rule's own text earns points, for less than the word
itself or a translation of the hand-written lexicon; weighed as the rule's text always is."""

from __future__ import annotations

from bot.answering.relevance import TextIndex
from bot.answering.text import Folded, tokenize
from bot.answering.thesaurus import synsets
from tests.samples import compiled

SCENES = [
    {
        "id": "S",
        "verdict": "forbidden",
        "role": "comms",
        "text": "Never post about a wound, a corpse or an accusation at a scene you attended.",
        "keywords": ["slachtoffer"],
    },
    {
        "id": "V",
        "verdict": "allowed",
        "role": "comms",
        "text": "You may share our vacancies and open days.",
        "keywords": ["vacature"],
    },
]


def _answer(text: str) -> tuple[str, str, list[str]]:
    answer = compiled(SCENES).check(text)
    return answer.verdict, answer.certainty, [m.rule.id for m in answer.rules]


def _points(rule_text: str, question: str) -> float:
    heard = TextIndex([[(rule_text, 1.0)]]).hear(tokenize(Folded(question)), question)
    return heard[0].points if heard else 0.0


def test_the_rules_words_in_other_words_are_weak_evidence() -> None:
    # "lijk" is a corpse and "verwonding" a wound, in Dutch: no keyword, no word of the rule,
    # nothing in the hand-written lexicon; a reader sees the rule at once.
    post = "Mag ik een foto posten van het lijk en de verwonding die we vannacht zagen?"
    assert [(m.rule.id, m.strength) for m in compiled(SCENES).matches(post)] == [("S", "weak")]
    # Only the forbidding rule is heard, in its own words: it decides (policy-format.md,
    # "Forbidding rules alone").
    assert _answer(post) == ("forbidden", "strong", ["S"])


def test_one_word_met_through_the_thesaurus_is_not_enough() -> None:
    # A word has several senses and the table does not know which one a post means: alone it
    # stays below weak evidence, as a single everyday word of a rule's text does: no rule is
    # heard, and the answer is the "not sure" of a post no rule covers (unsure.py).
    assert _answer("Mag ik posten over de verwonding van de fietser?") == ("review", "weak", [])


def test_a_synonym_counts_for_less_than_the_word_itself_or_a_translation() -> None:
    as_written = _points("Never post about an injury.", "an injury")
    translated = _points("Never post about an injury.", "een letsel")  # translations.yml
    synonym = _points("Never post about an injury.", "een verwonding")  # only the thesaurus
    assert as_written > translated > synonym > 0.0


def test_words_meet_in_inflected_forms() -> None:
    assert synsets("klanten") & synsets("customer")
    assert synsets("customers") & synsets("klant")


def test_a_word_of_the_other_language_spelled_alike_stays_out() -> None:
    # Dutch `teen` (toe) is commoner as English "teen", `brand` (fire) as English "brand":
    # the engine cannot tell the language of a word, so neither joins the Dutch meaning.
    assert not synsets("teen") & synsets("vinger")
    assert not synsets("brand") & synsets("fire")
    assert _points("Do not post pictures of a fire.", "ons brand") == 0.0
