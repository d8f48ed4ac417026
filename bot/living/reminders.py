"""What the reminders of living by the policy are about, as the scheduler's planners and
runners need it (`bot.living.planning`, `handlers.living.reminders`): whom to remind to
acknowledge the adopted version, and when the lead hears that its review is coming.

A reminder to acknowledge goes to someone asked at least `ACK_REMIND_AFTER` working days ago
who has not acknowledged, once (`AckRequest.reminded_at`, set in the transaction that writes
the reminder), and only about the latest version: a superseded version's requests are left
alone. The lead hears of the review `REVIEW_NOTICE` before it is due, once per due date.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.living.acknowledgement import Request, version_doc
from bot.living.review_cycle import NextReview, next_review_of_latest
from bot.storage.models.living import AckRequest

ACK_REMIND_AFTER = 3  # working days after the request
REVIEW_NOTICE = dt.timedelta(days=30)


def waiting_for_reminder(session: Session, limit: int = 5000) -> list[Request]:
    """Everyone asked about the latest version who has neither acknowledged it nor been
    reminded."""
    latest = version_doc(session)
    if latest is None:
        return []
    rows = session.scalars(
        select(AckRequest)
        .where(
            AckRequest.version == latest.number,
            AckRequest.acknowledged_at.is_(None),
            AckRequest.reminded_at.is_(None),
        )
        .order_by(AckRequest.asked_at, AckRequest.user_id)
        .limit(limit)
    )
    return [Request.of(row) for row in rows]


def still_waiting(session: Session, version: int, user_id: str) -> Request | None:
    """The request to remind `user_id` of, if that is still called for."""
    latest = version_doc(session)
    row = session.get(AckRequest, (version, user_id))
    if latest is None or latest.number != version or row is None:
        return None
    if row.acknowledged_at is not None or row.reminded_at is not None:
        return None
    return Request.of(row)


def review_notice_at(review: NextReview) -> dt.date:
    """The day the lead hears that the review is coming."""
    return review.due - REVIEW_NOTICE


def review_to_announce(session: Session, version: int, due: str) -> NextReview | None:
    """The review a planned notice is about, if it still stands (the same version, the same
    due date)."""
    review = next_review_of_latest(session)
    if review is None or review.version != version or review.due.isoformat() != due:
        return None
    return review
