#!/usr/bin/env bash
# Sets everything up and runs all the tests: lint, the suite on SQLite, then the suite again on
# a throwaway PostgreSQL server. Extra arguments go to pytest (e.g. -k drafting).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
.venv/bin/ruff check .

echo "== tests on SQLite"
.venv/bin/pytest "$@"

if [ -n "${POLICYBOT_TEST_DATABASE_URL:-}" ]; then
  echo "== tests on PostgreSQL ($POLICYBOT_TEST_DATABASE_URL)"
  .venv/bin/pytest "$@"
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
