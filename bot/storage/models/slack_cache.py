"""Caches that must survive a restart and be shared by every instance.

The names are neutral on purpose: the core stores ids and strings, the Slack layer fills them.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, String
from sqlalchemy.orm import Mapped, mapped_column

from bot.storage.base import Base, utcnow
from bot.storage.types import UTCDateTime


class UserProfile(Base):
    """A user's language, display name and own work contact details (phone and e-mail, from
    their Slack profile), looked up once and kept until `fetched_at` expires."""

    __tablename__ = "user_profiles"

    user_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    locale: Mapped[str | None] = mapped_column(String(16))
    language: Mapped[str | None] = mapped_column(String(2))
    display_name: Mapped[str | None] = mapped_column(String(255))
    phone: Mapped[str | None] = mapped_column(String(64))
    email: Mapped[str | None] = mapped_column(String(255))
    fetched_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class GroupMembership(Base):
    """Members of a user group (by id or handle), cached with an expiry."""

    __tablename__ = "group_memberships"

    usergroup: Mapped[str] = mapped_column(String(128), primary_key=True)
    members: Mapped[list[str]] = mapped_column(JSON, default=list)
    fetched_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
