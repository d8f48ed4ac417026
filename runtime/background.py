"""The background loop every serving process runs (`serve`, the WSGI module, the shell), in
one thread, so that no listener thread ever waits on Slack or on a crash:

- record what the fast path sent (one transaction for whatever came meanwhile), and mark
  done the requests that needed no transaction;
- renew the leases of the requests this instance is running, so no other takes them over;
- tell people whose answer is slow that the bot is working on it;
- send the outbox rows that are due (Slack refused them for now, or their sender died), the
  oldest of each conversation first;
- run again the inbox records nobody holds (their process died, their lease ran out);
- look for scheduled work that is due (reminders, digests: `handlers.kit.scheduler`), when
  no other instance has the scheduler's turn and `POLICYBOT_SCHEDULER` is on;
- (the scheduler's turn also forgets finished records and rows: `bot.scheduling.chores`).

It wakes when there is something to do (a row left for it, a clock moved in a test) and
otherwise once a second; all its times come from the injectable clock.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from functools import partial
from typing import TypeVar

from bot import inbox, outbox
from bot.clock import Clock
from bot.inbox import Taken
from bot.outbox import Queued
from bot.scheduling import jobs
from bot.storage import Session
from handlers.kit.scheduler import Scheduler
from handlers.kit.services import Services
from runtime.intake import Intake

log = logging.getLogger(__name__)
T = TypeVar("T")
TICK = 1.0  # seconds between rounds when nobody rings
# A round woken only to record what the fast path sent waits this long (real time) for more,
# so that answers coming one after another share one transaction for their sent marks
# (at 0.05 s the loop still began one every few answers: 4-6 % of a DM's CPU one at a
# time, py-spy). Slack has those messages already: the wait delays no answer of this
# instance (a row of its own in the same conversation is written past the unmarked one,
# `outbox.write`'s `made`); a row another instance wrote meanwhile in the same conversation
# waits in line for the mark (at most this long, and rare: one person's messages within a
# second on two instances); a crash meanwhile leaves rows a restarted sender finds posted
# (`kit.courier.post_once`). `wait_idle` (tests, the shell) and `stop` cut it short, and so
# do `kit.outbox.MARKS_PER_ROUND` marks waiting (under load the marks of half a second
# would make one long transaction, holding SQLite's writer turn from the acks).
GATHER_MARKS_S = 0.5
RENEW_EVERY = inbox.LEASE / 3
SCHEDULE_EVERY = timedelta(minutes=1)  # how often this instance asks for the scheduler's turn


class Background:
    def __init__(self, services: Services, intake: Intake, claimant: str) -> None:
        self.services, self.intake, self.claimant = services, intake, claimant
        self.clock: Clock = services.clock
        self._bell = threading.Condition()
        self._rung = False
        self._hurried = 0  # how many wait for the loop to be idle: record marks at once
        self._poll = True  # look in the database for due work (else only at the next tick)
        self._full = False  # enough marks wait (`kit.outbox.MARKS_PER_ROUND`): no gathering
        self._polled = 0.0
        self._busy = False
        self._stopped = threading.Event()
        self._thread: threading.Thread | None = None
        self._pid: int | None = None  # the process the loop runs in
        self._starting = threading.Lock()
        self._renewed: datetime | None = None
        self._scheduled: datetime | None = None
        self.scheduler = Scheduler(services, claimant)
        self._failing = False
        services.outbox.wake = self.wake
        services.flight.wake = self.wake
        services.clock.on_change(lambda: self.wake(poll=True))

    # -- the thread -----------------------------------------------------------------------
    def start(self) -> None:
        """Take back what a dead run of this instance held, then loop in a thread; once per
        process (a server that forks after the app was made starts it again in the child,
        where the parent's thread does not exist)."""
        if self._pid == os.getpid():
            return
        with self._starting:
            if self._pid == os.getpid():
                return
            self._bell, self._stopped = threading.Condition(), threading.Event()
            self._rung = self._busy = self._full = False
            self._quietly(self._take_back)
            self._thread = threading.Thread(
                target=self._loop, name="policybot-background", daemon=True
            )
            self._thread.start()
            self._pid = os.getpid()

    def stop(self, timeout: float = 5.0) -> None:
        """Stop the loop, after one last round that records what this process sent and
        finished (else it would be sent or run again after a restart)."""
        if self._pid != os.getpid():
            return
        self._stopped.set()
        self.wake()
        if self._thread is not None:
            self._thread.join(timeout)
        self._quietly(partial(self.run_once, poll=False))
        self._pid = None

    def drain(self, deadline: float) -> None:
        """Before the process exits: send what Slack refused for now as it becomes due, until
        `deadline` (time.monotonic()); what is due later stays in the outbox."""
        while time.monotonic() < deadline:
            self._quietly(self.run_once)
            due = self._quietly(lambda: self._with_session(outbox.next_due))
            if not isinstance(due, datetime):
                return  # nothing waits for a retry
            wait = max((due - self.clock.now()).total_seconds(), 0.05)
            if time.monotonic() + wait >= deadline:
                log.info("stopping: what Slack refused for now waits in the outbox")
                return
            self._stopped.wait(wait)  # the process is going: real time, not a test's clock

    def wake(self, poll: bool = False, full: bool = False) -> None:
        """Something is to be done: marks to record (`poll`: rows due to be sent; `full`:
        enough marks wait, record them without gathering more)."""
        with self._bell:
            if self._rung and (self._poll or not poll) and (self._full or not full):
                # Rung already and not yet answered: the loop will see it. (Every answer's
                # sent row rings; waking the loop again for each, while it gathers marks,
                # cost a thread switch per answer.)
                return
            self._rung = True
            self._poll = self._poll or poll
            self._full = self._full or full
            self._bell.notify_all()

    def wait_idle(self, timeout: float = 10.0) -> bool:
        """Until a round has found nothing to do and nobody has rung since (for tests and the
        shell, which look at what the bot did)."""
        with self._bell:
            self._hurried += 1
            self._bell.notify_all()
            try:
                return self._bell.wait_for(lambda: not (self._rung or self._busy), timeout)
            finally:
                self._hurried -= 1

    def idle(self) -> bool:
        with self._bell:
            return not (self._rung or self._busy)

    def _loop(self) -> None:
        while not self._stopped.is_set():
            with self._bell:
                self._bell.wait_for(lambda: self._rung or self._stopped.is_set(), TICK)
                poll = self._poll or time.monotonic() - self._polled >= TICK
                if not poll:  # only marks to record: let more gather (GATHER_MARKS_S)
                    self._bell.wait_for(
                        lambda: (
                            self._hurried > 0 or self._poll or self._full or self._stopped.is_set()
                        ),
                        GATHER_MARKS_S,
                    )
                    poll = self._poll
                self._rung, self._poll, self._full, self._busy = False, False, False, True
            try:
                if poll:
                    self._polled = time.monotonic()
                again = self._quietly(partial(self.run_once, poll=poll))
            finally:
                with self._bell:
                    self._busy = False
                    if again:  # there may be more: look again at once
                        self._rung = self._poll = True
                    self._bell.notify_all()

    # -- one round ------------------------------------------------------------------------
    def run_once(self, *, poll: bool = True) -> bool:
        """What is due now; True when the database may hold more that is due at once (the
        poll found work, records were handed back to be run again, or rows wait behind the
        ones just recorded as sent): look again.
        Without `poll` only what this process knows of needs the database: marks to record,
        requests to mark done, leases to renew. Recording marks calls for no poll: a round
        per answer that looked for due rows was most of this loop's cost."""
        for slow in self.services.flight.slow():  # first: it needs no database
            slow.say_working(wait=False)
        more = self._finish_requests()
        more = self.services.outbox.record_sent() or more
        self._renew()
        if poll:
            more = self._send_and_rerun() or more
            self._schedule()  # housekeeping included (bot.scheduling.chores)
        return more

    def _send_and_rerun(self) -> bool:
        """One transaction claims the outbox rows and the inbox records that are due; then
        the rows are sent and the records run again."""
        outbox_ = self.services.outbox

        def claim(session: Session) -> tuple[list[Queued], list[Queued], list[Taken]]:
            rows, steps = outbox_.take(session)
            now = self.clock.now()
            return rows, steps, inbox.claim_due(session, claimant=self.claimant, now=now)

        rows, steps, taken = self._with_session(claim)
        outbox_.send_taken(rows, steps)
        for record in taken:
            self.intake.redispatch(record)
        return bool(rows or steps or taken)

    def send_due(self) -> None:
        """Send the outbox rows that are due and record what was sent, now (`policybot tick`,
        which exits: nothing is left for a later round)."""
        outbox_ = self.services.outbox
        outbox_.record_sent()
        rows, steps = self._with_session(outbox_.take)
        outbox_.send_taken(rows, steps)
        outbox_.record_sent()

    def _finish_requests(self) -> bool:
        """Mark done (or to run again) the requests that needed no transaction; True when
        some are to run again (a poll claims them)."""
        flight = self.services.flight
        finished, abandoned, again = flight.take_finished()
        if not (finished or abandoned or again):
            return False
        now = self.clock.now()
        try:
            with self.services.db.session() as session:
                for claim, failed in finished:
                    inbox.finish_many(session, [claim], now, failed=failed)
                inbox.finish_many(session, abandoned, now, failed=True)
                inbox.run_again(session, again)
        except Exception:
            flight.put_back(finished, abandoned, again)
            raise
        return bool(again)

    def _renew(self) -> None:
        now = self.clock.now()
        if self._renewed is not None and now - self._renewed < RENEW_EVERY:
            return
        claims = self.services.flight.claims()
        if claims:
            self._with_session(lambda session: inbox.renew(session, claims, now))
        self._renewed = now

    def _schedule(self) -> None:
        """The scheduler's turn, if it is due and no other instance has it."""
        now = self.clock.now()
        if not self.services.settings.scheduler:
            return
        if self._scheduled is not None and now - self._scheduled < SCHEDULE_EVERY:
            return
        self._scheduled = now
        self.scheduler.turn()

    def _take_back(self) -> None:
        """A restarted instance's unfinished work is due at once: whoever held it is dead."""
        records = self._with_session(
            lambda session: (
                inbox.release(session, self.claimant) + jobs.release(session, self.claimant)
            )
        )
        rows = self.services.outbox.release()
        if records or rows:
            log.info("taking back %d unfinished request(s) and %d unsent row(s)", records, rows)

    # -- the database ---------------------------------------------------------------------
    def _with_session(self, work: Callable[[Session], T]) -> T:
        with self.services.db.session() as session:
            return work(session)

    def _quietly(self, work: Callable[[], T]) -> T | bool:
        """A round that fails (the database is down) is logged once, and tried next tick."""
        try:
            result = work()
        except Exception:
            if not self._failing:
                log.exception("background round failed; trying again every %.0f s", TICK)
            self._failing = True
            return False
        if self._failing:
            log.info("background rounds work again")
        self._failing = False
        return result
