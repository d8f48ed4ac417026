"""The scheduler's Slack side: what a due job says, and one turn of looking for due work.

A capability registers, in the core, planners that schedule jobs (`bot.scheduling.planners`)
and, here, what each kind of job says when it is due (`@on_job(kind)`). A runner gets a
`RequestContext` (no request behind it) and the job's unit of work: what it says through
`ctx.slack` goes to the outbox in the same commit that marks the job done
(`bot.scheduling.jobs.finish`), so a job that said something is never run again, and a job
whose run died says nothing and is run again once its lease has run out. A runner names
whom it tells before it writes (`kit.people.know_people`): a reader whose language only Slack
knows ends the run, Slack is asked with no transaction open, and the job runs again. A
runner returns False when it has nothing to say any more (the section was finished
meanwhile): the job is skipped.

One turn (`Scheduler.turn`): the turn's own lease (one instance at a time), every planner in
a transaction of its own, the housekeeping that is due (`bot.scheduling.chores`), then the
jobs that are due, each in its own. `policybot tick` runs
one turn and exits; `serve` runs one whenever the last one said the next is due.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import TypeVar

from bot.clock import using
from bot.scheduling import chores, jobs
from bot.scheduling.jobs import Job
from bot.scheduling.planners import PLANNERS, Moment
from bot.storage import Session
from handlers.kit import later
from handlers.kit.context import RequestContext
from handlers.kit.people import with_people_known
from handlers.kit.services import Services

log = logging.getLogger(__name__)
EVERY = timedelta(minutes=5)  # serve's turns: reminders are about days, not minutes
BATCH = 20  # jobs claimed at a time

JobRunner = Callable[[RequestContext, Session, Job], bool]
R = TypeVar("R", bound=JobRunner)
RUNNERS: dict[str, JobRunner] = {}


def on_job(kind: str) -> Callable[[R], R]:
    """Register what a job of `kind` says when it is due."""

    def register(fn: R) -> R:
        if RUNNERS.get(kind, fn) is not fn:
            raise ValueError(f"job kind {kind} is registered twice")
        RUNNERS[kind] = fn
        return fn

    return register


@dataclass(frozen=True)
class Turned:
    """What one turn did: None for `ran` when another instance had the turn."""

    ran: int | None
    skipped: int = 0
    failed: int = 0


class Scheduler:
    def __init__(self, services: Services, claimant: str) -> None:
        self.services, self.claimant = services, claimant

    def moment(self) -> Moment:
        settings = self.services.settings
        return Moment(self.services.clock.now(), settings.calendar, frozenset(settings.admins))

    def turn(self, *, force: bool = False) -> Turned:
        """Plan and run what is due, when it is this instance's turn (`force`: whenever the
        last turn was, as `policybot tick` does; never while another instance has it). What
        the planners, chores and jobs write is stamped by the app's clock."""
        with using(self.services.clock):
            return self._turn(force)

    def _turn(self, force: bool) -> Turned:
        db, clock = self.services.db, self.services.clock
        with db.session() as session:
            turn = jobs.take_turn(session, claimant=self.claimant, now=clock.now(), force=force)
        if turn is None:
            return Turned(None)
        # The planners and runners register as their modules are imported, which a process
        # that has not warmed up yet has not done (`handlers.kit.later`).
        later.import_all()
        done = skipped = failed = 0
        try:
            self.plan()
            settings = self.services.settings
            chores.run_due(db.session, clock.now(), settings.retention_days)
            may_disturb = self.services.settings.calendar.may_disturb(clock.now())
            while True:
                with db.session() as session:
                    if not jobs.keep_turn(session, turn, clock.now()):
                        log.warning("the scheduler's turn was taken over: stopping this one")
                        break
                    due = jobs.claim_due(
                        session,
                        claimant=self.claimant,
                        now=clock.now(),
                        may_disturb=may_disturb,
                        limit=BATCH,
                    )
                for job in due:
                    outcome = self.run(job)
                    done += outcome == jobs.DONE
                    skipped += outcome == jobs.SKIPPED
                    failed += outcome == jobs.FAILED
                if len(due) < BATCH:
                    break
        finally:
            with db.session() as session:
                now = clock.now()
                jobs.end_turn(session, turn, now, now + EVERY)
        return Turned(done, skipped, failed)

    def plan(self) -> None:
        """Every planner, each in a transaction of its own (one failing stops no other)."""
        for name, plan in sorted(PLANNERS.items()):
            try:
                with self.services.db.session() as session:
                    plan(session, self.moment())
            except Exception:
                log.exception("planner %s failed; the others go on", name)

    def run(self, job: Job) -> str:
        """Run one claimed job: DONE (it said something), SKIPPED (nothing to say any more),
        FAILED (it raised: due again after a back-off), or "lost" (another run finished
        it)."""
        runner = RUNNERS.get(job.kind)
        ctx = RequestContext(self.services, self.services.outbox.client, None)

        def attempt(session: Session) -> str:
            said = runner(ctx, session, job) if runner is not None else False
            if runner is None:
                log.error("no runner for scheduled job %s (%s): skipped", job.key, job.kind)
            state = jobs.DONE if said else jobs.SKIPPED
            jobs.finish(session, job, self.services.clock.now(), state=state)
            return state

        try:
            # The readers' languages Slack alone knows are asked with no transaction open.
            return with_people_known(ctx, attempt)
        except jobs.AlreadyDone:
            return "lost"
        except Exception as error:
            log.exception("scheduled job %s failed", job.key)
            with self.services.db.session() as session:
                jobs.failed(session, job, self.services.clock.now(), type(error).__name__)
            return jobs.FAILED
