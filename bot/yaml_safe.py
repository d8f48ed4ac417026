"""YAML in and out through libyaml (PyYAML's C loader and dumper) where the wheel has it.

The C parser reads a large policy file several times faster than PyYAML's pure-Python one;
both are the *safe* kind (plain data only, no Python objects). A PyYAML built without libyaml
falls back to the Python classes, with the same results.
"""

from __future__ import annotations

from typing import Any

import yaml

SafeLoader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
SafeDumper: type[yaml.SafeDumper] = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


def load(text: str) -> Any:
    """Plain data from one YAML document (`yaml.safe_load`, faster)."""
    return yaml.load(text, Loader=SafeLoader)  # noqa: S506 (a safe loader)


def dump(data: Any, **options: Any) -> str:
    """YAML text for plain data (`yaml.safe_dump`, faster)."""
    return yaml.dump(data, Dumper=SafeDumper, **options)
