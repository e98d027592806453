#!/usr/bin/env bash
# Redis server from Debian's package (state store; also the Redis Streams broker profile).
# shellcheck source=lib/common.sh
source "$(dirname "$0")/lib/common.sh"
step "Redis server"
command -v redis-server >/dev/null 2>&1 || apt_install redis redis-server redis-tools
info "$(redis-server --version | cut -d' ' -f1-3)"
