"""How rules match: inflections in both languages, the other language, compounds, phrases,
unless, patterns, groups, precedence and the default."""

from __future__ import annotations

import pytest

from bot.answering.stemming import dutch_participle_stems, keyword_reach_keys, word_keys
from tests.samples import compiled


def verdict(engine, text: str, groups=("all",)) -> str:  # type: ignore[no-untyped-def]
    """The verdict of a rule that decided; "default" when none did. A strict rule heard only
    through one ambiguous keyword, in a post that names no one and says nothing of the work,
    is noticed and the default answers (policy-format.md, "A lone word, noticed"): the rule
    was heard, weakly, which is what these tests ask, so that counts as "review"."""
    answer = engine.check(text, groups)
    if not answer.covered and answer.noticed and answer.certainty == "weak":
        return "review"  # heard, weakly, as any weak answer: noticed and never forbidden
    return answer.verdict if answer.covered else "default"


# -- words --------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "keyword, text",
    [
        ("klacht", "Er staan tientallen klachten onder ons bericht"),
        ("vertrouwelijk", "een foto van de vertrouwelijke notitie"),
        ("uniform", "ik in mijn uniforme jas"),
        ("vraag", "drie vragen van inwoners"),
        ("complaint", "we got two complaints"),
        ("reporter", "Two reporters messaged me"),
        ("election", "the municipal elections"),
        ("hire", "We're hiring!"),
        ("casualty", "no casualties reported"),
        ("persoonsgegevens", "PERSOONSGEGEVENS"),
        ("privéaccount", "op mijn priveaccount"),  # accents do not matter
        ("cliënt", "een Cliënt van ons"),
    ],
)
def test_keywords_match_inflected_forms(keyword: str, text: str) -> None:
    engine = compiled([{"id": "K", "verdict": "review", "keywords": [keyword]}])
    assert verdict(engine, text) == "review"


@pytest.mark.parametrize(
    "keyword, text",
    [
        ("reporter", "Can I report the broken streetlight?"),  # derivation, not inflection
        ("political", "Please be polite to residents"),
        ("emergency", "new artists are emerging"),
        ("vertrouwelijk", "Ik heb vertrouwen in ons team"),
        ("pers", "10 euro per persoon"),  # whole words only, and "per" is no form of "pers"
        ("geheim", "geheimzinnig"),
        ("case", "my new suitcase"),
        ("brand", "ik heb me verbrand"),
    ],
)
def test_keywords_do_not_match_other_words(keyword: str, text: str) -> None:
    engine = compiled([{"id": "K", "verdict": "review", "keywords": [keyword]}])
    assert verdict(engine, text) == "default"


@pytest.mark.parametrize(
    "keyword, text",
    [
        ("pesten", "Ik word online gepest door leerlingen"),  # ge- + stem ending in -t
        ("melden", "Ik heb het incident al gemeld"),  # ge- + stem ending in -d
        ("filmen", "Een collega heeft de aanhouding gefilmd"),  # ge- + stem + -d
        ("fotograferen", "Ik heb de patiënt gefotografeerd"),
        ("tweeten", "Mijn collega heeft het al getweet"),
    ],
)
def test_a_dutch_verb_keyword_matches_its_past_participle(keyword: str, text: str) -> None:
    engine = compiled([{"id": "K", "verdict": "review", "keywords": [keyword]}])
    assert verdict(engine, text) == "review"


def test_past_participles_reach_keywords_only() -> None:
    """The participle's stem is a way to a keyword, not a new key of the word: rule texts and
    the domain lexicon keep to the word's own keys."""
    assert dutch_participle_stems("gepest") == ("pest",)
    assert dutch_participle_stems("gefilmd")[0] == "film"
    assert dutch_participle_stems("geheim") == ()  # no -t or -d: no participle
    assert dutch_participle_stems("gezet") == ()  # `zet` is too short a stem to join on
    assert "n:pest" in keyword_reach_keys("gepest")
    assert "n:pest" not in word_keys("gepest")


