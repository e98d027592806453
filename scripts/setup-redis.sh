#!/usr/bin/env bash
# Redis server from Debian's package (state store; also the Redis Streams broker profile).
source "$(dirname "$0")/lib/common.sh"
step "Redis server"
if ! command -v redis-server >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    info "installing redis-server with apt-get"
    [ -n "$(find /var/lib/apt/lists -maxdepth 1 -name '*Packages*' -print -quit 2>/dev/null)" ] || apt-get update -qq
    # No init system here; policy-rc.d keeps the package from starting a system-wide instance on 6379.
    own_policy=0
    if [ ! -e /usr/sbin/policy-rc.d ]; then
      printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d && own_policy=1
    fi
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server redis-tools >"$CACHE_DIR/apt-redis.log" 2>&1 ||
      { tail -20 "$CACHE_DIR/apt-redis.log" >&2; die "apt-get install redis-server failed"; }
    [ "$own_policy" = 0 ] || rm -f /usr/sbin/policy-rc.d
  else
    die "redis-server not found. Install it (Debian: sudo apt-get install redis-server)."
  fi
fi
info "$(redis-server --version | cut -d' ' -f1-3)"
