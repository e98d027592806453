#!/usr/bin/env bash
# Starts / stops a non-Kafka pub/sub broker as a project process (Kafka and the state-store Redis are
# scripts/infra.sh's). Install first with scripts/setup-brokers.sh <broker>.
#   brokers.sh start|stop|status redis|rabbitmq|mqtt   |   brokers.sh ctl rabbitmq <rabbitmqctl args>
# Everything listens on 127.0.0.1 only. Data and logs live in $RUN_DIR/<name>, the pid in
# $RUN_DIR/pids/<name>.pid, where <name> is redis-broker (not "redis": that is the state store's),
# rabbitmq (+ rabbitmq-epmd) or mqtt. Ports come from the environment so tests can use free ones:
#   BROKER_REDIS_PORT (16380)  Redis Streams broker, a second redis-server with appendonly yes
#   RABBITMQ_PORT (17672)      AMQP; 5672/15672/25672 are RabbitMQ's own defaults, so none of those
#   RABBITMQ_DIST_PORT (RABBITMQ_PORT+1), RABBITMQ_EPMD_PORT (RABBITMQ_PORT+2),
#   RABBITMQ_CTL_DIST_PORT_MIN (RABBITMQ_PORT+3; the CLI tools take ten ports from there)
#   MQTT_PORT (11883)          Mosquitto
# The matching component YAMLs are components/<broker>/; the addresses there (127.0.0.1:<default port>)
# are what a test harness rewrites when it picks other ports.
# shellcheck source=lib/common.sh
source "$(dirname "$0")/lib/common.sh"

BROKER_REDIS_PORT="${BROKER_REDIS_PORT:-16380}"
RABBITMQ_PORT="${RABBITMQ_PORT:-17672}"
RABBITMQ_DIST_PORT="${RABBITMQ_DIST_PORT:-$((RABBITMQ_PORT + 1))}"
RABBITMQ_EPMD_PORT="${RABBITMQ_EPMD_PORT:-$((RABBITMQ_PORT + 2))}"
RABBITMQ_CTL_DIST_PORT_MIN="${RABBITMQ_CTL_DIST_PORT_MIN:-$((RABBITMQ_PORT + 3))}"
MQTT_PORT="${MQTT_PORT:-11883}"
RABBITMQ_BIN=/usr/lib/rabbitmq/bin # the real scripts; /usr/sbin/rabbitmq-* would su to the system user

started_or_die() { # started_or_die <name> <port> <seconds> <log>: wait for the port, or show why not
  local name=$1 port=$2 limit=$3 log=$4 i
  for ((i = 0; i < limit * 5; i++)); do
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && return 0
    alive "$name" || { tail -30 "$log" >&2; die "$name exited during startup (log: $log)"; }
    sleep 0.2
  done
  tail -30 "$log" >&2
  die "$name did not open port $port within ${limit}s (log: $log)"
}

# ---- Redis Streams ---------------------------------------------------------------------------------
# Its own redis-server, not the state store's: the fault suite restarts the state Redis (and runs it
# without persistence by default), which must not take the broker's streams and consumer groups with it.
start_redis() {
  local name=redis-broker dir="$RUN_DIR/redis-broker"
  if alive $name; then info "redis broker already running on :$BROKER_REDIS_PORT"; return; fi
  need redis-server "Run scripts/setup-brokers.sh redis first."
  mkdir -p "$dir"
  # appendonly: streams, consumer groups and pending lists survive a restart (the AOF is written before
  # a publish is answered; fsync every second bounds the loss to ~1 s on a power cut, not on a crash).
  # No RDB snapshots: the AOF is the durable copy. noeviction: a full broker refuses publishes
  # (retriable error) rather than silently evicting unread messages.
  spawn $name "$dir/redis.log" redis-server --port "$BROKER_REDIS_PORT" --bind 127.0.0.1 --dir "$dir" \
    --save "" --appendonly yes --appendfsync everysec --maxmemory-policy noeviction --protected-mode no
  started_or_die $name "$BROKER_REDIS_PORT" 20 "$dir/redis.log"
  info "redis broker (streams) on 127.0.0.1:$BROKER_REDIS_PORT, data in $dir"
}

