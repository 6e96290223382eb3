#!/usr/bin/env bash
# A Temporal server backed by PostgreSQL, the shape production uses, for the engine comparison.
#   bash bench/temporal-pg.sh install   builds the server and its schema tool with Go (cached)
#   bash bench/temporal-pg.sh start     creates its databases and schemas, starts it (pid in $BENCH_DIR/temporal-pg.pid)
#   bash bench/temporal-pg.sh stop      stops the server this script started
# Its own ports (gRPC 7260 and up) and databases (temporal_bench, temporal_bench_visibility).
LOG_TAG=temporal-pg
source "$(dirname "$0")/../scripts/lib.sh"

TEMPORAL_SERVER_VERSION="${TEMPORAL_SERVER_VERSION:-v1.31.2}"
SERVER_DIR="$CACHE_DIR/temporal-server-$TEMPORAL_SERVER_VERSION"
BENCH_DIR="${BENCH_DIR:-$ROOT/data/bench}"
PG_TEMPORAL_PORT="${PG_TEMPORAL_PORT:-7260}"
PG_URL="${BENCH_PG_URL:-postgresql://postgres@127.0.0.1:5432/postgres}"
PG_HOST="$(url_part "$PG_URL" host)"; PG_PORT="$(url_part "$PG_URL" port)"; PG_USER="$(url_part "$PG_URL" user)"
DB=temporal_bench
VIS_DB=temporal_bench_visibility

install_server() {
  if [ -x "$SERVER_DIR/bin/server" ] && [ -x "$SERVER_DIR/bin/sql" ]; then return 0; fi
  command -v go >/dev/null 2>&1 || die "Go is needed to build the Temporal server"
  log "building the Temporal server $TEMPORAL_SERVER_VERSION and its SQL schema tool (first run only, several minutes)"
  mkdir -p "$SERVER_DIR/bin"
  GOBIN="$SERVER_DIR/bin" go install "go.temporal.io/server/cmd/server@$TEMPORAL_SERVER_VERSION" "go.temporal.io/server/cmd/tools/sql@$TEMPORAL_SERVER_VERSION" \
    || die "go install of the Temporal server failed"
}

# The schema files ship in the server module; `go mod download -json` names its folder in the module cache.
schema_dir() {
  local dir
  dir="$(cd "$SERVER_DIR" && go mod download -json "go.temporal.io/server@$TEMPORAL_SERVER_VERSION" | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>process.stdout.write(JSON.parse(s).Dir))')"
  [ -d "$dir/schema/postgresql/v12" ] || die "no PostgreSQL schema in $dir"
  printf '%s' "$dir/schema/postgresql/v12"
}

sql_tool() { "$SERVER_DIR/bin/sql" --plugin postgres12 --ep "$PG_HOST" -p "$PG_PORT" -u "$PG_USER" "$@" >>"$BENCH_DIR/temporal-pg-schema.log" 2>&1 \
  || { tail -20 "$BENCH_DIR/temporal-pg-schema.log" >&2; die "schema tool failed: $*"; }; }

create_schemas() {
  local schemas; schemas="$(schema_dir)"
  log "recreating databases $DB and $VIS_DB"
  local admin="$PG_URL"
  for db in "$DB" "$VIS_DB"; do
    PGOPTIONS="-c client_min_messages=warning" psql "$admin" -qc "DROP DATABASE IF EXISTS \"$db\" WITH (FORCE)" >/dev/null
    psql "$admin" -qc "CREATE DATABASE \"$db\"" >/dev/null
  done
  : >"$BENCH_DIR/temporal-pg-schema.log"
  sql_tool --db "$DB" setup-schema -v 0.0
  sql_tool --db "$DB" update-schema -d "$schemas/temporal/versioned"
  sql_tool --db "$VIS_DB" setup-schema -v 0.0
  sql_tool --db "$VIS_DB" update-schema -d "$schemas/visibility/versioned"
}

