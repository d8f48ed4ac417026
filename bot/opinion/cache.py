"""Second opinions kept in the database by policy version, model and masked text (its hash).

A version never changes once adopted, so an entry stays right for as long as the version is
answered from. Two instances asking at once both store; the second insert is simply dropped
(INSERT … ON CONFLICT DO NOTHING, so the caller's unit of work carries on).
"""

from __future__ import annotations

import hashlib

from sqlalchemy.orm import Session

from bot.storage import utcnow
from bot.storage.models.answering import SecondOpinion
from bot.storage.writes import insert_once


def text_hash(masked_text: str) -> str:
    return hashlib.sha256(" ".join(masked_text.split()).encode("utf-8")).hexdigest()


def cached(
    session: Session, policy_number: int, model: str, masked_text: str
) -> tuple[str, ...] | None:
    row = session.get(SecondOpinion, (policy_number, model, text_hash(masked_text)))
    return tuple(row.rules or ()) if row is not None else None


def store(
    session: Session, policy_number: int, model: str, masked_text: str, rules: tuple[str, ...]
) -> None:
    insert_once(
        session,
        SecondOpinion,
        policy_number=policy_number,
        model=model,
        text_hash=text_hash(masked_text),
        rules=list(rules),
        created_at=utcnow(),
    )
