"""The review's role modal is answered before Slack is asked who its contact is: the fields
are checked at once (a bad one answered in the modal, in the lead's language, nothing
saved); the contact's look-up is an outbox read after the ack, whose completion step saves
the role once (whichever instance), or tells the lead by DM what only Slack's answer showed
to be wrong, saving nothing."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from typing import Any

from sqlalchemy import select

from bot.settings import Settings
from bot.storage import Database
from bot.storage.models.delivery import OutboxRow
from bot.storage.models.directory import KnownName
from bot.storage.models.policy import DraftRole
from runtime.fakeslack import FakeSlack
from tests.driver import ERIK, LEAD, SlackDriver
from tests.payloads import input_value, text_value
from tests.rhythm_scene import dms, serving, wait_for_ack
from tests.seed import load_sample_draft, make_lead

LOTTE = "U0LOTTE01"
PICKED = {"a": {"type": "users_select", "selected_user": LOTTE}}


def _scene(fake: FakeSlack, db: Database) -> None:
    make_lead(db)
    make_lead(db, ERIK)
    load_sample_draft(db)
    fake.add_user(LOTTE, "lotte", locale="nl-NL")


def _role_modal(slack: SlackDriver, user: str = LEAD) -> dict[str, Any]:
    slack.command(user, "review other")
    slack.press(user, slack.find_button("review_role_edit"))
    return slack.opened_view()


def _values(view: dict[str, Any], **changes: Any) -> dict[str, Any]:
    return {
        "id": text_value(input_value(view, "id")),
        "name": text_value(input_value(view, "name")),
        "handles": text_value("Alles wat naar buiten gaat"),
        "keywords": text_value(""),
    } | changes


def _contacts(db: Database) -> list[str]:
    with db.session() as session:
        return sorted(r.contact for r in session.scalars(select(DraftRole)))


def _reads(db: Database) -> list[OutboxRow]:
    with db.session() as session:
        return list(session.scalars(select(OutboxRow).where(OutboxRow.kind == "contact")))


def test_the_modal_is_answered_while_slack_holds_the_contacts_look_up(
    settings: Settings, fake_slack: FakeSlack, db: Database
) -> None:
    """The submission is acknowledged while `users.info` is still held by Slack; the role is
    saved, with the person's name remembered, once Slack answers, and the lead told."""
    _scene(fake_slack, db)
    with serving(settings, fake_slack, db) as slack, ThreadPoolExecutor(max_workers=1) as pool:
        view = _role_modal(slack)
        before, answered = _contacts(db), len(slack.acks)
        look_up = fake_slack.hold_next("users.info")
        submitted = pool.submit(
            slack.view_submission, LEAD, view, _values(view, contact_user=PICKED)
        )
        look_up.wait_until_arrived()
        wait_for_ack(slack, answered + 1)  # acknowledged while Slack still holds the look-up
        assert slack.acks[answered].status == 200 and slack.acks[answered].body == ""
        assert _contacts(db) == before and dms(slack, LEAD) == []  # nothing saved yet
        look_up.release()
        assert submitted.result(timeout=60).status == 200  # bounds for failures only
        slack.wait()
        assert f"@{LOTTE}" in _contacts(db)
        (row,) = _reads(db)
        assert row.request is not None  # the request's own write, before the ack
        with db.session() as session:
            assert session.get(KnownName, LOTTE) is not None
        (told,) = dms(slack, LEAD)
        assert "is saved" in told and f"<@{LOTTE}>" in told


def test_bad_fields_are_answered_in_the_modal_and_change_nothing(
    settings: Settings, fake_slack: FakeSlack, db: Database
) -> None:
    """In the asker's language (the lead's Slack says en-US, Erik's nl-NL): no look-up of the
    contact, nothing saved, nothing said."""
    _scene(fake_slack, db)
    with serving(settings, fake_slack, db) as slack:
        before = _contacts(db)
        for user, word in ((LEAD, "Please fill this in."), (ERIK, "Vul dit in, alsjeblieft.")):
            view = _role_modal(slack, user)
            values = _values(view, name=text_value(""), contact_typed=text_value("@lotte"))
            answer = slack.submit(user, view, values)
            assert answer["response_action"] == "errors"
            assert answer["errors"]["name"] == word
            both = _values(view, contact_user=PICKED, contact_typed=text_value("@lotte"))
            answer = slack.submit(user, view, both)
            assert answer["response_action"] == "errors" and "contact_typed" in answer["errors"]
        assert fake_slack.calls_for("users.list") == []
        assert _contacts(db) == before and _reads(db) == []
        assert dms(slack, LEAD) == [] and dms(slack, ERIK) == []


