"""The standard rule library and the standard roles it routes to.

The data lives in `policy_content/standard_rules.yml` and `standard_roles.yml`. A working
group adopts library rules in the employees drafting session (question `employees.library`);
`LibraryRule.to_rule_dict(lang)` and `StandardRole.to_role_dict(lang, contact)` turn them
into policybot/1 rule and role dicts in the policy's language, ready to become draft rules
and roles that the group then adjusts.

Both files are validated on first load: a library rule that names an unknown role, an
unknown detector or a regex that does not compile would otherwise only surface when an
employee's question happens to hit it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from bot import yaml_safe
from bot.drafting.content_file import ContentReader, Localized, language
from bot.policy.model import DETECTORS
from bot.vocabulary import LANGUAGES, VERDICTS

#: The built-in detectors of policybot/1 (policy-format.md, "rules").

#: Adopted library rules land in the employees section: that is where the group picks them.
LIBRARY_SECTION = "employees"

RULES_RESOURCE = "standard_rules.yml"
ROLES_RESOURCE = "standard_roles.yml"

_ID = re.compile(r"^[a-z][a-z0-9_-]*$")


class LibraryError(ValueError):
    """A library file breaks its format; the message names the path of the bad value."""


@dataclass(frozen=True)
class Keywords:
    """Keywords in Dutch and English; the matcher uses both whatever the policy's language."""

    nl: tuple[str, ...]
    en: tuple[str, ...]

    def ordered(self, lang: str | None) -> list[str]:
        """All keywords, those of `lang` first (the way a reader of that policy expects to
        see them), without duplicates that differ only in case."""
        first, second = (self.nl, self.en) if language(lang) == "nl" else (self.en, self.nl)
        seen: set[str] = set()
        result = []
        for keyword in (*first, *second):
            if keyword.casefold() not in seen:
                seen.add(keyword.casefold())
                result.append(keyword)
        return result


@dataclass(frozen=True)
class StandardRole:
    """A role the library refers to. `contact` is empty until the organisation fills it."""

    id: str
    name: Localized
    handles: Localized
    keywords: Keywords
    contact: str = ""

    def to_role_dict(self, lang: str, contact: str | None = None) -> dict[str, Any]:
        """A policybot/1 role dict in `lang`; `contact` overrides the stored (empty) one."""
        return {
            "id": self.id,
            "name": self.name.get(lang),
            "contact": self.contact if contact is None else contact,
            "handles": self.handles.get(lang),
            "keywords": self.keywords.ordered(lang),
        }


@dataclass(frozen=True)
class LibraryRule:
    """A standard rule: a policybot/1 rule with a title and texts in both languages."""

    id: str
    title: Localized
    verdict: str
    text: Localized
    role: str
    keywords: Keywords
    unless: tuple[str, ...] = ()
    detect: tuple[str, ...] = ()
    patterns: tuple[str, ...] = ()
    #: For whom the rule is meant (e.g. spokespeople); the policy's applies_to stays empty
    #: because groups are the organisation's own.
    applies_to_hint: Localized | None = None

    def to_rule_dict(self, lang: str) -> dict[str, Any]:
        """A policybot/1 rule dict with the text in `lang` and keywords of both languages.

        Every key is present (lists may be empty), so callers need no `.get` defaults.
        """
        return {
            "id": self.id,
            "section": LIBRARY_SECTION,
            "verdict": self.verdict,
            "text": self.text.get(lang),
            "role": self.role,
            "keywords": self.keywords.ordered(lang),
            "unless": list(self.unless),
            "detect": list(self.detect),
            "patterns": list(self.patterns),
        }


# --- Loading --------------------------------------------------------------------------------


def load_rule_library() -> list[LibraryRule]:
    """The standard rules in file order (a fresh list; the rules themselves are frozen)."""
    return list(_rules())


def library_rule(rule_id: str) -> LibraryRule:
    for rule in _rules():
        if rule.id == rule_id:
            return rule
    raise KeyError(f"no rule {rule_id!r} in the standard rule library")


def load_standard_roles() -> list[StandardRole]:
    """The standard roles in file order (a fresh list)."""
    return list(_roles())


def standard_role(role_id: str) -> StandardRole:
    for role in _roles():
        if role.id == role_id:
            return role
    raise KeyError(f"no role {role_id!r} among the standard roles")


def _read(resource: str) -> Any:
    text = resources.files("policy_content").joinpath(resource).read_text("utf-8")
    return yaml_safe.load(text)


@cache
def _roles() -> tuple[StandardRole, ...]:
    return parse_standard_roles(_read(ROLES_RESOURCE))


@cache
def _rules() -> tuple[LibraryRule, ...]:
    role_ids = {role.id for role in _roles()}
    return parse_rule_library(_read(RULES_RESOURCE), role_ids)


# --- Parsing and validation -------------------------------------------------------------------


