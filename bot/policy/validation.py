"""Validation of the `policybot/1` format: plain data (as YAML or JSON gives it) in, typed
`PolicyDocument` parts out.

Validation collects every problem before it raises, so one import run tells the author
everything that is wrong, each problem named by its path
(`rules[3].verdict: 'maybe' is not one of forbidden, review, allowed`).

The field-level checks (`validate_rule`, `validate_role`, `validate_group`) are the same code
the whole-file parser uses, so an edit modal and an import can never disagree.
"""

from __future__ import annotations

import copy
import datetime
import re
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from bot.policy.model import (
    DEFAULT_VERDICTS,
    DETECTORS,
    EVERYONE,
    FORMAT,
    LANGUAGES,
    STANDARD_SECTION_IDS,
    VERDICTS,
    Adopted,
    Default,
    FormatIssue,
    Group,
    PolicyDocument,
    PolicyFormatError,
    Role,
    Rule,
    Section,
)

_ID = re.compile(r"^[^\W_][\w.\-]*$")
_CHANNEL = re.compile(r"^#[^\s#@<>|,]{1,80}$")
_USER = re.compile(r"^@[UW][A-Z0-9]{2,}$")
_USER_GROUP_ID = re.compile(r"^S[A-Z0-9]{2,}$")
_USER_GROUP_HANDLE = re.compile(r"^@[\w.\-]{1,80}$")
_EMAIL = re.compile(r"^[^@\s<>]+@[^@\s<>.]+(?:\.[^@\s<>.]+)+$")


# -- the checker: walks plain data, collects issues, builds typed values ---------------------
def at_path(path: str, key: str | int) -> str:
    """The path of `key` under `path` (`rules[3].verdict`); `yaml_io` names YAML nodes alike."""
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


class Checker:
    """Collects issues while walking plain data; `yaml_io` adds its duplicate-key issues too."""

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
                where = at_path(path, str(key))
                self.fail(where, f"unknown key; expected {', '.join(allowed)} (or x-… of your own)")
        return extras

    def text(self, data: Mapping[str, Any], key: str, path: str, *, required: bool = True):
        where = at_path(path, key)
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
            self.fail(at_path(path, key), f"{value!r} is not a short id (letters, digits, - _ .)")
            return None
        return value

    def texts(
        self, data: Mapping[str, Any], key: str, path: str, *, numbers_ok: bool = False
    ) -> tuple[str, ...]:
        """An optional list of non-empty texts (a single text is not a list: say so)."""
        where = at_path(path, key)
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
                self.fail(at_path(where, i), f"must be text, not {_kind(item)}{hint}")
            elif not item.strip():
                self.fail(at_path(where, i), "must not be empty")
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
                    at_path(at_path(path, index), "id"),
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
    "examples",
    "not_examples",
    "context",
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
        c.fail(
            at_path(path, "id"), f"{EVERYONE!r} is the implicit group of everyone; pick another id"
        )
        group_id = None
    name = c.text(data, "name", path)
    slack = c.text(data, "slack", path)
    if slack is not None and not (_USER_GROUP_ID.match(slack) or _USER_GROUP_HANDLE.match(slack)):
        c.fail(
            at_path(path, "slack"),
            f"{slack!r} is not a Slack user group: use its @handle or its ID (S0123ABCD)",
        )
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
    contact = c.text(data, "contact", path)
    if contact is not None and not _is_contact(contact.strip()):
        c.fail(
            at_path(path, "contact"),
            f"{contact!r} is not a contact: use #channel, @U0123ABCD (a person), "
            "S0123ABCD (a user group) or an e-mail address",
        )
        contact = None
    handles = c.text(data, "handles", path)
    keywords = c.texts(data, "keywords", path, numbers_ok=True)
    if role_id is None or name is None or contact is None or handles is None:
        return None
    return Role(role_id, name, contact.strip(), handles, keywords, extras)


def _patterns(c: Checker, data: Mapping[str, Any], path: str) -> tuple[str, ...]:
    where = at_path(path, "patterns")
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
            c.fail(at_path(where, i), "must be a regular expression (text, not empty)")
            continue
        try:
            re.compile(pattern, re.IGNORECASE)
        except re.error as error:
            c.fail(at_path(where, i), f"is not a valid regular expression: {error}")
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
        c.fail(
            at_path(path, "role"), f"{role!r} is not a role id ({', '.join(known_roles) or 'none'})"
        )
        role = None
    elif role is None and verdict == "review" and "role" not in _bad_keys(c, path):
        c.fail(at_path(path, "role"), "is required when the verdict is review (who reviews it?)")
    applies_to = c.texts(data, "applies_to", path)
    for i, group in enumerate(applies_to):
        if group not in known_groups:
            c.fail(
                at_path(at_path(path, "applies_to"), i),
                f"{group!r} is not a group id ({', '.join(known_groups)})",
            )
    keywords = c.texts(data, "keywords", path, numbers_ok=True)
    unless = c.texts(data, "unless", path, numbers_ok=True)
    detect = c.texts(data, "detect", path)
    for i, name in enumerate(detect):
        if name not in DETECTORS:
            c.fail(at_path(at_path(path, "detect"), i), _one_of(name, DETECTORS))
    patterns = _patterns(c, data, path)
    examples = c.texts(data, "examples", path)
    not_examples = c.texts(data, "not_examples", path)
    context = c.texts(data, "context", path, numbers_ok=True)
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
        examples=examples,
        not_examples=not_examples,
        context=context,
    )


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
        c.fail(path, "is required")
    else:
        c.fail(path, f"{value!r} is not a date (write it as YYYY-MM-DD)")
    return None


def _adopted(c: Checker, value: Any) -> Adopted | None:
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


def _default(c: Checker, value: Any, role_ids: list[str]) -> Default | None:
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


def _version(c: Checker, value: Any) -> str | None:
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


def _check_rule_sections(c: Checker, rules: list[Rule | None], present: set[str | None]) -> None:
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
    c = Checker()
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
    """The problems with one role; empty when it is fine."""
    return _field_check(lambda c: _role(c, data, path))


def validate_group(data: dict[str, Any], *, path: str = "group") -> list[FormatIssue]:
    """The problems with one group; empty when it is fine."""
    return _field_check(lambda c: _group(c, data, path))


def _parsed(build: Callable[[Checker], Any]) -> Any:
    c = Checker()
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
