#!/usr/bin/env bash
# `npm run bench` (full) and `npm run bench -- --quick` (under 5 minutes): sets up what the
# benchmark needs from a fresh clone (npm deps, Prisma client, Temporal CLI, PostgreSQL, a fresh
# backoffice_bench database), runs the driver (bench/driver.ts), which starts a Temporal dev
# server on :7255 (SQLite file in data/bench/) through bench/temporal-dev.sh, and stops what it started. Never fails on speed.
# More arguments go to the driver: --only=engine,db,api,knobs,billing,growth,pg; --no-pg skips
# the Temporal server on PostgreSQL (built once with Go by bench/temporal-pg.sh, several minutes;
# quick mode skips it unless --only names pg).
LOG_TAG=bench
source "$(dirname "$0")/../scripts/lib.sh"

# One heavy run at a time per machine: the test suite takes the same lock.
exec 9>"${TMPDIR:-/tmp}/service-backoffice-test.lock"
if ! flock -n 9; then
  log "a test or benchmark run is in progress; waiting for it to finish"
  flock 9
fi

export BENCH_DIR="$ROOT/data/bench"
BASE_URL="${DATABASE_URL:-postgresql://postgres@127.0.0.1:5432/backoffice}"
export BENCH_DATABASE_URL="${BASE_URL%/*}/backoffice_bench"
BENCH_TEMPORAL_PORT="${BENCH_TEMPORAL_PORT:-7255}"
export BENCH_DEV_ADDRESS="127.0.0.1:$BENCH_TEMPORAL_PORT"
export LOG_LEVEL=warn
mkdir -p "$BENCH_DIR"

args=() with_pg=1 quick=0 only_pg=0
for a in "$@"; do
  case "$a" in
    --no-pg) with_pg=0 ;;
    --quick) quick=1; args+=("$a") ;;
    --only=*pg*) only_pg=1; args+=("$a") ;;
    *) args+=("$a") ;;
  esac
done
# Quick mode measures Temporal on PostgreSQL only when asked (--only=...,pg): it is built and set up in minutes.
[ "$quick" = 1 ] && [ "$only_pg" = 0 ] && with_pg=0

cleanup() {
  bash "$ROOT/bench/temporal-pg.sh" stop >/dev/null 2>&1 || true
  bash "$ROOT/bench/temporal-dev.sh" stop >/dev/null 2>&1 || true
}
trap cleanup EXIT INT TERM

ensure_node_deps
ensure_prisma_client
ensure_temporal_cli
ensure_postgres "$BASE_URL"

log "recreating the benchmark database $(url_part "$BENCH_DATABASE_URL" database)"
PGOPTIONS="-c client_min_messages=warning" psql "${BASE_URL%/*}/postgres" -qc "DROP DATABASE IF EXISTS \"$(url_part "$BENCH_DATABASE_URL" database)\" WITH (FORCE)" >/dev/null
ensure_postgres "$BENCH_DATABASE_URL"
migrate "$BENCH_DATABASE_URL"

if [ "$with_pg" = 1 ]; then
  # Built before any measurement (a first build takes minutes); started by the driver when its turn comes.
  bash "$ROOT/bench/temporal-pg.sh" install
  export BENCH_PG_SCRIPT="$ROOT/bench/temporal-pg.sh"
fi

export BENCH_TEMPORAL_PORT
log "driver ${args[*]:-}"
node --import tsx "$ROOT/bench/driver.ts" "${args[@]}"
