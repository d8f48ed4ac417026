"""The languages of the people this instance has served, kept in memory: when the database
is down, a failure answer still speaks the asker's language."""

from __future__ import annotations

import threading
from collections import OrderedDict

from bot.vocabulary import Language

REMEMBERED = 10_000  # people; the least recently served are forgotten first

_known: OrderedDict[str, Language] = OrderedDict()
_lock = threading.Lock()


def remember_language(user: str, language: Language) -> None:
    with _lock:
        _known[user] = language
        _known.move_to_end(user)
        while len(_known) > REMEMBERED:
            _known.popitem(last=False)


def known_language(user: str | None, default: Language) -> Language:
    if not user:
        return default
    with _lock:
        return _known.get(user, default)
