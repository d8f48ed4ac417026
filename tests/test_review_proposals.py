"""Proposals until accepted: what an answer proposes enters the draft when the communications
lead accepts it and leaves it when it is rejected, undone or withdrawn; decisions can be
reversed; the audit trail says who and when; a whole question is accepted at once; authors
are told privately, in their own language, with the lead's comment; a proposed rule can be
edited into the draft. A rejected contribution's rule is never in the draft, an export or an
adopted version, and unreviewed contributions' rules are not adopted."""

from __future__ import annotations

from sqlalchemy import select

from bot import audit
from bot.storage.models.policy import PolicyVersion
from tests.driver import DRAFT_CHANNEL, GENERAL, LEAD, WENDY, WILLEM, SlackDriver
from tests.payloads import input_value, text_value
from tests.seed import contributions, draft_rules, load_sample_draft, make_lead, working_group

KEEP = "verboden: Foto's van leerlingen zonder toestemming [trefwoorden: leerling]"
DROP = "verboden: Nooit iets over de zeepkistrace [trefwoorden: zeepkist]"


def _rules_question(running: SlackDriver) -> str:
    working_group(running.db, WENDY)
    root = running.start_draft(WENDY, "practice")
    for _ in range(5):  # practice.rules
        running.message(WENDY, DRAFT_CHANNEL, "next", thread_ts=root)
    return root


def _press(running: SlackDriver, action_id: str, contribution: int) -> None:
    running.press(LEAD, running.find_button(action_id, f'"contribution":{contribution},'))


def _dm(running: SlackDriver, user: str) -> list[str]:
    return [m.text for m in running.fake.bot_messages(running.fake.im_for(user))]


def test_a_rejected_contributions_rule_never_reaches_the_draft_an_export_or_a_version(
    running: SlackDriver,
) -> None:
    make_lead(running.db)
    working_group(running.db, WILLEM, WENDY)
    load_sample_draft(running.db)
    root = _rules_question(running)
    running.message(WILLEM, DRAFT_CHANNEL, KEEP, thread_ts=root)
    running.message(WENDY, DRAFT_CHANNEL, DROP, thread_ts=root)
    keep, drop = (c.id for c in contributions(running.db))
    texts = lambda: {r.text for r in draft_rules(running.db)}  # noqa: E731
    assert "Nooit iets over de zeepkistrace" not in texts()  # proposed, not in the draft

    running.command(LEAD, "review praktijk")
    _press(running, "review_accept", keep)
    _press(running, "review_reject", drop)
    assert "Foto's van leerlingen zonder toestemming" in texts()
    assert "Nooit iets over de zeepkistrace" not in texts()

    # Decisions can be reversed, each time in the draft and in the trail.
    _press(running, "review_reset", drop)  # undo the rejection: waiting again
    _press(running, "review_accept", drop)
    assert "Nooit iets over de zeepkistrace" in texts()
    _press(running, "review_reject", drop)
    assert "Nooit iets over de zeepkistrace" not in texts()
    with running.db.session() as session:
        trail = [
            (e.action, e.actor)
            for e in reversed(audit.history(session, "practice"))
            if e.entity == "contribution" and e.entity_id == str(drop)
        ]
        removed = [
            e
            for e in audit.history(session, "practice")
            if e.entity == "rule" and e.action == "remove"
        ]
    assert trail == [
        ("add", WENDY),
        ("rejected", LEAD),
        ("reset", LEAD),
        ("accepted", LEAD),
        ("rejected", LEAD),
    ]
    assert removed and removed[0].actor == LEAD and removed[0].at is not None

    running.command(LEAD, "export md draft")
    exported = running.fake.uploaded_files()[-1].content or b""
    assert b"zonder toestemming" in exported and b"zeepkistrace" not in exported

    running.adopt_from_slack()
    with running.db.session() as session:
        version = session.scalars(select(PolicyVersion)).one()
    frozen = str(version.document)
    assert "zonder toestemming" in frozen and "zeepkistrace" not in frozen


def test_unreviewed_contributions_rules_are_not_adopted(running: SlackDriver) -> None:
    make_lead(running.db)
    working_group(running.db, WILLEM)
    load_sample_draft(running.db)
    root = _rules_question(running)
    running.message(WILLEM, DRAFT_CHANNEL, KEEP, thread_ts=root)

    running.command(LEAD, "review")
    overview = running.all_reply_text()
    assert "Ready to adopt" not in overview
    assert "1 contribution still waiting for review" in overview

    running.adopt_from_slack()
    with running.db.session() as session:
        version = session.scalars(select(PolicyVersion)).one()
    assert "zonder toestemming" not in str(version.document)


def test_a_whole_question_is_accepted_at_once_and_every_author_hears_it(
    running: SlackDriver,
) -> None:
    make_lead(running.db)
    working_group(running.db, WILLEM, WENDY, LEAD)
    root = _rules_question(running)
    running.message(WILLEM, DRAFT_CHANNEL, KEEP, thread_ts=root)
    running.message(WENDY, DRAFT_CHANNEL, "review: Posts about the school trip", thread_ts=root)
    running.message(WENDY, DRAFT_CHANNEL, "allowed: Sharing our vacancies", thread_ts=root)
    running.message(LEAD, DRAFT_CHANNEL, "allowed: Sharing our own posts", thread_ts=root)

    running.command(LEAD, "review practice")
    button = running.find_button("review_accept_all")
    assert button["text"]["text"] == "Accept all 4"
    running.press(LEAD, button)
    assert {c.review for c in contributions(running.db)} == {"accepted"}
    assert sorted(r.rule_id for r in draft_rules(running.db)) == [
        f"practice-{n}" for n in range(1, 5)
    ]
    # One private message per author, in their language; the lead is not told of their own.
    willem, wendy = _dm(running, WILLEM), _dm(running, WENDY)
    assert len(willem) == 1 and "heeft je bijdrage aan *Praktijk en protocollen*" in willem[0]
    assert "`practice-1`" in willem[0]
    assert len(wendy) == 1 and wendy[0].count("accepted your contribution") == 2
    assert _dm(running, LEAD) == []


