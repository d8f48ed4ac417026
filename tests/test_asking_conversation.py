"""An escalation is a conversation: every reply of the role (in the thread of the post to
them) reaches the asker in the thread of their question in their DM with the bot, in the
asker's language; every reply of the asker there reaches the role's thread, masked, in the
organisation's language; each exactly once, whichever instance sees it. Someone of the role
marks it answered (once), which tells the asker; the asker writing again opens it again."""

from __future__ import annotations

import copy

from tests.driver import ADMIN, SlackDriver, add_sample_contacts
from tests.escalating import Asked, ask_by_dm, in_thread, mark_answered, press_ask, role_post
from tests.payloads import buttons, text_of
from tests.seed import adopt

DUTCH_POST = "mag ik dit posten: Onder ons bericht staan tientallen klachten, ik reageer wel"
ENGLISH_POST = "Two reporters from the regional paper messaged me. Can I answer?"


def relayed_to_asker(running: SlackDriver, asked: Asked) -> list[str]:
    """What the bot wrote in the asker's thread after its note of where the question went."""
    return [m.text for m in in_thread(running, asked.dm, asked.ts)[1:]]


def test_a_conversation_of_several_turns_in_dutch(running: SlackDriver) -> None:
    adopt(running.db)
    add_sample_contacts(running.fake)
    asked = ask_by_dm(running, "UEMP0001", DUTCH_POST)  # Erik reads Dutch
    press_ask(running, asked)
    post = role_post(running, "C0WEBCARE")

    first = running.message("UCOMMS01", "C0WEBCARE", "Welke klachten precies?", thread_ts=post.ts)
    (turn1,) = relayed_to_asker(running, asked)
    assert "*Webcareteam* (<@UCOMMS01>)" in turn1 and "Welke klachten precies?" in turn1
    assert "Reageer in deze thread" in turn1  # the first reply says how to answer back
    assert "outbox_tray" in running.fake.reactions_on("C0WEBCARE", first)

    mine = running.message(
        "UEMP0001", asked.dm, "Over de afvalinzameling. Bel me op 06-12345678", thread_ts=asked.ts
    )
    back = in_thread(running, "C0WEBCARE", post.ts)
    assert len(back) == 1 and "<@UEMP0001> schreef terug" in back[0].text
    assert "afvalinzameling" in back[0].text and "06-12345678" not in back[0].text
    assert "outbox_tray" in running.fake.reactions_on(asked.dm, mine)

    running.message("UWG00002", "C0WEBCARE", "Laat maar aan ons over!", thread_ts=post.ts)
    turns = relayed_to_asker(running, asked)
    assert len(turns) == 2 and "Laat maar aan ons over!" in turns[1]
    assert "<@UWG00002>" in turns[1] and "Reageer in deze thread" not in turns[1]
    running.message("UEMP0001", asked.dm, "Dank jullie wel!", thread_ts=asked.ts)
    assert len(in_thread(running, "C0WEBCARE", post.ts)) == 2
    # Nothing the asker wrote in the thread was taken for a new question.
    assert not [m for m in running.fake.bot_messages(asked.dm) if m.ts > asked.answer.ts
                and not m.is_reply]  # fmt: skip

    running.command(ADMIN, "escalations")
    assert "2 replies" in running.last_reply_text()


def test_a_conversation_in_english_with_a_person(running: SlackDriver) -> None:
    adopt(running.db)
    add_sample_contacts(running.fake)
    asked = ask_by_dm(running, "UEMP0002", ENGLISH_POST)  # Emma reads English
    press_ask(running, asked)
    press_dm = running.fake.im_for("U0PERS001")
    post = role_post(running, press_dm)

    running.message("U0PERS001", press_dm, "Which paper?", thread_ts=post.ts)
    running.message("UEMP0002", asked.dm, "De Stentor", thread_ts=asked.ts)
    running.message("U0PERS001", press_dm, "I'll call them, thanks", thread_ts=post.ts)
    turns = relayed_to_asker(running, asked)
    assert len(turns) == 2
    assert "*Persvoorlichting en woordvoering* (<@U0PERS001>)" in turns[0]
    assert "Reply in this thread" in turns[0] and "I'll call them" in turns[1]
    back = in_thread(running, press_dm, post.ts)  # the policy is Dutch: so is the role's side
    assert len(back) == 1 and "schreef terug" in back[0].text and "De Stentor" in back[0].text
    # No link anywhere leads into someone else's DM.
    for message in running.fake.bot_messages(asked.dm):
        assert f"archives/{press_dm}" not in text_of(message)
    for message in running.fake.bot_messages(press_dm):
        assert f"archives/{asked.dm}" not in text_of(message)


