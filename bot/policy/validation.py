"""Validation of the `policybot/1` format: plain data (as YAML or JSON gives it) in, typed
`PolicyDocument` parts out.

Validation collects every problem before it raises, so one import run tells the author
everything that is wrong, each problem named by its path
(`rules[3].verdict: 'maybe' is not one of forbidden, review, allowed`).

The field-level checks (`validate_rule`, `validate_role`, `validate_group`) are the same code
the whole-file parser uses, so an edit modal and an import can never disagree.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from bot.policy.checker import Checker, at_path, kind_of
from bot.policy.model import (
    DETECTORS,
    EVERYONE,
    FORMAT,
    RULE_OPTIONAL_KEYS,
    RULE_REQUIRED_KEYS,
    SIGNATURE_DECISIONS,
    STANDARD_SECTION_IDS,
    Adopted,
    Default,
    FormatIssue,
    Group,
    PolicyDocument,
    PolicyFormatError,
    Role,
    Rule,
    Section,
    Signature,
)
from bot.policy.review import parse_review
from bot.vocabulary import DEFAULT_VERDICTS, LANGUAGES, VERDICTS, Verdict, is_language

_CHANNEL = re.compile(r"^#[^\s#@<>|,]{1,80}$")
_USER = re.compile(r"^@[UW][A-Z0-9]{2,}$")
_USER_GROUP_ID = re.compile(r"^S[A-Z0-9]{2,}$")
_USER_GROUP_HANDLE = re.compile(r"^@[\w.\-]{1,80}$")
_EMAIL = re.compile(r"^[^@\s<>]+@[^@\s<>.]+(?:\.[^@\s<>.]+)+$")


# -- the parts ------------------------------------------------------------------------------
_SECTION_KEYS = ("id", "title", "text")
_GROUP_KEYS = ("id", "name", "slack")
_ROLE_KEYS = ("id", "name", "contact", "handles", "keywords")
_RULE_KEYS = (*RULE_REQUIRED_KEYS, *RULE_OPTIONAL_KEYS)
_ADOPTED_KEYS = ("at", "by", "decisions", "reference", "approvals")
_SIGNATURE_KEYS = ("by", "decision", "at")
_DEFAULT_KEYS = ("verdict", "role")
_TOP_KEYS = (
    "format",
    "organisation",
    "language",
    "version",
    "adopted",
    "sections",
    "groups",
    "roles",
    "rules",
    "default",
    "review",
)


@dataclass(frozen=True)
class NameToResolve:
    """A role's contact typed as a name (`@lotte`, `@webcare`) that Slack will resolve to a
    person's or a user group's id before the role is saved. The format takes ids only, so a
    role is checked with one of these in its `contact` (`validate_role`, and the reviewing
    core's `check_role`) while Slack has not said yet: a name is well-formed when something
    follows its `@`; whether anybody goes by it is Slack's to say."""

    typed: str

    @property
    def well_formed(self) -> bool:
        return self.typed.startswith("@") and bool(self.typed[1:].strip())


def _is_contact(value: str) -> bool:
    return bool(
        _CHANNEL.match(value)
        or _USER.match(value)
        or _USER_GROUP_ID.match(value)
        or _EMAIL.match(value)
    )


def _section(c: Checker, value: Any, path: str) -> Section | None:
    data = c.mapping(value, path)
    if data is None:
        return None
    extras = c.keys(data, _SECTION_KEYS, path)
    section_id = c.ident(data, "id", path)
    title = c.text(data, "title", path)
    text = c.text(data, "text", path, required=False)  # a section may be empty
    if section_id is None or title is None:
        return None
    return Section(section_id, title, text or "", extras)


def _group(c: Checker, value: Any, path: str) -> Group | None:
    data = c.mapping(value, path)
    if data is None:
        return None
    extras = c.keys(data, _GROUP_KEYS, path)
    group_id = c.ident(data, "id", path)
    if group_id is not None and group_id.casefold() == EVERYONE:
        c.fail(at_path(path, "id"), "format.everyone_taken", value=repr(EVERYONE))
        group_id = None
    name = c.text(data, "name", path)
    slack = c.text(data, "slack", path)
    if slack is not None and not (_USER_GROUP_ID.match(slack) or _USER_GROUP_HANDLE.match(slack)):
        c.fail(at_path(path, "slack"), "format.not_a_usergroup", value=repr(slack))
        slack = None
    if group_id is None or name is None or slack is None:
        return None
    return Group(group_id, name, slack, extras)


def _role(c: Checker, value: Any, path: str) -> Role | None:
    data = c.mapping(value, path)
    if data is None:
        return None
    extras = c.keys(data, _ROLE_KEYS, path)
    role_id = c.ident(data, "id", path)
    name = c.text(data, "name", path)
    contact = _contact(c, data, path)
    handles = c.text(data, "handles", path)
    keywords = c.texts(data, "keywords", path, numbers_ok=True)
    if role_id is None or name is None or contact is None or handles is None:
        return None
    return Role(role_id, name, contact.strip(), handles, keywords, extras)


def _contact(c: Checker, data: Mapping[str, Any], path: str) -> str | None:
    """A role's contact: an id, a channel, an e-mail address; or, in an edit not yet saved,
    a name Slack will resolve to an id (`NameToResolve`)."""
    raw = data.get("contact")
    if isinstance(raw, NameToResolve):
        contact: str | None = raw.typed
        good = raw.well_formed
    else:
        contact = c.text(data, "contact", path)
        good = contact is None or _is_contact(contact.strip())
    if contact is not None and not good:
        c.fail(at_path(path, "contact"), "format.not_a_contact", value=repr(contact))
        return None
    return contact


def _patterns(c: Checker, data: Mapping[str, Any], path: str) -> tuple[str, ...]:
    where = at_path(path, "patterns")
    raw = data.get("patterns")
    if raw is None:
        return ()
    if not isinstance(raw, list | tuple):
        c.fail(where, "format.must_be_list", kind=kind_of(raw))
        return ()
    good: list[str] = []
    for i, pattern in enumerate(raw):
        # Kept exactly as written: whitespace can matter in a regular expression.
        if not isinstance(pattern, str) or not pattern.strip():
            c.fail(at_path(where, i), "format.not_a_pattern")
            continue
        try:
            re.compile(pattern, re.IGNORECASE)
        except re.error as error:
            c.fail(at_path(where, i), "format.bad_pattern", error=str(error))
            continue
        good.append(pattern)
    return tuple(good)


def _rule(
    c: Checker, value: Any, path: str, role_ids: Iterable[str], group_ids: Iterable[str]
) -> Rule | None:
    data = c.mapping(value, path)
    if data is None:
        return None
    known_roles = list(role_ids)
    known_groups = [EVERYONE, *group_ids]
    extras = c.keys(data, _RULE_KEYS, path)
    rule_id = c.ident(data, "id", path)
    verdict = c.choice(c.text(data, "verdict", path), VERDICTS, at_path(path, "verdict"))
    text = c.text(data, "text", path)
    section = c.ident(data, "section", path) if data.get("section") is not None else None
    role = c.text(data, "role", path, required=False)
    if role is not None and role not in known_roles:
        _not_a_role(c, at_path(path, "role"), role, known_roles)
        role = None
    elif role is None and verdict == "review" and "role" not in _bad_keys(c, path):
        c.fail(at_path(path, "role"), "format.review_needs_role")
    applies_to = c.texts(data, "applies_to", path)
    for i, group in enumerate(applies_to):
        if group not in known_groups:
            c.fail(
                at_path(at_path(path, "applies_to"), i),
                "format.not_a_group",
                value=repr(group),
                known=", ".join(known_groups),
            )
    keywords = c.texts(data, "keywords", path, numbers_ok=True)
    unless = c.texts(data, "unless", path, numbers_ok=True)
    detect = c.texts(data, "detect", path)
    for i, name in enumerate(detect):
        if name not in DETECTORS:
            where = at_path(at_path(path, "detect"), i)
            c.fail(where, "format.not_one_of", value=repr(name), allowed=", ".join(DETECTORS))
    patterns = _patterns(c, data, path)
    examples = c.texts(data, "examples", path)
    not_examples = c.texts(data, "not_examples", path)
    context = c.texts(data, "context", path, numbers_ok=True)
    if rule_id is None or verdict is None or text is None:
        return None
    return Rule(
        rule_id,
        Verdict(verdict),
        text,
        section,
        role,
        applies_to,
        keywords,
        unless,
        detect,
        patterns,
        extras,
        examples=examples,
        not_examples=not_examples,
        context=context,
    )


def _not_a_role(c: Checker, path: str, role: str, known: list[str]) -> None:
    if known:
        c.fail(path, "format.not_a_role", value=repr(role), known=", ".join(known))
    else:
        c.fail(path, "format.not_a_role_none", value=repr(role))


def _bad_keys(c: Checker, path: str) -> set[str]:
    """Keys of `path` that already have an issue (so a bad role is not also 'missing')."""
    prefix = f"{path}."
    return {i.path[len(prefix) :].split("[")[0] for i in c.issues if i.path.startswith(prefix)}


def _date(c: Checker, value: Any, path: str) -> datetime.date | None:
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, str):
        try:
            return datetime.date.fromisoformat(value.strip())
        except ValueError:
            pass
    if value is None:
        c.fail(path, "format.required")
    else:
        c.fail(path, "format.not_a_date", value=repr(value))
    return None


