"""Reading a policy file without trusting it.

A policy file comes from people, and YAML is generous: a 600-byte file of nested aliases
(a "billion laughs") expands to gigabytes, ten thousand opening brackets exhaust Python's
recursion, `/dev/zero` never ends. Everything that reads a policy goes through here first,
so each of these is refused at once, with one reason, before anything is built from it:

- `read_policy_file`: at most `limit` bytes are read (limit + 1, to know it is more); a file
  with NUL bytes or that is not UTF-8 is binary, not a policy;
- `check_structure`: one pass over the YAML events (the parser keeps its own stack, so depth
  costs no recursion) that refuses nesting deeper than `MAX_DEPTH`, more than `MAX_ALIASES`
  aliases, an alias to a node that contains it, and aliases that would add more than
  `MAX_ALIAS_GROWTH` nodes once expanded. A policy needs none of these; a few merge keys or a
  shared list of keywords stay well inside.

`bot.policy.yaml_io.load_policy_yaml` calls `check_structure` on every text it loads.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from bot import yaml_safe
from bot.limits import DEFAULT_MAX_POLICY_BYTES

MAX_DEPTH = 50  # a policy is five levels deep; `x-` extras may add a few
MAX_ALIASES = 100
MAX_ALIAS_GROWTH = 10_000  # nodes that aliases may add to the document, expanded


class PolicyRefused(ValueError):
    """A file refused as a whole, before it is read as a policy: `key` is the catalogue's
    reason (`format.too_large` …), `values` what it names."""

    def __init__(self, key: str, **values: Any) -> None:
        super().__init__(f"{key} {values}")
        self.key = key
        self.values = values


def read_policy_file(path: Path, limit: int = DEFAULT_MAX_POLICY_BYTES) -> str:
    """The text of the policy file at `path`; raises PolicyRefused for a file over `limit`
    bytes or a binary one, OSError for one that cannot be read."""
    with path.open("rb") as file:
        data = file.read(limit + 1)  # never more: `/dev/zero` stops here too
    if len(data) > limit:
        raise PolicyRefused("format.too_large", limit=_size(limit))
    return decode_policy(data)


def decode_policy(data: bytes) -> str:
    """Bytes as UTF-8 text (a byte-order mark is dropped); NUL or invalid UTF-8 is binary."""
    if b"\x00" in data:
        raise PolicyRefused("format.binary")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise PolicyRefused("format.binary") from None


def check_structure(text: str) -> None:
    """Refuse a YAML text whose shape no policy has (see the module); syntax errors are left
    for the loader to report with their line. Scanned as `bot.yaml_safe` reads it: by libyaml,
    and by the Python parser when libyaml refuses the text (a text either may load is checked)."""
    if "\x00" in text:
        raise PolicyRefused("format.binary")
    try:
        _scan(text, yaml_safe.SafeLoader)
    except yaml.YAMLError as error:
        if "nesting depth" in str(error):  # libyaml's own limit (1,000) struck first
            raise PolicyRefused("format.too_deep", limit=MAX_DEPTH) from None
        if yaml_safe.SafeLoader is yaml.SafeLoader:
            return  # not YAML: the loader says where, in the format's words
        try:
            _scan(text, yaml.SafeLoader)
        except yaml.YAMLError:
            return


def _scan(text: str, loader: Any) -> None:
    """One pass over the events (see the module); raises PolicyRefused or yaml.YAMLError."""
    sizes: dict[str, int] = {}  # an anchored node's size once expanded, when it has ended
    open_anchors: set[str] = set()
    stack: list[tuple[str | None, int]] = []  # (anchor, expanded size so far) per open node
    aliases = events = expanded = 0
    for event in yaml.parse(text, Loader=loader):
        if isinstance(event, yaml.AliasEvent):
            aliases += 1
            if aliases > MAX_ALIASES:
                raise PolicyRefused("format.too_many_aliases", limit=MAX_ALIASES)
            if event.anchor in open_anchors:
                raise PolicyRefused("format.recursive_alias", anchor=event.anchor)
            grown = sizes.get(event.anchor or "", 1)
            expanded += grown
            _add(stack, grown)
        elif isinstance(event, yaml.CollectionStartEvent):
            if len(stack) >= MAX_DEPTH:
                raise PolicyRefused("format.too_deep", limit=MAX_DEPTH)
            if event.anchor:
                open_anchors.add(event.anchor)
            stack.append((event.anchor, 1))
            events += 1
            expanded += 1
        elif isinstance(event, yaml.CollectionEndEvent):
            anchor, size = stack.pop()
            if anchor:
                open_anchors.discard(anchor)
                sizes[anchor] = size
            _add(stack, size)
        elif isinstance(event, yaml.ScalarEvent):
            if event.anchor:
                sizes[event.anchor] = 1
            events += 1
            expanded += 1
            _add(stack, 1)
        if expanded - events > MAX_ALIAS_GROWTH:
            raise PolicyRefused("format.alias_growth", limit=MAX_ALIAS_GROWTH)


def _add(stack: list[tuple[str | None, int]], size: int) -> None:
    if stack:
        anchor, inner = stack[-1]
        stack[-1] = (anchor, inner + size)


def _size(limit: int) -> str:
    if limit >= 1024 * 1024:
        return f"{limit / (1024 * 1024):g} MiB"
    if limit >= 1024:
        return f"{limit / 1024:g} KiB"
    return f"{limit} bytes"