# ---- RabbitMQ --------------------------------------------------------------------------------------
# A private Erlang node: its own node name, cookie, epmd, database and config, so it neither sees nor
# disturbs a system RabbitMQ, and nothing (AMQP, distribution, epmd, CLI) listens beyond 127.0.0.1.
rabbitmq_env() {
  local dir="$RUN_DIR/rabbitmq"
  export HOME="$dir/home" # the Erlang cookie lives in $HOME/.erlang.cookie, for the node and its CLI
  export RABBITMQ_NODENAME="todo-$RABBITMQ_PORT@localhost"
  export RABBITMQ_NODE_IP_ADDRESS=127.0.0.1 RABBITMQ_NODE_PORT="$RABBITMQ_PORT"
  export RABBITMQ_DIST_PORT
  export RABBITMQ_MNESIA_BASE="$dir/mnesia" RABBITMQ_LOG_BASE="$dir/log"
  export RABBITMQ_CONFIG_FILE="$dir/rabbitmq.conf" RABBITMQ_ADVANCED_CONFIG_FILE="$dir/advanced.config"
  export RABBITMQ_CONF_ENV_FILE="$dir/rabbitmq-env.conf" # not /etc/rabbitmq/rabbitmq-env.conf
  export RABBITMQ_ENABLED_PLUGINS_FILE="$dir/enabled_plugins" RABBITMQ_PLUGINS_EXPAND_DIR="$dir/plugins-expand"
  export RABBITMQ_PID_FILE="$dir/rabbitmq.pid"
  export ERL_EPMD_PORT="$RABBITMQ_EPMD_PORT" ERL_EPMD_ADDRESS=127.0.0.1
  export RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS="-kernel inet_dist_use_interface {127,0,0,1}"
  export RABBITMQ_CTL_ERL_ARGS="-kernel inet_dist_use_interface {127,0,0,1}"
  export RABBITMQ_CTL_DIST_PORT_MIN RABBITMQ_CTL_DIST_PORT_MAX=$((RABBITMQ_CTL_DIST_PORT_MIN + 9))
}

rabbitmqctl_() { (rabbitmq_env && "$RABBITMQ_BIN/rabbitmqctl" -n "$RABBITMQ_NODENAME" "$@"); }

