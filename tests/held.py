"""Slack held while a flow waits on it, and another person's question meanwhile (issue 13:
no Slack call inside an open unit of work). On SQLite a transaction that has written holds
the one writer turn: had the flow asked Slack there, the other person's ack (the inbox's
INSERT) would wait for Slack's answer. On PostgreSQL it would hold a transaction open: no
transaction of the app begun before the held call may still be open while it waits."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor

from sqlalchemy import delete, text

from bot.storage import Database
from bot.storage.models.slack_cache import GroupMembership, UserProfile
from tests.driver import SlackDriver


def forget(db: Database, *users: str, group_lists: bool = False) -> None:
    """These people's stored profiles gone (as if expired): only Slack can say their language;
    with `group_lists`, the user groups' member lists too."""
    with db.session() as session:
        if group_lists:
            session.execute(delete(GroupMembership))
        session.execute(delete(UserProfile).where(UserProfile.user_id.in_(users)))


def answered_while_held(slack: SlackDriver, asker: str, question: str) -> None:
    """`asker`'s question is acknowledged and answered now, while Slack holds a call of the
    flow under way. Sent by a second driver of the same app that does not wait for the app
    to settle (the flow's work is not finished)."""
    other = SlackDriver(slack.url, slack.fake, signing_secret=slack.signing_secret)
    im = slack.fake.im_for(asker)
    before = len(slack.fake.bot_messages(im))
    other.message(asker, im, question)
    assert other.acks[-1].status == 200
    deadline = time.monotonic() + 30  # bounds a failure only
    while len(slack.fake.bot_messages(im)) == before:
        assert time.monotonic() < deadline, f"{asker}'s question was not answered"
        time.sleep(0.01)


def open_since(db: Database, since: object) -> int:
    """On PostgreSQL: how many of the database's other connections are in a transaction begun
    before `since` (the server's clock); 0 on SQLite, which has no such view."""
    if db.engine.dialect.name != "postgresql":
        return 0
    with db.engine.connect() as connection:
        query = text(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
            " AND pid <> pg_backend_pid() AND backend_type = 'client backend'"
            " AND xact_start < :since"
        )
        return int(connection.execute(query, {"since": since}).scalar_one())


def server_now(db: Database) -> object:
    if db.engine.dialect.name != "postgresql":
        return None
    with db.engine.connect() as connection:
        return connection.execute(text("SELECT clock_timestamp()")).scalar_one()


def held_in_turn(
    slack: SlackDriver,
    methods: Sequence[str],
    flow: Callable[[], object],
    asker: str,
    question: str,
) -> None:
    """Run `flow` (a request sent by the test's driver) while Slack holds the next call of each
    of `methods`, one after the other; while each is held, `asker`'s question is answered,
    and no transaction the app began before the call arrived is still open. Then everything
    the flow started is finished."""
    holds = [slack.fake.hold_next(method) for method in methods]
    try:
        with ThreadPoolExecutor(max_workers=1) as pool:
            done = pool.submit(flow)
            for method, hold in zip(methods, holds, strict=True):
                hold.wait_until_arrived()
                arrived = server_now(slack.db)
                answered_while_held(slack, asker, question)
                assert open_since(slack.db, arrived) == 0, f"a transaction open over {method}"
                hold.release()
            done.result(timeout=60)  # bounds a failure only
    finally:
        for hold in holds:
            hold.release()
    slack.wait()
