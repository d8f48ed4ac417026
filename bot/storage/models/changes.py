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


class ChangedKey(Base):
    """Which rows a counted change wrote, for the tables whose caches forget per key
    (`bot.storage.changes.BY_KEY`): one row per key the transaction that moved `table_name`'s
    counter to `counter` wrote. A counter value without rows here (its keys unknown, or
    pruned as old) makes a cache forget everything, as before."""

    __tablename__ = "changed_keys"

    table_name: Mapped[str] = mapped_column(String(64), primary_key=True)
    counter: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    row_key: Mapped[str] = mapped_column(String(255), primary_key=True)
