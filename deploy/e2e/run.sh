#!/usr/bin/env bash
# The production layout end to end under load (README "Production layout"): python -m deploy.e2e with the project's
# virtualenv. Options: python -m deploy.e2e --help (e.g. --duration 120 --users 100 --keep).
set -euo pipefail
cd "$(dirname "$0")/../.."
PY="${PYTHON:-.venv/bin/python}"
[ -x "$PY" ] || PY=python3
exec "$PY" -m deploy.e2e "$@"
