#!/usr/bin/env bash
# Render what an office forwards, for the README: the HTML page of the samples (the city and 祥符区) as headless
# Chromium shows it, and the workbook's printed pages as LibreOffice prints them (to PDF, then PNG), into
# docs/screens/. Needs: apt-get install -y chromium fonts-noto-cjk libreoffice-calc-nogui poppler-utils
set -euo pipefail
cd "$(dirname "$0")/.."
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
shots=docs/screens
mkdir -p "$shots"
rm -f "$shots"/*.png
for scope in city county; do
  args=(--samples --as-of 2021-12-31)
  [ "$scope" = county ] && args+=(--county 祥符区)
  .venv/bin/kuaidi report "${args[@]}" -o "$out/$scope.html" 2>/dev/null
  .venv/bin/kuaidi report "${args[@]}" -o "$out/$scope.xlsx" 2>/dev/null
  chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking \
    --disable-component-update --disable-sync --user-data-dir="$out/profile" --hide-scrollbars \
    --window-size=1100,1500 --screenshot="$shots/page-$scope.png" "file://$out/$scope.html" 2>/dev/null
  soffice --headless --convert-to pdf --outdir "$out" "$out/$scope.xlsx" >/dev/null 2>&1
  # each printed page carries its sheet's title in the page header: the first page of each sheet is rendered
  pages=$(pdfinfo "$out/$scope.pdf" | awk '/^Pages:/{print $2}')
  seen=""
  for page in $(seq 1 "$pages"); do
    heading=$(pdftotext -f "$page" -l "$page" "$out/$scope.pdf" - | sed -n 1p)
    case "$heading" in *目标完成情况*) name=targets ;; *统计表*) name=table ;; *报送情况*) name=submissions ;;
      *待整改村*) name=attention ;; *数据问题*) name=findings ;; *说明*) name=about ;; *) continue ;; esac
    if [ "$name" = table ]; then  # 分县区, then 分乡镇
      if [[ "$seen" == *" counties"* ]]; then name=townships; else name=counties; fi
    fi
    [[ "$seen" == *" $name"* ]] && continue
    seen="$seen $name"
    pdftoppm -png -r 80 -f "$page" -l "$page" -singlefile "$out/$scope.pdf" "$shots/workbook-$scope-$(printf %02d "$page")-$name"
  done
done
ls -1 "$shots"