def test_a_participle_takes_t_or_d_as_dutch_spells_it() -> None:
    """-t after a voiceless stem ending ('t kofschip), -d after any other: "geplant" is
    `planten`'s participle, and a post about planting never reaches the keyword `planen`
    (to plan), whose participle is "gepland"."""
    assert dutch_participle_stems("geplant") == ("plant",)
    assert dutch_participle_stems("gepland")[0] == "plan"
    engine = compiled([{"id": "P", "verdict": "review", "keywords": ["planen"]}])
    assert verdict(engine, "We hebben vandaag bomen geplant") == "default"
    assert verdict(engine, "Ik heb de reorganisatie al gepland") == "review"


def test_who_hears_a_role_keyword_in_its_participle() -> None:
    roles = [
        {"id": "comms", "name": "Communicatie", "contact": "#comms", "handles": "Posts"},
        {
            "id": "trust",
            "name": "Vertrouwenspersoon",
            "contact": "#vertrouwen",
            "handles": "Pesten en bedreigen, ook online",
            "keywords": ["pesten"],
        },
    ]
    engine = compiled([{"id": "A", "verdict": "allowed", "keywords": ["vakantie"]}], roles=roles)
    who = engine.who("Bij wie moet ik zijn als ik online gepest word?")
    assert (who.role.id, who.covered) == ("trust", True)


def test_a_keyword_in_ing_is_a_noun_not_its_verb() -> None:
    engine = compiled([{"id": "K", "verdict": "review", "keywords": ["earnings", "melding"]}])
    assert verdict(engine, "our quarterly earnings") == "review"
    assert verdict(engine, "drie meldingen") == "review"
    assert verdict(engine, "What do we earn from this?") == "default"
    assert verdict(engine, "Meld je aan voor de training") == "default"


def test_phrases_match_their_words_in_sequence() -> None:
    engine = compiled([{"id": "K", "verdict": "review", "keywords": ["boze inwoner"]}])
    assert verdict(engine, "Een boze inwoner belde") == "review"
    assert verdict(engine, "twee boze inwoners") == "review"
    # not the phrase; an angry resident is still a complaint to the lexicon, as weak evidence
    assert engine.check("de inwoner was boze").certainty in ("weak", "not_covered")
    sentence_break = engine.check("hij was boze. Inwoner X belde")  # not the phrase
    assert sentence_break.certainty in ("weak", "not_covered")


def test_hyphenated_and_joined_forms_meet() -> None:
    engine = compiled(
        [{"id": "K", "verdict": "review", "keywords": ["nep-account", "woo verzoek"]}]
    )
    for text in ("een nep-account", "een nepaccount", "een nep account", "een Woo-verzoek"):
        assert verdict(engine, text) == "review", text


def test_dutch_compounds() -> None:
    engine = compiled(
        [
            {"id": "F", "verdict": "forbidden", "keywords": ["brand", "crisis"], "role": "crisis"},
            {"id": "P", "verdict": "review", "keywords": ["pers"], "role": "press"},
        ]
    )
    assert verdict(engine, "Er is een bosbrand bij de heide") == "forbidden"
    assert verdict(engine, "De coronacrisis is voorbij") == "forbidden"
    assert verdict(engine, "Wie beantwoordt persvragen?") == "review"
    # Not compounds of the keywords: a prefix, another word, an English word.
    assert verdict(engine, "Ik heb me verbrand") == "default"
    assert verdict(engine, "Het personeel is blij") == "default"
    assert verdict(engine, "Please compress the file and express it") == "default"


