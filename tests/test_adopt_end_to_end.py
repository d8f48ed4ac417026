"""From the working group's threads to an adopted, exported policy, all through Slack:
drafting replies → the lead accepts them and writes the text → fixes the draft roles and the
document settings → adoption in three steps → the exported version people sign."""

from __future__ import annotations

import io

import docx
from sqlalchemy import select

from bot import audit
from bot.storage.models.policy import PolicyVersion
from tests.driver import DRAFT_CHANNEL, LEAD, WENDY, WILLEM, SlackDriver, approval_values
from tests.payloads import input_value, select_value, text_value
from tests.seed import make_lead, working_group

WHY = "Residents are online, so we want to be there too."
TODAY = "Today we only post press releases."


def _next(running: SlackDriver, root: str, steps: int) -> None:
    for _ in range(steps):
        running.message(WENDY, DRAFT_CHANNEL, "next", thread_ts=root)


def test_from_drafting_threads_to_an_adopted_exported_policy(running: SlackDriver) -> None:
    working_group(running.db, WILLEM, WENDY)
    make_lead(running.db)
    slack = running

    # The working group drafts in threads.
    purpose = running.start_draft(WILLEM, "purpose")
    slack.message(WILLEM, DRAFT_CHANNEL, WHY, thread_ts=purpose)
    _next(running, purpose, 1)
    slack.message(WENDY, DRAFT_CHANNEL, TODAY, thread_ts=purpose)
    practice = running.start_draft(WENDY, "practice")
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
    refusal = running.last_reply_text()
    assert "cannot be adopted" in refusal and "organisation" in refusal
    assert "contact" in refusal

    # The lead accepts both purpose contributions and writes the text from them.
    slack.command(LEAD, "review purpose")
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

    # The rules drafted in the practice thread are listed; the drafted role gets a contact.
    slack.command(LEAD, "review practice")
    listed = running.all_reply_text()
    assert "Persoonsgegevens van inwoners delen" in listed
    assert "Kinderen herkenbaar in beeld" in listed
    running.press(LEAD, running.find_button("review_role_edit"))
    role_view = running.opened_view()
    running.submit(
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
            "decisions": text_value("Dit beleid geldt voor iedereen"),
        },
    )

    # Adoption in three steps, announced as the first version; the cover decisions the lead
    # wrote in the settings are proposed in the approval step.
    slack.command(LEAD, "adopt")
    confirm = running.opened_view()
    approval = running.submit(LEAD, confirm, {})["view"] | {"id": confirm["id"]}
    assert input_value(approval, "decisions") == "Dit beleid geldt voor iedereen"
    running.submit(LEAD, approval, approval_values("Het managementteam"))
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
