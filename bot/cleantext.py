"""Text as it may enter the bot: without control characters, NUL or bidi overrides.

What people type reaches the database, documents, logs and Slack again. A NUL cannot be stored
in PostgreSQL's text columns (the write fails, and a drafting reply would be lost) and breaks
the YAML round trip on SQLite; ESC and BEL drive terminals; U+202E and its kin reorder what a
reader sees (`txt.exe` shown as `exe.txt`). So every entry point (the kit's reading of Slack's
requests, the command line, the policy loader) passes what it reads through `clean_text`, and
both databases store exactly the same.

Kept: tab and newline (a carriage return becomes a newline), every printable character, and
the marks that only steer direction without overriding it (U+200E, U+200F, U+061C), which
right-to-left writers need. Removed: the other C0 and C1 control characters, DEL, the bidi
embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069). A lone surrogate (which
JSON can carry, but no UTF-8 database can store) becomes U+FFFD.
"""

from __future__ import annotations

import re
from typing import Any

# C0 controls but tab and newline, DEL, C1 controls, bidi embeddings/overrides/isolates.
_UNWANTED = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_SURROGATE = re.compile("[\ud800-\udfff]")
_FAST_PATH = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def clean_text(text: str) -> str:
    """`text` with control characters, NUL and bidi overrides removed (see the module)."""
    if not _FAST_PATH.search(text):
        return text  # the usual case: nothing to do, no copy
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _SURROGATE.sub("\ufffd", text)
    return _UNWANTED.sub("", text)


# What `_FAST_PATH` finds among ASCII characters: for an ASCII text, a bitmap test per
# character instead of a test of every range.
_ASCII_FAST_PATH = re.compile("[\x00-\x08\x0b-\x1f\x7f]")
# A JSON escape that may stand for a character `clean_text` changes: `\b`, `\f`, `\r`, any
# `\uXXXX`. (`\n`, `\t`, `\"`, `\\` and `\/` stand for characters it keeps.)
_CHANGING_ESCAPE = re.compile(r"\\[bfru]")


def json_text_is_clean(text: str) -> bool:
    """True when no string in the JSON text `text` (a key or a value) can hold anything
    `clean_text` changes, so `clean_data` of what it parses to would change nothing: a
    character it removes appears in a string either as itself or as an escape. Two searches
    of the text, where `clean_data` calls a function per key and value. It may say False of a
    clean text (an escaped backslash before a `u`, a carriage return between two tokens):
    that data is then cleaned as usual."""
    fast_path = _ASCII_FAST_PATH if text.isascii() else _FAST_PATH
    return fast_path.search(text) is None and _CHANGING_ESCAPE.search(text) is None


def clean_data(value: Any) -> Any:
    """Every string in plain data (dicts, lists, tuples; keys too) cleaned; the rest as it is.

    Containers are changed in place where they are mutable, so an object that others hold
    (a parsed request body) is cleaned for all of them."""
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, dict):
        for key in list(value):
            item = clean_data(value[key])
            new_key = clean_text(key) if isinstance(key, str) else key
            if new_key != key:
                del value[key]
            value[new_key] = item
        return value
    if isinstance(value, list):
        value[:] = [clean_data(item) for item in value]
        return value
    if isinstance(value, tuple):
        return tuple(clean_data(item) for item in value)
    return value


def is_clean(text: str) -> bool:
    return clean_text(text) == text
