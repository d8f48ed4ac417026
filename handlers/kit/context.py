"""What every listener gets for its request: who asks, in which language, one unit of work,
and the ways to talk to Slack.

A listener's database work runs in one transaction, `ctx.unit_of_work()`; inner calls of it
join the open one, so helpers may ask for it freely and the listener still commits once. A
second transaction is opened only where a commit must come before a Slack call (the code says
so there). `ctx.retrying(work)` runs work that races with other writers (drafting replies) in
a transaction of its own, again from a fresh read when a concurrent write got in the way.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cached_property
from typing import Any, TypeVar

from slack_bolt import App, BoltContext
from slack_sdk import WebClient

from bot import directory, people, threads
from bot.profiles import Profile, cached_profile, store_profile
from bot.settings import Settings
from bot.storage import Database, Session
from bot.storage.transactions import in_transaction
from bot.vocabulary import Language, language_of_locale
from handlers.kit import mrkdwn
from handlers.kit.catalogue import plain, say
from handlers.kit.incoming import clean_request
from handlers.kit.mrkdwn import Mrkdwn
from handlers.kit.slack import Lookup, Outgoing

KEY = "policybot"
T = TypeVar("T")

# The catalogue key of each role's name.
ROLE_NAMES = {
    people.ADMIN: "role.admin",
    people.COMMS_LEAD: "role.comms_lead",
    people.WORKING_GROUP: "role.working_group",
    people.EMPLOYEE: "role.employee",
}


@dataclass(frozen=True)
class Services:
    """What the app factory hands every request: built once per process."""

    settings: Settings
    db: Database


class _Work:
    """The open unit of work of one request, shared by the contexts made for other people."""

    session: Session | None = None


class RequestContext:
    """One request, for one person (`user_id`)."""

    def __init__(
        self,
        services: Services,
        client: WebClient,
        user_id: str | None,
        *,
        response_url: str | None = None,
    ) -> None:
        self.services = services
        self.user_id = user_id
        self.slack = Outgoing(client, response_url)
        self.lookup = Lookup(client)
        self._work = _Work()
        self._threads: dict[tuple[str, str | None], str | None] = {}

    @property
    def settings(self) -> Settings:
        return self.services.settings

    @property
    def db(self) -> Database:
        return self.services.db

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
    @contextmanager
    def unit_of_work(self) -> Iterator[Session]:
        """The request's transaction: committed when the outermost block ends, rolled back
        if it raises. Inside an open one, the same session."""
        if self._work.session is not None:
            yield self._work.session
            return
        with self.db.session() as session:
            self._work.session = session
            try:
                yield session
            finally:
                self._work.session = None

    def retrying(self, work: Callable[[Session], T]) -> T:
        """`work` in a transaction of its own, tried again from a fresh read when a
        concurrent writer got in the way; it must not call Slack (it may run twice)."""
        if self._work.session is not None:
            raise RuntimeError("retrying() inside an open unit of work could not retry it")

        def attempt(session: Session) -> T:
            self._work.session = session
            try:
                return work(session)
            finally:
                self._work.session = None

        return in_transaction(self.db, attempt)

    # -- who asks ---------------------------------------------------------------------------
    @cached_property
    def profile(self) -> Profile | None:
        """What Slack says of the asker (`users.info`), cached in the database with an expiry:
        their language, name and own work contact details. None without a user."""
        if not self.user_id:
            return None
        with self.unit_of_work() as session:
            profile = cached_profile(session, self.user_id)
            if profile is not None:
                return profile
            found = self.lookup.user(self.user_id)
            if found is None:  # Slack would not say: remember that, so we don't ask each time
                store_profile(session, self.user_id, None, None, None)
                return Profile(self.user_id, None, None)
            locale = found.locale
            language = language_of_locale(locale, self.settings.language) if locale else None
            store_profile(
                session, self.user_id, locale, language, found.name,
                phone=found.phone, email=found.email,
            )  # fmt: skip
            return Profile(self.user_id, language, found.name, found.phone, found.email)

    @property
    def lang(self) -> Language:
        """The asker's language: their Slack locale (cached in the database), else the default."""
        profile = self.profile
        return (profile.language if profile else None) or self.settings.language

    @property
    def own_contacts(self) -> tuple[str, ...]:
        """The asker's own work phone and e-mail, from their Slack profile."""
        profile = self.profile
        return profile.own_contacts if profile else ()

    def thread_kind(self, channel: str, thread_ts: str | None) -> str | None:
        """Whose thread a message is in (`bot.threads`), looked up once per request however
        many listeners' matchers ask."""
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


def install(app: App, services: Services) -> None:
    """Clean what every request brings (`incoming.clean_request`), then attach a
    RequestContext to it."""
    app.middleware(clean_request)

    @app.middleware
    def attach_context(context: BoltContext, body: dict[str, Any], next: Any) -> Any:  # noqa: A002
        response_url = body.get("response_url") or context.response_url
        context[KEY] = RequestContext(
            services, context.client, context.user_id, response_url=response_url
        )
        return next()
