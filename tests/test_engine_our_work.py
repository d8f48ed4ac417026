"""A post about the work that no rule covers (policy-format.md, "Signs of risk when no rule
applies"): under a policy whose default allows it, a post no rule matched that speaks of the
organisation as the asker's own ("we", "our", "onze", "ons team") and is not private is
*review* on weak evidence, quoting those words and naming the role whose own keywords,
description or concepts the post uses (as "who handles this?" weighs them), or else the
default role. It is never
forbidden, never overrules a rule that matched, leaves a stricter default alone, and gives way
to a sign of risk. On the command line: test_engine_risk_cues; in Slack:
test_asking_honesty."""

from __future__ import annotations

from bot.answering.answers import NOT_COVERED, STRONG, WEAK
from bot.answering.risk import OUR_WORK
from bot.asking.certainty import OUR_WORK as OUR_WORK_KEY
from bot.asking.certainty import SIGN_OF_RISK, how_sure
from bot.opinion.reconsider import combine
from tests.samples import compiled, policy_data
from tests.test_engine_risk_cues import CLINIC


def _answer(text: str, **kwargs: object) -> tuple[str, str, list[str], list[tuple[str, str]]]:
    answer = compiled(CLINIC, **kwargs).check(text)
    return (
        answer.verdict,
        answer.certainty,
        [m.rule.id for m in answer.rules],
        [(c.source, c.text) for c in answer.cues],
    )


def test_a_post_about_our_work_that_no_rule_covers_asks_to_check_first() -> None:
    answer = compiled(CLINIC).check("Can I post that our ward moves to the new wing in May?")
    assert (answer.verdict, answer.certainty, answer.covered) == ("review", WEAK, False)
    assert answer.rules == () and answer.role.id == "comms"  # the default role to ask
    assert [(c.source, c.text) for c in answer.cues] == [(OUR_WORK, "our ward moves")]
    assert answer.to_json()["cues"] == [{"kind": OUR_WORK, "evidence": "our ward moves"}]
    how = how_sure(answer.to_json())
    assert (how.certainty, how.key, how.rules) == (WEAK, OUR_WORK_KEY, ())
    assert how.noticed == ("our ward moves",)


def test_we_and_our_in_both_languages() -> None:
    assert _answer("Mag ik posten dat onze afdeling volgende maand verhuist?") == (
        "review", WEAK, [], [(OUR_WORK, "onze afdeling volgende")],
    )  # fmt: skip
    assert _answer("Mag ik tweeten dat we morgen een nieuwe scanner krijgen?")[3] == [
        (OUR_WORK, "we morgen een")
    ]
    assert _answer("We're moving the lab upstairs. Can I post a picture of the boxes?")[3] == [
        (OUR_WORK, "We're moving the")
    ]
    # The quote ends with its clause.
    assert _answer("Can I share ons team, in een foto?")[3] == [(OUR_WORK, "ons team")]


def test_the_askers_private_life_and_what_others_do_to_us_are_no_sign() -> None:
    # Private: the asker's own family, holiday or hobby (frames.yml), with no work cue.
    assert _answer("Can I post a photo from our family holiday in Wales?") == (
        "allowed", NOT_COVERED, [], [],
    )  # fmt: skip
    assert _answer("Mag ik een foto van onze hond posten?")[:2] == ("allowed", NOT_COVERED)
    # "us", and a Dutch "ons" before no word of content: what others do, not ours.
    assert _answer("Can I ask the band to tag us in their concert video?")[3] == []
    assert _answer("Dat scheelt ons een hoop gedoe, mag ik dat zeggen?")[3] == []
    # No first person plural at all: the default answers as before.
    assert _answer("Can I post a picture of the sunset from the roof?")[:2] == (
        "allowed", NOT_COVERED,
    )  # fmt: skip


def test_a_rule_that_matched_decides() -> None:
    assert _answer("Can I share our vacancy for a night nurse?")[:3] == ("allowed", STRONG, ["V"])
    assert _answer("Can I post the diagnosis our ward gave him?")[:3] == (
        "forbidden", STRONG, ["P"],
    )  # fmt: skip


def test_a_sign_of_risk_comes_first_and_a_stricter_default_stands() -> None:
    text = "Can I post that our ward moves in May? It's not announced yet."
    assert _answer(text)[3] == [("unpublished", "not announced")]
    assert how_sure(compiled(CLINIC).check(text).to_json()).key == SIGN_OF_RISK
    strict = {"verdict": "review", "role": "privacy"}
    about_work = "Can I post that our ward moves to the new wing in May?"
    assert _answer(about_work, default=strict) == ("review", NOT_COVERED, [], [])


def test_a_model_that_names_no_rule_leaves_the_sign_standing() -> None:
    engine = compiled(CLINIC)
    text = "Can I post that our ward moves to the new wing in May?"
    answer = combine(engine, engine.matches(text), (), "fake-1", text)
    assert (answer.verdict, answer.certainty) == ("review", WEAK)
    assert answer.second_opinion is not None and [c.source for c in answer.cues] == [OUR_WORK]


# A role whose own words a post may use without any rule's: the building's moves and works.
FACILITIES = {"id": "facilities", "name": "Facilitair bedrijf", "contact": "#facilitair"}
FACILITIES |= {"handles": "Buildings, their upkeep and renovations."}
FACILITIES["keywords"] = ["renovation", "verbouwing"]


def _route(text: str) -> tuple[str, str, str]:
    roles = [*policy_data([])["roles"], FACILITIES]
    answer = compiled(CLINIC, roles=roles).check(text)
    return answer.verdict, answer.certainty, answer.role.id


def test_a_post_no_rule_covers_names_the_role_it_is_about() -> None:
    # The post about the work is asked about, and the role whose own keyword it uses handles
    # the building's renovation better than the default role would.
    assert _route("Can I post that our ward's renovation starts in May?") == (
        "review", WEAK, "facilities",
    )  # fmt: skip
    assert _route("Mag ik posten dat onze afdeling in mei een verbouwing krijgt?") == (
        "review", WEAK, "facilities",
    )  # fmt: skip
    # A sign of risk asks the same role.
    assert _route("Can I post that the renovation starts in May? It's not announced yet.") == (
        "review", WEAK, "facilities",
    )  # fmt: skip
    # A post about the work in no role's words asks the default role, as before.
    assert _route("Can I post that our ward moves to the new wing in May?")[2] == "comms"
    # An allowed post that no rule covers keeps the default's answer and role.
    assert _route("Can I post a picture of the renovation of my own kitchen?")[2] == "comms"


def test_the_role_asked_about_is_what_who_handles_this_finds_without_rules() -> None:
    roles = [*policy_data([])["roles"], FACILITIES]
    engine = compiled(CLINIC, roles=roles)
    text = "Can I post that our ward's renovation starts in May?"
    asked = engine.role_asked_about(text)
    assert asked is not None and asked.id == engine.who(text).role.id == "facilities"
    assert engine.role_asked_about("Can I post a picture of the sunset?") is None
