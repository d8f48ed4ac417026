"""Contributions: every answer in a drafting thread, attributed, and what it proposes.

A reply is keyed by its channel and message ts, so an edit of the Slack message updates it
and a delete withdraws it (the text stays, marked withdrawn: nothing anyone wrote is lost).
A pick (a button or a select on a choice or library question) is keyed by session, question
and person: picking again changes that person's answer instead of adding one.

Recording an answer changes nothing in the draft: what it proposes (rules, roles, standard
rules, decisions) waits for the communications lead (`bot.reviewing.proposals`). So a reply
is one short insert that cannot collide with anyone else's. An answer edited after the lead
decided on it waits for the lead again; the draft keeps what was accepted until then. A
withdrawn answer takes its proposals out of the draft at once.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot import audit
from bot.drafting.answers import ParsedAnswer, parse_answer
from bot.drafting.draft_changes import APPLIED, applied_state, drafted_by, sync_answer
from bot.drafting.rule_library import library_rule
from bot.drafting.template import Question, load_template
from bot.reviewing.draft import draft_language
from bot.storage import utcnow
from bot.storage.models.drafting import Contribution, DraftingSession

ACTIVE, WITHDRAWN = "active", "withdrawn"
PENDING = "pending"


@dataclass(frozen=True)
class Reply:
    """A message in a session thread, as plain text (the Slack layer removed its markup)."""

    channel: str
    message_ts: str
    author: str
    text: str
    permalink: str | None = None
    # What a user-group handle in the text stands for: {"@crisis-team": "S0123ABCD"}.
    contacts: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Recorded:
    """The outcome of recording or editing: which contribution, and what it drafted."""

    contribution_id: int
    question_id: str
    created: bool
    rules: tuple[str, ...] = ()
    roles: tuple[str, ...] = ()


@dataclass(frozen=True)
class Entry:
    """One contribution for listings: `/policy show`, the summary, exports."""

    id: int
    question_id: str
    author: str
    text: str
    permalink: str | None
    created_at: dt.datetime
    updated_at: dt.datetime
    edited: bool
    structured: dict[str, Any]
    rules: tuple[str, ...]
    roles: tuple[str, ...]


@dataclass(frozen=True)
class QuestionEntries:
    question: Question
    entries: list[Entry]


def record_reply(session: Session, session_id: int, reply: Reply) -> Recorded | None:
    """Record a reply as an answer to the session's open question (None: the session is past
    its last question, so there is nothing to answer)."""
    row = session.get(DraftingSession, session_id, populate_existing=True)
    if row is None:
        return None
    questions = load_template().section(row.section_id).questions
    if not 0 <= row.question_index < len(questions):
        return None
    question = questions[row.question_index]
    existing = _by_key(session, reply.channel, reply.message_ts)
    if existing is not None:  # a redelivery or a race with an edit: update instead
        return _edit(session, existing, reply.text, reply.contacts)
    contribution = Contribution(
        session_id=row.id,
        section_id=row.section_id,
        question_id=question.id,
        author=reply.author,
        text=reply.text,
        channel=reply.channel,
        message_ts=reply.message_ts,
        permalink=reply.permalink,
        status=ACTIVE,
        review=PENDING,
        structured=parse_answer(question, reply.text, reply.contacts).structured(),
        created_at=(now := utcnow()),
        updated_at=now,
    )
    session.add(contribution)
    session.flush()
    _audit_contribution(session, contribution, "add", None, reply.text)
    row.last_activity_at = utcnow()
    return _recorded(session, contribution, created=True)


def set_permalink(session: Session, contribution_id: int, permalink: str) -> None:
    """The link to a contribution's message (or question), known once Slack has told it:
    a reply is recorded first and never waits for its link."""
    row = session.get(Contribution, contribution_id)
    if row is not None:
        row.permalink = permalink


def record_pick(
    session: Session,
    session_id: int,
    question_index: int,
    author: str,
    option_ids: list[str],
    permalink: str | None = None,
    policy_language: str = "nl",
) -> Recorded | None:
    """A person's pick on a choice or library question; an empty pick withdraws theirs. The
    pick is written down in the policy's language (`policy_language` until one is set): it
    may become part of the section's text."""
    row = session.get(DraftingSession, session_id, populate_existing=True)
    if row is None:
        return None
    questions = load_template().section(row.section_id).questions
    if not 0 <= question_index < len(questions):
        return None
    question = questions[question_index]
    picked = _valid_options(question, option_ids)
    lang = draft_language(session, policy_language)
    text = ", ".join(_option_label(question, option_id, lang) for option_id in picked)
    kind = "library" if question.kind == "library" else "choice"
    parsed = ParsedAnswer(kind, options=tuple(picked))
    key = f"pick:{session_id}:{question_index}:{author}"[:32]
    contribution = _by_key(session, row.channel, key)
    if contribution is None:
        if not picked:
            return None
        contribution = Contribution(
            session_id=row.id,
            section_id=row.section_id,
            question_id=question.id,
            author=author,
            text=text,
            channel=row.channel,
            message_ts=key,
            permalink=permalink,
            status=ACTIVE,
            review=PENDING,
            structured=parsed.structured(),
            created_at=(now := utcnow()),
            updated_at=now,
        )
        session.add(contribution)
        session.flush()
        _audit_contribution(session, contribution, "add", None, text)
        created = True
    elif not picked:
        if contribution.status == ACTIVE:
            _withdraw(session, contribution)
        created = False
    else:
        before, was_active = contribution.text, contribution.status == ACTIVE
        contribution.text, contribution.status = text, ACTIVE
        contribution.updated_at = utcnow()
        _propose(session, contribution, parsed, author)
        if before != text or not was_active:
            _audit_contribution(session, contribution, "edit", before, text)
        created = False
    row.last_activity_at = utcnow()
    return _recorded(session, contribution, created=created)


