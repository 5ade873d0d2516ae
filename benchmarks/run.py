#!/usr/bin/env python3
"""The scale benchmark: `kuaidi check`, `kuaidi report --format json` and `kuaidi export` (xlsx, json, csv)
on generated registers.

    .venv/bin/python benchmarks/run.py [--sizes 2129,50000,500000] [--runs 3] [--xlsx] [--data DIR]

For each size (and format: CSV UTF-8, CSV GBK, and XLSX with --xlsx) it generates the registers once
(benchmarks/generate.py, seeded), then runs each command in fresh processes, in rounds (one run of each
command and of each floor per round), and prints the median wall time, the peak RSS (of kuaidi and the
second process it may start, together), rows per second, and the floor — the time to read the same
files with pandas.read_csv(dtype=str) or python-calamine alone — with the ratio to it. Not collected by
pytest; nothing here asserts a time.
"""

from __future__ import annotations

import argparse
import itertools
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
KUAIDI = [sys.executable, "-m", "kuaidi_cli"]
RULES = HERE / "national-rules.yaml"

FLOOR_CSV = ("import pandas as pd, sys\n"
             "for p in sys.argv[1:]: pd.read_csv(p, dtype=str, keep_default_na=False, encoding=('gbk' if 'gbk' in p else 'utf-8-sig'))")
FLOOR_XLSX = ("import python_calamine as pc, sys\n"
              "for p in sys.argv[1:]: pc.CalamineWorkbook.from_path(p).get_sheet_by_index(0).to_python()")


def _tree_rss(pid: int) -> int:
    """Resident bytes of a process and all its descendants now (Linux /proc; 0 elsewhere or when gone)."""
    total, todo = 0, [pid]
    while todo:
        p = todo.pop()
        try:
            with open(f"/proc/{p}/statm") as f:
                total += int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
            for task in os.listdir(f"/proc/{p}/task"):
                with open(f"/proc/{p}/task/{task}/children") as f:
                    todo += [int(c) for c in f.read().split()]
        except (OSError, ValueError):
            continue
    return total


def timed(cmd: list[str]) -> tuple[float, float, int]:
    """Wall seconds, peak RSS (MiB) and exit code of one fresh process.

    The peak is of the process and its descendants together (a large report checks one register in a
    second process): their summed RSS sampled every 20 ms, or the process's own peak from wait4 when
    that is larger (a peak between two samples) or /proc is not there."""
    t = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    peak = 0
    while True:
        pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            break
        peak = max(peak, _tree_rss(proc.pid))
        time.sleep(0.02)
    wall = time.perf_counter() - t
    return wall, max(peak / 2**20, usage.ru_maxrss / 1024), os.waitstatus_to_exitcode(status)


def median_of(cmd: list[str], runs: int) -> tuple[float, float, int]:
    return medians({"": cmd}, runs)[""]


