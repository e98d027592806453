#!/usr/bin/env bash
# Runs a command with the project's Node.js first on PATH (see scripts/setup-node.sh), e.g.
#   scripts/with-node.sh npx vitest run --project unit
# shellcheck source=lib/common.sh
source "$(dirname "$0")/lib/common.sh"
cd "$ROOT" || exit
exec "$@"
