"""A register loaded and checked in a second process, on the second core, for a province's or the
country's workbooks."""

from __future__ import annotations

import contextlib
from pathlib import Path

from kuaidi_cli.check import Register
from kuaidi_cli.commands.check import load_register, without_cells
from kuaidi_cli.core.errors import InputError
from kuaidi_cli.core.fields import Kind
from kuaidi_cli.core.gazetteer import Gazetteer
from kuaidi_cli.core.rules import Rules
from kuaidi_cli.core.threads import in_thread
from kuaidi_cli.read.table import Limits

# Both registers together at least this large on disk (a province): the village register is loaded
# and checked in a second process while this one does the outlet register. Below it a second process
# costs more than it saves (starting one imports kuaidi again: ~1 s of one core).
SECOND_PROCESS_BYTES = 24 << 20


WORKER = ["-m", "kuaidi_cli.commands.worker"]  # what the second process runs, after the interpreter


def checked_elsewhere(paths: list[Path], kind: Kind, rules: Rules, limits: Limits | None,
                      gazetteer: Gazetteer | None, keep_seen: bool, sheet: str | None = None,
                      encoding: str | None = None) -> Register:
    """What the second process does (kuaidi_cli.commands.worker): load and check (every register sheet of a
    workbook, as in one process), then drop what the caller does not need (the raw cells, and the rows seen
    unless asked) so that little is sent back."""
    register = without_cells(load_register(paths, kind, rules, sheet=sheet, encoding=encoding, limits=limits,
                                           gazetteer=gazetteer))
    if not keep_seen:
        register.seen = register.seen.iloc[:0]  # (its columns kept)
        register.counted_at = None
    return register


def _worker_env() -> dict[str, str]:
    """The environment of the second process: this one's, with PYTHONPATH set to this process's import
    path, so that the child imports the very kuaidi (and libraries) this process runs — an editable
    checkout, a wheel, or a test's source tree alike. What must stay true: the job and its result cross
    the pipe pickled, so both sides must be the same code (a Register pickled by one version is not read
    by another). tests/test_second_process.py runs a report both ways and compares them."""
    import os
    import sys

    return {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in sys.path if p)}


class SecondProcess:
    """Loads and checks a register in a second process; `result()` waits and gives the Register without
    its raw cells (or raises what the second process raised); `close()` ends it if it still runs.

    The checks are Python and numpy holding the GIL, so a second thread cannot run them beside the
    first; a second process runs on the second core. It is a fresh interpreter running
    `python -m kuaidi_cli.commands.worker` (not a fork of a process whose libraries may hold threads, and not
    multiprocessing, which imports the caller's main module again); the job and the result go through
    its stdin and stdout, pickled."""

    def __init__(self, paths: list[Path], kind: Kind, rules: Rules, *, limits: Limits | None = None,
                 gazetteer: Gazetteer | None = None, keep_seen: bool = True, sheet: str | None = None,
                 encoding: str | None = None) -> None:
        import pickle
        import subprocess
        import sys

        job = pickle.dumps((paths, kind, rules, limits, gazetteer, keep_seen, sheet, encoding),
                           protocol=pickle.HIGHEST_PROTOCOL)
        env = _worker_env()
        self.names = "、".join(str(p) for p in paths)
        self.proc = subprocess.Popen([sys.executable, *WORKER], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     env=env)
        assert self.proc.stdin is not None and self.proc.stdout is not None  # (PIPE)
        self._stdin, self._stdout = self.proc.stdin, self.proc.stdout

        def feed() -> None:  # written while the second process starts (its imports take a second)
            try:
                self._stdin.write(job)
                self._stdin.close()
            except (OSError, ValueError):  # it died (result() says so), or close() came first
                pass

        in_thread("feed", feed)

    def result(self) -> Register:
        import pickle

        try:
            data = self._stdout.read()
            code = self.proc.wait()
        finally:
            self.close()
        try:
            status, value = pickle.loads(data)
        except Exception:  # nothing (or half) came back: it died
            raise InputError(
                f"检查 {self.names} 的进程意外退出（退出码 {code}）；内存不足时请关闭其他程序后重试",
                f"the process checking {self.names} stopped unexpectedly (exit code {code}); "
                "if memory is short, close other programs and try again",
            ) from None
        if status == "error":
            raise value
        register: Register = value
        return register

    def close(self) -> None:
        """End the second process if it still runs (the caller gave up on it) and close its pipes."""
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        for pipe in (self._stdin, self._stdout):
            with contextlib.suppress(OSError, ValueError):
                pipe.close()
