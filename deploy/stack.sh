#!/usr/bin/env bash
# seagrid's production stack from Debian packages (mosquitto, postgresql, openssl): the broker and
# database configured as compose.yaml configures them (the same deploy/mosquitto/mosquitto.conf and
# deploy/postgres/roles.sql), on loopback ports, for a trial on one machine and for the tests.
#
#   deploy/stack.sh secrets DIR   passwords, a private CA and broker certificate, the broker's passwd,
#                                 and users.json with an admin (DIR/secrets; kept if already there)
#   deploy/stack.sh up DIR        secrets, then Mosquitto (TLS, passwords, ACL), PostgreSQL (roles,
#                                 `seagrid migrate` as owner) and `seagrid serve` as the service role;
#                                 writes DIR/stack.env (ports, URLs, PIDs) and waits for /health
#   deploy/stack.sh down DIR      stops what `up` started, by the PIDs it recorded
#   deploy/stack.sh stop|kill|start DIR pg|mqtt|seagrid
#                                 one part stopped cleanly or killed (SIGKILL), and started again
#                                 with the same configuration and ports (the fault bench uses them)
#
# SEAGRID_CMD overrides how seagrid is run (default: node bin/seagrid.js, which needs `npm run build`).
set -Eeuo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
usage() { sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//' >&2; }
cmd=${1:-}
dir_arg=${2:-}
if [[ -z $cmd || -z $dir_arg ]]; then usage; exit 2; fi
mkdir -p "$dir_arg"
DIR=$(cd "$dir_arg" && pwd)
S=$DIR/secrets
read -r -a SEAGRID <<<"${SEAGRID_CMD:-node $ROOT/bin/seagrid.js}"
PGBIN=${PGBIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)}
ROOT_USER=0
[[ $(id -u) == 0 ]] && ROOT_USER=1

log() { printf 'stack: %s\n' "$*" >&2; }
free_port() { node -e 'const s=require("node:net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'; }
# PostgreSQL refuses to run as root: as root its tools run as Debian's `postgres` user.
as_pg() { if ((ROOT_USER)); then runuser -u postgres -- "$@"; else "$@"; fi; }

make_secrets() {
  mkdir -p "$S/certs"
  (
    umask 077
    # Hex: safe inside URLs (MQTT_URL, DATABASE_URL) without escaping.
    for n in db_superuser_password db_owner_password db_app_password mqtt_seagrid_password mqtt_feeder_password mqtt_health_password admin_password; do
      [[ -s $S/$n ]] || openssl rand -hex 24 >"$S/$n"
    done
    if [[ ! -s $S/certs/server.crt ]]; then
      openssl req -x509 -newkey rsa:2048 -nodes -days 825 -subj '/CN=seagrid private CA' \
        -keyout "$S/certs/ca.key" -out "$S/certs/ca.crt" 2>/dev/null
      openssl req -newkey rsa:2048 -nodes -subj '/CN=mqtt' -keyout "$S/certs/server.key" -out "$S/certs/server.csr" 2>/dev/null
      # The names the service and devices reach the broker by: compose's `mqtt`, and loopback here.
      printf 'subjectAltName=DNS:mqtt,DNS:localhost,IP:127.0.0.1\n' >"$S/certs/san.ext"
      openssl x509 -req -in "$S/certs/server.csr" -CA "$S/certs/ca.crt" -CAkey "$S/certs/ca.key" -CAcreateserial \
        -days 825 -extfile "$S/certs/san.ext" -out "$S/certs/server.crt" 2>/dev/null
    fi
    rm -f "$S/passwd"
    touch "$S/passwd"
    for u in seagrid feeder health; do mosquitto_passwd -b "$S/passwd" "$u" "$(cat "$S/mqtt_${u}_password")"; done
    if [[ ! -s $S/users.json ]]; then
      hash=$("${SEAGRID[@]}" user hash <"$S/admin_password")
      printf '[{"username":"admin","role":"admin","passwordHash":"%s","displayName":"administrator"}]\n' "$hash" >"$S/users.json"
    fi
  )
  # Readable by the servers' own users when those are not us (the broker drops to `mosquitto`).
  if ((ROOT_USER)); then chmod 755 "$DIR" "$S" "$S/certs"; chmod 644 "$S/certs/server.key" "$S/passwd"; fi
  log "secrets in $S"
}

# The ACL: people from the store (`seagrid user acl`), then the feeders and the health probe.
write_acl() {
  {
    DATABASE_URL=$APP_URL DATA_DIR=$DIR/cli-data "${SEAGRID[@]}" user acl --service seagrid
    printf '\n# feeders: AIS receivers and the BeiDou gateway publish the raw feeds\nuser feeder\ntopic write ais/raw/#\ntopic write beidou/raw/#\n'
    printf '\n# health checks read the broker uptime\nuser health\ntopic read $SYS/broker/uptime\n'
  } >"$S/acl.tmp"
  mv "$S/acl.tmp" "$S/acl"
  ((ROOT_USER)) && chmod 644 "$S/acl"
  return 0
}

