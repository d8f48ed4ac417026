"""The `policybot/1` policy file as typed, immutable data, with the format's validation.

The contract is `../shared/design/policy-format.md`. This module turns the plain data a YAML
or JSON file gives into a `PolicyDocument` (`parse_policy`, `load_policy_yaml`) and back
(`policy_to_dict`, `dump_policy_yaml`) without losing a field: keys starting with `x-` are
kept in the `extras` of the object they sit on. Validation collects every problem before it
raises, so one import run tells the author everything that is wrong, each problem named by
its path (`rules[3].verdict: 'maybe' is not one of forbidden, review, allowed`).

The field-level checks (`validate_rule`, `validate_role`, `validate_group`) are the same code
the whole-file parser uses, so an edit modal and an import can never disagree.
"""

from __future__ import annotations

import copy
import datetime
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import yaml

FORMAT = "policybot/1"
VERDICTS = ("forbidden", "review", "allowed")
DEFAULT_VERDICTS = ("allowed", "review")
DETECTORS = ("email", "phone", "iban", "bsn", "card")
LANGUAGES = ("nl", "en")
STANDARD_SECTION_IDS = (
    "cover",
    "ownership",
    "purpose",
    "identity",
    "employees",
    "communications",
    "practice",
    "adoption",
)
EVERYONE = "all"  # the implicit group every asker is in

_ID = re.compile(r"^[^\W_][\w.\-]*$")
_CHANNEL = re.compile(r"^#[^\s#@<>|,]{1,80}$")
_USER = re.compile(r"^@[UW][A-Z0-9]{2,}$")
_USER_GROUP_ID = re.compile(r"^S[A-Z0-9]{2,}$")
_USER_GROUP_HANDLE = re.compile(r"^@[\w.\-]{1,80}$")
_EMAIL = re.compile(r"^[^@\s<>]+@[^@\s<>.]+(?:\.[^@\s<>.]+)+$")


# -- the document ---------------------------------------------------------------------------
def _extras() -> dict[str, Any]:
    # Extras take part in ==, not in hash: the rest of a document stays hashable.
    return field(default_factory=dict, hash=False)


@dataclass(frozen=True)
class Section:
    id: str
    title: str
    text: str = ""
    extras: dict[str, Any] = _extras()


@dataclass(frozen=True)
class Group:
    id: str
    name: str
    slack: str
    extras: dict[str, Any] = _extras()


@dataclass(frozen=True)
class Role:
    id: str
    name: str
    contact: str
    handles: str
    keywords: tuple[str, ...] = ()
    extras: dict[str, Any] = _extras()


@dataclass(frozen=True)
class Rule:
    id: str
    verdict: str
    text: str
    section: str | None = None
    role: str | None = None
    applies_to: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()
    unless: tuple[str, ...] = ()
    detect: tuple[str, ...] = ()
    patterns: tuple[str, ...] = ()
    extras: dict[str, Any] = _extras()


@dataclass(frozen=True)
class Adopted:
    at: datetime.date
    by: str
    decisions: tuple[str, ...] = ()
    extras: dict[str, Any] = _extras()


@dataclass(frozen=True)
class Default:
    verdict: str
    role: str
    extras: dict[str, Any] = _extras()


@dataclass(frozen=True)
class PolicyDocument:
    organisation: str
    language: str
    sections: tuple[Section, ...]
    roles: tuple[Role, ...]
    rules: tuple[Rule, ...]
    default: Default
    groups: tuple[Group, ...] = ()
    version: str | None = None
    adopted: Adopted | None = None
    format: str = FORMAT
    extras: dict[str, Any] = _extras()

    def role(self, role_id: str) -> Role | None:
        return next((r for r in self.roles if r.id == role_id), None)

    def rule(self, rule_id: str) -> Rule | None:
        return next((r for r in self.rules if r.id == rule_id), None)

    def section(self, section_id: str) -> Section | None:
        return next((s for s in self.sections if s.id == section_id), None)

    def group(self, group_id: str) -> Group | None:
        return next((g for g in self.groups if g.id == group_id), None)


# -- errors ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class FormatIssue:
    """One problem, at the path of the bad value (`rules[3].verdict`)."""

    path: str
    message: str
    line: int | None = field(default=None, compare=False)  # in the YAML file, when known

    def __str__(self) -> str:
        return f"{self.path}: {self.message}" if self.path else self.message


