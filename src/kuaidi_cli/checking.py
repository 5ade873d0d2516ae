"""`check`: load and validate registers, as a library call the CLI only renders."""

from __future__ import annotations

import contextlib
import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from kuaidi_cli.errors import InputError
from kuaidi_cli.fields import AliasTable, Kind
from kuaidi_cli.findings import Finding, Severity
from kuaidi_cli.gazetteer import Gazetteer
from kuaidi_cli.loading import Limits, RawTable, in_thread, load
from kuaidi_cli.rules import Rules
from kuaidi_cli.validation import FileResult, Register, validate, with_outlet_register


@dataclass
class CheckResult:
    registers: list[Register]
    cross: list[Finding] = field(default_factory=list)  # the two registers compared with each other

    @property
    def files(self) -> list[FileResult]:
        return [f for r in self.registers for f in r.files]

    @property
    def findings(self) -> list[Finding]:
        return [f for r in self.registers for f in r.findings] + self.cross

    @property
    def errors(self) -> int:
        return sum(f.severity is Severity.ERROR for f in self.findings)

    @property
    def warnings(self) -> int:
        return sum(f.severity is Severity.WARNING for f in self.findings)

    @property
    def exit_code(self) -> int:
        return 1 if self.errors else 0


def load_in_background(paths: list[Path], kind: Kind, rules: Rules, *, limits: Limits | None = None):
    """Start reading register files in a second thread; the returned function waits and gives the
    tables (or raises what reading raised). calamine's parse and pyarrow's CSV reader release the GIL,
    so on two cores the second register is read while the first is checked."""
    aliases = AliasTable.build(kind, rules.header_aliases)
    return in_thread(f"load-{kind.value}", lambda: [load(p, kind, aliases, limits=limits) for p in paths])


def without_cells(register: Register) -> Register:
    """The register without its raw cells: a report needs the valid rows, the counts and the findings,
    and a national register's cells are hundreds of megabytes."""
    for f in register.files:
        f.table.cells = f.table.cells.iloc[:0]
    return register


# Both registers together at least this large on disk (a province): the village register is loaded
# and checked in a second process while this one does the outlet register. Below it a second process
# costs more than it saves (starting one imports kuaidi again: ~1 s of one core).
SECOND_PROCESS_BYTES = 24 << 20
WORKER = ["-m", "kuaidi_cli.worker"]  # what the second process runs, after the interpreter


def checked_elsewhere(paths: list[Path], kind: Kind, rules: Rules, limits: Limits | None,
                      gazetteer: Gazetteer | None, keep_seen: bool) -> Register:
    """What the second process does (kuaidi_cli.worker): load and check, then drop what the caller does
    not need (the raw cells, and the rows seen unless asked) so that little is sent back."""
    register = without_cells(load_register(paths, kind, rules, limits=limits, gazetteer=gazetteer))
    if not keep_seen:
        register.seen = None
    return register


class SecondProcess:
    """Loads and checks a register in a second process; `result()` waits and gives the Register without
    its raw cells (or raises what the second process raised); `close()` ends it if it still runs.

    The checks are Python and numpy holding the GIL, so a second thread cannot run them beside the
    first; a second process runs on the second core. It is a fresh interpreter running
    `python -m kuaidi_cli.worker` (not a fork of a process whose libraries may hold threads, and not
    multiprocessing, which imports the caller's main module again); the job and the result go through
    its stdin and stdout, pickled."""

    def __init__(self, paths: list[Path], kind: Kind, rules: Rules, *, limits: Limits | None = None,
                 gazetteer: Gazetteer | None = None, keep_seen: bool = True) -> None:
        import os
        import pickle
        import subprocess
        import sys

        job = pickle.dumps((paths, kind, rules, limits, gazetteer, keep_seen), protocol=pickle.HIGHEST_PROTOCOL)
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in sys.path if p)}  # kuaidi as found here
        self.names = "、".join(str(p) for p in paths)
        self.proc = subprocess.Popen([sys.executable, *WORKER], stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=env)

        def feed() -> None:  # written while the second process starts (its imports take a second)
            try:
                self.proc.stdin.write(job)
                self.proc.stdin.close()
            except (OSError, ValueError):  # it died (result() says so), or close() came first
                pass

        in_thread("feed", feed)

    def result(self) -> Register:
        import pickle

        try:
            data = self.proc.stdout.read()
            code = self.proc.wait()
        finally:
            self.close()
        try:
            status, value = pickle.loads(data)
        except Exception:  # nothing (or half) came back: it died
            raise InputError(f"检查 {self.names} 的进程意外退出（退出码 {code}）；内存不足时请关闭其他程序后重试",
                             f"the process checking {self.names} stopped unexpectedly (exit code {code}); "
                             "if memory is short, close other programs and try again") from None
        if status == "error":
            raise value
        return value

    def close(self) -> None:
        """End the second process if it still runs (the caller gave up on it) and close its pipes."""
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        for pipe in (self.proc.stdin, self.proc.stdout):
            with contextlib.suppress(OSError, ValueError):
                pipe.close()


def load_register(
    paths: list[Path], kind: Kind, rules: Rules, *, sheet: str | None = None, encoding: str | None = None,
    limits: Limits | None = None, gazetteer: Gazetteer | None = None,
) -> Register:
    """Load and validate files that together make one register (duplicates are found across them)."""
    aliases = AliasTable.build(kind, rules.header_aliases)
    tables = [load(p, kind, aliases, sheet=sheet, encoding=encoding, limits=limits) for p in paths]
    return validate_loaded(tables, rules, limits=limits, gazetteer=gazetteer)


def validate_loaded(tables: list[RawTable], rules: Rules, *, limits: Limits | None = None,
                    gazetteer: Gazetteer | None = None) -> Register:
    return validate(tables, rules, gazetteer, max_findings=(limits or Limits()).max_findings)


def check(
    villages: list[Path], rules: Rules, *, outlets: list[Path] | None = None, sheet: str | None = None,
    encoding: str | None = None, limits: Limits | None = None, as_of: dt.date | None = None,
    gazetteer: Gazetteer | None = None,
) -> CheckResult:
    """Check village registers (and outlet registers); raises KuaidiError when a file cannot be read.

    `sheet` chooses the sheet of the village files; outlet registers are found by their header, so one
    workbook holding both registers on two sheets can be given twice (`book.xlsx --outlets book.xlsx`).
    """
    registers = []
    if villages:
        registers.append(load_register(villages, Kind.VILLAGES, rules, sheet=sheet, encoding=encoding, limits=limits,
                                       gazetteer=gazetteer))
    if outlets:
        registers.append(load_register(outlets, Kind.OUTLETS, rules, encoding=encoding, limits=limits))
    if villages and outlets and len(registers[1].frame):  # (a blank outlet register decides nothing)
        with_outlet_register(registers[0])
    result = CheckResult(registers)
    if villages and gazetteer is not None:
        # official villages of the covered townships that the register lacks
        from kuaidi_cli.official import missing_findings, missing_villages

        first = registers[0].files[0].table
        lacking = missing_villages(registers[0].seen, gazetteer)  # rows with errors are reported already
        result.cross += missing_findings(lacking, first.name, first.sheet)
    if villages and outlets and as_of is not None:
        # outlets whose village is not in the register, and 驻村设点 flags the outlet register contradicts
        from kuaidi_cli.coverage import compute

        result.cross += compute(registers[0].frame, registers[1].frame, as_of, rules).findings
    for f in result.cross:
        if f.severity is Severity.WARNING:
            for fr in result.files:
                if fr.table.name == f.file and fr.table.sheet == f.sheet:
                    fr.warnings += 1
    return result
