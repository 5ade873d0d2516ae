"""The terminal every command prints to."""

from __future__ import annotations

import os
import sys

from rich.console import Console


class _Console(Console):
    def on_broken_pipe(self) -> None:
        """The reader stopped reading (`kuaidi report | head`): nothing more to print, and no failure —
        the rest goes to /dev/null and the command ends as it would have (rich's default exits 1)."""
        self.quiet = True
        _quiet_stdout()


def _quiet_stdout() -> None:
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
        _quiet_stdout()


def console() -> Console:
    """A terminal's own width; redirected to a file or a pipe, a wide one (COLUMNS, else 200): a table
    written to a file never wraps at 80 columns ("祥符\\n区")."""
    wide = None if sys.stdout.isatty() else int(os.environ.get("COLUMNS", "200") or 200)
    return _Console(width=wide)
