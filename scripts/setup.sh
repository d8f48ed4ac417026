#!/usr/bin/env bash
# Creates .venv from the lock file (every package pinned and hash-checked), then installs
# policybot itself without resolving anything; quick when nothing changed. A changed lock file
# gets a fresh .venv, so nothing from an older lock lingers (pip only adds, never removes).
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON="${PYTHON:-python3}"
LOCK=requirements-dev.lock
stamp=".venv/.installed-$(cat "$LOCK" pyproject.toml | sha1sum | cut -c1-12)"
if [ -f "$stamp" ] && [ -x .venv/bin/python ]; then
  exit 0
fi
rm -rf .venv
"$PYTHON" -m venv .venv
.venv/bin/python -m pip install --quiet --require-hashes --only-binary :all: -r "$LOCK"
.venv/bin/python -m pip install --quiet --no-deps --editable .
touch "$stamp"
