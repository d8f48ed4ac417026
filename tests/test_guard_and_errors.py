"""The one guard, the one error handler, and one unit of work per request.

A refused button or modal names the role in the person's language; a failure anywhere, a
drafting button included, is told privately and changes nothing; a value the bot did not make
is refused with its own words; and answering a direct message is one transaction.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import event, select

from bot.i18n import t
from bot.storage.models.drafting import Contribution, DraftingSession
from bot.storage.models.policy import DraftSection
from tests.driver import DRAFT_CHANNEL, ERIK, LEAD, WENDY, SlackDriver
from tests.payloads import text_value
from tests.seed import add_contribution, adopt, make_lead, working_group


@contextmanager
def transactions(running: SlackDriver) -> Iterator[list[str]]:
    """Every database transaction the request itself begins meanwhile (the test's too), by
    thread; the background loop's (marks recorded in batches, polls) are not the request's."""
    begun: list[str] = []

    def count(connection: object) -> None:
        name = threading.current_thread().name
        if name != "policybot-background":
            begun.append(name)

    event.listen(running.db.engine, "begin", count)
    try:
        yield begun
    finally:
        event.remove(running.db.engine, "begin", count)


def test_a_refused_button_names_the_role_in_the_persons_language(running: SlackDriver) -> None:
    contribution = add_contribution(running.db, "purpose", "purpose.why", WENDY, "Hi.")
    value = json.dumps({"anything": contribution})  # refused before the value is even read
    running.block_action(ERIK, {"action_id": "review_accept", "value": value}, channel="C0X")
    refusal = running.last_reply_text()
    assert "communicatieleider" in refusal  # Erik's Slack speaks Dutch
    with running.db.session() as session:
        assert session.get(Contribution, contribution).review == "pending"


def test_a_refused_drafting_button_says_who_may_use_it(running: SlackDriver) -> None:
    working_group(running.db, WENDY)
    root = running.start_draft(WENDY, "identity")
    running.click(ERIK, running.last_post(root), "drafting_nav_next")
    assert t("nl", "drafting.not_member_click") in running.last_reply_text()
    with running.db.session() as session:
        assert session.scalars(select(DraftingSession.question_index)).one() == 0


def test_a_drafting_button_whose_question_slack_refuses_tells_the_person(
    running: SlackDriver,
) -> None:
    working_group(running.db, WENDY)
    root = running.start_draft(WENDY, "identity")
    running.fake.fail_next("chat.postMessage", status=200, error="channel_not_found")
    running.click(WENDY, running.last_post(root), "drafting_nav_next")
    told = running.last_reply_text()
    assert t("en", "delivery.not_posted") in told  # Wendy's Slack speaks English
    assert "channel_not_found" not in told and "Traceback" not in told
    with running.db.session() as session:  # the step itself was taken
        assert session.scalars(select(DraftingSession.question_index)).one() == 1


def test_a_forged_button_value_is_refused_clearly(running: SlackDriver) -> None:
    make_lead(running.db)
    contribution = add_contribution(running.db, "purpose", "purpose.why", WENDY, "Hi.")
    forged = json.dumps(
        {"k": "decide", "contribution": str(contribution), "decision": "accepted", "section": "x"}
    )
    running.block_action(LEAD, {"action_id": "review_accept", "value": forged}, channel="C0X")
    assert t("en", "common.stale") in running.last_reply_text()
    with running.db.session() as session:
        assert session.get(Contribution, contribution).review == "pending"


def test_a_forged_modal_keeps_open_with_the_reason(running: SlackDriver) -> None:
    make_lead(running.db)
    view = {
        "id": "V0FORGED",
        "type": "modal",
        "callback_id": "review_text_modal",
        "private_metadata": json.dumps({"s": "purpose"}),  # not what the bot writes
        "blocks": [{"type": "input", "block_id": "title", "label": {}, "element": {}}],
    }
    answer = running.submit(LEAD, view, {"title": text_value("Changed")})
    assert answer["response_action"] == "errors"
    assert answer["errors"]["title"] == t("en", "common.stale")[:150]
    with running.db.session() as session:
        assert session.get(DraftSection, "purpose") is None


def test_a_direct_message_is_answered_in_one_unit_of_work(running: SlackDriver) -> None:
    adopt(running.db)
    channel = running.fake.im_for("UEMP0002")
    with transactions(running) as begun:
        running.message("UEMP0002", channel, "may I post this: our team won the cup!")
    assert running.fake.bot_messages(channel), "the bot did not answer"
    # Her profile and the group lists not stored yet: a first unit of work finds that and
    # ends, writing nothing, Slack is asked outside any (issue 13), then the answer's.
    assert len(begun) == 3
    with transactions(running) as begun:
        running.message("UEMP0002", channel, "may I post this: our team won the cup again!")
    assert len(running.fake.bot_messages(channel)) == 2, "the bot did not answer"
    # one to take it into the inbox (before the ack), one for the answer: its log, its
    # outbox row and the inbox record's done mark
    assert len(begun) == 2


def test_a_reply_in_a_drafting_thread_is_one_unit_of_work(running: SlackDriver) -> None:
    working_group(running.db, WENDY)
    root = running.start_draft(WENDY, "identity")
    with transactions(running) as begun:
        running.message(WENDY, DRAFT_CHANNEL, "We answer questions.", thread_ts=root)
    with running.db.session() as session:
        assert session.scalars(select(Contribution.text)).all() == ["We answer questions."]
    # the inbox, the matcher finding the session, the reply recorded with what it drafted (and
    # its reaction, and the done mark); then the reply's link, filled in when Slack gives it
    assert len(begun) == 4
