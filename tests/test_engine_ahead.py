"""A post told ahead of time that no rule covers (policy-format.md, "A post ahead of time that
no rule covers"): under a policy whose default allows it, a post no rule matched that tells
what will happen, a plan, or what is not so yet ("prices will drop", "volgende maand sluit",
"het plan om") is *review* on weak evidence, quoting those words, unless it is private or the
asker's own plan ("ik volg volgende week een cursus"). It gives way to a sign of risk and to
the work's "we", never makes a post forbidden, never overrules a rule and leaves a stricter
default alone. In Slack: test_asking_honesty."""

from __future__ import annotations

from bot.answering.answers import NOT_COVERED, STRONG, WEAK
from bot.answering.risk import AHEAD, OUR_WORK
from bot.answering.unsure import UNSURE
from bot.asking.certainty import SIGN_OF_RISK, how_sure
from tests.samples import compiled

# A shop's policy: one rule about customers' details, one allowing our own offers.
SHOP = [
    {
        "id": "K",
        "verdict": "forbidden",
        "role": "privacy",
        "text": "Never post a customer's name, address or order.",
        "keywords": ["bestelling", "order"],
    },
    {
        "id": "A",
        "verdict": "allowed",
        "text": "You may share our published offers and advertisements.",
        "keywords": ["aanbieding", "advertisement"],
    },
]


def _answer(text: str, **kwargs: object) -> tuple[str, str, list[str], list[tuple[str, str]]]:
    answer = compiled(SHOP, **kwargs).check(text)
    return (
        answer.verdict,
        answer.certainty,
        [m.rule.id for m in answer.rules],
        [(c.source, c.text) for c in answer.cues],
    )


def test_a_post_told_ahead_of_time_that_no_rule_covers_asks_to_check_first() -> None:
    answer = compiled(SHOP).check("Can I tell my friends that prices will drop 30% on Thursday?")
    assert (answer.verdict, answer.certainty, answer.covered) == ("review", WEAK, False)
    assert answer.rules == () and answer.role.id == "comms"  # the default role to ask
    assert [(c.source, c.text) for c in answer.cues] == [(AHEAD, "will drop 30")]
    assert answer.to_json()["cues"] == [{"kind": AHEAD, "evidence": "will drop 30"}]
    how = how_sure(answer.to_json())  # said as any sign noticed where no rule applies
    assert (how.certainty, how.key, how.rules, how.noticed) == (
        WEAK, SIGN_OF_RISK, (), ("will drop 30",),
    )  # fmt: skip


def test_the_future_a_plan_and_not_yet_in_both_languages() -> None:
    assert _answer("Mag ik delen dat het filiaal in Venlo volgende maand sluit?") == (
        "review", WEAK, [], [(AHEAD, "volgende maand sluit")],
    )  # fmt: skip
    assert _answer("Is it okay to post that the Leeds branch is going to close?")[3] == [
        (AHEAD, "going to close")
    ]
    assert _answer("Mag ik tweeten over het plan om de kassa's weg te halen?")[3] == [
        (AHEAD, "plan om de")
    ]
    assert _answer("Can I post the new logo? It's not yet on the website.")[3] == [
        (AHEAD, "not yet on the")
    ]
    # The quote ends with its clause.
    assert _answer("Can I say the shop closes soon, in a story?")[3] == [(AHEAD, "soon")]


def test_a_private_post_or_the_askers_own_plan_is_no_sign() -> None:
    # Private: the asker's own life (frames.yml), with no work cue.
    assert _answer("Can I post that I will run a marathon next week?") == (
        "allowed", NOT_COVERED, [], [],
    )  # fmt: skip
    assert _answer("Mag ik posten dat mijn broer volgende week gaat trouwen?")[:2] == (
        "allowed", NOT_COVERED,
    )  # fmt: skip
    # The asker's own plan: "I"/"ik" the subject of the sentence that tells it: nothing told
    # ahead of time is quoted. Nothing shows it plainly fine either (no "my", not private), so
    # it is the honest "not sure" with nothing quoted (policy-format.md, "A post no rule
    # covers and nothing shows to be fine"); "my course" below is the asker's own.
    assert _answer("Ik volg volgende week een cursus, leuk om te delen?") == (
        "review", WEAK, [], [(UNSURE, "")],
    )  # fmt: skip
    assert _answer("Next week I start my evening course! Can I share that?")[1] == NOT_COVERED
    # Asking is not the asker's plan: "Can I post", "mag ik".
    assert _answer("Can I post that the shop will close?")[0] == "review"
    assert _answer("Mag ik posten dat de winkel binnenkort dichtgaat?")[0] == "review"
    # No word of time: the default answers, as before.
    assert _answer("Can I share a photo of the sunset over the car park?")[1] == NOT_COVERED


def test_a_sign_of_risk_or_the_work_comes_first_and_a_rule_decides() -> None:
    # A sign of risk is quoted instead, and so is the work's "we".
    assert _answer("Can I post that prices will drop? It's not announced yet.")[3] == [
        ("unpublished", "not announced")
    ]
    assert _answer("Can I post that our shop will close?")[3] == [(OUR_WORK, "our shop will")]
    # A rule that matched decides as always: no sign read over it.
    assert _answer("Can I post the advertisement that will run tomorrow?")[:3] == (
        "allowed", STRONG, ["A"],
    )  # fmt: skip
    assert _answer("Can I post the order of Mr Smith that will ship tomorrow?")[2:] == (["K"], [])


def test_a_stricter_default_stands() -> None:
    review = {"verdict": "review", "role": "comms"}
    assert _answer("Can I post that prices will drop?", default=review) == (
        "review", NOT_COVERED, [], [],
    )  # fmt: skip
