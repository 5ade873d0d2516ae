"""`export`: the report in several formats under dated names, for a scheduled run.

One export at a time per output folder (a lock file; a second run waits, then refuses). Every file is
written to a temporary file and renamed, so an interrupted run never leaves a half file where a good
one was. The run is recorded in the history after its files are in place.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from kuaidi_cli.commands import report as reporting
from kuaidi_cli.commands.inputs import Registers
from kuaidi_cli.commands.report import notes as notes  # (the CLI prints them before the summary)
from kuaidi_cli.core.errors import KuaidiError, os_reason
from kuaidi_cli.core.gazetteer import Gazetteer
from kuaidi_cli.core.rules import Rules
from kuaidi_cli.read import Limits
from kuaidi_cli.report import Report, ReportContext
from kuaidi_cli.report.changes import Changes, compare, states, unreadable_states
from kuaidi_cli.write import formats as registry
from kuaidi_cli.write import history
from kuaidi_cli.write.files import CSV_LISTS, file_name, write_atomic
from kuaidi_cli.write.formats import render

LOCK_NAME = ".kuaidi-export.lock"


def _ext(fmt: str) -> str:
    """The extension of a format's files (write.formats), without its dot."""
    return registry.get(fmt).suffixes[0].lstrip(".")


@dataclass
class ExportResult:
    report: Report
    context: ReportContext
    written: list[Path]
    run_id: int | None


@contextlib.contextmanager
def folder_lock(folder: Path, wait: float) -> Iterator[None]:
    """Hold the export lock of a folder; wait up to `wait` seconds for another export to finish. The lock
    is the operating system's (flock on POSIX, LockFileEx on Windows, through filelock): a killed export
    leaves no lock behind."""
    import warnings

    with warnings.catch_warnings():  # (a POSIX without fcntl gets filelock's soft lock, and a warning)
        warnings.simplefilter("ignore")
        import filelock

    lock = filelock.FileLock(str(folder / LOCK_NAME))
    try:
        lock.acquire(timeout=wait, poll_interval=0.1)
    except filelock.Timeout:
        raise KuaidiError(
            f"另一个 kuaidi export 正在写 {folder}，等待 {wait:g} 秒后放弃；请稍后再试",
            f"another kuaidi export is writing {folder}; gave up after {wait:g} s; try again later",
        ) from None
    except OSError as e:
        zh, en = os_reason(e)
        raise KuaidiError(f"无法在 {folder} 中写文件：{zh}", f"cannot write in {folder}: {en}") from e
    try:
        yield
    finally:
        lock.release()


