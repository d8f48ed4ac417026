"""With the database unreachable nothing can be recorded, so nothing is done, and everyone is
told so within Slack's three seconds, in their own language (remembered in memory): a slash
command in its acknowledgement, a button through its response_url, a modal under its first
field. An event gets a 503, so that Slack delivers it again; once the database is back, that
delivery is done, once.

The database is made unreachable for real: on PostgreSQL it stops accepting connections (and
the open ones are ended); the SQLite file's folder is moved away.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import create_engine, func, select, text
from sqlalchemy.engine import make_url

from bot.i18n import t
from bot.storage.models.asking import AskedQuestion
from bot.storage.models.delivery import InboxRecord
from tests.driver import ERIK, GENERAL, SlackDriver
from tests.payloads import text_of
from tests.seed import adopt

# What the database says when it refuses at once (SQLite: the file's folder is gone;
# PostgreSQL: ALLOW_CONNECTIONS false, or the session ended), not after waiting.
REFUSED_AT_ONCE = (
    "unable to open database file",
    "is not currently accepting connections",
    "terminating connection",
    "server closed the connection",
)


@contextmanager
def unreachable(running: SlackDriver) -> Iterator[None]:
    """The app's database cannot be reached while the block runs."""
    url = make_url(running.db.url)
    if url.get_backend_name() == "postgresql":
        admin = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
        name = url.database
        with admin.connect() as connection:
            connection.execute(text(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS false'))
            connection.execute(
                text(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                    "WHERE datname = :name AND pid <> pg_backend_pid()"
                ),
                {"name": name},
            )
        running.db.engine.dispose()
        try:
            yield
        finally:
            with admin.connect() as connection:
                connection.execute(text(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS true'))
            admin.dispose()
            running.db.engine.dispose()
        return
    folder = Path(str(url.database)).parent
    away = folder.with_name(folder.name + "-away")
    os.rename(folder, away)
    running.db.engine.dispose()
    try:
        yield
    finally:
        os.rename(away, folder)
        running.db.engine.dispose()


def _dm_event(running: SlackDriver, text_: str) -> dict:
    channel = running.fake.im_for(ERIK)
    ts = running.fake.post_user_message(ERIK, channel, text_)
    return {"type": "message", "channel": channel, "user": ERIK, "text": text_, "ts": ts} | {
        "channel_type": "im",
        "event_ts": ts,
    }


def _refused_at_once(error: BaseException) -> bool:
    text = str(error)
    return any(words in text for words in REFUSED_AT_ONCE)


def test_with_the_database_down_everyone_is_told_in_their_language(
    running: SlackDriver, caplog: pytest.LogCaptureFixture
) -> None:
    adopt(running.db)
    running.command(ERIK, "help")  # Erik has been here: his Slack speaks Dutch
    unavailable = t("nl", "delivery.unavailable")
    event = _dm_event(running, "mag ik dit posten: onze stand op de markt")
    view = {
        "id": "V0FORM",
        "type": "modal",
        "callback_id": "review_text_modal",
        "private_metadata": "{}",
        "blocks": [{"type": "input", "block_id": "title", "label": {}, "element": {}}],
    }
    with unreachable(running):
        command = running.command(ERIK, "check een foto van onze stand")
        click = running.block_action(
            ERIK, {"action_id": "review_accept", "value": "{}"}, channel=GENERAL
        )
        submitted = running.view_submission(ERIK, view, {"title": {}})
        delivered = running.event(event, event_id="Ev0DOWN0001")
        said = running.fake.wait_for("response_url", lambda c: unavailable in text_of(c.args))

    # Told at once because the database refused at once (its folder gone; PostgreSQL not
    # accepting connections): no request waited for a timeout, the busy one or the connect
    # one (a hang would pass the driver's 15 s, a failure's bound).
    refusals = [r.exc_info[1] for r in caplog.records if r.exc_info and r.exc_info[1]]
    assert refusals and all(_refused_at_once(error) for error in refusals), refusals
    assert command.status == 200 and unavailable in command.json()["text"]
    assert click.status == 200 and said.args["response_type"] == "ephemeral"
    assert submitted.json()["response_action"] == "errors"
    assert submitted.json()["errors"]["title"] == unavailable[:150]
    assert delivered.status == 503  # Slack will deliver it again
    assert "Traceback" not in json.dumps([command.body, submitted.body, text_of(said.args)])

    with running.db.session() as session:  # nothing of it was recorded, nothing done
        assert session.scalar(select(func.count()).select_from(AskedQuestion)) == 0
        assert session.scalar(select(func.count()).select_from(InboxRecord)) == 1  # the help
    assert not running.fake.bot_messages(running.fake.im_for(ERIK))

    # The database is back; Slack delivers the event again (and again): done once.
    again = running.event(event, event_id="Ev0DOWN0001", retry=1)
    last = running.event(event, event_id="Ev0DOWN0001", retry=2)
    assert again.status == last.status == 200
    answers = running.fake.bot_messages(running.fake.im_for(ERIK))
    assert len(answers) == 1 and "stand" in text_of(answers[0].to_api())
    with running.db.session() as session:
        assert session.scalar(select(func.count()).select_from(AskedQuestion)) == 1


def test_someone_the_bot_has_not_met_is_told_in_the_default_language(
    running: SlackDriver,
) -> None:
    with unreachable(running):
        answer = running.command("U0STRANGER", "check something")
    assert answer.status == 200
    assert answer.json()["text"] == t("en", "delivery.unavailable")  # the tests' default
