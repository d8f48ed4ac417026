#!/usr/bin/env bash
# Sets everything up and runs all the checks: ruff (lint and format), mypy, the suite on
# SQLite, then the suite again on a throwaway PostgreSQL server. Extra arguments go to pytest
# (e.g. -k drafting). Lint stops the run at once; type errors are reported first but the
# suites still run, and the run then fails at the end, so one run shows everything.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh

echo "== ruff"
.venv/bin/ruff check .
.venv/bin/ruff format --check .

echo "== mypy"
types_ok=true
.venv/bin/mypy || types_ok=false

finish() {
  if [ "$types_ok" != true ]; then
    echo "mypy reported type errors (see above): the checks failed" >&2
    exit 1
  fi
}

echo "== tests on SQLite"
.venv/bin/pytest "$@"

if [ -n "${POLICYBOT_TEST_DATABASE_URL:-}" ]; then
  echo "== tests on PostgreSQL ($POLICYBOT_TEST_DATABASE_URL)"
  .venv/bin/pytest "$@"
  finish
  exit 0
fi
pgdir="$(mktemp -d /tmp/policybot-pg.XXXXXX)"
if url="$(scripts/throwaway_postgres.sh start "$pgdir")"; then
  trap 'scripts/throwaway_postgres.sh stop "$pgdir"' EXIT
  echo "== tests on PostgreSQL"
  POLICYBOT_TEST_DATABASE_URL="$url" .venv/bin/pytest "$@"
elif [ "${CI:-}" = "true" ]; then
  echo "CI needs PostgreSQL for the second run; it could not be started" >&2
  exit 1
else
  echo "(PostgreSQL not available here: the PostgreSQL run was skipped)"
fi
finish
