"""Management's sign-off in Slack: the lead asks the approvers to approve the draft as it is
now (the adoption gate of `bot.reviewing.adoption` first: the draft as shown, what is not ready
confirmed); each approves or declines with a reason; the version is adopted, as it was asked
about, when every approver has approved. A decline closes the request (the lead hears why);
the lead may withdraw it. At most one request is open at a time.

Decisions are serialised on the request's row (`FOR UPDATE` on PostgreSQL; SQLite has one
writer), and the request is closed with a conditional UPDATE: of two last approvals at once,
on two instances, exactly one adopts.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot import audit
from bot.reviewing.adoption import NeedsConfirmation
from bot.reviewing.draft import draft_dict
from bot.reviewing.readiness import readiness
from bot.reviewing.versions import (
    AdoptedVersion,
    AdoptionRefused,
    Approval,
    DraftChanged,
    adopt_draft,
    adoption_problems,
)
from bot.storage.models.policy import PolicyVersion
from bot.storage.models.rhythm import SignoffApprover, SignoffRequest
from bot.storage.writes import rows_changed
from bot.vocabulary import Language

OPEN, ADOPTED, DECLINED, WITHDRAWN = "open", "adopted", "declined", "withdrawn"
PENDING, APPROVED = "pending", "approved"
MAX_APPROVERS = 20


@dataclass(frozen=True)
class Approver:
    user: str
    decision: str  # pending, approved, declined
    decided_at: dt.datetime | None
    reason: str | None


@dataclass(frozen=True)
class Signoff:
    id: int
    state: str
    requested_by: str
    requested_at: dt.datetime
    approvers: tuple[Approver, ...]
    decisions: tuple[str, ...]
    announce_in: str
    document: dict[str, Any]
    version: int | None
    reason: str | None
    # The approvers have their request (a withdrawal is news to them only then); see
    # `mark_asked`.
    approvers_asked: bool

    @property
    def waiting_for(self) -> tuple[str, ...]:
        return tuple(a.user for a in self.approvers if a.decision == PENDING)


class AlreadyAsking(Exception):
    """A request is open already: withdraw it first."""

    def __init__(self, open_one: Signoff) -> None:
        super().__init__(open_one.id)
        self.open_one = open_one


class Closed(Exception):
    """The request is no longer open (adopted, declined or withdrawn)."""

    def __init__(self, closed: Signoff) -> None:
        super().__init__(closed.id)
        self.closed = closed


class NotAnApprover(Exception):
    pass


class AlreadyDecided(Exception):
    def __init__(self, approver: Approver) -> None:
        super().__init__(approver.user)
        self.approver = approver


def get(session: Session, request_id: int, *, lock: bool = False) -> Signoff | None:
    query = select(SignoffRequest).where(SignoffRequest.id == request_id)
    if lock:
        query = query.with_for_update()
    row = session.scalar(query)
    return _view(session, row) if row is not None else None


def open_request(session: Session) -> Signoff | None:
    row = session.scalar(select(SignoffRequest).where(SignoffRequest.state == OPEN))
    return _view(session, row) if row is not None else None


def _view(session: Session, row: SignoffRequest) -> Signoff:
    approvers = session.scalars(
        select(SignoffApprover)
        .where(SignoffApprover.request_id == row.id)
        .order_by(SignoffApprover.position)
    )
    return Signoff(
        id=row.id,
        state=row.state,
        requested_by=row.requested_by,
        requested_at=row.requested_at,
        approvers=tuple(
            Approver(a.approver, a.decision, a.decided_at, a.reason) for a in approvers
        ),
        decisions=tuple(row.decisions or ()),
        announce_in=row.announce_in,
        document=dict(row.document or {}),
        version=row.version,
        reason=row.reason,
        approvers_asked=row.approvers_asked is not False,
    )


def ask(
    session: Session,
    actor: str,
    approvers: list[str] | tuple[str, ...],
    decisions: list[str],
    announce_in: str,
    fallback_language: Language,
    *,
    expected: str,
    confirmed: bool,
    now: dt.datetime,
) -> Signoff:
    """Ask `approvers` to approve the draft as the lead confirmed it (`expected`: the
    fingerprint of step 1). DraftChanged, NeedsConfirmation and AdoptionRefused as adopting
    would raise them; AlreadyAsking when a request is open."""
    chosen = list(dict.fromkeys(approvers))[:MAX_APPROVERS]
    if not chosen:
        raise ValueError("a sign-off needs approvers")
    ready = readiness(session, fallback_language)
    if ready.fingerprint != expected:
        raise DraftChanged()
    if ready.to_confirm and not confirmed:
        raise NeedsConfirmation()
    data = draft_dict(session, fallback_language)
    problems = adoption_problems(data)
    if problems:
        raise AdoptionRefused(problems)
    found = open_request(session)
    if found is not None:
        raise AlreadyAsking(found)
    row = SignoffRequest(
        state=OPEN,
        requested_by=actor,
        requested_at=now,
        document=data,
        fingerprint=expected[:32],
        decisions=list(decisions),
        acknowledged=ready.record(),
        contributors=[],
        announce_in=announce_in,
        # The number the version is to get; it says, later, whether another adoption came first.
        version=int(session.scalar(select(func.max(PolicyVersion.number))) or 0) + 1,
        approvers_asked=False,  # by the completion step after the ack (`mark_asked`)
    )
    try:
        with session.begin_nested():  # the partial unique index: one open request, ever
            session.add(row)
            session.flush()
    except IntegrityError:
        taken = open_request(session)
        if taken is None:
            raise
        raise AlreadyAsking(taken) from None
    for position, user in enumerate(chosen):
        session.add(
            SignoffApprover(request_id=row.id, approver=user, position=position, decision=PENDING)
        )
    audit.record(
        session,
        actor=actor,
        entity="signoff",
        entity_id=str(row.id),
        action="request",
        after={"approvers": chosen, "decisions": list(decisions), "announce_in": announce_in},
    )
    session.flush()
    return _view(session, row)


def mark_asked(session: Session, request_id: int) -> Signoff | None:
    """The approvers are being asked, in this transaction: the request as it is, or None when
    it was closed (withdrawn) or its approvers asked meanwhile, and nobody is to be asked.

    One conditional UPDATE decides it against a withdrawal at the same moment: PostgreSQL
    evaluates it on the row's latest version after the withdrawal's lock; SQLite's writers take
    turns. Whichever commits first, the other sees it (`withdraw` rereads after its UPDATE)."""
    changed = session.execute(
        update(SignoffRequest)
        .where(
            SignoffRequest.id == request_id,
            SignoffRequest.state == OPEN,
            SignoffRequest.approvers_asked.is_not(True),  # False, or NULL (from before)
        )
        .values(approvers_asked=True)
    )
    if rows_changed(changed) != 1:
        return None
    return _reread(session, request_id)


@dataclass(frozen=True)
class Decided:
    signoff: Signoff
    decision: str
    version: AdoptedVersion | None  # when this approval was the last one


def decide(
    session: Session,
    request_id: int,
    approver: str,
    decision: str,
    *,
    reason: str | None,
    now: dt.datetime,
    today: dt.date,
    fallback_language: Language,
    names: dict[str, str] | None = None,
) -> Decided:
    """`approver` approves or declines (with `reason`). Closed, NotAnApprover, AlreadyDecided
    when there is nothing to decide; the last approval adopts the version as it was asked,
    approved by the approvers' `names` (Slack id → name; `@U…` for those not given)."""
    if decision not in (APPROVED, DECLINED):
        raise ValueError(decision)
    found = get(session, request_id, lock=True)
    if found is None:
        raise NotAnApprover()
    mine = next((a for a in found.approvers if a.user == approver), None)
    if mine is None:
        raise NotAnApprover()
    if found.state != OPEN:
        raise Closed(found)
    if _superseded(session, found):
        # The lead adopted a version another way (a typed approval) since asking: what the
        # approvers were asked about is no longer what would be adopted.
        _close(session, request_id, WITHDRAWN, found.requested_by, now, None)
        raise Closed(_reread(session, request_id))
    if mine.decision != PENDING:
        raise AlreadyDecided(mine)
    changed = session.execute(
        update(SignoffApprover)
        .where(
            SignoffApprover.request_id == request_id,
            SignoffApprover.approver == approver,
            SignoffApprover.decision == PENDING,
        )
        .values(decision=decision, decided_at=now, reason=(reason or None))
    )
    if rows_changed(changed) != 1:
        raise AlreadyDecided(mine)
    audit.record(
        session,
        actor=approver,
        entity="signoff",
        entity_id=str(request_id),
        action=decision,
        after={"reason": reason} if reason else None,
    )
    after = get(session, request_id)
    assert after is not None
    if decision == DECLINED:
        _close(session, request_id, DECLINED, approver, now, reason)
        return Decided(_reread(session, request_id), decision, None)
    if after.waiting_for:
        return Decided(after, decision, None)
    if not _close(session, request_id, ADOPTED, approver, now, None):
        return Decided(_reread(session, request_id), decision, None)
    approvals = tuple(
        {"by": f"@{a.user}", "decision": a.decision, "at": _iso(a.decided_at or now)}
        for a in after.approvers
    )
    approval = Approval(
        by=", ".join((names or {}).get(a.user) or f"@{a.user}" for a in after.approvers),
        on=today,
        decisions=list(after.decisions),
        approvals=approvals,
    )
    row = session.get(SignoffRequest, request_id)
    assert row is not None
    version = adopt_draft(
        session,
        after.requested_by,
        approval,
        fallback_language,
        announce_in=after.announce_in,
        acknowledged=list(row.acknowledged or []),
        snapshot=after.document,
    )
    row.version = version.number
    session.flush()
    return Decided(_reread(session, request_id), decision, version)


