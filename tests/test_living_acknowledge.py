"""Acknowledging an adopted version: the lead names an audience, each person in it (no bots,
nobody deactivated) gets one direct message in their language with the rules of their groups,
a link to the document and *I have read it*; on a new version those who acknowledged the
previous one read only what changed; coverage per group, in Slack and on the command line."""

from __future__ import annotations

import copy
import json
import threading
from pathlib import Path

from bot.policy.validation import parse_policy
from bot.reviewing.draft import replace_draft
from tests.cli_runs import run_policybot
from tests.driver import ADMIN, EMMA, ERIK, GENERAL, LEAD, WENDY, WILLEM, SlackDriver
from tests.payloads import text_of
from tests.samples import sample_policy_data
from tests.seed import adopt, make_lead

READ = "living_ack_read"
BOT, GONE = "UBOT0001", "UGONE001"


def scene(running: SlackDriver) -> None:
    adopt(running.db)
    make_lead(running.db)
    running.fake.add_user(BOT, "a-bot", is_bot=True)
    running.fake.add_user(GONE, "left-us", deleted=True)
    running.fake.add_channel(GENERAL, "general", [ERIK, EMMA, WILLEM, BOT, GONE])
    running.fake.add_usergroup("S0BOAS", "boas", [ERIK])


def requests_to(running: SlackDriver, user: str) -> list:
    dm = running.fake.im_for(user)
    notes = ("Please read our social media policy", "Lees ons social mediabeleid")
    return [m for m in running.fake.bot_messages(dm) if m.text.startswith(notes)]


def test_a_channel_is_asked_once_each_in_their_language(running: SlackDriver) -> None:
    scene(running)
    running.command(LEAD, "acknowledge #general")
    assert "3 people asked" in running.last_reply_text()
    for nobody in (BOT, GONE, LEAD):
        assert requests_to(running, nobody) == []
    dutch, english = requests_to(running, ERIK), requests_to(running, EMMA)
    assert len(dutch) == len(english) == 1
    assert "Gelezen" in str(dutch[0].blocks) and "I have read it" in str(english[0].blocks)
    # Erik is a boa: his groups' rules are among his; Emma's are everyone's only.
    boa_rules = {r["id"] for r in sample_policy_data()["rules"] if r.get("applies_to") == ["boa"]}
    assert boa_rules and all(f"*{r}*" in text_of(dutch[0]) for r in boa_rules)
    assert not any(f"*{r}*" in text_of(english[0]) for r in boa_rules)
    shared = [f for f in running.fake.uploaded_files() if f.channel == GENERAL]
    assert len(shared) == 1 and shared[0].filename.endswith(".docx")
    assert shared[0].id in text_of(english[0])  # the link to the whole document

    running.click(EMMA, english[0], READ)
    after = running.fake.message(english[0].channel, english[0].ts)
    assert after is not None and "You confirmed you read it" in text_of(after)
    assert READ not in str(after.blocks)

    running.command(LEAD, "coverage")
    summary = running.last_reply_text()
    assert "1 of 3 acknowledged (33.3%)" in summary
    assert "Boa's (Toezicht en Handhaving): 0 of 1" in summary

    running.command(LEAD, "acknowledge everyone")  # only those not asked yet
    assert "3 people asked" in running.last_reply_text()  # admin, the lead, Wendy
    assert len(requests_to(running, EMMA)) == 1 and len(requests_to(running, WENDY)) == 1
    running.command(LEAD, "coverage csv")
    table = [f for f in running.fake.uploaded_files() if f.filename.endswith(".csv")]
    assert len(table) == 1 and table[0].channel == running.fake.im_for(LEAD)
    rows = (table[0].content or b"").decode().splitlines()
    assert rows[0].startswith("version,label,user_id")
    assert len(rows) == 7 and any(EMMA in r and r.split(",")[-1] for r in rows)


