#!/usr/bin/env bash
# Regenerates insights-service's hash-locked requirements from its pyproject.toml with pip-tools (run by
# a developer after changing a version range; setup never runs it). Both locks pin every package with
# the sha256 of every file PyPI has for that version, so `pip install --require-hashes` installs
# exactly these bytes on any machine:
#   requirements.lock      runtime only: what the image installs
#   requirements-dev.lock  runtime + test tools (pytest, ruff, jsonschema): the venv of setup-python.sh
# shellcheck source=lib/common.sh
source "$(dirname "$0")/lib/common.sh"
SERVICE="$ROOT/services/insights-service"
PIP_TOOLS_VERSION=7.6.2

step "Locking insights-service's Python dependencies (pip-tools $PIP_TOOLS_VERSION)"
need python3 "Install Python 3.11 or newer."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python3 -m venv "$work/venv"
"$work/venv/bin/pip" install -q "pip-tools==$PIP_TOOLS_VERSION"
cd "$SERVICE" || exit
export CUSTOM_COMPILE_COMMAND="bash scripts/lock-python.sh"
# PyPI only: no machine-local wheel folders in the resolution or in the lock.
unset PIP_FIND_LINKS
"$work/venv/bin/pip-compile" -q --generate-hashes --allow-unsafe --strip-extras --resolver=backtracking --no-emit-find-links --no-emit-index-url \
  -o requirements.lock pyproject.toml
"$work/venv/bin/pip-compile" -q --generate-hashes --allow-unsafe --strip-extras --resolver=backtracking --no-emit-find-links --no-emit-index-url \
  --extra dev -o requirements-dev.lock pyproject.toml
info "wrote services/insights-service/requirements.lock ($(grep -c '==' requirements.lock) packages) and requirements-dev.lock ($(grep -c '==' requirements-dev.lock))"
