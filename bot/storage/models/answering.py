"""What a language model said about a question, kept so the same question on the same version
costs one call (all instances share it). Keyed by the masked text's hash: no question text,
masked or not, is stored here."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from bot.storage.base import Base, utcnow
from bot.storage.types import UTCDateTime


class SecondOpinion(Base):
    __tablename__ = "second_opinions"

    policy_number: Mapped[int] = mapped_column(Integer, primary_key=True)
    model: Mapped[str] = mapped_column(String(128), primary_key=True)
    text_hash: Mapped[str] = mapped_column(String(64), primary_key=True)  # sha256 of masked text
    rules: Mapped[list[str]] = mapped_column(JSON, default=list)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
