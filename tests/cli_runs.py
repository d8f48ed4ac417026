"""Running `policybot` as a person does, in a subprocess: its own working directory, only the
environment given (no stray `.env`, no Slack tokens), a script on standard input."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def run_policybot(
    argv: list[str],
    database_url: str,
    workdir: Path,
    script: str = "",
    *,
    language: str = "en",
    admins: str = "",
) -> str:
    """`policybot ARGV` on `database_url`; its standard output. It must exit 0 without a
    traceback."""
    env = {
        "PATH": os.environ.get("PATH", ""),
        "HOME": str(workdir),
        "DATABASE_URL": database_url,
        "POLICYBOT_LANGUAGE": language,
        "PYTHONPATH": str(ROOT),
    }
    if admins:
        env["POLICYBOT_ADMINS"] = admins
    done = subprocess.run(
        [sys.executable, "-c", "import sys; from runtime.cli import main; sys.exit(main())"] + argv,
        input=script.strip() + "\n",
        capture_output=True,
        text=True,
        cwd=workdir,
        env=env,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Traceback" not in done.stdout + done.stderr
    return done.stdout
