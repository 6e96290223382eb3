#!/usr/bin/env bash
# `npm test`: the whole suite from a fresh state. Installs and starts what the tests need
# (a fresh test database, an in-memory Temporal dev server), runs the type check, the linter,
# jest and then the reliability run, stops what it started, and exits non-zero on any failure.
# Extra arguments go to jest alone: `npm test -- test/e2e/smoke.test.ts`.
LOG_TAG=test
source "$(dirname "$0")/lib.sh"

# One run at a time per machine: runs share the test database and the Temporal port.
exec 9>"${TMPDIR:-/tmp}/service-backoffice-test.lock"
if ! flock -n 9; then
  log "another test run is in progress; waiting for it to finish"
  flock 9
fi

BASE_URL="${DATABASE_URL:-postgresql://postgres@127.0.0.1:5432/backoffice}"
export DATABASE_URL="${TEST_DATABASE_URL:-${BASE_URL%/*}/backoffice_test}"
TEST_TEMPORAL_PORT="${TEST_TEMPORAL_PORT:-7244}"
export TEMPORAL_ADDRESS="127.0.0.1:$TEST_TEMPORAL_PORT"
export NODE_ENV=test LOG_LEVEL="${LOG_LEVEL:-warn}"
mkdir -p data

TEMPORAL_PID=""
cleanup() { [ -n "$TEMPORAL_PID" ] && kill -TERM "$TEMPORAL_PID" 2>/dev/null && wait "$TEMPORAL_PID" 2>/dev/null; true; }
trap cleanup EXIT INT TERM

ensure_node_deps
ensure_prisma_client
ensure_temporal_cli
ensure_postgres "$BASE_URL"
ensure_test_tools

log "recreating the test database $(url_part "$DATABASE_URL" database)"
admin_url="${DATABASE_URL%/*}/postgres"
PGOPTIONS="-c client_min_messages=warning" psql "$admin_url" -qc "DROP DATABASE IF EXISTS \"$(url_part "$DATABASE_URL" database)\" WITH (FORCE)" >/dev/null
ensure_postgres "$DATABASE_URL"
migrate "$DATABASE_URL"

log "type check"
npx tsc --noEmit
log "lint"
npx eslint . --max-warnings 0

log "starting an in-memory Temporal dev server on :$TEST_TEMPORAL_PORT"
start_temporal "$TEST_TEMPORAL_PORT" "" "" data/temporal-test.log

log "jest"
npx jest "$@"

# The whole suite also proves nothing is lost under faults (docs/RELIABILITY.md): after jest, with the
# lock still held. Skipped when jest was given arguments (one file, one test) or SKIP_RELIABILITY=1.
if [ $# -eq 0 ] && [ "${SKIP_RELIABILITY:-}" != 1 ]; then
  cleanup
  TEMPORAL_PID=""
  log "reliability run (fault injection; stops and restarts the local PostgreSQL cluster)"
  RELIABILITY_LOCK_HELD=1 bash "$ROOT/scripts/reliability.sh"
fi
