"""Installs are reproducible and lean: the lock files pin every declared dependency, with
hashes, at versions its specifier allows; every third-party import is declared; every declared
dependency is used."""

from __future__ import annotations

import ast
import re
import sys
import tomllib
from functools import cache
from importlib.metadata import packages_distributions
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parent.parent
LOCKS = ("requirements.lock", "requirements-dev.lock")
CODE = ("bot", "handlers", "runtime", "policy_content")

# Declared but never imported by name, each for a reason.
USED_WITHOUT_IMPORT = {
    "tzdata": "zoneinfo's time zones where the system has none (slim images, Windows)",
    "psycopg": "SQLAlchemy's PostgreSQL driver, chosen by DATABASE_URL",
    "types-pyyaml": "type stubs for mypy",
    "mypy": "a tool",
    "ruff": "a tool",
    "pytest": "a tool",
}


@cache
def project() -> dict:  # type: ignore[type-arg]
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]


def declared(*extras: str) -> list[Requirement]:
    found = [Requirement(r) for r in project()["dependencies"]]
    for extra in extras:
        found += [Requirement(r) for r in project()["optional-dependencies"][extra]]
    return found


@cache
def pins(lock: str) -> dict[str, str]:
    text = (ROOT / lock).read_text(encoding="utf-8")
    return {
        canonicalize_name(m[1]): m[2] for m in re.finditer(r"^([A-Za-z0-9._-]+)==(\S+)", text, re.M)
    }


@pytest.mark.parametrize(
    ("lock", "extras"), [("requirements.lock", ("postgres",)), (LOCKS[1], ("postgres", "dev"))]
)
def test_the_lock_pins_every_declared_dependency_within_its_specifier(
    lock: str, extras: tuple[str, ...]
) -> None:
    pinned = pins(lock)
    for requirement in declared(*extras):
        name = canonicalize_name(requirement.name)
        assert name in pinned, f"{name} is declared but not in {lock}: run `make lock`"
        assert requirement.specifier.contains(pinned[name], prereleases=True), (
            f"{lock} pins {name}=={pinned[name]}, outside {requirement}: run `make lock`"
        )
        for extra in requirement.extras:  # psycopg[binary] brings psycopg-binary
            assert canonicalize_name(f"{name}-{extra}") in pinned, f"{name}[{extra}] in {lock}"


def test_both_locks_agree_and_every_pin_has_a_hash() -> None:
    app, dev = pins(LOCKS[0]), pins(LOCKS[1])
    assert {name: dev[name] for name in app} == app, "the dev lock must pin the app's versions"
    for lock in LOCKS:
        requirements = re.split(r"\n(?=[A-Za-z0-9])", (ROOT / lock).read_text(encoding="utf-8"))
        for requirement in requirements:
            if "==" in requirement:
                assert "--hash=sha256:" in requirement, f"{lock}: no hash for {requirement[:40]}"


def test_the_lean_phone_library_and_the_postgres_driver_as_an_extra() -> None:
    names = {canonicalize_name(r.name) for r in declared()}
    assert "phonenumberslite" in names and "phonenumbers" not in names
    assert "psycopg" not in names, "PostgreSQL's driver is the `postgres` extra"
    assert "phonenumbers" not in pins(LOCKS[0]), "the full phonenumbers ships 40 MB of geodata"


def third_party_imports() -> dict[str, Path]:
    """Top-level modules imported by the shipped code that are neither stdlib nor our own."""
    ours = {*CODE, "tests", "benchmarks"}
    found: dict[str, Path] = {}
    for package in CODE:
        for path in (ROOT / package).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                names: list[str] = []
                if isinstance(node, ast.Import):
                    names = [alias.name for alias in node.names]
                elif isinstance(node, ast.ImportFrom) and not node.level and node.module:
                    names = [node.module]
                for name in names:
                    top = name.split(".")[0]
                    if top not in sys.stdlib_module_names and top not in ours:
                        found.setdefault(top, path)
    return found


def test_every_import_is_declared_and_every_dependency_is_used() -> None:
    distributions = packages_distributions()
    runtime = {canonicalize_name(r.name) for r in declared("postgres")}
    imported: set[str] = set()
    for module, path in third_party_imports().items():
        owners = {canonicalize_name(d) for d in distributions.get(module, [])}
        assert owners & runtime, f"{path.relative_to(ROOT)} imports {module}, not declared"
        imported |= owners
    unused = runtime - imported - set(USED_WITHOUT_IMPORT)
    assert not unused, f"declared but never imported: {sorted(unused)}"