def test_the_other_language_through_the_lexicon() -> None:
    engine = compiled([{"id": "W", "verdict": "review", "keywords": ["klacht", "journalist"]}])
    assert verdict(engine, "Een inwoner zit te klagen op Instagram") == "review"
    assert verdict(engine, "We got a complaint on Facebook") == "review"
    assert verdict(engine, "The local paper wants a quote") == "review"
    english = compiled([{"id": "W", "verdict": "review", "keywords": ["complaint"]}])
    assert verdict(english, "Onder ons bericht staan tientallen klachten") == "review"


def test_the_lexicon_has_no_false_friends() -> None:
    engine = compiled([{"id": "F", "verdict": "forbidden", "keywords": ["fire", "disaster"]}])
    assert verdict(engine, "Our brand is strong") == "default"
    assert verdict(engine, "a ramp for wheelchairs") == "default"


def test_a_keyword_the_policy_routes_elsewhere_is_not_claimed_by_a_stem() -> None:
    roles = [
        {"id": "comms", "name": "C", "contact": "#c", "handles": "x", "keywords": ["branding"]},
        {"id": "crisis", "name": "K", "contact": "#k", "handles": "y"},
    ]
    engine = compiled(
        [{"id": "F", "verdict": "forbidden", "keywords": ["brand"], "role": "crisis"}], roles=roles
    )
    assert verdict(engine, "Our new branding is live") == "default"
    # "brand" alone is ambiguous (fire, or a brand): weak evidence, so review, never forbidden
    assert verdict(engine, "Er is brand") == "review"
    assert engine.check("Er is brand").certainty == "weak"
    assert verdict(engine, "Er is brand, de brandweer is onderweg") == "forbidden"
    assert engine.who("Who handles our branding?").role.id == "comms"


# -- unless -----------------------------------------------------------------------------
def test_unless_cancels_the_matches_it_covers() -> None:
    engine = compiled(
        [
            {
                "id": "G",
                "verdict": "forbidden",
                "keywords": ["geheim", "patient"],
                "unless": ["geen geheim", "be patient"],
            }
        ]
    )
    assert verdict(engine, "Het is geen geheim dat ik trots ben") == "default"
    assert verdict(engine, "Please be patient with us") == "default"
    # the unless covers only the words it names; "geheim" on its own is weak evidence
    assert verdict(engine, "Het is geen geheim, maar dit is geheim") == "review"
    evidence = engine.check("geen geheim, dit is geheim").to_json()["noticed"][0]["evidence"]
    assert evidence == ["geheim"]


def test_unless_covers_pattern_matches() -> None:
    engine = compiled(
        [
            {
                "id": "P",
                "verdict": "forbidden",
                "patterns": [r"\bref\s*\d{4}"],
                "unless": ["ref 0000"],
            }
        ]
    )
    assert verdict(engine, "zie ref 1234") == "forbidden"
    assert verdict(engine, "zie REF 0000") == "default"


def test_patterns_are_case_insensitive_regexes() -> None:
    engine = compiled([{"id": "P", "verdict": "forbidden", "patterns": [r"\bww\s*[:=]\s*\S+"]}])
    answer = engine.check("Inloggen met WW: Zomer2026!")
    assert answer.verdict == "forbidden"
    assert answer.to_json()["rules"][0]["evidence"] == ["WW: *********!"]  # the secret masked


# -- groups, precedence, default --------------------------------------------------------
def test_group_rules_apply_only_to_their_groups() -> None:
    engine = compiled(
        [{"id": "B", "verdict": "forbidden", "keywords": ["uniform"], "applies_to": ["editorial"]}]
    )
    assert verdict(engine, "Selfie in my uniform") == "default"
    assert verdict(engine, "Selfie in my uniform", ("all", "editorial")) == "forbidden"
    assert verdict(engine, "Selfie in my uniform", ["editorial"]) == "forbidden"  # all implied
    assert verdict(engine, "Selfie in my uniform", "editorial") == "forbidden"


