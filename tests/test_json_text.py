"""The JSON columns' serializer writes what `json.dumps` writes, and refuses what it refuses."""

from __future__ import annotations

import json
import math
import random
from typing import Any

import pytest

from bot.storage.database import make_engine
from bot.storage.json_text import dumps


def _random_value(rng: random.Random, depth: int = 0) -> Any:
    scalars: list[Any] = [
        None, True, False, 0, -1, 2**70, 1.5, -0.0, 1e300, 3.14159, float("nan"), float("inf"),
        float("-inf"), "", "plain", "é ü ñ", "💬 emoji", "tab\\there", 'quote " and \\\\',
        "\x00\x1f control", "\ud800 lone surrogate", "<&>", "mrkdwn *bold* _it_",
    ]  # fmt: skip
    kind = rng.random()
    if depth > 3 or kind < 0.5:
        return rng.choice(scalars)
    if kind < 0.75:
        return [_random_value(rng, depth + 1) for _ in range(rng.randint(0, 4))]
    if kind < 0.8:
        return tuple(_random_value(rng, depth + 1) for _ in range(rng.randint(0, 3)))
    keys: list[Any] = ["a", "text", "é", "", 1, 2.5, True, None, "blocks"]
    return {rng.choice(keys): _random_value(rng, depth + 1) for _ in range(rng.randint(0, 4))}


def test_it_writes_what_json_dumps_writes() -> None:
    rng = random.Random(20261202)
    values = [_random_value(rng) for _ in range(2000)]
    values += [{"type": "event_callback", "event": {"text": "mag ik dit posten: bel 06-12345678"}}]
    for value in values:
        assert dumps(value) == json.dumps(value), value


@pytest.mark.parametrize("value", [{1, 2}, object(), {"a": b"bytes"}, {(1, 2): "tuple key"}])
def test_it_refuses_what_json_dumps_refuses(value: Any) -> None:
    with pytest.raises(TypeError) as expected:
        json.dumps(value)
    with pytest.raises(TypeError) as refused:
        dumps(value)
    assert str(refused.value) == str(expected.value)


def test_a_circular_value_is_refused_as_json_dumps_refuses_it() -> None:
    circular: list[Any] = []
    circular.append(circular)
    with pytest.raises(ValueError, match="Circular reference"):
        dumps(circular)
    assert dumps([1, [2]]) == "[1, [2]]"  # the markers of a refused value are not kept
    assert math.isnan(json.loads(dumps(float("nan"))))


def test_both_databases_write_json_columns_with_it() -> None:
    engine = make_engine("sqlite://")
    assert engine.dialect._json_serializer is dumps
    engine.dispose()
