"""Walking plain data (as YAML or JSON gives it) and collecting every problem on the way.

`validation` builds the typed document with it; `yaml_io` adds the YAML file's own problems
(duplicate keys) to the same list, so an author sees all of them at once.
"""

from __future__ import annotations

import copy
import datetime
import re
from collections.abc import Iterable, Mapping
from typing import Any

from bot.policy.model import FormatIssue, issue

ID_PATTERN = re.compile(r"^[^\W_][\w.\-]*$")


def at_path(path: str, key: str | int) -> str:
    """The path of `key` under `path` (`rules[3].verdict`); `yaml_io` names YAML nodes alike."""
    if isinstance(key, int):
        return f"{path}[{key}]"
    return f"{path}.{key}" if path else key


def kind_of(value: Any) -> str:
    """What kind of value this is, as the catalogue names kinds (`model.KIND_WORDS`)."""
    if value is None:
        return "empty"
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, list | tuple):
        return "list"
    if isinstance(value, Mapping):
        return "mapping"
    if isinstance(value, datetime.date):
        return "date"
    if isinstance(value, str):
        return "text"
    return "other"


# The catalogue's message for a duplicate id, by what the list holds (`unique_ids`).
DUPLICATE = {
    "section": "format.duplicate_section",
    "group": "format.duplicate_group",
    "role": "format.duplicate_role",
    "rule": "format.duplicate_rule",
}


class Checker:
    """Collects issues while walking plain data; `yaml_io` adds its duplicate-key issues too."""

    def __init__(self) -> None:
        self.issues: list[FormatIssue] = []

    def fail(self, path: str, key: str, **values: Any) -> None:
        """Record the problem `key` (a `format.*` message of the catalogue) at `path`."""
        self.issues.append(issue(path, key, **values))

    def mapping(self, value: Any, path: str) -> Mapping[str, Any] | None:
        if isinstance(value, Mapping):
            return value
        self.fail(path, "format.must_be_mapping", kind=kind_of(value))
        return None

    def keys(self, data: Mapping[Any, Any], allowed: tuple[str, ...], path: str) -> dict[str, Any]:
        """Reports unknown keys; returns the `x-` ones, which the format keeps as extras."""
        extras: dict[str, Any] = {}
        for key in data:
            if isinstance(key, str) and key.startswith("x-"):
                extras[key] = copy.deepcopy(data[key])
            elif key not in allowed:
                where = at_path(path, str(key))
                self.fail(where, "format.unknown_key", allowed=", ".join(allowed))
        return extras

    def text(
        self, data: Mapping[str, Any], key: str, path: str, *, required: bool = True
    ) -> str | None:
        where = at_path(path, key)
        value = data.get(key)
        if value is None:
            if required:
                self.fail(where, "format.required")
            return None
        if not isinstance(value, str):
            quote = isinstance(value, int | float | datetime.date)
            key = "format.must_be_text_quoted" if quote else "format.must_be_text"
            self.fail(where, key, kind=kind_of(value))
            return None
        if required and not value.strip():
            self.fail(where, "format.not_empty")
            return None
        return value

    def ident(self, data: Mapping[str, Any], key: str, path: str) -> str | None:
        value = self.text(data, key, path)
        if value is not None and not ID_PATTERN.match(value):
            self.fail(at_path(path, key), "format.not_an_id", value=repr(value))
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
            self.fail(where, "format.must_be_list", kind=kind_of(value))
            return ()
        out: list[str] = []
        for i, item in enumerate(value):
            if numbers_ok and isinstance(item, int) and not isinstance(item, bool):
                item = str(item)  # `112` as a keyword is the number people type
            if not isinstance(item, str):
                quote = isinstance(item, bool | float)
                key = "format.must_be_text_quoted" if quote else "format.must_be_text"
                self.fail(at_path(where, i), key, kind=kind_of(item))
            elif not item.strip():
                self.fail(at_path(where, i), "format.not_empty")
            else:
                out.append(item.strip())
        return tuple(out)

    def choice(self, value: str | None, allowed: tuple[str, ...], path: str) -> str | None:
        if value is not None and value not in allowed:
            self.fail(path, "format.not_one_of", value=repr(value), allowed=", ".join(allowed))
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
                    DUPLICATE[what],
                    value=repr(item_id),
                    other=f"{path}[{first[folded]}]",
                )
            else:
                first[folded] = index

    def items(self, data: Mapping[str, Any], key: str, *, required: bool) -> list[Any]:
        value = data.get(key)
        if value is None:
            if required:
                self.fail(key, "format.required")
            return []
        if not isinstance(value, list | tuple):
            self.fail(key, "format.must_be_list", kind=kind_of(value))
            return []
        return list(value)