def _superseded(session: Session, found: Signoff) -> bool:
    """A version was adopted since the request was made: the number it was to get is taken."""
    latest = session.scalar(select(func.max(PolicyVersion.number))) or 0
    return found.version is not None and latest >= found.version


def withdraw(session: Session, request_id: int, actor: str, now: dt.datetime) -> Signoff:
    """The lead withdraws the request (Closed when it is no longer open). The request as it is
    then, read after the UPDATE: its `approvers_asked` says whom the withdrawal concerns."""
    found = get(session, request_id, lock=True)
    if found is None:
        raise NotAnApprover()
    if found.state != OPEN or not _close(session, request_id, WITHDRAWN, actor, now, None):
        raise Closed(_reread(session, request_id))
    audit.record(
        session, actor=actor, entity="signoff", entity_id=str(request_id), action="withdraw"
    )
    return _reread(session, request_id)


def _close(
    session: Session, request_id: int, state: str, actor: str, now: dt.datetime, reason: str | None
) -> bool:
    result = session.execute(
        update(SignoffRequest)
        .where(SignoffRequest.id == request_id, SignoffRequest.state == OPEN)
        .values(state=state, closed_by=actor, closed_at=now, reason=reason)
    )
    return rows_changed(result) == 1


def _reread(session: Session, request_id: int) -> Signoff:
    session.expire_all()
    found = get(session, request_id)
    assert found is not None
    return found


def _iso(moment: dt.datetime) -> str:
    aware = moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)
    return aware.astimezone(dt.UTC).isoformat()  # as the policy file writes it back
