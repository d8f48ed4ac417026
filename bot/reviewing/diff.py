"""What changed between two versions of the policy: rules, sections, roles, groups, default."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from bot.policy.yaml_io import json_safe


@dataclass(frozen=True)
class PolicyDiff:
    rules_added: list[str] = field(default_factory=list)
    rules_removed: list[str] = field(default_factory=list)
    rules_changed: dict[str, list[str]] = field(default_factory=dict)  # id → fields changed
    sections_added: list[str] = field(default_factory=list)
    sections_removed: list[str] = field(default_factory=list)
    sections_changed: list[str] = field(default_factory=list)
    roles_added: list[str] = field(default_factory=list)
    roles_removed: list[str] = field(default_factory=list)
    roles_changed: list[str] = field(default_factory=list)
    groups_changed: list[str] = field(default_factory=list)
    default_changed: bool = False
    first: bool = False  # there was nothing to compare with

    @property
    def empty(self) -> bool:
        return not any(
            (
                self.rules_added,
                self.rules_removed,
                self.rules_changed,
                self.sections_added,
                self.sections_removed,
                self.sections_changed,
                self.roles_added,
                self.roles_removed,
                self.roles_changed,
                self.groups_changed,
                self.default_changed,
            )
        )

    def as_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


def _by_id(items: Any) -> dict[str, dict[str, Any]]:
    return {str(i.get("id")): i for i in items or [] if isinstance(i, dict)}


def _changed_fields(old: dict[str, Any], new: dict[str, Any]) -> list[str]:
    return sorted(k for k in set(old) | set(new) if old.get(k) != new.get(k))


def _added(old: dict[str, Any], new: dict[str, Any]) -> list[str]:
    return [i for i in new if i not in old]


def _changed(old: dict[str, Any], new: dict[str, Any]) -> list[str]:
    return [i for i, item in new.items() if i in old and old[i] != item]


def diff(old: dict[str, Any] | None, new: dict[str, Any]) -> PolicyDiff:
    """What changed from `old` to `new` (two policy dicts); `old` None: everything is new."""
    first = old is None
    before, after = json_safe(old or {}), json_safe(new)
    old_rules, new_rules = _by_id(before.get("rules")), _by_id(after.get("rules"))
    old_sections, new_sections = _by_id(before.get("sections")), _by_id(after.get("sections"))
    old_roles, new_roles = _by_id(before.get("roles")), _by_id(after.get("roles"))
    old_groups, new_groups = _by_id(before.get("groups")), _by_id(after.get("groups"))
    return PolicyDiff(
        rules_added=_added(old_rules, new_rules),
        rules_removed=_added(new_rules, old_rules),
        rules_changed={
            i: _changed_fields(old_rules[i], new_rules[i]) for i in _changed(old_rules, new_rules)
        },
        sections_added=_added(old_sections, new_sections),
        sections_removed=_added(new_sections, old_sections),
        sections_changed=_changed(old_sections, new_sections),
        roles_added=_added(old_roles, new_roles),
        roles_removed=_added(new_roles, old_roles),
        roles_changed=_changed(old_roles, new_roles),
        groups_changed=sorted(
            i for i in set(old_groups) | set(new_groups) if old_groups.get(i) != new_groups.get(i)
        ),
        default_changed=not first and before.get("default") != after.get("default"),
        first=first,
    )


def section_titles(data: dict[str, Any]) -> dict[str, str]:
    sections = data.get("sections") or []
    return {str(s.get("id")): str(s.get("title") or s.get("id")) for s in sections}
