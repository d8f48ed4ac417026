"""From the working group's threads to an adopted, exported policy, all through Slack:
drafting replies → the lead accepts and rejects them (proposals enter the draft only when
accepted; the authors are told) and writes the text → fixes the draft roles and the document
settings → the cover's decisions come from the accepted answer → adoption in three steps, with
what is not ready confirmed and recorded → the exported version people sign."""

from __future__ import annotations

import io

import docx
from sqlalchemy import select

from bot import audit
from bot.storage.models.policy import DraftRule, PolicyVersion
from bot.storage.models.reviewing import VersionRecord
from tests.driver import (
    DRAFT_CHANNEL,
    GENERAL,
    LEAD,
    WENDY,
    WILLEM,
    SlackDriver,
    approval_values,
)
from tests.payloads import input_value, multi_value, select_value, text_value
from tests.seed import contributions, make_lead, working_group

WHY = "Residents are online, so we want to be there too."
TODAY = "Today we only post press releases."
MAYOR = "Nooit iets over de burgemeester"


def _next(running: SlackDriver, root: str, steps: int) -> None:
    for _ in range(steps):
        running.message(WENDY, DRAFT_CHANNEL, "next", thread_ts=root)


def _menu(running: SlackDriver, label: str, contains: str) -> None:
    """Pick `label` in the "⋯" menu whose option value contains `contains`."""
    running.pick_in_menu(LEAD, "review_decide_more", label, contains)