class PolicyFormatError(ValueError):
    """A policy that breaks the format; `errors` holds every problem found."""

    def __init__(self, errors: Iterable[FormatIssue]) -> None:
        self.errors: list[FormatIssue] = list(errors)
        super().__init__("\n".join(str(issue) for issue in self.errors))


# -- the checker: walks plain data, collects issues, builds typed values ---------------------
def _at(path: str, key: str | int) -> str:
    if isinstance(key, int):
        return f"{path}[{key}]"
    return f"{path}.{key}" if path else key


def _one_of(value: Any, allowed: Iterable[str]) -> str:
    return f"{value!r} is not one of {', '.join(allowed)}"


def _kind(value: Any) -> str:
    if value is None:
        return "empty"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, list | tuple):
        return "a list"
    if isinstance(value, Mapping):
        return "a mapping"
    if isinstance(value, datetime.date):
        return "a date"
    return type(value).__name__


class _Checker:
    def __init__(self) -> None:
        self.issues: list[FormatIssue] = []

    def fail(self, path: str, message: str) -> None:
        self.issues.append(FormatIssue(path, message))

    def mapping(self, value: Any, path: str) -> Mapping[str, Any] | None:
        if isinstance(value, Mapping):
            return value
        self.fail(path, f"must be a mapping of keys to values, not {_kind(value)}")
        return None

    def keys(self, data: Mapping[Any, Any], allowed: tuple[str, ...], path: str) -> dict[str, Any]:
        """Reports unknown keys; returns the `x-` ones, which the format keeps as extras."""
        extras: dict[str, Any] = {}
        for key in data:
            if isinstance(key, str) and key.startswith("x-"):
                extras[key] = copy.deepcopy(data[key])
            elif key not in allowed:
                where = _at(path, str(key))
                self.fail(where, f"unknown key; expected {', '.join(allowed)} (or x-… of your own)")
        return extras

    def text(self, data: Mapping[str, Any], key: str, path: str, *, required: bool = True):
        where = _at(path, key)
        value = data.get(key)
        if value is None:
            if required:
                self.fail(where, "is required")
            return None
        if not isinstance(value, str):
            hint = " (put it in quotes)" if isinstance(value, int | float | datetime.date) else ""
            self.fail(where, f"must be text, not {_kind(value)}{hint}")
            return None
        if required and not value.strip():
            self.fail(where, "must not be empty")
            return None
        return value

    def ident(self, data: Mapping[str, Any], key: str, path: str) -> str | None:
        value = self.text(data, key, path)
        if value is not None and not _ID.match(value):
            self.fail(_at(path, key), f"{value!r} is not a short id (letters, digits, - _ .)")
            return None
        return value

    def texts(
        self, data: Mapping[str, Any], key: str, path: str, *, numbers_ok: bool = False
    ) -> tuple[str, ...]:
        """An optional list of non-empty texts (a single text is not a list: say so)."""
        where = _at(path, key)
        value = data.get(key)
        if value is None:
            return ()
        if not isinstance(value, list | tuple):
            self.fail(where, f"must be a list, not {_kind(value)}")
            return ()
        out: list[str] = []
        for i, item in enumerate(value):
            if numbers_ok and isinstance(item, int) and not isinstance(item, bool):
                item = str(item)  # `112` as a keyword is the number people type
            if not isinstance(item, str):
                hint = " (put it in quotes)" if isinstance(item, bool | float) else ""
                self.fail(_at(where, i), f"must be text, not {_kind(item)}{hint}")
            elif not item.strip():
                self.fail(_at(where, i), "must not be empty")
            else:
                out.append(item.strip())
        return tuple(out)

    def choice(self, value: str | None, allowed: tuple[str, ...], path: str) -> str | None:
        if value is not None and value not in allowed:
            self.fail(path, _one_of(value, allowed))
            return None
        return value

    def unique_ids(self, items: Iterable[tuple[int, str | None]], path: str, what: str) -> None:
        first: dict[str, int] = {}
        for index, item_id in items:
            if item_id is None:
                continue
            folded = item_id.casefold()  # R01 and r01 would be the same rule to a reader
            if folded in first:
                self.fail(
                    _at(_at(path, index), "id"),
                    f"duplicate {what} id {item_id!r} (also {path}[{first[folded]}])",
                )
            else:
                first[folded] = index

    def items(self, data: Mapping[str, Any], key: str, *, required: bool) -> list[Any]:
        value = data.get(key)
        if value is None:
            if required:
                self.fail(key, "is required")
            return []
        if not isinstance(value, list | tuple):
            self.fail(key, f"must be a list, not {_kind(value)}")
            return []
        return list(value)


