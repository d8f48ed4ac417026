"""Forbidding rules alone, in Slack (policy-format.md, "Forbidding rules alone"): a direct
message whose question only a `forbidden` rule's own words account for gets that rule's
verdict, said plainly and as sure, in the asker's language; the same question with a milder
rule heard too stays the weak "ask first"."""

from __future__ import annotations

from tests.driver import ERIK, SlackDriver
from tests.payloads import text_of
from tests.samples import policy_data
from tests.seed import adopt
from tests.test_engine_forbidding_alone import BRUIKLEEN, CODES, CODES_NL, REMAINS, RESTEN

EMMA = "UEMP0002"  # reads English


def test_a_forbidding_rules_own_words_alone_say_dont_post_in_a_dm(running: SlackDriver) -> None:
    adopt(running.db, policy_data([REMAINS, CODES], language="en"))
    answer = text_of(running.dm(EMMA, "may I post: a description of the remains"))
    assert "Don't post this" in answer and "*Rule RM* (forbidden)" in answer
    assert "How sure: a rule matched on clear evidence." in answer
    assert "not sure" not in answer


def test_in_dutch_too_and_not_beside_a_milder_rule(running: SlackDriver) -> None:
    adopt(running.db, policy_data([RESTEN, CODES_NL]))
    answer = text_of(running.dm(ERIK, "mag ik posten: iets over de resten"))
    assert "Niet posten" in answer and "*Regel RM* (verboden)" in answer
    assert "Hoe zeker: een regel past, op duidelijke aanwijzingen." in answer
    adopt(running.db, policy_data([RESTEN, BRUIKLEEN]))
    answer = text_of(running.dm(ERIK, "mag ik posten: iets over de resten"))
    assert (
        "Hier ben ik niet zeker van" in answer and "*Regel RM* (opgemerkt, niet beslist)" in answer
    )
    assert "Niet posten" not in answer and "(verboden)" not in answer
