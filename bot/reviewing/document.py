"""The document-level fields of the draft: organisation, language, version label, `default`,
and the decisions proposed for the cover sheet (edited on the cover's review page)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from bot.drafting.cover import decisions_section
from bot.policy.model import issue
from bot.reviewing.draft import (
    DECISIONS,
    DEFAULT,
    LANGUAGE,
    ORGANISATION,
    VERSION,
    cover_decisions,
    draft_language,
    put_setting,
    role_rows,
    setting,
)
from bot.reviewing.errors import Invalid
from bot.reviewing.language import translate_untouched
from bot.vocabulary import DEFAULT_VERDICTS, LANGUAGES, Language, is_language, language_or


@dataclass(frozen=True)
class DocumentSettings:
    organisation: str
    language: str
    version: str
    default_verdict: str
    default_role: str


def document_settings(session: Session, fallback_language: Language) -> DocumentSettings:
    default = setting(session, DEFAULT) or {}
    return DocumentSettings(
        organisation=setting(session, ORGANISATION, "") or "",
        language=draft_language(session, fallback_language),
        version=str(setting(session, VERSION, "") or ""),
        default_verdict=default.get("verdict", ""),
        default_role=default.get("role", ""),
    )


def save_document_settings(session: Session, actor: str, new: DocumentSettings) -> None:
    """Store the fields that changed; raises Invalid naming every bad one."""
    issues = []
    if not new.organisation.strip():
        issues.append(issue("organisation", "reviewing.error_required"))
    if not is_language(new.language):
        languages = ", ".join(LANGUAGES)
        issues.append(
            issue("language", "format.not_one_of", value=repr(new.language), allowed=languages)
        )
    if new.default_verdict not in DEFAULT_VERDICTS:
        verdicts = ", ".join(DEFAULT_VERDICTS)
        issues.append(
            issue(
                "default.verdict",
                "format.not_one_of",
                value=repr(new.default_verdict),
                allowed=verdicts,
            )
        )
    if new.default_role not in {r.role_id for r in role_rows(session)}:
        known = ", ".join(r.role_id for r in role_rows(session)) or "-"
        issues.append(
            issue("default.role", "format.not_a_role", value=repr(new.default_role), known=known)
        )
    if issues:
        raise Invalid(issues)
    changes: dict[str, Any] = {
        VERSION: new.version.strip() or None,
        DEFAULT: {"verdict": new.default_verdict, "role": new.default_role},
    }
    for key, value in changes.items():
        if setting(session, key) != value:
            put_setting(session, key, value, actor)
    set_organisation_and_language(session, actor, new.organisation, language_or(new.language, "nl"))


def set_organisation_and_language(
    session: Session, actor: str, organisation: str, language: Language
) -> None:
    """The organisation's name and the policy's language, each stored (and audited) when it
    changed; a new language rewrites what the bot wrote in the old one and nobody changed.
    The document settings and the project's setup both set them here: one place each."""
    old_language = draft_language(session, language)
    for key, value in ((ORGANISATION, organisation.strip()), (LANGUAGE, language)):
        if setting(session, key) != value:
            put_setting(session, key, value, actor)
    translate_untouched(session, actor, old_language, language)


def decisions(session: Session) -> list[str]:
    """The decisions management is asked to take, as the cover now proposes them."""
    return cover_decisions(session)


def save_decisions(session: Session, actor: str, lines: list[str]) -> list[str]:
    """The lead's edit of the cover's decisions (one per line; empty lines dropped)."""
    kept = list(dict.fromkeys(line.strip() for line in lines if line.strip()))
    if kept != cover_decisions(session):
        put_setting(session, DECISIONS, kept, actor, section=decisions_section())
    return kept
