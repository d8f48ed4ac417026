"""The App Home tab shows where the draft stands, and starts a section in a chosen channel.
The thread listener leaves every other thread and direct messages alone."""

from __future__ import annotations

from runtime.fakeslack.inbound import app_home_opened_event
from tests.driver import DRAFT_CHANNEL, EMMA, WENDY, WILLEM, SlackDriver
from tests.payloads import text_of
from tests.seed import contributions, working_group

GENERAL = "C0GENERAL"


def _home_texts(view: dict) -> list[str]:
    return [str((b.get("text") or {}).get("text", "")) for b in view["blocks"]]


def test_home_shows_bars_and_starts_a_section_where_asked(running: SlackDriver) -> None:
    working_group(running.db, WILLEM, WENDY)
    root = running.start_draft(WENDY, "identity")
    running.message(WENDY, DRAFT_CHANNEL, "Close to our patients.", thread_ts=root)

    running.event(app_home_opened_event(WENDY, "D0WENDY"))
    home = running.fake.home_view(WENDY)
    texts = "\n".join(_home_texts(home))
    assert "`▰▱▱▱▱▱` 1/6 questions answered" in texts
    assert "No version of the policy has been adopted yet." in texts
    assert "*Next:* carry on with *Who writes the policy" in texts  # the cover sheet comes last
    identity = next(b for b in home["blocks"] if "Our online identity" in str(b.get("text")))
    assert identity["accessory"]["url"].startswith("https://")  # resume: opens the thread
    purpose = next(b for b in home["blocks"] if "Why this policy" in str(b.get("text")))
    button = purpose["accessory"]
    assert button["text"]["text"] == "Start"

    # Home has no channel: the button asks where, and the session starts there.
    running.block_action(
        WENDY, {"action_id": button["action_id"], "value": button["value"]}, view=home
    )
    (modal,) = running.fake.open_views()
    assert modal["callback_id"] == "drafting_start_modal"
    values = {
        "channel": {"channel": {"type": "conversations_select", "selected_conversation": GENERAL}}
    }
    running.view_submission(WENDY, modal, values)
    (opening,) = running.fake.bot_messages(GENERAL)[:1]
    assert "Drafting: Why this policy" in text_of(opening)
    assert "Question 1 of 4" in text_of(running.last_post(opening.ts, GENERAL))


def test_an_employee_sees_the_adopted_version_and_how_to_ask(running: SlackDriver) -> None:
    running.event(app_home_opened_event(EMMA, "D0EMMA"))
    texts = "\n".join(_home_texts(running.fake.home_view(EMMA)))
    assert "send me a direct message" in texts
    assert "No version of the policy has been adopted yet." in texts
    assert "▰" not in texts and "▱" not in texts


def test_other_threads_and_direct_messages_are_not_drafting(running: SlackDriver) -> None:
    working_group(running.db, WILLEM)
    running.start_draft(WILLEM, "purpose")
    other = running.fake.post_user_message(WILLEM, DRAFT_CHANNEL, "Lunch?")
    reply = running.message(WILLEM, DRAFT_CHANNEL, "volgende", thread_ts=other)
    assert running.fake.reactions_on(DRAFT_CHANNEL, reply) == {}
    running.message(WILLEM, running.fake.im_for(WILLEM), "volgende")
    assert contributions(running.db) == []


def test_help_lists_the_drafting_commands_for_the_working_group(running: SlackDriver) -> None:
    running.command(EMMA, "help")
    assert "`/policy draft" not in running.last_reply_text()  # help is by role
    working_group(running.db, EMMA)
    running.command(EMMA, "help")
    listing = running.last_reply_text()
    assert "`/policy draft [SECTION]`" in listing
    assert "`/policy status`" in listing
    assert "`/policy show SECTION [--history]`" in listing
