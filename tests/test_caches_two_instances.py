"""In-process caches that stay correct across instances (`bot.storage.changes`): two
instances of the app, each with an engine of its own, on one database (one SQLite file; one
PostgreSQL in the second run of `make test`). Whatever changes through one (a version
adopted, crisis mode, a role revoked, a language chosen, a user group's members) is what the
other answers with on its very next request: no timer, no restart."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from sqlalchemy import delete, event

from bot import people, profiles
from bot.asking import groups
from bot.i18n import t
from bot.living import crisis
from bot.settings import Settings
from bot.storage import Database
from bot.storage.models.slack_cache import UserProfile
from runtime.fakeslack import FakeSlack
from tests.driver import ADMIN, EMMA, ERIK, LEAD, SlackDriver
from tests.samples import sample_policy_data
from tests.seed import adopt, make_lead

QUESTION = "Our team won the cup!"  # a post alone: the locale decides the language


@pytest.fixture
def two(
    settings: Settings, fake_slack: FakeSlack, db: Database
) -> Iterator[tuple[SlackDriver, SlackDriver]]:
    """Instance A on the test's engine, instance B on an engine of its own."""
    other_db = Database(db.url)
    first = SlackDriver.serving(settings, fake_slack, db)
    second = SlackDriver.serving(settings, fake_slack, other_db)
    try:
        yield first, second
    finally:
        second.close()
        first.close()
        other_db.dispose()


def _reads(seen: list[str], table: str) -> int:
    return sum(f"FROM {table}" in statement for statement in seen)


def _answer_text(slack: SlackDriver, user: str = EMMA) -> str:
    message = slack.dm(user, QUESTION)
    return str(message.blocks) + message.text


@contextmanager
def _selects(db: Database) -> Iterator[list[str]]:
    seen: list[str] = []

    def note(_c: object, _cur: object, statement: str, *_rest: object) -> None:
        if statement.lstrip().upper().startswith("SELECT"):
            seen.append(statement)

    event.listen(db.engine, "before_cursor_execute", note)
    try:
        yield seen
    finally:
        event.remove(db.engine, "before_cursor_execute", note)


def test_a_version_adopted_through_one_instance_answers_on_the_other(
    two: tuple[SlackDriver, SlackDriver],
) -> None:
    first, second = two
    data = sample_policy_data()
    adopt(first.db, data)
    assert "2026.1" in _answer_text(second)  # B has it in memory now
    changed = dict(data, version="2027.9")
    adopt(first.db, changed)  # through A's engine
    assert "2027.9" in _answer_text(second)


def test_the_cached_reads_cost_one_select_of_the_counters(
    two: tuple[SlackDriver, SlackDriver],
) -> None:
    first, second = two
    adopt(first.db)
    _answer_text(second)
    _answer_text(second)  # every cache filled under the current counters
    with _selects(second.db) as seen:
        _answer_text(second)
    tables = " ".join(seen)
    assert "change_counters" in tables
    for cached in ("policy_versions", "crisis_periods", "user_profiles", "group_memberships"):
        assert f"FROM {cached}" not in tables, cached


def test_crisis_mode_turned_on_through_one_instance_is_in_the_others_next_answer(
    two: tuple[SlackDriver, SlackDriver],
) -> None:
    first, second = two
    adopt(first.db)
    note = t("en", "living.crisis.answer_note", reason="x").split("(")[0]
    assert note not in _answer_text(second)
    with first.db.session() as session:
        crisis.turn_on(session, ADMIN, "Storm", None, first.clock.now())
    assert note in _answer_text(second)
    with first.db.session() as session:
        crisis.turn_off(session, ADMIN, first.clock.now())
    assert note not in _answer_text(second)


def test_a_role_revoked_through_one_instance_is_refused_by_the_other_at_once(
    two: tuple[SlackDriver, SlackDriver],
) -> None:
    first, second = two
    make_lead(first.db)
    refused = t("en", "common.refused", role=t("en", "role.comms_lead")).split("*")[0]
    second.command(LEAD, "escalations")
    assert refused not in second.last_reply_text()
    with first.db.session() as session:
        assert people.revoke(session, ADMIN, LEAD, people.COMMS_LEAD)
    second.command(LEAD, "escalations")
    assert refused in second.last_reply_text()


def test_a_language_chosen_through_one_instance_is_spoken_by_the_other(
    two: tuple[SlackDriver, SlackDriver],
) -> None:
    first, second = two
    adopt(first.db)
    assert t("en", "asking.version", version="2026.1") in _answer_text(second)
    with first.db.session() as session:
        profiles.set_language(session, EMMA, "nl")
    assert t("nl", "asking.version", version="2026.1") in _answer_text(second)


