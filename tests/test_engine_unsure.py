"""A post no rule covers and nothing shows to be plainly fine (policy-format.md, "A post no rule
covers and nothing shows to be fine"): under a policy whose default allows it, a post no rule
matched, with no sign of risk, no work's "we" and nothing told ahead of time, is *review* on
weak evidence ("I'm not sure: no rule covers this; ask"), unless it shows itself to be the
asker's business: private life, their own things ("my", "mijn", "eigen", their own work phone),
what is already public, general knowledge (a tip, the weather, the view), or a text of one
word. It quotes nothing, names the role the post is about, never makes a post forbidden, never
overrules a rule and leaves a stricter default alone. In Slack: test_asking_honesty."""

from __future__ import annotations

from bot.answering.answers import NOT_COVERED, STRONG, WEAK
from bot.answering.ownership import OwnContacts
from bot.answering.risk import AHEAD, OUR_WORK
from bot.answering.unsure import UNSURE
from bot.asking.certainty import UNSURE as UNSURE_KEY
from bot.asking.certainty import how_sure
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


NOT_SURE = ("review", WEAK, [], [(UNSURE, "")])
FINE = ("allowed", NOT_COVERED, [], [])


def test_a_post_nothing_shows_plainly_fine_is_not_sure_and_says_whom_to_ask() -> None:
    answer = compiled(SHOP).check("Can I share the class photo of 4A? Everyone looks great.")
    assert (answer.verdict, answer.certainty, answer.covered) == ("review", WEAK, False)
    assert answer.rules == () and answer.noticed == () and answer.role.id == "comms"
    assert answer.to_json()["cues"] == [{"kind": UNSURE, "evidence": ""}]
    how = how_sure(answer.to_json())  # said as "not sure", with nothing quoted
    assert (how.certainty, how.key, how.rules, how.noticed) == (WEAK, UNSURE_KEY, (), ())


def test_in_both_languages() -> None:
    assert _answer("Mag ik de klassenfoto van groep 7 delen? Iedereen lacht erop.") == NOT_SURE
    assert _answer("Can I post that the delivery van was parked on the pavement?") == NOT_SURE


def test_the_role_the_post_is_about_is_asked() -> None:
    # The press role lists "journalist": a post no rule covers that speaks of one asks them.
    answer = compiled(SHOP).check("Can I post that a journalist visited the shop floor?")
    assert (answer.verdict, answer.role.id) == ("review", "press")


def test_what_shows_a_post_plainly_fine_leaves_the_default_answer() -> None:
    for text in (
        "Mag ik een foto van mijn nieuwe racefiets op Strava zetten?",  # the asker's own
        "Wat een renovatie van mijn eigen badkamer, mag ik een foto posten?",
        "Can I post a picture from the birthday party on Saturday?",  # private life
        "Can I retweet the hospital's message about the new scanner?",  # already public
        "The new timetable is already online. Can I share the link with friends?",
        "Mag ik het bericht van de gemeente over Koningsdag delen?",
        "Can I share the news article about the new bridge?",
        "Can I share tips for staying healthy during exam week?",  # general knowledge
        "Can I post a picture of the campus in the snow?",
        "Fijn dat de nieuwe koffieautomaat er is, dat scheelt ons veel gedoe.",  # "ons": the asker
        "hallo",  # one word: nothing to be unsure about
    ):
        assert _answer(text) == FINE, text


def test_the_askers_own_work_contact_details_are_theirs_to_give() -> None:
    text = "Questions about the opening hours? Call 06-12345678 during the day"
    assert _answer(text)[0] == "review"  # someone's number, as far as anyone can tell
    mine = OwnContacts.of(["+31 6 1234 5678"])
    assert compiled(SHOP).check(text, own=mine).verdict == "allowed"


def test_a_sign_the_work_or_a_post_ahead_of_time_is_quoted_instead() -> None:
    assert _answer("Can I post the photos of the patients in the waiting room?")[3] == [
        ("people_pictured", "photos of the patients")
    ]
    assert _answer("Can I post that our shop moves to Leeds?")[3] == [(OUR_WORK, "our shop moves")]
    assert _answer("Can I post that the van is going to be replaced?")[3] == [
        (AHEAD, "going to be replaced")
    ]


def test_a_rule_decides_and_a_stricter_default_stands() -> None:
    assert _answer("Can I post the advertisement for the van?")[:3] == ("allowed", STRONG, ["A"])
    assert _answer("Can I post the order of the lady in the red coat?")[2] == ["K"]
    review = {"verdict": "review", "role": "comms"}
    assert _answer("Can I share the class photo of 4A?", default=review) == (
        "review", NOT_COVERED, [], [],
    )  # fmt: skip
