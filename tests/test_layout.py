"""The shape of the code (docs/ARCHITECTURE.md), checked: no import circles, no giant files,
the core knows nothing of Slack, the Slack side knows nothing of the tables, capabilities
share only through the kit and the core, and Slack is written to in one place."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from functools import cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("bot", "handlers", "runtime")
MAX_LINES = 500
CAPABILITIES = ("admin", "asking", "drafting", "home", "reviewing")


@cache
def modules() -> dict[str, Path]:
    found = {}
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            parts = list(path.relative_to(ROOT).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts = parts[:-1]
            found[".".join(parts)] = path
    return found


def imported(name: str, path: Path) -> Iterator[tuple[str, int]]:
    """Every module `name` imports (anywhere in it, functions too), with the line."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, node.lineno
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                base = ".".join([*parent, *([base] if base else [])])
            for alias in node.names:
                full = f"{base}.{alias.name}"
                yield (full if full in modules() else base), node.lineno


def project_module(name: str) -> str | None:
    while name and name not in modules():
        name = name.rpartition(".")[0]
    return name or None


@cache
def graph() -> dict[str, set[str]]:
    edges: dict[str, set[str]] = {}
    for name, path in modules().items():
        targets = {project_module(m) for m, _ in imported(name, path)}
        edges[name] = {t for t in targets if t is not None and t != name}
    return edges


def circles() -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan)."""
    edges, index, low, stack, on_stack, found = graph(), {}, {}, [], set(), []
    counter = [0]

    def visit(node: str) -> None:
        index[node] = low[node] = counter[0]
        counter[0] += 1
        stack.append(node)
        on_stack.add(node)
        for target in edges[node]:
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in edges:
        if node not in index:
            visit(node)
    return found


@pytest.mark.parametrize("package", ["bot", "handlers", "runtime"])
def test_no_import_circle(package: str) -> None:
    touching = [c for c in circles() if any(m.split(".")[0] == package for m in c)]
    assert touching == []


@pytest.mark.parametrize(
    "package",
    ["bot", "handlers", "tests", "benchmarks", "runtime"],
)
def test_no_source_file_is_over_500_lines(package: str) -> None:
    long = {
        str(path.relative_to(ROOT)): lines
        for path in (ROOT / package).rglob("*.py")
        if (lines := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    assert long == {}


def imports_of(package: str) -> Iterator[tuple[str, str, int]]:
    for name, path in modules().items():
        if name.split(".")[0] == package:
            for target, line in imported(name, path):
                yield name, target, line


def test_the_core_knows_nothing_of_slack() -> None:
    slack = [
        f"{name}:{line} {target}"
        for name, target, line in imports_of("bot")
        if target.split(".")[0] in ("slack_bolt", "slack_sdk", "handlers", "runtime")
    ]
    assert slack == []


def test_the_slack_side_knows_nothing_of_the_tables() -> None:
    tables = [
        f"{name}:{line} {target}"
        for name, target, line in imports_of("handlers")
        if target.startswith("bot.storage.models") or target.split(".")[0] == "sqlalchemy"
    ]
    assert tables == []


def test_capabilities_share_only_through_the_kit_and_the_core() -> None:
    crossing = []
    for name, target, line in imports_of("handlers"):
        mine, theirs = name.split(".")[1:2], target.split(".")[1:2]
        capabilities = mine and theirs and mine[0] in CAPABILITIES and theirs[0] in CAPABILITIES
        if target.startswith("handlers.") and capabilities and mine != theirs:
            crossing.append(f"{name}:{line} {target}")
    assert crossing == []


def _calls(path: Path) -> Iterator[tuple[str, int]]:
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call):
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            yield name, node.lineno


WEB_API = ("chat_", "views_", "reactions_", "files_", "conversations_", "users_", "usergroups_")


# Where the Web API is called: `Outgoing` and `Lookup`, and the outbox's courier.
SLACK_CALLERS = {
    ROOT / "handlers" / "kit" / name for name in ("slack.py", "lookup.py", "courier.py")
}


def test_slack_is_called_only_through_the_kit() -> None:
    """Writes through `kit.slack.Outgoing` (into the outbox, which `kit.courier` sends), reads
    through `kit.lookup.Lookup`: one place to see what the bot does in Slack."""
    outside = [
        f"{path.relative_to(ROOT)}:{line} {name}"
        for path in (ROOT / "handlers").rglob("*.py")
        if path not in SLACK_CALLERS
        for name, line in _calls(path)
        if name.startswith(WEB_API) or name == "WebhookClient"
    ]
    assert outside == []


def test_only_the_kit_vouches_that_text_is_safe() -> None:
    """`Mrkdwn(...)` says "this is safe to post"; only the kit's own functions say so."""
    vouched = [
        f"{path.relative_to(ROOT)}:{line}"
        for path in (ROOT / "handlers").rglob("*.py")
        if "kit" not in path.relative_to(ROOT / "handlers").parts
        for name, line in _calls(path)
        if name == "Mrkdwn"
    ]
    assert vouched == []
