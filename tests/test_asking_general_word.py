"""A word the policy says of several subjects, in Slack (policy-format.md, "A word the policy
says of several subjects"): a direct message whose `forbidden` rule is heard only through a
word another rule uses too, beside a `review` rule the question says more of, is answered with
that review rule's "ask first", the forbidding rule named as noticed, in the asker's language;
the same word alone is still "don't post"."""

from __future__ import annotations

from tests.driver import ERIK, SlackDriver
from tests.payloads import text_of
from tests.samples import policy_data
from tests.seed import adopt
from tests.test_engine_general_word import AIRLINE, AIRLINE_NL

EMMA = "UEMP0002"  # reads English


def test_the_rule_the_question_says_more_of_decides_in_a_dm(running: SlackDriver) -> None:
    adopt(running.db, policy_data(AIRLINE, language="en"))
    question = (
        "may I post: A customer tweeted that her flight was delayed and her lost luggage is "
        "still gone. Can I reply?"
    )
    answer = text_of(running.dm(EMMA, question))
    assert "*Ask " in answer and "*Rule CC*" in answer
    assert "Also noticed, on weak evidence: “customer” (rule PD)" in answer
    assert "Don't post this" not in answer
    answer = text_of(running.dm(EMMA, "may I post: a photo of a customer"))
    assert "Don't post this" in answer and "*Rule PD* (forbidden)" in answer


def test_in_dutch_too(running: SlackDriver) -> None:
    adopt(running.db, policy_data(AIRLINE_NL))
    question = (
        "mag ik posten: Een klant twittert dat haar vlucht vertraagd was en haar zoekgeraakte "
        "bagage weg is. Mag ik reageren?"
    )
    answer = text_of(running.dm(ERIK, question))
    assert "*Vraag het eerst aan " in answer and "*Regel CC*" in answer
    assert "Ook gezien, op zwakke aanwijzingen: “klant” (regel PD)" in answer
    assert "Niet posten" not in answer
    answer = text_of(running.dm(ERIK, "mag ik posten: een foto van een klant"))
    assert "Niet posten" in answer and "*Regel PD* (verboden)" in answer
