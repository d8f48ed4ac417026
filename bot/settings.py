"""Settings from the environment (or a `.env` file), as ../shared/design/interfaces.md lists them.

A missing or malformed setting raises `SettingsError` with one line that names it and says
how to fix it; the CLI prints that line and exits, never a traceback.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TypeVar
from zoneinfo import ZoneInfo

from bot.limits import (
    DB_CONNECT_TIMEOUT_MS,
    DB_STATEMENT_TIMEOUT_MS,
    DEFAULT_MAX_POLICY_BYTES,
    HTTP_THREADS,
    MAX_REQUEST_BYTES,
    REQUEST_READ_TIMEOUT_MS,
)
from bot.schedule import (
    DEFAULT_QUIET_HOURS,
    DEFAULT_TIMEZONE,
    DEFAULT_WORKING_DAYS,
    Calendar,
    QuietHours,
    WorkingDays,
    parse_quiet_hours,
    parse_timezone,
    parse_working_days,
)
from bot.vocabulary import Language, is_language

DEFAULT_API_URL = "https://slack.com/api/"
LOGO_MAX_BYTES = 5 * 1024 * 1024  # a logo, not a photo album: Word and Slack uploads stay small
_IMAGE_MAGIC = ((b"\x89PNG\r\n\x1a\n", "PNG"), (b"\xff\xd8\xff", "JPEG"))
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR")
LOG_FORMATS = ("text", "json")
T = TypeVar("T")


class SettingsError(ValueError):
    """One setting is missing or malformed; the message is a single line for the operator."""


@dataclass(frozen=True)
class Settings:
    bot_token: str | None = None
    signing_secret: str | None = None
    app_token: str | None = None
    slack_api_url: str = DEFAULT_API_URL
    database_url: str = "sqlite:///policybot.db"
    admins: frozenset[str] = field(default_factory=frozenset)
    language: Language = "nl"
    retention_days: int = 90
    port: int = 3000
    timezone: ZoneInfo = field(default_factory=lambda: ZoneInfo(DEFAULT_TIMEZONE))
    working_days: WorkingDays = field(
        default_factory=lambda: parse_working_days(DEFAULT_WORKING_DAYS)
    )
    quiet_hours: QuietHours | None = field(
        default_factory=lambda: parse_quiet_hours(DEFAULT_QUIET_HOURS)
    )
    logo: Path | None = None  # a PNG or JPEG for the cover of exported documents
    # `serve` runs the scheduled work (reminders, digests) on its own; off when a cron job
    # runs `policybot tick` instead (POLICYBOT_SCHEDULER=off).
    scheduler: bool = True
    # A language model's second opinion (off unless llm_url is set).
    llm_url: str | None = None
    llm_model: str | None = None
    llm_api_key: str | None = None
    llm_timeout_ms: int = 1500  # well inside Slack's 3 seconds, with the rules' own time
    log_level: str = "INFO"  # LOG_LEVEL: DEBUG, INFO, WARNING, ERROR
    log_format: str = "text"  # POLICYBOT_LOG_FORMAT: text, or json (one object per line)
    # Bounded input (bot.limits has the reasons for each default).
    max_policy_bytes: int = DEFAULT_MAX_POLICY_BYTES
    max_request_bytes: int = MAX_REQUEST_BYTES
    request_read_timeout_ms: int = REQUEST_READ_TIMEOUT_MS
    http_threads: int = HTTP_THREADS
    db_connect_timeout_ms: int = DB_CONNECT_TIMEOUT_MS
    db_statement_timeout_ms: int = DB_STATEMENT_TIMEOUT_MS

    @property
    def slack_configured(self) -> bool:
        """Tokens enough to talk to Slack: `policybot` without arguments then serves."""
        return bool(self.bot_token and (self.app_token or self.signing_secret))

    @property
    def calendar(self) -> Calendar:
        """When reminders may go out: working days outside quiet hours, in the time zone."""
        return Calendar(self.timezone, self.working_days, self.quiet_hours)

    def with_overrides(self, **changes: object) -> Settings:
        return replace(self, **changes)  # type: ignore[arg-type]

    def require_slack(self, *, http: bool) -> None:
        """`serve` needs a bot token and either an app token (Socket Mode) or a signing secret."""
        if not self.bot_token:
            raise SettingsError("SLACK_BOT_TOKEN is not set: copy the bot token (xoxb-…) into .env")
        if (http or not self.app_token) and not self.signing_secret:
            raise SettingsError(
                "SLACK_SIGNING_SECRET is not set: HTTP mode needs it to verify requests "
                "(Basic Information → Signing Secret), or set SLACK_APP_TOKEN for Socket Mode"
            )


def _int(env: Mapping[str, str], name: str, default: int, low: int, high: int) -> int:
    raw = env.get(name, "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise SettingsError(
            f"{name}={raw!r} is not a whole number: set it to e.g. {default}"
        ) from None
    if not low <= value <= high:
        raise SettingsError(f"{name}={value} is out of range: use a number from {low} to {high}")
    return value


def _on_off(env: Mapping[str, str], name: str, default: bool) -> bool:
    raw = env.get(name, "").strip().lower()
    if not raw:
        return default
    if raw in ("on", "true", "yes", "1"):
        return True
    if raw in ("off", "false", "no", "0"):
        return False
    raise SettingsError(f"{name}={raw!r} is not on or off: use on or off")


def _optional_token(env: Mapping[str, str], name: str, prefix: str) -> str | None:
    raw = env.get(name, "").strip()
    if not raw:
        return None
    if prefix and not raw.startswith(prefix):
        raise SettingsError(
            f"{name} must start with {prefix!r}: copy it again from the Slack app page"
        )
    return raw


def _parsed(env: Mapping[str, str], name: str, default: str, parse: Callable[[str], T]) -> T:
    """`parse` the setting (or its default); its ValueError becomes one line naming `name`."""
    raw = env.get(name)
    try:
        return parse(default if raw is None else raw)
    except ValueError as error:
        raise SettingsError(f"{name}: {error}") from None


def _logo(env: Mapping[str, str]) -> Path | None:
    """POLICYBOT_LOGO: a readable PNG or JPEG file, checked now so an export never fails on it."""
    raw = env.get("POLICYBOT_LOGO", "").strip()
    if not raw:
        return None
    path = Path(raw).expanduser()
    try:
        size = path.stat().st_size
        with path.open("rb") as file:
            head = file.read(16)
    except OSError as error:
        reason = error.strerror or type(error).__name__
        raise SettingsError(f"POLICYBOT_LOGO={raw!r} cannot be read ({reason})") from None
    if not any(head.startswith(magic) for magic, _ in _IMAGE_MAGIC):
        raise SettingsError(f"POLICYBOT_LOGO={raw!r} is not a PNG or JPEG image")
    if size > LOGO_MAX_BYTES:
        raise SettingsError(
            f"POLICYBOT_LOGO={raw!r} is {size // 1024} KiB: use an image under "
            f"{LOGO_MAX_BYTES // (1024 * 1024)} MiB"
        )
    return path.resolve()


def load_settings(
    environ: Mapping[str, str] | None = None, env_file: Path | None = None
) -> Settings:
    """Read settings: real environment variables win over a `.env` file in the working directory."""
    env: dict[str, str] = {}
    dotenv_path = env_file if env_file is not None else Path.cwd() / ".env"
    if dotenv_path.is_file():
        from dotenv import dotenv_values  # only for a .env file: its parser costs every start

        env.update({k: v for k, v in dotenv_values(dotenv_path).items() if v is not None})
    env.update(os.environ if environ is None else environ)

    api_url = env.get("SLACK_API_URL", "").strip() or DEFAULT_API_URL
    if not api_url.startswith(("http://", "https://")):
        raise SettingsError(f"SLACK_API_URL={api_url!r} is not a URL: use e.g. {DEFAULT_API_URL}")
    if not api_url.endswith("/"):
        api_url += "/"

    database_url = env.get("DATABASE_URL", "").strip() or "sqlite:///policybot.db"
    if "://" not in database_url:
        raise SettingsError(
            f"DATABASE_URL={database_url!r} is not a database URL: use e.g. "
            "sqlite:///policybot.db or postgresql+psycopg://user:pass@host/db"
        )
    if database_url.startswith(("postgresql://", "postgres://")):
        # SQLAlchemy's default PostgreSQL driver is psycopg2; we ship psycopg 3.
        database_url = "postgresql+psycopg://" + database_url.split("://", 1)[1]

    admins = frozenset(a.strip() for a in env.get("POLICYBOT_ADMINS", "").split(",") if a.strip())
    for admin in admins:
        if admin[:1] not in ("U", "W") or not admin.isalnum():
            raise SettingsError(
                f"POLICYBOT_ADMINS has {admin!r}, which is not a Slack user ID (like U0123ABCD)"
            )

    language = env.get("POLICYBOT_LANGUAGE", "").strip().lower() or "nl"
    if not is_language(language):
        raise SettingsError(f"POLICYBOT_LANGUAGE={language!r} is not supported: use nl or en")

    llm_url = env.get("POLICYBOT_LLM_URL", "").strip().rstrip("/") or None
    if llm_url is not None and not llm_url.startswith(("http://", "https://")):
        raise SettingsError(
            f"POLICYBOT_LLM_URL={llm_url!r} is not a URL: use the API's base, "
            "e.g. http://localhost:11434/v1"
        )
    llm_model = env.get("POLICYBOT_LLM_MODEL", "").strip() or None
    if llm_url is not None and llm_model is None:
        raise SettingsError(
            "POLICYBOT_LLM_MODEL is not set: name the model POLICYBOT_LLM_URL should use"
        )

    log_level = env.get("LOG_LEVEL", "").strip().upper() or "INFO"
    if log_level not in LOG_LEVELS:
        raise SettingsError(f"LOG_LEVEL={log_level!r} is not a level: use {', '.join(LOG_LEVELS)}")
    log_format = env.get("POLICYBOT_LOG_FORMAT", "").strip().lower() or "text"
    if log_format not in LOG_FORMATS:
        raise SettingsError(f"POLICYBOT_LOG_FORMAT={log_format!r} is not known: use text or json")

    return Settings(
        log_level=log_level,
        log_format=log_format,
        llm_url=llm_url,
        llm_model=llm_model,
        llm_api_key=env.get("POLICYBOT_LLM_API_KEY", "").strip() or None,
        llm_timeout_ms=_int(env, "POLICYBOT_LLM_TIMEOUT_MS", 1500, 100, 60000),
        bot_token=_optional_token(env, "SLACK_BOT_TOKEN", "xoxb-"),
        signing_secret=env.get("SLACK_SIGNING_SECRET", "").strip() or None,
        app_token=_optional_token(env, "SLACK_APP_TOKEN", "xapp-"),
        slack_api_url=api_url,
        database_url=database_url,
        admins=admins,
        language=language,
        retention_days=_int(env, "POLICYBOT_RETENTION_DAYS", 90, 1, 36500),
        port=_int(env, "PORT", 3000, 1, 65535),
        timezone=_parsed(env, "POLICYBOT_TIMEZONE", DEFAULT_TIMEZONE, _timezone),
        working_days=_parsed(env, "POLICYBOT_WORKING_DAYS", DEFAULT_WORKING_DAYS, _working_days),
        quiet_hours=_parsed(env, "POLICYBOT_QUIET_HOURS", DEFAULT_QUIET_HOURS, parse_quiet_hours),
        logo=_logo(env),
        scheduler=_on_off(env, "POLICYBOT_SCHEDULER", True),
        **_limits(env),
    )


def _limits(env: Mapping[str, str]) -> dict[str, int]:
    """Sizes, times and counts that bound what one request or file may cost."""
    mib = 1024 * 1024
    return {
        "max_policy_bytes": _int(
            env, "POLICYBOT_MAX_POLICY_BYTES", DEFAULT_MAX_POLICY_BYTES, 1024, 1024 * mib
        ),
        "max_request_bytes": _int(
            env, "POLICYBOT_MAX_REQUEST_BYTES", MAX_REQUEST_BYTES, 64 * 1024, 64 * mib
        ),
        "request_read_timeout_ms": _int(
            env, "POLICYBOT_REQUEST_READ_TIMEOUT_MS", REQUEST_READ_TIMEOUT_MS, 100, 60000
        ),
        "http_threads": _int(env, "POLICYBOT_HTTP_THREADS", HTTP_THREADS, 2, 512),
        "db_connect_timeout_ms": _int(
            env, "POLICYBOT_DB_CONNECT_TIMEOUT_MS", DB_CONNECT_TIMEOUT_MS, 1000, 600000
        ),
        "db_statement_timeout_ms": _int(
            env, "POLICYBOT_DB_STATEMENT_TIMEOUT_MS", DB_STATEMENT_TIMEOUT_MS, 100, 3600000
        ),
    }


def _timezone(raw: str) -> ZoneInfo:
    return parse_timezone(raw.strip() or DEFAULT_TIMEZONE)


def _working_days(raw: str) -> WorkingDays:
    return parse_working_days(raw.strip() or DEFAULT_WORKING_DAYS)
