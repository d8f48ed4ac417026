"""The document as every renderer shows it: one model, so md, HTML and DOCX say the same things.

Built once from an `ExportSource`: sections in order with their rules, the roles, the groups,
the cover (decisions and approval), the contributors, and every fixed word already in the
policy's language. Renderers only lay it out.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from bot.exporting.source import ContributionView, ExportSource
from bot.i18n import t


@dataclass(frozen=True)
class RuleView:
    id: str
    verdict: str  # the word in the policy's language
    verdict_code: str
    text: str
    ask: str  # whom to ask: "name (contact)"
    groups: str  # "" for everyone


@dataclass(frozen=True)
class RoleView:
    id: str
    name: str
    handles: str
    contact: str


@dataclass(frozen=True)
class SectionView:
    id: str
    title: str
    text: str
    rules: list[RuleView]
    contributions: list[ContributionView]


@dataclass(frozen=True)
class DocumentView:
    title: str
    organisation: str
    status: str  # "Version 2026.1" or "Draft"
    date: str
    is_draft: bool
    decisions: list[str]
    approved_by: str
    approved_on: str
    sections: list[SectionView]
    unplaced_rules: list[RuleView]  # rules whose section is not in the document
    roles: list[RoleView]
    groups: list[tuple[str, str]]  # (name, Slack user group)
    default: str
    contributors: list[str]
    words: dict[str, str] = field(default_factory=dict)
    footer: str = ""


# The fixed words of a document, by the name templates use (`doc.words.rule_id`).
WORDS = {
    "policy": "reviewing.doc.policy",
    "draft": "reviewing.doc.draft",
    "version": "reviewing.doc.version",
    "decisions": "reviewing.doc.decisions",
    "approval": "reviewing.doc.approval",
    "approved_by": "reviewing.doc.approved_by",
    "approved_on": "reviewing.doc.approved_on",
    "not_adopted": "reviewing.doc.not_adopted",
    "rules": "reviewing.doc.rules",
    "roles": "reviewing.doc.roles",
    "rule_id": "reviewing.doc.rule_id",
    "verdict": "reviewing.doc.verdict",
    "rule_text": "reviewing.doc.rule_text",
    "whom_to_ask": "reviewing.doc.whom_to_ask",
    "role_name": "reviewing.doc.role_name",
    "role_handles": "reviewing.doc.role_handles",
    "role_contact": "reviewing.doc.role_contact",
    "groups": "reviewing.doc.groups",
    "group_slack": "reviewing.doc.group_slack",
    "default": "reviewing.doc.default",
    "contributors": "reviewing.doc.contributors",
    "contributions": "reviewing.doc.contributions",
    "applies_to": "reviewing.doc.applies_to",
    "other_rules": "reviewing.doc.other_rules",
    "pending": "reviewing.doc.pending",
    "accepted": "reviewing.doc.accepted",
    "empty_section": "reviewing.doc.empty_section",
    "everyone": "reviewing.doc.everyone",
}
VERDICT_WORDS = {
    "forbidden": "reviewing.doc.verdict_forbidden",
    "review": "reviewing.doc.verdict_review",
    "allowed": "reviewing.doc.verdict_allowed",
}


def build_view(source: ExportSource, decisions: list[str] | None = None) -> DocumentView:
    """`decisions` are the proposed ones for a draft (from the cover); a version has its own."""
    lang = source.language
    policy = source.policy

    def word(key: str, **values: Any) -> str:
        return t(lang, key, **values)

    roles = [r for r in policy.get("roles") or [] if isinstance(r, dict)]
    roles_by_id = {str(r.get("id")): r for r in roles}
    groups = {str(g.get("id")): g for g in policy.get("groups") or [] if isinstance(g, dict)}
    rules = [_rule(r, roles_by_id, groups, word) for r in policy.get("rules") or []]
    section_of = {
        str(r.get("id")): r.get("section") for r in policy.get("rules") or [] if isinstance(r, dict)
    }
    by_section: dict[str, list[ContributionView]] = {}
    for contribution in source.contributions:
        by_section.setdefault(contribution.section, []).append(contribution)

    sections = []
    placed: set[str] = set()
    for raw in policy.get("sections") or []:
        if not isinstance(raw, dict):
            continue
        section_id = str(raw.get("id"))
        own = [rule for rule in rules if section_of.get(rule.id) == section_id]
        placed.update(rule.id for rule in own)
        sections.append(
            SectionView(
                id=section_id,
                title=str(raw.get("title") or section_id),
                text=str(raw.get("text") or ""),
                rules=own,
                contributions=by_section.pop(section_id, []),
            )
        )
    for section_id, leftover in by_section.items():  # contributions to a section not in the doc
        sections.append(SectionView(section_id, section_id, "", [], leftover))

    adopted: dict[str, Any] = _mapping(policy.get("adopted"))
    default: dict[str, Any] = _mapping(policy.get("default"))
    default_role = roles_by_id.get(str(default.get("role")), {})
    organisation = source.organisation
    status = word(WORDS["draft"]) if source.is_draft else word(WORDS["version"], label=source.label)
    date = source.made_on.isoformat()
    return DocumentView(
        title=word(WORDS["policy"]),
        organisation=organisation,
        status=status,
        date=date,
        is_draft=source.is_draft,
        decisions=list(adopted.get("decisions") or [])
        if not source.is_draft or not decisions
        else decisions,
        approved_by="" if source.is_draft else str(adopted.get("by") or ""),
        approved_on="" if source.is_draft else str(adopted.get("at") or ""),
        sections=sections,
        unplaced_rules=[rule for rule in rules if rule.id not in placed],
        roles=[
            RoleView(
                id=str(r.get("id")),
                name=str(r.get("name") or r.get("id")),
                handles=str(r.get("handles") or ""),
                contact=str(r.get("contact") or ""),
            )
            for r in roles
        ],
        groups=[(str(g.get("name") or i), str(g.get("slack") or "")) for i, g in groups.items()],
        default=word(
            "reviewing.doc.default_text",
            verdict=word(VERDICT_WORDS.get(str(default.get("verdict")), VERDICT_WORDS["allowed"])),
            role=_role_label(default_role) or str(default.get("role") or ""),
        )
        if default
        else "",
        contributors=[c.name for c in source.contributors],
        words={name: word(key) for name, key in WORDS.items()}
        | {f"verdict_{v}": word(key) for v, key in VERDICT_WORDS.items()},
        footer=" · ".join(part for part in (organisation, status, date) if part),
    )


def _mapping(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _role_label(role: dict[str, Any]) -> str:
    if not role:
        return ""
    name, contact = str(role.get("name") or role.get("id") or ""), str(role.get("contact") or "")
    return f"{name} ({contact})" if contact else name


def _rule(
    raw: Any,
    roles: dict[str, dict[str, Any]],
    groups: dict[str, dict[str, Any]],
    word: Callable[..., str],
) -> RuleView:
    raw = raw if isinstance(raw, dict) else {}
    verdict = str(raw.get("verdict") or "")
    role_id = str(raw.get("role") or "")
    applies = [str(groups.get(g, {}).get("name") or g) for g in raw.get("applies_to") or []]
    return RuleView(
        id=str(raw.get("id") or ""),
        verdict=word(VERDICT_WORDS[verdict]) if verdict in VERDICT_WORDS else verdict,
        verdict_code=verdict,
        text=str(raw.get("text") or ""),
        ask=_role_label(roles.get(role_id, {})) or role_id,
        groups=", ".join(applies),
    )
