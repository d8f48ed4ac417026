"""Each section's owner and deadline (`/policy plan SECTION @owner YYYY-MM-DD`), and whether
a section is late: its deadline has passed, in the organisation's time zone, and it is not
complete (`bot.rhythm.progress`)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot import audit
from bot.drafting.template import load_template
from bot.scheduling import jobs
from bot.storage.models.rhythm import SectionPlan

DEADLINE_JOBS = ("deadline-soon", "deadline-passed")  # the reminders a plan brings (their keys)


@dataclass(frozen=True)
class Plan:
    section_id: str
    owner: str | None
    deadline: dt.date | None
    set_by: str
    set_at: dt.datetime

    def late(self, today: dt.date) -> bool:
        """The deadline has passed (whether the section is done is the caller's to add)."""
        return self.deadline is not None and self.deadline < today


@dataclass(frozen=True)
class Planned:
    """A section's plan as status lines show it: late when its deadline has passed (in the
    organisation's time zone) and it is not complete (`bot.rhythm.progress`)."""

    owner: str | None
    deadline: dt.date | None
    late: bool


def planned(session: Session, today: dt.date) -> dict[str, Planned]:
    from bot.rhythm.progress import progress  # progress reads drafting, which shows plans

    found = plans(session)
    if not found:
        return {}
    complete = {p.section_id for p in progress(session) if p.complete}
    return {
        section_id: Planned(
            plan.owner, plan.deadline, plan.late(today) and section_id not in complete
        )
        for section_id, plan in found.items()
    }


class PlanInvalid(ValueError):
    """What is wrong with a plan: a catalogue key."""

    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


def plans(session: Session) -> dict[str, Plan]:
    """Every section's plan, by section id (sections nobody planned are absent)."""
    return {
        row.section_id: Plan(row.section_id, row.owner, row.deadline, row.set_by, row.set_at)
        for row in session.scalars(select(SectionPlan))
    }


def set_plan(
    session: Session,
    actor: str,
    section_id: str,
    *,
    owner: str | None,
    deadline: dt.date | None,
    today: dt.date,
    now: dt.datetime,
) -> Plan:
    """Set (or clear, with None) the section's owner and deadline, in the audit trail; a
    deadline in the past is refused (PlanInvalid), unless it is the one already set. The
    reminders of the previous deadline or owner that have not gone out yet are cancelled."""
    if section_id not in {s.id for s in load_template().sections}:
        raise PlanInvalid("rhythm.plan_unknown_section")
    row = session.get(SectionPlan, section_id)
    before = (row.owner, row.deadline) if row is not None else (None, None)
    if deadline is not None and deadline < today and deadline != before[1]:
        raise PlanInvalid("rhythm.plan_past")
    if row is None:
        row = SectionPlan(section_id=section_id, set_by=actor, set_at=now)
        session.add(row)
    row.owner, row.deadline, row.set_by, row.set_at = owner, deadline, actor, now
    if before != (owner, deadline):
        audit.record(
            session,
            actor=actor,
            entity="plan",
            entity_id=section_id,
            section=section_id,
            action="edit",
            before=_shown(*before),
            after=_shown(owner, deadline),
        )
        for kind in DEADLINE_JOBS:
            jobs.cancel_prefix(session, f"{kind}:{section_id}:", None, now)
    session.flush()
    return Plan(section_id, owner, deadline, actor, now)


def _shown(owner: str | None, deadline: dt.date | None) -> dict[str, str | None]:
    return {"owner": owner, "deadline": deadline.isoformat() if deadline else None}
