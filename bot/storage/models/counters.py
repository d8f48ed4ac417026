"""Counters that hand out numbers once each, whichever instance asks (bot.storage.counters)."""

from __future__ import annotations

from sqlalchemy import Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from bot.storage.base import Base


class IdCounter(Base):
    """The last number handed out under `name` (e.g. the rule ids `employees-N`)."""

    __tablename__ = "id_counters"

    name: Mapped[str] = mapped_column(String(96), primary_key=True)
    value: Mapped[int] = mapped_column(Integer)
