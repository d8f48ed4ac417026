"""Whose thread a message is in: a drafting session's, an escalation post's, or nobody's.

Several listeners ask this of one message (the asking capability relays replies to an
escalation and answers direct messages; drafting records replies in its sessions), so it is
one question with one answer: a drafting session's thread is drafting's, whatever else.
"""

from __future__ import annotations

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from bot.storage.models.asking import Escalation

DRAFTING, ESCALATION = "drafting", "escalation"


def thread_kind(session: Session, channel: str, thread_ts: str | None) -> str | None:
    if not thread_ts:
        return None
    # Mapped when first asked (`bot.storage.models`): a serving process needs no drafting
    # model to acknowledge its first request.
    from bot.storage.models.drafting import DraftingSession

    drafting = select(DraftingSession.id).where(
        DraftingSession.channel == channel, DraftingSession.thread_ts == thread_ts
    )
    if session.scalar(drafting.limit(1)) is not None:
        return DRAFTING
    # Both sides of an escalation's conversation: the post to the role, and the thread in
    # the asker's DM with the bot.
    escalation = select(Escalation.id).where(
        or_(
            and_(Escalation.posted_channel == channel, Escalation.posted_ts == thread_ts),
            and_(Escalation.asker_channel == channel, Escalation.asker_thread_ts == thread_ts),
        )
    )
    return ESCALATION if session.scalar(escalation.limit(1)) is not None else None
