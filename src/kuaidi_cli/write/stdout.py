"""Whole outputs (JSON, CSV, a summary line) written to stdout, without rich (`kuaidi check --format json`
does not load the terminal's library)."""

from __future__ import annotations

import os
import sys


def quiet_stdout() -> None:
    """Point file descriptor 1 at the null device: what is left to print goes nowhere."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())


def emit(data: str | bytes) -> None:
    """Write a whole output (JSON, CSV…) to stdout. A reader that stopped reading (`kuaidi check --format json
    | head -1`) is no failure: the rest goes to /dev/null, and the command ends with its own exit code."""
    try:
        if isinstance(data, bytes):
            sys.stdout.buffer.write(data)
        else:
            sys.stdout.write(data)
        sys.stdout.flush()
    except BrokenPipeError:
        quiet_stdout()
