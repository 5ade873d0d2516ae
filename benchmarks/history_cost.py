#!/usr/bin/env python3
"""What keeping every village's state costs an export: the history's growth and the time, at a size.

    .venv/bin/python benchmarks/history_cost.py VILLAGES.csv OUTLETS.csv [--rules R] [--runs 3]

Runs `kuaidi export --formats json` in fresh processes, alternating a run that records the history
(with the villages' states) and one with --no-history, and prints the medians, their difference, and
how many bytes one recorded export adds to the history. Nothing here asserts a time.
"""

from __future__ import annotations

import argparse
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

KUAIDI = [sys.executable, "-m", "kuaidi_cli"]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("villages", type=Path)
    ap.add_argument("outlets", type=Path)
    ap.add_argument("--rules", type=Path, default=Path(__file__).resolve().parent / "national-rules.yaml")
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as d:
        work = Path(d)
        base = [*KUAIDI, "export", "--villages", str(args.villages), "--outlets", str(args.outlets), "--rules",
                str(args.rules), "--formats", "json", "--quiet", "--out", str(work / "out")]
        times: dict[str, list[float]] = {"history": [], "no-history": []}
        growth, states = [], []
        for n in range(args.runs):
            history = work / f"h{n}.sqlite"
            for kind in ("history", "no-history"):
                extra = ["--history", str(history)] if kind == "history" else ["--no-history"]
                start = time.perf_counter()
                subprocess.run([*base, "--as-of", f"2021-12-{10 + n:02d}", *extra], check=False,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                times[kind].append(time.perf_counter() - start)
            growth.append(history.stat().st_size + sum(p.stat().st_size for p in work.glob(f"h{n}.sqlite-*")))
            with sqlite3.connect(history) as conn:
                states.append(conn.execute("SELECT SUM(length(data)) FROM village_states").fetchone()[0] or 0)
        with_h, without = statistics.median(times["history"]), statistics.median(times["no-history"])
        print(f"export with the history: {with_h:.2f} s; without: {without:.2f} s; difference {with_h - without:+.2f} s")
        print(f"one recorded export: {statistics.median(growth) / 2**20:.1f} MiB of history (every metric of every "
              f"scope, and the states); the villages' states alone: {statistics.median(states) / 2**20:.1f} MiB")


if __name__ == "__main__":
    main()
