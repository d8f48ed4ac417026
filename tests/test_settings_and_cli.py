"""Settings are read as interfaces.md says; bad ones stop start-up with one clear line."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from bot.settings import SettingsError, load_settings

ROOT = Path(__file__).resolve().parents[1]


def test_defaults() -> None:
    settings = load_settings({}, env_file=Path("/nonexistent"))
    assert settings.slack_api_url == "https://slack.com/api/"
    assert settings.database_url == "sqlite:///policybot.db"
    assert settings.language == "nl" and settings.retention_days == 90 and settings.port == 3000
    assert not settings.slack_configured


def test_dotenv_file_is_read_and_environment_wins(tmp_path: Path) -> None:
    env_file = tmp_path / ".env"
    env_file.write_text("POLICYBOT_LANGUAGE=en\nPORT=4000\nPOLICYBOT_ADMINS=U01,U02\n")
    settings = load_settings({"PORT": "5000"}, env_file=env_file)
    assert settings.language == "en" and settings.port == 5000
    assert settings.admins == frozenset({"U01", "U02"})


@pytest.mark.parametrize(
    ("env", "named"),
    [
        ({"POLICYBOT_LANGUAGE": "fr"}, "POLICYBOT_LANGUAGE"),
        ({"POLICYBOT_RETENTION_DAYS": "soon"}, "POLICYBOT_RETENTION_DAYS"),
        ({"PORT": "99999"}, "PORT"),
        ({"SLACK_BOT_TOKEN": "xoxp-user"}, "SLACK_BOT_TOKEN"),
        ({"SLACK_APP_TOKEN": "abc"}, "SLACK_APP_TOKEN"),
        ({"SLACK_API_URL": "slack.com"}, "SLACK_API_URL"),
        ({"DATABASE_URL": "policybot.db"}, "DATABASE_URL"),
        ({"POLICYBOT_ADMINS": "alice"}, "POLICYBOT_ADMINS"),
    ],
)
def test_malformed_setting_names_itself(env: dict[str, str], named: str) -> None:
    with pytest.raises(SettingsError, match=named):
        load_settings(env, env_file=Path("/nonexistent"))


def test_postgres_urls_use_psycopg3() -> None:
    settings = load_settings({"DATABASE_URL": "postgresql://u@h/db"}, env_file=Path("/nonexistent"))
    assert settings.database_url == "postgresql+psycopg://u@h/db"


def _cli(
    *args: str, env: dict[str, str] | None = None, cwd: Path | None = None, stdin: str = ""
) -> subprocess.CompletedProcess[str]:
    full_env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("SLACK_", "POLICYBOT_", "DATABASE_URL"))
    }
    full_env |= env or {}
    return subprocess.run(
        [sys.executable, "-m", "runtime.cli", *args],
        capture_output=True,
        text=True,
        env=full_env,
        cwd=cwd or ROOT,
        input=stdin,
        timeout=60,
    )


def test_bad_setting_stops_the_cli_with_one_line(tmp_path: Path) -> None:
    result = _cli("migrate", env={"POLICYBOT_LANGUAGE": "fr"}, cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.strip().count("\n") == 0 and "POLICYBOT_LANGUAGE" in result.stderr
    assert "Traceback" not in result.stderr + result.stdout


def test_serve_without_tokens_says_what_is_missing(tmp_path: Path) -> None:
    result = _cli("serve", "--http", cwd=tmp_path)
    assert result.returncode == 2 and "SLACK_BOT_TOKEN" in result.stderr
    assert "Traceback" not in result.stderr


def test_unknown_command_is_one_line(tmp_path: Path) -> None:
    result = _cli("frobnicate", cwd=tmp_path)
    assert result.returncode == 2 and result.stderr.strip().count("\n") == 0


def test_unreachable_database_is_one_line(tmp_path: Path) -> None:
    result = _cli(
        "migrate", env={"DATABASE_URL": "postgresql://nobody@127.0.0.1:1/none"}, cwd=tmp_path
    )
    assert result.returncode == 1 and "DATABASE_URL" in result.stderr
    assert "Traceback" not in result.stderr


def test_migrate_command_creates_the_schema(tmp_path: Path) -> None:
    result = _cli("migrate", env={"DATABASE_URL": f"sqlite:///{tmp_path / 'x.db'}"}, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "x.db").exists()