def parse_standard_roles(data: Any, source: str = ROLES_RESOURCE) -> tuple[StandardRole, ...]:
    p = _Parser(source)
    items = p.top_list(data, "roles")
    roles: list[StandardRole] = []
    for i, raw in enumerate(items):
        path = f"roles[{i}]"
        raw = p.mapping(raw, path, {"id", "name", "handles", "keywords", "contact"})
        role_id = p.unique_id(raw.get("id"), f"{path}.id", {r.id for r in roles})
        contact = raw.get("contact") or ""
        if not isinstance(contact, str):
            raise p.fail(f"{path}.contact", "expected text")
        roles.append(
            StandardRole(
                id=role_id,
                name=p.localized(raw.get("name"), f"{path}.name"),
                handles=p.localized(raw.get("handles"), f"{path}.handles"),
                keywords=p.keywords(raw.get("keywords"), f"{path}.keywords"),
                contact=contact,
            )
        )
    return tuple(roles)


def parse_rule_library(
    data: Any, role_ids: set[str], source: str = RULES_RESOURCE
) -> tuple[LibraryRule, ...]:
    p = _Parser(source)
    items = p.top_list(data, "rules")
    rules: list[LibraryRule] = []
    allowed = {"id", "title", "verdict", "text", "role", "keywords", "unless", "detect"}
    allowed |= {"patterns", "applies_to_hint"}
    for i, raw in enumerate(items):
        path = f"rules[{i}]"
        raw = p.mapping(raw, path, allowed)
        rule_id = p.unique_id(raw.get("id"), f"{path}.id", {r.id for r in rules})
        verdict = raw.get("verdict")
        if verdict not in VERDICTS:
            raise p.fail(f"{path}.verdict", f"{verdict!r} is not one of {', '.join(VERDICTS)}")
        # Every library rule names a role, not only review rules: an employee who hits a
        # forbidden rule still needs someone to ask.
        role = raw.get("role")
        if role not in role_ids:
            raise p.fail(f"{path}.role", f"{role!r} is not a standard role")
        detect = p.strings(raw.get("detect", []), f"{path}.detect")
        for j, detector in enumerate(detect):
            if detector not in DETECTORS:
                raise p.fail(
                    f"{path}.detect[{j}]", f"{detector!r} is not one of {', '.join(DETECTORS)}"
                )
        patterns = p.strings(raw.get("patterns", []), f"{path}.patterns")
        for j, pattern in enumerate(patterns):
            try:
                re.compile(pattern, re.IGNORECASE)
            except re.error as exc:
                raise p.fail(f"{path}.patterns[{j}]", f"does not compile: {exc}") from None
        hint = raw.get("applies_to_hint")
        applies_to_hint = None if hint is None else p.localized(hint, f"{path}.applies_to_hint")
        rules.append(
            LibraryRule(
                id=rule_id,
                title=p.localized(raw.get("title"), f"{path}.title"),
                verdict=verdict,
                text=p.localized(raw.get("text"), f"{path}.text"),
                role=role,
                keywords=p.keywords(raw.get("keywords"), f"{path}.keywords"),
                unless=p.strings(raw.get("unless", []), f"{path}.unless"),
                detect=detect,
                patterns=patterns,
                applies_to_hint=applies_to_hint,
            )
        )
    return tuple(rules)


class _Parser(ContentReader):
    error = LibraryError

    def top_list(self, data: Any, key: str) -> list[Any]:
        data = self.mapping(data, "(top)", {key})
        items = data.get(key)
        if not isinstance(items, list) or not items:
            raise self.fail(key, "expected a non-empty list")
        return items

    def unique_id(self, value: Any, path: str, taken: set[str]) -> str:
        if not isinstance(value, str) or not _ID.match(value):
            raise self.fail(path, f"{value!r} is not an id (lower case, digits, - and _)")
        if value in taken:
            raise self.fail(path, f"{value!r} is not unique")
        return value

    def strings(self, value: Any, path: str) -> tuple[str, ...]:
        if not isinstance(value, list):
            raise self.fail(path, "expected a list")
        for j, item in enumerate(value):
            if not isinstance(item, str) or not item.strip():
                raise self.fail(f"{path}[{j}]", f"{item!r} is not a non-empty text")
        return tuple(item.strip() for item in value)

    def keywords(self, value: Any, path: str) -> Keywords:
        # Both languages are required: the matcher looks for both whatever the policy's
        # language, and a Dutch policy's employees ask in English too.
        value = self.mapping(value, path, set(LANGUAGES))
        lists = {}
        for lang in LANGUAGES:
            words = self.strings(value.get(lang), f"{path}.{lang}")
            if not words:
                raise self.fail(f"{path}.{lang}", "needs at least one keyword")
            folded = [w.casefold() for w in words]
            for j, word in enumerate(folded):
                if word in folded[:j]:
                    raise self.fail(f"{path}.{lang}[{j}]", f"{words[j]!r} is listed twice")
            lists[lang] = words
        return Keywords(**lists)
