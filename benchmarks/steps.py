#!/usr/bin/env python3
"""Where a kuaidi command's time goes, step by step, without a profiler's overhead.

    .venv/bin/python benchmarks/steps.py report --villages V --outlets O --rules R --divisions none \
        --as-of 2022-12-31 --format json -o /tmp/out.json

Runs the command in this process (the same as `kuaidi ...`) with a timer around each named step below
(wall seconds, summed over its calls; the steps nest: validate holds distincts and code_prefixes), and
prints them with the imports and the whole. The outlet register is read in a second thread while the
villages are checked, so its read overlaps other steps; a large workbook pair's village register is
read and checked in a second process (checked_elsewhere: the wait for it, its steps not timed). Nothing here asserts a time.
"""

from __future__ import annotations

import functools
import importlib
import sys
import time
from collections import defaultdict
from typing import Any

T0 = time.perf_counter()

STEPS = [  # (module, function): the steps timed, in the order printed
    ("kuaidi_cli.read.csvfile", "read_csv"),
    ("kuaidi_cli.read.workbook", "read_workbook"),
    ("kuaidi_cli.commands.second_process", "checked_elsewhere"),
    ("kuaidi_cli.check.validate", "validate"),
    ("kuaidi_cli.check.rows", "distincts"),
    ("kuaidi_cli.check.rows", "skip_masks"),
    ("kuaidi_cli.check.prefixes", "code_prefixes"),
    ("kuaidi_cli.check.official", "check_villages"),
    ("kuaidi_cli.measure.coverage", "compute"),
    ("kuaidi_cli.report.build", "build"),
    ("kuaidi_cli.report.submissions", "submissions"),
    ("kuaidi_cli.write.formats", "render"),
]
spent: dict[str, float] = defaultdict(float)
calls: dict[str, int] = defaultdict(int)


def timed(name: str, fn: Any) -> Any:
    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        t = time.perf_counter()
        try:
            return fn(*args, **kwargs)
        finally:
            spent[name] += time.perf_counter() - t
            calls[name] += 1
    return wrapper


def main() -> None:
    from kuaidi_cli.cli import main as cli_main

    originals = {}
    for mod, fn in STEPS:
        originals[f"{mod}.{fn}"] = getattr(importlib.import_module(mod), fn)
    t_imports = time.perf_counter() - T0
    for name, fn in originals.items():
        wrapped = timed(name, fn)
        for module in list(sys.modules.values()):  # every module that imported the function by name
            if getattr(module, "__name__", "").startswith("kuaidi_cli") and getattr(module, fn.__name__, None) is fn:
                setattr(module, fn.__name__, wrapped)
    sys.argv = ["kuaidi", *sys.argv[1:]]
    code = 0
    try:
        cli_main()
    except SystemExit as e:
        code = e.code if isinstance(e.code, int) else 0
    total = time.perf_counter() - T0
    out = sys.stderr
    print(f"\nwhole process (in Python) {total:6.2f} s; imports (kuaidi_cli and its dependencies) {t_imports:.2f} s",
          file=out)
    for name in originals:
        if calls[name]:
            print(f"  {name:42s} {spent[name]:6.2f} s  ({calls[name]} call{'s' if calls[name] > 1 else ''})", file=out)
    sys.exit(code)


if __name__ == "__main__":
    main()
