"""What drafting needs beyond the foundation's tables: notices a person was given once."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

# The table a foreign key here names (drafting_sessions) must be on the metadata too.
import bot.storage.models.drafting  # noqa: F401
from bot.storage.base import Base, utcnow
from bot.storage.types import UTCDateTime


class DraftingNotice(Base):
    """Told once: someone got a notice about a session (e.g. why their reply was not
    recorded). The primary key makes the first insert win, on any instance, so nobody is
    told twice even when two replies arrive at once."""

    __tablename__ = "drafting_notices"

    session_id: Mapped[int] = mapped_column(
        ForeignKey("drafting_sessions.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    kind: Mapped[str] = mapped_column(String(32), primary_key=True)
    told_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
