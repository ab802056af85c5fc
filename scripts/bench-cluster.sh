#!/usr/bin/env bash
# Acked-write throughput of one TopGun node against three node processes on this machine, with the same
# load generator run (same total clients and ops) against both. Starts its own throwaway PostgreSQL
# (fsync on by default: acked means durable, as in production), builds Release, then:
#   1 node:  one server process, BENCH_RUNS measured `write` runs against it;
#   3 nodes: three server processes as docs/deploy.md describes (n1 seeds, all journal into one schema),
#            waits for /ready on each and 3 Up members in GET /admin/cluster, and the same runs with the
#            clients spread round-robin over the three.
# Every run writes a fresh map after one warm-up run per configuration (not counted). Prints each run,
# the servers' CPU time per acked op (all node processes together, from /proc/PID/stat), where the map's
# partitions landed, and `uptime` before and after each configuration. BENCH_NO_REPLICA=1 [default] adds
# a third configuration, three nodes with topgun.replication.backup-count = 0, to separate what the
# replica deltas cost from what forwarding to the owning node costs.
#
#   scripts/bench-cluster.sh
#   BENCH_RUNS=5 BENCH_CLIENTS=12 BENCH_OPS=20000 BENCH_BATCH=100 BENCH_INFLIGHT=4 BENCH_FSYNC=off scripts/bench-cluster.sh
#
# Ports (all on 127.0.0.1): PostgreSQL BENCH_PG_PORT [54361], client ports BENCH_PORT..+2 [18971],
# remoting BENCH_CLUSTER_PORT..+2 [47101]. Everything it starts is stopped on exit.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

runs="${BENCH_RUNS:-3}"
clients="${BENCH_CLIENTS:-12}"
ops="${BENCH_OPS:-20000}"
batch="${BENCH_BATCH:-100}"
inflight="${BENCH_INFLIGHT:-4}"
fsync="${BENCH_FSYNC:-on}"
no_replica="${BENCH_NO_REPLICA:-1}"
port="${BENCH_PORT:-18971}"
cluster_port="${BENCH_CLUSTER_PORT:-47101}"
secret="bench-secret-0123456789abcdef0123"
if [ "$fsync" != on ] && [ "$fsync" != off ]; then echo "BENCH_FSYNC must be on or off" >&2; exit 2; fi
if [ $((clients % 3)) -ne 0 ]; then echo "BENCH_CLIENTS must be a multiple of 3 so every node gets the same share" >&2; exit 2; fi

# Always a PostgreSQL of our own: a caller's test database (fsync off, other schemas) would skew the numbers.
unset TOPGUN_TEST_POSTGRES
export TOPGUN_TEST_PG_PORT="${BENCH_PG_PORT:-54361}"
# shellcheck source=scripts/lib.sh
source "$root/scripts/lib.sh"

work=$(mktemp -d /tmp/topgun-bench.XXXXXX)
pids=()
stop_nodes() {
  local pid
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do
    for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
  pids=()
}
cleanup() {
  stop_nodes
  stop_postgres
  rm -rf "$work"
}
trap cleanup EXIT

echo "== build (Release)"
dotnet build -c Release src/TopGun.Server -v q -nologo | tail -n 2
dotnet build -c Release src/TopGun.LoadGen -v q -nologo | tail -n 2
server_dll="$root/src/TopGun.Server/bin/Release/net10.0/TopGun.Server.dll"
lg=(dotnet "$root/src/TopGun.LoadGen/bin/Release/net10.0/TopGun.LoadGen.dll")

echo "== PostgreSQL on port $pg_port (fsync $fsync)"
ensure_postgres
# lib.sh starts it with fsync, synchronous_commit and full_page_writes off (right for tests); they are
# server-level settings, so a restart with the benchmark's values is the only way to change them.
pg_run=()
if [ "$(id -u)" -eq 0 ]; then pg_run=(runuser -u postgres --); fi
"${pg_run[@]}" "$TOPGUN_TEST_PG_BIN/pg_ctl" -D "$pg_dir/data" -l "$pg_dir/log" -w -m fast restart \
  -o "-p $pg_port -k $pg_dir -c listen_addresses=127.0.0.1 -c fsync=$fsync -c synchronous_commit=$fsync -c full_page_writes=$fsync -c max_connections=300" >/dev/null
pg_settings=$("$TOPGUN_TEST_PG_BIN/psql" -h 127.0.0.1 -p "$pg_port" -U postgres -At -c \
  "select string_agg(name || '=' || setting, ', ' order by name) from pg_settings where name in ('fsync','synchronous_commit','full_page_writes','server_version','shared_buffers','max_connections')")
echo "   $pg_settings"

# start_node ID INDEX SCHEMA [SEEDS [HOCON_FILE]]: one server process in the background, its pid appended to pids.
start_node() {
  local id=$1 index=$2 schema=$3 seeds=${4:-} hocon=${5:-}
  local env=(TOPGUN_STORAGE=postgres "TOPGUN_POSTGRES=$TOPGUN_TEST_POSTGRES" "TOPGUN_POSTGRES_SCHEMA=$schema"
    "TOPGUN_NODE_ID=$id" "TOPGUN_PORT=$((port + index))" "TOPGUN_CLUSTER_PORT=$((cluster_port + index))"
    "TOPGUN_DATA_DIR=$work/$schema/$id" "TOPGUN_JWT_SECRET=$secret")
  if [ -n "$seeds" ]; then env+=("TOPGUN_SEED_NODES=$seeds"); fi
  if [ -n "$hocon" ]; then env+=("TOPGUN_CONFIG=$hocon"); fi
  mkdir -p "$work/$schema/$id"
  env "${env[@]}" dotnet "$server_dll" >"$work/$schema-$id.log" 2>&1 &
  pids+=("$!")
}

