"""Sending the outbox: at once by the thread whose work wrote it (the fast path), and later,
in order per conversation, by the background sender for what Slack refused for now.

Nothing here sleeps: a row Slack refused with 429, 5xx or no answer gets a time to try again
(Retry-After, else an exponential back-off) and is the background sender's from then on,
together with whatever comes after it in its conversation. What Slack refuses for good is
logged and given up (a letter's `or` route is tried first: see `kit.courier`).

A letter may name a completion step, registered with `@after_sending(name)`: it runs with
Slack's answer (`Sent`) in a transaction of its own that also settles the row, so it runs
once; e.g. "store this drafting session's thread ts" once the session message is posted.
That transaction writes first (the settling), so on SQLite it holds the process's writer
turn, which every ack's INSERT waits for: what a step must ask Slack or render at length is
made before it, by the step's `prepare` (`@after_sending(name, prepare=...)`), whose result
the step is given as `prepared`.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol, TypeVar

from slack_sdk import WebClient

from bot import metrics, outbox
from bot.clock import Clock
from bot.inbox import Finishing, new_token
from bot.outbox import Letter, Queued
from bot.storage import Database
from handlers.kit import later
from handlers.kit.courier import METHODS, Delivered, deliver

log = logging.getLogger(__name__)
F = TypeVar("F", bound=Callable[..., None])
HOOK_ATTEMPTS = 5
# Sent marks that make the background loop record them without waiting for more
# (`runtime.background.GATHER_MARKS_S`): under load its transaction stays as short as it
# was when it gathered for 50 ms.
MARKS_PER_ROUND = 16

# Completion steps by name: `fn(ctx, sent, **hook_args)`, run in a unit of work of their own;
# and what some make before it, outside any transaction: `prepare(ctx, sent, **hook_args)`.
HOOKS: dict[str, Callable[..., None]] = {}
PREPARES: dict[str, Callable[..., Any]] = {}


def after_sending(name: str, prepare: Callable[..., Any] | None = None) -> Callable[[F], F]:
    """Register a completion step under `name` (a capability's, e.g. "drafting.session_posted"),
    and what it needs made before its transaction (`prepare`: it is then called with
    `prepared=` what that returned)."""

    def register(fn: F) -> F:
        if HOOKS.get(name, fn) is not fn:
            raise ValueError(f"completion step {name} is registered twice")
        HOOKS[name] = fn
        if prepare is not None:
            PREPARES[name] = prepare
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
class Sent:
    """What a completion step is told: whether Slack made the call, and what it answered."""

    ok: bool
    error: str = ""
    channel: str | None = None
    ts: str | None = None
    permalink: str | None = None
    users: tuple[str, ...] = ()  # a user group's members (`Outgoing.usergroup_members`)
    # A role's contact as Slack says it (`Outgoing.look_up_contact`, `contact_lookup.read_contact`).
    contact: dict[str, str] = field(default_factory=dict)
    # A person as Slack says it (`Outgoing.look_up_person`: `kit.lookup.SlackUser`'s fields).
    person: dict[str, str] = field(default_factory=dict)

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
            tuple(str(u) for u in outcome.get("users") or ()),
            {str(k): str(v) for k, v in (outcome.get("contact") or {}).items()},
            {str(k): str(v) for k, v in (outcome.get("person") or {}).items()},
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
        self.wake: Callable[..., None] = lambda poll=False, full=False: None
        self._lock = threading.Lock()
        self._sent: dict[int, Queued] = {}  # made, not yet marked sent in the database

    # -- writing --------------------------------------------------------------------------
    def store(
        self,
        session: Any,
        letters: list[Letter],
        *,
        request: int | None,
        claim: str,
        finishing: Finishing | None = None,
    ) -> list[Queued]:
        """Write `letters` in the caller's transaction, claimed by `claim` for the fast path;
        with `finishing`, the request's done mark too (`outbox.write`)."""
        conversations = {letter.conversation for letter in letters}
        with self._lock:  # rows of these conversations Slack has, not yet marked sent
            made = {
                row_id
                for row_id, row in self._sent.items()
                if row.letter.conversation in conversations
            }
        return outbox.write(
            session,
            letters,
            request=request,
            claimant=self.claimant,
            claim=claim,
            now=self.clock.now(),
            made=made,
            finishing=finishing,
        )

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
                full = len(self._sent) >= MARKS_PER_ROUND
            # The background loop records it, with others, in one transaction; at once when
            # that many wait (a long one would hold SQLite's writer turn from the acks).
            self.wake(full=full)
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
        with self._lock:
            rows = list(self._sent.values())
        if not rows:
            return False
        followed = self._quietly(
            lambda connection: outbox.sent(connection, rows, self.clock.now()),
            "record sent rows",
            bare=True,
        )
        if followed is not None:
            with self._lock:
                for row in rows:
                    self._sent.pop(row.id, None)
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

    def _quietly(self, work: Callable[[Any], Any], what: str, bare: bool = False) -> Any:
        """Work on the outbox's own rows in a transaction; a database failure is logged (the
        rows then wait for their lease to run out) and None returned. `bare`: the work is
        given a connection (`Database.one_statement`: on PostgreSQL in autocommit, so the
        work must be one statement there, as `outbox.sent` is), not a session."""
        try:
            with self.db.one_statement() if bare else self.db.session() as within:
                result = work(within)
            return True if result is None else result
        except Exception:
            log.exception("outbox: could not %s", what)
            return None
