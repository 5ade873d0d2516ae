#!/usr/bin/env bash
# Render the HTML report of the samples to docs/report-2021-12-31.png (the picture in the README).
# Needs Debian's chromium and fonts-noto-cjk: apt-get install -y chromium fonts-noto-cjk
set -euo pipefail
cd "$(dirname "$0")/.."
out=$(mktemp -d)
.venv/bin/kuaidi export --out "$out" --as-of 2021-12-31 --formats html --no-history --quiet
chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking \
  --disable-component-update --disable-sync --user-data-dir="$out/profile" --hide-scrollbars \
  --window-size=1000,1320 --screenshot=docs/report-2021-12-31.png "file://$out/kuaidi-report-2021-12-31.html"
rm -rf "$out"
