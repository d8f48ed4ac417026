"""The document as every renderer shows it: one model, so md, HTML and DOCX say the same things.

Built once from an `ExportSource`: a cover (title, the decisions management is asked to take
or took, the approval or a clear draft mark), the contents, the sections in order with their
rules in plain words (what the verdict means for an employee, whom to ask by name), who
handles what, the groups, the working group, and an appendix with the technical ids of rules,
roles and groups. Every fixed word is already in the policy's language, every date written
as that language writes it, and every Slack id already a name. Renderers only lay it out.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from bot.dates import format_date, format_moment, language_tag
from bot.directory import USER, SlackRef
from bot.exporting.names import Names
from bot.exporting.source import ExportSource
from bot.i18n import t

COVER = "cover"  # the section whose text goes on the cover page
_EXCERPT = 70  # characters of a rule's text that identify it in the appendix


@dataclass(frozen=True)
class Logo:
    content: bytes
    mimetype: str  # image/png or image/jpeg


@dataclass(frozen=True)
class SignatureView:
    """One approver's decision on the cover: who, what, when (in the organisation's zone)."""

    name: str
    decision: str
    at: str


@dataclass(frozen=True)
class RuleView:
    id: str
    verdict_code: str
    verdict: str  # in words an employee understands: "Not allowed", "Ask first", "Allowed"
    text: str
    ask: str  # "Questions? Contact Press office (Lotte de Vries)." or ""
    applies: str  # "Applies only to Youth workers." or ""
    role: str  # the role's name, for the appendix
    section: str  # the section's title, for the appendix
    excerpt: str  # the opening of the text, for the appendix


@dataclass(frozen=True)
class RoleView:
    id: str
    name: str
    handles: str
    contact: str  # a name, an @handle, a #channel or an address; never a Slack id


@dataclass(frozen=True)
class GroupView:
    id: str
    name: str
    slack: str


@dataclass(frozen=True)
class ContributionShown:
    author: str
    review: str  # the word for its review state
    question: str
    text: str


@dataclass(frozen=True)
class SectionView:
    id: str
    anchor: str
    title: str
    text: str
    written: bool  # False: the document says it has not been written yet
    rules: list[RuleView]
    contributions: list[ContributionShown]


@dataclass(frozen=True)
class DocumentView:
    lang: str
    language_tag: str  # nl-NL, en-GB: proofing language and <html lang>
    title: str
    organisation: str
    status: str  # "Version 2026.1" or "Draft (not adopted)"
    date: str  # "20 January 2026": adopted on, or the draft's date
    is_draft: bool
    cover_text: str
    decisions_heading: str
    decisions: list[str]
    approved_by: str
    approved_on: str
    reference: str  # where an approval given outside Slack is written down ("" when none)
    signatures: list[SignatureView]  # each approver's decision, when given in Slack
    summary: str  # "6 sections, 24 rules and 10 roles"
    contents: list[tuple[str, str]]  # (anchor, title)
    sections: list[SectionView]
    roles: list[RoleView]
    default: str
    groups: list[GroupView]
    contributors: list[str]
    appendix_rules: list[RuleView]
    made_at: dt.datetime  # when the export was made (the file's properties)
    words: dict[str, str] = field(default_factory=dict)
    footer: str = ""
    logo: Logo | None = None


# The fixed words of a document, by the name templates use (`doc.words.rule_id`).
WORDS = {
    "policy": "document.policy",
    "contents": "document.contents",
    "draft_mark": "document.draft_mark",
    "not_adopted": "document.not_adopted",
    "approval": "document.approval",
    "approval_pending": "document.approval_pending",
    "approved_by": "document.approved_by",
    "approved_on": "document.approved_on",
    "reference": "document.reference",
    "signatures": "document.signatures",
    "approver": "document.approver",
    "decision": "document.decision",
    "decided_at": "document.decided_at",
    "no_decisions": "document.no_decisions",
    "rules": "document.rules",
    "not_written": "document.not_written",
    "contributions": "document.contributions",
    "roles": "document.roles",
    "role_name": "document.role_name",
    "role_handles": "document.role_handles",
    "role_contact": "document.role_contact",
    "groups": "document.groups",
    "groups_intro": "document.groups_intro",
    "group_name": "document.group_name",
    "group_slack": "document.group_slack",
    "contributors": "document.contributors",
    "appendix": "document.appendix",
    "appendix_intro": "document.appendix_intro",
    "appendix_rules": "document.appendix_rules",
    "appendix_roles": "document.appendix_roles",
    "appendix_groups": "document.appendix_groups",
    "id": "document.id",
    "section": "document.section",
    "verdict": "document.verdict",
    "role": "document.role",
    "excerpt": "document.excerpt",
    "page": "document.page",
    "page_of": "document.page_of",
}
VERDICT_WORDS = {
    "forbidden": "document.verdict_forbidden",
    "review": "document.verdict_review",
    "allowed": "document.verdict_allowed",
}
# What an employee does about a rule, by its verdict: whom to ask (`who`).
ASK_WORDS = {
    "forbidden": "document.ask_forbidden",
    "review": "document.ask_review",
    "allowed": "document.ask_allowed",
}
REVIEW_WORDS = {"pending": "document.review_pending", "accepted": "document.review_accepted"}
ANCHORS = {"roles": "roles", "groups": "groups", "contributors": "working-group"}


def build_view(
    source: ExportSource, decisions: list[str] | None = None, logo: Logo | None = None
) -> DocumentView:
    """`decisions` are the proposed ones for a draft (from the cover); a version has its own."""
    lang = source.language
    policy = source.policy
    names = Names(lang, source.names)

    def word(key: str, **values: Any) -> str:
        return t(lang, key, **values)

    raw_sections = _dicts(policy.get("sections"))
    roles = _dicts(policy.get("roles"))
    roles_by_id = {str(r.get("id")): r for r in roles}
    groups = {str(g.get("id")): g for g in _dicts(policy.get("groups"))}
    titles = {str(s.get("id")): str(s.get("title") or s.get("id")) for s in raw_sections}
    rules = [
        _rule(r, roles_by_id, groups, titles, names, word) for r in _dicts(policy.get("rules"))
    ]
    section_of = {
        str(r.get("id")): str(r.get("section") or "") for r in _dicts(policy.get("rules"))
    }

    by_section: dict[str, list[ContributionShown]] = {}
    for item in source.contributions:
        shown = ContributionShown(
            author=names.person(item.author) or names.of(_user(item.author)),
            review=word(REVIEW_WORDS[item.review]),
            question=item.question,
            text=names.text(item.text),
        )
        by_section.setdefault(item.section, []).append(shown)

    cover_text = ""
    sections: list[SectionView] = []
    for raw in raw_sections:
        section_id = str(raw.get("id"))
        text = names.text(str(raw.get("text") or "")).strip()
        own = [rule for rule in rules if section_of.get(rule.id) == section_id]
        contributions = by_section.pop(section_id, [])
        if section_id == COVER and not own:
            cover_text = text
            if not contributions:
                continue
        if not (text or own or contributions) and not source.is_draft:
            continue  # an adopted version leaves out what was never written
        sections.append(
            SectionView(
                id=section_id,
                anchor=f"section-{_slug(section_id)}",
                title=names.text(titles[section_id]),
                text="" if section_id == COVER else text,
                written=bool(text),
                rules=own,
                contributions=contributions,
            )
        )
    for section_id, leftover in by_section.items():  # contributions to a section not in the doc
        sections.append(
            SectionView(
                section_id, f"section-{_slug(section_id)}", section_id, "", False, [], leftover
            )
        )
    placed = {section_of.get(rule.id) for section in sections for rule in section.rules}
    unplaced = [rule for rule in rules if section_of.get(rule.id) not in placed]
    if unplaced:
        sections.append(
            SectionView(
                "other", "section-other-rules", word("document.other_rules"), "", True, unplaced, []
            )
        )

    adopted = _mapping(policy.get("adopted"))
    default = _mapping(policy.get("default"))
    status = (
        word("document.draft") if source.is_draft else word("document.version", label=source.label)
    )
    date = format_date(source.made_on, lang)
    chosen = list(adopted.get("decisions") or [])
    if source.is_draft and decisions:
        chosen = list(decisions)
    role_views = [
        RoleView(
            id=str(r.get("id")),
            name=names.text(str(r.get("name") or r.get("id"))),
            handles=names.text(str(r.get("handles") or "")),
            contact=names.contact(str(r.get("contact") or "")),
        )
        for r in roles
    ]
    group_views = [
        GroupView(i, names.text(str(g.get("name") or i)), names.contact(str(g.get("slack") or "")))
        for i, g in groups.items()
    ]
    contents = [(s.anchor, s.title) for s in sections]
    contents.append((ANCHORS["roles"], word("document.roles")))
    if group_views:
        contents.append((ANCHORS["groups"], word("document.groups")))
    contributors = _contributors(source, names, word)
    if contributors:
        contents.append((ANCHORS["contributors"], word("document.contributors")))
    contents.append(("appendix", word("document.appendix")))
    # Counted as the import and management's approval request count them: every section of the
    # file that the document shows, the cover sheet included (it opens the document, outside
    # the contents), rules outside any section not being a section of their own.
    counted = [s for s in sections if s.id != "other" and (s.written or s.rules)]
    section_count = len(counted) + (1 if cover_text and all(s.id != COVER for s in counted) else 0)
    return DocumentView(
        lang=lang,
        language_tag=language_tag(lang),
        title=word("document.policy"),
        organisation=source.organisation,
        status=status,
        date=date,
        is_draft=source.is_draft,
        cover_text=cover_text,
        decisions_heading=word(
            "document.decisions_proposed" if source.is_draft else "document.decisions_taken"
        ),
        decisions=[names.text(str(d)) for d in chosen],
        approved_by="" if source.is_draft else names.text(str(adopted.get("by") or "")),
        approved_on="" if source.is_draft else _date_of(adopted.get("at"), source, lang),
        reference="" if source.is_draft else names.text(str(adopted.get("reference") or "")),
        signatures=[] if source.is_draft else _signatures(adopted, source, names, word),
        summary=word(
            "document.summary",
            sections=word("common.sections", count=section_count),
            rules=word("common.rules", count=len(rules)),
            roles=word("common.roles", count=len(role_views)),
        ),
        contents=contents,
        sections=sections,
        roles=role_views,
        default=_default(default, roles_by_id, names, word),
        groups=group_views,
        contributors=contributors,
        appendix_rules=rules,
        made_at=source.made_at,
        words={name: word(key) for name, key in WORDS.items()},
        footer=" · ".join(part for part in (source.organisation, status, date) if part),
        logo=logo,
    )


def _dicts(value: Any) -> list[dict[str, Any]]:
    return [item for item in value or [] if isinstance(item, dict)]


def _mapping(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _user(user_id: str) -> SlackRef:
    return SlackRef(user_id, USER)


def _slug(text: str) -> str:
    """An anchor made of the id: ASCII letters, digits and dashes."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", plain.lower()).strip("-") or "x"


