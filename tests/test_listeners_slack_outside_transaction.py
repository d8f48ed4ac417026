"""No Slack call inside an open unit of work in the listeners outside `/policy` whose first
words to someone were decided inside it (issue 13): a reply in a drafting thread by someone
outside the working group, and the "Ask <role>" button pressed by someone who did not ask.
Their language (`users.info`) is asked of Slack before the unit of work (`know_profile`,
or `kit.asker` through `first_outside`). Each test holds that call in the stand-in Web
API; while it is held another person's direct message is acknowledged and answered, and on
PostgreSQL no transaction of the app is open over it. Once Slack answers, the person is
told what they were told before, in their language, once."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from bot.policy.validation import parse_policy
from bot.reviewing.draft import replace_draft
from tests.driver import (
    DRAFT_CHANNEL,
    EMMA,
    ERIK,
    GENERAL,
    LEAD,
    WENDY,
    SlackDriver,
    add_sample_contacts,
)
from tests.escalating import ask_by_dm, press_ask
from tests.held import answered_while_held, forget, held_in_turn, open_since, server_now
from tests.samples import sample_policy_data
from tests.seed import adopt, contributions, make_lead, working_group

QUESTION = "Mag ik een foto van ons nieuwe kantoor op LinkedIn zetten?"
READ = "living_ack_read"  # *I have read it*
POST = "mag ik dit posten: Onder ons bericht staan tientallen klachten, ik reageer wel"


def test_an_outsider_in_a_drafting_thread_is_told_in_a_language_asked_before_the_work(
    running: SlackDriver,
) -> None:
    adopt(running.db)
    working_group(running.db, WENDY)
    root = running.start_draft(WENDY, "identity")
    running.dm(WENDY, QUESTION)  # Wendy's profile stored: her answer asks Slack for none
    forget(running.db, ERIK)

    def reply() -> None:
        running.message(ERIK, DRAFT_CHANNEL, "kijk hier", thread_ts=root)

    held_in_turn(running, ["users.info"], reply, WENDY, QUESTION)

    assert contributions(running.db) == []
    (told,) = running.fake.ephemerals_for(ERIK)
    assert "alleen leden van de werkgroep" in told.text and told.thread_ts == root  # Dutch


def test_the_ask_button_pressed_by_another_is_refused_in_a_language_asked_before_the_work(
    running: SlackDriver,
) -> None:
    adopt(running.db)
    add_sample_contacts(running.fake)
    asked = ask_by_dm(running, WENDY, POST)  # Wendy's profile stored
    forget(running.db, ERIK)

    held_in_turn(running, ["users.info"], lambda: press_ask(running, asked, ERIK), WENDY, QUESTION)

    assert running.fake.bot_messages("C0WEBCARE") == []
    assert "Alleen wie deze vraag stelde" in running.last_reply_text()  # Erik's locale: Dutch


def test_i_have_read_it_pressed_by_someone_not_asked_is_refused_in_a_language_asked_before(
    running: SlackDriver,
) -> None:
    adopt(running.db)
    make_lead(running.db)
    running.fake.add_channel(GENERAL, "general", [EMMA])
    running.command(LEAD, "acknowledge #general")
    (request,) = [m for m in running.fake.bot_messages(running.fake.im_for(EMMA)) if m.blocks]
    running.dm(WENDY, QUESTION)  # Wendy's profile stored: her answer asks Slack for none
    forget(running.db, ERIK)

    held_in_turn(
        running, ["users.info"], lambda: running.click(ERIK, request, READ), WENDY, QUESTION
    )

    assert "niet aan jou gericht" in running.last_reply_text()  # Erik's locale: Dutch


def test_the_lead_told_slack_is_silent_after_the_acknowledge_form_in_a_language_asked_before(
    running: SlackDriver,
) -> None:
    adopt(running.db)
    make_lead(running.db)
    with running.db.session() as session:  # a new draft to adopt
        replace_draft(session, parse_policy(sample_policy_data() | {"version": "2026.2"}), LEAD)
    running.adopt_from_slack()
    running.wait()
    follow_up = running.fake.bot_messages(running.fake.im_for(LEAD))[-1]
    running.click(LEAD, follow_up, "living_ack_choose")
    form = running.opened_view()
    everyone = {"a": {"type": "static_select", "selected_option": {"value": "workspace"}}}
    running.dm(WENDY, QUESTION)  # Wendy's profile stored: her answer asks Slack for none
    forget(running.db, LEAD)
    running.fake.fail_next("users.list", status=200, error="missing_scope")

    def submit() -> None:
        assert running.submit(LEAD, form, {"group": everyone}) is None  # closed at once

    held_in_turn(running, ["users.info"], submit, WENDY, QUESTION)

    told = running.fake.bot_messages(running.fake.im_for(LEAD))[-1]
    assert told.text.startswith("Slack would not tell me who is in it")  # Carla: en-US


def test_i_have_read_it_before_its_request_is_recorded_thanks_in_a_language_asked_before(
    running: SlackDriver,
) -> None:
    """Erik presses *I have read it* on the request Slack has posted but not yet told the app
    about (its answer held: the request's message is not stored), so he is thanked by a
    private note, in his language (Dutch), asked of Slack outside the reading's unit of work
    (`asker_known`). Sent by a second driver that does not wait for the app to settle: the
    post's answer is still held."""
    adopt(running.db)
    make_lead(running.db)
    running.fake.add_channel(GENERAL, "general", [ERIK])
    running.dm(WENDY, QUESTION)  # Wendy's profile stored: her answer asks Slack for none
    other = SlackDriver(running.url, running.fake, signing_secret=running.signing_secret)
    posted = running.fake.hold_answer("chat.postMessage")
    try:
        other.command(LEAD, "acknowledge #general")
        posted.wait_until_arrived()
        (request,) = [m for m in running.fake.bot_messages(running.fake.im_for(ERIK)) if m.blocks]
        forget(running.db, ERIK)
        asked = running.fake.hold_next("users.info")
        try:
            with ThreadPoolExecutor(max_workers=1) as pool:
                read = pool.submit(other.click, ERIK, request, READ)
                asked.wait_until_arrived()
                arrived = server_now(running.db)
                answered_while_held(running, WENDY, QUESTION)
                assert open_since(running.db, arrived) == 0, "a transaction open over users.info"
                asked.release()
                assert read.result(timeout=60).status == 200  # bounds a failure only
        finally:
            asked.release()
    finally:
        posted.release()
    running.wait()
    thanks = [r for r in running.all_reply_text().splitlines() if r.startswith("Dank je")]
    assert thanks == [thanks[0]] and "vastgelegd dat je het las" in thanks[0]
