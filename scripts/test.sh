#!/usr/bin/env bash
# Runs every test suite on a fresh machine: installs what the tests need (Node packages for the
# msgpackr cross-check, PostgreSQL for the integration suites), starts a throwaway PostgreSQL,
# runs `dotnet test` over the solution, and prints one closing line `N passed, N failed` computed
# from the TRX results. Exits non-zero on any failure.
#
#   scripts/test.sh                 # everything
#   scripts/test.sh --filter X      # extra args go to `dotnet test`
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
# shellcheck source=scripts/lib.sh
source "$root/scripts/lib.sh"

ensure_node_tools
ensure_postgres
trap stop_postgres EXIT

results="$root/TestResults"
rm -rf "$results"
mkdir -p "$results"

set +e
dotnet test TopGun.Akka.sln -c Release --logger "trx" --results-directory "$results" "$@" 2>&1 | tee "$results/dotnet-test.log"
status=${PIPESTATUS[0]}
set -e

summary=$(python3 - "$results" <<'PY'
import sys, glob, xml.etree.ElementTree as ET
ns = {'t': 'http://microsoft.com/schemas/VisualStudio/TeamTest/2010'}
passed = failed = skipped = 0
for f in glob.glob(sys.argv[1] + '/**/*.trx', recursive=True):
    for r in ET.parse(f).getroot().iterfind('.//t:UnitTestResult', ns):
        o = r.get('outcome')
        if o == 'Passed': passed += 1
        elif o == 'NotExecuted': skipped += 1
        else: failed += 1
print(passed, failed, skipped)
PY
)
read -r passed failed skipped <<<"$summary"
trx_count=$(find "$results" -name '*.trx' | wc -l)
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then
  # The build failed or a test host crashed before writing its results: count that as a failure.
  echo "dotnet test exited with $status (build error or crashed test host; $trx_count TRX files)" >&2
  failed=$((failed + 1))
fi
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ] && [ "$skipped" -eq 0 ] && [ "$passed" -gt 0 ]
