"""Evidence explained by another rule (policy-format.md, "Evidence, weighed"): words another
rule names as its own keyword are that rule's evidence first, a rule reached only through its
own words or the lexicon gives way to a rule that matched on its own signals, rules for other
groups take part in explaining, and a strong allowed rule outweighs weak stricter matches."""

from __future__ import annotations

from typing import Any

from tests.samples import compiled

REVIEWS = [
    {
        "id": "S7",
        "verdict": "review",
        "role": "press",
        "text": "Pass negative comments and bad reviews by customers to the care team.",
        "keywords": ["one-star", "bad review", "complaint"],
    },
    {
        "id": "S8",
        "verdict": "forbidden",
        "role": "privacy",
        "text": "Never post reviews of our products without disclosing that you work here, "
        "and never use fake accounts. Reviews count as complaints too.",
        "keywords": ["fake review", "fake account"],
    },
]


def test_a_keyword_of_one_rule_is_not_concept_evidence_for_another() -> None:
    engine = compiled(REVIEWS, language="en")
    answer = engine.check("A customer left a one-star review about our store. Can I reply?")
    assert (answer.verdict, answer.role.id) == ("review", "press")
    assert [m.rule.id for m in answer.rules] == ["S7"]


def test_a_rule_for_another_group_explains_the_question_without_answering_it() -> None:
    rules = [
        {
            "id": "Y1",
            "verdict": "forbidden",
            "role": "privacy",
            "applies_to": ["editorial"],
            "text": "Editors accept no follow requests from sources on a personal account.",
            "keywords": ["follow request"],
        },
        {
            "id": "Y2",
            "verdict": "review",
            "role": "press",
            "text": "Photos of sources and their personal accounts go to the desk first.",
        },
    ]
    engine = compiled(rules, language="en")
    editor = engine.check("A source sent me a follow request on my personal account.", "editorial")
    assert (editor.verdict, [m.rule.id for m in editor.rules]) == ("forbidden", ["Y1"])
    other = engine.check("A source sent me a follow request on my personal account.")
    # Y1 is what the question is about, but not for this asker; Y2 only shares words with it.
    assert (other.verdict, other.covered) == ("allowed", False)


def test_a_strong_allowed_rule_outweighs_stricter_weak_matches() -> None:
    rules = [
        {
            "id": "P1",
            "verdict": "allowed",
            "text": "Show that you are proud of your work.",
            "keywords": ["trots op", "proud of"],
        },
        {
            "id": "F1",
            "verdict": "review",
            "text": "Foto's met herkenbare collega's eerst voorleggen.",
            "keywords": ["foto"],
        },
    ]
    engine = compiled(rules)
    answer = engine.check("Trots op mijn werk! Mag ik een foto met mijn buurman posten?")
    assert (answer.verdict, answer.certainty) == ("allowed", "strong")
    assert [m.rule.id for m in answer.rules] == ["P1"]
    assert [m.rule.id for m in answer.noticed] == ["F1"]  # said, not decided on
    # An everyday keyword with nothing of its rule, no person and no concept around it is no
    # evidence at all: a toolbox is not a photo of colleagues.
    toolbox = engine.check("Trots op mijn werk! Mag ik een foto van mijn gereedschapskist posten?")
    assert (toolbox.verdict, [m.rule.id for m in toolbox.noticed]) == ("allowed", [])
    strict = engine.check("Trots! Mag ik een foto van mijn collega's herkenbaar posten?")
    assert strict.verdict == "review"  # corroborated: the stricter rule decides


def test_a_rules_own_words_another_rule_names_as_keywords_are_no_text_evidence() -> None:
    """A rule's text is heard in the question's words less those another rule names as its
    own keywords. The engine looks at the other rules' claims only when enough of the text is
    heard without them (points are only taken away); here it is, and the claims still count."""
    own_text: dict[str, Any] = {
        "id": "A",
        "verdict": "forbidden",
        "keywords": ["kazerne"],
        "text": "Geen beelden van de kazerne, de wapenkamer of de munitieopslag.",
    }
    claims: dict[str, Any] = {
        "id": "B",
        "verdict": "review",
        "keywords": ["wapenkamer", "munitieopslag"],
        "text": "Vraag eerst.",
    }
    question = "Mag ik iets over de wapenkamer en de munitieopslag delen?"
    alone = compiled([own_text]).matches(question)
    assert [(m.rule.id, [e.kind for e in m.evidence]) for m in alone] == [("A", ["text"])]
    both = compiled([own_text, claims]).matches(question)
    assert [m.rule.id for m in both] == ["B"]
