"""Shared test data for the policy document and answering engine tests (not fixtures: plain
helpers, so tests/conftest.py stays the lead's)."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
import yaml

SAMPLES = Path(__file__).resolve().parents[1].parent / "shared" / "samples"
SAMPLE_POLICY = SAMPLES / "gemeente-voorbeeld.policy.yml"
SAMPLE_QUESTIONS = SAMPLES / "gemeente-voorbeeld.questions.yml"


def sample_text(path: Path) -> str:
    """A file from ../shared/samples; the test is skipped where the samples are not present."""
    if not path.exists():
        pytest.skip(f"sample not available: {path}")
    return path.read_text(encoding="utf-8")


def sample_questions() -> list[dict[str, Any]]:
    return yaml.safe_load(sample_text(SAMPLE_QUESTIONS))


_MINIMAL: dict[str, Any] = {
    "format": "policybot/1",
    "organisation": "Voorbeeld BV",
    "language": "nl",
    "sections": [{"id": "purpose", "title": "Waarom", "text": "Houvast, geen verbodslijst."}],
    "groups": [{"id": "editorial", "name": "Redactie", "slack": "@redactie"}],
    "roles": [
        {
            "id": "comms",
            "name": "Communicatie",
            "contact": "#communicatie",
            "handles": "Alles wat naar buiten gaat",
        }
    ],
    "rules": [
        {
            "id": "R1",
            "verdict": "forbidden",
            "text": "Deel geen persoonsgegevens.",
            "role": "comms",
            "keywords": ["persoonsgegevens"],
        }
    ],
    "default": {"verdict": "allowed", "role": "comms"},
}


def minimal_policy_data() -> dict[str, Any]:
    """A small valid policy as plain data, fresh for every call (tests change it)."""
    return copy.deepcopy(_MINIMAL)
