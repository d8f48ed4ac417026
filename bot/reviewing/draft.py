"""The shared draft as one `policybot/1` document, and a document loaded into the draft.

The draft lives in tables so that it can be edited field by field (models/policy.py):
sections with their consolidated text, rules, roles, groups, and document-level settings
(organisation, language, version label, `default`, cover decisions, `x-` extras). This module
is the one place that maps those rows to the policy file's shape and back, so import, export,
adoption and consolidation agree on what "the draft" is.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from bot import audit
from bot.drafting.template import load_template
from bot.policy.model import FORMAT, PolicyDocument
from bot.policy.yaml_io import policy_to_json
from bot.storage.models.drafting import Contribution
from bot.storage.models.policy import (
    DraftGroup,
    DraftRole,
    DraftRule,
    DraftSection,
    DraftSetting,
)
from bot.storage.models.slack_cache import UserProfile
from bot.vocabulary import Language, language_or

# DraftSetting keys. Document-level fields keep the names of the policy file.
ORGANISATION = "organisation"
LANGUAGE = "language"
VERSION = "version"
ADOPTED = "adopted"
DEFAULT = "default"
DECISIONS = "decisions"  # the cover decisions proposed for the next adoption
EXTRAS = "extras"  # top-level keys the bot does not interpret (`x-…`), kept for the round trip
SECTION_EXTRAS = "section_extras"  # {section id: {key: value}} likewise, per section
SECTIONS_SEEDED = "sections_seeded"  # the section list has been written (template or import)

EVIDENCE_LISTS = ("context", "examples", "not_examples")
RULE_LISTS = ("applies_to", "keywords", "unless", "detect", "patterns", *EVIDENCE_LISTS)
RULE_KEYS: tuple[str, ...] = ("id", "section", "verdict", "role", "applies_to", "text")
RULE_KEYS += ("keywords", "unless", "detect", "patterns", *EVIDENCE_LISTS)
ROLE_KEYS = ("id", "name", "contact", "handles", "keywords")
GROUP_KEYS = ("id", "name", "slack")
SECTION_KEYS = ("id", "title", "text")
TOP_KEYS: tuple[str, ...] = ("format", "organisation", "language", "version", "adopted")
TOP_KEYS += ("sections", "groups")
TOP_KEYS += ("roles", "rules", "default")


# -- reading the draft ----------------------------------------------------------------------
def setting(session: Session, key: str, default: Any = None) -> Any:
    row = session.get(DraftSetting, key)
    return default if row is None or row.value is None else row.value


def draft_language(session: Session, fallback: str) -> Language:
    """The policy's language once it is set; until then, `fallback` (a session's or the
    settings' language; Dutch if that is none of ours)."""
    return language_or(setting(session, LANGUAGE), language_or(fallback, "nl"))


def template_sections(language: str) -> list[dict[str, str]]:
    """The standard sections of the drafting template, titled in the policy's language."""
    return [
        {"id": s.id, "title": s.title.get(language), "text": ""} for s in load_template().sections
    ]


def section_rows(session: Session) -> list[DraftSection]:
    query = select(DraftSection).order_by(DraftSection.position, DraftSection.section_id)
    return list(session.scalars(query))


def draft_sections(session: Session, language: str) -> list[dict[str, Any]]:
    """Sections in document order: the stored ones, or the template's until any are stored."""
    extras = setting(session, SECTION_EXTRAS, {}) or {}
    rows = section_rows(session)
    if rows or setting(session, SECTIONS_SEEDED):
        sections = [{"id": r.section_id, "title": r.title, "text": r.text} for r in rows]
    else:
        sections = template_sections(language)
    for section in sections:
        section.update(extras.get(section["id"], {}))
    return sections


def ensure_sections(session: Session, language: str) -> None:
    """Write the template's sections as rows once, so edits have a row to change."""
    if setting(session, SECTIONS_SEEDED) or section_rows(session):
        return
    for position, section in enumerate(template_sections(language)):
        session.add(
            DraftSection(
                section_id=section["id"], title=section["title"], text="", position=position
            )
        )
    _put_setting(session, SECTIONS_SEEDED, True, None)
    session.flush()


def rule_rows(session: Session, section: str | None = None) -> list[DraftRule]:
    query = select(DraftRule).order_by(DraftRule.position, DraftRule.pk)
    if section is not None:
        query = query.where(DraftRule.section == section)
    return list(session.scalars(query))