def export(
    registers: Registers, rules: Rules, rules_sha: str, as_of: dt.date, out: Path, formats: list[str], *,
    history_path: Path | None, now: dt.datetime, lang: str = "zh", wait: float = 60.0,
    step: Callable[[str], None] = lambda _: None, gazetteer: Gazetteer | None = None, limits: Limits
           | None = None,
    report_of: Callable[[str], tuple[Report, ReportContext]] | None = None,
) -> ExportResult:
    """Write the report in `formats` under dated names in `out` and record the run in the history. The report
    is made by `report_of(generated_at)` (the command line's: kuaidi.report), else by
    `commands.report.run`."""
    known = registry.names(export=True)
    unknown = [f for f in formats if f not in known]
    if unknown:
        raise KuaidiError(f"不支持的格式 {unknown[0]}（可用 {', '.join(known)}）",
                          f"unknown format {unknown[0]} (use {', '.join(known)})")
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        zh, en = os_reason(e)
        raise KuaidiError(f"无法创建输出文件夹 {out}：{zh}", f"cannot create the folder {out}: {en}") from e
    inputs = reporting.input_paths(registers)
    with folder_lock(out, wait):
        for stale in out.glob(".kuaidi-report-*.tmp"):  # left by a run that was killed mid-write
            stale.unlink(missing_ok=True)
        # export's own dated files are replaced by a later run; a file of that name kuaidi did not write is
        # not
        from kuaidi_cli.write.files import refuse_existing
        from kuaidi_cli.write.json_csv import csv_headers

        for fmt in formats:
            names = [file_name(as_of, _ext(fmt))] + (
                [file_name(as_of, "csv", part) for part in (*CSV_LISTS, "changes")] if fmt == "csv" else []
            )
            for name in names:
                refuse_existing(out / name, own=True, csv_headers=csv_headers(), option="--out", force=False)
        step("读取台账" if lang != "en" else "reading registers")
        generated_at = now.replace(microsecond=0).isoformat()
        report, context = (report_of(generated_at) if report_of is not None else
                           reporting.run(registers, rules, rules_sha, as_of, generated_at=generated_at,
                                         gazetteer=gazetteer, limits=limits))
        states = None
        if history_path is not None:  # what changed since the previous export of an earlier as-of date
            step("对照上期" if lang != "en" else "comparing with the previous export")
            states, context.changes = changes_since(history_path, context, as_of, report)
        written = []
        for fmt in formats:
            step(f"写出 {fmt}" if lang != "en" else f"writing {fmt}")
            path = out / file_name(as_of, _ext(fmt))
            write_atomic(path, render(fmt, report, context, rules, lang), inputs)
            written.append(path)
            if fmt == "csv":
                from kuaidi_cli.write.json_csv import attention_csv, findings_csv

                lists: dict[str, Callable[[], bytes]] = {
                    "attention": lambda: attention_csv(report, rules, lang),
                    "findings": lambda: findings_csv(context.findings, lang, samples=report.samples),
                }
                for part in CSV_LISTS:
                    data = lists[part]
                    path = out / file_name(as_of, "csv", part)
                    write_atomic(path, data(), inputs)
                    written.append(path)
                if context.changes is not None:
                    from kuaidi_cli.write.changes import to_csv as changes_csv

                    path = out / file_name(as_of, "csv", "changes")
                    write_atomic(path, changes_csv(context.changes, lang), inputs)
                    written.append(path)
        run_id = None
        if history_path is not None:
            step("记录历史" if lang != "en" else "recording history")
            run_id = history.record(history_path, report, now, timeout=wait, states=states)
    return ExportResult(report=report, context=context, written=written, run_id=run_id)


def summary_line(result: ExportResult, out: Path, as_of: dt.date, lang: str, *, samples: bool = False) -> str:
    """The one line export prints: where the files went, the reach rate, the due required targets not
    established as met, the counties that sent nothing (the figures are partial then); marked when the
    registers were the samples (and nothing was recorded)."""
    from kuaidi_cli.write.labels import t
    from kuaidi_cli.write.text import pct, rate_marks

    missed = [r for r in result.context.results if r.due_missed]
    names = ",".join(dict.fromkeys(p.suffix.lstrip(".") for p in result.written))
    files = str(out / file_name(as_of, "{" + names + "}")) if result.written else str(out)
    line = t(
        "export_done",
        lang,
        date=as_of.isoformat(),
        files=files,
        rate=pct(result.report.summary.reach_rate, rate_marks(result.report.targets)),
        missed=len(missed),
    )
    unsent = [s.county for s in result.report.submissions if not s.submitted]
    if unsent:  # the figures are those of the counties that sent registers: said on the one line cron mails
        line += t("export_unsubmitted", lang, names=("、" if lang != "en" else ", ").join(unsent))
    if samples:
        return t("samples_mark", lang) + line + t("export_samples", lang)
    # recorded, with nothing earlier to compare
    if result.run_id is not None and result.context.changes is None:
        return line + t("export_no_changes", lang)
    return line


def changes_since(history_path: Path, context: ReportContext, as_of: dt.date,
                  report: Report | None = None) -> tuple[pd.DataFrame | None, Changes | None]:
    """The state of every village now (kept in the history with this export: the villages counted, and
    the rows that could not be) and what changed since the latest export of an earlier as-of date that
    kept its villages' states (None when there is none), told apart by the counties that sent a register
    at each date (`report`'s submissions now, the history's then)."""
    if context.villages is None:
        return None, None
    now = states(context.villages, context.unknown_metrics)
    if context.not_counted is not None:
        rows = context.not_counted()
        if len(rows):
            now = pd.concat([now, unreadable_states(rows)], ignore_index=True)
    if not history_path.exists():
        return now, None
    earlier = [d for d in history.state_dates(history_path) if d < as_of]
    before = history.states_at(history_path, earlier[-1]) if earlier else None
    if before is None:
        return now, None
    sent_now = {s.county for s in report.submissions if s.submitted} if report is not None else None
    return now, compare(
        before,
        now,
        earlier[-1],
        as_of,
        sent_before=history.submitted_at(history_path, earlier[-1]),
        sent_after=sent_now,
    )
