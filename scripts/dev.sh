#!/usr/bin/env bash
# `npm run dev`: the whole system in the foreground on its embedded defaults.
# Installs what is missing, starts the Temporal dev server (+ Web UI), a mail inbox, the worker
# and the API, prints the URLs and stops everything on Ctrl-C.
LOG_TAG=dev
source "$(dirname "$0")/lib.sh"

export DATABASE_URL="${DATABASE_URL:-postgresql://postgres@127.0.0.1:5432/backoffice}"
export TEMPORAL_ADDRESS="${TEMPORAL_ADDRESS:-127.0.0.1:7233}"
export SMTP_URL="${SMTP_URL:-smtp://127.0.0.1:1025}"
export API_PORT="${API_PORT:-3000}"
export PUBLIC_URL="${PUBLIC_URL:-http://localhost:$API_PORT}"
UI_PORT="${TEMPORAL_UI_PORT:-8233}"
INBOX_PORT="${INBOX_PORT:-1080}"
mkdir -p data

PIDS=()
cleanup() {
  trap - INT TERM EXIT
  [ ${#PIDS[@]} -eq 0 ] && return
  log "stopping"
  for pid in "${PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  log "stopped"
}
trap 'cleanup; exit 130' INT TERM
trap cleanup EXIT

ensure_node_deps
ensure_prisma_client
ensure_temporal_cli
ensure_postgres "$DATABASE_URL"
migrate "$DATABASE_URL"

log "starting the Temporal dev server (data/temporal.db)"
start_temporal "${TEMPORAL_ADDRESS##*:}" "$UI_PORT" data/temporal.db data/temporal.log
PIDS+=("$TEMPORAL_PID")

log "starting the mail inbox"
port_busy 1025 && die "port 1025 is already in use: is another mail catcher running?"
node_modules/.bin/maildev --ip 127.0.0.1 --smtp 1025 --web "$INBOX_PORT" --silent >data/maildev.log 2>&1 &
PIDS+=($!)

ADMIN_KEY="$(node_modules/.bin/tsx scripts/create-api-key.ts --role admin --name "local admin (npm run dev)" --reuse-file data/admin-api-key)"

log "starting the worker and the API"
node_modules/.bin/tsx worker.ts &
PIDS+=($!)
node_modules/.bin/tsx api/server.ts &
PIDS+=($!)
wait_for 60 curl -fsS "http://127.0.0.1:$API_PORT/health" || die "the API did not become healthy (see the logs above)"

# A first smoke process, so the Temporal UI and the inbox show something right away.
curl -fsS -X POST "http://127.0.0.1:$API_PORT/smoke" -H "Authorization: Bearer $ADMIN_KEY" \
  -H 'Content-Type: application/json' -d '{"email":"ops@example.com","message":"The back office is up."}' >/dev/null \
  || log "could not start the smoke process"

# A newcomer's first start (no customer yet): load the demo data set and start its processes.
if curl -fsS "http://127.0.0.1:$API_PORT/customers?limit=1" -H "Authorization: Bearer $ADMIN_KEY" | grep -q '"items":\[\]'; then
  log "loading the demo data set (npm run seed)"
  BACKOFFICE_API_KEY="$ADMIN_KEY" TEMPORAL_UI_PORT="$UI_PORT" INBOX_PORT="$INBOX_PORT" node_modules/.bin/tsx scripts/seed.ts \
    || log "could not load the demo data set (retry with npm run seed)"
fi

cat >&2 <<INFO

  API          http://localhost:$API_PORT   (GET /health)
  Temporal UI  http://localhost:$UI_PORT
  Mail inbox   http://localhost:$INBOX_PORT
  Admin key    $ADMIN_KEY
               (kept in data/admin-api-key; use: -H "Authorization: Bearer \$(cat data/admin-api-key)")

  Ctrl-C stops everything.
INFO
wait -n "${PIDS[@]}" || true
log "a process exited on its own; shutting the rest down"
exit 1
