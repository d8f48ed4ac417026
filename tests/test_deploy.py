"""One container away: the Dockerfile and compose.yaml hold what an operator relies on (Docker
itself does not run here, so their essentials are read and checked)."""

from __future__ import annotations

import re
import tomllib
from functools import cache
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent


@cache
def dockerfile() -> list[tuple[str, str]]:
    """(instruction, arguments) in order, continuation lines joined, comments dropped."""
    text = re.sub(r"\\\n\s*", " ", (ROOT / "Dockerfile").read_text(encoding="utf-8"))
    found = []
    for line in text.splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            instruction, _, arguments = line.strip().partition(" ")
            found.append((instruction.upper(), arguments.strip()))
    return found


def final_stage() -> list[tuple[str, str]]:
    steps = dockerfile()
    last_from = max(i for i, (instruction, _) in enumerate(steps) if instruction == "FROM")
    return steps[last_from:]


@cache
def compose() -> dict[str, Any]:
    return yaml.safe_load((ROOT / "compose.yaml").read_text(encoding="utf-8"))


def test_the_image_is_slim_multi_stage_and_built_from_the_lock_file() -> None:
    bases = [arguments for instruction, arguments in dockerfile() if instruction == "FROM"]
    assert len(bases) >= 2 and all("slim" in base for base in bases)
    runs = " ".join(arguments for instruction, arguments in dockerfile() if instruction == "RUN")
    assert "--require-hashes" in runs and "-r requirements.lock" in runs
    assert "--no-deps ." in runs  # policybot itself resolves nothing more
    copied = " ".join(arguments for instruction, arguments in dockerfile() if instruction == "COPY")
    packages = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]
    for package in packages["packages"]["find"]["include"]:
        assert f"{package.rstrip('*')} " in copied, f"the image lacks the {package} package"
    ignored = (ROOT / ".dockerignore").read_text(encoding="utf-8")
    assert "!requirements.lock" in ignored


def test_the_image_runs_serve_http_as_a_user_with_a_healthcheck() -> None:
    final = dict(final_stage())
    user = final["USER"].split(":")[0]
    assert user not in ("root", "0"), "the bot must not run as root"
    assert "/healthz" in final["HEALTHCHECK"]
    assert re.search(r"--interval=\d+s", final["HEALTHCHECK"])
    command = yaml.safe_load(final["CMD"])  # the exec form is a JSON list
    assert command == ["policybot", "serve", "--http"]


def test_compose_runs_migrations_once_before_the_bot_on_postgres_with_a_volume() -> None:
    services = compose()["services"]
    db, migrate, bot = services["db"], services["migrate"], services["bot"]
    assert db["image"].startswith("postgres") and "healthcheck" in db
    assert any(str(volume).endswith(":/var/lib/postgresql/data") for volume in db["volumes"])
    assert set(compose()["volumes"]) >= {str(db["volumes"][0]).split(":")[0]}
    assert migrate["command"] == ["policybot", "migrate"] and migrate["restart"] == "no"
    assert migrate["depends_on"]["db"]["condition"] == "service_healthy"
    assert bot["command"] == ["policybot", "serve", "--http"]
    assert bot["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
    assert bot["depends_on"]["db"]["condition"] == "service_healthy"
    for service in (migrate, bot):
        assert service["environment"]["DATABASE_URL"].startswith("postgresql://")
        assert "@db:5432/" in service["environment"]["DATABASE_URL"]
    grace = int(str(bot["stop_grace_period"]).rstrip("s"))
    assert grace > 30, "longer than the 30 s the bot takes to finish its work on SIGTERM"


def test_a_buffering_proxy_stands_in_front_of_the_bot() -> None:
    proxy = compose()["services"]["proxy"]
    assert proxy["image"].startswith("nginx")
    mounted = [str(v).split(":")[0] for v in proxy["volumes"]]
    assert "./deploy/nginx.conf" in mounted
    assert proxy["depends_on"]["bot"]["condition"] == "service_healthy"
    assert "ports" not in compose()["services"]["bot"], "Slack reaches the bot only through it"
    config = (ROOT / "deploy" / "nginx.conf").read_text(encoding="utf-8")
    assert "proxy_request_buffering on" in config
    assert re.search(r"client_max_body_size \d+[km];", config)
    assert re.search(r"client_body_timeout \d+s;", config)
    assert "location = /slack/events" in config and "server bot:3000" in config


def test_the_readme_gives_the_operator_the_commands() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for command in ("docker compose up -d --build", "docker compose logs", "docker compose down"):
        assert command in readme, command
    for line in re.findall(r"^docker compose [^\n#]+", readme, re.M):
        named = [word for word in line.split() if word in ("db", "bot", "migrate", "proxy")]
        assert all(service in compose()["services"] for service in named), line
