#!/usr/bin/env bash
# Installs what a non-Kafka broker profile needs, from Debian's packages, idempotently.
#   setup-brokers.sh redis|rabbitmq|mqtt
# Nothing is started here: scripts/brokers.sh runs each broker as a project process (no init system
# on these machines, and a system-wide instance on a default port is exactly what we do not want).
source "$(dirname "$0")/lib/common.sh"

profile="${1:-}"

apt_install() { # apt_install <log name> <package...>: as root, never starting the packaged services
  local log="$CACHE_DIR/apt-$1.log"; shift
  [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null ||
    die "$* not installed. Install as root (Debian: sudo apt-get install $*)."
  info "installing $* with apt-get"
  [ -n "$(find /var/lib/apt/lists -maxdepth 1 -name '*Packages*' -print -quit 2>/dev/null)" ] || apt-get update -qq
  # policy-rc.d exit 101 = "action forbidden": the maintainer scripts leave the broker stopped, so no
  # rabbitmq-server / mosquitto / epmd comes up system-wide on 5672 / 1883 / 4369.
  local own_policy=0
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d && own_policy=1
  fi
  local rc=0
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >"$log" 2>&1 || rc=$?
  [ "$own_policy" = 0 ] || rm -f /usr/sbin/policy-rc.d
  [ "$rc" = 0 ] || { tail -20 "$log" >&2; die "apt-get install $* failed (log: $log)"; }
}

case "$profile" in
  redis)
    # The Redis Streams broker is a second redis-server (scripts/brokers.sh); same binary as the state store.
    bash "$ROOT/scripts/setup-redis.sh"
    ;;
  rabbitmq)
    step "RabbitMQ server"
    command -v rabbitmq-server >/dev/null 2>&1 || apt_install rabbitmq rabbitmq-server
    need rabbitmq-diagnostics "The rabbitmq-server package should provide it."
    need epmd "The erlang-base package (a rabbitmq-server dependency) should provide it."
    info "rabbitmq-server $(dpkg-query -W -f '${Version}' rabbitmq-server 2>/dev/null || echo '?')"
    ;;
  mqtt)
    step "Mosquitto (MQTT broker)"
    command -v mosquitto >/dev/null 2>&1 || [ -x /usr/sbin/mosquitto ] || apt_install mosquitto mosquitto
    info "mosquitto $(dpkg-query -W -f '${Version}' mosquitto 2>/dev/null || echo '?')"
    ;;
  *) die "usage: $0 redis|rabbitmq|mqtt" ;;
esac
