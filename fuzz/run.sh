#!/usr/bin/env bash
# Fuzz the loader for SECONDS (default 600) of wall time in all, restarting after each crash (libFuzzer
# stops at the first one; the working corpus carries over). Crash inputs land in $ART.
set -u
cd "$(dirname "$0")/.."
SECONDS_TOTAL=${1:-600}
WORK=${WORK:-/tmp/kuaidi-fuzz/corpus}
ART=${ART:-/tmp/kuaidi-fuzz/crashes/}
mkdir -p "$WORK" "$ART"
end=$(( $(date +%s) + SECONDS_TOTAL ))
runs=0
while [ "$(date +%s)" -lt "$end" ]; do
  left=$(( end - $(date +%s) ))
  .venv/bin/python fuzz/fuzz_loader.py -max_total_time="$left" -rss_limit_mb=2048 -timeout=30 \
    -artifact_prefix="$ART" -print_final_stats=1 "$WORK" tests/fixtures tests/hostile 2>&1 \
    | grep -E "stat::number_of_executed_units|Uncaught|^[A-Za-z]*(Error|Exception)|Test unit written"
  runs=$((runs + 1))
done
echo "fuzz runs: $runs; crashes: $(ls "$ART" | wc -l) in $ART"
