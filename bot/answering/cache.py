"""Compile once per policy version: a small thread-safe LRU of compiled policies."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Hashable

from bot.answering.engine import CompiledPolicy, compile_policy
from bot.policy.model import PolicyDocument

CACHE_SIZE = 8  # versions kept: the adopted one, a draft or two, a few being compared

_lock = threading.Lock()
_compiled: OrderedDict[Hashable, CompiledPolicy] = OrderedDict()


def get_compiled(
    version_key: Hashable, doc: PolicyDocument, *, version_label: str | None = None
) -> CompiledPolicy:
    """The compiled form of `doc`, compiled on first use of `version_key`.

    `version_key` must change whenever the document does (a version number, a database row
    and its timestamp); the cache trusts it rather than comparing whole documents. Answers
    name `version_label`, by default the document's own `version`, else `str(version_key)`.
    """
    with _lock:
        hit = _compiled.get(version_key)
        if hit is not None:
            _compiled.move_to_end(version_key)
            return hit
    label = version_label if version_label is not None else (doc.version or str(version_key))
    # Compiled outside the lock: a slow compile must not hold up answers for other versions.
    # Two threads may race to compile the same version; the first one stored wins.
    compiled = compile_policy(doc, label)
    with _lock:
        existing = _compiled.get(version_key)
        if existing is not None:
            return existing
        _compiled[version_key] = compiled
        while len(_compiled) > CACHE_SIZE:
            _compiled.popitem(last=False)
    return compiled


def clear_compiled() -> None:
    """Forget every compiled version (tests; a policy re-imported under the same key)."""
    with _lock:
        _compiled.clear()
