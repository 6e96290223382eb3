#!/usr/bin/env bash
# The benchmark's Temporal dev server (SQLite file, our search attributes), started fresh by the
# driver when a section needs an empty server:
#   bash bench/temporal-dev.sh start   new SQLite file, gRPC on $BENCH_TEMPORAL_PORT (7255); pid in $BENCH_DIR/temporal-dev.pid
#   bash bench/temporal-dev.sh stop
LOG_TAG=temporal-dev
source "$(dirname "$0")/../scripts/lib.sh"

BENCH_DIR="${BENCH_DIR:-$ROOT/data/bench}"
PORT="${BENCH_TEMPORAL_PORT:-7255}"
PIDFILE="$BENCH_DIR/temporal-dev.pid"
mkdir -p "$BENCH_DIR"

case "${1:-}" in
  start)
    ensure_temporal_cli
    rm -f "$BENCH_DIR"/temporal-dev.db*
    start_temporal "$PORT" "" "$BENCH_DIR/temporal-dev.db" "$BENCH_DIR/temporal-dev.log"
    echo "$TEMPORAL_PID" >"$PIDFILE"
    ;;
  stop)
    [ -f "$PIDFILE" ] || exit 0
    pid="$(cat "$PIDFILE")"
    kill -TERM "$pid" 2>/dev/null && for _ in $(seq 1 40); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
    rm -f "$PIDFILE"
    ;;
  *) die "usage: $0 start|stop" ;;
esac