wait_ready() {
  local index=$1 pid=$2 log=$3
  for _ in $(seq 1 240); do
    if curl -fsS "http://127.0.0.1:$((port + index))/ready" >/dev/null 2>&1; then return 0; fi
    if ! kill -0 "$pid" 2>/dev/null; then echo "node on port $((port + index)) exited; last log lines:" >&2; tail -n 20 "$log" >&2; exit 1; fi
    sleep 0.5
  done
  echo "node on port $((port + index)) not ready after 120 s; last log lines:" >&2; tail -n 20 "$log" >&2; exit 1
}

wait_members_up() {
  local want=$1 up=0
  for _ in $(seq 1 240); do
    up=$(curl -fsS "http://127.0.0.1:$port/admin/cluster" | jq '[.members[] | select(.status == "Up")] | length')
    if [ "$up" -eq "$want" ]; then return 0; fi
    sleep 0.5
  done
  echo "only $up of $want members Up after 120 s" >&2; exit 1
}

# placement NODES MAP: how many of the map's partitions each node owns (from its /admin/partitions).
placement() {
  local nodes=$1 map=$2 i out=()
  for i in $(seq 0 $((nodes - 1))); do
    out+=("n$((i + 1)):$(curl -fsS "http://127.0.0.1:$((port + i))/admin/partitions?map=$map" | jq '.owned | length')")
  done
  echo "${out[*]}"
}

# Server CPU (user + system) of every running node, in clock ticks.
cpu_ticks() {
  local pid total=0
  for pid in "${pids[@]}"; do total=$((total + $(awk '{print $14 + $15}' "/proc/$pid/stat"))); done
  echo "$total"
}
tick=$(getconf CLK_TCK)

summary=()
# measure LABEL NODES: warm-up run, then BENCH_RUNS measured runs against the first NODES client ports.
measure() {
  local label=$1 nodes=$2 urls="" i r map line
  for i in $(seq 0 $((nodes - 1))); do urls+="${urls:+,}ws://127.0.0.1:$((port + i))/"; done
  local common=(--url "$urls" --jwt-secret "$secret" --clients "$clients" --batch "$batch" --inflight "$inflight" --timeout 300)
  echo "   load before: $(uptime)"
  "${lg[@]}" write "${common[@]}" --ops 1000 --map "warmup-$nodes" | sed 's/^/   warm-up: /' || true
  for r in $(seq 1 "$runs"); do
    map="bench-$nodes-$r-$RANDOM"
    echo "-- $label, run $r"
    local before after cpu
    before=$(cpu_ticks)
    "${lg[@]}" write "${common[@]}" --ops "$ops" --map "$map" | tee "$work/run.txt" || echo "   (the load generator reported failed or lost ops)"
    after=$(cpu_ticks)
    cpu=$(awk -v t=$((after - before)) -v hz="$tick" -v n=$((clients * ops)) 'BEGIN { printf "%.1f", t / hz * 1e6 / n }')
    echo "   server CPU per op (all nodes): $cpu us; partitions owned: $(placement "$nodes" "$map")"
    line=$(grep -o 'acked [0-9]* ops in [0-9.]* s = [0-9]* acked ops/s' "$work/run.txt" | head -n 1)
    summary+=("$(printf '%-20s' "$label") run $r: $line, server CPU $cpu us/op   (load: $(cut -d' ' -f1-3 /proc/loadavg))")
  done
  echo "   load after: $(uptime)"
}

echo "== 1 node"
start_node n1 0 bench_1node
wait_ready 0 "${pids[0]}" "$work/bench_1node-n1.log"
measure "1 node" 1
stop_nodes

echo "== 3 nodes"
# Two seeds on every node, as docs/deploy.md says (a lone seed would form its own cluster after a restart).
seeds="127.0.0.1:$cluster_port,127.0.0.1:$((cluster_port + 1))"
for i in 0 1 2; do start_node "n$((i + 1))" "$i" bench_3nodes "$seeds"; done
for i in 0 1 2; do wait_ready "$i" "${pids[$i]}" "$work/bench_3nodes-n$((i + 1)).log"; done
wait_members_up 3
measure "3 nodes" 3
stop_nodes

if [ "$no_replica" = 1 ]; then
  echo "== 3 nodes, backup-count 0"
  echo 'topgun.replication.backup-count = 0' >"$work/no-replica.conf"
  for i in 0 1 2; do start_node "n$((i + 1))" "$i" bench_3nodes_norep "$seeds" "$work/no-replica.conf"; done
  for i in 0 1 2; do wait_ready "$i" "${pids[$i]}" "$work/bench_3nodes_norep-n$((i + 1)).log"; done
  wait_members_up 3
  measure "3 nodes, no replica" 3
  stop_nodes
fi

echo "== summary: $clients clients x $ops ops ($((clients * ops)) ops per run), batches of $batch, $inflight in flight, PostgreSQL fsync $fsync"
printf '%s\n' "${summary[@]}"
echo "$(nproc) cores; $(uptime)"
