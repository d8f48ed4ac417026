"""Management's sign-off in Slack: the lead asks from the adoption modal (the gate first), each
approver gets the document and *Approve* / *Decline*; the version is adopted when all have
approved, with each approver's decision and time in its record and its document; a decline
goes back to the lead with the reason; the lead may withdraw; the working group is thanked."""

from __future__ import annotations

import datetime as dt
import io
import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from docx import Document
from sqlalchemy import select

from bot.rhythm import signoff
from bot.settings import Settings
from bot.storage import Database
from bot.storage.models.delivery import OutboxRow
from bot.storage.models.policy import PolicyVersion
from bot.storage.models.reviewing import VersionRecord
from bot.storage.models.rhythm import SignoffRequest
from runtime.fakeslack import FakeSlack
from runtime.fakeslack.records import Call
from tests.driver import EMMA, ERIK, GENERAL, LEAD, WENDY, SlackDriver, approval_values
from tests.payloads import buttons, text_of, text_value
from tests.rhythm_scene import dms, serving
from tests.seed import add_contribution, load_sample_draft, make_lead


def _ask(slack: SlackDriver, *approvers: str) -> Any:
    """`/policy adopt`, step 1 confirmed, then *Ask the approvers in Slack*, submitted."""
    return slack.submit(LEAD, *_signoff_form(slack, *approvers))  # None: asked