def role_rows(session: Session, section: str | None = None) -> list[DraftRole]:
    query = select(DraftRole).order_by(DraftRole.position, DraftRole.pk)
    if section is not None:
        query = query.where(DraftRole.section == section)
    return list(session.scalars(query))


def group_rows(session: Session) -> list[DraftGroup]:
    return list(session.scalars(select(DraftGroup).order_by(DraftGroup.pk)))


def rule_dict(row: DraftRule) -> dict[str, Any]:
    """A draft rule as the policy file writes it: empty optional fields left out."""
    data: dict[str, Any] = {"id": row.rule_id}
    if row.section:
        data["section"] = row.section
    data["verdict"] = row.verdict
    if row.role:
        data["role"] = row.role
    if row.applies_to:
        data["applies_to"] = list(row.applies_to)
    data["text"] = row.text
    for key in ("keywords", "unless", "detect", "patterns", *EVIDENCE_LISTS):
        values = getattr(row, key)
        if values:
            data[key] = list(values)
    data.update(row.extras or {})
    return data


def role_dict(row: DraftRole) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": row.role_id,
        "name": row.name,
        "contact": row.contact,
        "handles": row.handles,
    }
    if row.keywords:
        data["keywords"] = list(row.keywords)
    data.update(row.extras or {})
    return data


def group_dict(row: DraftGroup) -> dict[str, Any]:
    return {"id": row.group_id, "name": row.name, "slack": row.slack} | (row.extras or {})


def draft_dict(session: Session, fallback_language: str) -> dict[str, Any]:
    """The whole draft in the shape of the policy file; it need not be valid yet."""
    language = draft_language(session, fallback_language)
    data: dict[str, Any] = {
        "format": FORMAT,
        "organisation": setting(session, ORGANISATION, ""),
        "language": language,
    }
    version = setting(session, VERSION)
    if version:
        data["version"] = version
    adopted = setting(session, ADOPTED)
    if adopted:
        data["adopted"] = adopted
    data["sections"] = draft_sections(session, language)
    groups = [group_dict(g) for g in group_rows(session)]
    if groups:
        data["groups"] = groups
    data["roles"] = [role_dict(r) for r in role_rows(session)]
    data["rules"] = [rule_dict(r) for r in rule_rows(session)]
    default = setting(session, DEFAULT)
    if default:
        data["default"] = default
    data.update(setting(session, EXTRAS, {}) or {})
    return data


def cover_decisions(session: Session) -> list[str]:
    """The decisions proposed for the cover sheet: as the lead and the accepted answers to the
    cover question left them (bot.drafting.cover), else those of the last adoption."""
    decisions = setting(session, DECISIONS)
    if decisions is not None:
        return list(decisions)
    adopted = setting(session, ADOPTED) or {}
    return list(adopted.get("decisions") or [])


@dataclass(frozen=True)
class Contributor:
    user_id: str
    name: str


def contributors(session: Session) -> list[Contributor]:
    """The working group as the draft shows it: everyone with a contribution still standing,
    in the order they first contributed, with the display name Slack last told us."""
    query = (
        select(Contribution.author, Contribution.created_at, Contribution.id)
        .where(Contribution.status == "active", Contribution.review != "rejected")
        .order_by(Contribution.created_at, Contribution.id)
    )
    authors: list[str] = []
    for author, _, _ in session.execute(query):
        if author not in authors:
            authors.append(author)
    return [Contributor(a, display_name(session, a)) for a in authors]


def display_name(session: Session, user_id: str) -> str:
    profile = session.get(UserProfile, user_id)
    return (profile.display_name if profile and profile.display_name else None) or user_id


