"""What the lead's review shows: the overview of every section, one section's page, and the
choices the edit forms offer."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from bot.drafting.cover import decisions_section
from bot.drafting.sessions import resolve_section
from bot.reviewing.contributions import (
    ACCEPTED,
    PENDING,
    ContributionItem,
    prefill_text,
    section_contributions,
)
from bot.reviewing.draft import cover_decisions
from bot.reviewing.items import GroupItem, RoleItem, RuleItem, groups, roles, rules
from bot.reviewing.readiness import Readiness, readiness
from bot.reviewing.sections import ReviewSection, reviewable_sections, section_view
from bot.vocabulary import Language

# The page for rules and roles that belong to no section of the draft (imported roles, rules
# whose section was left out).
OTHER = "_other"


@dataclass(frozen=True)
class SectionCounts:
    section: ReviewSection
    pending: int
    accepted: int
    rules: int
    roles: int

    @property
    def has_text(self) -> bool:
        return bool(self.section.text)


@dataclass(frozen=True)
class Overview:
    sections: list[SectionCounts]
    loose_rules: int  # rules and roles outside every section: the OTHER page
    loose_roles: int
    readiness: Readiness  # what must be fixed, and what to confirm, before adopting


def overview(session: Session, fallback_language: Language) -> Overview:
    sections = reviewable_sections(session, fallback_language)
    all_rules, all_roles = rules(session), roles(session)
    counts = []
    for section in sections:
        mine = section_contributions(session, section.id)
        counts.append(
            SectionCounts(
                section,
                pending=sum(1 for c in mine if c.review == PENDING),
                accepted=sum(1 for c in mine if c.review == ACCEPTED),
                rules=sum(1 for r in all_rules if r.section == section.id),
                roles=sum(1 for r in all_roles if r.section == section.id),
            )
        )
    known = {s.id for s in sections}
    return Overview(
        counts,
        loose_rules=sum(1 for r in all_rules if r.section not in known),
        loose_roles=sum(1 for r in all_roles if r.section not in known),
        readiness=readiness(session, fallback_language),
    )


def section_ids(session: Session, fallback_language: Language) -> list[str]:
    return [s.id for s in reviewable_sections(session, fallback_language)]


def find_section(session: Session, wanted: str, fallback_language: Language) -> str | None:
    """The section named by its id, its title (any case), or any name the template gives it
    in either language (`identiteit`, `4`); OTHER stays OTHER."""
    if wanted == OTHER:
        return OTHER
    folded = wanted.casefold()
    present = reviewable_sections(session, fallback_language)
    for section in present:
        if folded in (section.id.casefold(), section.title.casefold()):
            return section.id
    named = resolve_section(wanted)
    if named is not None and named.id in {s.id for s in present}:
        return named.id
    return None


@dataclass(frozen=True)
class SectionReview:
    """One section's page: its text, its contributions, and the rules and roles it drafted."""

    section: ReviewSection
    contributions: list[ContributionItem]
    rules: list[RuleItem]
    roles: list[RoleItem]
    role_names: dict[str, str]  # every role of the draft, for the rules that name one
    decisions: tuple[str, ...] | None = None  # the cover's, on the page of the section that
    # asks for them; None elsewhere

    @property
    def is_other(self) -> bool:
        return self.section.id == OTHER

    def pending(self, question_id: str) -> int:
        """How many answers to this question still wait for the lead."""
        return sum(
            1 for c in self.contributions if c.question_id == question_id and c.review == PENDING
        )

    @property
    def offers_prefill(self) -> bool:
        """The text was written before: offer to start over from what is accepted now."""
        return bool(self.section.text.strip()) and any(
            c.review == ACCEPTED for c in self.contributions
        )


def section_review(session: Session, section_id: str, fallback_language: Language) -> SectionReview:
    sections = {s.id: s for s in reviewable_sections(session, fallback_language)}
    all_roles = roles(session)
    role_names = {r.id: r.name for r in all_roles}
    if section_id == OTHER:
        return SectionReview(
            ReviewSection(OTHER, "", ""),
            [],
            [r for r in rules(session) if r.section not in sections],
            [r for r in all_roles if r.section not in sections],
            role_names,
        )
    own_rules = rules(session, section_id)
    # the section's own roles, and the roles its rules send people to
    used = {r.role for r in own_rules}
    return SectionReview(
        sections.get(section_id) or ReviewSection(section_id, section_id, ""),
        section_contributions(session, section_id),
        own_rules,
        [r for r in all_roles if r.section == section_id or r.id in used],
        role_names,
        tuple(cover_decisions(session)) if section_id == decisions_section() else None,
    )


def text_to_edit(
    session: Session, section_id: str, fallback_language: Language, *, from_contributions: bool
) -> ReviewSection:
    """The section as the text form starts: as written, or (asked for, or nothing written
    yet) from the accepted contributions. NotFound for a section the draft does not know."""
    current = section_view(session, section_id, fallback_language)
    if from_contributions or not current.text.strip():
        return ReviewSection(current.id, current.title, prefill_text(session, section_id))
    return current


@dataclass(frozen=True)
class Choices:
    """What the rule, role and settings forms offer to pick from."""

    sections: list[ReviewSection]
    roles: list[RoleItem]
    groups: list[GroupItem]


def choices(session: Session, fallback_language: Language) -> Choices:
    return Choices(reviewable_sections(session, fallback_language), roles(session), groups(session))
