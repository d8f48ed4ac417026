"""Answering someone else's post in public is a sign of risk (policy-format.md, "Signs of risk
when no rule applies"; `policy_content/lexicon/risk.yml`, `public_reply`): a reply under a
complaint, a review, a news item or a competitor's announcement speaks to the organisation's
public, and most policies have it checked by a role. Read where no rule matched under an
allowing default, and (for every sign, not the work's "we") where only `allowed` rules matched,
all on weak evidence: such a post is *review* on weak evidence, never *forbidden*."""

from __future__ import annotations

from bot.answering.answers import NOT_COVERED, STRONG, WEAK
from bot.asking.certainty import SIGN_OF_RISK, how_sure
from tests.samples import compiled
from tests.test_engine_risk_cues import CLINIC

RULES = [
    *CLINIC,  # a forbidding rule on patients, an allowing one on vacancies
    {
        "id": "S",
        "verdict": "allowed",
        "text": "You may share news about our school and its activities.",
        "keywords": ["school"],
    },
    {
        "id": "C",
        "verdict": "allowed",
        "text": "You may post about our campsite and the nature around it.",
        "keywords": ["campsite", "camping"],
    },
]

# Replies in public, in both languages, and the sign the answer quotes.
REPLIES = {
    "Can I reply to the other vendor's big announcement with a GIF?": (
        "reply to the other vendor's big announcement"
    ),
    "Someone wrote that our service is slow. Can I answer him?": "answer him",
    "Can I respond publicly to the complaint?": "respond publicly",
    "There is a heated debate in the comments, can I join?": "in the comments",
    "Mag ik reageren op een artikel over de wachtlijsten?": "reageren op een artikel",
    "Iemand vraagt onder een nieuwsbericht hoe het kwam. Mag ik dat uitleggen?": (
        "onder een nieuwsbericht"
    ),
    "Er staat een klacht op Google. Mag ik daar zelf op reageren?": "daar zelf op reageren",
    "Een klant was boos op X. Mag ik hem antwoorden?": "hem antwoorden",
}


def _answer(text: str) -> tuple[str, str, list[str], list[str], list[str]]:
    answer = compiled(RULES).check(text)
    return (
        answer.verdict,
        answer.certainty,
        [m.rule.id for m in answer.rules],
        [m.rule.id for m in answer.noticed],
        [c.text for c in answer.cues],
    )


def test_a_reply_in_public_no_rule_covers_asks_to_check_first() -> None:
    heard = {text: _answer(text) for text in REPLIES}
    assert {text: answer[4] for text, answer in heard.items()} == {
        text: [sign] for text, sign in REPLIES.items()
    }
    assert [answer[:4] for answer in heard.values()] == [("review", WEAK, [], [])] * len(REPLIES)


def test_a_reply_with_no_one_to_answer_is_no_sign() -> None:
    # Thanking in general words, one's own post, a reply in private life: nothing to check.
    for text in (
        "A reader thanked me for my story. Can I reply with a thank you?",
        "Can I post an answer to the quiz question from yesterday's pub night?",
        "Mag ik op mijn eigen bericht nog een foto zetten?",
    ):
        assert _answer(text) == ("allowed", NOT_COVERED, [], [], []), text


def test_a_weak_allowing_match_does_not_reassure_a_reply_in_public() -> None:
    # Only the allowing rule about the school is heard, and weakly: the sign makes it review,
    # naming the rule as noticed; the answer says no rule clearly covers it.
    text = "Mag ik reageren op een Facebookpost waarin iemand schrijft dat onze school niks deugt?"
    assert _answer(text) == ("review", WEAK, [], ["S"], ["reageren op een Facebookpost"])
    answer = compiled(RULES).check(text)
    assert answer.covered is False and answer.role.id == "comms"
    how = how_sure(answer.to_json())
    assert (how.certainty, how.key, how.rules) == (WEAK, SIGN_OF_RISK, ("S",))
    assert "reageren op een Facebookpost" in how.noticed
    # Without a sign the weak allowing match answers as before.
    assert _answer("Mag ik iets over onze school posten?") == ("allowed", WEAK, ["S"], ["S"], [])


def test_a_rule_matched_on_strong_evidence_still_decides() -> None:
    # An allowing rule heard clearly decides, reply or not; so does a forbidding one.
    text = "Someone wrote that our campsite is filthy. Can I answer her?"
    assert _answer(text)[:3] == ("allowed", STRONG, ["C"])
    assert _answer("Can I reply to her post with her diagnosis?")[:3] == (
        "forbidden", STRONG, ["P"],
    )  # fmt: skip
