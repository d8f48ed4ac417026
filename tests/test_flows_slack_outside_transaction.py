"""No Slack call inside an open unit of work in the flows the review's decisions left
(issue 13): a question answered for someone whose profile is not stored while the policy's
group lists are stale, an escalation's target (a person's or a group's DM opened, the
group's members) and its steps (the asker's DM opened, the link to their new thread),
`/policy acknowledge` (the groups, the document's names) and `/policy export` (the
document's names). Each holds the flow's Slack calls in the stand-in Web API, one by one;
while each is held another person's direct message is acknowledged and answered (on SQLite
a Slack call after a write would hold the writer turn that person's ack waits for), and on
PostgreSQL no transaction of the app is open over it. Once Slack answers, the flow's
result is what it was."""

from __future__ import annotations

from bot import directory
from tests.cast import add_sample_contacts
from tests.driver import EMMA, ERIK, GENERAL, LEAD, WENDY, WILLEM, SlackDriver
from tests.escalating import ask_by_dm, in_thread, press_ask, role_post
from tests.held import forget, held_in_turn
from tests.payloads import buttons, text_of
from tests.samples import sample_policy_data
from tests.seed import adopt, make_lead

QUESTION = "Mag ik een foto van ons nieuwe kantoor op LinkedIn zetten?"
SELFIE = "Selfie in my uniform during the evening shift downtown. Okay for my Insta?"
NEWCOMER = "U0NIEUW01"
ESCALATED = "mag ik dit posten: Onder ons bericht staan tientallen klachten, ik reageer wel"
PASSWORD = 'May I post this in the team app? "Account webcare: gv_webcare, ww: Zomer2026!"'
REPORTERS = "Two reporters from the regional paper messaged me. Can I answer?"
SERVICEDESK = "S07SVCDESK"


def test_a_question_asks_slack_for_the_asker_and_groups_before_its_work(
    running: SlackDriver,
) -> None:
    adopt(running.db)
    running.fake.add_user(NEWCOMER, "nieuw", locale="en-GB")
    running.fake.add_usergroup("S0BOAS001", "boas", [NEWCOMER])
    running.dm(EMMA, QUESTION)  # Emma's profile stored: her answers ask Slack for no profile
    forget(running.db, NEWCOMER, group_lists=True)

    held_in_turn(running, ["users.info"], lambda: running.dm(NEWCOMER, SELFIE), EMMA, QUESTION)

    (answer,) = running.fake.bot_messages(running.fake.im_for(NEWCOMER))
    assert "Don't post this" in text_of(answer) and "R20" in text_of(answer)  # a boa's rule


def test_an_escalation_opens_the_askers_dm_before_its_step(running: SlackDriver) -> None:
    adopt(running.db)
    add_sample_contacts(running.fake)
    running.dm(WENDY, QUESTION)
    asked = ask_by_dm(running, ERIK, ESCALATED)

    held_in_turn(
        running, ["conversations.open"], lambda: press_ask(running, asked), WENDY, QUESTION
    )

    assert "Webcareteam" in text_of(role_post(running, "C0WEBCARE"))
    told = running.last_reply_text()
    assert "doorgestuurd naar *Webcareteam*" in told and "thread van je vraag" in told
    (note,) = in_thread(running, asked.dm, asked.ts)  # once
    assert "Webcareteam" in note.text


def test_an_escalation_asks_for_the_new_threads_link_before_its_step(
    running: SlackDriver,
) -> None:
    adopt(running.db)
    add_sample_contacts(running.fake)
    running.dm(WENDY, QUESTION)
    text = "Onder ons bericht staan tientallen klachten; mail me op jan@xs4all.nl"
    ts = running.fake.post_user_message(EMMA, GENERAL, text)
    running.message_shortcut(
        EMMA, "check_against_policy", GENERAL, {"ts": ts, "text": text, "type": "message"}
    )
    (button,) = buttons(running.fake.ephemerals_for(EMMA)[-1].blocks, "asking_escalate")

    # The link to the public channel's message, then the link to the asker's new thread.
    held_in_turn(
        running,
        ["chat.getPermalink", "chat.getPermalink"],
        lambda: running.press(EMMA, button, channel=GENERAL),
        WENDY,
        QUESTION,
    )

    dm = running.fake.im_for(EMMA)
    (opening,) = [m for m in running.fake.bot_messages(dm) if not m.is_reply]
    assert "Webcareteam" in opening.text
    assert f"archives/{dm}" in running.last_reply_text()  # the link to their own DM


def test_acknowledge_asks_slack_for_names_and_groups_before_its_work(
    running: SlackDriver,
) -> None:
    adopt(running.db)
    make_lead(running.db)
    running.fake.add_channel(GENERAL, "general", [ERIK, EMMA, WILLEM])
    running.fake.add_usergroup("S0BOAS", "boas", [ERIK])
    add_sample_contacts(running.fake)  # the people the document names
    running.dm(WENDY, QUESTION)
    running.command(LEAD, "help")  # the lead's profile stored
    forget(running.db, group_lists=True)

    held_in_turn(
        running,
        ["usergroups.users.list", "users.info"],
        lambda: running.command(LEAD, "acknowledge #general"),
        WENDY,
        QUESTION,
    )

    assert "3 people asked" in running.all_reply_text()
    dm = running.fake.im_for(ERIK)
    (request,) = [m for m in running.fake.bot_messages(dm) if "Lees ons" in m.text]
    shared = [f for f in running.fake.uploaded_files() if f.channel == GENERAL]
    assert len(shared) == 1 and shared[0].id in text_of(request)