# KEY=VALUE lines in DIR/stack.env: what `up` started, so the other commands find it.
set_env() {
  local key=$1 value=$2
  touch "$DIR/stack.env"
  grep -v "^$key=" "$DIR/stack.env" >"$DIR/stack.env.tmp" || true
  printf '%s=%s\n' "$key" "$value" >>"$DIR/stack.env.tmp"
  mv "$DIR/stack.env.tmp" "$DIR/stack.env"
}
get_env() { sed -n "s/^$1=//p" "$DIR/stack.env" 2>/dev/null; }

start_pg() {
  as_pg "$PGBIN/pg_ctl" -D "$DIR/pg/data" -l "$DIR/pg/server.log" -w \
    -o "-c listen_addresses=127.0.0.1 -c port=$(get_env PG_PORT) -c unix_socket_directories=$DIR/pg" start >/dev/null
  set_env PG_PID "$(head -1 "$DIR/pg/data/postmaster.pid")"
}

start_mqtt() {
  mosquitto -c "$DIR/mosquitto/mosquitto.conf" >>"$DIR/mosquitto/mosquitto.log" 2>&1 &
  set_env MQTT_PID $!
  # Ready when it accepts connections on its port.
  for _ in $(seq 1 100); do
    node -e "require('node:net').connect($(get_env MQTT_PORT),'127.0.0.1').on('connect',()=>process.exit(0)).on('error',()=>process.exit(1))" && return 0
    sleep 0.1
  done
  log 'mosquitto did not start:'
  tail -5 "$DIR/mosquitto/mosquitto.log" >&2
  return 1
}

# The service: the service role, TLS to the broker with its account, users from the file. The
# caller's environment passes through (REGISTRY_FILE, SPOOL_MAX_MB, MAX_FIX_AHEAD_S …).
start_seagrid() {
  local http_port
  http_port=$(get_env HTTP_PORT)
  DATABASE_URL=$(get_env APP_DATABASE_URL) MQTT_URL="mqtts://seagrid:$(cat "$S/mqtt_seagrid_password")@127.0.0.1:$(get_env MQTT_PORT)" \
    NODE_EXTRA_CA_CERTS=$S/certs/ca.crt USERS_FILE=$S/users.json HTTP_HOST=127.0.0.1 HTTP_PORT=$http_port \
    DATA_DIR=$DIR/seagrid DEMO=0 LOG_LEVEL=${LOG_LEVEL:-info} "${SEAGRID[@]}" serve >>"$DIR/seagrid/serve.log" 2>&1 &
  local pid=$!
  set_env SEAGRID_PID $pid
  for _ in $(seq 1 240); do
    node -e "fetch('http://127.0.0.1:$http_port/health').then(r=>r.json()).then(h=>process.exit(h.status==='ok'?0:1)).catch(()=>process.exit(1))" && return 0
    if ! running "$pid"; then log 'seagrid exited:'; tail -20 "$DIR/seagrid/serve.log" >&2; return 1; fi
    sleep 0.5
  done
  log 'seagrid not healthy within 120 s:'
  tail -20 "$DIR/seagrid/serve.log" >&2
  return 1
}

