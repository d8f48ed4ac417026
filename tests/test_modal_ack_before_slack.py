"""Before a modal's ack, nothing but the inbox's write (issue 13): a person whose profile is not
stored is not looked up in Slack (`users.info`) while Slack waits for the answer.

- The modal's errors speak the language this instance last spoke with the person, else the
  workspace's (Slack's `view_submission` payload carries no locale).
- An author told of an accepted contribution from a modal is told after the ack, through an
  outbox read of their profile, in their own language.

Each test arms a hold on `users.info` in the stand-in Web API: had the app asked Slack before
the ack, the ack would wait on the hold; it arrives all the same."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from typing import Any

from sqlalchemy import delete

from bot.settings import Settings
from bot.storage import Database
from bot.storage.models.slack_cache import UserProfile
from runtime.fakeslack import FakeSlack
from tests.driver import DRAFT_CHANNEL, ERIK, LEAD, WENDY, WILLEM, SlackDriver
from tests.payloads import input_value, text_value
from tests.rhythm_scene import dms, serving, wait_for_ack
from tests.seed import contributions, load_sample_draft, make_lead, working_group

LOTTE = "U0LOTTE01"
RULE = "verboden: Foto's van leerlingen zonder toestemming [trefwoorden: leerling]"


def _forget_profiles(db: Database, *users: str) -> None:
    """The stored profiles gone (as if expired): only Slack could say these people's language."""
    with db.session() as session:
        session.execute(delete(UserProfile).where(UserProfile.user_id.in_(users)))


def _role_modal(slack: SlackDriver, user: str) -> dict[str, Any]:
    slack.command(user, "review other")
    slack.press(user, slack.find_button("review_role_edit"))
    return slack.opened_view()


def test_modal_errors_are_answered_while_slack_holds_the_askers_profile(
    settings: Settings, fake_slack: FakeSlack, db: Database
) -> None:
    """Carla's Slack says en-US, Erik's nl-NL: each hears the modal's errors in their own
    language though their profile is no longer stored, and Slack is not asked."""
    make_lead(db)
    make_lead(db, ERIK)
    load_sample_draft(db)
    with serving(settings, fake_slack, db) as slack, ThreadPoolExecutor(max_workers=1) as pool:
        for user, word in ((LEAD, "Please fill this in."), (ERIK, "Vul dit in, alsjeblieft.")):
            view = _role_modal(slack, user)
            _forget_profiles(db, user)
            values = {
                "id": text_value(input_value(view, "id")),
                "name": text_value(""),
                "handles": text_value("Alles wat naar buiten gaat"),
                "contact_typed": text_value("@lotte"),
            }
            held, answered = fake_slack.hold_next("users.info"), len(slack.acks)
            try:
                submitted = pool.submit(slack.view_submission, user, view, values)
                wait_for_ack(slack, answered + 1)
                answer = submitted.result(timeout=60).json()  # bounds a failure only
            finally:
                held.release()
            assert answer["response_action"] == "errors" and answer["errors"]["name"] == word
            assert not held.arrived.is_set()  # Slack was never asked


def test_an_author_is_told_after_the_ack_in_their_language_once_slack_says_it(
    settings: Settings, fake_slack: FakeSlack, db: Database
) -> None:
    """The lead edits a proposed rule into the draft (a modal); its authors' profiles are no
    longer stored. The modal is answered while Slack holds `users.info`; each author is
    told once Slack answers: Willem (nl-NL) in Dutch, Wendy (en-GB) in English."""
    make_lead(db)
    working_group(db, WILLEM, WENDY)
    with serving(settings, fake_slack, db) as slack, ThreadPoolExecutor(max_workers=1) as pool:
        root = slack.start_draft(WENDY, "practice")
        for _ in range(5):  # practice.rules
            slack.message(WENDY, DRAFT_CHANNEL, "next", thread_ts=root)
        for author, words in ((WILLEM, "heeft je bijdrage"), (WENDY, "your contribution")):
            slack.message(author, DRAFT_CHANNEL, RULE, thread_ts=root)
            answer = contributions(db)[-1].id
            slack.command(LEAD, "review practice")
            slack.pick_in_menu(
                LEAD, "review_decide_more", "Edit rule 1 into the draft…", f":{answer},"
            )
            view = slack.opened_view()
            values = {
                "id": text_value(""),
                "verdict": {
                    "a": {"type": "static_select", "selected_option": {"value": "forbidden"}}
                },
                "text": text_value(f"Geen foto's van leerlingen ({author})"),
                "section": {
                    "a": {"type": "static_select", "selected_option": {"value": "practice"}}
                },
                "keywords": text_value("leerling"),
            }
            _forget_profiles(db, author)
            held, answered = fake_slack.hold_next("users.info"), len(slack.acks)
            try:
                submitted = pool.submit(slack.view_submission, LEAD, view, values)
                held.wait_until_arrived()  # the author's profile, asked after the ack
                wait_for_ack(slack, answered + 1)
                ack = slack.acks[answered]
                assert ack.status == 200 and ack.body == ""
                assert not any(words in told for told in dms(slack, author))  # not yet
            finally:
                held.release()
            assert submitted.result(timeout=60).status == 200  # bounds a failure only
            slack.wait()
            assert len([told for told in dms(slack, author) if words in told]) == 1


def test_the_leads_message_after_a_role_modal_speaks_their_language_asked_after_the_ack(
    settings: Settings, fake_slack: FakeSlack, db: Database
) -> None:
    """A role saved once Slack has said who its contact is: the lead, whose profile is no
    longer stored, hears it in the language Slack gives after the ack (the step's `prepare`),
    not in the one guessed before it: Erik and Carla switched their Slack's language after
    opening the modal (the instance remembers the old one)."""
    make_lead(db)
    make_lead(db, ERIK)
    load_sample_draft(db)
    fake_slack.add_user(LOTTE, "lotte", locale="nl-NL")
    picked = {"a": {"type": "users_select", "selected_user": LOTTE}}
    with serving(settings, fake_slack, db) as slack, ThreadPoolExecutor(max_workers=1) as pool:
        for user, locale, words in ((ERIK, "en-US", "is saved"), (LEAD, "nl-NL", "is opgeslagen")):
            view = _role_modal(slack, user)
            _forget_profiles(db, user)
            fake_slack.set_locale(user, locale)
            values = {
                "id": text_value(input_value(view, "id")),
                "name": text_value(input_value(view, "name")),
                "handles": text_value("Alles wat naar buiten gaat"),
                "contact_user": picked,
            }
            held, answered = fake_slack.hold_next("users.info"), len(slack.acks)
            try:
                submitted = pool.submit(slack.view_submission, user, view, values)
                held.wait_until_arrived()
                wait_for_ack(slack, answered + 1)
                assert slack.acks[answered].status == 200 and slack.acks[answered].body == ""
            finally:
                held.release()
            assert submitted.result(timeout=60).status == 200  # bounds a failure only
            slack.wait()
            (told,) = dms(slack, user)
            assert words in told
