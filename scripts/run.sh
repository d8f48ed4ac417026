#!/usr/bin/env bash
# Sets everything up and runs the bot: the terminal shell on SQLite when no Slack tokens are
# set, connected to Slack when they are (see .env.example). Arguments go to `policybot`.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
exec .venv/bin/policybot "$@"