# -- the parts ------------------------------------------------------------------------------
_SECTION_KEYS = ("id", "title", "text")
_GROUP_KEYS = ("id", "name", "slack")
_ROLE_KEYS = ("id", "name", "contact", "handles", "keywords")
_RULE_KEYS = (
    "id",
    "verdict",
    "text",
    "section",
    "role",
    "applies_to",
    "keywords",
    "unless",
    "detect",
    "patterns",
)
_ADOPTED_KEYS = ("at", "by", "decisions")
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
)


def _is_contact(value: str) -> bool:
    return bool(
        _CHANNEL.match(value)
        or _USER.match(value)
        or _USER_GROUP_ID.match(value)
        or _EMAIL.match(value)
    )


def _section(c: _Checker, value: Any, path: str) -> Section | None:
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


def _group(c: _Checker, value: Any, path: str) -> Group | None:
    data = c.mapping(value, path)
    if data is None:
        return None
    extras = c.keys(data, _GROUP_KEYS, path)
    group_id = c.ident(data, "id", path)
    if group_id is not None and group_id.casefold() == EVERYONE:
        c.fail(_at(path, "id"), f"{EVERYONE!r} is the implicit group of everyone; pick another id")
        group_id = None
    name = c.text(data, "name", path)
    slack = c.text(data, "slack", path)
    if slack is not None and not (_USER_GROUP_ID.match(slack) or _USER_GROUP_HANDLE.match(slack)):
        c.fail(
            _at(path, "slack"),
            f"{slack!r} is not a Slack user group: use its @handle or its ID (S0123ABCD)",
        )
        slack = None
    if group_id is None or name is None or slack is None:
        return None
    return Group(group_id, name, slack, extras)


def _role(c: _Checker, value: Any, path: str) -> Role | None:
    data = c.mapping(value, path)
    if data is None:
        return None
    extras = c.keys(data, _ROLE_KEYS, path)
    role_id = c.ident(data, "id", path)
    name = c.text(data, "name", path)
    contact = c.text(data, "contact", path)
    if contact is not None and not _is_contact(contact.strip()):
        c.fail(
            _at(path, "contact"),
            f"{contact!r} is not a contact: use #channel, @U0123ABCD (a person), "
            "S0123ABCD (a user group) or an e-mail address",
        )
        contact = None
    handles = c.text(data, "handles", path)
    keywords = c.texts(data, "keywords", path, numbers_ok=True)
    if role_id is None or name is None or contact is None or handles is None:
        return None
    return Role(role_id, name, contact.strip(), handles, keywords, extras)


def _patterns(c: _Checker, data: Mapping[str, Any], path: str) -> tuple[str, ...]:
    where = _at(path, "patterns")
    raw = data.get("patterns")
    if raw is None:
        return ()
    if not isinstance(raw, list | tuple):
        c.fail(where, f"must be a list, not {_kind(raw)}")
        return ()
    good: list[str] = []
    for i, pattern in enumerate(raw):
        # Kept exactly as written: whitespace can matter in a regular expression.
        if not isinstance(pattern, str) or not pattern.strip():
            c.fail(_at(where, i), "must be a regular expression (text, not empty)")
            continue
        try:
            re.compile(pattern, re.IGNORECASE)
        except re.error as error:
            c.fail(_at(where, i), f"is not a valid regular expression: {error}")
            continue
        good.append(pattern)
    return tuple(good)


def _rule(
    c: _Checker, value: Any, path: str, role_ids: Iterable[str], group_ids: Iterable[str]
) -> Rule | None:
    data = c.mapping(value, path)
    if data is None:
        return None
    known_roles = list(role_ids)
    known_groups = [EVERYONE, *group_ids]
    extras = c.keys(data, _RULE_KEYS, path)
    rule_id = c.ident(data, "id", path)
    verdict = c.choice(c.text(data, "verdict", path), VERDICTS, _at(path, "verdict"))
    text = c.text(data, "text", path)
    section = c.ident(data, "section", path) if data.get("section") is not None else None
    role = c.text(data, "role", path, required=False)
    if role is not None and role not in known_roles:
        c.fail(_at(path, "role"), f"{role!r} is not a role id ({', '.join(known_roles) or 'none'})")
        role = None
    elif role is None and verdict == "review" and "role" not in _bad_keys(c, path):
        c.fail(_at(path, "role"), "is required when the verdict is review (who reviews it?)")
    applies_to = c.texts(data, "applies_to", path)
    for i, group in enumerate(applies_to):
        if group not in known_groups:
            c.fail(
                _at(_at(path, "applies_to"), i),
                f"{group!r} is not a group id ({', '.join(known_groups)})",
            )
    keywords = c.texts(data, "keywords", path, numbers_ok=True)
    unless = c.texts(data, "unless", path, numbers_ok=True)
    detect = c.texts(data, "detect", path)
    for i, name in enumerate(detect):
        if name not in DETECTORS:
            c.fail(_at(_at(path, "detect"), i), _one_of(name, DETECTORS))
    patterns = _patterns(c, data, path)
    if rule_id is None or verdict is None or text is None:
        return None
    return Rule(
        rule_id,
        verdict,
        text,
        section,
        role,
        applies_to,
        keywords,
        unless,
        detect,
        patterns,
        extras,
    )


