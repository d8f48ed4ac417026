"""The strings a regular expression cannot match without (`bot.answering.necessary_text`):
what the signs of risk's prefilter rules questions out with. Whatever it answers must hold for
every match; where it cannot tell, it says so (None) rather than guess."""

from __future__ import annotations

import random
import re

from bot.answering.necessary_text import necessary_per_alternative


def _holds(needs: list[list[frozenset[str]]], text: str) -> bool:
    return any(all(any(s in text for s in strings) for strings in sets) for sets in needs)


def test_fixed_text_is_every_string_it_can_be() -> None:
    assert necessary_per_alternative(r"\bnot (yet )?(announced|public)") == [
        [frozenset({"not announced", "not public", "not yet announced", "not yet public"})]
    ]
    assert necessary_per_alternative("vertrouwelijke?") == [
        [frozenset({"vertrouwelijk", "vertrouwelijke"})]
    ]


def test_each_alternative_has_its_own_needs() -> None:
    assert necessary_per_alternative("under embargo|(?:embargoed)") == [
        [frozenset({"under embargo"})],
        [frozenset({"embargoed"})],
    ]


def test_free_words_cut_the_text_in_sets_that_must_all_be_held() -> None:
    (sets,) = necessary_per_alternative(r"(photo|video) of (\w+ ){0,2}(guests|patients)\b") or []
    assert frozenset({"guests", "patients"}) in sets
    assert frozenset({"photo of ", "video of "}) in sets


def test_what_it_cannot_tell_is_none() -> None:
    assert necessary_per_alternative(r"\w+ed") == [[frozenset({"ed"})]]  # weak, but it holds
    assert necessary_per_alternative(r"(report)?") is None  # may match nothing
    assert necessary_per_alternative(r"(?i)confidential") is None  # case ignored inside
    assert necessary_per_alternative(r"(?i:confidential)") is None
    assert necessary_per_alternative(r"[a-z]+ of the") is None  # "of the" rules out nothing
    assert necessary_per_alternative(r"secret|.+") is None  # one alternative is any text


def test_every_match_holds_what_is_needed() -> None:
    # Random texts of each pattern's own words: wherever it matches, its needs are held.
    cases = {
        r"\b(we|i) (were|was) (called|sent) (out )?(to|for)\b": "we i were was called sent out to",
        r"\b(photo|foto) (of|van) (the|de) ((\w+|\w+-\w+) ){0,2}(man|vrouw|guests)\b": (
            "photo foto of van the de old-town man vrouw guests"
        ),
        r"\b(is|was) (\w+ )?(ziek|pregnant|fired)\b|burn(ed|t) (down|out)\b": (
            "is was very ziek pregnant fired burned burnt down out"
        ),
        r"\bcall(ed)?[- ]?out to (a|an|the)\b|x{2,3}y": "call called-out callout out to a an xx xy",
    }
    rng = random.Random(3)
    for pattern, words in cases.items():
        needs = necessary_per_alternative(pattern)
        assert needs is not None
        compiled, vocabulary = re.compile(pattern), words.split()
        matched = 0
        for _ in range(4000):
            text = " ".join(rng.choice(vocabulary) for _ in range(rng.randint(2, 12)))
            text = text.replace(" xy", "xy") if rng.random() < 0.5 else text
            if compiled.search(text):
                matched += 1
                assert _holds(needs, text), (pattern, text)
        assert matched > 10, pattern  # the texts did put the claim to the test
