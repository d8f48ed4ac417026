"""`/policy show`: contributions per question, attributed, within Slack's limits however long."""

from __future__ import annotations

from tests.driver import DRAFT_CHANNEL, WENDY, WILLEM, SlackDriver
from tests.seed import working_group

SECTION_LIMIT, BLOCK_LIMIT = 3000, 50


def _answer(words: int, tag: str) -> str:
    # A long run of words with no line breaks: the hardest case for splitting.
    return " ".join(f"{tag}{i}" for i in range(words))


def _show_replies(running: SlackDriver, command: str) -> list[dict]:
    before = len(running.fake.calls_for("response_url"))
    running.command(WILLEM, command, DRAFT_CHANNEL)
    calls = running.fake.calls_for("response_url")[before:]
    assert calls and all(c.ok for c in calls), [c.response for c in calls]
    return [c.args for c in calls]


def _within_limits(reply: dict) -> None:
    blocks = reply.get("blocks") or []
    assert len(blocks) <= BLOCK_LIMIT
    for block in blocks:
        assert len(block.get("text", {}).get("text", "")) <= SECTION_LIMIT


def test_long_answers_are_split_over_messages_within_block_kit_limits(
    running: SlackDriver,
) -> None:
    working_group(running.db, WILLEM, WENDY)
    root = running.start_draft(WENDY, "purpose")
    long_answer = _answer(6000, "woord")  # about 55,000 characters: near a message's 40k limit
    running.message(WILLEM, DRAFT_CHANNEL, long_answer[:39_000], thread_ts=root)
    for n in range(30):
        text = _answer(500, f"a{n}x") + " <!here>"
        running.message(WENDY, DRAFT_CHANNEL, text, thread_ts=root)

    replies = _show_replies(running, "show purpose")
    assert 2 <= len(replies) <= 4
    for reply in replies:
        _within_limits(reply)
        assert reply["response_type"] == "ephemeral"
    shown = "\n".join(b["text"]["text"] for r in replies for b in r["blocks"] if b.get("text"))
    assert "<!here>" not in shown and "@here" in shown  # echoed as text, never pinging
    assert shown.count("<@UWG00002>, ") == 30 and "— <@UWG00001>" in shown
    assert shown.index("woord10 ") < shown.index("woord3999 ") < shown.index("a0x0 ")


def test_a_section_too_long_for_a_few_messages_arrives_as_a_file(running: SlackDriver) -> None:
    working_group(running.db, WILLEM, WENDY)
    root = running.start_draft(WENDY, "purpose")
    for n in range(30):
        running.message(WENDY, DRAFT_CHANNEL, _answer(4000, f"p{n}w"), thread_ts=root)

    replies = _show_replies(running, "show purpose")
    assert len(replies) == 1
    assert "als bestand" in replies[0]["text"]  # willem reads Dutch
    (uploaded,) = running.fake.uploaded_files()
    assert uploaded.filename == "purpose.md" and uploaded.channel.startswith("D")
    content = uploaded.content.decode()
    assert content.count("— UWG00002") == 30 and "p29w3999" in content


def test_show_without_a_section_explains_itself(running: SlackDriver) -> None:
    working_group(running.db, WILLEM)
    running.command(WILLEM, "show", DRAFT_CHANNEL)
    assert "Gebruik `/policy show ONDERDEEL`" in running.last_reply_text()
    running.command(WILLEM, "show <!channel>", DRAFT_CHANNEL)
    assert "`&lt;!channel&gt;`" in running.last_reply_text()