def test_marking_answered_tells_the_asker_once_and_a_reply_opens_it_again(
    running: SlackDriver,
) -> None:
    adopt(running.db)
    add_sample_contacts(running.fake)
    asked = ask_by_dm(running, "UEMP0002", ENGLISH_POST.replace("Two", "Three"))
    press_ask(running, asked)
    press_dm = running.fake.im_for("U0PERS001")
    post = role_post(running, press_dm)
    running.message("U0PERS001", press_dm, "Don't answer, send them to me.", thread_ts=post.ts)

    stale = copy.deepcopy(running.fake.message(press_dm, post.ts))  # as the post shows now
    mark_answered(running, "U0PERS001", post)
    closed = running.fake.message(press_dm, post.ts)
    assert closed is not None and not buttons(closed.blocks, "asking_mark_answered")
    assert "Als beantwoord gemarkeerd door <@U0PERS001>" in text_of(closed)
    told = relayed_to_asker(running, asked)[-1]
    assert "marked your question answered (<@U0PERS001>)" in told
    assert stale is not None
    running.click("U0PERS001", stale, "asking_mark_answered")  # a second click, on a stale view
    assert "al als beantwoord gemarkeerd door <@U0PERS001>" in running.last_reply_text()
    assert len([t for t in relayed_to_asker(running, asked) if "marked your" in t]) == 1

    running.command("UEMP0002", "mine")
    assert "answered (<@U0PERS001>" in running.last_reply_text()

    running.message("UEMP0002", asked.dm, "One more thing: can I like their post?", asked.ts)
    reopened = in_thread(running, press_dm, post.ts)[-1]
    assert "weer open" in reopened.text and "can I like their post?" in reopened.text
    again = running.fake.message(press_dm, post.ts)
    assert again is not None and buttons(again.blocks, "asking_mark_answered")
    running.command(ADMIN, "escalations")
    assert "Open (1)" in running.last_reply_text()


def test_each_turn_is_relayed_once_across_two_instances(running: SlackDriver) -> None:
    adopt(running.db)
    add_sample_contacts(running.fake)
    asked = ask_by_dm(running, "UEMP0001", DUTCH_POST)
    press_ask(running, asked)
    post = role_post(running, "C0WEBCARE")
    with running.another_instance() as second:
        # The role's reply: delivered to one instance, redelivered (same event id) to the other.
        ts = running.fake.post_user_message("UCOMMS01", "C0WEBCARE", "Wij pakken het op", post.ts)
        event = reply_event("C0WEBCARE", "UCOMMS01", "Wij pakken het op", ts, post.ts)
        running.event(event, event_id="EvRole1")
        second.event(event, event_id="EvRole1", retry=1)
        # The same message under another event id (Slack sends some twice) at the other one.
        second.event(event, event_id="EvRole1b")
        assert len(relayed_to_asker(running, asked)) == 1

        ts = running.fake.post_user_message("UEMP0001", asked.dm, "Fijn, dank!", asked.ts)
        event = reply_event(asked.dm, "UEMP0001", "Fijn, dank!", ts, asked.ts) | {
            "channel_type": "im"
        }
        second.event(event, event_id="EvAsker1")
        running.event(event, event_id="EvAsker1b")
        assert len(in_thread(running, "C0WEBCARE", post.ts)) == 1

        current = copy.deepcopy(running.fake.message("C0WEBCARE", post.ts))
        assert current is not None  # both click the post as they saw it
        running.click("UCOMMS01", current, "asking_mark_answered")
        second.click("UWG00002", current, "asking_mark_answered")
    told = [t for t in relayed_to_asker(running, asked) if "als beantwoord gemarkeerd" in t]
    assert len(told) == 1


def test_the_asker_writing_in_the_roles_channel_is_not_relayed_to_themselves(
    running: SlackDriver,
) -> None:
    adopt(running.db)
    add_sample_contacts(running.fake)
    asked = ask_by_dm(running, "UEMP0001", DUTCH_POST)
    press_ask(running, asked)
    post = role_post(running, "C0WEBCARE")
    running.message("UEMP0001", "C0WEBCARE", "Ik zie het hier ook", thread_ts=post.ts)
    assert relayed_to_asker(running, asked) == []


def reply_event(channel: str, user: str, text: str, ts: str, thread_ts: str) -> dict:
    return {
        "type": "message",
        "channel": channel,
        "user": user,
        "text": text,
        "ts": ts,
        "thread_ts": thread_ts,
        "channel_type": "channel",
        "event_ts": ts,
    }
