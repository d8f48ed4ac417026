"""Second opinions kept in the database by policy version, model and masked text (its hash).

A version never changes once adopted, so an entry stays right for as long as the version is
answered from. Two instances asking at once both store; the second insert is simply dropped.
"""

from __future__ import annotations

import hashlib

from sqlalchemy.exc import IntegrityError

from bot.storage import Database
from bot.storage.models.answering import SecondOpinion


def text_hash(masked_text: str) -> str:
    return hashlib.sha256(" ".join(masked_text.split()).encode("utf-8")).hexdigest()


def cached(
    db: Database, policy_number: int, model: str, masked_text: str
) -> tuple[str, ...] | None:
    with db.session() as session:
        row = session.get(SecondOpinion, (policy_number, model, text_hash(masked_text)))
        return tuple(row.rules or ()) if row is not None else None


def store(
    db: Database, policy_number: int, model: str, masked_text: str, rules: tuple[str, ...]
) -> None:
    try:
        with db.session() as session:
            session.add(
                SecondOpinion(
                    policy_number=policy_number,
                    model=model,
                    text_hash=text_hash(masked_text),
                    rules=list(rules),
                )
            )
    except IntegrityError:  # another instance stored the same answer first
        pass
