#!/usr/bin/env bash
# Installs what a non-Kafka broker profile needs, from Debian's packages, idempotently.
#   setup-brokers.sh redis|rabbitmq|mqtt
# Nothing is started here: scripts/brokers.sh runs each broker as a project process (no init system
# on these machines, and a system-wide instance on a default port is exactly what we do not want).
# shellcheck source=lib/common.sh
source "$(dirname "$0")/lib/common.sh"

profile="${1:-}"

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
