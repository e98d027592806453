#!/usr/bin/env bash
# Headless Chromium from Debian's package, for the browser tests (tests/browser, driven by
# playwright-core). Playwright's own browser download is never used: the tests launch this binary.
# shellcheck source=lib/common.sh
source "$(dirname "$0")/lib/common.sh"
step "Chromium (browser tests)"
CHROMIUM="${CHROMIUM_PATH:-/usr/bin/chromium}"
[ -x "$CHROMIUM" ] || apt_install chromium chromium
info "$("$CHROMIUM" --version 2>/dev/null | head -1)"
