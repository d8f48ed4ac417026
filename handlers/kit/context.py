"""What every listener gets for its request: who asks, in which language, one unit of work,
and the ways to talk to Slack.

A listener's database work runs in one transaction, `ctx.unit_of_work()`; inner calls of it
join the open one, so helpers may ask for it freely and the listener still commits once.
`ctx.retrying(work)` runs work that races with other writers (drafting replies) in a
transaction of its own, again from a fresh read when a concurrent write got in the way.

The unit of work is also the request's record: what the listener says through `ctx.slack`
is written to the outbox in it, and the first one that changes anything marks the request's
inbox record done, in the same commit (`bot.inbox.finish`). Right after the commit the same
thread sends what it wrote (once the request is acknowledged: a modal's answer never waits
on Slack). Writes outside a unit of work wait for the next one, or for the listener's end
(`finish`), which then records them with the done mark; a listener that changed nothing is
marked done by the background loop (`Flight.finish_later`).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from enum import Enum
from typing import Any, TypeVar

from slack_bolt import BoltContext
from slack_sdk import WebClient

from bot import directory, inbox, people, threads
from bot.clock import using
from bot.outbox import Letter, Queued
from bot.profiles import Profile, cached_profile
from bot.settings import Settings
from bot.storage import Database, Session, wrote
from bot.storage.transactions import retried
from bot.vocabulary import Language, is_language
from handlers.kit import courier, mrkdwn
from handlers.kit.catalogue import plain, say
from handlers.kit.kept_profiles import kept_profile, slack_user_of
from handlers.kit.languages import known_language, remember_language
from handlers.kit.mrkdwn import Mrkdwn
from handlers.kit.requests import Request
from handlers.kit.services import Services
from handlers.kit.slack import Lookup, Outgoing, SlackUser

KEY = "policybot"
REQUEST = "policybot.request"  # the kit's `Request`, put in Bolt's context at intake
T = TypeVar("T")
log = logging.getLogger(__name__)

# The catalogue key of each role's name.
ROLE_NAMES = {
    people.ADMIN: "role.admin",
    people.COMMS_LEAD: "role.comms_lead",
    people.WORKING_GROUP: "role.working_group",
    people.EMPLOYEE: "role.employee",
}


class Phase(Enum):
    """Where a request stands, for whether Slack may be asked now (`RequestContext.phase`):
    one state, so "before the ack" and "Slack would make others wait" cannot disagree."""

    # Someone waits for the acknowledgement, not given yet (a modal's submission, a button
    # before its `ack()`): nothing may ask Slack, the stored profile or nothing.
    AWAITING_ACK = "awaiting_ack"
    # Acknowledged, the unit of work open: on SQLite its writes hold the one writer's turn,
    # and every other request's write, an ack's too, would wait for Slack's answer. Slack is
    # asked only where a caller asks for what nothing else can give (`profile`).
    IN_TRANSACTION = "in_transaction"
    # Neither: Slack may be asked.
    FREE = "free"


class _Work:
    """The unit of work of one request, shared by the contexts made for other people."""

    def __init__(self, request: Request | None) -> None:
        self.request = request
        self.session: Session | None = None
        self.letters: list[Letter] = []  # written in the open transaction
        self.loose: list[Letter] = []  # written outside one: for the next
        self.heard: Mapping[str, SlackUser | None] = {}  # Slack's, asked before (`kit.people`)


class RequestContext:
    """One request, for one person (`user_id`)."""

    def __init__(
        self,
        services: Services,
        client: WebClient,
        user_id: str | None,
        *,
        response_url: str | None = None,
        request: Request | None = None,
    ) -> None:
        self.services = services
        self.user_id = user_id
        self.slack = Outgoing(self._write, client, response_url)
        self.lookup = Lookup(client)
        self._work = _Work(request)
        self._profile: Profile | None = None
        self._spoken: Language | None = None
        self._remembered: Language | None = None  # what `lang` last put in memory
        self._stored_looked_at = False  # the stored profile was read (`_stored_profile`): once
        self._slack_said: tuple[SlackUser | None] | None = None  # `know_profile`'s, to keep
        self._threads: dict[tuple[str, str | None], str | None] = {}

    @property
    def settings(self) -> Settings:
        return self.services.settings

    @property
    def db(self) -> Database:
        return self.services.db

    @property
    def request(self) -> Request | None:
        """The request from Slack this context serves (None in a completion step)."""
        return self._work.request

    @property
    def actor(self) -> str:
        """Who is acting, as the audit trail records it."""
        return self.user_id or ""

    def for_user(self, user_id: str) -> RequestContext:
        """The same request, on behalf of another person (their roles and language)."""
        if user_id == self.user_id:
            return self
        other = RequestContext(
            self.services, self.slack.client, user_id, response_url=self.slack.response_url
        )
        other._work = self._work
        return other

    # -- the unit of work -------------------------------------------------------------------
    def _write(self, letter: Letter) -> None:
        work = self._work
        (work.letters if work.session is not None else work.loose).append(letter)

    @contextmanager
    def unit_of_work(self) -> Iterator[Session]:
        """The request's transaction: committed when the outermost block ends, rolled back
        if it raises. Inside an open one, the same session. Its commit carries what the
        listener said to Slack (the outbox) and, when it changed anything, the request's done
        mark; what it said is sent right after."""
        work = self._work
        if work.session is not None:
            yield work.session
            return
        earlier, work.loose = work.loose, []
        marked = False
        try:
            with using(self.services.clock), self.db.session() as session:
                work.session, work.letters = session, list(earlier)
                try:
                    yield session
                    queued, marked = self._seal(session)
                finally:
                    work.session, work.letters = None, []
        except BaseException:
            work.loose = earlier + work.loose  # not said yet: they go with the next one
            if self._slack_said is not None:  # Slack's profile, kept in it: keep it again
                self._profile = None
            raise
        if marked and work.request is not None:
            work.request.done = True
        self._sent_after_commit(queued)

    def _seal(self, session: Session) -> tuple[list[Queued], bool]:
        """Before the commit: the outbox rows, and the done mark of a request that changed
        something now (raises inbox.AlreadyDone when another run has finished it)."""
        work, request = self._work, self._work.request
        claim = request.claim if request is not None else None
        token = claim.token if claim is not None else inbox.new_token()
        finishing = None
        # A read-only request has no effects to record with its done mark.
        if claim and request and not request.done and (work.letters or wrote(session)):
            finishing = inbox.Finishing(claim, self.services.clock.now(), request.failed)
        # What it says and its done mark are written together (on PostgreSQL one statement
        # for an answer's one letter).
        record = claim.record if claim else None
        queued = self.services.outbox.store(
            session, work.letters, request=record, claim=token, finishing=finishing
        )
        if request is not None and request.done and queued:
            log.warning(
                "a request spoke after its work had committed: sent on its own", stack_info=True
            )
        return queued, finishing is not None

    def _sent_after_commit(self, queued: list[Queued]) -> None:
        if not queued:
            return
        request = self._work.request
        if request is not None and not request.acknowledged():
            request.after_ack.extend(queued)  # a modal waits for its answer: Slack can wait
            return
        self.services.outbox.send(queued, request)

    def retrying(self, work: Callable[[Session], T]) -> T:
        """`work` in a transaction of its own, tried again from a fresh read when a
        concurrent writer got in the way. What it says to Slack goes out once, after the
        commit that counted (a failed attempt's letters roll back with it)."""
        if self._work.session is not None:
            raise RuntimeError("retrying() inside an open unit of work could not retry it")

        def attempt() -> T:
            with self.unit_of_work() as session:
                return work(session)

        return retried(attempt)

    def progress(self, text: Mrkdwn) -> None:
        """A note that the answer is on its way (a slow export), in place of the generic "working
        on it": sent at once by response_url, not recorded (lost, the answer still comes)."""
        request = self._work.request
        url = self.slack.response_url
        if not url:
            return
        if request is not None:
            request.told_working = True
        delivered = courier.reply_now(url, str(text), self.slack.client.base_url)
        if not delivered.ok:
            log.info("progress note not sent: %s", delivered.error)

    def at_once(self, note: Callable[[], object]) -> None:
        """Run `note`, a courtesy ("working on it") whose writes are made at once, not recorded."""
        request = self._work.request
        if request is not None:
            request.told_working = True
        with self.slack.at_once():
            note()

    def forget_unsaid(self) -> None:
        """Drop what was written outside a unit of work (the request is given up)."""
        self._work.loose = []

    def finish(self) -> None:
        """The listener has returned (or failed, and been answered): what it said outside a
        unit of work is recorded with the done mark; what waited for the ack is sent."""
        work, request = self._work, self._work.request
        if work.loose:
            with self.unit_of_work():
                pass
        elif request is not None and request.claim is not None and not request.done:
            self.services.flight.finish_later(request.claim, failed=request.failed)
            request.done = True
        if request is not None and request.after_ack:
            waiting, request.after_ack = request.after_ack, []
            self.services.outbox.send(waiting, request)

    # -- who asks ---------------------------------------------------------------------------
    @property
    def profile(self) -> Profile | None:
        """What Slack says of the asker (`users.info`), cached in the database with an expiry:
        their language, name and own work contact details. None without a user. (Not a
        functools.cached_property: before Python 3.12 that holds one lock for every instance
        while it computes, and this computation waits on the database, so two requests could
        each hold what the other waits for.)"""
        if not self.user_id:
            return None
        if self._profile is None:
            if self.phase is Phase.AWAITING_ACK:  # stored or nothing: the ack waits on no Slack
                return self._stored_profile()
            if self._slack_said is None and self.user_id in self._work.heard:
                self._slack_said = (self._work.heard[self.user_id],)
            if self._slack_said is None:
                self._profile = self._look_up_profile(self.user_id)
                return self._profile
            with self._aside() as session:  # asked before this unit of work: kept in it
                said = self._slack_said[0]
                self._profile = kept_profile(session, self.user_id, said, self.settings.language)
        return self._profile

    def _stored_profile(self) -> Profile | None:
        """The profile stored for this context's person, never Slack's: read once."""
        if self._profile is None and self.user_id and not self._stored_looked_at:
            self._stored_looked_at = True
            with self._aside() as session:
                self._profile = cached_profile(session, self.user_id)
        return self._profile

    @property
    def phase(self) -> Phase:
        """Where this request stands for asking Slack (`Phase`): the ack first, as a modal's
        submission may open a unit of work before it."""
        request = self._work.request
        if request is not None and request.interactive and not request.acknowledged():
            return Phase.AWAITING_ACK
        return Phase.FREE if self._work.session is None else Phase.IN_TRANSACTION

    def know_profile(self) -> None:
        """The profile asked of Slack if not stored, before a unit of work (which keeps it)."""
        if self.phase is Phase.FREE and self.user_id and not (self._profile or self._slack_said):
            if self._stored_looked_at:  # found not stored (`profile_known`): Slack only
                self._slack_said = (self.lookup.user(self.user_id),)
            else:
                _ = self.profile

    def profile_known(self) -> bool:
        """Stored or asked already; if not, a unit of work ends before it writes (`answers`)."""
        said = self._slack_said is not None or self.user_id in self._work.heard
        return not self.user_id or said or bool(self._stored_profile())

    def hear(self, said: Mapping[str, SlackUser | None]) -> None:
        """What Slack said of people, asked outside a unit of work (`kit.people`): kept for
        the request's next ones, with what it said before."""
        self._work.heard = {**self._work.heard, **said}

    def within_unit_of_work(self) -> bool:
        """Whether the request's unit of work is open (`kit.outside`: an errand met in it is
        then for the `first_outside` that opened it)."""
        return self._work.session is not None

    def _look_up_profile(self, user_id: str) -> Profile:
        """The stored profile, else Slack's, between two transactions (or in the open one)."""
        with self._aside() as session:
            profile = cached_profile(session, user_id)
        if profile is not None:
            return profile
        found = self.lookup.user(user_id)
        with self._aside() as session:
            return kept_profile(session, user_id, found, self.settings.language)

    def learn_profile(self, person: Mapping[str, str]) -> None:
        """What Slack said of this context's person after the ack (`Sent.person`, from
        `Outgoing.look_up_person`; empty: Slack would not say), kept as `users.info` would
        have been: in the unit of work, and as this request's profile."""
        if not self.user_id:
            return
        found = slack_user_of(person)
        with self.unit_of_work() as session:
            self._profile = kept_profile(session, self.user_id, found, self.settings.language)

    def speak(self, language: str | None) -> None:
        """Answer the rest of this request in `language` (the language the person asked in,
        `bot.asking.language`, or a question's as recorded); None, or a language we do not
        speak, keeps their locale's."""
        if is_language(language):
            self._spoken = language

    @property
    def lang(self) -> Language:
        """The asker's language: the one they asked in (`speak`), else their Slack locale
        (cached in the database), else the default; remembered in memory too, for answers
        when the database is down. Before the ack, when their profile is not stored (Slack
        is not asked then, `Phase.AWAITING_ACK`): the language this instance last spoke with
        them, else the workspace's (`POLICYBOT_LANGUAGE`); `known_lang` tells which it was."""
        if self._spoken is not None:
            language: Language = self._spoken
        else:
            profile = self.profile
            if profile is None and self.phase is Phase.AWAITING_ACK:  # a guess: not remembered
                return known_language(self.user_id, self.settings.language)
            language = (profile.language if profile else None) or self.settings.language
        if self.user_id and language != self._remembered:  # once per request and language
            remember_language(self.user_id, language)
            self._remembered = language
        return language

    @property
    def known_lang(self) -> Language | None:
        """`lang` when it is the person's own (asked in, or their stored profile's); None when
        only Slack could say it and Slack may not be asked now (`phase`: before the ack, or
        inside the open unit of work) and their profile is not stored: then a message for
        them is made once Slack has said, by a step after the commit (`look_up_person`)."""
        waits = self.user_id and self._spoken is None and self.phase is not Phase.FREE
        return None if waits and self._stored_profile() is None else self.lang

    @property
    def own_contacts(self) -> tuple[str, ...]:
        """The asker's own work phone and e-mail, from their Slack profile."""
        profile = self.profile
        return profile.own_contacts if profile else ()

    @contextmanager
    def _aside(self) -> Iterator[Session]:
        """The open unit of work, else a transaction of a cache's own: what it writes (a
        profile looked up) is not the request's work, and does not mark the request done."""
        if self._work.session is not None:
            yield self._work.session
            return
        with using(self.services.clock), self.db.session() as session:
            yield session

    def thread_kind(self, channel: str, thread_ts: str | None) -> str | None:
        """Whose thread a message is in (`bot.threads`): looked up once per request, by any."""
        key = (channel, thread_ts)
        if key not in self._threads:
            with self.unit_of_work() as session:
                self._threads[key] = threads.thread_kind(session, channel, thread_ts)
        return self._threads[key]

    def known_people(self, texts: Iterable[str]) -> frozenset[str]:
        """Of the `@U123` references in `texts`, the people the bot has met: those
        `mrkdwn.shown` may turn into mentions."""
        refs = mrkdwn.user_refs(texts)
        if not refs:
            return frozenset()
        with self.unit_of_work() as session:
            return frozenset(directory.known_people(session, refs))

    def has_role(self, role: str) -> bool:
        if not self.user_id:
            return False
        with self.unit_of_work() as session:
            return people.has_role(session, self.settings.admins, self.user_id, role)

    # -- words ------------------------------------------------------------------------------
    def t(self, key: str, **values: Any) -> Mrkdwn:
        """Message `key` in the asker's language, values escaped (see `catalogue.say`)."""
        return say(self.lang, key, **values)

    def plain(self, key: str, **values: Any) -> str:
        """Message `key` for a plain_text field (a label, a button)."""
        return plain(self.lang, key, **values)

    def role_name(self, role: str) -> str:
        return self.plain(ROLE_NAMES[role])


def request_context(context: BoltContext) -> RequestContext:
    found = context[KEY]
    assert isinstance(found, RequestContext)
    return found