def _date_of(value: Any, source: ExportSource, lang: str) -> str:
    if isinstance(value, str):
        try:
            value = dt.date.fromisoformat(value)
        except ValueError:
            return value
    if isinstance(value, dt.date):
        return format_date(value, lang)
    return format_date(source.made_on, lang)


SIGNATURE_WORDS = {
    "approved": "document.signature_approved",
    "declined": "document.signature_declined",
}


def _signatures(
    adopted: dict[str, Any], source: ExportSource, names: Names, word: Any
) -> list[SignatureView]:
    found = []
    for signature in _dicts(adopted.get("approvals")):
        at = signature.get("at")
        if isinstance(at, str):
            try:
                at = dt.datetime.fromisoformat(at)
            except ValueError:
                at = None
        when = (
            format_moment(at, source.language, source.zone) if isinstance(at, dt.datetime) else ""
        )
        decision = str(signature.get("decision") or "")
        shown = word(SIGNATURE_WORDS[decision]) if decision in SIGNATURE_WORDS else decision
        found.append(SignatureView(names.text(str(signature.get("by") or "")), shown, when))
    return found


def _contributors(source: ExportSource, names: Names, word: Any) -> list[str]:
    known: list[str] = []
    unknown = 0
    for person in source.contributors:
        name = names.person(person.user_id)
        if name and name not in known:
            known.append(name)
        elif not name:
            unknown += 1
    if unknown:
        known.append(word("document.contributors_unknown", count=unknown))
    return known


