#!/usr/bin/env bash
# Boxoffice at scale on one machine: etcd, two PostgreSQL 15 servers managed by Patroni in
# synchronous mode, HAProxy in front of whichever is the leader, two Boxoffice instances and
# nginx balancing HTTP over them (docs/scaling.md).
#
#   deploy/local/cluster.sh up       install what is missing, start what is not running
#   deploy/local/cluster.sh status   who leads, and each component's health
#   deploy/local/cluster.sh down     stop everything and delete the state directory
#
# Everything lives under CLUSTER_DIR (default /tmp/boxoffice-cluster): data, configuration,
# logs, process ids. Every port below can be changed through the environment. Installing
# packages needs root (Debian: apt-get); PostgreSQL refuses to run as root, so as root
# Patroni and PostgreSQL run as the `postgres` user.
set -euo pipefail
export PATH="$PATH:/usr/sbin:/sbin"

ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
DIR="${CLUSTER_DIR:-/tmp/boxoffice-cluster}"
# every default port is below 32768, out of Linux's range of ephemeral ports (32768-60999), so that
# no outgoing connection of another program holds one when a server here binds it
ETCD_PORT="${ETCD_PORT:-23790}"
ETCD_PEER_PORT="${ETCD_PEER_PORT:-23800}"
PG_PORTS=("${PG1_PORT:-25431}" "${PG2_PORT:-25432}")
REST_PORTS=("${PATRONI1_PORT:-28008}" "${PATRONI2_PORT:-28009}")
LEADER_PORT="${LEADER_PORT:-25430}"
STATS_PORT="${HAPROXY_STATS_PORT:-27000}"
APP_PORTS=("${APP1_PORT:-18091}" "${APP2_PORT:-18092}")
LB_PORT="${LB_PORT:-18090}"
# nginx connects to the instances from this address, and the instances trust forwarded
# headers from it only: an operator on the host (127.0.0.1) stays distinguishable from the proxy
PROXY_ADDRESS="${PROXY_ADDRESS:-127.0.0.2}"
PG_BIN="${PG_BIN:-/usr/lib/postgresql/15/bin}"
# strict: with the standby down the leader refuses commits instead of accepting them alone
SYNC_STRICT="${SYNC_STRICT:-false}"
JAR="${BOXOFFICE_JAR:-$ROOT/target/boxoffice.jar}"
NODES=(pg1 pg2)

