"""Escaped by construction, everywhere (finding 7): a communications lead, a working-group
member and an employee put hostile text into every field the bot later shows (settings,
version label, decisions, role names and what they handle, a drafting reply, approval), then
the bot is driven through drafting, review, adoption, answers, escalation, the Home tab and
an export. Every message, ephemeral, modal and file comment it sent is then walked: its
mrkdwn holds no mention or link the bot did not mean to make."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from runtime.fakeslack.inbound import app_home_opened_event
from tests.driver import DRAFT_CHANNEL, LEAD, PEOPLE, WILLEM, SlackDriver, add_sample_contacts
from tests.payloads import text_value
from tests.seed import load_sample_draft, make_lead, working_group

PING, EVIL_USER, EVIL_LINK = "<!channel>", "<@U999EVIL1>", "<https://evil.example|click>"
HOSTILE = f"{PING} {EVIL_USER} {EVIL_LINK} <!here> <!everyone>"
LABEL = "2027.<!channel>"
MARKUP = re.compile(r"<([^<>]*)>")
SLACK_PERMALINKS = "https://example.slack.com/archives/"  # the stand-in's permalinks
CAST = {user for user, _, _ in PEOPLE} | {"U0PERS001", "U0INTEG02"}


def _mrkdwn_texts(value: Any, is_message: bool = False) -> Iterator[str]:
    """Every text Slack reads as mrkdwn in a call's arguments: a message's `text`, a file's
    `initial_comment`, and every `{"type": "mrkdwn", "text": …}` object in its blocks."""
    if isinstance(value, dict):
        if value.get("type") == "mrkdwn" and isinstance(value.get("text"), str):
            yield value["text"]
        for key, item in value.items():
            if key in ("text", "initial_comment") and is_message and isinstance(item, str):
                yield item
            elif isinstance(item, dict | list):
                yield from _mrkdwn_texts(item)
    elif isinstance(value, list):
        for item in value:
            yield from _mrkdwn_texts(item)


def _unintended(markup: str, permalink_host: str) -> bool:
    """Markup the bot does not make on its own: pings, strangers, links elsewhere."""
    if markup.startswith("@"):
        return markup[1:].split("|")[0] not in CAST
    if markup.startswith(("#C", "#D", "#G", "!subteam^S", "mailto:", "!date^")):
        return False
    if markup.startswith(("http://", "https://")):
        return not markup.split("|")[0].startswith((permalink_host, SLACK_PERMALINKS))
    return True  # <!channel>, <!here>, <!everyone>, anything else


def _walk(slack: SlackDriver, *answered_views: dict[str, Any]) -> tuple[int, list[str]]:
    """Every call the bot made to Slack, and the modals it answered with (`response_action`
    views travel in the HTTP answer, not as calls)."""
    host = slack.fake.base_url
    seen, found = 0, []
    for view in answered_views:
        for text in _mrkdwn_texts(view):
            seen += 1
            found += [f"view: <{m}>" for m in MARKUP.findall(text) if _unintended(m, host)]
    for call in slack.fake.calls:
        message = call.method in (
            "chat.postMessage",
            "chat.postEphemeral",
            "chat.update",
            "response_url",
            "files.completeUploadExternal",
        )
        for text in _mrkdwn_texts(call.args, is_message=message):
            seen += 1
            found += [f"{call.method}: <{m}>" for m in MARKUP.findall(text) if _unintended(m, host)]
    return seen, found


def _settings(slack: SlackDriver) -> None:
    answer = slack.save_settings(
        LEAD,
        organisation=f"Gemeente {HOSTILE}",
        language="en",
        version=LABEL,
        default_verdict="allowed",
        default_role="communicatie",
    )
    assert answer is None, answer
    assert slack.save_decisions(LEAD, f"Decision {HOSTILE}\nAnother {EVIL_LINK}") is None


def _hostile_role(slack: SlackDriver) -> None:
    slack.command(LEAD, "review employees")
    slack.press(LEAD, slack.find_button("review_role_add"))
    answer = slack.submit(
        LEAD,
        slack.opened_view(),
        {
            "id": text_value("evil"),
            "name": text_value(f"Team {EVIL_USER} {PING}"),
            "contact_typed": text_value("#webcare"),
            "handles": text_value(f"Questions about evilwords {HOSTILE}"),
            "keywords": text_value("evilwords"),
        },
    )
    assert answer is None, answer


def test_hostile_text_in_every_field_never_becomes_a_mention_or_a_link(
    running: SlackDriver,
) -> None:
    slack = running
    load_sample_draft(slack.db)
    make_lead(slack.db)
    working_group(slack.db, WILLEM)
    add_sample_contacts(slack.fake)
    _settings(slack)
    _hostile_role(slack)

    root = slack.start_draft(WILLEM, "identity")
    slack.message(WILLEM, DRAFT_CHANNEL, f"Our motto {HOSTILE}", thread_ts=root)
    slack.command(WILLEM, "show identity", DRAFT_CHANNEL)
    slack.command(WILLEM, "status", DRAFT_CHANNEL)
    slack.command(LEAD, "review identity")
    slack.command(LEAD, "review employees")

    done = slack.adopt_from_slack(by=f"Directie {HOSTILE}")
    slack.command("UEMP0002", "adopted")
    slack.command("UEMP0002", "who handles evilwords")
    answer = slack.dm("UEMP0001", f"mag ik dit posten: klachten {HOSTILE}, ik reageer wel")
    assert any(b.get("block_id") == "asking_escalate" for b in answer.blocks)
    slack.click("UEMP0001", answer, "asking_escalate")
    assert slack.fake.bot_messages("C0WEBCARE"), "the question was not passed on"
    slack.event(app_home_opened_event("UEMP0002", "D0EMMA"))
    slack.command(LEAD, "export md")
    slack.command(LEAD, "gaps")

    # The label made it everywhere it belongs, as text.
    announced = slack.fake.bot_messages("C0GENERAL")
    assert any("2027.&lt;!channel&gt;" in m.text for m in announced)
    seen, found = _walk(slack, done)
    assert seen > 40, f"only {seen} texts walked: the scenario did not run"
    assert found == [], found
