"""YAML in and out through libyaml (PyYAML's C loader and dumper) where the wheel has it.

The C parser reads a large policy file several times faster than PyYAML's pure-Python one;
both are the *safe* kind (plain data only, no Python objects), and both build values with the
same Python constructor and resolver, so a text both parse gives the same data. libyaml is
stricter in a few corners the Python parser accepts (a `:` ending a word inside `[…]`, as in
`[tip:]`): a text libyaml refuses is read again by the Python parser, so nothing that loaded
before fails now. A PyYAML built without libyaml uses the Python classes throughout.
"""

from __future__ import annotations

from typing import Any

import yaml

SafeLoader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
SafeDumper: type[yaml.SafeDumper] = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


def compose(text: str) -> tuple[yaml.Node | None, yaml.SafeLoader]:
    """The single document's node and the loader that read it (to `construct_document` with,
    then `dispose`); raises `yaml.YAMLError` only when the Python parser refuses it too."""
    if SafeLoader is not yaml.SafeLoader:
        fast = SafeLoader(text)
        try:
            return fast.get_single_node(), fast
        except yaml.YAMLError:
            fast.dispose()
    loader = yaml.SafeLoader(text)
    try:
        return loader.get_single_node(), loader
    except BaseException:
        loader.dispose()
        raise


def load(text: str) -> Any:
    """Plain data from one YAML document, as `yaml.safe_load` gives it, faster."""
    node, loader = compose(text)
    try:
        return None if node is None else loader.construct_document(node)
    finally:
        loader.dispose()


def dump(data: Any, **options: Any) -> str:
    """YAML text for plain data (`yaml.safe_dump`, faster)."""
    return yaml.dump(data, Dumper=SafeDumper, **options)
