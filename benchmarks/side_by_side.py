#!/usr/bin/env python3
"""kuaidi side by side with an independent compiled-engine implementation of the same figures.

    .venv/bin/python benchmarks/side_by_side.py --data DIR [--size 500000] [--runs 3] [--xlsx]

Needs the `bench` extra (polars): `pip install -e '.[bench]'`. First it checks that the figures are
equal: `kuaidi report --format json` and benchmarks/engine_polars.py on the same pair (the CSV pair of
--size, the XLSX pair with --xlsx, and the samples' 2 137 villages) must agree on every field
benchmarks/figures.py compares (the inputs' row counts; the summary's, each county's and each township's
counts, rates, modes and outlets; the summary's and each county's targets: value, status, gap,
undecided). It stops (exit 1) on a difference. Then it times, in fresh processes and in alternated rounds
(A B A B …, `--runs` counted rounds after a warm-up round), with the ratio A/B taken round by round:

- the report on the CSV pair: kuaidi / the polars implementation;
- the report on the XLSX pair: kuaidi / python-calamine decoding the two workbooks alone;
- export (xlsx,csv,json,html): kuaidi / the polars implementation writing its tables in the four
  formats (`engine_polars.py --export`: XlsxWriter, CSV, JSON, HTML);
- the city-sized case (data/samples, national rules): kuaidi / the polars implementation;
- startup: `kuaidi --version` and `kuaidi check --help` (no pair).

It prints the median wall seconds of each, the median and range of the ratios, and each one's largest
peak RSS (the process and its children, as benchmarks/run.py measures it). Nothing here asserts a
time; not collected by pytest.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import figures  # noqa: E402 (benchmarks/ is not a package)
from run import FLOOR_XLSX, timed  # noqa: E402

KUAIDI = [sys.executable, "-m", "kuaidi_cli"]
ENGINE = [sys.executable, str(HERE / "engine_polars.py")]
RULES = HERE / "national-rules.yaml"
SAMPLES = HERE.parent / "data" / "samples"
AS_OF = "2022-12-31"


def report_cmd(v: Path, o: Path, out: Path) -> list[str]:
    return [*KUAIDI, "report", "--villages", str(v), "--outlets", str(o), "--rules", str(RULES),
            "--divisions", "none", "--format", "json", "--as-of", AS_OF, "-o", str(out)]


def engine_cmd(v: Path, o: Path, out: Path) -> list[str]:
    return [*ENGINE, str(v), str(o), "--rules", str(RULES), "--as-of", AS_OF, "-o", str(out)]


def same_figures(v: Path, o: Path, work: Path) -> None:
    """Run both once on the pair and stop on any difference of the compared figures."""
    k, p = work / "kuaidi.json", work / "polars.json"
    subprocess.run(report_cmd(v, o, k), check=True, capture_output=True)
    subprocess.run(engine_cmd(v, o, p), check=True, capture_output=True)
    diff = figures.differences(figures.of_kuaidi(k), figures.of_engine(p))
    if diff:
        print(f"figures differ on {v.name} + {o.name}:", *diff, sep="\n  ", file=sys.stderr)
        sys.exit(1)
    d = figures.of_kuaidi(k)
    print(f"same figures: {v.name} + {o.name} ({len(d['counties'])} counties, {len(d['townships'])} townships, "
          f"{d['summary']['villages']} villages)")


def pair(name: str, a: list[str], b: list[str] | None, runs: int) -> tuple[str, list[tuple[float, float]],
                                                                           list[tuple[float, float]]]:
    """A and B alternated: a warm-up round, then `runs` rounds; (wall, peak MiB) of each counted run."""
    ra: list[tuple[float, float]] = []
    rb: list[tuple[float, float]] = []
    for i in range(runs + 1):
        wa, ma, _ = timed(a)
        wb, mb, _ = timed(b) if b else (0.0, 0.0, 0)
        if i:
            ra.append((wa, ma))
            rb.append((wb, mb))
    return name, ra, rb


def row(name: str, ra: list[tuple[float, float]], rb: list[tuple[float, float]], b_label: str) -> str:
    a_med = statistics.median(w for w, _ in ra)
    a_rss = max(m for _, m in ra)
    if not b_label:
        return f"| {name} | {a_med:.2f} | | | {a_rss:.0f} | |"
    ratios = sorted(wa / wb for (wa, _), (wb, _) in zip(ra, rb, strict=True))
    b_med, b_rss = statistics.median(w for w, _ in rb), max(m for _, m in rb)
    return (f"| {name} | {a_med:.2f} | {b_label} {b_med:.2f} | {statistics.median(ratios):.2f} "
            f"({ratios[0]:.2f}–{ratios[-1]:.2f}) | {a_rss:.0f} | {b_rss:.0f} |")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, required=True, help="the folder of benchmarks/generate.py's registers")
    ap.add_argument("--size", type=int, default=500_000)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--xlsx", action="store_true", help="also the XLSX pair (generate.py --xlsx)")
    ap.add_argument("--only", help="comma-separated: csv,xlsx,export,city,startup (default: all)")
    ap.add_argument("--figures-only", action="store_true", help="compare the figures, time nothing")
    args = ap.parse_args()
    if not args.figures_only:
        # the figures are compared in a child process: a process started from this one counts this one's
        # memory at the fork in its peak (wait4's ru_maxrss), so this one stays small
        code = subprocess.run([sys.executable, __file__, *sys.argv[1:], "--figures-only"]).returncode
        if code:
            sys.exit(code)
    only = set((args.only or "csv,xlsx,export,city,startup").split(","))
    work = Path(tempfile.mkdtemp(prefix="kuaidi-side-"))
    v, o = args.data / f"villages-{args.size}.csv", args.data / f"outlets-{args.size}.csv"
    vx, ox = args.data / f"villages-{args.size}.xlsx", args.data / f"outlets-{args.size}.xlsx"
    sv, so = SAMPLES / "villages.csv", SAMPLES / "outlets.csv"
    if args.figures_only:
        if "csv" in only or "export" in only:
            same_figures(v, o, work)
        if args.xlsx and "xlsx" in only:
            same_figures(vx, ox, work)
        if "city" in only:
            same_figures(sv, so, work)
        return
    rows = []
    if "csv" in only:
        rows.append(row(*pair(f"report, CSV pair {args.size}", report_cmd(v, o, work / "k.json"),
                              engine_cmd(v, o, work / "p.json"), args.runs), "polars"))
    if args.xlsx and "xlsx" in only:
        rows.append(row(*pair(f"report, XLSX pair {args.size}", report_cmd(vx, ox, work / "k.json"),
                              [sys.executable, "-c", FLOOR_XLSX, str(vx), str(ox)], args.runs), "calamine decode"))
    if "export" in only:
        export = [*KUAIDI, "export", "--out", str(work / "export"), "--formats", "xlsx,csv,json,html", "--no-history",
                  "--quiet", "--villages", str(v), "--outlets", str(o), "--rules", str(RULES), "--divisions", "none",
                  "--as-of", AS_OF]
        rows.append(row(*pair(f"export xlsx,csv,json,html, CSV pair {args.size}", export,
                              [*engine_cmd(v, o, work / "p.json"), "--export", str(work / "p-export")], args.runs),
                        "polars + writers"))
    if "city" in only:
        rows.append(row(*pair("report, samples (2 137 villages)", report_cmd(sv, so, work / "k.json"),
                              engine_cmd(sv, so, work / "p.json"), args.runs), "polars"))
    if "startup" in only:
        rows.append(row(*pair("`kuaidi --version`", [*KUAIDI, "--version"], None, args.runs), ""))
        rows.append(row(*pair("`kuaidi check --help`", [*KUAIDI, "check", "--help"], None, args.runs), ""))
    print(f"\nmedians of {args.runs} alternated rounds (after a warm-up round); ratio per round, median (min–max)\n")
    print("| what | kuaidi s | other s | kuaidi / other | kuaidi peak MiB | other peak MiB |")
    print("|---|---|---|---|---|---|")
    print(*rows, sep="\n")


if __name__ == "__main__":
    main()