def _bad_keys(c: _Checker, path: str) -> set[str]:
    """Keys of `path` that already have an issue (so a bad role is not also 'missing')."""
    prefix = f"{path}."
    return {i.path[len(prefix) :].split("[")[0] for i in c.issues if i.path.startswith(prefix)}


def _date(c: _Checker, value: Any, path: str) -> datetime.date | None:
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
        c.fail(path, "is required")
    else:
        c.fail(path, f"{value!r} is not a date (write it as YYYY-MM-DD)")
    return None


def _adopted(c: _Checker, value: Any) -> Adopted | None:
    data = c.mapping(value, "adopted")
    if data is None:
        return None
    extras = c.keys(data, _ADOPTED_KEYS, "adopted")
    at = _date(c, data.get("at"), "adopted.at")
    by = c.text(data, "by", "adopted")
    decisions = c.texts(data, "decisions", "adopted")
    if at is None or by is None:
        return None
    return Adopted(at, by, decisions, extras)


def _default(c: _Checker, value: Any, role_ids: list[str]) -> Default | None:
    if value is None:
        c.fail("default", "is required ({verdict: allowed or review, role: role id})")
        return None
    data = c.mapping(value, "default")
    if data is None:
        return None
    extras = c.keys(data, _DEFAULT_KEYS, "default")
    verdict = c.choice(c.text(data, "verdict", "default"), DEFAULT_VERDICTS, "default.verdict")
    role = c.text(data, "role", "default")
    if role is not None and role not in role_ids:
        c.fail("default.role", f"{role!r} is not a role id ({', '.join(role_ids) or 'none'})")
        role = None
    if verdict is None or role is None:
        return None
    return Default(verdict, role, extras)


def _version(c: _Checker, value: Any) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str) or not value.strip():
        # 2026.10 would silently become 2026.1 as a number: ask for quotes instead.
        c.fail("version", f'must be text such as "2026.1" (in quotes), not {_kind(value)}')
        return None
    return value


def _ids_of(items: list[Any]) -> list[tuple[int, str | None]]:
    """The ids of a list's items as written (for uniqueness and references), before parsing."""
    found = []
    for i, item in enumerate(items):
        if isinstance(item, Mapping) and isinstance(item.get("id"), str):
            found.append((i, item["id"]))
    return found


def _check_rule_sections(c: _Checker, rules: list[Rule | None], present: set[str | None]) -> None:
    """A rule's section is one of the file's sections or a standard one (a draft may not have
    written every standard section yet); anything else is most likely a typo."""
    known = [*STANDARD_SECTION_IDS, *(s for s in present if s and s not in STANDARD_SECTION_IDS)]
    for i, rule in enumerate(rules):
        if rule is not None and rule.section is not None and rule.section not in known:
            c.fail(
                f"rules[{i}].section",
                f"{rule.section!r} is not a section id ({', '.join(known)})",
            )


