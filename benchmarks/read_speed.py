#!/usr/bin/env python3
"""Read time of a large xlsx register: python-calamine (what kuaidi uses) against openpyxl.

    .venv/bin/python benchmarks/read_speed.py [ROWS]      # default 50 000 rows

Writes a register of ROWS villages (the sample's rows repeated with new codes) to a temporary xlsx,
then times, in fresh processes, the median of 3 runs of:
- calamine: python-calamine `to_python()` of the sheet
- kuaidi load: `kuaidi_cli.read.load` (calamine + header detection + cells as text)
- openpyxl: `load_workbook(read_only=True)` and every row's values
- pandas+openpyxl: `pandas.read_excel(engine="openpyxl")`
Not a test: it asserts nothing and is not collected by pytest.
"""

from __future__ import annotations

import csv
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

READERS = {
    "calamine": "import python_calamine as pc; wb = pc.CalamineWorkbook.from_path(P); "
                "rows = wb.get_sheet_by_index(0).to_python()",
    "kuaidi load": "from kuaidi_cli.read import load; from kuaidi_cli.core.fields import Kind; "
                   "from pathlib import Path; t = load(Path(P), Kind.VILLAGES)",
    "openpyxl": "import openpyxl; wb = openpyxl.load_workbook(P, read_only=True); "
                "rows = [r for r in wb.active.iter_rows(values_only=True)]",
    "pandas+openpyxl": "import pandas as pd; df = pd.read_excel(P, engine='openpyxl', dtype=str)",
}


def make(path: Path, n: int) -> None:
    from openpyxl import Workbook

    with (ROOT / "data" / "samples" / "villages.csv").open(encoding="utf-8-sig") as fh:
        rows = list(csv.reader(fh))
    header, body = rows[0], rows[1:]
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("台账")
    ws.append(header)
    for i in range(n):
        r = list(body[i % len(body)])
        r[3] = f"{410000000000 + i:012d}"
        r[4], r[5] = int(r[4]), float(r[5])
        ws.append(r)
    wb.save(path)


def time_reader(code: str, path: Path) -> float:
    script = f"import time; P = {str(path)!r}; t0 = time.perf_counter(); {code}; print(time.perf_counter() - t0)"
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    return float(out.stdout.strip())


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 50_000
    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / "villages.xlsx"
        t = time.perf_counter()
        make(path, n)
        print(f"{n} rows, {path.stat().st_size / 2**20:.1f} MiB xlsx (written in {time.perf_counter() - t:.1f} s)")
        results = {}
        for name, code in READERS.items():
            runs = [time_reader(code, path) for _ in range(3)]
            results[name] = statistics.median(runs)
            print(f"{name:16s} median {results[name]:6.2f} s   runs {', '.join(f'{r:.2f}' for r in runs)}")
        print(f"openpyxl / calamine: {results['openpyxl'] / results['calamine']:.1f}x")


if __name__ == "__main__":
    main()
