"""Database state for a test's scene, put in the way the bot itself stores it, and read back.

Roles through `bot.people`, the draft through the same import the CLI uses, adoption through
`bot.reviewing.versions`, contributions as the drafting threads record them. What the bot
*did* in Slack is read from the stand-in Web API instead (`tests/driver.py`).
"""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

from sqlalchemy import select

from bot import people
from bot.policy.validation import parse_policy
from bot.policy.yaml_io import load_policy_yaml
from bot.reviewing import proposals
from bot.reviewing.draft import replace_draft
from bot.reviewing.versions import Approval, adopt_document
from bot.storage import Database
from bot.storage.models.drafting import Contribution, DraftingSession
from bot.storage.models.policy import DraftRole, DraftRule
from tests.driver import ADMIN, DRAFT_CHANNEL, LEAD, MEMBER
from tests.samples import SAMPLE_POLICY, sample_policy_data, sample_text

_counter = itertools.count(1)


# -- roles ------------------------------------------------------------------------------------
def make_lead(db: Database, user: str = LEAD) -> None:
    """`user` becomes communications lead, granted by the admin."""
    with db.session() as session:
        people.grant(session, ADMIN, user, people.COMMS_LEAD)


def make_member(db: Database, user: str = MEMBER) -> None:
    working_group(db, user)


def working_group(db: Database, *users: str) -> None:
    """Each of `users` joins the working group, granted by the admin."""
    with db.session() as session:
        for user in users:
            people.grant(session, ADMIN, user, people.WORKING_GROUP)


# -- the policy -------------------------------------------------------------------------------
def load_sample_draft(db: Database) -> None:
    """The sample municipality's policy as the draft (what `policybot policy import` does)."""
    doc = load_policy_yaml(sample_text(SAMPLE_POLICY))
    with db.session() as session:
        replace_draft(session, doc, "test")


def adopt(db: Database, data: dict[str, Any] | None = None) -> dict[str, Any]:
    """Adopt `data` (default: the sample policy) as the next version, as `/policy adopt` does."""
    document = data if data is not None else sample_policy_data()
    approval = Approval(by="College van B&W", on=dt.date(2026, 1, 20), decisions=[])
    with db.session() as session:
        adopt_document(session, ADMIN, parse_policy(document), approval)
    return document


def add_contribution(
    db: Database,
    section: str,
    question: str,
    author: str,
    text: str,
    *,
    review: str = "pending",
    minutes: int = 0,
) -> int:
    """A reply in a drafting thread, as the drafting capability records it; its id."""
    n = next(_counter)
    with db.session() as session:
        row = Contribution(
            section_id=section,
            question_id=question,
            author=author,
            text=text,
            channel=DRAFT_CHANNEL,
            message_ts=f"1700000000.{n:06d}",
            review=review,
            created_at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC) + dt.timedelta(minutes=minutes),
        )
        session.add(row)
        session.flush()
        return row.id


def decide(db: Database, decision: str, *ids: int, by: str = LEAD) -> None:
    """The lead decides on contributions as `/policy review` does (the Slack side is tested
    in tests/test_review_proposals.py); no ids: every one still waiting."""
    with db.session() as session:
        if not ids:
            query = select(Contribution.id).where(
                Contribution.status == "active", Contribution.review == "pending"
            )
            ids = tuple(session.scalars(query.order_by(Contribution.id)))
        for contribution_id in ids:
            proposals.decide(session, by, contribution_id, decision, "nl")


def accept(db: Database, *ids: int, by: str = LEAD) -> None:
    decide(db, proposals.ACCEPTED, *ids, by=by)


# -- reading back -----------------------------------------------------------------------------
def contributions(db: Database, status: str | None = "active") -> list[Contribution]:
    """Recorded contributions (only those with `status`, unless None), oldest first."""
    with db.session() as session:
        query = select(Contribution).order_by(Contribution.id)
        if status:
            query = query.where(Contribution.status == status)
        rows = list(session.scalars(query))
        session.expunge_all()
        return rows


def draft_rules(db: Database) -> list[DraftRule]:
    with db.session() as session:
        rows = list(session.scalars(select(DraftRule).order_by(DraftRule.position)))
        session.expunge_all()
        return rows


def draft_roles(db: Database) -> list[DraftRole]:
    with db.session() as session:
        rows = list(session.scalars(select(DraftRole).order_by(DraftRole.position)))
        session.expunge_all()
        return rows


def session_row(db: Database, thread_ts: str) -> DraftingSession:
    """The drafting session whose thread starts at `thread_ts`."""
    with db.session() as session:
        row = session.scalar(select(DraftingSession).where(DraftingSession.thread_ts == thread_ts))
        assert row is not None
        session.expunge(row)
        return row