def _who(role: dict[str, Any], names: Names) -> str:
    """A role as "Name (contact)", the contact written as a name; a contact nobody has named
    yet is left out here (the table of roles says so)."""
    if not role:
        return ""
    name = names.text(str(role.get("name") or role.get("id") or ""))
    contact = names.known_contact(str(role.get("contact") or "")) if role.get("contact") else ""
    return f"{name} ({contact})" if contact else name


def _default(
    default: dict[str, Any], roles: dict[str, dict[str, Any]], names: Names, word: Any
) -> str:
    if not default:
        return ""
    verdict = str(default.get("verdict") or "allowed")
    return word(
        "document.default_text",
        verdict=word(VERDICT_WORDS[verdict]) if verdict in VERDICT_WORDS else verdict,
        role=_who(roles.get(str(default.get("role")), {}), names) or str(default.get("role")),
    )


def _rule(
    raw: dict[str, Any],
    roles: dict[str, dict[str, Any]],
    groups: dict[str, dict[str, Any]],
    titles: dict[str, str],
    names: Names,
    word: Any,
) -> RuleView:
    verdict = str(raw.get("verdict") or "")
    known = verdict in VERDICT_WORDS
    role = roles.get(str(raw.get("role") or ""), {})
    who = _who(role, names)
    applies = [
        names.text(str(groups.get(g, {}).get("name") or g)) for g in raw.get("applies_to") or []
    ]
    text = names.text(str(raw.get("text") or "")).strip()
    excerpt = " ".join(text.split())
    if len(excerpt) > _EXCERPT:
        excerpt = excerpt[:_EXCERPT].rsplit(" ", 1)[0] + " …"
    return RuleView(
        id=str(raw.get("id") or ""),
        verdict_code=verdict,
        verdict=word(VERDICT_WORDS[verdict]) if known else verdict,
        text=text,
        ask=word(ASK_WORDS[verdict], who=who) if who and known else "",
        applies=word("document.applies_to", groups=", ".join(applies)) if applies else "",
        role=names.text(str(role.get("name") or raw.get("role") or "")),
        section=titles.get(str(raw.get("section") or ""), str(raw.get("section") or "")),
        excerpt=excerpt,
    )
