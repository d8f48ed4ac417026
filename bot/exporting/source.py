"""What an export is made from: the policy, whose it is, and (for the draft) the contributions.

The policy is the `policybot/1` dict, not the typed document, because a draft is exported
while it is still incomplete (a role without contact, no `default` yet) and people need to
read it exactly then. An adopted version is always complete.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.reviewing.draft import Contributor, contributors, display_name, draft_dict
from bot.reviewing.versions import get_version, latest_version, version_contributors
from bot.storage.models.drafting import Contribution
from bot.vocabulary import Language, language_or

DRAFT = "draft"


class NothingAdopted(LookupError):
    """An export of the latest version was asked for, and no version is adopted yet."""


@dataclass(frozen=True)
class ContributionView:
    section: str
    question: str
    author: str
    text: str
    review: str  # pending | accepted


@dataclass(frozen=True)
class ExportSource:
    policy: dict[str, Any]
    label: str  # "draft" or the version's label
    number: int | None  # the version number; None for the draft
    contributors: list[Contributor]
    contributions: list[ContributionView] = field(default_factory=list)
    made_on: dt.date = field(default_factory=dt.date.today)

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


def draft_source(session: Session, fallback_language: str) -> ExportSource:
    """The consolidated draft, with the contributions not (yet) rejected, per section."""
    policy = draft_dict(session, fallback_language)
    return ExportSource(
        policy=policy,
        label=DRAFT,
        number=None,
        contributors=contributors(session),
        contributions=_contributions(session, policy.get("language") or fallback_language),
    )


def version_source(session: Session, number: int | None) -> ExportSource:
    """Adopted version `number`, or the latest one for None (NothingAdopted if there is none)."""
    if number is None:
        latest = latest_version(session)
        if latest is None:
            raise NothingAdopted()
        number = latest.number
    version = get_version(session, number)
    return ExportSource(
        policy=dict(version.document),
        label=version.label,
        number=version.number,
        contributors=version_contributors(session, version.number),
        made_on=version.approved_on,
    )


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
    names: dict[str, str] = {}
    views = []
    for row in rows:
        if row.author not in names:
            names[row.author] = display_name(session, row.author)
        views.append(
            ContributionView(
                section=row.section_id,
                question=prompts.get(row.question_id, row.question_id),
                author=names[row.author],
                text=row.text,
                review=row.review,
            )
        )
    return views
