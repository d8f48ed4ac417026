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

from bot.policy.model import FormatIssue

ID_PATTERN = re.compile(r"^[^\W_][\w.\-]*$")


def at_path(path: str, key: str | int) -> str:
    """The path of `key` under `path` (`rules[3].verdict`); `yaml_io` names YAML nodes alike."""
    if isinstance(key, int):
        return f"{path}[{key}]"
    return f"{path}.{key}" if path else key


def one_of(value: Any, allowed: Iterable[str]) -> str:
    return f"{value!r} is not one of {', '.join(allowed)}"


def kind_of(value: Any) -> str:
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
        self.fail(path, f"must be a mapping of keys to values, not {kind_of(value)}")
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

    def text(
        self, data: Mapping[str, Any], key: str, path: str, *, required: bool = True
    ) -> str | None:
        where = at_path(path, key)
        value = data.get(key)
        if value is None:
            if required:
                self.fail(where, "is required")
            return None
        if not isinstance(value, str):
            hint = " (put it in quotes)" if isinstance(value, int | float | datetime.date) else ""
            self.fail(where, f"must be text, not {kind_of(value)}{hint}")
            return None
        if required and not value.strip():
            self.fail(where, "must not be empty")
            return None
        return value

    def ident(self, data: Mapping[str, Any], key: str, path: str) -> str | None:
        value = self.text(data, key, path)
        if value is not None and not ID_PATTERN.match(value):
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
            self.fail(where, f"must be a list, not {kind_of(value)}")
            return ()
        out: list[str] = []
        for i, item in enumerate(value):
            if numbers_ok and isinstance(item, int) and not isinstance(item, bool):
                item = str(item)  # `112` as a keyword is the number people type
            if not isinstance(item, str):
                hint = " (put it in quotes)" if isinstance(item, bool | float) else ""
                self.fail(at_path(where, i), f"must be text, not {kind_of(item)}{hint}")
            elif not item.strip():
                self.fail(at_path(where, i), "must not be empty")
            else:
                out.append(item.strip())
        return tuple(out)

    def choice(self, value: str | None, allowed: tuple[str, ...], path: str) -> str | None:
        if value is not None and value not in allowed:
            self.fail(path, one_of(value, allowed))
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
            self.fail(key, f"must be a list, not {kind_of(value)}")
            return []
        return list(value)