up() {
  [[ -s $DIR/stack.env ]] && { log "$DIR/stack.env exists: run down first"; exit 1; }
  make_secrets
  set_env PG_PORT "$(free_port)"
  set_env MQTT_PORT "$(free_port)"
  set_env HTTP_PORT "$(free_port)"
  set_env CA_FILE "$S/certs/ca.crt"
  # A failure further on stops what did start.
  trap 'log "up failed: stopping what started"; down' ERR

  # PostgreSQL: a cluster of its own, password authentication, seagrid's two roles.
  mkdir -p "$DIR/pg"
  if ((ROOT_USER)) && ! runuser -u postgres -- test -x "$DIR"; then
    log "$DIR: the postgres user cannot reach it (a parent directory is private, e.g. root's home): choose a directory under /tmp or /srv"
    false
  fi
  ((ROOT_USER)) && chown postgres "$DIR/pg"
  # The superuser's password, readable by whoever runs initdb, only for as long as it runs.
  install -m 600 "$S/db_superuser_password" "$DIR/pg/pwfile"
  ((ROOT_USER)) && chown postgres "$DIR/pg/pwfile"
  as_pg "$PGBIN/initdb" -D "$DIR/pg/data" -U postgres -A scram-sha-256 --pwfile="$DIR/pg/pwfile" -E UTF8 --locale=C --no-sync >"$DIR/pg/initdb.log"
  rm -f "$DIR/pg/pwfile"
  start_pg
  local pg_port su_url
  pg_port=$(get_env PG_PORT)
  su_url="postgres://postgres:$(cat "$S/db_superuser_password")@127.0.0.1:$pg_port"
  "$PGBIN/psql" -X -q -d "$su_url/postgres" -c 'create database seagrid'
  "$PGBIN/psql" -X -q -d "$su_url/postgres" -v dbname=seagrid -v owner_password="$(cat "$S/db_owner_password")" \
    -v app_password="$(cat "$S/db_app_password")" -f "$ROOT/deploy/postgres/roles.sql"
  DATABASE_URL="postgres://seagrid_owner:$(cat "$S/db_owner_password")@127.0.0.1:$pg_port/seagrid" "${SEAGRID[@]}" migrate >&2
  APP_URL="postgres://seagrid_app:$(cat "$S/db_app_password")@127.0.0.1:$pg_port/seagrid"
  set_env APP_DATABASE_URL "$APP_URL"

  # Mosquitto: compose's configuration with its paths and port rewritten to this directory.
  mkdir -p "$DIR/mosquitto/data" "$DIR/seagrid"
  write_acl
  sed -e "s|^listener 8883\$|listener $(get_env MQTT_PORT) 127.0.0.1|" \
    -e "s|/mosquitto/config/certs/|$S/certs/|" -e "s|/mosquitto/config/passwd|$S/passwd|" \
    -e "s|/mosquitto/config/acl|$S/acl|" -e "s|/mosquitto/data/|$DIR/mosquitto/data/|" \
    "$ROOT/deploy/mosquitto/mosquitto.conf" >"$DIR/mosquitto/mosquitto.conf"
  # As root Mosquitto would drop to user `mosquitto`, which cannot write here.
  ((ROOT_USER)) && echo 'user root' >>"$DIR/mosquitto/mosquitto.conf"
  start_mqtt
  start_seagrid
  trap - ERR
  log "up: http://127.0.0.1:$(get_env HTTP_PORT)/ (admin password in $S/admin_password), mqtts://127.0.0.1:$(get_env MQTT_PORT), postgres 127.0.0.1:$pg_port"
}

# One part stopped cleanly (SIGTERM; PostgreSQL: a fast shutdown) or killed (SIGKILL), and started again.
part() {
  local action=$1 name=${2:-}
  case $name in
    pg | mqtt | seagrid) ;;
    *) log "expected a part: pg, mqtt or seagrid"; exit 2 ;;
  esac
  local key
  key=$(tr '[:lower:]' '[:upper:]' <<<"$name")_PID
  [[ $name == pg ]] && key=PG_PID
  case $action in
    start) "start_$name" ;;
    stop)
      if [[ $name == pg ]]; then as_pg "$PGBIN/pg_ctl" -D "$DIR/pg/data" -m fast -w stop >/dev/null; else stop_pid "$(get_env "$key")" 30; fi ;;
    kill)
      local pid
      pid=$(get_env "$key")
      kill -KILL "$pid" 2>/dev/null || true
      for _ in $(seq 1 100); do running "$pid" || return 0; sleep 0.1; done ;;
  esac
}

down() {
  [[ -s $DIR/stack.env ]] || { log "nothing recorded in $DIR/stack.env"; return 0; }
  local seagrid_pid mqtt_pid pg_pid
  seagrid_pid=$(get_env SEAGRID_PID)
  mqtt_pid=$(get_env MQTT_PID)
  pg_pid=$(get_env PG_PID)
  # The service first (it flushes to the database and acknowledges the broker), then the servers.
  [[ -n $seagrid_pid ]] && stop_pid "$seagrid_pid" 30
  [[ -n $mqtt_pid ]] && stop_pid "$mqtt_pid" 10
  [[ -n $pg_pid ]] && { as_pg "$PGBIN/pg_ctl" -D "$DIR/pg/data" -m fast -w stop >/dev/null 2>&1 || stop_pid "$pg_pid" 10; }
  rm -f "$DIR/stack.env"
  log 'down'
}

# Running, and not a zombie: `up` has exited, so its children are reaped by init, whenever it gets to it.
running() { kill -0 "$1" 2>/dev/null && [[ $(ps -o stat= -p "$1" 2>/dev/null) != Z* ]]; }

stop_pid() {
  local pid=$1 seconds=$2
  running "$pid" || return 0
  kill -TERM "$pid" 2>/dev/null || return 0
  for _ in $(seq 1 $((seconds * 10))); do running "$pid" || return 0; sleep 0.1; done
  log "pid $pid still running after ${seconds} s: SIGKILL"
  kill -KILL "$pid" 2>/dev/null || true
}

case $cmd in
  secrets) make_secrets ;;
  up) up ;;
  down) down ;;
  start | stop | kill) part "$cmd" "${3:-}" ;;
  *) usage; exit 2 ;;
esac
