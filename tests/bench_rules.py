"""Rules the benchmark tests (`tests/test_bench_*.py`) compile their small policies from: each
test names the few it needs, so a rule the counts read is written once."""

from __future__ import annotations

from typing import Any

# Forbidden, the press's: a keyword of two words.
CONFIDENTIAL_SOURCE: dict[str, Any] = {
    "id": "N1",
    "verdict": "forbidden",
    "role": "press",
    "text": "Never reveal a confidential source.",
    "keywords": ["confidential source"],
}
# Forbidden, privacy's: another role than the press's.
PATIENT_NAME: dict[str, Any] = {
    "id": "P1",
    "verdict": "forbidden",
    "role": "privacy",
    "text": "Never post a patient's name.",
    "keywords": ["patient's name"],
}
