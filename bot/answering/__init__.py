"""The answering engine: applies an adopted policy to "may I post this?" and "who handles
this?". Pure core: no Slack, no database; it returns data, the Slack layer words it."""

from bot.answering.answers import CheckAnswer, Evidence, RuleMatch, WhoAnswer
from bot.answering.cache import clear_compiled, get_compiled
from bot.answering.engine import CompiledPolicy, compile_policy

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