def test_an_unknown_contact_only_slack_reveals_reaches_the_lead_and_saves_nothing(
    settings: Settings, fake_slack: FakeSlack, db: Database
) -> None:
    """Nobody goes by the typed name, nor has the typed id: the modal was answered already,
    so the lead is told in a direct message (Erik: in Dutch), and no role changes."""
    _scene(fake_slack, db)
    with serving(settings, fake_slack, db) as slack:
        before = _contacts(db)
        for user, typed, words in (
            (LEAD, "@nobody", "not saved"),
            (ERIK, "@U0NOBODY9", "niet opgeslagen"),
        ):
            view = _role_modal(slack, user)
            assert slack.submit(user, view, _values(view, contact_typed=text_value(typed))) is None
            (told,) = dms(slack, user)
            assert words in told and f"`{typed}`" in told
        assert _contacts(db) == before


def test_slack_down_delays_the_role_and_two_instances_save_it_once(
    settings: Settings, fake_slack: FakeSlack, db: Database
) -> None:
    """Slack refuses the look-up for a while (429): the modal is answered all the same; once
    Slack is back, whichever of two instances takes the read saves the role, once."""
    _scene(fake_slack, db)
    with serving(settings, fake_slack, db) as first, first.another_instance("second") as second:
        view = _role_modal(first)
        before = _contacts(db)
        with fake_slack.outage(status=429, retry_after=30, methods={"users.info"}):
            assert first.submit(LEAD, view, _values(view, contact_user=PICKED)) is None
        assert _contacts(db) == before and dms(first, LEAD) == []  # delayed, not lost
        first.clock.advance(31)  # the instances share the clock: both look for due work
        first.wait()
        second.wait()
        assert f"@{LOTTE}" in _contacts(db)
        assert len([t for t in dms(first, LEAD) if "is saved" in t]) == 1
        (row,) = _reads(db)
        assert row.attempts >= 1


def test_an_instance_gone_before_slack_answers_leaves_the_role_to_the_next(
    settings: Settings, fake_slack: FakeSlack, db: Database
) -> None:
    """The instance that acknowledged the modal stops while Slack still refuses the look-up;
    an instance started afterwards on the same database saves the role once Slack answers."""
    _scene(fake_slack, db)
    with serving(settings, fake_slack, db) as first:
        view = _role_modal(first)
        before = _contacts(db)
        with fake_slack.outage(status=429, retry_after=30, methods={"users.info"}):
            assert first.submit(LEAD, view, _values(view, contact_user=PICKED)) is None
        first.close()
        assert _contacts(db) == before
        with first.another_instance("after") as after:
            after.clock.advance(31)
            after.wait()
            assert f"@{LOTTE}" in _contacts(db)
            assert len([t for t in dms(after, LEAD) if "is saved" in t]) == 1


def test_a_role_changed_while_slack_was_asked_is_not_saved_and_the_lead_is_told(
    settings: Settings, fake_slack: FakeSlack, db: Database
) -> None:
    """The step checks the role again when Slack answers: a second modal took the new role's
    id while Slack was refusing the first's look-up, so the first is not saved, and the lead
    hears which role and why (the one "not saved" path, whatever stopped it)."""
    _scene(fake_slack, db)
    with serving(settings, fake_slack, db) as slack:
        views = []
        for _ in range(2):
            slack.command(LEAD, "review other")
            slack.press(LEAD, slack.find_button("review_role_add"))
            views.append(slack.opened_view())
        new = {
            "id": text_value("press"),
            "name": text_value("Press office"),
            "handles": text_value("Questions from journalists"),
            "keywords": text_value(""),
        }
        with fake_slack.outage(status=429, retry_after=30, methods={"users.info"}):
            assert slack.submit(LEAD, views[0], new | {"contact_user": PICKED}) is None
        e_mail = {"contact_email": text_value("pers@example.org")}
        assert slack.submit(LEAD, views[1], new | e_mail) is None
        slack.clock.advance(31)
        slack.wait()
        (told,) = dms(slack, LEAD)
        assert "not saved" in told and "*press*" in told
        assert "pers@example.org" in _contacts(db) and f"@{LOTTE}" not in _contacts(db)
