"""The text of a JSON column, exactly as `json.dumps` writes it, for less.

`json.dumps(value)` with its defaults goes through three Python functions (`dumps`,
`JSONEncoder.encode`, `iterencode`, which defines a function of its own each time) before
the C encoder that does the work: about 13,000 instructions of overhead a value, and a DM
writes nine JSON values (the inbox's body and headers, the question log's groups and rules,
the outbox row's arguments, the done mark's cleared body and headers …). `dumps` here calls
that C encoder itself, made as `json.dumps` makes it (its defaults: ASCII only, `", "` and
`": "`, NaN allowed, circular references refused with a fresh set of markers each call),
so the text and the errors are the same (`tests/test_json_text.py`).

`Encoded` is JSON text already written, stored as it is: the inbox's copy of an event's body
is the text Slack sent (`runtime.event_door`), which the gate has just parsed, so it is valid
JSON of the same object, and writing it again would only spend its escaping again (for the
benchmark's 695-byte event about 17,000 instructions of escaping; more for Slack's bodies
with blocks)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from json import encoder
from typing import Any

_DEFAULT = json.JSONEncoder().default  # what json.dumps raises for what it cannot write
_MAKE = getattr(encoder, "c_make_encoder", None)  # not in typeshed: json's own C accelerator
_ASCII = encoder.encode_basestring_ascii


@dataclass(frozen=True, slots=True)
class Encoded:
    """JSON text, written already: a JSON column stores `text` as it is."""

    text: str


def dumps(value: Any) -> str:
    """`json.dumps(value)`; an `Encoded` value's own text."""
    if value.__class__ is Encoded:
        return str(value.text)
    if value is None:  # a cleared column (the inbox's done mark): no encoder to make
        return "null"
    if _MAKE is None:  # no C accelerator: json's own
        return json.dumps(value)
    return "".join(_MAKE({}, _DEFAULT, _ASCII, None, ": ", ", ", False, False, True)(value, 0))
