#!/usr/bin/env bash
# `npm run test:reliability`: the fault-injection run of docs/RELIABILITY.md. Sets up what it needs
# (npm deps, Prisma client, Temporal CLI, its own database backoffice_reliability), then runs
# test/reliability/run.ts, which starts its own Temporal dev server (port 7266, history in
# data/reliability/temporal.db), SMTP receiver (2566), API (3266) and supervised worker, and kills
# them, PostgreSQL included, scenario by scenario. Exits non-zero when a scenario fails.
#   SOAK=3 npm run test:reliability                      # three times the load per scenario
#   RELIABILITY_SCENARIOS=postgres,smtp npm run test:reliability   # only the matching scenarios
#   RELIABILITY_UPDATE_DOCS=1 npm run test:reliability   # rewrite the results table of docs/RELIABILITY.md
LOG_TAG=reliability
source "$(dirname "$0")/lib.sh"

# It stops PostgreSQL and kills processes: never at the same time as another test run on this machine.
# (RELIABILITY_LOCK_HELD=1: the caller already holds the lock, e.g. a CI script running the suites in turn.)
if [ "${RELIABILITY_LOCK_HELD:-}" != 1 ]; then
  exec 9>"${TMPDIR:-/tmp}/service-backoffice-test.lock"
  if ! flock -n 9; then
    log "another test run is in progress; waiting for it to finish"
    flock 9
  fi
fi

BASE_URL="${DATABASE_URL:-postgresql://postgres@127.0.0.1:5432/backoffice}"
export DATABASE_URL="${RELIABILITY_DATABASE_URL:-${BASE_URL%/*}/backoffice_reliability}"
PG_CLUSTER="${PG_CLUSTER:-$( [ -d /etc/postgresql ] && ls /etc/postgresql | sort -V | tail -1 || echo 15)}"
export PG_CLUSTER NODE_ENV=test
mkdir -p data

# Whatever happens to the run, PostgreSQL is left running.
restart_postgres() {
  if ! pg_isready -q -h "$(url_part "$BASE_URL" host)" -p "$(url_part "$BASE_URL" port)"; then
    log "starting PostgreSQL again"
    pg_ctlcluster --skip-systemctl-redirect "$PG_CLUSTER" main start || true
  fi
}
trap restart_postgres EXIT INT TERM

ensure_node_deps
ensure_prisma_client
ensure_temporal_cli
ensure_postgres "$BASE_URL"

for port in 7266 3266 2566 9566 9567; do
  port_busy "$port" && die "port $port is already in use: is another reliability run going on?"
done

log "recreating the database $(url_part "$DATABASE_URL" database)"
admin_url="${DATABASE_URL%/*}/postgres"
PGOPTIONS="-c client_min_messages=warning" psql "$admin_url" -qc "DROP DATABASE IF EXISTS \"$(url_part "$DATABASE_URL" database)\" WITH (FORCE)" >/dev/null
ensure_postgres "$DATABASE_URL"
migrate "$DATABASE_URL"

log "running the scenarios (logs in data/reliability/logs)"
node --import tsx test/reliability/run.ts
