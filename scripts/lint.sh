#!/usr/bin/env bash
# `make lint`: eslint, the TypeScript compiler, ruff on the Python service, and shellcheck on every
# script — what CI checks too.
# The shellcheck binary comes from Debian's package (installed here the first time).
# shellcheck source=lib/common.sh
source "$(dirname "$0")/lib/common.sh"
cd "$ROOT" || exit
status=0
step "eslint"
npx eslint . || status=1
step "typescript"
npx tsc -p tsconfig.json || status=1
npx tsc -p services/gateway/web/tsconfig.json || status=1 # the web console: browser code, its own settings
step "ruff (services/insights-service)"
[ -x services/insights-service/.venv/bin/ruff ] || bash scripts/setup-python.sh
(cd services/insights-service && .venv/bin/ruff check src tests && .venv/bin/ruff format --check src tests) || status=1
step "shellcheck"
command -v shellcheck >/dev/null 2>&1 || apt_install shellcheck shellcheck
shellcheck -x -S warning scripts/*.sh scripts/lib/*.sh .ci/run && info "scripts clean" || status=1
exit $status