def _signoff_form(slack: SlackDriver, *approvers: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """`/policy adopt`, step 1 confirmed, then *Ask the approvers in Slack*: the sign-off
    modal and its values, filled in, to submit."""
    approval = _approval_step(slack)
    assert "reference" in {b.get("block_id") for b in approval["blocks"]}  # a council's too
    slack.block_action(LEAD, {"action_id": "rhythm_signoff_open", "value": ""}, view=approval)
    update = slack.fake.last("views.update")
    assert update is not None
    view = update.args["view"] | {"id": approval["id"]}
    assert view["callback_id"] == "rhythm_signoff"
    values: dict[str, Any] = {
        "approvers": {"a": {"type": "multi_users_select", "selected_users": list(approvers)}},
        "decisions": text_value("Medewerkers mogen over hun werk posten"),
        "announce": {"a": {"type": "conversations_select", "selected_conversation": GENERAL}},
    }
    return view, values


def _approval_step(slack: SlackDriver) -> dict[str, Any]:
    """`/policy adopt` with what is not ready confirmed: the approval step's view."""
    slack.command(LEAD, "adopt")
    confirm = slack.opened_view()
    asks = any(b.get("block_id") == "confirm_unready" for b in confirm["blocks"])
    tick = {"a": {"type": "checkboxes", "selected_options": [{"value": "confirmed"}]}}
    step2 = slack.submit(LEAD, confirm, {"confirm_unready": tick} if asks else {})
    view: dict[str, Any] = step2["view"] | {"id": confirm["id"]}
    return view


def _press(slack: SlackDriver, user: str, action: str) -> None:
    """`user` presses `action` on the sign-off request in their direct messages."""
    requests = [m for m in slack.fake.bot_messages(slack.fake.im_for(user)) if m.blocks]
    (button,) = buttons(requests[-1].blocks, action)
    slack.block_action(
        user, {"action_id": action, "value": button["value"]}, channel=slack.fake.im_for(user)
    )


def test_every_approver_approves_in_slack_and_the_version_is_adopted(
    settings: Settings, fake_slack: FakeSlack, db: Database
) -> None:
    make_lead(db)
    load_sample_draft(db)
    add_contribution(db, "identity", "identity.tone", WENDY, "Warm and clear.", review="accepted")
    with serving(settings, fake_slack, db) as slack:
        assert _ask(slack, ERIK, EMMA) is None
        request = dms(slack, ERIK)[0]
        assert "approve the social media policy" in request or "goed te keuren" in request
        files = [f for f in slack.fake.uploaded_files() if f.filename.endswith(".docx")]
        assert len(files) == 2  # the document, to each approver
        assert "Withdraw" in str(slack.fake.bot_messages(slack.fake.im_for(LEAD))[-1].blocks)
        _press(slack, ERIK, "rhythm_signoff_approve")
        assert "Still waiting for" in dms(slack, LEAD)[-1] and f"<@{EMMA}>" in dms(slack, LEAD)[-1]
        with db.session() as session:
            assert session.scalars(select(PolicyVersion)).all() == []
        _press(slack, ERIK, "rhythm_signoff_approve")  # twice: nothing more
        _press(slack, EMMA, "rhythm_signoff_approve")
        with db.session() as session:
            version = session.scalars(select(PolicyVersion)).one()
            approvals = version.document["adopted"]["approvals"]
            assert [(a["by"], a["decision"]) for a in approvals] == [
                (f"@{ERIK}", "approved"),
                (f"@{EMMA}", "approved"),
            ]
            assert all(dt.datetime.fromisoformat(a["at"]).tzinfo for a in approvals)
            assert session.get(VersionRecord, 1).approvals == approvals
            assert signoff.open_request(session) is None
        posted = [m.text for m in slack.fake.bot_messages(GENERAL)]
        assert any("2026.1" in text for text in posted)  # announced
        thanks = next(text for text in posted if f"<@{WENDY}>" in text)
        assert "1 " in thanks  # what Wendy contributed, by name
        assert "adopted" in dms(slack, LEAD)[-1]
        slack.command(LEAD, "export docx")
        (docx,) = [f for f in slack.fake.uploaded_files() if f.filename.endswith(".docx")][2:]
        text = "\n".join(
            cell.text
            for table in Document(io.BytesIO(docx.content or b"")).tables
            for row in table.rows
            for cell in row.cells
        )
        assert "goedgekeurd" in text or "approved" in text  # each approver's decision


def test_a_decline_goes_back_to_the_lead_with_the_reason_and_adopts_nothing(
    settings: Settings, fake_slack: FakeSlack, db: Database
) -> None:
    make_lead(db)
    load_sample_draft(db)
    with serving(settings, fake_slack, db) as slack:
        assert _ask(slack, ERIK, EMMA) is None
        _press(slack, ERIK, "rhythm_signoff_decline")
        modal = slack.opened_view()
        empty = slack.submit(ERIK, modal, {"reason": text_value(" ")})
        assert empty["response_action"] == "errors"
        assert slack.submit(ERIK, modal, {"reason": text_value("Te streng over privé.")}) is None
        told = dms(slack, LEAD)[-1]
        assert "Te streng over privé." in told and f"<@{ERIK}>" in told
        _press(slack, EMMA, "rhythm_signoff_approve")  # too late: declined
        with db.session() as session:
            assert session.scalars(select(PolicyVersion)).all() == []
        # The lead asks again; a second request while one is open is refused.
        assert _ask(slack, EMMA) is None
        again = _ask(slack, ERIK)
        assert again["response_action"] == "errors" and "withdraw" in str(again["errors"])


def test_the_lead_withdraws_the_request(
    settings: Settings, fake_slack: FakeSlack, db: Database
) -> None:
    make_lead(db)
    load_sample_draft(db)
    with serving(settings, fake_slack, db) as slack:
        assert _ask(slack, ERIK) is None
        _withdraw(slack)
        assert "withdrawn" in slack.last_reply_text()
        assert "withdrew" in dms(slack, ERIK)[-1] or "ingetrokken" in dms(slack, ERIK)[-1]
        _press(slack, ERIK, "rhythm_signoff_approve")
        with db.session() as session:
            assert session.scalars(select(PolicyVersion)).all() == []


def _withdraw(slack: SlackDriver) -> None:
    """The lead presses *Withdraw* on the lead's message about the request."""
    lead_message = slack.fake.bot_messages(slack.fake.im_for(LEAD))[-1]
    (withdraw,) = buttons(lead_message.blocks, "rhythm_signoff_withdraw")
    slack.block_action(
        LEAD,
        {"action_id": withdraw["action_id"], "value": withdraw["value"]},
        channel=slack.fake.im_for(LEAD),
    )


def test_a_council_approval_typed_in_keeps_its_reference_and_thanks_the_working_group(
    settings: Settings, fake_slack: FakeSlack, db: Database
) -> None:
    make_lead(db)
    load_sample_draft(db)
    add_contribution(db, "identity", "identity.tone", WENDY, "Warm and clear.", review="accepted")
    with serving(settings, fake_slack, db) as slack:
        approval = _approval_step(slack)
        values = approval_values("Gemeenteraad") | {"reference": text_value("Raadsbesluit 14")}
        done = slack.submit(LEAD, approval, values)
        assert done["response_action"] == "update"
        with db.session() as session:
            adopted = session.scalars(select(PolicyVersion)).one().document["adopted"]
        assert adopted["by"] == "Gemeenteraad" and adopted["reference"] == "Raadsbesluit 14"
        thanks = [m.text for m in slack.fake.bot_messages(GENERAL) if f"<@{WENDY}>" in m.text]
        assert len(thanks) == 1
        slack.command(LEAD, "export md")
        (exported,) = [f for f in slack.fake.uploaded_files() if f.filename.endswith(".md")]
        assert "Raadsbesluit 14" in (exported.content or b"").decode()


def test_the_last_two_approvals_at_once_on_two_instances_adopt_once(
    settings: Settings, fake_slack: FakeSlack, db: Database
) -> None:
    make_lead(db)
    load_sample_draft(db)
    with serving(settings, fake_slack, db) as first, first.another_instance("second") as second:
        assert _ask(first, ERIK, EMMA) is None
        start = threading.Barrier(2)

        def approve(slack: SlackDriver, user: str) -> None:
            start.wait()
            _press(slack, user, "rhythm_signoff_approve")

        threads = [
            threading.Thread(target=approve, args=(first, ERIK)),
            threading.Thread(target=approve, args=(second, EMMA)),
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(30)
        first.wait()
        second.wait()
        with db.session() as session:
            version = session.scalars(select(PolicyVersion)).one()
            assert len(version.document["adopted"]["approvals"]) == 2
        announced = [m for m in fake_slack.bot_messages(GENERAL) if "2026.1" in m.text]
        assert len(announced) == 1


def test_a_request_overtaken_by_a_typed_adoption_is_closed(
    settings: Settings, fake_slack: FakeSlack, db: Database
) -> None:
    make_lead(db)
    load_sample_draft(db)
    with serving(settings, fake_slack, db) as slack:
        assert _ask(slack, ERIK) is None
        slack.adopt_from_slack(by="Directie")  # typed in, meanwhile
        _press(slack, ERIK, "rhythm_signoff_approve")
        with db.session() as session:
            assert len(session.scalars(select(PolicyVersion)).all()) == 1
            assert signoff.open_request(session) is None


def test_the_modal_is_answered_before_the_approvers_are_asked_and_each_is_asked_once(
    settings: Settings, fake_slack: FakeSlack, db: Database
) -> None:
    """Nothing for the approvers is work for the modal's ack (Slack gives it three seconds):
    the request's transaction writes the lead's message only; each approver's message (in
    their language, which may take a `users.info` each) and the document are made by the
    lead's message's completion step, after the ack, and reach each approver once, also when
    Slack refuses the messages for a while."""
    make_lead(db)
    load_sample_draft(db)
    with serving(settings, fake_slack, db) as slack:
        with slack.fake.outage(status=429, retry_after=30, methods={"chat.postMessage"}):
            assert _ask(slack, ERIK, EMMA) is None  # acknowledged: asked
        looked_up = {c.args.get("user") for c in fake_slack.calls_for("users.info")}
        assert not looked_up & {ERIK, EMMA}  # no approver's language, before the ack
        with db.session() as session:
            rows = session.scalars(select(OutboxRow).where(OutboxRow.kind == "post")).all()
            assert [r.conversation for r in rows] == [f"dm:{LEAD}"]  # the lead's, only
            assert rows[0].request is not None  # the request's own
        assert _docx(slack) == []  # nothing rendered on the ack's way
        slack.clock.advance(31)
        slack.wait()
        assert all(dms(slack, user) for user in (ERIK, EMMA))
        files = _docx(slack)
        assert sorted(f.channel for f in files) == sorted(
            slack.fake.im_for(u) for u in (ERIK, EMMA)
        )
        with db.session() as session:  # written by the completion step, not the request
            asked = session.scalars(select(OutboxRow).where(OutboxRow.request.is_(None))).all()
            posts = sorted(r.conversation for r in asked if r.kind == "post")
            assert posts == sorted(f"dm:{u}" for u in (ERIK, EMMA))
            assert len([r for r in asked if r.kind == "upload"]) == 2
        text = "\n".join(p.text for p in Document(io.BytesIO(files[0].content or b"")).paragraphs)
        assert "Medewerkers mogen over hun werk posten" in text  # the decisions asked about
        slack.clock.advance(600)
        slack.wait()
        assert len(_docx(slack)) == 2
        for user in (ERIK, EMMA):  # one request each (with its buttons), beside the document
            assert (
                len([m for m in slack.fake.bot_messages(slack.fake.im_for(user)) if m.blocks]) == 1
            )


def _docx(slack: SlackDriver) -> list[Any]:
    return [f for f in slack.fake.uploaded_files() if f.filename.endswith(".docx")]


def _withdrawn(call: Call) -> bool:
    return "withdrawn" in text_of(call.args)


def _withdrawn_unasked(slack: SlackDriver, db: Database, *approvers: str) -> None:
    """The request is withdrawn, and its approvers heard nothing of it: neither the request
    (nor its document) nor a withdrawal of what they never saw."""
    for user in approvers:
        assert dms(slack, user) == [], user
    assert _docx(slack) == []
    assert "withdrawn" in dms(slack, LEAD)[-1] or any(_withdrawn(c) for c in slack.fake.calls)
    with db.session() as session:
        (row,) = session.scalars(select(SignoffRequest)).all()
        assert (row.state, row.approvers_asked) == (signoff.WITHDRAWN, False)


def test_a_request_withdrawn_before_its_approvers_are_asked_reaches_none_of_them(
    settings: Settings, fake_slack: FakeSlack, db: Database
) -> None:
    """The lead's message is posted, but Slack's answer (after which its completion step asks
    the approvers) has not come when the lead presses *Withdraw*: the step asks nobody, and
    the withdrawal tells nobody of a request they never saw."""
    make_lead(db)
    load_sample_draft(db)
    with serving(settings, fake_slack, db) as slack, ThreadPoolExecutor(max_workers=2) as pool:
        form = _signoff_form(slack, ERIK, EMMA)
        answer = fake_slack.hold_answer("chat.postMessage")  # the lead's message
        submitted = pool.submit(slack.submit, LEAD, *form)
        answer.wait_until_arrived()  # posted: the lead sees it, the app waits for Slack
        withdrawing = pool.submit(_withdraw, slack)
        fake_slack.wait_for("response_url", _withdrawn)  # the withdrawal has committed
        answer.release()
        assert submitted.result(timeout=60) is None  # bounds for failures only
        withdrawing.result(timeout=60)
        slack.wait()
        looked_up = {c.args.get("user") for c in fake_slack.calls_for("users.info")}
        assert not looked_up & {ERIK, EMMA}  # the step stopped at the closed request
        _withdrawn_unasked(slack, db, ERIK, EMMA)


def test_a_request_withdrawn_while_its_approvers_messages_are_made_reaches_none_of_them(
    settings: Settings, fake_slack: FakeSlack, db: Database
) -> None:
    """The completion step has found the request open and is making the approvers' messages
    (Slack holds the first approver's profile, for the language) when the lead withdraws: the
    step then queues none of them, and the withdrawal told nobody."""
    make_lead(db)
    load_sample_draft(db)
    with serving(settings, fake_slack, db) as slack, ThreadPoolExecutor(max_workers=2) as pool:
        form = _signoff_form(slack, ERIK, EMMA)
        start = len(fake_slack.calls)
        profile = fake_slack.hold_next("users.info")
        submitted = pool.submit(slack.submit, LEAD, *form)
        profile.wait_until_arrived()
        withdrawing = pool.submit(_withdraw, slack)
        fake_slack.wait_for("response_url", _withdrawn)
        profile.release()
        assert submitted.result(timeout=60) is None
        withdrawing.result(timeout=60)
        slack.wait()
        since = fake_slack.calls_since(start)
        looked_up = {c.args.get("user") for c in since if c.method == "users.info"}
        assert looked_up & {ERIK, EMMA}  # the step was making the approvers' messages
        _withdrawn_unasked(slack, db, ERIK, EMMA)