def test_the_strictest_verdict_wins_and_decides() -> None:
    engine = compiled(
        [
            {"id": "A", "verdict": "allowed", "keywords": ["trots"]},
            {"id": "R", "verdict": "review", "keywords": ["journalist"], "role": "press"},
            {"id": "F", "verdict": "forbidden", "keywords": ["vertrouwelijk"], "role": "privacy"},
        ]
    )
    answer = engine.check("Trots! Een journalist vroeg naar het vertrouwelijke stuk")
    assert answer.verdict == "forbidden"
    assert [m.rule.id for m in answer.rules] == ["F"]
    assert answer.role.id == "privacy"
    assert [m.rule.id for m in answer.weaker] == ["R", "A"]
    review = engine.check("Trots! Een journalist belde")
    assert (review.verdict, [m.rule.id for m in review.rules]) == ("review", ["R"])


def test_an_allowed_rule_never_overrules_a_strict_one() -> None:
    engine = compiled(
        [
            {"id": "F", "verdict": "forbidden", "keywords": ["explosie"]},
            {"id": "A", "verdict": "allowed", "keywords": ["nl-alert"]},
        ]
    )
    assert engine.check("Mag ik het NL-Alert over de explosie delen?").verdict == "forbidden"


def test_the_role_is_the_best_scoring_deciding_rule() -> None:
    engine = compiled(
        [
            {"id": "R1", "verdict": "review", "keywords": ["journalist"], "role": "press"},
            {"id": "R2", "verdict": "review", "keywords": ["klacht", "boze inwoner"]},
        ]
    )
    answer = engine.check("Een boze inwoner met een klacht belde ook een journalist")
    assert {m.rule.id for m in answer.rules} == {"R1", "R2"}
    assert answer.role.id == "comms"  # R2 matched more, and more specifically


def test_no_match_gives_the_default_not_covered() -> None:
    engine = compiled(
        [{"id": "F", "verdict": "forbidden", "keywords": ["geheim"]}],
        default={"verdict": "review", "role": "press"},
    )
    answer = engine.check("Kijk eens naar onze nieuwe bankjes")
    assert (answer.verdict, answer.rules, answer.role.id, answer.covered) == (
        "review",
        (),
        "press",
        False,
    )


# -- who ------------------------------------------------------------------------------------
def test_who_picks_the_role_whose_keywords_and_rules_match_best() -> None:
    engine = compiled(
        [
            {"id": "R1", "verdict": "review", "keywords": ["interview"], "role": "press"},
            {"id": "P1", "verdict": "forbidden", "keywords": ["datalek"], "role": "privacy"},
        ]
    )
    who = engine.who("Een journalist wil een interview")
    assert (who.role.id, who.covered, [m.rule.id for m in who.rules]) == ("press", True, ["R1"])
    assert engine.who("Ik heb een datalek veroorzaakt").role.id == "privacy"


def test_who_ties_go_to_the_role_of_the_strictest_rule() -> None:
    engine = compiled(
        [
            {"id": "A", "verdict": "allowed", "keywords": ["selfie"], "role": "comms"},
            {"id": "F", "verdict": "forbidden", "keywords": ["kleuter"], "role": "privacy"},
        ]
    )
    assert engine.who("Een selfie met een kleuter").role.id == "privacy"


def test_who_without_a_match_is_the_default_role_not_covered() -> None:
    engine = compiled([{"id": "F", "verdict": "forbidden", "keywords": ["geheim"]}])
    who = engine.who("Who do I ask about the dress code for the party?")
    assert (who.role.id, who.covered, who.rules) == ("comms", False, ())


def test_who_respects_groups_and_unless() -> None:
    engine = compiled(
        [
            {
                "id": "R",
                "verdict": "review",
                "keywords": ["agenda"],
                "role": "press",
                "applies_to": ["editorial"],
                "unless": ["job interview"],
            }
        ],
    )
    assert engine.who("de agenda van de burgemeester").covered is False
    assert engine.who("de agenda van de burgemeester", ["editorial"]).role.id == "press"
