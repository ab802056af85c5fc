#!/usr/bin/env bash
# Before/after figures of a single node for a refactoring, taken in one sitting: builds the server at
# a base revision (default: the merge base with the previous landing, or BENCH_BASE) and at the
# working tree, then runs, alternating the two builds, the three load-generator scenarios that
# docs/benchmarks.md reports: acked writes (10 clients × 5000 ops, batches of 100, SQLite), fan-out to
# 50 live-query subscribers, and 1,000 held connections. Each run gets a fresh server process and a
# fresh data directory. Prints `uptime` before and after, and each run's figures.
#
#   scripts/bench-compare.sh                    # base = BENCH_BASE or HEAD~1
#   BENCH_BASE=efaa79b BENCH_RUNS=3 scripts/bench-compare.sh
#   BENCH_SCENARIOS="connections" BENCH_CONNECTIONS=2000 scripts/bench-compare.sh   # a subset
#
# Only loopback addresses are used; every load-generator run is bounded by its --timeout.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

base="${BENCH_BASE:-HEAD~1}"
runs="${BENCH_RUNS:-3}"
scenarios="${BENCH_SCENARIOS:-write fanout connections}"
connections="${BENCH_CONNECTIONS:-1000}"
port="${BENCH_PORT:-18990}"
secret="bench-secret-0123456789abcdef0123"
work=$(mktemp -d /tmp/topgun-compare.XXXXXX)
server_pid=""

cleanup() {
  if [ -n "$server_pid" ]; then kill -TERM "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
  git -C "$root" worktree remove --force "$work/base-src" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

echo "base: $(git rev-parse --short "$base")  after: working tree at $(git rev-parse --short HEAD)"
git worktree add --detach "$work/base-src" "$base" >/dev/null
dotnet publish -c Release -o "$work/base" "$work/base-src/src/TopGun.Server" >/dev/null
dotnet publish -c Release -o "$work/after" src/TopGun.Server >/dev/null
dotnet publish -c Release -o "$work/loadgen" src/TopGun.LoadGen >/dev/null

start_server() {
  local build="$1"
  rm -rf "$work/data"
  TOPGUN_PORT=$port TOPGUN_CLUSTER_PORT=0 TOPGUN_DATA_DIR="$work/data" TOPGUN_JWT_SECRET=$secret \
    dotnet "$work/$build/TopGun.Server.dll" >"$work/server.log" 2>&1 &
  server_pid=$!
  for _ in $(seq 1 120); do
    if curl -fs "http://127.0.0.1:$port/ready" >/dev/null 2>&1; then return; fi
    sleep 0.25
  done
  echo "server ($build) did not become ready" >&2
  cat "$work/server.log" >&2
  exit 1
}

stop_server() {
  kill -TERM "$server_pid" 2>/dev/null || true
  wait "$server_pid" 2>/dev/null || true
  server_pid=""
}

scenario() {
  local build="$1" name="$2"; shift 2
  start_server "$build"
  printf '%-6s %-12s ' "$build" "$name"
  dotnet "$work/loadgen/TopGun.LoadGen.dll" "$@" --url "ws://127.0.0.1:$port/" --jwt-secret $secret --server-pid "$server_pid" 2>&1 | tr '\n' ' '
  echo
  stop_server
}

echo "uptime before: $(uptime)"
for i in $(seq 1 "$runs"); do
  for build in base after; do
    for s in $scenarios; do
      case "$s" in
        write) scenario "$build" write write --clients 10 --ops 5000 --batch 100 --inflight 1 ;;
        fanout) scenario "$build" fanout fanout --subscribers 50 --ops 1000 --batch 1 ;;
        connections) scenario "$build" connections connections --connections "$connections" --parallel 32 --hold 10 ;;
        *) echo "unknown scenario $s" >&2; exit 2 ;;
      esac
    done
  done
done
echo "uptime after: $(uptime)"