start_rabbitmq() {
  local dir="$RUN_DIR/rabbitmq"
  if alive rabbitmq; then info "rabbitmq already running on :$RABBITMQ_PORT"; return; fi
  [ -x "$RABBITMQ_BIN/rabbitmq-server" ] || die "RabbitMQ not installed. Run scripts/setup-brokers.sh rabbitmq first."
  need epmd "Run scripts/setup-brokers.sh rabbitmq first."
  mkdir -p "$dir/home" "$dir/log"
  (
    rabbitmq_env
    local creds="$dir/credentials.json"
    if [ ! -f "$creds" ]; then
      # The broker's only account, with a random password made here (dev secret, git-ignored run dir).
      # The components read it through the broker-secrets store (components/rabbitmq/). RabbitMQ applies
      # default_user/default_pass only when it creates its database, so a new password needs a new one.
      rm -rf "$RABBITMQ_MNESIA_BASE"
      local pw
      pw=$(head -c 24 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' | head -c 24)
      (umask 077 && printf '{\n  "rabbitmq-username": "todo",\n  "rabbitmq-password": "%s"\n}\n' "$pw" >"$creds")
      info "new RabbitMQ account 'todo' (password in $creds)"
    fi
    [ -f "$HOME/.erlang.cookie" ] ||
      (umask 077 && head -c 96 /dev/urandom | base64 | tr -dc 'A-Z' | head -c 20 >"$HOME/.erlang.cookie")
    local pw
    pw=$(sed -n 's/.*"rabbitmq-password": "\(.*\)".*/\1/p' "$creds")
    (umask 077 && cat >"$RABBITMQ_CONFIG_FILE" <<CONF
# Generated by scripts/brokers.sh for a private development node; edits are overwritten.
listeners.tcp.default = 127.0.0.1:$RABBITMQ_PORT
default_user = todo
default_pass = $pw
default_vhost = /
default_permissions.configure = .*
default_permissions.read = .*
default_permissions.write = .*
# No guest account at all (default_user replaces it), so nothing here has a well-known password.
log.console = true
log.console.level = info
log.file.level = info
# Dapr's consumers keep a message unacked while the app handles it (and its resiliency retries run);
# the 30 min default delivery timeout is far longer than any handler here, keep it as a backstop.
consumer_timeout = 1800000
CONF
    )
    : >"$RABBITMQ_CONF_ENV_FILE"
    echo '[].' >"$RABBITMQ_ENABLED_PLUGINS_FILE" # no management UI or other plugins: nothing else listens
    # Our own epmd on a private port and loopback only, tracked by pid (an epmd that erl starts by
    # itself is a daemon on 0.0.0.0:4369 that outlives the broker).
    if ! alive rabbitmq-epmd; then
      cd "$dir" || exit
      spawn rabbitmq-epmd "$dir/epmd.log" epmd -port "$RABBITMQ_EPMD_PORT" -address 127.0.0.1
      started_or_die rabbitmq-epmd "$RABBITMQ_EPMD_PORT" 10 "$dir/epmd.log"
    fi
    cd "$dir" || exit
    spawn rabbitmq "$dir/rabbitmq.log" "$RABBITMQ_BIN/rabbitmq-server"
    started_or_die rabbitmq "$RABBITMQ_PORT" 90 "$dir/rabbitmq.log"
    "$RABBITMQ_BIN/rabbitmq-diagnostics" -q -n "$RABBITMQ_NODENAME" ping >/dev/null 2>&1 ||
      die "rabbitmq opened :$RABBITMQ_PORT but does not answer rabbitmq-diagnostics ping (log: $dir/rabbitmq.log)"
  )
  info "rabbitmq (node todo-$RABBITMQ_PORT@localhost) on 127.0.0.1:$RABBITMQ_PORT, data in $dir"
}

# ---- Mosquitto -------------------------------------------------------------------------------------
start_mqtt() {
  local dir="$RUN_DIR/mqtt" bin
  if alive mqtt; then info "mosquitto already running on :$MQTT_PORT"; return; fi
  bin=$(command -v mosquitto || echo /usr/sbin/mosquitto)
  [ -x "$bin" ] || die "mosquitto not installed. Run scripts/setup-brokers.sh mqtt first."
  mkdir -p "$dir/data"
  cat >"$dir/mosquitto.conf" <<CONF
# Generated by scripts/brokers.sh for a development broker; edits are overwritten.
listener $MQTT_PORT 127.0.0.1
# Local development only: loopback listener, no accounts.
allow_anonymous true
# Stay the user that started it (mosquitto run as root otherwise switches to the 'mosquitto' user,
# which cannot write this run dir).
user $(id -un)
# Persistent sessions (Dapr connects with cleanSession=false) and the QoS 1 messages queued for them
# survive a broker restart. Mosquitto keeps everything in memory and writes a snapshot on shutdown and
# every autosave_interval seconds: a crash (kill -9) loses what arrived since the last snapshot.
persistence true
persistence_location $dir/data/
autosave_interval 1
# QoS 1 messages sent to a client and not acknowledged yet (Dapr acks after the app answered): no cap.
# With the default cap of 20, a sidecar that restarts with 20+ messages waiting for it stops receiving
# anything: Dapr's MQTT component connects before it has subscribed, never acks what the broker resends
# at connect time, and those unacked messages fill the window for good (measured; docs/brokers.md).
# The cost of no cap: a burst reaches the app all at once (daprd's --app-max-concurrency can bound it).
max_inflight_messages 0
# Messages kept for a client that is offline or has a full window. Past this, mosquitto DROPS new QoS 1
# messages for that client (default 1000: too few for a service that is down during a burst).
max_queued_messages 100000
# A session nobody has resumed for two days (a renamed app, an old test client id) is removed with its queue.
persistent_client_expiration 2d
# A file, not stdout: mosquitto block-buffers stdout into a file, so the log would lag by kilobytes.
log_dest file $dir/mosquitto.log
log_type error
log_type warning
log_type notice
log_type information
log_timestamp_format %Y-%m-%dT%H:%M:%S
connection_messages true
CONF
  spawn mqtt "$dir/mosquitto.out" "$bin" -c "$dir/mosquitto.conf"
  started_or_die mqtt "$MQTT_PORT" 20 "$dir/mosquitto.out"
  info "mosquitto on 127.0.0.1:$MQTT_PORT, data in $dir"
}

status_line() { # status_line <name> <port>
  if alive "$1"; then echo "$1: running (pid $(cat "$PIDS/$1.pid"), 127.0.0.1:$2)"; else echo "$1: stopped"; return 3; fi
}

cmd="${1:-}"
broker="${2:-}"
case "$cmd:$broker" in
  start:redis) step "Redis Streams broker (run dir $RUN_DIR)"; start_redis ;;
  start:rabbitmq) step "RabbitMQ broker (run dir $RUN_DIR)"; start_rabbitmq ;;
  start:mqtt) step "MQTT broker (run dir $RUN_DIR)"; start_mqtt ;;
  stop:redis) step "Stopping the Redis Streams broker"; stop_one redis-broker ;;
  stop:rabbitmq)
    step "Stopping RabbitMQ"
    stop_one rabbitmq
    # The pid is the rabbitmq-server script's; the Erlang VM (beam.smp) it started can need a few more
    # seconds to finish, and a restart must not find the old node still holding the port.
    for ((i = 0; i < 75; i++)); do pgrep -f "todo-$RABBITMQ_PORT@localhost" >/dev/null || break; sleep 0.2; done
    stop_one rabbitmq-epmd
    ;;
  stop:mqtt) step "Stopping mosquitto"; stop_one mqtt ;;
  status:redis) status_line redis-broker "$BROKER_REDIS_PORT" ;;
  status:rabbitmq)
    status_line rabbitmq "$RABBITMQ_PORT" || exit 3
    rabbitmqctl_ -q status >/dev/null 2>&1 && echo "rabbitmq: node todo-$RABBITMQ_PORT@localhost answers" ||
      { echo "rabbitmq: node does not answer"; exit 3; }
    ;;
  status:mqtt) status_line mqtt "$MQTT_PORT" ;;
  ctl:rabbitmq) shift 2; rabbitmqctl_ "$@" ;; # e.g. ctl rabbitmq list_queues name consumers
  *) die "usage: $0 start|stop|status redis|rabbitmq|mqtt | ctl rabbitmq <rabbitmqctl args>" ;;
esac