# -- writing a document into the draft ------------------------------------------------------
def replace_draft(session: Session, doc: PolicyDocument, actor: str) -> None:
    """Make `doc` the draft: every section, rule, role, group and setting replaced.

    Used by import. Contributions stay (they are the working group's history); the audit
    trail records the replacement with the draft before and after.
    """
    data = policy_to_json(doc)
    before = {
        "sections": [s.section_id for s in section_rows(session)],
        "rules": [r.rule_id for r in rule_rows(session)],
        "roles": [r.role_id for r in role_rows(session)],
        "groups": [g.group_id for g in group_rows(session)],
    }
    for model in (DraftRule, DraftRole, DraftGroup, DraftSection, DraftSetting):
        session.execute(delete(model))
    session.flush()

    section_extras: dict[str, dict[str, Any]] = {}
    for position, section in enumerate(data.get("sections") or []):
        session.add(
            DraftSection(
                section_id=section["id"],
                title=section.get("title") or "",
                text=section.get("text") or "",
                position=position,
                updated_by=actor,
            )
        )
        extra = _extras(section, SECTION_KEYS)
        if extra:
            section_extras[section["id"]] = extra
    for position, rule in enumerate(data.get("rules") or []):
        session.add(new_rule_row(rule, actor, origin="import", position=position))
    for position, role in enumerate(data.get("roles") or []):
        session.add(new_role_row(role, actor, origin="import", position=position))
    for group in data.get("groups") or []:
        session.add(new_group_row(group, actor))

    settings = {
        ORGANISATION: data.get("organisation"),
        LANGUAGE: data.get("language"),
        VERSION: data.get("version"),
        ADOPTED: data.get("adopted"),
        DEFAULT: data.get("default"),
        EXTRAS: _extras(data, TOP_KEYS) or None,
        SECTION_EXTRAS: section_extras or None,
        SECTIONS_SEEDED: True,
    }
    for key, value in settings.items():
        if value is not None:
            _put_setting(session, key, value, actor)
    audit.record(
        session,
        actor=actor,
        entity="draft",
        entity_id="draft",
        action="import",
        before=before,
        after={
            "sections": [s["id"] for s in data.get("sections") or []],
            "rules": [r["id"] for r in data.get("rules") or []],
            "roles": [r["id"] for r in data.get("roles") or []],
            "groups": [g["id"] for g in data.get("groups") or []],
        },
    )
    session.flush()


def new_rule_row(
    rule: dict[str, Any], actor: str, *, origin: str = "manual", position: int = 0
) -> DraftRule:
    row = DraftRule(origin=origin, position=position, created_by=actor, updated_by=actor)
    apply_rule(row, rule)
    return row


def apply_rule(row: DraftRule, rule: dict[str, Any]) -> None:
    row.rule_id = rule["id"]
    row.section = rule.get("section") or None
    row.verdict = rule["verdict"]
    row.text = rule["text"]
    row.role = rule.get("role") or None
    for key in RULE_LISTS:
        setattr(row, key, list(rule.get(key) or []))
    row.extras = _extras(rule, RULE_KEYS)


def new_role_row(
    role: dict[str, Any], actor: str, *, origin: str = "manual", position: int = 0
) -> DraftRole:
    row = DraftRole(origin=origin, position=position, created_by=actor, updated_by=actor)
    apply_role(row, role)
    return row


def apply_role(row: DraftRole, role: dict[str, Any]) -> None:
    row.role_id = role["id"]
    row.name = role["name"]
    row.contact = role.get("contact") or ""
    row.handles = role.get("handles") or ""
    row.keywords = list(role.get("keywords") or [])
    row.extras = _extras(role, ROLE_KEYS + ("section",))
    if "section" in role:
        row.section = role.get("section") or None


def new_group_row(group: dict[str, Any], actor: str) -> DraftGroup:
    row = DraftGroup(created_by=actor)
    apply_group(row, group)
    return row


def apply_group(row: DraftGroup, group: dict[str, Any]) -> None:
    row.group_id = group["id"]
    row.name = group["name"]
    row.slack = group["slack"]
    row.extras = _extras(group, GROUP_KEYS)


def put_setting(
    session: Session, key: str, value: Any, actor: str, *, section: str | None = None
) -> tuple[Any, Any]:
    """Set a document-level field with an audit entry (under `section` when it belongs to
    one: the cover's decisions); returns (before, after)."""
    before = setting(session, key)
    _put_setting(session, key, value, actor)
    audit.record(
        session,
        actor=actor,
        entity="setting",
        entity_id=key,
        section=section,
        action="edit",
        before=before,
        after=value,
    )
    return before, value


def _put_setting(session: Session, key: str, value: Any, actor: str | None) -> None:
    row = session.get(DraftSetting, key)
    if row is None:
        session.add(DraftSetting(key=key, value=value, updated_by=actor))
    else:
        row.value, row.updated_by = value, actor


def _extras(data: dict[str, Any], known: Iterable[str]) -> dict[str, Any]:
    known_keys = set(known)
    return {k: v for k, v in data.items() if k not in known_keys}
