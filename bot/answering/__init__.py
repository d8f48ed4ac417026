"""The answering engine: applies an adopted policy to "may I post this?" and "who handles
this?". Pure core: no Slack, no database; it returns data, the Slack layer words it.

The names below are loaded when first used: a serving process imports the package for its
answer types (and its detectors, to mask logs) long before its first question, and the
engine, its lexicons and stemmers are a tenth of its start-up (`runtime.lifecycle` warms
them up once the process has served)."""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from bot.answering.answers import CheckAnswer, Evidence, RuleMatch, WhoAnswer
    from bot.answering.cache import clear_compiled, get_compiled
    from bot.answering.engine import CompiledPolicy, compile_policy

_WHERE = {
    "CheckAnswer": "answers",
    "Evidence": "answers",
    "RuleMatch": "answers",
    "WhoAnswer": "answers",
    "clear_compiled": "cache",
    "get_compiled": "cache",
    "CompiledPolicy": "engine",
    "compile_policy": "engine",
}

__all__ = [
    "CheckAnswer",
    "CompiledPolicy",
    "Evidence",
    "RuleMatch",
    "WhoAnswer",
    "clear_compiled",
    "compile_policy",
    "get_compiled",
]


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{module}"), name)
