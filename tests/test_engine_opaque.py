"""Fixed expressions that mean something else (policy-format.md, "Evidence, weighed"): a word
inside a WordNet expression that is not a kind of it ("beaver" in "eager beaver", "store" in
"department store", "ongeluk" in "per ongeluk") is no keyword, for every keyword of every
policy, unless the rule's own words around it say it is; the word an expression is a kind
of, and the modifier of a two-word noun, keep their sense."""

from __future__ import annotations

from bot.answering.opaque import opaque_words
from bot.answering.text import Folded, tokenize
from tests.samples import compiled

ESTATE = [
    {
        "id": "W",
        "verdict": "forbidden",
        "role": "comms",
        "text": "Never post where a beaver builds its lodge or dam on the estate.",
        "keywords": ["beaver"],
    },
    {
        "id": "S",
        "verdict": "forbidden",
        "role": "privacy",
        "text": "Never post photos of the collection stores.",
        "keywords": ["store"],
    },
    {
        "id": "O",
        "verdict": "review",
        "role": "crisis",
        "text": "Ask safety before you post about an accident at work.",
        "keywords": ["ongeluk"],
    },
    {
        "id": "B",
        "verdict": "review",
        "role": "press",
        "text": "Ask compliance before you write about our savings products.",
        "keywords": ["savings"],
    },
]


def _answer(text: str) -> tuple[str, list[str]]:
    answer = compiled(ESTATE).check(text)
    return answer.verdict, [m.rule.id for m in answer.rules]


def _opaque(text: str) -> list[str]:
    tokens = tokenize(Folded(text))
    words = opaque_words(tokens)
    if words is None:
        return []
    return [t.text for t in tokens if words.covers(t.ostart, t.oend)]


def test_a_keyword_inside_an_expression_that_means_something_else_is_no_evidence() -> None:
    # No rule decides on the beaver inside "eager beaver". Nothing shows the post plainly fine
    # either (no "my", not private), so it is the honest "not sure" of a post no rule covers
    # (unsure.py), never the beaver rule.
    assert _answer("Eager beaver here: first week as a volunteer and loving it!") == (
        "review",
        [],
    )
    # A colleague named makes a lone everyday keyword weak evidence; not inside the expression:
    # no rule. "My colleague" is the work in the first person, not the asker's own thing, so
    # the post no rule covers is the honest "not sure" (own_things.py), never the store rule.
    assert _answer("My colleague says the department stores were packed today!") == (
        "review",
        [],
    )
    assert _answer("Ik heb per ongeluk koffie over mijn toetsenbord gegooid") == ("allowed", [])


def test_the_same_keyword_outside_the_expression_still_counts() -> None:
    assert _answer("Can I post a photo of the beaver by the pond?") == ("forbidden", ["W"])
    assert _answer("My colleague posted a photo of our store.") == ("review", ["S"])
    assert _answer("Er was een ongeluk op de afdeling, mag ik dat posten?") == ("review", ["O"])


def test_the_rules_own_words_around_it_keep_the_keyword() -> None:
    # An eager beaver is a person, but a post about its lodge and its dam is about the animal.
    assert _answer("Look how the eager beaver built its lodge and dam!") == (
        "forbidden",
        ["W"],
    )


def test_the_modifier_of_a_noun_keeps_its_sense() -> None:
    # A savings account is no kind of savings, but it is about savings: only a head is opaque.
    assert _opaque("our new savings account") == []
    assert _answer("Can I write about our new savings account on my blog?")[1] == ["B"]


def test_only_the_word_the_expression_is_not_a_kind_of() -> None:
    assert _opaque("eager beavers") == ["beavers"]  # the last word inflected
    assert _opaque("brand new uniforms") == ["brand"]  # brand-new is new, not a brand
    assert _opaque("just in case") == ["just", "case"]
    assert _opaque("he spoke on camera") == []  # "within range of a … camera": about one


def test_an_expression_holds_only_in_its_own_language_and_without_punctuation() -> None:
    assert _opaque("we hebben het just in case van de buren geleend") == []
    assert _opaque("ik heb het per ongeluk gewist") == ["ongeluk"]
    assert _opaque("just in case") == ["just", "case"]  # no language told: either counts
    assert _opaque("Eager. Beaver") == []