# -- public: parse --------------------------------------------------------------------------
def parse_policy(data: object) -> PolicyDocument:
    """The typed document for plain data (as YAML or JSON gives it).

    Raises PolicyFormatError listing every problem, each with its path.
    """
    c = _Checker()
    top = c.mapping(data, "")
    if top is None:
        raise PolicyFormatError(c.issues)
    extras = c.keys(top, _TOP_KEYS, "")

    fmt = top.get("format")
    if fmt is None:
        c.fail("format", f"is required ({FORMAT})")
    elif fmt != FORMAT:
        c.fail("format", f"{fmt!r} is not supported; this bot reads {FORMAT}")
    organisation = c.text(top, "organisation", "")
    language = c.choice(c.text(top, "language", ""), LANGUAGES, "language")
    version = _version(c, top.get("version"))
    adopted = _adopted(c, top["adopted"]) if top.get("adopted") is not None else None

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
    known_roles = [r for _, r in role_ids]
    known_groups = [g for _, g in group_ids]

    sections = [_section(c, s, f"sections[{i}]") for i, s in enumerate(raw_sections)]
    groups = [_group(c, g, f"groups[{i}]") for i, g in enumerate(raw_groups)]
    roles = [_role(c, r, f"roles[{i}]") for i, r in enumerate(raw_roles)]
    rules = [_rule(c, r, f"rules[{i}]", known_roles, known_groups) for i, r in enumerate(raw_rules)]
    default = _default(c, top.get("default"), known_roles)
    _check_rule_sections(c, rules, {s for _, s in section_ids})

    if c.issues or organisation is None or language is None or default is None:
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
        format=FORMAT,
        extras=extras,
    )


def _field_check(build: Callable[[_Checker], Any]) -> list[FormatIssue]:
    c = _Checker()
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
    """The problems with one role; empty when it is fine."""
    return _field_check(lambda c: _role(c, data, path))


def validate_group(data: dict[str, Any], *, path: str = "group") -> list[FormatIssue]:
    """The problems with one group; empty when it is fine."""
    return _field_check(lambda c: _group(c, data, path))


def _parsed(build: Callable[[_Checker], Any]) -> Any:
    c = _Checker()
    value = build(c)
    if c.issues or value is None:
        raise PolicyFormatError(c.issues)
    return value


def parse_rule(
    data: dict[str, Any],
    *,
    role_ids: Iterable[str],
    group_ids: Iterable[str],
    path: str = "rule",
) -> Rule:
    """One rule as typed data; raises PolicyFormatError like `parse_policy`."""
    roles, groups = list(role_ids), list(group_ids)
    return _parsed(lambda c: _rule(c, data, path, roles, groups))


def parse_role(data: dict[str, Any], *, path: str = "role") -> Role:
    return _parsed(lambda c: _role(c, data, path))


def parse_group(data: dict[str, Any], *, path: str = "group") -> Group:
    return _parsed(lambda c: _group(c, data, path))


# -- public: back to plain data -------------------------------------------------------------
def _put(out: dict[str, Any], key: str, value: Any) -> None:
    """Optional keys are left out when absent, as an author would leave them out."""
    if value is None or value == ():
        return
    out[key] = list(value) if isinstance(value, tuple) else value


def _with_extras(out: dict[str, Any], extras: Mapping[str, Any]) -> dict[str, Any]:
    for key, value in extras.items():
        out[key] = copy.deepcopy(value)
    return out


def section_to_dict(section: Section) -> dict[str, Any]:
    out = {"id": section.id, "title": section.title, "text": section.text}
    return _with_extras(out, section.extras)


def group_to_dict(group: Group) -> dict[str, Any]:
    return _with_extras({"id": group.id, "name": group.name, "slack": group.slack}, group.extras)


def role_to_dict(role: Role) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": role.id,
        "name": role.name,
        "contact": role.contact,
        "handles": role.handles,
    }
    _put(out, "keywords", role.keywords)
    return _with_extras(out, role.extras)


def rule_to_dict(rule: Rule) -> dict[str, Any]:
    out: dict[str, Any] = {"id": rule.id, "verdict": rule.verdict, "text": rule.text}
    for key in ("section", "role", "applies_to", "keywords", "unless", "detect", "patterns"):
        _put(out, key, getattr(rule, key))
    return _with_extras(out, rule.extras)


def policy_to_dict(doc: PolicyDocument) -> dict[str, Any]:
    """Plain data in the format's key order; `parse_policy(policy_to_dict(d)) == d`."""
    out: dict[str, Any] = {
        "format": doc.format,
        "organisation": doc.organisation,
        "language": doc.language,
    }
    _put(out, "version", doc.version)
    if doc.adopted is not None:
        adopted: dict[str, Any] = {"at": doc.adopted.at, "by": doc.adopted.by}
        _put(adopted, "decisions", doc.adopted.decisions)
        out["adopted"] = _with_extras(adopted, doc.adopted.extras)
    out["sections"] = [section_to_dict(s) for s in doc.sections]
    if doc.groups:
        out["groups"] = [group_to_dict(g) for g in doc.groups]
    out["roles"] = [role_to_dict(r) for r in doc.roles]
    out["rules"] = [rule_to_dict(r) for r in doc.rules]
    default = {"verdict": doc.default.verdict, "role": doc.default.role}
    out["default"] = _with_extras(default, doc.default.extras)
    return _with_extras(out, doc.extras)


