#!/usr/bin/env python3
"""Coverage-guided fuzzing of the loader and validation with atheris (libFuzzer for Python).

    .venv/bin/pip install atheris
    .venv/bin/python fuzz/fuzz_loader.py -max_total_time=600 -rss_limit_mb=2048 WORK_DIR tests/fixtures tests/hostile

Each input becomes a file (named .csv or .xlsx by its first byte) that kuaidi loads and validates as a
village register. Any exception other than kuaidi's own InputError is a crash: libFuzzer saves the
input as crash-<hash>; copy it to tests/hostile/ so the corpus test keeps it fixed. The seeds are the
test fixtures and the hostile corpus themselves (fuzz/run.sh passes them), so there is no copy to keep.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

import atheris

with atheris.instrument_imports(include=["kuaidi_cli"]):
    from kuaidi_cli.check import validate
    from kuaidi_cli.core.errors import KuaidiError
    from kuaidi_cli.core.fields import Kind
    from kuaidi_cli.core.rules import load_rules
    from kuaidi_cli.read import Limits, load

RULES = load_rules()[0]
LIMITS = Limits(max_file_bytes=2 << 20, max_unzipped_bytes=64 << 20, max_columns=1000, max_findings=10_000)
WORK = Path(tempfile.mkdtemp(prefix="kuaidi-fuzz-"))


def one_input(data: bytes) -> None:
    suffix = ".xlsx" if data[:1] in (b"P", b"\xd0") else ".csv"
    path = WORK / f"input{suffix}"
    path.write_bytes(data)
    try:
        table = load(path, Kind.VILLAGES, limits=LIMITS)
        register = validate([table], RULES, max_findings=LIMITS.max_findings)
    except KuaidiError:
        return  # a clear one-line refusal is the right answer to a hostile file
    c = register.files[0].counts
    if c.rows != c.valid + c.invalid + c.skipped:
        raise AssertionError(f"rows {c.rows} != {c.valid} + {c.invalid} + {c.skipped}")


def main() -> None:
    os.environ.setdefault("PYTHONHASHSEED", "0")
    atheris.Setup(sys.argv, one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
