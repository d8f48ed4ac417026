"""A section of the draft as the lead consolidates it: its title and its text."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot import audit
from bot.policy.model import issue
from bot.reviewing.draft import draft_language, draft_sections, ensure_sections, template_sections
from bot.reviewing.errors import Invalid, NotFound
from bot.storage import utcnow
from bot.storage.models.drafting import Contribution
from bot.storage.models.policy import DraftSection
from bot.vocabulary import Language


@dataclass(frozen=True)
class ReviewSection:
    id: str
    title: str
    text: str


def reviewable_sections(session: Session, fallback_language: Language) -> list[ReviewSection]:
    """The draft's sections, plus any template section the working group wrote about that
    the draft does not have (an imported policy may leave some out)."""
    language = draft_language(session, fallback_language)
    sections = draft_sections(session, language)
    present = {s["id"] for s in sections}
    with_contributions = set(
        session.scalars(
            select(Contribution.section_id).where(Contribution.status == "active").distinct()
        )
    )
    for template in template_sections(language):
        if template["id"] not in present and template["id"] in with_contributions:
            sections.append(template)
    return [
        ReviewSection(str(s["id"]), str(s["title"]), str(s.get("text") or "")) for s in sections
    ]


def section_view(session: Session, section_id: str, fallback_language: Language) -> ReviewSection:
    """A section's title and text as they stand, without writing anything."""
    for section in reviewable_sections(session, fallback_language):
        if section.id == section_id:
            return section
    raise NotFound(section_id)


def _section_row(session: Session, section_id: str, fallback_language: Language) -> DraftSection:
    """The section's row, created when the draft shows it but has not stored it yet."""
    language = draft_language(session, fallback_language)
    ensure_sections(session, language)
    row = session.get(DraftSection, section_id)
    if row is not None:
        return row
    section = section_view(session, section_id, fallback_language)  # NotFound if unknown
    position = (session.scalar(select(func.max(DraftSection.position))) or 0) + 1
    row = DraftSection(section_id=section_id, title=section.title, text="", position=position)
    session.add(row)
    session.flush()
    return row


def save_section(
    session: Session,
    actor: str,
    section_id: str,
    text: str,
    fallback_language: Language,
    title: str | None = None,
) -> ReviewSection:
    """Write a section's text (and title); raises Invalid for an empty title, NotFound for a
    section the draft does not know."""
    row = _section_row(session, section_id, fallback_language)
    if title is not None and not title.strip():
        raise Invalid([issue("title", "reviewing.error_required")])
    before = {"title": row.title, "text": row.text}
    after = {"title": title.strip() if title is not None else row.title, "text": text.strip()}
    if before != after:
        row.title, row.text = after["title"], after["text"]
        row.updated_by, row.updated_at = actor, utcnow()
        audit.record(
            session,
            actor=actor,
            entity="section",
            entity_id=section_id,
            section=section_id,
            action="edit",
            before=before,
            after=after,
        )
    return ReviewSection(row.section_id, row.title, row.text)