def test_user_group_members_stored_through_one_instance_are_used_by_the_other(
    two: tuple[SlackDriver, SlackDriver],
) -> None:
    first, second = two
    adopt(first.db)
    group = sample_policy_data()["groups"][0]
    key = groups.cache_key(group["slack"])
    now = dt.datetime.now(dt.UTC)
    with second.db.session() as session:
        assert EMMA not in groups.members_of(session, key, lambda _ref: [], now)
    with first.db.session() as session:
        groups.members_of(session, key, lambda _ref: [EMMA], now + groups.MEMBERSHIP_TTL)
    with second.db.session() as session:  # fresh in the database: B reads it, not its memory
        assert EMMA in groups.members_of(session, key, lambda _ref: [], now)


def _both_profiles_cached(first: SlackDriver) -> None:
    """Emma and Erik have asked A: their profiles are stored and in A's memory."""
    for user in (EMMA, ERIK, EMMA, ERIK):  # the first question stores, the second caches
        _answer_text(first, user)
    with _selects(first.db) as seen:
        _answer_text(first, EMMA)
        _answer_text(first, ERIK)
    assert _reads(seen, "user_profiles") == 0


def test_a_profile_stored_through_one_instance_is_forgotten_alone_by_the_other(
    two: tuple[SlackDriver, SlackDriver],
) -> None:
    first, second = two
    adopt(first.db)
    _both_profiles_cached(first)
    with second.db.session() as session:  # the shell's `\lang`, through B's engine
        profiles.set_language(session, EMMA, "nl")
    with _selects(first.db) as seen:
        erik_answer = _answer_text(first, ERIK)
    assert _reads(seen, "changed_keys") == 1  # the counter moved: which keys, once
    assert _reads(seen, "user_profiles") == 0  # Erik's profile is still in A's memory
    assert t("nl", "asking.version", version="2026.1") in erik_answer  # nl-NL, as before
    with _selects(first.db) as seen:
        emma_answer = _answer_text(first, EMMA)
    assert _reads(seen, "user_profiles") == 1  # Emma's changed one is read again
    assert _reads(seen, "changed_keys") == 0
    assert t("nl", "asking.version", version="2026.1") in emma_answer
    with _selects(first.db) as seen:
        assert t("nl", "asking.version", version="2026.1") in _answer_text(first, EMMA)
        _answer_text(first, ERIK)
    assert _reads(seen, "user_profiles") == 0


def test_a_profile_forgotten_through_one_instance_is_looked_up_again_by_the_other(
    two: tuple[SlackDriver, SlackDriver], fake_slack: FakeSlack
) -> None:
    first, second = two
    adopt(first.db)
    _both_profiles_cached(first)
    fake_slack.set_locale(EMMA, "nl-NL")  # she changed it in Slack, and asks us to look again
    with second.db.session() as session:  # the shell's `\contact`: her row deleted
        profiles.forget(session, EMMA)
    with _selects(first.db) as seen:
        _answer_text(first, ERIK)
    assert _reads(seen, "user_profiles") == 0
    assert t("nl", "asking.version", version="2026.1") in _answer_text(first, EMMA)


def test_profiles_written_without_their_keys_empty_the_others_cache_of_them(
    two: tuple[SlackDriver, SlackDriver],
) -> None:
    first, second = two
    adopt(first.db)
    _both_profiles_cached(first)
    with second.db.session() as session:  # by a condition: which rows, the log cannot say
        session.execute(delete(UserProfile).where(UserProfile.user_id == "UNOBODY"))
    with _selects(first.db) as seen:
        _answer_text(first, ERIK)
    assert _reads(seen, "changed_keys") == 1
    assert _reads(seen, "user_profiles") == 1  # to be safe, Erik's too is read again


def test_a_profile_stored_is_kept_by_the_instance_that_stored_it_and_read_once_by_another(
    two: tuple[SlackDriver, SlackDriver],
) -> None:
    first, second = two
    adopt(first.db)
    _answer_text(first, ERIK)  # his first question: A looks him up and stores his profile
    with _selects(first.db) as seen:
        _answer_text(first, ERIK)
    assert _reads(seen, "user_profiles") == 0  # kept as A wrote it
    assert _reads(seen, "changed_keys") == 0
    with _selects(second.db) as seen:
        _answer_text(second, ERIK)
        _answer_text(second, ERIK)
    assert _reads(seen, "user_profiles") == 1  # B reads it once
