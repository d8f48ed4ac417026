"""Compile once per policy version: a small thread-safe LRU of compiled policies.

Each version is compiled once even when several threads want it at the same moment (a
warm-up and the first questions after an adoption): the first to miss compiles it, the others
wait for that compilation (`_Pending`), not for the lock, so answers for a version already
compiled never wait behind a slow compile of another.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Hashable
from dataclasses import dataclass

from bot.answering.engine import CompiledPolicy, compile_policy
from bot.policy.model import PolicyDocument

CACHE_SIZE = 8  # versions kept: the adopted one, a draft or two, a few being compared


@dataclass(frozen=True)
class CacheStats:
    """How the cache has done since it was last cleared (`functools.lru_cache`'s idea)."""

    hits: int
    compiles: int  # misses that compiled; a thread that waited for another's compile is a hit
    size: int


class _Pending:
    """A compilation under way: who else wants the version waits for it."""

    def __init__(self) -> None:
        self.done = threading.Event()
        self.result: CompiledPolicy | None = None  # None once done: the compile failed


_lock = threading.Lock()
_compiled: OrderedDict[Hashable, CompiledPolicy] = OrderedDict()
_pending: dict[Hashable, _Pending] = {}
_hits = _compiles = 0


def get_compiled(
    version_key: Hashable, doc: PolicyDocument, *, version_label: str | None = None
) -> CompiledPolicy:
    """The compiled form of `doc`, compiled on first use of `version_key`, once.

    `version_key` must change whenever the document does (a version number, a database row
    and its timestamp); the cache trusts it rather than comparing whole documents. Answers
    name `version_label`, by default the document's own `version`, else `str(version_key)`.
    """
    global _hits, _compiles
    with _lock:
        hit = _compiled.get(version_key)
        if hit is not None:
            _compiled.move_to_end(version_key)
            _hits += 1
            return hit
        pending = _pending.get(version_key)
        mine = pending is None
        if pending is None:
            pending = _pending[version_key] = _Pending()
            _compiles += 1
        else:
            _hits += 1
    if not mine:
        pending.done.wait()
        if pending.result is None:  # the compile failed: this thread tries on its own
            return get_compiled(version_key, doc, version_label=version_label)
        return pending.result
    label = version_label if version_label is not None else (doc.version or str(version_key))
    try:
        compiled = compile_policy(doc, label)  # outside the lock: other versions go on
    except BaseException:
        with _lock:
            _pending.pop(version_key, None)
        pending.done.set()
        raise
    pending.result = compiled
    with _lock:
        _compiled[version_key] = compiled
        _pending.pop(version_key, None)
        while len(_compiled) > CACHE_SIZE:
            _compiled.popitem(last=False)
    pending.done.set()
    return compiled


def compiled_stats() -> CacheStats:
    with _lock:
        return CacheStats(_hits, _compiles, len(_compiled))


def clear_compiled() -> None:
    """Forget every compiled version (tests; a policy re-imported under the same key)."""
    global _hits, _compiles
    with _lock:
        _compiled.clear()
        _hits = _compiles = 0
