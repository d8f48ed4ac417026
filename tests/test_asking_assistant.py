"""The bot as Slack's AI assistant: a thread opened from the assistant surface is greeted in
the person's language with suggested prompts; a picked prompt asks for the text; questions
are answered in the thread by the same engine with the same citations and "Ask ROLE"; the
thread gets a title; other direct messages and escalation threads are left to their own."""

from __future__ import annotations

from typing import Any

from tests.driver import EMMA, ERIK, SlackDriver
from tests.payloads import buttons, text_of
from tests.seed import adopt

BSN = "111222333"


def open_thread(running: SlackDriver, user: str) -> tuple[str, str]:
    """The person opens the assistant: Slack starts a thread in their DM with the bot."""
    dm = running.fake.im_for(user)
    root = running.fake.post_user_message(user, dm, "")
    started: dict[str, Any] = {
        "type": "assistant_thread_started",
        "assistant_thread": {
            "user_id": user,
            "channel_id": dm,
            "thread_ts": root,
            "context": {"channel_id": "C0GENERAL", "team_id": "T0TEST"},
        },
        "event_ts": root,
    }
    running.event(started)
    return dm, root


def in_thread(running: SlackDriver, dm: str, root: str) -> list:
    return [m for m in running.fake.bot_messages(dm, root) if m.ts != root]


def test_a_thread_is_greeted_with_prompts_in_the_persons_language(running: SlackDriver) -> None:
    adopt(running.db)
    dm, root = open_thread(running, ERIK)
    greeting = in_thread(running, dm, root)
    assert len(greeting) == 1 and "Vraag me of je iets mag posten" in text_of(greeting[0])
    thread = running.fake.ws.assistant_threads[(dm, root)]
    assert [p["title"] for p in thread["prompts"]] == ["Mag ik dit posten?", "Wie gaat hierover?"]

    running.message(ERIK, dm, "Mag ik dit posten?", thread_ts=root)  # the prompt, picked
    assert "Plak de tekst" in text_of(in_thread(running, dm, root)[-1])
    running.message(ERIK, dm, f"Gevonden paspoort, BSN {BSN}. Wie kent hem?", thread_ts=root)
    answer = in_thread(running, dm, root)[-1]
    assert "R01" in text_of(answer) and BSN not in text_of(answer)
    assert buttons(answer.blocks, "asking_escalate"), "the same 'Ask ROLE' as a DM"
    assert thread["title"].startswith("Gevonden paspoort")

    running.message(ERIK, dm, "Wie gaat over Woo-verzoeken via Facebook?", thread_ts=root)
    assert "Woo-coördinator" in text_of(in_thread(running, dm, root)[-1])


def test_an_english_asker_and_a_plain_dm_keep_their_ways(running: SlackDriver) -> None:
    adopt(running.db)
    dm, root = open_thread(running, EMMA)
    running.message(EMMA, dm, "May I post this: Proud of our team at the open day!", thread_ts=root)
    answer = in_thread(running, dm, root)[-1]
    assert "You may post this" in text_of(answer) and "R10" in text_of(answer)
    before = len(running.fake.bot_messages(dm))
    plain = running.dm(EMMA, "may I post: the new benches are in place, proud of our team!")
    assert plain.thread_ts is None and len(running.fake.bot_messages(dm)) == before + 1
    started = len(in_thread(running, dm, root))
    open_again: dict[str, Any] = {  # Slack sends the start twice: greeted once
        "type": "assistant_thread_started",
        "assistant_thread": {"user_id": EMMA, "channel_id": dm, "thread_ts": root},
    }
    running.event(open_again)
    assert len(in_thread(running, dm, root)) == started