def _adopted(c: Checker, value: Any) -> Adopted | None:
    data = c.mapping(value, "adopted")
    if data is None:
        return None
    extras = c.keys(data, _ADOPTED_KEYS, "adopted")
    at = _date(c, data.get("at"), "adopted.at")
    by = c.text(data, "by", "adopted")
    decisions = c.texts(data, "decisions", "adopted")
    reference = c.text(data, "reference", "adopted", required=False)
    approvals = tuple(
        signature
        for i, item in enumerate(c.items(data, "approvals", required=False))
        if (signature := _signature(c, item, f"adopted.approvals[{i}]")) is not None
    )
    if at is None or by is None:
        return None
    return Adopted(at, by, decisions, reference, approvals, extras)


def _signature(c: Checker, value: Any, path: str) -> Signature | None:
    data = c.mapping(value, path)
    if data is None:
        return None
    extras = c.keys(data, _SIGNATURE_KEYS, path)
    by = c.text(data, "by", path)
    decision = c.text(data, "decision", path)
    if decision is not None and decision not in SIGNATURE_DECISIONS:
        allowed = ", ".join(SIGNATURE_DECISIONS)
        c.fail(
            at_path(path, "decision"), "format.not_one_of", value=repr(decision), allowed=allowed
        )
        decision = None
    at = _moment(c, data.get("at"), at_path(path, "at"))
    if by is None or decision is None or at is None:
        return None
    return Signature(by, decision, at, extras)


