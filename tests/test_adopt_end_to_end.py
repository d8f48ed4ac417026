"""From the working group's threads to an adopted, exported policy, all through Slack:
drafting replies → the lead accepts them and writes the text → fixes the draft roles and the
document settings → adoption in three steps → the exported version people sign."""

from __future__ import annotations

import io

import docx
from sqlalchemy import select

from bot import audit
from bot.storage.models.policy import PolicyVersion
from tests.conftest import RunningApp
from tests.reviewing_support import (
    LEAD,
    all_reply_text,
    click,
    find_button,
    input_value,
    make_lead,
    opened_view,
    replies,
    reply_text,
    select_value,
    submit,
    text_value,
)
from tests.test_adopt_slack import approval_values
from tests.test_drafting_helpers import DRAFT_CHANNEL, WENDY, WILLEM, start, working_group

WHY = "Residents are online, so we want to be there too."
TODAY = "Today we only post press releases."


def _next(running: RunningApp, root: str, steps: int) -> None:
    for _ in range(steps):
        running.slack.message(WENDY, DRAFT_CHANNEL, "next", thread_ts=root)


def test_from_drafting_threads_to_an_adopted_exported_policy(running: RunningApp) -> None:
    working_group(running, WILLEM, WENDY)
    make_lead(running.db)
    slack = running.slack

    # The working group drafts in threads.
    purpose = start(running, WILLEM, "purpose")
    slack.message(WILLEM, DRAFT_CHANNEL, WHY, thread_ts=purpose)
    _next(running, purpose, 1)
    slack.message(WENDY, DRAFT_CHANNEL, TODAY, thread_ts=purpose)
    practice = start(running, WENDY, "practice")
    _next(running, practice, 5)  # practice.rules
    slack.message(
        WILLEM,
        DRAFT_CHANNEL,
        "nooit: Persoonsgegevens van inwoners delen [trefwoorden: BSN, huisadres]\n"
        "eerst vragen: Kinderen herkenbaar in beeld [keywords: children, kinderen]",
        thread_ts=practice,
    )

    # Not adoptable yet: the drafted role has no contact, the document no organisation.
    slack.command(LEAD, "adopt")
    refusal = reply_text(replies(running)[-1])
    assert "cannot be adopted" in refusal and "organisation" in refusal
    assert "contact" in refusal

    # The lead accepts both purpose contributions and writes the text from them.
    slack.command(LEAD, "review purpose")
    click(running, LEAD, find_button(running, "review_accept"))
    click(running, LEAD, find_button(running, "review_accept"))
    click(running, LEAD, find_button(running, "review_edit_text"))
    view = opened_view(running)
    assert input_value(view, "text_0") == f"{WHY}\n\n{TODAY}"
    submit(
        running,
        LEAD,
        view,
        {"title": text_value("Waarom dit beleid"), "text_0": text_value(f"{WHY}\n\n{TODAY}")},
    )

    # The rules drafted in the practice thread are listed; the drafted role gets a contact.
    slack.command(LEAD, "review practice")
    listed = all_reply_text(running)
    assert "Persoonsgegevens van inwoners delen" in listed
    assert "Kinderen herkenbaar in beeld" in listed
    click(running, LEAD, find_button(running, "review_role_edit"))
    role_view = opened_view(running)
    submit(
        running,
        LEAD,
        role_view,
        {
            "id": text_value(input_value(role_view, "id")),
            "name": text_value(input_value(role_view, "name")),
            "contact": text_value("#communicatie"),
            "handles": text_value("Alles wat de organisatie naar buiten brengt"),
            "keywords": text_value(""),
        },
    )
    role_id = input_value(role_view, "id")

    # Document settings: organisation, language, the default answer.
    slack.command(LEAD, "review")
    click(running, LEAD, find_button(running, "review_settings"))
    submit(
        running,
        LEAD,
        opened_view(running),
        {
            "organisation": text_value("Gemeente Test"),
            "language": select_value("nl"),
            "version": text_value("2027.1"),
            "default_verdict": select_value("allowed"),
            "default_role": select_value(role_id),
            "decisions": text_value("Dit beleid geldt voor iedereen"),
        },
    )

    # Adoption in three steps, announced as the first version; the cover decisions the lead
    # wrote in the settings are proposed in the approval step.
    slack.command(LEAD, "adopt")
    confirm = opened_view(running)
    approval = submit(running, LEAD, confirm, {})["view"] | {"id": confirm["id"]}
    assert input_value(approval, "decisions") == "Dit beleid geldt voor iedereen"
    submit(running, LEAD, approval, approval_values("Het managementteam"))
    assert "Versie 2027.1" in running.fake.last("chat.postMessage").args["text"]
    with running.db.session() as session:
        version = session.scalars(select(PolicyVersion)).one()
        assert version.label == "2027.1" and version.document["organisation"] == "Gemeente Test"
        trail = audit.history(session, "purpose")
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
    assert "Het managementteam" in cells
    assert "Medewerkers mogen over hun werk posten" in text  # the decisions as approved
    assert "willem" in text and "wendy" in text  # the working group, by name
    assert "Versie 2027.1" in document.sections[0].footer.paragraphs[0].text
