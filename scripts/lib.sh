#!/usr/bin/env bash
# Set-up steps shared by dev.sh and test.sh. Each installs or starts what is missing and is
# safe to run again; nothing here needs a step done by hand.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CACHE_DIR="${XDG_CACHE_HOME:-$HOME/.cache}/service-backoffice"
TEMPORAL_CLI_VERSION="v1.5.1" # v1.6+ has a replace directive in go.mod and cannot be go-installed
export CHECKPOINT_DISABLE=1   # no Prisma telemetry calls from machines without internet
cd "$ROOT"

log() { printf '\033[1m[%s]\033[0m %s\n' "${LOG_TAG:-setup}" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

# npm dependencies, installed exactly from package-lock.json when missing or out of date.
ensure_node_deps() {
  if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
    log "installing npm dependencies (npm ci)"
    npm ci --no-audit --no-fund --loglevel=error
  fi
}

# The Prisma client is generated code (not committed): regenerate when the schema changed.
ensure_prisma_client() {
  if [ ! -f generated/prisma/client.ts ] || [ prisma/schema.prisma -nt generated/prisma/client.ts ]; then
    log "generating the Prisma client"
    npx prisma generate >/dev/null
  fi
}

# Finds the Temporal CLI (dev server + Web UI) and sets TEMPORAL_BIN:
# $TEMPORAL_CLI, a `temporal` on PATH, a cached build, a build with Go, then the release download.
ensure_temporal_cli() {
  if [ -n "${TEMPORAL_CLI:-}" ]; then
    [ -x "$TEMPORAL_CLI" ] || die "TEMPORAL_CLI=$TEMPORAL_CLI is not an executable"
    TEMPORAL_BIN="$TEMPORAL_CLI"
  elif command -v temporal >/dev/null 2>&1; then
    TEMPORAL_BIN="$(command -v temporal)"
  elif [ -x "$CACHE_DIR/bin/temporal" ]; then
    TEMPORAL_BIN="$CACHE_DIR/bin/temporal"
  elif command -v go >/dev/null 2>&1; then
    log "building the Temporal CLI $TEMPORAL_CLI_VERSION with Go (first run only, a few minutes)"
    mkdir -p "$CACHE_DIR/bin"
    GOBIN="$CACHE_DIR/bin" go install "github.com/temporalio/cli/cmd/temporal@$TEMPORAL_CLI_VERSION" \
      || die "go install of the Temporal CLI failed; set TEMPORAL_CLI to an existing binary"
    TEMPORAL_BIN="$CACHE_DIR/bin/temporal"
  else
    log "downloading the Temporal CLI release"
    mkdir -p "$CACHE_DIR/bin"
    local arch; arch="$(uname -m)"; [ "$arch" = "x86_64" ] && arch=amd64; [ "$arch" = "aarch64" ] && arch=arm64
    curl -fsSL "https://temporal.download/cli/archive/latest?platform=linux&arch=$arch" | tar -xz -C "$CACHE_DIR/bin" temporal \
      || die "no Go and no download: install the Temporal CLI and set TEMPORAL_CLI"
    TEMPORAL_BIN="$CACHE_DIR/bin/temporal"
  fi
  export TEMPORAL_CLI_PATH="$TEMPORAL_BIN"
}

# Prints one part (host, port, database) of a postgres URL.
url_part() { node -e 'const u=new URL(process.argv[1]);const p={host:u.hostname,port:u.port||"5432",database:u.pathname.slice(1),user:decodeURIComponent(u.username)||"postgres"};process.stdout.write(p[process.argv[2]])' "$1" "$2"; }

# PostgreSQL reachable at $1 (starting the local cluster if it is installed but stopped), and its database created.
ensure_postgres() {
  local url="$1" host port db
  host="$(url_part "$url" host)"; port="$(url_part "$url" port)"; db="$(url_part "$url" database)"
  if ! pg_isready -q -h "$host" -p "$port" 2>/dev/null; then
    if command -v pg_ctlcluster >/dev/null 2>&1 && [ -d /etc/postgresql ]; then
      log "starting the local PostgreSQL cluster"
      pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | sort -V | tail -1)" main start || true
    fi
    for _ in $(seq 1 30); do pg_isready -q -h "$host" -p "$port" && break; sleep 1; done
    pg_isready -q -h "$host" -p "$port" || die "PostgreSQL is not reachable at $host:$port (DATABASE_URL)"
  fi
  local admin_url="${url%/*}/postgres"
  if [ "$(psql "$admin_url" -tAc "SELECT 1 FROM pg_database WHERE datname = '$db'")" != "1" ]; then
    log "creating database $db"
    psql "$admin_url" -qc "CREATE DATABASE \"$db\"" >/dev/null
  fi
}

# Applies the committed migrations.
migrate() { DATABASE_URL="$1" npx prisma migrate deploy >/dev/null || die "prisma migrate deploy failed"; }

# True when something listens on 127.0.0.1:$1.
port_busy() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# Waits until `cmd...` succeeds, up to $1 seconds.
wait_for() {
  local secs="$1"; shift
  for _ in $(seq 1 "$((secs * 4))"); do "$@" >/dev/null 2>&1 && return 0; sleep 0.25; done
  return 1
}

# Starts the Temporal dev server in the background with our search attributes; sets TEMPORAL_PID.
# Args: grpc port, ui port ("" = headless), db file ("" = in memory), log file.
start_temporal() {
  local port="$1" ui_port="$2" db_file="$3" log_file="$4" args=()
  port_busy "$port" && die "port $port is already in use: is another Temporal server running?"
  # shellcheck disable=SC2207
  args=(server start-dev --ip 127.0.0.1 --port "$port" --log-level warn $(node_modules/.bin/tsx scripts/search-attributes.ts))
  if [ -n "$ui_port" ]; then args+=(--ui-port "$ui_port"); else args+=(--headless); fi
  [ -n "$db_file" ] && args+=(--db-filename "$db_file")
  "$TEMPORAL_BIN" "${args[@]}" >"$log_file" 2>&1 &
  TEMPORAL_PID=$!
  wait_for 60 "$TEMPORAL_BIN" operator cluster health --address "127.0.0.1:$port" \
    || { tail -20 "$log_file" >&2; die "the Temporal dev server did not start (log: $log_file)"; }
}

# What the tests use from Debian: Chromium (driven by playwright-core, no browser download)
# and poppler's pdftotext/pdfinfo (to read the PDFs the system produces).
ensure_test_tools() {
  local missing=()
  command -v chromium >/dev/null 2>&1 || [ -x "${CHROMIUM_PATH:-}" ] || missing+=(chromium)
  command -v pdftotext >/dev/null 2>&1 || missing+=(poppler-utils)
  if [ ${#missing[@]} -gt 0 ]; then
    command -v apt-get >/dev/null 2>&1 || die "missing ${missing[*]}: install them (and set CHROMIUM_PATH for a Chromium elsewhere)"
    log "installing ${missing[*]} (apt-get, first run only)"
    local sudo=""; [ "$(id -u)" -ne 0 ] && sudo="sudo"
    $sudo apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null \
      || die "apt-get install ${missing[*]} failed"
  fi
  export CHROMIUM_PATH="${CHROMIUM_PATH:-$(command -v chromium)}"
}
