"""The document-level fields of the draft: organisation, language, version label, `default`
and the decisions proposed for the cover sheet."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from bot.policy.model import FormatIssue
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
from bot.vocabulary import DEFAULT_VERDICTS, LANGUAGES, Language, is_language


@dataclass(frozen=True)
class DocumentSettings:
    organisation: str
    language: str
    version: str
    default_verdict: str
    default_role: str
    decisions: tuple[str, ...]


def document_settings(session: Session, fallback_language: Language) -> DocumentSettings:
    default = setting(session, DEFAULT) or {}
    return DocumentSettings(
        organisation=setting(session, ORGANISATION, "") or "",
        language=draft_language(session, fallback_language),
        version=str(setting(session, VERSION, "") or ""),
        default_verdict=default.get("verdict", ""),
        default_role=default.get("role", ""),
        decisions=tuple(cover_decisions(session)),
    )


def save_document_settings(session: Session, actor: str, new: DocumentSettings) -> None:
    """Store the fields that changed; raises Invalid naming every bad one."""
    issues = []
    if not new.organisation.strip():
        issues.append(FormatIssue("organisation", "the organisation's name is required"))
    if not is_language(new.language):
        languages = ", ".join(LANGUAGES)
        issues.append(FormatIssue("language", f"{new.language!r} is not one of {languages}"))
    if new.default_verdict not in DEFAULT_VERDICTS:
        verdicts = ", ".join(DEFAULT_VERDICTS)
        issues.append(
            FormatIssue("default.verdict", f"{new.default_verdict!r} is not one of {verdicts}")
        )
    if new.default_role not in {r.role_id for r in role_rows(session)}:
        issues.append(FormatIssue("default.role", f"{new.default_role!r} is not a role id"))
    if issues:
        raise Invalid(issues)
    changes: dict[str, Any] = {
        ORGANISATION: new.organisation.strip(),
        LANGUAGE: new.language,
        VERSION: new.version.strip() or None,
        DEFAULT: {"verdict": new.default_verdict, "role": new.default_role},
        DECISIONS: [d.strip() for d in new.decisions if d.strip()] or None,
    }
    for key, value in changes.items():
        if setting(session, key) != value:
            put_setting(session, key, value, actor)
