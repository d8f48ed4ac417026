"""What an export is made from: the policy, whose it is, (for the draft) the contributions,
and the names of every Slack id it mentions.

The policy is the `policybot/1` dict, not the typed document, because a draft is exported
while it is still incomplete (a role without contact, no `default` yet) and people need to
read it exactly then. An adopted version is always complete.

Names come from the directory (`bot.directory`); a caller that can reach Slack passes a
`NameResolver`, which is asked for the ids nobody knows yet (or whose names are stale).
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.dates import local_date
from bot.directory import NameResolver, names_for
from bot.exporting.names import slack_refs
from bot.reviewing.draft import Contributor, contributors, draft_dict
from bot.reviewing.versions import get_version, latest_version, version_contributors
from bot.schedule import DEFAULT_TIMEZONE
from bot.storage.base import utcnow
from bot.storage.models.drafting import Contribution
from bot.vocabulary import Language, language_or

DRAFT = "draft"


class NothingAdopted(LookupError):
    """An export of the latest version was asked for, and no version is adopted yet."""


@dataclass(frozen=True)
class ContributionView:
    section: str
    question: str
    author: str  # the Slack user id; the document shows the name
    text: str
    review: str  # pending | accepted


@dataclass(frozen=True)
class ExportSource:
    policy: dict[str, Any]
    label: str  # "draft" or the version's label
    number: int | None  # the version number; None for the draft
    contributors: list[Contributor]
    contributions: list[ContributionView] = field(default_factory=list)
    # Adopted on, or the draft's today (by the clock of the work under way).
    made_on: dt.date = field(default_factory=lambda: utcnow().date())
    names: Mapping[str, str] = field(default_factory=dict)  # Slack id → name, as far as known
    made_at: dt.datetime = field(default_factory=utcnow)  # when this export was made
    # The organisation's time zone: the times in the document (an approver's) are written in it.
    zone: ZoneInfo = field(default_factory=lambda: ZoneInfo(DEFAULT_TIMEZONE))

    @property
    def is_draft(self) -> bool:
        return self.number is None

    @property
    def language(self) -> Language:
        return language_or(self.policy.get("language"), "en")

    @property
    def organisation(self) -> str:
        return str(self.policy.get("organisation") or "")

    def filename(self, extension: str) -> str:
        """`gemeente-voorbeeld-policy-2026.1.docx`: safe on every file system."""
        slug = _slug(self.organisation) or "policy"
        which = "draft" if self.is_draft else _slug(self.label, keep=".") or str(self.number)
        return f"{slug}-policy-{which}.{extension}"


def _slug(text: str, keep: str = "") -> str:
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(rf"[^a-z0-9{re.escape(keep)}]+", "-", plain.lower()).strip("-")[:60]


def draft_source(
    session: Session,
    fallback_language: str,
    *,
    resolve: NameResolver | None = None,
    zone: ZoneInfo | None = None,
    now: dt.datetime | None = None,
    policy: dict[str, Any] | None = None,
) -> ExportSource:
    """The consolidated draft, with the contributions not (yet) rejected, per section; dated
    today in the organisation's time zone `zone`. `policy`: the draft as it was taken at an
    earlier moment (a sign-off's), in place of the draft as it is now."""
    now = now or utcnow()
    policy = dict(policy) if policy is not None else draft_dict(session, fallback_language)
    people = contributors(session)
    contributions = _contributions(session, policy.get("language") or fallback_language)
    return ExportSource(
        policy=policy,
        label=DRAFT,
        number=None,
        contributors=people,
        contributions=contributions,
        made_on=local_date(now, zone or ZoneInfo(DEFAULT_TIMEZONE)),
        names=_names(session, policy, people, contributions, resolve, now),
        made_at=now,
        zone=zone or ZoneInfo(DEFAULT_TIMEZONE),
    )


def version_source(
    session: Session,
    number: int | None,
    *,
    resolve: NameResolver | None = None,
    now: dt.datetime | None = None,
    zone: ZoneInfo | None = None,
) -> ExportSource:
    """Adopted version `number`, or the latest one for None (NothingAdopted if there is none);
    times written in the organisation's time zone `zone`."""
    if number is None:
        latest = latest_version(session)
        if latest is None:
            raise NothingAdopted()
        number = latest.number
    now = now or utcnow()
    version = get_version(session, number)
    policy = dict(version.document)
    people = version_contributors(session, version.number)
    return ExportSource(
        policy=policy,
        label=version.label,
        number=version.number,
        contributors=people,
        made_on=version.approved_on,
        names=_names(session, policy, people, [], resolve, now),
        made_at=now,
        zone=zone or ZoneInfo(DEFAULT_TIMEZONE),
    )


def _names(
    session: Session,
    policy: dict[str, Any],
    people: list[Contributor],
    contributions: list[ContributionView],
    resolve: NameResolver | None,
    now: dt.datetime,
) -> dict[str, str]:
    authors = [p.user_id for p in people] + [c.author for c in contributions]
    texts = [c.text for c in contributions]
    refs = slack_refs(policy, authors, texts)
    names = names_for(session, refs, resolve, now)
    # A name frozen with an adopted version is better than none (never an id, though).
    for person in people:
        if person.user_id not in names and person.name and person.name != person.user_id:
            names[person.user_id] = person.name
    return names


def _contributions(session: Session, language: str) -> list[ContributionView]:
    from bot.drafting.template import load_template

    template = load_template()
    prompts = {q.id: q.prompt.get(language) for q in template.questions}
    order = {q.id: i for i, q in enumerate(template.questions)}
    query = (
        select(Contribution)
        .where(Contribution.status == "active", Contribution.review != "rejected")
        .order_by(Contribution.created_at, Contribution.id)
    )
    rows = sorted(session.scalars(query), key=lambda c: order.get(c.question_id, len(order)))
    return [
        ContributionView(
            section=row.section_id,
            question=prompts.get(row.question_id) or row.question_id,
            author=row.author,
            text=row.text,
            review=row.review,
        )
        for row in rows
    ]