def _moment(c: Checker, value: Any, path: str) -> datetime.datetime | None:
    """A date and time (`2026-12-01T10:15:00Z`), as YAML reads it or as text; UTC when it
    names no zone."""
    moment: datetime.datetime | None = value if isinstance(value, datetime.datetime) else None
    if isinstance(value, str):
        try:
            moment = datetime.datetime.fromisoformat(value.strip())
        except ValueError:
            moment = None
    if moment is None:
        key = "format.required" if value is None else "format.not_a_moment"
        c.fail(path, key, value=repr(value))
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=datetime.UTC)


def _default(c: Checker, value: Any, role_ids: list[str]) -> Default | None:
    if value is None:
        c.fail("default", "format.default_required")
        return None
    data = c.mapping(value, "default")
    if data is None:
        return None
    extras = c.keys(data, _DEFAULT_KEYS, "default")
    verdict = c.choice(c.text(data, "verdict", "default"), DEFAULT_VERDICTS, "default.verdict")
    role = c.text(data, "role", "default")
    if role is not None and role not in role_ids:
        _not_a_role(c, "default.role", role, role_ids)
        role = None
    if verdict is None or role is None:
        return None
    return Default(Verdict(verdict), role, extras)


def _version(c: Checker, value: Any) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str) or not value.strip():
        # 2026.10 would silently become 2026.1 as a number: ask for quotes instead.
        c.fail("version", "format.version_text", kind=kind_of(value))
        return None
    return value


def _ids_of(items: list[Any]) -> list[tuple[int, str]]:
    """The ids of a list's items as written (for uniqueness and references), before parsing."""
    found = []
    for i, item in enumerate(items):
        if isinstance(item, Mapping) and isinstance(item.get("id"), str):
            found.append((i, item["id"]))
    return found


