"""Guided drafting sessions: one per thread, leading the working group through a section.

A session's position (which question is open), its status and what was skipped live in the
`drafting_sessions` row, so a restarted bot, or a second instance, carries on in the same
thread. Moving on is a conditional update ("from question 2 to 3"): when two people say
*next* at once, only the first moves the session, and nobody skips a question by accident.

A section has at most one open session, in whatever channel (a partial unique index holds
it, on every instance): starting a section that has one points to its thread
(`AlreadyOpen`); a new round is a deliberate choice that closes the open one first
(`close_for_new_round`).
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, select, text, update
from sqlalchemy.orm import Session

from bot.drafting.template import Question, SectionTemplate, load_template
from bot.i18n import words
from bot.storage import utcnow
from bot.storage.models.drafting import Contribution, DraftingSession
from bot.storage.models.drafting_extra import DraftingNotice
from bot.storage.writes import insert_once, insert_statement, rows_changed
from bot.vocabulary import Language

OPEN, DONE = "open", "done"
NEXT, SKIP, BACK, FINISH = "next", "skip", "back", "done"

# What people type in the thread to move the session: catalogue entries of words, in both
# languages.
NAVIGATION_WORDS = {
    NEXT: "drafting.words.next",
    SKIP: "drafting.words.skip",
    BACK: "drafting.words.back",
    FINISH: "drafting.words.done",
}


@dataclass(frozen=True)
class SessionInfo:
    """A session as the rest of the code sees it: plain values, no database object."""

    id: int
    section_id: str
    channel: str
    thread_ts: str
    language: str
    question_index: int
    status: str
    started_by: str
    state: dict[str, Any] = field(default_factory=dict)

    @property
    def section(self) -> SectionTemplate:
        return load_template().section(self.section_id)

    @property
    def total(self) -> int:
        return len(self.section.questions)

    @property
    def question(self) -> Question | None:
        """The open question; None once the session is past the last one."""
        questions = self.section.questions
        return questions[self.question_index] if 0 <= self.question_index < len(questions) else None

    @property
    def is_open(self) -> bool:
        return self.status == OPEN

    @property
    def permalink(self) -> str | None:
        """A link to the session message, for status and the App Home tab."""
        return self.state.get("permalink")

    @property
    def skipped(self) -> list[int]:
        return list(self.state.get("skipped") or [])


class AlreadyOpen(Exception):
    """The section already has an open session: continue in its thread, or start a new round
    deliberately."""

    def __init__(self, session: SessionInfo) -> None:
        super().__init__(session.section_id)
        self.session = session


@dataclass(frozen=True)
class Resume:
    """Where a new session for a section starts, and what the section already holds."""

    index: int
    contributions: int
    contributors: int


@dataclass(frozen=True)
class Navigation:
    """What a next/skip/back/done did: `outcome` is moved, finished, reopened or stale."""

    outcome: str
    session: SessionInfo


def navigation_word(text: str) -> str | None:
    """`next`, `Volgende!`, ` klaar. ` → the action; anything else (an answer) → None."""
    typed = " ".join(text.strip().strip(".!?").split()).casefold()
    return next((action for action, key in NAVIGATION_WORDS.items() if typed in words(key)), None)


def resolve_section(word: str) -> SectionTemplate | None:
    """A section named by any of its names in either language (`identiteit`, `identity`,
    `medewerkers` …, listed in the template), its title, its number, or the unique start of a
    name (`ident`)."""
    sections = load_template().sections
    wanted = _fold(word)
    if not wanted:
        return None
    if wanted.isdigit() and 1 <= int(wanted) <= len(sections):
        return sections[int(wanted) - 1]
    for section in sections:
        names = {_fold(n) for n in section.all_names} | {
            _fold(section.title.nl),
            _fold(section.title.en),
        }
        if wanted in names:
            return section
    if len(wanted) < 3:
        return None
    prefixed = {s.id for s in sections for name in s.all_names if _fold(name).startswith(wanted)}
    return load_template().section(prefixed.pop()) if len(prefixed) == 1 else None


def _info(row: DraftingSession) -> SessionInfo:
    return SessionInfo(
        id=row.id,
        section_id=row.section_id,
        channel=row.channel,
        thread_ts=row.thread_ts,
        language=row.language,
        question_index=row.question_index,
        status=row.status,
        started_by=row.started_by,
        state=dict(row.state or {}),
    )


def find_session(session: Session, channel: str, thread_ts: str | None) -> SessionInfo | None:
    """The session whose thread this is, if any (the message listener's matcher asks this)."""
    if not thread_ts:
        return None
    row = session.scalar(
        select(DraftingSession).where(
            DraftingSession.channel == channel, DraftingSession.thread_ts == thread_ts
        )
    )
    return _info(row) if row is not None else None


def get_session(session: Session, session_id: int) -> SessionInfo | None:
    row = session.get(DraftingSession, session_id)
    return _info(row) if row is not None else None


def resume_point(session: Session, section_id: str) -> Resume:
    """A new session continues where the section stands: at the open question of the last
    unfinished session, else at the first question nobody has answered yet."""
    section = load_template().section(section_id)
    answered = set(
        session.scalars(
            select(Contribution.question_id).where(
                Contribution.section_id == section_id, Contribution.status == "active"
            )
        )
    )
    count, people = session.execute(
        select(func.count(Contribution.id), func.count(func.distinct(Contribution.author)))
        .where(Contribution.section_id == section_id)
        .where(Contribution.status == "active")
    ).one()
    last = session.scalar(
        select(DraftingSession)
        .where(DraftingSession.section_id == section_id)
        .order_by(DraftingSession.last_activity_at.desc(), DraftingSession.id.desc())
        .limit(1)
    )
    if last is not None and last.status == OPEN and last.question_index < len(section.questions):
        index = last.question_index
    else:
        unanswered = [i for i, q in enumerate(section.questions) if q.id not in answered]
        index = unanswered[0] if unanswered else 0
    return Resume(index=index, contributions=int(count), contributors=int(people))


def open_session_of(session: Session, section_id: str) -> SessionInfo | None:
    """The section's open session, if it has one."""
    row = session.scalar(
        select(DraftingSession).where(
            DraftingSession.section_id == section_id, DraftingSession.status == OPEN
        )
    )
    return _info(row) if row is not None else None


def open_session(
    session: Session,
    *,
    section_id: str,
    channel: str,
    thread_ts: str,
    started_by: str,
    language: Language,
    index: int = 0,
    permalink: str | None = None,
) -> SessionInfo:
    """Store a new open session; AlreadyOpen when the section has one (another instance may
    have opened it a moment ago: the index decides, without failing the transaction)."""
    load_template().section(section_id)  # KeyError for an unknown section, before any write
    now = utcnow()
    statement = (
        insert_statement(session, DraftingSession)
        .values(
            section_id=section_id,
            channel=channel,
            thread_ts=thread_ts,
            started_by=started_by,
            language=language,
            question_index=index,
            status=OPEN,
            state={"skipped": [], "permalink": permalink},
            started_at=now,
            last_activity_at=now,
        )
        .on_conflict_do_nothing(index_elements=["section_id"], index_where=text("status = 'open'"))
        .returning(DraftingSession.id)
    )
    new_id = session.execute(statement).scalar()
    if new_id is None:
        existing = open_session_of(session, section_id)
        if existing is None:  # closed again in between: unlikely, and worth a fresh start
            raise KeyError(section_id)
        raise AlreadyOpen(existing)
    info = get_session(session, int(new_id))
    assert info is not None
    return info


def close_for_new_round(session: Session, session_id: int, actor: str) -> SessionInfo | None:
    """Finish an open session so that a new round of its section can start; None when it was
    no longer open (someone else closed it, or it ended)."""
    row = session.get(DraftingSession, session_id, populate_existing=True)
    if row is None or row.status != OPEN:
        return None
    state = dict(row.state or {}) | {"closed_by": actor, "closed_for_new_round": True}
    result = session.execute(
        update(DraftingSession)
        .where(DraftingSession.id == session_id, DraftingSession.status == OPEN)
        .values(status=DONE, state=state, last_activity_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    session.expire_all()
    return get_session(session, session_id) if rows_changed(result) == 1 else None


def set_permalink(session: Session, session_id: int, permalink: str) -> None:
    """The link to the session message, known once Slack has told it."""
    row = session.get(DraftingSession, session_id)
    if row is not None:
        row.state = dict(row.state or {}) | {"permalink": permalink}


def navigate(session: Session, session_id: int, action: str, expected_index: int) -> Navigation:
    """Move the session from `expected_index`; `stale` when it no longer stands there (a
    button on an old question, or someone else moved it first)."""
    outcome = _navigate(session, session_id, action, expected_index)
    session.expire_all()  # the conditional UPDATE went past the identity map: read it again
    current = get_session(session, session_id)
    if current is None:
        raise KeyError(session_id)
    return Navigation(outcome, current)


def _navigate(session: Session, session_id: int, action: str, expected_index: int) -> str:
    row = session.get(DraftingSession, session_id, populate_existing=True)
    if row is None:
        raise KeyError(session_id)
    current = _info(row)
    total = current.total
    state = dict(row.state or {})
    skipped = [i for i in state.get("skipped") or [] if i != expected_index]
    if current.status == DONE:
        if action != BACK:
            return "stale"
        # "back" in a finished session reopens it where it ended (or at the last question).
        new_index, status, outcome = min(current.question_index, total - 1), OPEN, "reopened"
        expected_index = current.question_index
    elif current.question_index != expected_index:
        return "stale"
    elif action == BACK:
        new_index, status, outcome = max(expected_index - 1, 0), OPEN, "moved"
    elif action == FINISH:
        new_index, status, outcome = expected_index, DONE, "finished"
    else:
        if action == SKIP:
            skipped.append(expected_index)
        new_index = expected_index + 1
        status, outcome = (DONE, "finished") if new_index >= total else (OPEN, "moved")
    state["skipped"] = sorted(set(skipped))
    result = session.execute(
        update(DraftingSession)
        .where(
            DraftingSession.id == session_id,
            DraftingSession.question_index == expected_index,
            DraftingSession.status == current.status,
        )
        .values(question_index=new_index, status=status, state=state, last_activity_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    return outcome if rows_changed(result) == 1 else "stale"


def tell_once(session: Session, session_id: int, user_id: str, kind: str) -> bool:
    """True the first time `user_id` is due notice `kind` in this session, at any instance."""
    return insert_once(
        session,
        DraftingNotice,
        session_id=session_id,
        user_id=user_id,
        kind=kind,
        told_at=utcnow(),
    )


def open_sessions(session: Session, section_id: str | None = None) -> list[SessionInfo]:
    """Unfinished sessions, most recently active first."""
    query = select(DraftingSession).where(DraftingSession.status == OPEN)
    if section_id is not None:
        query = query.where(DraftingSession.section_id == section_id)
    query = query.order_by(DraftingSession.last_activity_at.desc(), DraftingSession.id.desc())
    return [_info(row) for row in session.scalars(query)]


def last_channel(session: Session) -> str | None:
    """Where the working group drafted last: the default place for a new session."""
    return session.scalar(
        select(DraftingSession.channel)
        .order_by(DraftingSession.last_activity_at.desc(), DraftingSession.id.desc())
        .limit(1)
    )


def _fold(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return " ".join(plain.casefold().split())
