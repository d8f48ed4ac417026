"""Cached facts about users (language, display name), kept in the database with an expiry."""

from __future__ import annotations

from datetime import timedelta

from bot.storage import Database, utcnow
from bot.storage.models.slack_cache import UserProfile

PROFILE_TTL = timedelta(hours=24)


def cached_profile(db: Database, user_id: str) -> UserProfile | None:
    """The stored profile if it is still fresh, else None (the caller looks it up again)."""
    with db.session() as session:
        profile = session.get(UserProfile, user_id)
        if profile is None or utcnow() - profile.fetched_at > PROFILE_TTL:
            return None
        session.expunge(profile)
        return profile


def store_profile(
    db: Database, user_id: str, locale: str | None, language: str | None, name: str | None
) -> None:
    with db.session() as session:
        profile = session.get(UserProfile, user_id) or UserProfile(user_id=user_id)
        profile.locale, profile.language, profile.display_name = locale, language, name
        profile.fetched_at = utcnow()
        session.merge(profile)


def set_language(db: Database, user_id: str, language: str) -> None:
    """An explicit choice (the shell's `\\lang`): stored like a fresh lookup."""
    with db.session() as session:
        profile = session.get(UserProfile, user_id) or UserProfile(user_id=user_id)
        profile.language, profile.fetched_at = language, utcnow()
        session.merge(profile)
