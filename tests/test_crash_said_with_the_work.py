"""kill -9 right after a request's work committed, while Slack holds its first write: what
the request says was committed with its done mark, so the restarted instance says it all.

Two flows that once spoke after the commit that marked them done (`kit.context` warns of
that; `tests/conftest.py` fails on the warning): `/policy help` after an unknown word (the
router's note went out with the role's read, and help's list after it) and the drafting
"new round" button (its private message deleted after the work). A kill between those two
commits lost the second for good: the request was done, nobody would run it again.

`policybot serve --http` runs in a process of its own (`tests/test_crash.serving`), on the
test's database, with the stand-in Slack on 127.0.0.1; waits are bounded by deadlines.
"""

from __future__ import annotations

import os
import signal
import subprocess
from pathlib import Path

from sqlalchemy import select

from bot import outbox
from bot.drafting import sessions
from bot.settings import Settings
from bot.storage import Database
from bot.storage.models.delivery import InboxRecord
from bot.storage.models.drafting import DraftingSession
from runtime.fakeslack import FakeSlack
from tests.driver import DRAFT_CHANNEL, EMMA, GENERAL, WENDY, WILLEM, SlackDriver
from tests.payloads import text_of
from tests.seed import working_group
from tests.test_crash import _count, _free_port, _until, serving

SETTLE_WITHIN = 60.0  # seconds for the restarted server to say what was left


def _killed(server: subprocess.Popen[bytes]) -> None:
    os.killpg(server.pid, signal.SIGKILL)  # at once, as a host dies
    server.wait(timeout=30)


def _settled(db: Database) -> bool:
    """Nothing left in the inbox to run, nor in the outbox to send."""
    pending = _count(db, InboxRecord.state == "pending", model=InboxRecord)
    with db.session() as session:
        return pending == 0 and outbox.unsent(session) == 0


def test_help_after_an_unknown_word_is_said_whole_after_a_crash(
    settings: Settings, fake_slack: FakeSlack, db: Database, tmp_path: Path
) -> None:
    port = _free_port()
    slack = SlackDriver(
        f"http://127.0.0.1:{port}/slack/events",
        fake_slack,
        signing_secret=settings.signing_secret or "",
    )
    held = fake_slack.hold_next("response_url")  # the note, the first thing said
    try:
        with serving(settings, port, tmp_path) as server:
            slack.command(EMMA, "frobnicate now")
            assert slack.acks[-1].status == 200
            held.wait_until_arrived(timeout=60)
            _killed(server)  # the work committed; the note on its way, the list not yet
    finally:
        held.release()  # Slack had read the held note: it shows it
    _until(lambda: bool(fake_slack.calls_for("response_url")), 30.0, "the held note made")
    made_before = len(fake_slack.calls_for("response_url"))
    assert made_before == 1

    with serving(settings, port, tmp_path):  # the same instance, restarted
        _until(lambda: _settled(db), SETTLE_WITHIN, "saying what the request wrote")
    again = [text_of(c.args) for c in fake_slack.calls_for("response_url")[made_before:]]
    # The row in flight at the kill is sent again (a response_url has no way to look for
    # it); the list, committed with it and the done mark, is not lost; nothing runs twice.
    assert len(again) == 2, again
    assert "I don't know `/policy frobnicate`" in again[0]
    assert "`/policy help [COMMAND]`: this list" in again[1]
    assert _count(db, InboxRecord.state == "done", model=InboxRecord) == 1


def test_a_new_round_still_removes_its_button_after_a_crash(
    settings: Settings, fake_slack: FakeSlack, db: Database, tmp_path: Path
) -> None:
    working_group(db, WILLEM, WENDY)
    root = fake_slack.post_user_message(WILLEM, DRAFT_CHANNEL, "Let's draft our identity.")
    with db.session() as session:
        sessions.open_session(
            session,
            section_id="identity",
            channel=DRAFT_CHANNEL,
            thread_ts=root,
            started_by=WILLEM,
            language="en",
        )
    port = _free_port()
    slack = SlackDriver(
        f"http://127.0.0.1:{port}/slack/events",
        fake_slack,
        signing_secret=settings.signing_secret or "",
    )

    def deletions() -> int:
        calls = fake_slack.calls_for("response_url")
        return sum(1 for c in calls if c.args.get("delete_original"))

    def offered() -> bool:
        return any(
            "drafting_new_round" in str(c.args) for c in fake_slack.calls_for("response_url")
        )

    held = fake_slack.hold_next("chat.postMessage")  # the new round's session message
    try:
        with serving(settings, port, tmp_path) as server:
            slack.command(WENDY, "draft identity", GENERAL)  # open elsewhere: the pointer
            _until(offered, SETTLE_WITHIN, "the pointer with its new-round button")
            slack.press(WENDY, slack.find_button("drafting_new_round"), channel=GENERAL)
            assert slack.acks[-1].status == 200
            held.wait_until_arrived(timeout=60)
            _killed(server)  # the press is done; its post on its way, the deletion not yet
    finally:
        held.release()  # Slack had read the post: it makes it
    _until(lambda: bool(fake_slack.bot_messages(GENERAL)), 30.0, "the held post made")
    assert deletions() == 0

    with serving(settings, port, tmp_path):  # the same instance, restarted
        _until(
            lambda: _settled(db) and deletions() > 0,
            SETTLE_WITHIN,
            "the new round's writes",
        )
    assert deletions() == 1  # the button's message removed, once
    top = [m for m in fake_slack.bot_messages(GENERAL) if not m.is_reply]
    assert len(top) == 1  # the session message posted once (found by its metadata)
    with db.session() as session:
        rows = session.scalars(select(DraftingSession)).all()
        opened = [(r.channel, r.status) for r in rows if r.section_id == "identity"]
    assert sorted(opened) == sorted([(DRAFT_CHANNEL, "done"), (GENERAL, "open")]), opened