# -- public: YAML ---------------------------------------------------------------------------
def _yaml_paths(node: yaml.Node, path: str, lines: dict[str, int], c: _Checker) -> None:
    """Records the line of every path, and reports duplicate keys (PyYAML keeps the last)."""
    lines.setdefault(path, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        seen: dict[str, int] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode) or key_node.value == "<<":
                continue
            key = key_node.value
            child = _at(path, key)
            line = key_node.start_mark.line + 1
            if key in seen:
                c.issues.append(
                    FormatIssue(child, f"duplicate key (first on line {seen[key]})", line)
                )
            else:
                seen[key] = line
            _yaml_paths(value_node, child, lines, c)
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            _yaml_paths(item, _at(path, i), lines, c)


def _line_of(path: str, lines: dict[str, int]) -> int | None:
    while True:
        if path in lines:
            return lines[path]
        if not path:
            return None
        cut = max(path.rfind("."), path.rfind("["))
        path = path[:cut] if cut > 0 else ""


def _syntax_issue(error: Exception) -> FormatIssue:
    mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
    problem = getattr(error, "problem", None) or str(error).splitlines()[0]
    if mark is None:
        return FormatIssue("", f"not valid YAML: {problem}")
    line = mark.line + 1
    return FormatIssue(f"line {line}, column {mark.column + 1}", f"not valid YAML: {problem}", line)


def load_policy_yaml(text: str) -> PolicyDocument:
    """The typed document for a `policybot/1` YAML text.

    YAML syntax errors and duplicate keys are PolicyFormatErrors too; every issue carries the
    line it was found on (`issue.line`).
    """
    loader = yaml.SafeLoader(text)
    lines: dict[str, int] = {}
    c = _Checker()
    try:
        node = loader.get_single_node()
        if node is not None:
            _yaml_paths(node, "", lines, c)
            data = loader.construct_document(node)
    except yaml.YAMLError as error:
        raise PolicyFormatError([_syntax_issue(error)]) from None
    except ValueError as error:  # e.g. `at: 2026-02-30`, which PyYAML's date reader rejects
        raise PolicyFormatError([FormatIssue("", f"not valid YAML: {error}")]) from None
    finally:
        loader.dispose()
    if node is None:
        raise PolicyFormatError([FormatIssue("", "the file is empty")])
    try:
        doc = parse_policy(data)
    except PolicyFormatError as error:
        issues = c.issues + error.errors
    else:
        if not c.issues:
            return doc
        issues = c.issues
    located = [FormatIssue(i.path, i.message, i.line or _line_of(i.path, lines)) for i in issues]
    located.sort(key=lambda i: i.line or 0)  # in file order, as the author reads the file
    raise PolicyFormatError(located)


class _Flow(list):
    """A short list of words, written on one line: `keywords: [pers, press]`."""


class _Dumper(yaml.SafeDumper):
    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        # Indent list items under their key, as people write them by hand.
        return super().increase_indent(flow, False)


def _represent_text(dumper: yaml.SafeDumper, value: str) -> yaml.Node:
    # Section prose reads best as a literal block, a long rule text as a folded one.
    prose = len(value) > 80 and value.count(" ") >= 8 and "  " not in value
    style = "|" if "\n" in value else (">" if prose else None)
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


def _represent_flow(dumper: yaml.SafeDumper, value: _Flow) -> yaml.Node:
    return dumper.represent_sequence("tag:yaml.org,2002:seq", value, flow_style=True)


_Dumper.add_representer(str, _represent_text)
_Dumper.add_representer(_Flow, _represent_flow)

_FLOW_KEYS = ("keywords", "unless", "detect", "applies_to")


def _flowed(data: Any) -> Any:
    if isinstance(data, dict):
        return {
            k: _Flow(v) if k in _FLOW_KEYS and isinstance(v, list) else _flowed(v)
            for k, v in data.items()
        }
    if isinstance(data, list):
        return [_flowed(v) for v in data]
    return data


def dump_policy_yaml(doc: PolicyDocument) -> str:
    """Readable YAML in the format's key order; `load_policy_yaml(dump_policy_yaml(d)) == d`."""
    return yaml.dump(
        _flowed(policy_to_dict(doc)),
        Dumper=_Dumper,
        sort_keys=False,
        allow_unicode=True,
        default_flow_style=False,
        width=100,
    )
