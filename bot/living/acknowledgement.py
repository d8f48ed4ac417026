"""Acknowledging an adopted version: the lead names an audience (a channel, a user group, the
workspace), each person in it is asked once (one row per version and person, inserted by
whichever instance gets there first), and says *I have read it*.

Someone who acknowledged an earlier version is asked only about what changed since
(`scope` `changes`, with `since_version`); everyone else about the rules that concern them
(`full`). A person already asked about this version is not asked again by a second audience.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from bot import audit
from bot.living.changes import RuleChange, changed_rules, changes_for, rules_for
from bot.policy.model import PolicyDocument, Rule
from bot.policy.validation import parse_policy
from bot.storage.models.living import AckCampaign, AckRequest
from bot.storage.models.policy import PolicyVersion
from bot.storage.writes import insert_once, rows_changed

CHANNEL, USERGROUP, WORKSPACE = "channel", "usergroup", "workspace"
AUDIENCES = (CHANNEL, USERGROUP, WORKSPACE)
FULL, CHANGES = "full", "changes"


class NoSuchVersion(LookupError):
    pass


@dataclass(frozen=True)
class Audience:
    kind: str  # CHANNEL | USERGROUP | WORKSPACE
    target: str | None = None  # the channel or user group id

    def __post_init__(self) -> None:
        if self.kind not in AUDIENCES or (self.kind != WORKSPACE) != bool(self.target):
            raise ValueError(f"not an audience: {self.kind} {self.target}")


@dataclass(frozen=True)
class Member:
    """Someone in the audience: their policy groups and language, as Slack says."""

    user_id: str
    groups: frozenset[str]
    language: str


@dataclass(frozen=True)
class Request:
    """One person to ask: what to ask them about."""

    version: int
    user_id: str
    scope: str  # FULL | CHANGES
    since_version: int | None
    groups: frozenset[str]
    language: str
    acknowledged_at: dt.datetime | None = None
    campaign_id: int | None = None
    channel: str | None = None  # where the request was sent
    ts: str | None = None
    asked_at: dt.datetime | None = None
    own_copy: str | None = None  # the link to the document shared with them alone

    @classmethod
    def of(cls, row: AckRequest) -> Request:
        return cls(
            row.version,
            row.user_id,
            row.scope,
            row.since_version,
            frozenset(row.groups or ()),
            row.language,
            row.acknowledged_at,
            row.campaign_id,
            row.channel,
            row.ts,
            row.asked_at,
            row.document_link,
        )


@dataclass(frozen=True)
class Campaign:
    id: int
    version: int
    audience: Audience
    new: list[Request] = field(default_factory=list)  # people asked now, not asked before
    already: int = 0  # people in the audience asked before (by another audience)


@dataclass(frozen=True)
class VersionDoc:
    number: int
    label: str
    document: PolicyDocument
    data: dict[str, object]
    announced_in: str | None = None  # the channel the lead chose for its announcement
    recorded_at: dt.datetime | None = None


def version_doc(session: Session, number: int | None = None) -> VersionDoc | None:
    """Version `number` (the latest when None), parsed."""
    query = select(PolicyVersion)
    query = (
        query.where(PolicyVersion.number == number)
        if number is not None
        else query.order_by(PolicyVersion.number.desc()).limit(1)
    )
    row = session.scalars(query).first()
    if row is None:
        return None
    return VersionDoc(
        row.number,
        row.label,
        parse_policy(row.document),
        dict(row.document),
        row.announced_in,
        row.recorded_at,
    )


def _last_acknowledged(session: Session, user_id: str, before: int) -> int | None:
    return session.scalar(
        select(func.max(AckRequest.version)).where(
            AckRequest.user_id == user_id,
            AckRequest.version < before,
            AckRequest.acknowledged_at.is_not(None),
        )
    )


def start(
    session: Session,
    version: int,
    audience: Audience,
    members: list[Member],
    by: str,
    now: dt.datetime,
) -> Campaign:
    """Ask `members` to acknowledge `version`; those asked before (about this version) are
    left alone. The new requests are the ones to send, once each."""
    if session.get(PolicyVersion, version) is None:
        raise NoSuchVersion(version)
    campaign = AckCampaign(
        version=version,
        audience=audience.kind,
        target=audience.target,
        started_by=by,
        started_at=now,
        asked=0,
    )
    session.add(campaign)
    session.flush()
    new: list[Request] = []
    for member in {m.user_id: m for m in members}.values():
        since = _last_acknowledged(session, member.user_id, version)
        scope = CHANGES if since is not None else FULL
        inserted = insert_once(
            session,
            AckRequest,
            version=version,
            user_id=member.user_id,
            campaign_id=campaign.id,
            scope=scope,
            since_version=since,
            groups=sorted(member.groups),
            language=member.language,
            asked_at=now,
        )
        if inserted:
            new.append(
                Request(
                    version,
                    member.user_id,
                    scope,
                    since,
                    member.groups,
                    member.language,
                    campaign_id=campaign.id,
                )
            )
    campaign.asked = len(new)
    audit.record(
        session,
        actor=by,
        entity="acknowledgement",
        entity_id=str(version),
        action="ask",
        after={"audience": audience.kind, "target": audience.target, "asked": len(new)},
    )
    already = len({m.user_id for m in members}) - len(new)
    return Campaign(campaign.id, version, audience, new, already)


def share_document(session: Session, campaign_id: int, link: str | None) -> None:
    """Where the campaign's audience can read the whole version (a file shared with them)."""
    row = session.get(AckCampaign, campaign_id)
    if row is not None:
        row.document_link = link


