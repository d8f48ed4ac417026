"""The `policybot/1` document back to plain data and in and out of YAML, without losing a
field: keys starting with `x-` are kept in the `extras` of the object they sit on and written
back where they were.

Plain data comes in two shapes. `policy_to_dict` is the file as an author writes it (the
adoption date a `datetime.date`, which YAML writes unquoted); `policy_to_json` is the same
with dates as ISO strings, for JSON columns and fingerprints. Both parse back to the same
document.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from dataclasses import replace
from typing import Any

import yaml

from bot import yaml_safe
from bot.cleantext import clean_data, clean_text
from bot.policy.checker import Checker, at_path
from bot.policy.model import (
    RULE_OPTIONAL_KEYS,
    FormatIssue,
    Group,
    PolicyDocument,
    PolicyFormatError,
    Role,
    Rule,
    Section,
    issue,
    issue_message,
)
from bot.policy.reading import PolicyRefused, check_structure
from bot.policy.validation import parse_policy


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
    out: dict[str, Any] = {"id": rule.id, "verdict": rule.verdict.value, "text": rule.text}
    for key in RULE_OPTIONAL_KEYS:
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
        _put(adopted, "reference", doc.adopted.reference)
        _put(
            adopted,
            "approvals",
            [
                _with_extras({"by": s.by, "decision": s.decision, "at": s.at}, s.extras)
                for s in doc.adopted.approvals
            ]
            or None,
        )
        out["adopted"] = _with_extras(adopted, doc.adopted.extras)
    if doc.review is not None:
        review: dict[str, Any] = {"every": doc.review.every}
        _put(review, "month", doc.review.month)
        out["review"] = _with_extras(review, doc.review.extras)
    out["sections"] = [section_to_dict(s) for s in doc.sections]
    if doc.groups:
        out["groups"] = [group_to_dict(g) for g in doc.groups]
    out["roles"] = [role_to_dict(r) for r in doc.roles]
    out["rules"] = [rule_to_dict(r) for r in doc.rules]
    default = {"verdict": doc.default.verdict.value, "role": doc.default.role}
    out["default"] = _with_extras(default, doc.default.extras)
    return _with_extras(out, doc.extras)


def policy_to_json(doc: PolicyDocument) -> dict[str, Any]:
    """`policy_to_dict` as JSON can hold it: dates as ISO strings."""
    result: dict[str, Any] = json_safe(policy_to_dict(doc))
    return result


def json_safe(value: Any) -> Any:
    """Dates become ISO strings, tuples lists: JSON columns hold only what JSON can."""
    if isinstance(value, dict):
        return {k: json_safe(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [json_safe(v) for v in value]
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


# -- public: YAML ---------------------------------------------------------------------------
def _yaml_paths(node: yaml.Node, path: str, lines: dict[str, int], c: Checker) -> None:
    """Records the line of every path, and reports duplicate keys (PyYAML keeps the last)."""
    lines.setdefault(path, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        seen: dict[str, int] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode) or key_node.value == "<<":
                continue
            key = key_node.value
            child = at_path(path, key)
            line = key_node.start_mark.line + 1
            if key in seen:
                c.issues.append(issue(child, "format.duplicate_key", on_line=line, line=seen[key]))
            else:
                seen[key] = line
            _yaml_paths(value_node, child, lines, c)
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            _yaml_paths(item, at_path(path, i), lines, c)


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
        return issue("", "format.not_yaml", problem=problem)
    where = {"line": mark.line + 1, "column": mark.column + 1}
    # No path names a place in a file that does not parse: the line and column stand in.
    location = issue_message("format.location", where, "en")
    return issue(
        location, "format.not_yaml", on_line=where["line"], problem=problem, location=where
    )


def load_policy_yaml(text: str) -> PolicyDocument:
    """The typed document for a `policybot/1` YAML text.

    YAML syntax errors, duplicate keys and NUL characters are PolicyFormatErrors too; every
    issue carries the line it was found on (`issue.line`). A text no policy looks like (alias
    bombs, deep nesting, binary) raises `reading.PolicyRefused` before anything is built;
    control characters and bidi overrides are removed (`bot.cleantext`), in the text and in
    the values its escapes make.
    """
    if "\x00" in text:
        raise PolicyRefused("format.binary")
    text = clean_text(text)  # what is checked is what is read
    check_structure(text)
    lines: dict[str, int] = {}
    c = Checker()
    loader: yaml.SafeLoader | None = None
    try:
        node, loader = yaml_safe.compose(text)
        if node is not None:
            _yaml_paths(node, "", lines, c)
            data = loader.construct_document(node)
    except yaml.YAMLError as error:
        raise PolicyFormatError([_syntax_issue(error)]) from None
    except ValueError as error:  # e.g. `at: 2026-02-30`, which PyYAML's date reader rejects
        raise PolicyFormatError([issue("", "format.not_yaml", problem=str(error))]) from None
    finally:
        if loader is not None:
            loader.dispose()
    if node is None:
        raise PolicyFormatError([issue("", "format.empty_file")])
    # A NUL written as an escape ("\0"): no database text column can hold it.
    c.issues.extend(issue(path, "format.nul") for path in _nul_paths(data))
    try:
        doc = parse_policy(clean_data(data))
    except PolicyFormatError as error:
        issues = c.issues + error.errors
    else:
        if not c.issues:
            return doc
        issues = c.issues
    located = [replace(i, line=i.line or _line_of(i.path, lines)) for i in issues]
    located.sort(key=lambda i: i.line or 0)  # in file order, as the author reads the file
    raise PolicyFormatError(located)


def _nul_paths(value: object, path: str = "") -> list[str]:
    if isinstance(value, str):
        return [path] if "\x00" in value else []
    if isinstance(value, dict):
        return [p for k, v in value.items() for p in _nul_paths(v, at_path(path, str(k)))]
    if isinstance(value, list):
        return [p for i, v in enumerate(value) for p in _nul_paths(v, at_path(path, i))]
    return []


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

_FLOW_KEYS = ("keywords", "unless", "detect", "applies_to", "context")


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