def _check_rule_sections(c: Checker, rules: list[Rule | None], present: set[str | None]) -> None:
    """A rule's section is one of the file's sections or a standard one (a draft may not have
    written every standard section yet); anything else is most likely a typo."""
    known = [*STANDARD_SECTION_IDS, *(s for s in present if s and s not in STANDARD_SECTION_IDS)]
    for i, rule in enumerate(rules):
        if rule is not None and rule.section is not None and rule.section not in known:
            c.fail(
                f"rules[{i}].section",
                "format.not_a_section",
                value=repr(rule.section),
                known=", ".join(known),
            )


# -- public: parse --------------------------------------------------------------------------
def parse_policy(data: object) -> PolicyDocument:
    """The typed document for plain data (as YAML or JSON gives it).

    Raises PolicyFormatError listing every problem, each with its path.
    """
    c = Checker()
    top = c.mapping(data, "")
    if top is None:
        raise PolicyFormatError(c.issues)
    extras = c.keys(top, _TOP_KEYS, "")

    fmt = top.get("format")
    if fmt is None:
        c.fail("format", "format.format_required", format=FORMAT)
    elif fmt != FORMAT:
        c.fail("format", "format.unsupported", value=repr(fmt), format=FORMAT)
    organisation = c.text(top, "organisation", "")
    language = c.choice(c.text(top, "language", ""), LANGUAGES, "language")
    version = _version(c, top.get("version"))
    adopted = _adopted(c, top["adopted"]) if top.get("adopted") is not None else None
    review = parse_review(c, top["review"]) if top.get("review") is not None else None

    raw_sections = c.items(top, "sections", required=True)
    raw_groups = c.items(top, "groups", required=False)
    raw_roles = c.items(top, "roles", required=True)
    raw_rules = c.items(top, "rules", required=True)

    section_ids = _ids_of(raw_sections)
    group_ids = _ids_of(raw_groups)
    role_ids = _ids_of(raw_roles)
    c.unique_ids(section_ids, "sections", "section")
    c.unique_ids(group_ids, "groups", "group")
    c.unique_ids(role_ids, "roles", "role")
    c.unique_ids(_ids_of(raw_rules), "rules", "rule")
    known_roles = [r for _, r in role_ids if r is not None]
    known_groups = [g for _, g in group_ids if g is not None]

    sections = [_section(c, s, f"sections[{i}]") for i, s in enumerate(raw_sections)]
    groups = [_group(c, g, f"groups[{i}]") for i, g in enumerate(raw_groups)]
    roles = [_role(c, r, f"roles[{i}]") for i, r in enumerate(raw_roles)]
    rules = [_rule(c, r, f"rules[{i}]", known_roles, known_groups) for i, r in enumerate(raw_rules)]
    default = _default(c, top.get("default"), known_roles)
    _check_rule_sections(c, rules, {s for _, s in section_ids})

    if c.issues or organisation is None or not is_language(language) or default is None:
        raise PolicyFormatError(c.issues)
    return PolicyDocument(
        organisation=organisation,
        language=language,
        sections=tuple(s for s in sections if s is not None),
        roles=tuple(r for r in roles if r is not None),
        rules=tuple(r for r in rules if r is not None),
        default=default,
        groups=tuple(g for g in groups if g is not None),
        version=version,
        adopted=adopted,
        review=review,
        format=FORMAT,
        extras=extras,
    )


def _field_check(build: Callable[[Checker], Any]) -> list[FormatIssue]:
    c = Checker()
    build(c)
    return c.issues


def validate_rule(
    data: dict[str, Any],
    *,
    role_ids: Iterable[str],
    group_ids: Iterable[str],
    path: str = "rule",
) -> list[FormatIssue]:
    """The problems with one rule (for edit modals); empty when it is fine."""
    roles, groups = list(role_ids), list(group_ids)
    return _field_check(lambda c: _rule(c, data, path, roles, groups))


def validate_role(data: dict[str, Any], *, path: str = "role") -> list[FormatIssue]:
    """The problems with one role; empty when it is fine. Its contact may be a
    `NameToResolve` (a typed name Slack has not resolved yet), checked as a name."""
    return _field_check(lambda c: _role(c, data, path))


def validate_group(data: dict[str, Any], *, path: str = "group") -> list[FormatIssue]:
    """The problems with one group; empty when it is fine."""
    return _field_check(lambda c: _group(c, data, path))