def edit_reply(
    session: Session, channel: str, message_ts: str, text: str, contacts: Mapping[str, str]
) -> Recorded | None:
    """The Slack message was edited: update the contribution and re-draft from it. None when
    the message was not a contribution."""
    contribution = _by_key(session, channel, message_ts)
    if contribution is None or contribution.status != ACTIVE:
        return None
    return _edit(session, contribution, text, contacts)


def withdraw_reply(session: Session, channel: str, message_ts: str) -> bool:
    """The Slack message was deleted: withdraw the contribution and what it drafted."""
    contribution = _by_key(session, channel, message_ts)
    if contribution is None or contribution.status != ACTIVE:
        return False
    _withdraw(session, contribution)
    return True


def section_entries(
    session: Session, section_id: str, session_id: int | None = None
) -> list[QuestionEntries]:
    """Active contributions per question, in the template's order (optionally one session's)."""
    section = load_template().section(section_id)
    query = (
        select(Contribution)
        .where(Contribution.section_id == section_id, Contribution.status == ACTIVE)
        .order_by(Contribution.created_at, Contribution.id)
    )
    if session_id is not None:
        query = query.where(Contribution.session_id == session_id)
    entries: dict[str, list[Entry]] = {}
    for row in session.scalars(query):
        rules, roles = drafted_by(session, row.id)
        entries.setdefault(row.question_id, []).append(
            Entry(
                id=row.id,
                question_id=row.question_id,
                author=row.author,
                text=row.text,
                permalink=row.permalink,
                created_at=row.created_at,
                updated_at=row.updated_at,
                edited=row.updated_at > row.created_at,
                structured=dict(row.structured or {}),
                rules=tuple(rules),
                roles=tuple(roles),
            )
        )
    return [QuestionEntries(q, entries.get(q.id, [])) for q in section.questions]


# -- helpers, inside the caller's transaction ---------------------------------------------
def _by_key(session: Session, channel: str, message_ts: str) -> Contribution | None:
    return session.scalar(
        select(Contribution).where(
            Contribution.channel == channel, Contribution.message_ts == message_ts
        )
    )


def _question(contribution: Contribution) -> Question:
    return load_template().question(contribution.question_id)


def _edit(
    session: Session,
    contribution: Contribution,
    text: str,
    contacts: Mapping[str, str],
) -> Recorded:
    before = contribution.text
    if before != text:
        question = _question(contribution)
        contribution.text = text
        contribution.updated_at = utcnow()
        parsed = parse_answer(question, text, contacts)
        _propose(session, contribution, parsed, contribution.author)
        _audit_contribution(session, contribution, "edit", before, text)
    return _recorded(session, contribution, created=False)


def _propose(
    session: Session, contribution: Contribution, parsed: ParsedAnswer, actor: str
) -> None:
    """The answer now proposes `parsed`. If the lead had decided on it, it waits for the lead
    again (the author changed what was decided on); what was accepted stays in the draft
    until the lead decides anew."""
    applied = (contribution.structured or {}).get(APPLIED)
    contribution.structured = parsed.structured() | ({APPLIED: applied} if applied else {})
    if contribution.review != PENDING:
        before = contribution.review
        contribution.review = PENDING
        audit.record(
            session,
            actor=actor,
            entity="contribution",
            entity_id=str(contribution.id),
            section=contribution.section_id,
            action="reset",
            before={"review": before, "text": contribution.text},
            after={"review": PENDING, "text": contribution.text, "edited": True},
        )


def _withdraw(session: Session, contribution: Contribution) -> None:
    """Withdrawn by its author (the message was deleted, or the pick emptied): what of it was
    in the draft leaves it."""
    if applied_state(contribution) is not None:
        lang = draft_language(session, "nl")  # taking out creates nothing in any language
        sync_answer(session, contribution, _question(contribution), None, lang, contribution.author)
    contribution.status = WITHDRAWN
    contribution.updated_at = utcnow()
    _audit_contribution(session, contribution, "withdraw", contribution.text, None)


def _recorded(session: Session, contribution: Contribution, created: bool) -> Recorded:
    session.flush()
    rules, roles = drafted_by(session, contribution.id)
    return Recorded(contribution.id, contribution.question_id, created, tuple(rules), tuple(roles))


def _audit_contribution(
    session: Session, contribution: Contribution, action: str, before: Any, after: Any
) -> None:
    audit.record(
        session,
        actor=contribution.author,
        entity="contribution",
        entity_id=str(contribution.id),
        action=action,
        section=contribution.section_id,
        before=None if before is None else {"question": contribution.question_id, "text": before},
        after=None if after is None else {"question": contribution.question_id, "text": after},
    )


def _valid_options(question: Question, option_ids: list[str]) -> list[str]:
    if question.kind == "library":
        known = []
        for option_id in option_ids:
            try:
                known.append(library_rule(option_id).id)
            except KeyError:
                continue
        return list(dict.fromkeys(known))
    valid = {o.id for o in question.options}
    picked = [o for o in option_ids if o in valid]
    return list(dict.fromkeys(picked if question.multiple else picked[:1]))


def _option_label(question: Question, option_id: str, lang: str) -> str:
    if question.kind == "library":
        return library_rule(option_id).title.get(lang)
    return question.option(option_id).label.get(lang)