def test_an_export_asks_slack_for_names_before_its_work(running: SlackDriver) -> None:
    adopt(running.db)
    make_lead(running.db)
    add_sample_contacts(running.fake)
    running.dm(WENDY, QUESTION)
    running.command(LEAD, "help")  # the lead's profile stored

    held_in_turn(
        running, ["users.info"], lambda: running.command(LEAD, "export md 1"), WENDY, QUESTION
    )

    (exported,) = [f for f in running.fake.uploaded_files() if f.filename.endswith(".md")]
    assert "U0PERS001" not in (exported.content or b"").decode()  # named, as Slack said
    with running.db.session() as session:
        assert directory.stored_names(session, ["U0PERS001"]) == {"U0PERS001": "pers"}


def test_an_escalation_opens_the_persons_dm_before_its_unit_of_work(
    running: SlackDriver,
) -> None:
    adopt(running.db)
    add_sample_contacts(running.fake)
    running.dm(WENDY, QUESTION)
    asked = ask_by_dm(running, EMMA, REPORTERS)

    # The press officer's DM (the target), then the asker's (the step's).
    held_in_turn(
        running,
        ["conversations.open", "conversations.open"],
        lambda: press_ask(running, asked),
        WENDY,
        QUESTION,
    )

    press_dm = running.fake.im_for("U0PERS001")
    assert "<@UEMP0002>" in role_post(running, press_dm).text
    assert "direct message to <@U0PERS001>" in running.last_reply_text()


def test_an_escalation_opens_a_groups_dm_before_its_unit_of_work(running: SlackDriver) -> None:
    data = sample_policy_data()  # the default role reached in a person's DM, not a channel:
    for role in data["roles"]:  # a user group's question goes to a DM with its members
        if role["id"] == "communicatie":
            role["contact"] = "@U0INTEG02"
    adopt(running.db, data)
    add_sample_contacts(running.fake)
    running.fake.add_usergroup(SERVICEDESK, "servicedesk", [WILLEM, WENDY])
    running.dm(WENDY, QUESTION)
    asked = ask_by_dm(running, EMMA, PASSWORD)

    # The group's members, the group DM (the target), then the asker's DM (the step's).
    held_in_turn(
        running,
        ["usergroups.users.list", "conversations.open", "conversations.open"],
        lambda: press_ask(running, asked),
        WENDY,
        QUESTION,
    )

    (group_dm,) = running.fake.calls_for("conversations.open")[-2:-1]
    post = role_post(running, group_dm.response["channel"]["id"])
    assert f"<!subteam^{SERVICEDESK}>" in text_of(post) and "Zomer2026!" not in text_of(post)


def test_gaps_and_show_ask_for_the_askers_language_before_their_work(
    running: SlackDriver,
) -> None:
    adopt(running.db)
    make_lead(running.db)
    running.dm(WENDY, QUESTION)
    forget(running.db, LEAD, group_lists=True)  # the lead's language: only Slack can say

    held_in_turn(running, ["users.info"], lambda: running.command(LEAD, "gaps"), WENDY, QUESTION)
    assert "Questions the policy did not cover" in running.last_reply_text()  # in English

    forget(running.db, LEAD, group_lists=True)
    held_in_turn(
        running, ["users.info"], lambda: running.command(LEAD, "show identity"), WENDY, QUESTION
    )
    assert "*Our online identity*: the contributions so far" in running.last_reply_text()


def test_the_shortcut_asks_for_the_askers_language_before_its_work(
    running: SlackDriver,
) -> None:
    adopt(running.db)
    running.dm(WENDY, QUESTION)
    forget(running.db, EMMA, group_lists=True)
    text = "Er is brand bij het afvalbedrijf, de brandweer is er, kijk mijn filmpje!"
    ts = running.fake.post_user_message(ERIK, GENERAL, text)
    message = {"type": "message", "user": ERIK, "ts": ts, "text": text}

    def shortcut(on: dict[str, str]) -> None:
        running.message_shortcut(EMMA, "check_against_policy", GENERAL, on)

    held_in_turn(running, ["users.info"], lambda: shortcut(message), WENDY, QUESTION)
    answer = running.fake.ephemerals_for(EMMA)[-1]
    assert "Don't post this" in answer.text + str(answer.blocks)

    forget(running.db, EMMA, group_lists=True)  # a message without text: told so, in their language
    held_in_turn(running, ["users.info"], lambda: shortcut(message | {"text": ""}), WENDY, QUESTION)
    assert len(running.fake.ephemerals_for(EMMA)) == 2