def medians(cmds: dict[str, list[str]], runs: int) -> dict[str, tuple[float, float, int]]:
    """Each command run `runs` times in rounds (one run of each per round, the floors among them), so
    that the machine's drift during a benchmark touches a command and its floor alike: per command the
    median wall time, the largest peak RSS and the last exit code."""
    results: dict[str, list[tuple[float, float, int]]] = {k: [] for k in cmds}
    for _ in range(runs):
        for k, cmd in cmds.items():
            results[k].append(timed(cmd))
    return {k: (statistics.median(r[0] for r in rs), max(r[1] for r in rs), rs[-1][2]) for k, rs in results.items()}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="2129,50000,500000")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--xlsx", action="store_true", help="also benchmark XLSX registers (slow to generate)")
    ap.add_argument("--data", type=Path, help="where to keep the generated registers (default: a temporary folder)")
    args = ap.parse_args()
    data = args.data or Path(tempfile.mkdtemp(prefix="kuaidi-bench-"))
    data.mkdir(parents=True, exist_ok=True)
    rows = []
    for size in [int(x) for x in args.sizes.split(",")]:
        villages, outlets = data / f"villages-{size}.csv", data / f"outlets-{size}.csv"
        wanted = [villages, outlets, data / f"villages-{size}-gbk.csv"]
        if args.xlsx:
            wanted += [data / f"villages-{size}.xlsx", data / f"outlets-{size}.xlsx"]
        if not all(p.exists() for p in wanted):
            extra = ["--gbk"] + (["--xlsx"] if args.xlsx else [])
            subprocess.run([sys.executable, str(HERE / "generate.py"), str(data), "--villages", str(size), *extra],
                           check=True, capture_output=True)
        variants = [("csv", villages, outlets), ("csv-gbk", data / f"villages-{size}-gbk.csv", outlets)]
        if args.xlsx:
            variants.append(("xlsx", data / f"villages-{size}.xlsx", data / f"outlets-{size}.xlsx"))
        n_rows = sum(1 for _ in villages.open(encoding="utf-8-sig")) - 1
        for fmt, v, o in variants:
            floor_code = FLOOR_XLSX if fmt == "xlsx" else FLOOR_CSV
            m = medians({
                "floor": [sys.executable, "-c", floor_code, str(v), str(o)],
                "floor_v": [sys.executable, "-c", floor_code, str(v)],
                "check": [*KUAIDI, "check", str(v), "--rules", str(RULES), "--format", "json", "--divisions", "none"],
                "report": [*KUAIDI, "report", "--villages", str(v), "--outlets", str(o), "--rules", str(RULES),
                           "--divisions", "none", "--format", "json", "--as-of", "2022-12-31",
                           "-o", str(data / "report.json")],
                "export": [*KUAIDI, "export", "--out", str(data / "export"), "--formats", "xlsx,json,csv",
                           "--no-history", "--quiet", "--villages", str(v), "--outlets", str(o), "--rules", str(RULES),
                           "--divisions", "none", "--as-of", "2022-12-31"],
            }, args.runs)
            (floor, _, _), (floor_v, _, _) = m["floor"], m["floor_v"]
            (check, check_rss, _), (report, report_rss, code), (export, export_rss, _) = m["check"], m["report"], m["export"]
            past_read = max(check - floor_v, 1e-9)
            rows.append((size, fmt, "check", check, check_rss, n_rows / check, n_rows / past_read, floor_v, check / floor_v))
            rows.append((size, fmt, "report", report, report_rss, n_rows / report, None, floor, report / floor))
            rows.append((size, fmt, "export", export, export_rss, n_rows / export, None, floor, export / floor))
            if code != 0:
                print(f"warning: report exited {code} on {v}", file=sys.stderr)
    help_wall, _, _ = median_of([*KUAIDI, "--help"], args.runs)
    print(f"{'size':>7} {'format':8} {'command':7} {'median s':>9} {'peak MiB':>9} {'rows/s':>9} "
          f"{'rows/s past read':>17} {'floor s':>8} {'× floor':>8}")
    for size, fmt, cmd, wall, rss, rate, past, floor, ratio in rows:
        past_text = f"{past:17.0f}" if past is not None else f"{'':17}"
        print(f"{size:>7} {fmt:8} {cmd:7} {wall:9.2f} {rss:9.0f} {rate:9.0f} {past_text} {floor:8.2f} {ratio:8.2f}")
    by = {(size, fmt, cmd): wall for size, fmt, cmd, wall, *_ in rows}
    sizes = sorted({r[0] for r in rows})
    for small, big in itertools.pairwise(sizes):
        for fmt in dict.fromkeys(r[1] for r in rows):
            if (small, fmt, "report") in by and (big, fmt, "report") in by:
                print(f"report {fmt}: {big} / {small} villages took {by[(big, fmt, 'report')] / by[(small, fmt, 'report')]:.1f}× "
                      f"(size × {big / small:.0f})")
    print(f"kuaidi --help: {help_wall:.2f} s (median of {args.runs})")
    print(f"data: {data}")


if __name__ == "__main__":
    main()