def test_the_author_reads_the_leads_comment(running: SlackDriver) -> None:
    make_lead(running.db)
    working_group(running.db, WENDY)
    root = _rules_question(running)
    running.message(WENDY, DRAFT_CHANNEL, DROP, thread_ts=root)
    (drop,) = (c.id for c in contributions(running.db))

    running.command(LEAD, "review practice")
    running.pick_in_menu(LEAD, "review_decide_more", "Reject, with a comment…", f":{drop},")
    modal = running.opened_view()
    assert modal["title"]["text"] == "Reject contribution"
    running.submit(LEAD, modal, {"comment": text_value("Dat hoort in het persbeleid.")})
    told = _dm(running, WENDY)[-1]
    assert "did not take your contribution to *Practice and protocols* into the draft" in told
    assert "_Dat hoort in het persbeleid._" in told and "zeepkistrace" in told
    assert running.replies()[-1]["replace_original"] is True  # the page shows it rejected
    assert "✖ rejected" in running.last_reply_text()

    # A comment on the decision as it stands changes nothing in the draft, and is told.
    running.pick_in_menu(LEAD, "review_decide_more", "Comment to the author…", f":{drop},")
    modal = running.opened_view()
    assert modal["submit"]["text"] == "Send"
    running.submit(LEAD, modal, {"comment": text_value("Vraag het de woordvoerder.")})
    assert "Vraag het de woordvoerder." in _dm(running, WENDY)[-1]
    assert draft_rules(running.db) == []
    with running.db.session() as session:
        actions = [e.action for e in audit.history(session, "practice") if e.entity_id == str(drop)]
    assert actions[0] == "comment"


def test_a_proposed_rule_is_edited_into_the_draft(running: SlackDriver) -> None:
    make_lead(running.db)
    working_group(running.db, WILLEM)
    root = _rules_question(running)
    running.message(
        WILLEM,
        DRAFT_CHANNEL,
        f"{KEEP} [voorbeeld: Kijk naar de klas van juf Anna]\nallowed: Onze vacatures delen",
        thread_ts=root,
    )
    (answer,) = (c.id for c in contributions(running.db))
    running.command(LEAD, "review practice")
    running.pick_in_menu(LEAD, "review_decide_more", "Edit rule 1 into the draft…", f":{answer},")
    view = running.opened_view()
    assert view["callback_id"] == "review_rule_modal"
    assert input_value(view, "id") is None  # the id comes at acceptance, unless typed
    assert input_value(view, "text") == "Foto's van leerlingen zonder toestemming"
    assert input_value(view, "examples") == "Kijk naar de klas van juf Anna"

    values = {
        "id": text_value(""),
        "verdict": {"a": {"type": "static_select", "selected_option": {"value": "forbidden"}}},
        "text": text_value("Plaats geen foto's van leerlingen zonder toestemming van ouders."),
        "section": {"a": {"type": "static_select", "selected_option": {"value": "practice"}}},
        "keywords": text_value("leerling, klas"),
        "unless": text_value(""),
        "detect": {"a": {"type": "checkboxes", "selected_options": []}},
        "patterns": text_value("(unclosed"),
        "context": text_value("school"),
        "examples": text_value("Kijk naar de klas van juf Anna"),
        "not_examples": text_value("Foto van het schoolplein zonder kinderen"),
    }
    refused = running.submit(LEAD, view, values)
    assert refused["response_action"] == "errors" and "patterns" in refused["errors"]
    assert draft_rules(running.db) == []  # nothing accepted: one transaction
    assert contributions(running.db)[0].review == "pending"

    assert running.submit(LEAD, view, values | {"patterns": text_value("")}) is None
    rules = {r.rule_id: r for r in draft_rules(running.db)}
    assert set(rules) == {"practice-1", "practice-2"}
    edited = rules["practice-1"]
    assert edited.text == "Plaats geen foto's van leerlingen zonder toestemming van ouders."
    assert edited.context == ["school"]
    assert edited.not_examples == ["Foto van het schoolplein zonder kinderen"]
    assert rules["practice-2"].text == "Onze vacatures delen"  # the other line, as proposed
    assert contributions(running.db)[0].review == "accepted"
    assert "heeft je bijdrage" in _dm(running, WILLEM)[-1]

    # The review shows the rule's examples.
    running.command(LEAD, "review practice")
    assert "examples: 1 · look-alikes: 1 · context words: 1" in running.all_reply_text()


def test_a_deleted_reply_takes_what_was_accepted_out_of_the_draft(running: SlackDriver) -> None:
    make_lead(running.db)
    working_group(running.db, WILLEM)
    root = _rules_question(running)
    ts = running.message(WILLEM, DRAFT_CHANNEL, KEEP, thread_ts=root)
    (answer,) = (c.id for c in contributions(running.db))
    running.command(LEAD, "review practice")
    _press(running, "review_accept", answer)
    assert len(draft_rules(running.db)) == 1

    running.delete(DRAFT_CHANNEL, ts)
    assert draft_rules(running.db) == []
    with running.db.session() as session:
        latest = audit.history(session, "practice")[:2]
    assert {(e.entity, e.action, e.actor) for e in latest} == {
        ("rule", "remove", WILLEM),
        ("contribution", "withdraw", WILLEM),
    }
    running.command(LEAD, "review practice", GENERAL)
    assert "No contributions to this section yet" in running.last_reply_text()
