"""What Slack said of a person (`users.info`, or the person a sent message came back with),
kept as their profile: stored with an expiry (`bot.profiles`), their language read from
their locale."""

from __future__ import annotations

from collections.abc import Mapping

from bot.profiles import Profile, keep_looked_up
from bot.storage import Session
from bot.vocabulary import Language, language_of_locale
from handlers.kit.slack import SlackUser


def kept_profile(
    session: Session, user_id: str, found: SlackUser | None, default: Language
) -> Profile:
    """The profile Slack gave, stored with an expiry; a locale we do not speak reads as
    `default`."""
    if found is None:  # Slack would not say: remember that, so we don't ask each time
        keep_looked_up(session, user_id, None, None, None)
        return Profile(user_id, None, None)
    locale = found.locale
    language = language_of_locale(locale, default) if locale else None
    keep_looked_up(
        session, user_id, locale, language, found.name,
        phone=found.phone, email=found.email,
    )  # fmt: skip
    return Profile(user_id, language, found.name, found.phone, found.email)


def slack_user_of(person: Mapping[str, str]) -> SlackUser | None:
    """The person `Outgoing.look_up_person` returned (`Sent.person`); empty: Slack would not
    say."""
    if not person.get("id"):
        return None
    get = person.get
    return SlackUser(person["id"], get("locale"), get("name"), get("phone"), get("email"))