log() { printf '%s %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }
die() { log "error: $*"; exit 1; }

# the user PostgreSQL runs as: postgres when we are root, ourselves otherwise
if [[ $EUID -eq 0 ]]; then
  PG_USER=postgres
else
  PG_USER="$(id -un)"
fi
# the prefix that runs a program as that user (setpriv execs it: no process in between)
as_pg=()
if [[ $EUID -eq 0 ]]; then
  as_pg=(setpriv --reuid="$PG_USER" --regid="$(id -g "$PG_USER")" --init-groups)
fi

java_bin() {
  if [[ -n "${BOXOFFICE_JAVA:-}" ]]; then echo "$BOXOFFICE_JAVA"; return; fi
  local newest
  newest="$(ls -d /usr/lib/jvm/*/bin/java 2>/dev/null | sort -V | tail -1 || true)"
  if [[ -x /usr/lib/jvm/temurin-25-jdk-amd64/bin/java ]]; then
    echo /usr/lib/jvm/temurin-25-jdk-amd64/bin/java
  elif [[ -n "$newest" ]]; then
    echo "$newest"
  else
    echo java
  fi
}

alive() { [[ -f "$1" ]] && kill -0 "$(cat "$1")" 2>/dev/null; }

# runs a command in the background in its own session, its pid in a file (written by the
# process itself, so the file names the real program and not a wrapper)
spawn() {
  local pidfile="$1" logfile="$2"
  shift 2
  setsid sh -c 'echo $$ > "$0"; exec "$@"' "$pidfile" "$@" >>"$logfile" 2>&1 </dev/null &
  for _ in $(seq 50); do [[ -s "$pidfile" ]] && return; sleep 0.1; done
  die "could not start $*"
}

wait_for() {
  local what="$1" seconds="$2"
  shift 2
  for _ in $(seq $((seconds * 2))); do
    if "$@" >/dev/null 2>&1; then return 0; fi
    sleep 0.5
  done
  die "$what did not come up within ${seconds}s (logs under $DIR)"
}

secret() {
  local file="$DIR/secrets/$1"
  if [[ ! -s "$file" ]]; then
    head -c 24 /dev/urandom | base64 | tr -d '/+=' >"$file"
  fi
  cat "$file"
}

install_missing() {
  local missing=()
  command -v patroni >/dev/null || missing+=(patroni)
  /usr/bin/python3 -c 'import etcd' 2>/dev/null || missing+=(python3-etcd)
  command -v etcd >/dev/null || missing+=(etcd-server)
  command -v etcdctl >/dev/null || missing+=(etcd-client)
  command -v haproxy >/dev/null || missing+=(haproxy)
  command -v nginx >/dev/null || missing+=(nginx)
  [[ -x "$PG_BIN/postgres" ]] || missing+=(postgresql-15)
  command -v curl >/dev/null || missing+=(curl)
  if ((${#missing[@]})); then
    [[ $EUID -eq 0 ]] || die "missing ${missing[*]}: install them (apt-get install ${missing[*]}) or run as root"
    log "installing ${missing[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  fi
}

start_etcd() {
  local pidfile="$DIR/etcd/etcd.pid"
  if alive "$pidfile"; then return; fi
  mkdir -p "$DIR/etcd"
  log "starting etcd on $ETCD_PORT"
  spawn "$pidfile" "$DIR/etcd/etcd.log" etcd --name boxoffice --data-dir "$DIR/etcd/data" \
    --listen-client-urls "http://127.0.0.1:$ETCD_PORT" --advertise-client-urls "http://127.0.0.1:$ETCD_PORT" \
    --listen-peer-urls "http://127.0.0.1:$ETCD_PEER_PORT" \
    --initial-advertise-peer-urls "http://127.0.0.1:$ETCD_PEER_PORT" \
    --initial-cluster "boxoffice=http://127.0.0.1:$ETCD_PEER_PORT"
  wait_for etcd 30 env ETCDCTL_API=3 etcdctl --endpoints "127.0.0.1:$ETCD_PORT" endpoint health
}

patroni_config() {
  local i="$1" name="${NODES[$1]}" home="$DIR/${NODES[$1]}"
  cat >"$home/patroni.yml" <<EOF
scope: boxoffice
name: $name
restapi:
  listen: 127.0.0.1:${REST_PORTS[$i]}
  connect_address: 127.0.0.1:${REST_PORTS[$i]}
etcd3:
  hosts: 127.0.0.1:$ETCD_PORT
watchdog:
  mode: off
bootstrap:
  dcs:
    # a lost leader key expires after ttl; Patroni acts every loop_wait seconds
    ttl: 20
    loop_wait: 2
    retry_timeout: 5
    # fail over at once when the leader's PostgreSQL crashes, instead of restarting it in place
    primary_start_timeout: 0
    # a commit is acknowledged once it is on the synchronous standby too, and only that
    # standby may be promoted
    synchronous_mode: true
    synchronous_mode_strict: $SYNC_STRICT
    postgresql:
      use_pg_rewind: true
      use_slots: true
      parameters:
        max_connections: 100
        wal_level: replica
        hot_standby: 'on'
        wal_log_hints: 'on'
        fsync: 'on'
        synchronous_commit: 'on'
        max_wal_senders: 5
        max_replication_slots: 5
        wal_keep_size: 256MB
  initdb:
    - encoding: UTF8
    - data-checksums
postgresql:
  listen: 127.0.0.1:${PG_PORTS[$i]}
  connect_address: 127.0.0.1:${PG_PORTS[$i]}
  data_dir: $home/data
  bin_dir: $PG_BIN
  pgpass: $home/pgpass
  authentication:
    superuser:
      username: postgres
      password: $(secret superuser)
    replication:
      username: replicator
      password: $(secret replicator)
  parameters:
    unix_socket_directories: '$home'
  pg_hba:
    - local all all trust
    - host replication replicator 127.0.0.1/32 scram-sha-256
    - host all all 127.0.0.1/32 scram-sha-256
EOF
  chmod 600 "$home/patroni.yml"
  chown "$PG_USER" "$home/patroni.yml"
}

start_patroni() {
  local i
  for i in 0 1; do
    local home="$DIR/${NODES[$i]}"
    if alive "$home/patroni.pid"; then continue; fi
    mkdir -p "$home"
    chown "$PG_USER" "$home"
    chmod 700 "$home"
    patroni_config "$i"
    log "starting Patroni ${NODES[$i]} (PostgreSQL on ${PG_PORTS[$i]}, REST on ${REST_PORTS[$i]})"
    spawn "$home/patroni.pid" "$home/patroni.log" "${as_pg[@]}" /usr/bin/patroni "$home/patroni.yml"
  done
  wait_for "a PostgreSQL leader" 120 leader_rest_port
  wait_for "the synchronous standby" 180 sync_standby_up
}

leader_rest_port() {
  local p
  for p in "${REST_PORTS[@]}"; do
    if curl -sf -o /dev/null "http://127.0.0.1:$p/primary"; then echo "$p"; return 0; fi
  done
  return 1
}

sync_standby_up() {
  local p
  for p in "${REST_PORTS[@]}"; do
    if curl -sf -o /dev/null "http://127.0.0.1:$p/sync"; then return 0; fi
  done
  nudge_wal
  return 1
}

# A new standby made by pg_basebackup may ask for WAL from the start of the next segment, while
# an idle leader has not written that far: it waits ("requested start point ... is ahead of the
# upstream server's flush position") until the leader writes. Every 5 s of waiting, the leader
# commits one transaction and switches to a new WAL segment, so that the standby can stream.
LAST_NUDGE=0
nudge_wal() {
  local rest i
  (( SECONDS - LAST_NUDGE >= 5 )) || return 0
  LAST_NUDGE=$SECONDS
  rest="$(leader_rest_port)" || return 0
  for i in 0 1; do
    if [[ "${REST_PORTS[$i]}" == "$rest" ]]; then
      PGPASSWORD="$(secret superuser)" PGCONNECT_TIMEOUT=2 psql -qAtX -h 127.0.0.1 -p "${PG_PORTS[$i]}" \
        -U postgres -d postgres -c "SELECT txid_current()" -c "SELECT pg_switch_wal()" >/dev/null 2>&1 || true
    fi
  done
}

start_haproxy() {
  local home="$DIR/haproxy"
  if alive "$home/haproxy.pid"; then return; fi
  mkdir -p "$home"
  cat >"$home/haproxy.cfg" <<EOF
global
  maxconn 1000
  pidfile $home/haproxy.pid
  daemon

defaults
  mode tcp
  timeout connect 2s
  timeout client 1h
  timeout server 1h
  timeout check 1s

listen stats
  mode http
  bind 127.0.0.1:$STATS_PORT
  stats enable
  stats uri /
  stats refresh 2s

# the PostgreSQL leader: Patroni's REST API answers 200 on /primary on the leader only; a
# node marked down has its connections cut, so clients of a demoted leader fail at once
listen leader
  bind 127.0.0.1:$LEADER_PORT
  option httpchk GET /primary
  http-check expect status 200
  default-server inter 1s fastinter 500ms fall 2 rise 1 on-marked-down shutdown-sessions
  server pg1 127.0.0.1:${PG_PORTS[0]} maxconn 100 check port ${REST_PORTS[0]}
  server pg2 127.0.0.1:${PG_PORTS[1]} maxconn 100 check port ${REST_PORTS[1]}
EOF
  log "starting HAProxy (leader on $LEADER_PORT, stats on $STATS_PORT)"
  haproxy -q -f "$home/haproxy.cfg" >>"$home/haproxy.log" 2>&1
  # HAProxy counts a server up until its checks say otherwise: wait until only the leader is
  wait_for "HAProxy's way to the leader" 30 haproxy_routes_to_leader
}

# exactly one server up in HAProxy's leader backend, and it is the node Patroni calls primary
haproxy_routes_to_leader() {
  local rest up i
  rest="$(leader_rest_port)" || return 1
  up="$(curl -sf -m 2 "http://127.0.0.1:$STATS_PORT/;csv" | awk -F, '$1 == "leader" && $2 ~ /^pg/ && $18 == "UP" { print $2 }')"
  for i in 0 1; do
    if [[ "${REST_PORTS[$i]}" == "$rest" && "$up" == "${NODES[$i]}" ]]; then return 0; fi
  done
  return 1
}

psql_leader() {
  PGPASSWORD="$(secret superuser)" PGCONNECT_TIMEOUT=2 psql -qAtX -v ON_ERROR_STOP=1 \
    -h 127.0.0.1 -p "$LEADER_PORT" -U postgres -d postgres "$@"
}

# straight to the leader's own port, not through HAProxy
psql_primary() {
  local rest i
  rest="$(leader_rest_port)" || die "no PostgreSQL leader"
  for i in 0 1; do
    if [[ "${REST_PORTS[$i]}" == "$rest" ]]; then
      PGPASSWORD="$(secret superuser)" PGCONNECT_TIMEOUT=2 psql -qAtX -v ON_ERROR_STOP=1 \
        -h 127.0.0.1 -p "${PG_PORTS[$i]}" -U postgres -d postgres "$@"
      return
    fi
  done
}

create_database() {
  local password
  password="$(secret boxoffice)"
  if [[ "$(psql_primary -c "SELECT count(*) FROM pg_roles WHERE rolname = 'boxoffice'")" == 0 ]]; then
    psql_primary -c "CREATE ROLE boxoffice LOGIN PASSWORD '$password'"
  fi
  if [[ "$(psql_primary -c "SELECT count(*) FROM pg_database WHERE datname = 'boxoffice'")" == 0 ]]; then
    log "creating database boxoffice"
    psql_primary -c "CREATE DATABASE boxoffice OWNER boxoffice"
  fi
}

jdbc_url() {
  # fail fast on a lost leader: connect within 2 s, give up a read after 10 s (longer than
  # any statement of the service), and notice a silently dead peer through TCP keepalive
  echo "jdbc:postgresql://127.0.0.1:$LEADER_PORT/boxoffice?connectTimeout=2&socketTimeout=10&tcpKeepAlive=true&ApplicationName=$1"
}

start_instances() {
  local java i started=()
  java="$(java_bin)"
  if [[ ! -f "$JAR" ]]; then
    log "packaging $JAR"
    (cd "$ROOT" && ./mvnw -B -ntp -q -DskipTests package)
  fi
  for i in 0 1; do
    local home="$DIR/boxoffice-$((i + 1))"
    if alive "$home/boxoffice.pid"; then continue; fi
    mkdir -p "$home"
    log "starting Boxoffice instance $((i + 1)) on ${APP_PORTS[$i]}"
    SPRING_DATASOURCE_URL="$(jdbc_url "boxoffice-$((i + 1))")" \
      SPRING_DATASOURCE_USERNAME=boxoffice SPRING_DATASOURCE_PASSWORD="$(secret boxoffice)" \
      spawn "$home/boxoffice.pid" "$home/boxoffice.log" "$java" -Xmx512m -jar "$JAR" \
      --server.address=127.0.0.1 --server.port="${APP_PORTS[$i]}" \
      --server.forward-headers-strategy=native \
      "--server.tomcat.remoteip.internal-proxies=${PROXY_ADDRESS//./\\.}" \
      "--boxoffice.ops.allowed-addresses=127.0.0.1/32,::1"
    started+=("$i")
  done
  for i in "${started[@]}"; do
    wait_for "Boxoffice instance $((i + 1))" 180 curl -sf "http://127.0.0.1:${APP_PORTS[$i]}/actuator/health"
  done
}

start_nginx() {
  local home="$DIR/nginx"
  if alive "$home/nginx.pid"; then return; fi
  mkdir -p "$home/tmp"
  cat >"$home/nginx.conf" <<EOF
pid $home/nginx.pid;
error_log $home/error.log warn;
worker_processes 1;
events {
  worker_connections 4096;
}
http {
  access_log off;
  client_body_temp_path $home/tmp/body;
  proxy_temp_path $home/tmp/proxy;
  fastcgi_temp_path $home/tmp/fastcgi;
  uwsgi_temp_path $home/tmp/uwsgi;
  scgi_temp_path $home/tmp/scgi;

  upstream boxoffice {
    # an instance that refuses a connection is left out for 2 s
    server 127.0.0.1:${APP_PORTS[0]} max_fails=1 fail_timeout=2s;
    server 127.0.0.1:${APP_PORTS[1]} max_fails=1 fail_timeout=2s;
    keepalive 64;
  }

  server {
    listen 127.0.0.1:$LB_PORT backlog=2048;

    location / {
      proxy_pass http://boxoffice;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host \$host;
      # the client's address appended to what it sent; the instances trust only the
      # proxy's address, so they take the last entry and a forged one is ignored
      proxy_set_header X-Forwarded-For \$proxy_add_x_forwarded_for;
      proxy_set_header X-Forwarded-Proto \$scheme;
      proxy_bind $PROXY_ADDRESS;
      proxy_connect_timeout 1s;
      proxy_read_timeout 60s;
      # a request that never reached an instance goes to the other one; one that did is not
      # sent twice (a POST without an Idempotency-Key could book twice)
      proxy_next_upstream error timeout;
      proxy_next_upstream_tries 2;
      error_page 502 504 = @unavailable;
    }

    # no instance answered: the service's own 503, so clients retry as after any other
    location @unavailable {
      default_type application/problem+json;
      add_header Retry-After 1 always;
      return 503 '{"type":"about:blank","title":"Service unavailable","status":503,"detail":"No instance could answer; retry with the same Idempotency-Key","code":"UNAVAILABLE"}';
    }
  }
}
EOF
  log "starting nginx on $LB_PORT"
  nginx -c "$home/nginx.conf" -e "$home/error.log" >>"$home/nginx.log" 2>&1
  wait_for "nginx" 30 curl -sf "http://127.0.0.1:$LB_PORT/actuator/health"
}

up() {
  install_missing
  mkdir -p "$DIR/secrets"
  chmod 700 "$DIR/secrets"
  chmod 755 "$DIR"
  start_etcd
  start_patroni
  start_haproxy
  create_database
  start_instances
  start_nginx
  status
  log "Boxoffice is on http://127.0.0.1:$LB_PORT (PostgreSQL leader through 127.0.0.1:$LEADER_PORT)"
}

writable_through_haproxy() {
  [[ "$(psql_leader -c 'SELECT pg_is_in_recovery()')" == f ]]
}

health() {
  if "$@" >/dev/null 2>&1; then echo up; else echo DOWN; fi
}

status() {
  [[ -d "$DIR" ]] || { echo "not running (no $DIR)"; return 1; }
  local i
  if [[ -f "$DIR/pg1/patroni.yml" ]]; then
    patronictl -c "$DIR/pg1/patroni.yml" list 2>/dev/null || echo "patronictl: no answer from etcd"
  fi
  printf '%-28s %s\n' "etcd 127.0.0.1:$ETCD_PORT" \
    "$(health env ETCDCTL_API=3 etcdctl --endpoints "127.0.0.1:$ETCD_PORT" endpoint health)"
  for i in 0 1; do
    local role
    role="$(curl -s -m 2 "http://127.0.0.1:${REST_PORTS[$i]}/patroni" |
      /usr/bin/python3 -c 'import json,sys; d=json.load(sys.stdin); print(d.get("role","?"), d.get("state","?"))' 2>/dev/null ||
      echo "DOWN")"
    printf '%-28s %s\n' "${NODES[$i]} 127.0.0.1:${PG_PORTS[$i]}" "$role"
  done
  printf '%-28s %s\n' "haproxy leader :$LEADER_PORT" "$(health writable_through_haproxy)"
  for i in 0 1; do
    printf '%-28s %s\n' "boxoffice-$((i + 1)) :${APP_PORTS[$i]}" \
      "$(health curl -sf -m 3 "http://127.0.0.1:${APP_PORTS[$i]}/actuator/health")"
  done
  printf '%-28s %s\n' "nginx :$LB_PORT" "$(health curl -sf -m 3 "http://127.0.0.1:$LB_PORT/actuator/health")"
}

stop_pidfile() {
  local pidfile="$1" what="$2" seconds="${3:-30}"
  alive "$pidfile" || return 0
  local pid
  pid="$(cat "$pidfile")"
  log "stopping $what ($pid)"
  kill "$pid" 2>/dev/null || true
  for _ in $(seq $((seconds * 10))); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.1; done
  kill -9 "$pid" 2>/dev/null || true
}

down() {
  [[ -d "$DIR" ]] || { log "nothing to stop ($DIR is absent)"; return 0; }
  local i node
  stop_pidfile "$DIR/nginx/nginx.pid" nginx
  for i in 0 1; do stop_pidfile "$DIR/boxoffice-$((i + 1))/boxoffice.pid" "Boxoffice instance $((i + 1))"; done
  stop_pidfile "$DIR/haproxy/haproxy.pid" HAProxy
  for node in "${NODES[@]}"; do stop_pidfile "$DIR/$node/patroni.pid" "Patroni $node" 60; done
  # a PostgreSQL whose Patroni died first
  for node in "${NODES[@]}"; do
    if [[ -f "$DIR/$node/data/postmaster.pid" ]]; then
      local pid
      pid="$(head -1 "$DIR/$node/data/postmaster.pid")"
      if kill -0 "$pid" 2>/dev/null; then
        log "stopping PostgreSQL $node ($pid)"
        kill -INT "$pid" 2>/dev/null || true
        for _ in $(seq 300); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
      fi
    fi
  done
  stop_pidfile "$DIR/etcd/etcd.pid" etcd
  rm -rf "$DIR"
  log "stopped; $DIR removed"
}

case "${1:-}" in
  up) up ;;
  status) status ;;
  down) down ;;
  *) echo "usage: $0 up | status | down" >&2; exit 2 ;;
esac