def share_own_copy(session: Session, version: int, user_id: str, link: str | None) -> None:
    """Where this person alone can read the whole version (a file in their direct messages):
    their request and its reminder link to it."""
    _mark(session, version, user_id, document_link=link)


def document_link(session: Session, campaign_id: int | None) -> str | None:
    row = session.get(AckCampaign, campaign_id) if campaign_id is not None else None
    return row.document_link if row is not None else None


def _mark(session: Session, version: int, user_id: str, *unless: Any, **values: Any) -> bool:
    """Set `values` on the request, unless one of `unless` (columns) is set already: True when
    this call set them (a conditional update: of two callers at once, one)."""
    done = session.execute(
        update(AckRequest)
        .where(AckRequest.version == version, AckRequest.user_id == user_id)
        .where(*(column.is_(None) for column in unless))
        .values(**values)
    )
    return rows_changed(done) == 1


def sent(session: Session, version: int, user_id: str, channel: str, ts: str) -> None:
    """Where the request's message is, so the button can update it."""
    _mark(session, version, user_id, channel=channel, ts=ts)


def unsent_of(session: Session, campaign_id: int) -> list[Request]:
    """The requests a campaign made whose message is not in Slack yet."""
    rows = session.scalars(
        select(AckRequest)
        .where(AckRequest.campaign_id == campaign_id, AckRequest.channel.is_(None))
        .order_by(AckRequest.user_id)
    )
    return [Request.of(row) for row in rows]


def request_of(session: Session, version: int, user_id: str) -> Request | None:
    row = session.get(AckRequest, (version, user_id))
    return Request.of(row) if row is not None else None


def acknowledge(session: Session, version: int, user_id: str, now: dt.datetime) -> bool:
    """`user_id` has read `version`: True the first time (a second press changes nothing).
    Only someone who was asked can acknowledge; LookupError otherwise."""
    if session.get(AckRequest, (version, user_id)) is None:
        raise LookupError(f"{user_id} was not asked about version {version}")
    return _mark(session, version, user_id, AckRequest.acknowledged_at, acknowledged_at=now)


def waiting(session: Session, version: int) -> list[Request]:
    """Those asked about `version` who have not acknowledged it."""
    rows = session.scalars(
        select(AckRequest)
        .where(AckRequest.version == version, AckRequest.acknowledged_at.is_(None))
        .order_by(AckRequest.user_id)
    )
    return [Request.of(row) for row in rows]


def reminded(session: Session, version: int, user_id: str, now: dt.datetime) -> bool:
    """Mark a reminder as sent, once (never after the acknowledgement): True when this call
    marked it."""
    unless = (AckRequest.acknowledged_at, AckRequest.reminded_at)
    return _mark(session, version, user_id, *unless, reminded_at=now)


@dataclass(frozen=True)
class Reading:
    """What one request asks someone to read: the rules that concern them (`full`), or what
    changed since the version they acknowledged (`changes`)."""

    version: VersionDoc
    request: Request
    rules: list[Rule] = field(default_factory=list)
    changes: list[RuleChange] = field(default_factory=list)
    since_label: str | None = None  # the version they acknowledged, for `changes`
    link: str | None = None


def reading(session: Session, request: Request) -> Reading | None:
    found = version_doc(session, request.version)
    if found is None:
        return None
    link = request.own_copy or document_link(session, request.campaign_id)
    groups = set(request.groups)
    if request.scope == CHANGES and request.since_version is not None:
        old = version_doc(session, request.since_version)
        if old is not None:
            changes = changed_rules(old.document, found.document, old.data, found.data)
            return Reading(found, request, [], changes_for(changes, groups), old.label, link)
    return Reading(found, request, rules_for(found.document, groups), [], None, link)
