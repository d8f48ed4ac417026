"""kill -9 right after a request's work committed, while Slack holds its first write: what
the request says was committed with its done mark, so the restarted instance says it all.

Two flows that once spoke after the commit that marked them done (`kit.context` warns of
that; `tests/conftest.py` fails on the warning): `/policy help` after an unknown word (the
router's note went out with the role's read, and help's list after it) and the drafting
"new round" button (its private message deleted after the work). A kill between those two
commits lost the second for good: the request was done, nobody would run it again.

`policybot serve --http` runs in a process of its own (`tests/crash_harness.Instance`), on the
test's database, with the stand-in Slack on 127.0.0.1; waits are bounded by deadlines.
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from bot import outbox
from bot.settings import Settings
from bot.storage import Database
from bot.storage.models.delivery import InboxRecord
from bot.storage.models.drafting import DraftingSession
from runtime.fakeslack import FakeSlack
from tests.crash_harness import Instance, count, drafting_thread, kill_9, until
from tests.driver import DRAFT_CHANNEL, EMMA, GENERAL, WENDY, WILLEM
from tests.payloads import text_of

SETTLE_WITHIN = 60.0  # seconds for the restarted server to say what was left


def _settled(db: Database) -> bool:
    """Nothing left in the inbox to run, nor in the outbox to send."""
    pending = count(db, InboxRecord, InboxRecord.state == "pending")
    with db.session() as session:
        return pending == 0 and outbox.unsent(session) == 0


def test_help_after_an_unknown_word_is_said_whole_after_a_crash(
    settings: Settings, fake_slack: FakeSlack, db: Database, tmp_path: Path
) -> None:
    instance = Instance(settings, fake_slack, tmp_path)
    slack = instance.slack
    held = fake_slack.hold_next("response_url")  # the note, the first thing said
    try:
        with instance.serving() as server:
            slack.command(EMMA, "frobnicate now")
            assert slack.acks[-1].status == 200
            held.wait_until_arrived(timeout=60)
            kill_9(server)  # the work committed; the note on its way, the list not yet
    finally:
        held.release()  # Slack had read the held note: it shows it
    until(lambda: bool(fake_slack.calls_for("response_url")), 30.0, "the held note made")
    made_before = len(fake_slack.calls_for("response_url"))
    assert made_before == 1

    with instance.serving():  # the same instance, restarted
        until(lambda: _settled(db), SETTLE_WITHIN, "saying what the request wrote")
    again = [text_of(c.args) for c in fake_slack.calls_for("response_url")[made_before:]]
    # The row in flight at the kill is sent again (a response_url has no way to look for
    # it); the list, committed with it and the done mark, is not lost; nothing runs twice.
    assert len(again) == 2, again
    assert "I don't know `/policy frobnicate`" in again[0]
    assert "`/policy help [COMMAND]`: this list" in again[1]
    assert count(db, InboxRecord, InboxRecord.state == "done") == 1


def test_a_new_round_still_removes_its_button_after_a_crash(
    settings: Settings, fake_slack: FakeSlack, db: Database, tmp_path: Path
) -> None:
    drafting_thread(db, fake_slack, WILLEM, WENDY)
    instance = Instance(settings, fake_slack, tmp_path)
    slack = instance.slack

    def deletions() -> int:
        calls = fake_slack.calls_for("response_url")
        return sum(1 for c in calls if c.args.get("delete_original"))

    def offered() -> bool:
        return any(
            "drafting_new_round" in str(c.args) for c in fake_slack.calls_for("response_url")
        )

    held = fake_slack.hold_next("chat.postMessage")  # the new round's session message
    try:
        with instance.serving() as server:
            slack.command(WENDY, "draft identity", GENERAL)  # open elsewhere: the pointer
            until(offered, SETTLE_WITHIN, "the pointer with its new-round button")
            slack.press(WENDY, slack.find_button("drafting_new_round"), channel=GENERAL)
            assert slack.acks[-1].status == 200
            held.wait_until_arrived(timeout=60)
            kill_9(server)  # the press is done; its post on its way, the deletion not yet
    finally:
        held.release()  # Slack had read the post: it makes it
    until(lambda: bool(fake_slack.bot_messages(GENERAL)), 30.0, "the held post made")
    assert deletions() == 0

    with instance.serving():  # the same instance, restarted
        until(
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
