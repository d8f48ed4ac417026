"""Start-up: log settings in one line when wrong, and the fast YAML reader gives exactly what the
Python one gives (and reads what only the Python one accepts)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from bot import yaml_safe
from bot.settings import SettingsError, load_settings

ROOT = Path(__file__).resolve().parent.parent


def test_log_settings_are_read_and_checked(tmp_path: Path) -> None:
    settings = load_settings(
        {"LOG_LEVEL": "debug", "POLICYBOT_LOG_FORMAT": "JSON"}, tmp_path / ".env"
    )
    assert (settings.log_level, settings.log_format) == ("DEBUG", "json")
    assert load_settings({}, tmp_path / ".env").log_format == "text"
    with pytest.raises(SettingsError, match="LOG_LEVEL='LOUD' is not a level"):
        load_settings({"LOG_LEVEL": "loud"}, tmp_path / ".env")
    with pytest.raises(SettingsError, match="POLICYBOT_LOG_FORMAT='xml'"):
        load_settings({"POLICYBOT_LOG_FORMAT": "xml"}, tmp_path / ".env")


@pytest.mark.parametrize(
    "path",
    sorted((ROOT / "policy_content").rglob("*.yml")) + sorted((ROOT / "examples").glob("*.yml")),
    ids=lambda p: p.name,
)
def test_the_fast_reader_gives_what_the_python_reader_gives(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert yaml_safe.load(text) == yaml.safe_load(text)


def test_what_libyaml_refuses_is_read_by_the_python_parser() -> None:
    text = "senses:\n  tip:\n    innocent: [tip:]\n"  # as policy_content/lexicon has it
    with pytest.raises(yaml.YAMLError):
        yaml.load(text, Loader=yaml_safe.SafeLoader)  # libyaml (where installed) refuses it
    assert (
        yaml_safe.load(text)
        == yaml.safe_load(text)
        == {"senses": {"tip": {"innocent": [{"tip": None}]}}}
    )
    with pytest.raises(yaml.YAMLError):
        yaml_safe.load("a: [unclosed")