write_config() {
  local p="$PG_TEMPORAL_PORT"
  mkdir -p "$BENCH_DIR/temporal-pg-config"
  cat >"$BENCH_DIR/temporal-pg-config/development.yaml" <<YAML
log:
  stdout: true
  level: warn
persistence:
  defaultStore: default
  visibilityStore: visibility
  numHistoryShards: 4
  datastores:
    default:
      sql:
        pluginName: postgres12
        databaseName: $DB
        connectAddr: "$PG_HOST:$PG_PORT"
        connectProtocol: tcp
        user: $PG_USER
        password: ""
        maxConns: 20
        maxIdleConns: 20
    visibility:
      sql:
        pluginName: postgres12
        databaseName: $VIS_DB
        connectAddr: "$PG_HOST:$PG_PORT"
        connectProtocol: tcp
        user: $PG_USER
        password: ""
        maxConns: 10
        maxIdleConns: 10
global:
  membership:
    maxJoinDuration: 30s
    broadcastAddress: "127.0.0.1"
services:
  frontend:
    rpc: { grpcPort: $p, membershipPort: $((p + 1)), bindOnIP: 127.0.0.1, httpPort: $((p + 2)) }
  history:
    rpc: { grpcPort: $((p + 3)), membershipPort: $((p + 4)), bindOnIP: 127.0.0.1 }
  matching:
    rpc: { grpcPort: $((p + 5)), membershipPort: $((p + 6)), bindOnIP: 127.0.0.1 }
  worker:
    rpc: { grpcPort: $((p + 7)), membershipPort: $((p + 8)), bindOnIP: 127.0.0.1 }
clusterMetadata:
  enableGlobalNamespace: false
  failoverVersionIncrement: 10
  masterClusterName: active
  currentClusterName: active
  clusterInformation:
    active:
      enabled: true
      initialFailoverVersion: 1
      rpcName: frontend
      rpcAddress: "127.0.0.1:$p"
      httpAddress: "127.0.0.1:$((p + 2))"
dcRedirectionPolicy:
  policy: noop
archival:
  history: { state: disabled }
  visibility: { state: disabled }
namespaceDefaults:
  archival:
    history: { state: disabled }
    visibility: { state: disabled }
dynamicConfigClient:
  filepath: "$BENCH_DIR/temporal-pg-config/dynamic.yaml"
  pollInterval: 60s
YAML
  cat >"$BENCH_DIR/temporal-pg-config/dynamic.yaml" <<YAML
frontend.enableUpdateWorkflowExecution:
  - value: true
frontend.enableUpdateWorkflowExecutionAsyncAccepted:
  - value: true
YAML
}

start_server() {
  port_busy "$PG_TEMPORAL_PORT" && die "port $PG_TEMPORAL_PORT is already in use"
  install_server
  ensure_temporal_cli
  ensure_postgres "$PG_URL"
  create_schemas
  write_config
  log "starting the PostgreSQL-backed Temporal server on :$PG_TEMPORAL_PORT"
  "$SERVER_DIR/bin/server" --root "$BENCH_DIR" --config temporal-pg-config --env development start \
    >"$BENCH_DIR/temporal-pg.log" 2>&1 &
  echo $! >"$BENCH_DIR/temporal-pg.pid"
  wait_for 90 "$TEMPORAL_BIN" operator cluster health --address "127.0.0.1:$PG_TEMPORAL_PORT" \
    || { tail -30 "$BENCH_DIR/temporal-pg.log" >&2; die "the PostgreSQL-backed Temporal server did not start"; }
  # The namespace and our search attributes (the dev server gets them as flags).
  wait_for 60 "$TEMPORAL_BIN" operator namespace create --address "127.0.0.1:$PG_TEMPORAL_PORT" --namespace default --retention 24h \
    || "$TEMPORAL_BIN" operator namespace describe --address "127.0.0.1:$PG_TEMPORAL_PORT" --namespace default >/dev/null \
    || die "cannot create the default namespace"
  local attrs; attrs="$(node_modules/.bin/tsx scripts/search-attributes.ts | sed 's/--search-attribute //g')"
  for a in $attrs; do
    "$TEMPORAL_BIN" operator search-attribute create --address "127.0.0.1:$PG_TEMPORAL_PORT" --namespace default \
      --name "${a%%=*}" --type "${a#*=}" >/dev/null 2>&1 || true
  done
}

stop_server() {
  local pidfile="$BENCH_DIR/temporal-pg.pid"
  [ -f "$pidfile" ] || return 0
  kill -TERM "$(cat "$pidfile")" 2>/dev/null && for _ in $(seq 1 40); do kill -0 "$(cat "$pidfile")" 2>/dev/null || break; sleep 0.25; done
  rm -f "$pidfile"
}

mkdir -p "$BENCH_DIR"
case "${1:-}" in
  install) install_server ;;
  start) start_server ;;
  stop) stop_server ;;
  *) die "usage: $0 install|start|stop" ;;
esac
