"""How often each cached table has changed, shared by every instance (bot.storage.changes)."""

from __future__ import annotations

from sqlalchemy import BigInteger, String
from sqlalchemy.orm import Mapped, mapped_column

from bot.storage.base import Base


class ChangeCounter(Base):
    """Incremented in the transaction of every write to `table_name` (one of
    `bot.storage.changes.WATCHED`): an in-process cache of that table is current while the
    counter it was filled under is the one stored."""

    __tablename__ = "change_counters"

    table_name: Mapped[str] = mapped_column(String(64), primary_key=True)
    counter: Mapped[int] = mapped_column(BigInteger, server_default="0")
