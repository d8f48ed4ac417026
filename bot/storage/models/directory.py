"""The names Slack gave us for ids (people, user groups, channels), so documents show names.

Filled by the Slack layer when it learns a name (a contact is chosen, a document is made);
read by exports, which may run without Slack (the command line).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from bot.storage.base import Base, utcnow
from bot.storage.types import UTCDateTime


class KnownName(Base):
    """One Slack id and the name last learned for it; `learned_at` says how old that is."""

    __tablename__ = "known_names"

    slack_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))  # user | usergroup | channel
    name: Mapped[str] = mapped_column(String(255))
    learned_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
