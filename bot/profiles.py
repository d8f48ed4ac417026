"""Cached facts about users (language, display name, their own work phone and e-mail), kept in
the database with an expiry."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import cast

from sqlalchemy import Table, bindparam, select
from sqlalchemy.orm import Session

from bot.storage import not_the_work, utcnow
from bot.storage.changes import RowCache
from bot.storage.models.slack_cache import UserProfile
from bot.storage.prepared import Prepared
from bot.storage.writes import upsert
from bot.vocabulary import Language, language_or

PROFILE_TTL = timedelta(hours=24)


@dataclass(frozen=True)
class Profile:
    user_id: str
    language: Language | None  # None: Slack did not say (no locale, or not ours)
    display_name: str | None
    phone: str | None = None  # their own work contact details, from their Slack profile:
    email: str | None = None  # not someone else's personal data when they mention them

    @property
    def own_contacts(self) -> tuple[str, ...]:
        return tuple(c for c in (self.phone, self.email) if c)


# The stored profiles as last read or written (with when Slack was asked), by user id: kept in
# memory until any instance stores that person's profile (bot.storage.changes, `BY_KEY`).
_stored: RowCache[str, tuple[Profile, datetime] | None] = RowCache("user_profiles", size=10_000)
_PROFILES = cast(Table, UserProfile.__table__)
# A person's first question since the cache was last emptied reads their row: a prepared
# SELECT of the columns it needs (`bot.storage.prepared`), not the ORM's `Session.get`, whose
# identity map and object loading were a tenth of a DM's CPU when the asker was not cached
# (py-spy on live workers, DMs one at a time from people who had asked before).
_PROFILE = Prepared(
    select(
        _PROFILES.c.language,
        _PROFILES.c.display_name,
        _PROFILES.c.phone,
        _PROFILES.c.email,
        _PROFILES.c.fetched_at,
    ).where(_PROFILES.c.user_id == bindparam("b_user"))
)


def cached_profile(session: Session, user_id: str) -> Profile | None:
    """The stored profile if it is still fresh, else None (the caller looks it up again)."""

    def load() -> tuple[Profile, datetime] | None:
        row = _PROFILE.first(session.connection(), {"b_user": user_id})
        if row is None:
            return None
        language_code, display_name, phone, email, fetched_at = row
        language = language_or(language_code, "en") if language_code else None
        return Profile(user_id, language, display_name, phone, email), fetched_at

    stored = _stored.get(session, user_id, load)
    if stored is None or utcnow() - stored[1] > PROFILE_TTL:
        return None
    return stored[0]


def store_profile(
    session: Session,
    user_id: str,
    locale: str | None,
    language: Language | None,
    name: str | None,
    *,
    phone: str | None = None,
    email: str | None = None,
) -> None:
    fetched_at = utcnow()
    upsert(
        session,
        UserProfile,
        ["user_id"],
        user_id=user_id,
        locale=locale,
        language=language,
        display_name=name,
        phone=phone,
        email=email,
        fetched_at=fetched_at,
    )
    # As `cached_profile`'s load would read it back: this instance needs no SELECT for it.
    kept = language_or(language, "en") if language else None
    _stored.remember(session, user_id, (Profile(user_id, kept, name, phone, email), fetched_at))


def keep_looked_up(
    session: Session,
    user_id: str,
    locale: str | None,
    language: Language | None,
    name: str | None,
    *,
    phone: str | None = None,
    email: str | None = None,
) -> None:
    """What Slack said of a person, kept as a cache in the open unit of work: not the
    request's own change (`not_the_work`), so a request that only read and looked someone up
    is not marked done before it answers, which would then be said after the mark's commit."""
    with not_the_work(session):
        store_profile(session, user_id, locale, language, name, phone=phone, email=email)


def set_language(session: Session, user_id: str, language: Language) -> None:
    """An explicit choice (the shell's `\\lang`): stored like a fresh lookup, name kept."""
    row = session.get(UserProfile, user_id)
    store_profile(
        session,
        user_id,
        row.locale if row else None,
        language,
        row.display_name if row else None,
        phone=row.phone if row else None,
        email=row.email if row else None,
    )


def forget(session: Session, user_id: str) -> None:
    """Drop the cached profile: the next request looks the user up again (the shell's
    `\\contact`, after the person changed their Slack profile)."""
    row = session.get(UserProfile, user_id)
    if row is not None:
        session.delete(row)
        _stored.remember(session, user_id, None)  # what its load reads now: no row
