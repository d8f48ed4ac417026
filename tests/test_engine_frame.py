"""A lone keyword in a private post (policy-format.md, "Evidence, weighed"): a strict rule's
everyday word in a post about the asker's private life, with nothing else of the rule and no
third person, is no evidence; at work, with the rule's own words, with a person, or as a term of
art it still is. So is any weak evidence of a strict rule there (an ambiguous word, a concept
term, a few words of its text)."""

from __future__ import annotations

from typing import Any

from bot.answering.engine import CompiledPolicy
from bot.answering.frame import frame_cues, private_frame
from bot.answering.text import Folded, Token, tokenize
from tests.samples import compiled


def _rule(rule_id: str, verdict: str, text: str, *keywords: str) -> dict[str, Any]:
    return {
        "id": rule_id,
        "verdict": verdict,
        "role": "comms",
        "text": text,
        "keywords": [*keywords],
    }


WITNESSES = [
    _rule(
        "W",
        "forbidden",
        "Zet nooit iets online over een getuige in een lopend onderzoek of over een verdachte.",
        "getuige",
        "steekpartij",
    ),
    _rule("U", "forbidden", "Never post photos of yourself in uniform while off duty.", "uniform"),
]


def _answer(engine: CompiledPolicy, text: str) -> tuple[str, str, list[str]]:
    answer = engine.check(text)
    return answer.verdict, answer.certainty, [m.rule.id for m in answer.rules]


def test_a_lone_everyday_keyword_in_a_private_post_is_no_evidence() -> None:
    engine = compiled(WITNESSES)
    wedding = "Mag ik op Facebook zetten: 'Trotse getuige op de bruiloft van mijn broer vandaag!'"
    assert _answer(engine, wedding) == ("allowed", "not_covered", [])
    dog = "Can I post a photo of my dog dressed in a tiny uniform for the costume parade?"
    assert _answer(engine, dog) == ("allowed", "not_covered", [])


def test_the_same_word_at_work_or_about_someone_still_decides() -> None:
    engine = compiled(WITNESSES)
    # No private cue: the word is read in the policy's sense, as before.
    plain = "Mag ik posten dat ik vandaag getuige was?"
    assert _answer(engine, plain) == ("forbidden", "strong", ["W"])
    # A work cue outweighs a private one: "my colleague's birthday" is about a colleague.
    colleague = "Mag ik op de verjaardag van mijn collega posten dat hij getuige was?"
    assert _answer(engine, colleague)[0] == "forbidden"
    # A third person in the post: it may be about them, so the word still counts.
    neighbour = "Mag ik posten dat Petra getuige was? Ze vierde net haar verjaardag."
    assert _answer(engine, neighbour)[0] == "forbidden"
    # The rule's own words around the keyword corroborate it, private cue or not.
    inquiry = "Mag ik na mijn verjaardag posten dat ik getuige ben in een lopend onderzoek?"
    assert _answer(engine, inquiry)[0] == "forbidden"


def test_a_term_of_art_keeps_its_sense_in_a_private_post() -> None:
    engine = compiled(WITNESSES)
    # "steekpartij" is rarer than once in a million words: it has no everyday sense to mistake.
    stabbing = "Mag ik op mijn verjaardag posten dat er een steekpartij was?"
    assert _answer(engine, stabbing) == ("forbidden", "strong", ["W"])


def test_an_allowed_rules_keyword_is_weighed_as_before() -> None:
    rules = [
        _rule("P", "allowed", "Be proud of our volunteers and share their work.", "volunteers"),
    ]
    text = "So proud of the volunteers who painted the day centre, on my birthday too!"
    assert _answer(compiled(rules), text) == ("allowed", "strong", ["P"])


def words(text: str) -> list[Token]:
    return tokenize(Folded(text))


def test_a_policy_about_private_life_hears_its_own_words_as_work() -> None:
    # A sports club's policy is about its matches and training: they are no private cue there.
    lexicon = frame_cues(["Be polite about the referee."])
    club = frame_cues(["Say nothing about a referee's decision after a wedstrijd or training."])
    post = words("Mag ik de opstelling van de jeugdwedstrijd posten?")
    assert private_frame(post, lexicon)
    assert not private_frame(post, club)
    # A short cue counts only as a whole word of the policy: "kat" is not in "katholiek".
    church = frame_cues(["Spreek niet namens de katholieke parochie."])
    assert private_frame(words("Mag ik een foto van mijn kat posten?"), church)
    # Family counts as private only as the asker's own: "een vader" may be a client's father.
    assert private_frame(words("mijn vader was jarig"), lexicon)
    assert not private_frame(words("een vader schold me uit"), lexicon)
    assert not private_frame(words("my colleague's birthday party"), lexicon)


INCIDENTS = [
    _rule(
        "S",
        "forbidden",
        "Never post about a security incident before it is resolved.",
        "incident",
    ),
    _rule("P", "allowed", "You may share that you are proud of your work.", "proud"),
]


def test_weak_evidence_in_a_private_post_is_no_evidence() -> None:
    # "incident" alone is ambiguous (weak); here it is the asker's dog's, with nobody else.
    engine = compiled(INCIDENTS, language="en")
    dog = "Can I post that my dog had a minor incident with a possum last night?"
    assert _answer(engine, dog) == ("allowed", "not_covered", [])
    hond = "Mag ik posten dat mijn hond gisteren een klein incident had met een egel?"
    assert _answer(engine, hond) == ("allowed", "not_covered", [])


def test_weak_evidence_at_work_or_about_someone_is_still_noticed() -> None:
    engine = compiled(INCIDENTS, language="en")
    office = "Can I post that we had a minor incident at the office last night?"
    assert _answer(engine, office) == ("review", "weak", ["S"])
    # A third person in a private post: it may be about them.
    daughter = "Can I post that my dog had a minor incident with the neighbour's daughter?"
    assert _answer(engine, daughter) == ("review", "weak", ["S"])
    colleague = "Mag ik posten dat mijn hond gisteren een klein incident had met een collega?"
    assert _answer(engine, colleague) == ("review", "weak", ["S"])