def test_a_new_version_asks_only_about_what_changed(running: SlackDriver, tmp_path: Path) -> None:
    scene(running)
    running.command(LEAD, "acknowledge #general")
    running.click(EMMA, requests_to(running, EMMA)[0], READ)

    data = copy.deepcopy(sample_policy_data())
    allowed = next(
        r for r in data["rules"] if r["verdict"] == "allowed" and not r.get("applies_to")
    )
    allowed["verdict"], allowed["role"] = "review", data["default"]["role"]
    data["rules"].append(
        {"id": "R99", "verdict": "forbidden", "text": "Geen livestreams vanuit de raadzaal."}
    )
    data["version"] = "2026.2"
    adopt(running.db, data)
    running.command(LEAD, "acknowledge #general")
    emma = requests_to(running, EMMA)[-1]
    text = text_of(emma)
    assert "You acknowledged version 2026.1" in text and "2 rules that concern you changed" in text
    assert f"`stricter` *{allowed['id']}*" in text and "`new` *R99*" in text
    assert text.count("*R") == 2  # only what changed
    erik = requests_to(running, ERIK)[-1]  # never acknowledged: the whole of it
    assert "Deze" in text_of(erik) and "`nieuw`" not in text_of(erik)

    out = run_policybot(["coverage", "--json"], running.db.url, tmp_path)
    assert json.loads(out) | {"groups": []} == {
        "version": 2,
        "acknowledged": 0,
        "of": 3,
        "percent": 0.0,
        "label": "2026.2",
        "groups": [],
    }
    out = run_policybot(["coverage", "--json", "--version", "1"], running.db.url, tmp_path)
    assert json.loads(out)["acknowledged"] == 1
    table = tmp_path / "who.csv"
    out = run_policybot(
        ["coverage", "--version", "1", "--csv", str(table)], running.db.url, tmp_path
    )
    assert "Version 2026.1: 1 of 3 acknowledged (33.3%)" in out
    rows = table.read_text().splitlines()
    emma = next(r for r in rows if EMMA in r).split(",")
    assert emma[5] == "full" and emma[7].startswith("20")  # asked about all of it; when


def test_two_instances_ask_each_person_once(running: SlackDriver) -> None:
    scene(running)
    with running.db.session() as session:
        from bot import people

        people.grant(session, ADMIN, WILLEM, people.COMMS_LEAD)
    with running.another_instance() as second:
        threads = [
            threading.Thread(target=running.command, args=(LEAD, "acknowledge #general")),
            threading.Thread(target=second.command, args=(WILLEM, "acknowledge #general")),
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        running.wait()
        second.wait()
    for user in (ERIK, EMMA, WILLEM):
        assert len(requests_to(running, user)) == 1, user


def test_after_adoption_the_lead_chooses_who_must_read_it(running: SlackDriver) -> None:
    scene(running)
    with running.db.session() as session:
        replace_draft(session, parse_policy(sample_policy_data() | {"version": "2026.2"}), LEAD)
    running.adopt_from_slack()
    running.wait()
    follow_up = running.fake.bot_messages(running.fake.im_for(LEAD))[-1]
    assert "Version 2026.2 is adopted. Who must read it?" in text_of(follow_up)
    running.click(LEAD, follow_up, "living_ack_choose")
    form = running.opened_view()
    assert form["callback_id"] == "living_ack_modal"
    group = {"a": {"type": "static_select", "selected_option": {"value": "usergroup:S0BOAS"}}}
    channel = {"a": {"type": "conversations_select", "selected_conversation": GENERAL}}
    refused = running.submit(LEAD, form, {"group": group, "channel": channel})
    assert refused["response_action"] == "errors"  # one of the two
    assert running.submit(LEAD, form, {"group": group}) is None  # closed at once
    running.wait()
    assert len(requests_to(running, ERIK)) == 1 and requests_to(running, EMMA) == []
    told = running.fake.bot_messages(running.fake.im_for(LEAD))[-1]
    assert "1 person asked about version 2026.2" in text_of(told)
    running.command(ERIK, "coverage")  # an employee may not see it
    assert "communicatieleider" in running.last_reply_text().lower()


def test_a_user_group_with_no_announcement_channel_gets_the_document_and_its_link(
    running: SlackDriver,
) -> None:
    """No channel the whole group can read (the version was never announced, the lead asks
    from their DM): each person gets the document in their own DM, and the request after it,
    linking to it, in their language."""
    scene(running)
    running.fake.add_usergroup("S0MIXED", "gemengd", [ERIK, EMMA])
    lead_dm = running.fake.im_for(LEAD)
    running.command(LEAD, "acknowledge <!subteam^S0MIXED|@gemengd>", channel=lead_dm)
    assert "2 people asked" in running.last_reply_text()
    files = [f for f in running.fake.uploaded_files() if f.filename.endswith(".docx")]
    assert sorted(f.channel or "" for f in files) == sorted(
        running.fake.im_for(u) for u in (ERIK, EMMA)
    )  # nothing in the lead's DM, where nobody else could open it
    for user, language_words, read_all in (
        (ERIK, "volledig", "Lees het hele beleid"),
        (EMMA, "in full", "Read the whole policy"),
    ):
        (own,) = [f for f in files if f.channel == running.fake.im_for(user)]
        assert language_words in (own.initial_comment or "")
        (request,) = requests_to(running, user)
        shown = text_of(request)
        assert own.id in shown and read_all in shown  # the link to their copy
        assert f"|{read_all}" in str(request.blocks)  # a link the kit made: <url|label>
