#!/usr/bin/env bash
# Mutation testing of TopGun.Core with Stryker.NET 5.1.0. NOT part of the default test run
# (scripts/test.sh): it rebuilds and reruns the Core tests once per group of mutants and takes
# tens of minutes on 2 cores. Results and the judgement of surviving mutants: docs/mutation-core.md.
#
#   scripts/mutation.sh                      # Crdt, Clock, Merkle (tests/TopGun.Core.Tests/stryker-config.json)
#   scripts/mutation.sh Protocol Queries     # other folders of src/TopGun.Core instead
#   scripts/mutation.sh --server             # src/TopGun.Server/Security with its unit and access-control tests
#                                            # (tests/TopGun.Server.Tests/stryker-config.json; ~30 min on 2 cores)
#
# Reports land in artifacts/mutation/<timestamp>/reports (mutation-report.html, .json).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
tools="${TOPGUN_STRYKER_TOOLS:-$root/.tools/stryker}"
if [ ! -x "$tools/dotnet-stryker" ]; then
  dotnet tool install --tool-path "$tools" dotnet-stryker --version 5.1.0 >/dev/null
fi
project=TopGun.Core.Tests
if [ "${1:-}" = "--server" ]; then project=TopGun.Server.Tests; shift; fi
mutate=()
for folder in "$@"; do mutate+=(--mutate "**/$folder/*.cs"); done
out="$root/artifacts/mutation/$(date +%Y%m%d-%H%M%S)"
cd "$root/tests/$project"
# The msgpackr cross-check tests are excluded by the config (they need Node and only reach Protocol).
"$tools/dotnet-stryker" --config-file stryker-config.json --skip-version-check --output "$out" "${mutate[@]}"
echo "reports: $out/reports"
