# Shared helpers for the project's scripts: installing and starting what tests and servers need.
# Everything lands in ignored folders of the checkout (.tools/) or in /tmp; nothing is global
# except Debian packages.

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

apt_updated=0
apt_install() {
  if [ "$apt_updated" -eq 0 ]; then as_root apt-get update -qq >/dev/null; apt_updated=1; fi
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq "$@" >/dev/null
}

# msgpackr (the TS peers' encoder) for the codec cross-check tests, in .tools/node.
ensure_node_tools() {
  local dir="$root/.tools/node"
  if ! command -v node >/dev/null; then apt_install nodejs npm; fi
  if [ ! -f "$dir/node_modules/msgpackr/package.json" ]; then
    mkdir -p "$dir"
    (cd "$dir" && [ -f package.json ] || echo '{"private":true}' >package.json)
    (cd "$dir" && npm install --silent --no-audit --no-fund msgpackr@1.11.5 >/dev/null)
  fi
  export TOPGUN_NODE_MODULES="$dir/node_modules"
}

# A throwaway PostgreSQL cluster on its own port (fsync off: tests, never durability benchmarks).
# Exports TOPGUN_TEST_POSTGRES with a connection string for the integration suites.
pg_port="${TOPGUN_TEST_PG_PORT:-54329}"
pg_dir=""
ensure_postgres() {
  if [ -n "${TOPGUN_TEST_POSTGRES:-}" ]; then return; fi
  local bin
  bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
  if [ -z "$bin" ]; then
    apt_install postgresql
    bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
  fi
  pg_dir=$(mktemp -d /tmp/topgun-pg.XXXXXX)
  local run=()
  if [ "$(id -u)" -eq 0 ]; then chown postgres "$pg_dir"; run=(runuser -u postgres --); fi
  "${run[@]}" "$bin/initdb" -D "$pg_dir/data" -U postgres --auth=trust -E UTF8 >/dev/null
  "${run[@]}" "$bin/pg_ctl" -D "$pg_dir/data" -l "$pg_dir/log" -w \
    -o "-p $pg_port -k $pg_dir -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300" start >/dev/null
  export TOPGUN_TEST_POSTGRES="Host=127.0.0.1;Port=$pg_port;Username=postgres;Database=postgres;Pooling=true;Maximum Pool Size=50"
  export TOPGUN_TEST_PG_BIN="$bin"
}

stop_postgres() {
  if [ -n "$pg_dir" ] && [ -d "$pg_dir/data" ]; then
    local run=()
    if [ "$(id -u)" -eq 0 ]; then run=(runuser -u postgres --); fi
    "${run[@]}" "$TOPGUN_TEST_PG_BIN/pg_ctl" -D "$pg_dir/data" -m immediate stop >/dev/null 2>&1 || true
    rm -rf "$pg_dir"
  fi
}
