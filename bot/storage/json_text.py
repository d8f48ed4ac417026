"""The text of a JSON column, exactly as `json.dumps` writes it, for less.

`json.dumps(value)` with its defaults goes through three Python functions (`dumps`,
`JSONEncoder.encode`, `iterencode`, which defines a function of its own each time) before
the C encoder that does the work: about 13,000 instructions of overhead a value, and a DM
writes nine JSON values (the inbox's body and headers, the question log's groups and rules,
the outbox row's arguments, the done mark's cleared body and headers …). `dumps` here calls
that C encoder itself, made as `json.dumps` makes it (its defaults: ASCII only, `", "` and
`": "`, NaN allowed, circular references refused with a fresh set of markers each call),
so the text and the errors are the same (`tests/test_json_text.py`)."""

from __future__ import annotations

import json
from json import encoder
from typing import Any

_DEFAULT = json.JSONEncoder().default  # what json.dumps raises for what it cannot write
_MAKE = getattr(encoder, "c_make_encoder", None)  # not in typeshed: json's own C accelerator
_ASCII = encoder.encode_basestring_ascii


def dumps(value: Any) -> str:
    """`json.dumps(value)`."""
    if _MAKE is None:  # no C accelerator: json's own
        return json.dumps(value)
    return "".join(_MAKE({}, _DEFAULT, _ASCII, None, ": ", ", ", False, False, True)(value, 0))
