"""The organisation's clock and logo as settings: typed values, and a bad one stops start-up
with one line that names it."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import pytest

from bot.schedule import QuietHours, WorkingDays
from bot.settings import SettingsError, load_settings

ROOT = Path(__file__).resolve().parents[1]
NOWHERE = Path("/nonexistent")
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def test_defaults_are_amsterdam_weekdays_and_evening_quiet() -> None:
    settings = load_settings({}, env_file=NOWHERE)
    assert settings.timezone.key == "Europe/Amsterdam"
    assert settings.working_days == WorkingDays(frozenset({0, 1, 2, 3, 4}))
    assert settings.quiet_hours == QuietHours(dt.time(18, 0), dt.time(8, 30))
    assert settings.logo is None


def test_values_are_parsed_into_types(tmp_path: Path) -> None:
    logo = tmp_path / "logo.png"
    logo.write_bytes(PNG)
    settings = load_settings(
        {
            "POLICYBOT_TIMEZONE": "Europe/London",
            "POLICYBOT_WORKING_DAYS": "sun-thu",
            "POLICYBOT_QUIET_HOURS": "22:00-07:00",
            "POLICYBOT_LOGO": str(logo),
        },
        env_file=NOWHERE,
    )
    assert settings.timezone.key == "Europe/London"
    assert settings.working_days.days == frozenset({6, 0, 1, 2, 3})
    assert dt.date(2026, 12, 4) not in settings.working_days  # a Friday
    assert settings.working_days.next_working_day(dt.date(2026, 12, 4)) == dt.date(2026, 12, 6)
    quiet = settings.quiet_hours
    assert quiet is not None and dt.time(23, 0) in quiet and dt.time(6, 59) in quiet
    assert dt.time(7, 0) not in quiet and dt.time(12, 0) not in quiet
    assert settings.logo == logo.resolve()
    lists = load_settings({"POLICYBOT_WORKING_DAYS": "mon,wed,fri"}, env_file=NOWHERE)
    assert lists.working_days.days == frozenset({0, 2, 4})
    every = load_settings({"POLICYBOT_WORKING_DAYS": "mon-sun"}, env_file=NOWHERE)
    assert every.working_days.days == frozenset(range(7))


def test_empty_quiet_hours_mean_none() -> None:
    assert load_settings({"POLICYBOT_QUIET_HOURS": ""}, env_file=NOWHERE).quiet_hours is None
    daytime = load_settings({"POLICYBOT_QUIET_HOURS": "12:00-13:30"}, env_file=NOWHERE)
    assert daytime.quiet_hours is not None and dt.time(12, 45) in daytime.quiet_hours


@pytest.mark.parametrize(
    ("env", "named"),
    [
        ({"POLICYBOT_TIMEZONE": "Mars/Olympus"}, "POLICYBOT_TIMEZONE"),
        ({"POLICYBOT_TIMEZONE": "../../etc/passwd"}, "POLICYBOT_TIMEZONE"),
        ({"POLICYBOT_WORKING_DAYS": "maandag-vrijdag"}, "POLICYBOT_WORKING_DAYS"),
        ({"POLICYBOT_WORKING_DAYS": ","}, "POLICYBOT_WORKING_DAYS"),
        ({"POLICYBOT_QUIET_HOURS": "18-8"}, "POLICYBOT_QUIET_HOURS"),
        ({"POLICYBOT_QUIET_HOURS": "25:00-08:00"}, "POLICYBOT_QUIET_HOURS"),
        ({"POLICYBOT_QUIET_HOURS": "08:00-08:00"}, "POLICYBOT_QUIET_HOURS"),
        ({"POLICYBOT_LOGO": "/nonexistent/logo.png"}, "POLICYBOT_LOGO"),
        ({"POLICYBOT_LOGO": __file__}, "POLICYBOT_LOGO"),
    ],
)
def test_a_bad_value_names_its_setting(env: dict[str, str], named: str) -> None:
    with pytest.raises(SettingsError, match=named) as caught:
        load_settings(env, env_file=NOWHERE)
    assert "\n" not in str(caught.value)


def test_a_bad_time_zone_stops_start_up_with_one_line(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "POLICYBOT_"))}
    result = subprocess.run(
        [sys.executable, "-m", "runtime.cli", "migrate"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=env | {"POLICYBOT_TIMEZONE": "Europe/Amsterdamm", "PYTHONPATH": str(ROOT)},
        timeout=60,
    )
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "POLICYBOT_TIMEZONE" in result.stderr
    assert "Traceback" not in result.stderr
