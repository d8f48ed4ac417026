"""The requests this instance is working on: which inbox record each runs under, whether it
has been acknowledged, and whether the person has heard anything yet.

`Flight` is the process-wide register. The background loop renews the leases of what is in
flight (so no other instance takes it over), tells people whose answer is slow that the bot
is working on it, and marks records done that needed no transaction of their own.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from slack_bolt import Ack

from bot.clock import Clock
from bot.inbox import Claim
from bot.outbox import Queued
from bot.vocabulary import Language
from handlers.kit.catalogue import say
from handlers.kit.courier import RESPOND, reply_now
from handlers.kit.languages import known_language

log = logging.getLogger(__name__)
WORKING_AFTER = timedelta(seconds=2)  # Slack gives up on an answer after three
WORKING, NOT_POSTED = "delivery.working", "delivery.not_posted"
INTERACTIVE = ("command", "action", "shortcut", "view")


@dataclass(eq=False)
class Request:
    """One request from Slack, from its intake to the end of its listener."""

    claim: Claim | None
    kind: str
    user: str | None
    received: datetime
    response_url: str | None = None
    default_language: Language = "nl"
    api_url: str = ""  # the Web API's: where a response_url may be, besides Slack's hooks
    ack: Ack | None = None  # Bolt's, once the listener has one
    done: bool = False  # its inbox record is marked done (in a committed transaction)
    failed: bool = False  # its listener failed: the record is marked failed, not done
    after_ack: list[Queued] = field(default_factory=list)  # committed before the ack
    answered: bool = False  # something of its answer reached Slack
    told_working: bool = False
    told_refused: bool = False
    _sending: threading.Lock = field(default_factory=threading.Lock)

    @property
    def interactive(self) -> bool:
        """Someone waits for the answer (not an event: those are answered in a post)."""
        return self.kind in INTERACTIVE

    def acknowledged(self) -> bool:
        return self.ack is None or self.ack.response is not None

    # -- the outbox's watcher -------------------------------------------------------------
    def sending(self) -> threading.Lock:
        return self._sending

    def delivered(self, row: Queued) -> None:
        self.answered = True

    def deferred(self, row: Queued) -> None:
        """Slack refused part of the answer for now: the person hears it is on its way."""
        self.say_working()

    def refused(self, row: Queued) -> None:
        """Slack refused part of the answer for good (the channel is gone, the bot not in
        it): the work is done, and the person hears that its result could not be shown."""
        if row.letter.kind != RESPOND and not self.told_refused:
            self.told_refused = True
            self._say(NOT_POSTED, wait=False)

    def say_working(self, *, wait: bool = True) -> bool:
        """Tell the person, through the response_url, that the answer is on its way; once,
        and only before anything of the answer has arrived."""
        if not self.response_url or self.answered or self.told_working:
            return False
        if not self._sending.acquire(blocking=wait):
            return False  # the answer is being sent at this moment
        try:
            if self.answered or self.told_working:
                return False
            self.told_working = True
            return self._say(WORKING, wait=False)
        finally:
            self._sending.release()

    def _say(self, key: str, *, wait: bool) -> bool:
        """A note to the person through the response_url, at once, without the database."""
        if not self.response_url:
            return False
        lang = known_language(self.user, self.default_language)
        outcome = reply_now(self.response_url, str(say(lang, key)), self.api_url)
        if not outcome.ok:
            log.info("could not tell the person (%s): %s", key, outcome.error)
        return outcome.ok


class Flight:
    """What this instance is working on, and what is left for the background loop."""

    def __init__(self, clock: Clock) -> None:
        self.clock = clock
        self.wake: Callable[..., None] = lambda poll=False: None  # rings the background loop
        self._lock = threading.Lock()
        self._running: set[Request] = set()
        self._finished: list[tuple[Claim, bool]] = []  # done (or failed) without a transaction
        self._abandoned: list[Claim] = []  # told to try again: never to be run
        self._again: list[Claim] = []  # lost a race: to be run again at once

    def started(self, request: Request) -> None:
        with self._lock:
            self._running.add(request)

    def ended(self, request: Request) -> None:
        with self._lock:
            self._running.discard(request)

    def claims(self) -> list[Claim]:
        with self._lock:
            return [r.claim for r in self._running if r.claim is not None and not r.done]

    def finish_later(self, claim: Claim, *, failed: bool = False) -> None:
        with self._lock:
            self._finished.append((claim, failed))
        self.wake()

    def abandon(self, claim: Claim) -> None:
        """A request the person was told to try again (the database failed under it): its
        record is marked failed as soon as the database is back, never run again."""
        with self._lock:
            self._abandoned.append(claim)
        self.wake()

    def run_again(self, claim: Claim) -> None:
        """A request whose transaction lost a race (and rolled back): its record is run
        again, from a fresh read, by the background loop."""
        with self._lock:
            self._again.append(claim)
        self.wake(poll=True)

    def take_finished(self) -> tuple[list[tuple[Claim, bool]], list[Claim], list[Claim]]:
        with self._lock:
            finished, self._finished = self._finished, []
            abandoned, self._abandoned = self._abandoned, []
            again, self._again = self._again, []
        return finished, abandoned, again

    def put_back(
        self, finished: list[tuple[Claim, bool]], abandoned: list[Claim], again: list[Claim]
    ) -> None:
        with self._lock:
            self._finished[:0] = finished
            self._abandoned[:0] = abandoned
            self._again[:0] = again

    def slow(self) -> list[Request]:
        """Interactive requests still running after WORKING_AFTER with nothing said yet."""
        now = self.clock.now()
        with self._lock:
            return [
                r
                for r in self._running
                if r.interactive
                and r.response_url
                and not (r.answered or r.told_working)
                and now - r.received >= WORKING_AFTER
            ]

    def running(self) -> int:
        with self._lock:
            return len(self._running)