def test_from_drafting_threads_to_an_adopted_exported_policy(running: SlackDriver) -> None:
    working_group(running.db, WILLEM, WENDY)
    make_lead(running.db)
    slack = running

    # The working group drafts in threads.
    purpose = running.start_draft(WILLEM, "doel")  # Dutch section names work too
    slack.message(WILLEM, DRAFT_CHANNEL, WHY, thread_ts=purpose)
    _next(running, purpose, 1)
    slack.message(WENDY, DRAFT_CHANNEL, TODAY, thread_ts=purpose)
    practice = running.start_draft(WENDY, "praktijk")
    _next(running, practice, 5)  # practice.rules
    slack.message(
        WILLEM,
        DRAFT_CHANNEL,
        "nooit: Persoonsgegevens van inwoners delen [trefwoorden: BSN, huisadres]\n"
        "eerst vragen: Kinderen herkenbaar in beeld [keywords: children, kinderen]",
        thread_ts=practice,
    )
    slack.message(WENDY, DRAFT_CHANNEL, f"verboden: {MAYOR}", thread_ts=practice)
    slack.message(WENDY, DRAFT_CHANNEL, "toegestaan: Vacatures delen", thread_ts=practice)
    cover = running.start_draft(WILLEM, "voorblad")
    slack.message(
        WILLEM,
        DRAFT_CHANNEL,
        "Dit beleid geldt voor iedereen\nWebcare krijgt 0,8 fte",
        thread_ts=cover,
    )

    # Nothing proposed is in the draft yet, so there is nothing to adopt.
    slack.command(LEAD, "adopt")
    refusal = running.last_reply_text()
    assert "cannot be adopted" in refusal and "no rules at all" in refusal

    # The lead accepts both purpose contributions and writes the text from them.
    slack.command(LEAD, "review doel")
    running.press(LEAD, running.find_button("review_accept"))
    running.press(LEAD, running.find_button("review_accept"))
    running.press(LEAD, running.find_button("review_edit_text"))
    view = running.opened_view()
    assert input_value(view, "text_0") == f"{WHY}\n\n{TODAY}"
    running.submit(
        LEAD,
        view,
        {"title": text_value("Waarom dit beleid"), "text_0": text_value(f"{WHY}\n\n{TODAY}")},
    )
    # Willem hears it in Dutch, privately; Wendy in English.
    willem_dm = running.fake.bot_messages(running.fake.im_for(WILLEM))
    assert "heeft je bijdrage aan *Waarom dit beleid?* geaccepteerd" in willem_dm[-1].text
    wendy_dm = running.fake.bot_messages(running.fake.im_for(WENDY))
    assert "accepted your contribution to *Why this policy?*" in wendy_dm[-1].text

    # Practice: the mayor rule is rejected with a comment; the rest accepted in one go.
    slack.command(LEAD, "review practice")
    listed = running.all_reply_text()
    assert "Proposes rule 1: _forbidden_: Persoonsgegevens van inwoners delen" in listed
    mayor = next(c for c in contributions(running.db) if MAYOR in c.text)
    _menu(running, "Reject, with a comment…", f'"contribution":{mayor.id},')
    comment = running.opened_view()
    assert comment["callback_id"] == "review_decision_modal"
    assert MAYOR in str(comment["blocks"])
    assert running.submit(LEAD, comment, {"comment": text_value("Dat regelt de griffie.")}) is None
    assert (
        "Dat regelt de griffie." in running.fake.bot_messages(running.fake.im_for(WENDY))[-1].text
    )
    running.press(LEAD, running.find_button("review_accept_all"))
    assert "Accepted: 2 contributions" in running.last_reply_text()
    with running.db.session() as session:
        rules = {r.text: r for r in session.scalars(select(DraftRule))}
    assert set(rules) == {
        "Persoonsgegevens van inwoners delen",
        "Kinderen herkenbaar in beeld",
        "Vacatures delen",
    }
    assert sorted(r.rule_id for r in rules.values()) == ["practice-1", "practice-2", "practice-3"]

    # Not adoptable yet: the review rule's role has no contact, the document no organisation.
    slack.command(LEAD, "adopt")
    refusal = running.last_reply_text()
    assert "cannot be adopted" in refusal and "organisation" in refusal
    assert "say nobody to contact: `comms`" in refusal

    # The role gets a contact from Slack's channel picker.
    slack.command(LEAD, "review practice")
    running.press(LEAD, running.find_button("review_role_edit"))
    role_view = running.opened_view()
    role_id = input_value(role_view, "id")
    running.submit(
        LEAD,
        role_view,
        {
            "id": text_value(role_id),
            "name": text_value(input_value(role_view, "name")),
            "contact_channel": {
                "a": {"type": "conversations_select", "selected_conversation": GENERAL}
            },
            "handles": text_value("Alles wat de organisatie naar buiten brengt"),
            "keywords": text_value(""),
        },
    )

    # Document settings: organisation, language, the default answer.
    slack.command(LEAD, "review")
    running.press(LEAD, running.find_button("review_settings"))
    running.submit(
        LEAD,
        running.opened_view(),
        {
            "organisation": text_value("Gemeente Test"),
            "language": select_value("nl"),
            "version": text_value("2027.1"),
            "default_verdict": select_value("allowed"),
            "default_role": select_value(role_id),
        },
    )

    # The cover's decisions come from the accepted answer to the cover question.
    slack.command(LEAD, "review voorblad")
    running.press(LEAD, running.find_button("review_accept"))
    assert "1. Dit beleid geldt voor iedereen\n2. Webcare krijgt 0,8 fte" in (
        running.last_reply_text()
    )

    # Adoption: step 1 lists what is not ready and needs the lead's tick.
    slack.command(LEAD, "adopt")
    confirm = running.opened_view()
    step1 = str(confirm["blocks"])
    assert "8 sections (1 with text), 3 rules in 1 section, 1 role" in step1
    assert "5 sections with neither text nor rules" in step1  # titled in the policy's language
    assert "Wie schrijft het beleid, en met wie?" in step1 and "Voorblad" not in step1
    assert "2 rules name nobody to ask: `practice-1`, `practice-3`" in step1
    refused = running.submit(LEAD, confirm, {})
    assert refused["response_action"] == "errors" and "confirm_unready" in refused["errors"]
    ticked = {"confirm_unready": multi_value(["confirmed"], "checkboxes")}
    step2 = running.submit(LEAD, confirm, ticked)
    approval = step2["view"] | {"id": confirm["id"]}
    shown = str(approval["blocks"])
    assert "What management is asked to decide" in shown and "Webcare krijgt 0,8 fte" in shown
    assert input_value(approval, "decisions") == (
        "Dit beleid geldt voor iedereen\nWebcare krijgt 0,8 fte"
    )
    running.submit(LEAD, approval, approval_values("Het managementteam"))
    # In the channel: the announcement, then the thanks (the lead's follow-up goes to a DM)
    *_, announced_call, thanks_call = [
        c for c in running.fake.calls_for("chat.postMessage") if c.args.get("channel") == GENERAL
    ]
    announced = announced_call.args
    assert "Versie 2027.1" in announced["text"]
    assert "Dank je wel, werkgroep!" in thanks_call.args["text"]  # by name, after it
    assert "De eerste vastgestelde versie: 3 regels in 1 onderdeel." in str(announced["blocks"])
    with running.db.session() as session:
        version = session.scalars(select(PolicyVersion)).one()
        record = session.get(VersionRecord, version.number)
        assert record is not None
        acknowledged = {item["code"] for item in record.acknowledged}
        trail = audit.history(session, "purpose")
    assert version.label == "2027.1" and version.document["organisation"] == "Gemeente Test"
    assert MAYOR not in str(version.document)  # a rejected contribution's rule is never adopted
    assert "empty_sections" in acknowledged  # what the lead confirmed is in the record
    assert {(e.entity, e.action) for e in trail} >= {
        ("contribution", "accepted"),
        ("section", "edit"),
    }
    assert all(e.actor == LEAD for e in trail if e.action in ("accepted", "edit"))

    # The exported version: the text from the contributions, the rules, the approval, the group.
    slack.command(LEAD, "export docx")
    (uploaded,) = running.fake.uploaded_files()
    document = docx.Document(io.BytesIO(uploaded.content or b""))
    text = "\n".join(p.text for p in document.paragraphs)
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    assert WHY in text and TODAY in text
    assert "Persoonsgegevens van inwoners delen" in cells
    assert MAYOR not in text and MAYOR not in " ".join(cells)
    assert "Het managementteam" in cells
    assert "Medewerkers mogen over hun werk posten" in text  # the decisions as approved
    assert "willem" in text and "wendy" in text  # the working group, by name
    assert "#general" in " ".join(cells)  # the role's contact by name, not C0GENERAL
    assert "C0GENERAL" not in text + " ".join(cells)
    assert "Versie 2027.1" in document.sections[0].footer.paragraphs[0].text
