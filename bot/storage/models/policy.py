"""The shared draft (sections, rules, roles, groups, settings), versions and the audit trail.

The draft is edited field by field, so it lives in tables; an adopted version is an immutable
snapshot of a whole `policybot/1` document in one JSON column.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, Date, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

# The table a foreign key here names (contributions) must be on the metadata too.
import bot.storage.models.drafting  # noqa: F401
from bot.storage.base import EMPTY_LIST, Base, utcnow
from bot.storage.types import UTCDateTime


class DraftSection(Base):
    __tablename__ = "draft_sections"

    section_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    title: Mapped[str] = mapped_column(String(255), default="")
    text: Mapped[str] = mapped_column(Text, default="")
    position: Mapped[int] = mapped_column(Integer, default=0)
    updated_by: Mapped[str | None] = mapped_column(String(64))
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)


class DraftRule(Base):
    __tablename__ = "draft_rules"

    pk: Mapped[int] = mapped_column(primary_key=True)
    rule_id: Mapped[str] = mapped_column(String(64), unique=True)
    section: Mapped[str | None] = mapped_column(String(64), index=True)
    verdict: Mapped[str] = mapped_column(String(16))
    text: Mapped[str] = mapped_column(Text)
    role: Mapped[str | None] = mapped_column(String(64))
    applies_to: Mapped[list[str]] = mapped_column(JSON, default=list)
    keywords: Mapped[list[str]] = mapped_column(JSON, default=list)
    unless: Mapped[list[str]] = mapped_column(JSON, default=list)
    detect: Mapped[list[str]] = mapped_column(JSON, default=list)
    patterns: Mapped[list[str]] = mapped_column(JSON, default=list)
    # What helps the matcher tell the rule's subject (policy-format.md, "Evidence, weighed").
    context: Mapped[list[str]] = mapped_column(JSON, default=list, server_default=EMPTY_LIST)
    examples: Mapped[list[str]] = mapped_column(JSON, default=list, server_default=EMPTY_LIST)
    not_examples: Mapped[list[str]] = mapped_column(JSON, default=list, server_default=EMPTY_LIST)
    extras: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    # Where it came from: "contribution", "library:<id>", "manual" or "import".
    origin: Mapped[str] = mapped_column(String(64), default="manual")
    contribution_id: Mapped[int | None] = mapped_column(
        ForeignKey("contributions.id", ondelete="SET NULL")
    )
    position: Mapped[int] = mapped_column(Integer, default=0)
    created_by: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_by: Mapped[str | None] = mapped_column(String(64))
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)


class DraftRole(Base):
    __tablename__ = "draft_roles"

    pk: Mapped[int] = mapped_column(primary_key=True)
    role_id: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(255))
    contact: Mapped[str] = mapped_column(String(255), default="")
    handles: Mapped[str] = mapped_column(Text, default="")
    keywords: Mapped[list[str]] = mapped_column(JSON, default=list)
    extras: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    section: Mapped[str | None] = mapped_column(String(64))
    origin: Mapped[str] = mapped_column(String(64), default="manual")
    contribution_id: Mapped[int | None] = mapped_column(
        ForeignKey("contributions.id", ondelete="SET NULL")
    )
    position: Mapped[int] = mapped_column(Integer, default=0)
    created_by: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_by: Mapped[str | None] = mapped_column(String(64))
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)


class DraftGroup(Base):
    __tablename__ = "draft_groups"

    pk: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(255))
    slack: Mapped[str] = mapped_column(String(128))
    extras: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_by: Mapped[str | None] = mapped_column(String(64))
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)


class DraftSetting(Base):
    """Document-level fields of the draft: organisation, language, default, cover decisions…"""

    __tablename__ = "draft_settings"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[Any] = mapped_column(JSON)
    updated_by: Mapped[str | None] = mapped_column(String(64))
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)


class PolicyVersion(Base):
    """Version N as adopted: never updated, never deleted; going back adopts it again as N+1."""

    __tablename__ = "policy_versions"

    number: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    label: Mapped[str] = mapped_column(String(64))
    document: Mapped[dict[str, Any]] = mapped_column(JSON)
    approved_by: Mapped[str] = mapped_column(String(255))
    approved_on: Mapped[dt.date] = mapped_column(Date)
    decisions: Mapped[list[str]] = mapped_column(JSON, default=list)
    recorded_by: Mapped[str] = mapped_column(String(64))
    recorded_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    based_on: Mapped[int | None] = mapped_column(
        Integer
    )  # set when an earlier version is re-adopted
    announced_in: Mapped[str | None] = mapped_column(String(64))


class AuditEntry(Base):
    """Append-only trail of every change to the draft: who, when, before and after."""

    __tablename__ = "audit_entries"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    actor: Mapped[str] = mapped_column(String(64))
    entity: Mapped[str] = mapped_column(
        String(32)
    )  # section | rule | role | group | setting | contribution | version
    entity_id: Mapped[str] = mapped_column(String(128))
    section: Mapped[str | None] = mapped_column(String(64), index=True)
    action: Mapped[str] = mapped_column(String(32))
    before: Mapped[Any | None] = mapped_column(JSON)
    after: Mapped[Any | None] = mapped_column(JSON)
