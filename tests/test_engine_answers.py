"""The answers' JSON shapes (interfaces.md), the compile cache, and text handling."""

from __future__ import annotations

import threading

from bot.answering import CheckAnswer, WhoAnswer, clear_compiled, get_compiled
from bot.answering.cache import compiled_stats
from bot.answering.stemming import dutch_stem, english_stem
from bot.answering.text import Folded, guess_language, tokenize
from bot.policy.validation import parse_policy
from tests.samples import compiled, policy_data


def test_check_json_shape() -> None:
    engine = compiled(
        [
            {
                "id": "R5",
                "verdict": "review",
                "keywords": ["journalist"],
                "role": "press",
                "section": "employees",
                "text": "Verwijs journalisten door.",
            }
        ]
    )
    data = engine.check("Een journalist belde me").to_json()
    assert data == {
        "verdict": "review",
        "policy_version": "test-1",
        "rules": [
            {
                "id": "R5",
                "verdict": "review",
                "text": "Verwijs journalisten door.",
                "section": "employees",
                "role": "press",
                "evidence": ["journalist"],
            }
        ],
        "role": {"id": "press", "name": "Pers", "contact": "@U0PRESS01"},
        "covered": True,
        "certainty": "strong",
    }
    keys = ["verdict", "policy_version", "rules", "role", "covered", "certainty"]
    assert list(data) == keys


def test_check_json_when_the_default_answers() -> None:
    data = compiled([{"id": "R", "verdict": "review", "keywords": ["x"]}]).check("hallo").to_json()
    assert data == {
        "verdict": "allowed",
        "policy_version": "test-1",
        "rules": [],
        "role": {"id": "comms", "name": "Communicatie", "contact": "#comms"},
        "covered": False,
        "certainty": "not_covered",
    }


def test_who_json_shape() -> None:
    engine = compiled(
        [{"id": "R5", "verdict": "review", "keywords": ["interview"], "role": "press"}]
    )
    data = engine.who("Wie gaat over een interview met een journalist?").to_json()
    assert list(data) == ["role", "covered", "rules", "policy_version"]
    assert data["role"] == {
        "id": "press",
        "name": "Pers",
        "contact": "@U0PRESS01",
        "handles": "Journalists",
    }
    assert data["covered"] is True and data["policy_version"] == "test-1"
    assert [r["id"] for r in data["rules"]] == ["R5"]
    assert data["rules"][0]["evidence"] == ["interview"]


def test_answers_are_typed() -> None:
    engine = compiled([{"id": "R", "verdict": "review", "keywords": ["x"]}])
    assert isinstance(engine.check("x"), CheckAnswer)
    assert isinstance(engine.who("x"), WhoAnswer)


def test_evidence_quotes_the_question_as_written() -> None:
    engine = compiled([{"id": "R", "verdict": "review", "keywords": ["clientgegevens"]}])
    answer = engine.check("Mag ik de Cliëntgegevens delen?")
    (evidence,) = answer.rules[0].evidence
    assert evidence.text == "Cliëntgegevens"
    assert (evidence.start, evidence.end) == (10, 24)


def test_get_compiled_compiles_once_per_version_key() -> None:
    clear_compiled()
    doc = parse_policy(policy_data([{"id": "R", "verdict": "review", "keywords": ["x"]}]))
    results = []
    threads = [
        threading.Thread(target=lambda: results.append(get_compiled("v1", doc))) for _ in range(8)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len({id(r) for r in results}) == 1
    assert get_compiled("v1", doc) is results[0]
    assert get_compiled("v2", doc) is not results[0]
    assert get_compiled("v1", doc).version_label == "v1"  # the document has no version
    assert get_compiled("v3", doc, version_label="2026.2").check("x").policy_version == "2026.2"
    clear_compiled()


def test_text_folding_tokens_and_language() -> None:
    folded = Folded("Privéaccount van Cliënt’s moeder")
    assert folded.text == "priveaccount van client's moeder"
    tokens = tokenize(folded)
    assert [t.text for t in tokens] == ["priveaccount", "van", "client", "moeder"]
    assert [t.text for t in tokenize("It hasn't been decided")] == [
        "it",
        "has",
        "not",
        "been",
        "decided",
    ]
    assert guess_language(tokenize("Mag ik dit op Facebook zetten?")) == "nl"
    assert guess_language(tokenize("Can I post this on Facebook?")) == "en"


def test_stemmers_strip_inflection_only() -> None:
    assert dutch_stem("klachten") == dutch_stem("klacht")
    assert dutch_stem("vragen") == dutch_stem("vraag")
    assert dutch_stem("vertrouwelijke") == dutch_stem("vertrouwelijk") != dutch_stem("vertrouwen")
    assert english_stem("reporters") == english_stem("reporter") != english_stem("reporting")
    assert english_stem("political") != english_stem("polite")
    assert english_stem("hiring") == english_stem("hire")


def test_two_threads_warming_one_version_compile_it_once() -> None:
    """A warm-up and the first question after an adoption, at the same moment: one compile,
    the other waits for it (the cache's own statistics count compiles)."""
    clear_compiled()
    rules = [
        {"id": f"R{n}", "verdict": "review", "keywords": [f"woord{n}", f"term {n}"]}
        for n in range(400)
    ]
    doc = parse_policy(policy_data(rules))
    start = threading.Barrier(2)
    results: list[object] = []

    def warm() -> None:
        start.wait()
        results.append(get_compiled(("db", 7), doc))

    threads = [threading.Thread(target=warm) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    stats = compiled_stats()
    assert stats.compiles == 1, stats
    assert results[0] is results[1]
    assert get_compiled(("db", 7), doc) is results[0]
    assert compiled_stats().compiles == 1 and compiled_stats().size == 1
    clear_compiled()


def test_token_spans_of_an_ascii_text_are_those_of_the_per_character_fold() -> None:
    # An ASCII text keeps its folded spans as the original's (no second pass); a text with
    # one accented letter at its end goes through the per-character fold: their spans agree.
    for text in (
        "We're sure it isn't Anne's, it won't   be - nor can't - the boa's",
        "hasn't, ain't; shan't: n't 't don't 'twas x-y  a--b c - d e'",
        "Mag ik  dit  op Facebook's pagina zetten, of niet?",
    ):
        plain = tokenize(Folded(text))
        accented = tokenize(Folded(text + " é"))[: len(plain)]
        assert [(t.text, t.gap, t.hyphenated, t.ostart, t.oend) for t in plain] == [
            (t.text, t.gap, t.hyphenated, t.ostart, t.oend) for t in accented
        ]
