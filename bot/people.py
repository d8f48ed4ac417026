"""Roles and permissions: admin ⊇ comms lead ⊇ working group ⊇ employee (everyone).

Admins named in POLICYBOT_ADMINS hold every role from the start; everyone else's roles are
grants in the database, and every change is recorded with who made it and when.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.i18n import words
from bot.storage.changes import RowCache
from bot.storage.models.people import RoleChange, RoleGrant

ADMIN, COMMS_LEAD, WORKING_GROUP, EMPLOYEE = "admin", "comms_lead", "working_group", "employee"
RANKS = {EMPLOYEE: 0, WORKING_GROUP: 1, COMMS_LEAD: 2, ADMIN: 3}
ADD, REMOVE = "add", "remove"

# What people type for each role, in both languages (catalogue entries of words).
ROLE_WORDS = {
    ADMIN: "role.words.admin",
    COMMS_LEAD: "role.words.comms_lead",
    WORKING_GROUP: "role.words.working_group",
}


def parse_role(word: str) -> str | None:
    typed = word.strip().lower()
    return next((role for role, key in ROLE_WORDS.items() if typed in words(key)), None)


# Each person's granted roles, kept in memory until any instance grants or revokes a role
# (bot.storage.changes): a revoked role is gone on every instance's next request.
_grants: RowCache[str, frozenset[str]] = RowCache("role_grants", size=10_000)


def granted_roles(session: Session, admins: frozenset[str], user_id: str) -> set[str]:
    roles = set(
        _grants.get(
            session,
            user_id,
            lambda: frozenset(
                session.scalars(select(RoleGrant.role).where(RoleGrant.user_id == user_id))
            ),
        )
    )
    if user_id in admins:
        roles.add(ADMIN)
    return roles


def rank(session: Session, admins: frozenset[str], user_id: str) -> int:
    return max((RANKS[r] for r in granted_roles(session, admins, user_id)), default=0)


def has_role(session: Session, admins: frozenset[str], user_id: str, role: str) -> bool:
    return rank(session, admins, user_id) >= RANKS[role]


def may_manage(session: Session, admins: frozenset[str], actor: str, role: str) -> str | None:
    """The role the actor lacks to grant or revoke `role`, or None when allowed.

    Admins manage every role; a comms lead may add and remove working-group members,
    since composing the working group is their job.
    """
    needed = COMMS_LEAD if role == WORKING_GROUP else ADMIN
    return None if has_role(session, admins, actor, needed) else needed


def grant(session: Session, actor: str, user_id: str, role: str) -> bool:
    """Add `role`; False when the user already had it (nothing recorded then)."""
    if session.get(RoleGrant, (user_id, role)) is not None:
        return False
    session.add(RoleGrant(user_id=user_id, role=role, granted_by=actor))
    session.add(RoleChange(actor=actor, action=ADD, user_id=user_id, role=role))
    return True


def revoke(session: Session, actor: str, user_id: str, role: str) -> bool:
    existing = session.get(RoleGrant, (user_id, role))
    if existing is None:
        return False
    session.delete(existing)
    session.add(RoleChange(actor=actor, action=REMOVE, user_id=user_id, role=role))
    return True


@dataclass(frozen=True)
class Holder:
    user_id: str
    role: str
    granted_by: str | None
    granted_at: datetime | None


def holders(session: Session, admins: frozenset[str], role: str | None = None) -> list[Holder]:
    query = select(RoleGrant).order_by(RoleGrant.role, RoleGrant.granted_at)
    if role:
        query = query.where(RoleGrant.role == role)
    found = [Holder(g.user_id, g.role, g.granted_by, g.granted_at) for g in session.scalars(query)]
    if role in (None, ADMIN):
        found = [Holder(a, ADMIN, None, None) for a in sorted(admins)] + found
    return found


@dataclass(frozen=True)
class Change:
    actor: str
    action: str  # ADD or REMOVE
    user_id: str
    role: str
    at: datetime


def recent_changes(session: Session, limit: int = 20) -> list[Change]:
    query = select(RoleChange).order_by(RoleChange.at.desc(), RoleChange.id.desc()).limit(limit)
    return [Change(c.actor, c.action, c.user_id, c.role, c.at) for c in session.scalars(query)]
