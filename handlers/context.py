"""Per-request facts every listener needs: settings, database, who asks, and in which language."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from slack_bolt import BoltContext
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot import people
from bot.i18n import t
from bot.profiles import cached_profile, store_profile
from bot.settings import Settings
from bot.storage import Database
from bot.vocabulary import language_of_locale

log = logging.getLogger(__name__)
KEY = "policybot"


@dataclass(frozen=True)
class Services:
    """What the app factory hands every request: built once per process."""

    settings: Settings
    db: Database


@dataclass
class RequestContext:
    services: Services
    client: WebClient
    user_id: str | None
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def settings(self) -> Settings:
        return self.services.settings

    @property
    def db(self) -> Database:
        return self.services.db

    @cached_property
    def lang(self) -> str:
        """The asker's language: their Slack locale (cached in the database), else the default."""
        fallback = self.settings.language
        if not self.user_id:
            return fallback
        profile = cached_profile(self.db, self.user_id)
        if profile is not None:
            return profile.language or fallback
        locale = name = None
        try:
            info = self.client.users_info(user=self.user_id, include_locale=True)
            user = info.get("user") or {}
            locale = user.get("locale")
            name = (user.get("profile") or {}).get("display_name") or user.get("name")
        except SlackApiError as error:  # unknown user, missing scope: fall back, don't fail
            log.info("users.info for %s failed: %s", self.user_id, error.response.get("error"))
        language = language_of_locale(locale, fallback) if locale else None
        store_profile(self.db, self.user_id, locale, language, name)
        return language or fallback

    def t(self, key: str, **values: Any) -> str:
        return t(self.lang, key, **values)

    def has_role(self, role: str) -> bool:
        if not self.user_id:
            return False
        with self.db.session() as session:
            return people.has_role(session, self.settings.admins, self.user_id, role)

    def role_name(self, role: str) -> str:
        return self.t(f"role.{role}")


def request_context(context: BoltContext) -> RequestContext:
    return context[KEY]


def install(app: Any, services: Services) -> None:
    """Attach a RequestContext to every request Bolt dispatches."""

    @app.middleware
    def attach_context(context: BoltContext, next: Any) -> Any:  # noqa: A002 (Bolt's name)
        context[KEY] = RequestContext(services, context.client, context.user_id)
        return next()
