"""Signatures are always checked, stale and replayed requests refused, retries processed once."""

from __future__ import annotations

import json
import time

from sqlalchemy import func, select

from bot.storage import Database
from bot.storage.models.people import RoleChange, RoleGrant
from tests.driver import ADMIN, SlackDriver


def _role_rows(running: SlackDriver) -> int:
    with running.db.session() as session:
        grants = session.scalar(select(func.count()).select_from(RoleGrant))
        changes = session.scalar(select(func.count()).select_from(RoleChange))
    return (grants or 0) + (changes or 0)


def test_forged_signature_is_refused_without_side_effects(running: SlackDriver) -> None:
    slack = running
    fields = slack.command_fields(ADMIN, "role add <@UEMP0001> admin", "C0GENERAL", "forged")
    body = "&".join(f"{k}={v}" for k, v in fields.items())
    forged = slack.signed_headers(body) | {"X-Slack-Signature": "v0=" + "0" * 64}
    answer = slack.post(body, "application/x-www-form-urlencoded", forged)
    assert answer.status == 401
    assert running.fake.calls_for("response_url") == []
    assert _role_rows(running) == 0


def test_unsigned_request_is_refused(running: SlackDriver) -> None:
    answer = running.post_form({"command": "/policy", "text": "help"}, headers={})
    assert answer.status == 401
    assert running.fake.calls_for("response_url") == []


def test_stale_timestamp_is_refused(running: SlackDriver) -> None:
    slack = running
    from urllib.parse import urlencode

    body = urlencode(slack.command_fields(ADMIN, "role add <@UEMP0001> admin", "C0GENERAL", "old"))
    six_minutes_ago = int(time.time()) - 6 * 60
    answer = slack.post(
        body, "application/x-www-form-urlencoded", slack.signed_headers(body, six_minutes_ago)
    )
    assert answer.status == 401
    assert _role_rows(running) == 0


def _home_event() -> dict[str, object]:
    return {"type": "app_home_opened", "user": "UEMP0002", "channel": "D0EMMA", "tab": "home"}


def test_replayed_event_with_the_same_id_is_processed_once(running: SlackDriver) -> None:
    slack = running
    body = json.dumps(slack.event_envelope(_home_event(), event_id="Ev0REPLAY1"))
    headers = slack.signed_headers(body)
    first = slack.post(body, "application/json", headers)
    replay = slack.post(body, "application/json", headers)  # captured and sent again
    assert first.status == 200 and replay.status == 200
    assert len(running.fake.calls_for("views.publish")) == 1


def test_a_retry_reaching_another_instance_is_processed_once(running: SlackDriver) -> None:
    with running.another_instance() as second:  # a second instance on the same database
        running.event(_home_event(), event_id="Ev0RETRY01")
        second.event(_home_event(), event_id="Ev0RETRY01", retry=1)
        second.event(_home_event(), event_id="Ev0RETRY01", retry=2)
    assert len(running.fake.calls_for("views.publish")) == 1


def test_a_new_event_is_processed(running: SlackDriver) -> None:
    running.event(_home_event(), event_id="Ev0FIRST01")
    running.event(_home_event(), event_id="Ev0SECOND1")
    assert len(running.fake.calls_for("views.publish")) == 2


def test_finished_inbox_records_are_forgotten_after_a_day(db: Database) -> None:
    from datetime import timedelta

    from bot import inbox
    from bot.storage import utcnow

    now = utcnow()
    with db.session() as session:
        old = inbox.take_in(session, "event:old", "event", {}, {}, claimant="a", now=now)
        new = inbox.take_in(session, "event:new", "event", {}, {}, claimant="a", now=now)
        assert old is not None and new is not None
        inbox.finish(session, old, now - timedelta(days=2))
        inbox.finish(session, new, now)
    with db.session() as session:
        assert inbox.forget_old(session, now) == 1
    with db.session() as session:  # forgotten after a day: a new delivery; else still taken
        assert inbox.take_in(session, "event:old", "event", {}, {}, claimant="a", now=now)
        assert inbox.take_in(session, "event:new", "event", {}, {}, claimant="a", now=now) is None
