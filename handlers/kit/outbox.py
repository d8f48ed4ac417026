"""Sending the outbox: at once by the thread whose work wrote it (the fast path), and later,
in order per conversation, by the background sender for what Slack refused for now.

Nothing here sleeps: a row Slack refused with 429, 5xx or no answer gets a time to try again
(Retry-After, else an exponential back-off) and is the background sender's from then on,
together with whatever comes after it in its conversation. What Slack refuses for good is
logged and given up (a letter's `or` route is tried first: see `kit.courier`).

A letter may name a completion step, registered with `@after_sending(name)`: it runs with
Slack's answer (`Sent`) in a transaction of its own that also settles the row, so it runs
once; e.g. "store this drafting session's thread ts" once the session message is posted.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol, TypeVar

from slack_sdk import WebClient

from bot import metrics, outbox
from bot.clock import Clock
from bot.inbox import new_token
from bot.outbox import Letter, Queued
from bot.storage import Database
from handlers.kit import later
from handlers.kit.courier import METHODS, Delivered, deliver

log = logging.getLogger(__name__)
F = TypeVar("F", bound=Callable[..., None])
HOOK_ATTEMPTS = 5

# Completion steps by name: `fn(ctx, sent, **hook_args)`, run in a unit of work of their own.
HOOKS: dict[str, Callable[..., None]] = {}


def after_sending(name: str) -> Callable[[F], F]:
    """Register a completion step under `name` (a capability's, e.g. "drafting.session_posted")."""

    def register(fn: F) -> F:
        if HOOKS.get(name, fn) is not fn:
            raise ValueError(f"completion step {name} is registered twice")
        HOOKS[name] = fn
        return fn

    return register


def completion_step(name: str) -> Callable[..., None] | None:
    """The step registered under `name`; its module may not be imported yet in a process that
    has not warmed up (`handlers.kit.later`): then every deferred module is, first."""
    step = HOOKS.get(name)
    if step is None:
        later.import_all()
        step = HOOKS.get(name)
    return step


@dataclass(frozen=True)
class Marks:
    """Sent marks carried by a transaction that writes outbox rows anyway (an answer's),
    instead of one of the background loop's own: rows Slack has, made by this process's fast
    path.

    Until it commits they are in memory and in no other transaction here; a crash before
    then leaves them pending, claimed by this instance, as a crash before the background
    loop's mark did: when their lease runs out (or this instance restarts) a sender takes them
    as rows that may have been made, and finds the post in its conversation
    (`kit.courier.post_once`) instead of posting it again.

    Unlike the background loop's mark, an answer's does not look for rows waiting behind the
    marked ones (rows another instance wrote in the conversation meanwhile, which went in
    line): that look would delay the answer's own post for a rare case, and such a row is due
    at once, so the background sender's next poll (within a second) sends it."""

    rows: list[Queued]


@dataclass(frozen=True)
class Stored:
    """What `Outbox.store` wrote (to send after the commit) and the marks it carried."""

    queued: list[Queued]
    marks: Marks


@dataclass(frozen=True)
class Sent:
    """What a completion step is told: whether Slack made the call, and what it answered."""

    ok: bool
    error: str = ""
    channel: str | None = None
    ts: str | None = None
    permalink: str | None = None

    @classmethod
    def of(cls, outcome: dict[str, Any]) -> Sent:
        def text(name: str) -> str | None:
            value = outcome.get(name)
            return str(value) if value else None

        return cls(
            bool(outcome.get("ok")),
            str(outcome.get("error") or ""),
            text("channel"),
            text("ts"),
            text("permalink"),
        )


class Watcher(Protocol):
    """The request whose rows are sent (for its "working on it")."""

    def sending(self) -> threading.Lock: ...

    def delivered(self, row: Queued) -> None: ...

    def deferred(self, row: Queued) -> None: ...

    def refused(self, row: Queued) -> None: ...


# Runs a row's completion step: settles the row and runs the step in one transaction.
Completion = Callable[[Queued, dict[str, Any]], None]


class Outbox:
    """This instance's side of the outbox: one per process, shared by all requests."""

    def __init__(self, db: Database, client: WebClient, clock: Clock, claimant: str) -> None:
        self.db, self.client, self.clock, self.claimant = db, client, clock, claimant
        self.completion: Completion | None = None  # set by the request context's module
        # Rings the background loop: `poll=True` when rows wait for it to send them.
        self.wake: Callable[..., None] = lambda poll=False: None
        self._lock = threading.Lock()
        self._sent: dict[int, Queued] = {}  # made, not yet marked sent in the database
        # Made, and being marked sent in a transaction not yet committed (an answer's, or the
        # background loop's): each mark is in one transaction at a time, back in `_sent` if
        # that one rolls back.
        self._marking: dict[int, Queued] = {}

    # -- writing --------------------------------------------------------------------------
    def store(
        self, session: Any, letters: list[Letter], *, request: int | None, claim: str
    ) -> Stored:
        """Write `letters` in the caller's transaction, claimed by `claim` for the fast path.
        The same transaction records the sent marks waiting in memory (see `Marks`): the
        caller settles them with `marks_committed` or `marks_rolled_back`."""
        if not letters:  # a transaction that writes nothing is not made a writer for marks
            return Stored([], Marks([]))
        marks = self._carry_marks(session)
        conversations = {letter.conversation for letter in letters}
        with self._lock:  # rows of these conversations Slack has, marked by no one yet here
            made = {
                row_id
                for row_id, row in [*self._sent.items(), *self._marking.items()]
                if row.letter.conversation in conversations
            }
        made.difference_update(row.id for row in marks.rows)
        try:
            queued = outbox.write(
                session,
                letters,
                request=request,
                claimant=self.claimant,
                claim=claim,
                now=self.clock.now(),
                made=made,
            )
        except BaseException:
            self.marks_rolled_back(marks)
            raise
        return Stored(queued, marks)

    def _carry_marks(self, session: Any) -> Marks:
        """The sent marks waiting in memory, recorded in the caller's transaction, before its
        own rows are written (they would count as rows waiting behind the marked ones)."""
        rows = self._take_marks()
        if rows:
            try:
                outbox.mark_sent(session, rows, self.clock.now())
            except BaseException:
                self.marks_rolled_back(Marks(rows))
                raise
        return Marks(rows)

    def marks_committed(self, marks: Marks) -> None:
        """The transaction that carried `marks` committed: they are recorded."""
        if not marks.rows:
            return
        with self._lock:
            for row in marks.rows:
                self._marking.pop(row.id, None)

    def marks_rolled_back(self, marks: Marks) -> None:
        """The transaction that carried `marks` did not commit: they wait in memory again,
        for the background loop (or the next transaction that writes rows)."""
        if not marks.rows:
            return
        with self._lock:
            for row in marks.rows:
                self._marking.pop(row.id, None)
                self._sent[row.id] = row
        self.wake()

    def _take_marks(self) -> list[Queued]:
        with self._lock:
            rows = list(self._sent.values())
            self._sent.clear()
            self._marking.update((row.id, row) for row in rows)
        return rows

    # -- the fast path --------------------------------------------------------------------
    def send(self, rows: list[Queued], watcher: Watcher | None = None) -> None:
        """Send rows just committed, in order; a conversation with a row Slack refused for now
        (or one already waiting in line) is left to the background sender from there on."""
        waiting: set[str] = set()
        left: list[Queued] = []
        for row in rows:
            conversation = row.letter.conversation
            if row.claim is None:  # in line behind an earlier row
                waiting.add(conversation)
            elif conversation in waiting:
                left.append(row)
            elif not self._send_one(row, watcher):
                waiting.add(conversation)
        if left:
            self._quietly(lambda session: outbox.unclaim(session, left), "leave rows in line")
        if waiting:
            self.wake(poll=True)

    def _send_one(self, row: Queued, watcher: Watcher | None, unsure: bool = False) -> bool:
        """True when the row is settled (made, or refused for good); False when deferred.
        `unsure`: the row may have been made already (see `_deliver`)."""
        if watcher is None:
            delivered = self._deliver(row, unsure)
        else:
            with watcher.sending():
                delivered = self._deliver(row, unsure)
        settled = self._settle(row, delivered)
        if watcher is not None:
            if not settled:
                watcher.deferred(row)
            elif delivered.ok:
                watcher.delivered(row)
            elif not row.letter.hook:  # a completion step says what a refusal means
                watcher.refused(row)
        return settled

    def _deliver(self, row: Queued, unsure: bool) -> Delivered:
        # A row the background sender takes, or one tried before, may have been made (a
        # timeout; a crash between the call and its record): a post is looked for in its
        # conversation first (courier.post_once). The fast path's rows are new.
        letter = row.letter
        unsure = unsure or row.attempts > 0
        return deliver(self.client, letter.kind, letter.args, row=row.id, unsure=unsure)

    def _settle(self, row: Queued, delivered: Delivered) -> bool:
        now = self.clock.now()
        if delivered.retry and not outbox.too_old(row, now):
            wait = outbox.backoff(row.attempts + 1, delivered.retry_after)
            method = METHODS.get(row.letter.kind, row.letter.kind)
            metrics.slack_api_retries.labels(method=method, reason=delivered.reason).inc()
            log.info(
                "%s to %s refused for now (%s): again in %.0f s",
                row.letter.kind,
                row.letter.conversation,
                delivered.error,
                wait,
            )
            self._quietly(
                lambda session: outbox.defer(session, row, now, wait, delivered.error),
                "defer a row",
            )
            return False
        if not delivered.ok:
            log.warning(
                "%s to %s refused: %s",
                row.letter.kind,
                row.letter.conversation,
                delivered.error or "for too long",
            )
        if row.letter.hook:
            self.complete(row, delivered.outcome())
        elif delivered.ok:
            with self._lock:
                self._sent[row.id] = row
            # Recorded by the next transaction here that writes outbox rows (`store`), or else
            # by the background loop, with others, in one transaction.
            self.wake()
        else:
            self._quietly(
                lambda session: outbox.give_up(session, row, now, delivered.error),
                "give a row up",
            )
        return True

    def complete(self, row: Queued, outcome: dict[str, Any]) -> None:
        """Run a row's completion step; when it fails, keep Slack's answer for a later try."""
        try:
            assert self.completion is not None, "no completion runner installed"
            self.completion(row, outcome)
        except Exception:
            log.exception("completion step %s failed", row.letter.hook)
            self._quietly(
                lambda session: outbox.await_hook(session, row, outcome), "keep a step for later"
            )

    # -- the background sender ------------------------------------------------------------
    def record_sent(self) -> bool:
        """Mark what was made as sent (one transaction for all that came meanwhile); kept for
        later if that fails. True when rows wait behind them in their conversations (the
        background sender then looks for due rows at once)."""
        rows = self._take_marks()
        if not rows:
            return False
        followed = self._quietly(
            lambda session: outbox.sent(session, rows, self.clock.now()), "record sent rows"
        )
        with self._lock:
            for row in rows:
                self._marking.pop(row.id, None)
                if followed is None:  # kept for a later try
                    self._sent[row.id] = row
        return bool(followed)

    def take(self, session: Any, limit: int = 50) -> tuple[list[Queued], list[Queued]]:
        """In the background sender's transaction: claim the rows due now (the oldest of each
        conversation) and the completion steps whose run failed."""
        claim, now = new_token(), self.clock.now()
        if not outbox.anything_due(session, now):
            return [], []
        rows = outbox.take(session, claimant=self.claimant, claim=claim, now=now, limit=limit)
        steps = outbox.hooks_due(session, claimant=self.claimant, claim=claim, now=now)
        return rows, steps

    def send_taken(self, rows: list[Queued], steps: list[Queued]) -> None:
        """Send what `take` claimed, and run its steps."""
        for row in rows:
            self._send_one(row, None, unsure=True)
        for row in steps:
            if row.attempts >= HOOK_ATTEMPTS:
                log.error("completion step %s given up", row.letter.hook)
                self._give_up_step(row)
            else:
                self.complete(row, row.result or {"ok": False, "error": "unknown"})

    def _give_up_step(self, row: Queued) -> None:
        now = self.clock.now()
        self._quietly(lambda session: outbox.settle(session, row, {"ok": False}, now), "give up")

    def release(self) -> int:
        """At start: rows a dead run of this instance held are due at once."""
        return self._quietly(lambda session: outbox.release(session, self.claimant), "release") or 0

    def unsent(self) -> int:
        return self._quietly(outbox.unsent, "count unsent rows") or 0

    def _quietly(self, work: Callable[[Any], Any], what: str) -> Any:
        """Work on the outbox's own rows in a transaction; a database failure is logged (the
        rows then wait for their lease to run out) and None returned."""
        try:
            with self.db.session() as session:
                result = work(session)
            return True if result is None else result
        except Exception:
            log.exception("outbox: could not %s", what)
            return None
