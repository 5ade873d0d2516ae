"""check, report and write: the library's main calls, as `kuaidi check`, `kuaidi report` and `report -o`
make them (the command line calls these very functions)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from kuaidi_cli.api.sources import (
    DateLike,
    Inputs,
    PathLike,
    RulesLike,
    date_of,
    official_list,
    registers,
    rules_of,
)
from kuaidi_cli.check import CheckResult
from kuaidi_cli.core.errors import KuaidiError
from kuaidi_cli.core.rules import Rules
from kuaidi_cli.read import Limits
from kuaidi_cli.report.model import Report, ReportContext


@dataclass(frozen=True, eq=False)
class Origin:
    """What a report was made from, kept with it (`Report._origin`) for `write`. No part of the report's
    value: reports compare by their figures alone (pydantic compares private attributes too), and a pickled
    report leaves it behind (the context holds a closure)."""

    context: ReportContext
    rules: Rules
    inputs: list[Path]  # the register files and the rules file: never written over

    def __eq__(self, other: object) -> bool:
        return other is None or isinstance(other, Origin)

    __hash__ = object.__hash__

    def __reduce__(self) -> tuple[type[None], tuple[()]]:
        return (type(None), ())


def check(villages: Inputs, outlets: Inputs | None = (), *,
          as_of: DateLike | None = None, rules: RulesLike = None,
          divisions: PathLike | int | None = None, sheet: str | None = None, encoding: str | None = None,
          limits: Limits | None = None) -> CheckResult:
    """Check registers row by row, as `kuaidi check`: every problem of the data is a finding of the result
    (`.ok`, `.errors`, `.warnings`, `.findings`, `.findings_frame()`), a file of a folder left out too
    (file-skipped, as in a report). With `as_of`, the outlet register is compared with the village register
    at that date. Raises KuaidiError when an input cannot be read."""
    from kuaidi_cli.commands.check import check as run_check

    loaded, _ = rules_of(rules)
    given = registers(villages, outlets, sheet=sheet, encoding=encoding, limits=limits, need_villages=False)
    when = None if as_of is None else date_of(as_of)
    result = run_check(given.villages, loaded, outlets=given.outlets, sheet=given.sheet,
                       encoding=given.encoding,
                       as_of=when, gazetteer=official_list(loaded, divisions), limits=limits)
    if given.skipped:  # the files of a folder or pattern left out, and why (the command line prints them too)
        from kuaidi_cli.core.findings import make

        result.cross += [make("file-skipped", file=str(k.path), value=k.path.name, detail_zh=k.why_zh,
                              detail_en=k.why_en) for k in given.skipped if k.finding]
    return result


def report(villages: Inputs, outlets: Inputs | None = (), *,
           as_of: DateLike, county: str | list[str] | None = None,
           township: str | None = None, rules: RulesLike = None, divisions: PathLike | int | None = None,
           universe: Literal["register", "gazetteer"] = "register", sheet: str | None = None,
           encoding: str | None = None, limits: Limits | None = None, generated_at: str
           | None = None) -> Report:
    """The coverage report of the registers at `as_of`, as `kuaidi report` makes it: the `kuaidi.report/1`
    model, with its tables as DataFrames (`.counties_frame()`, …) and `write` to put it in a file. `county`
    (one or several, old names allowed) and `township` make a part's report. Raises KuaidiError when an input
    cannot be read, or a county or township asked for is not in the registers."""
    from kuaidi_cli.commands import report as reporting

    if universe not in ("register", "gazetteer"):
        raise KuaidiError(f"universe 须为 register 或 gazetteer，不是 {universe}",
                          f"universe must be register or gazetteer, not {universe}")
    loaded, sha = rules_of(rules)
    given = registers(villages, outlets, sheet=sheet, encoding=encoding, limits=limits)
    when = date_of(as_of)
    counties = [county] if isinstance(county, str) else county
    result, context = reporting.run(given, loaded, sha, when, counties=counties, township=township,
                                    generated_at=generated_at, gazetteer=official_list(loaded, divisions),
                                    universe=universe, limits=limits)
    rules_file = [Path(rules)] if rules is not None and not isinstance(rules, Rules) else []
    result._origin = Origin(context, loaded, [*reporting.input_paths(given), *rules_file])
    return result


def origin(report: Report) -> Origin:
    """What `report` made the report from; KuaidiError for a report it did not make (one read from JSON)."""
    found = report._origin
    if not isinstance(found, Origin):
        raise KuaidiError(
            "此报表不是本进程中 kuaidi.report() 生成的（如从 JSON 读入或经 pickle 传来），"
            "不知其台账，无法写出：请用 kuaidi.report() 重新生成",
            "this report was not made by kuaidi.report() in this process (read from JSON, or unpickled), "
            "so its registers are unknown: make it again with kuaidi.report()",
        )
    return found


def context_of(report: Report) -> ReportContext:
    """What the terminal view shows beside a report made by `report` (the command line's tables)."""
    return origin(report).context


def write(report: Report, path: PathLike, *, format: str | None = None, lang: str = "zh",
          force: bool = False) -> Path:
    """Write the report to a file, as `kuaidi report -o PATH` does: the format from the suffix (.xlsx .html
    .json .csv .txt) unless `format` names it (xlsx, html, json, csv, table), the file written whole or not
    at all; never over an input, nor (without `force`) over a file kuaidi did not write. Returns the path."""
    from kuaidi_cli.commands.report import output_format
    from kuaidi_cli.write.files import refuse_existing, refuse_input, write_atomic
    from kuaidi_cli.write.formats import names, render
    from kuaidi_cli.write.json_csv import csv_headers

    made = origin(report)
    out = Path(path)
    if lang not in ("zh", "en"):
        raise KuaidiError(f"语言须为 zh 或 en，不是 {lang}", f"lang must be zh or en, not {lang}")
    if format is not None:  # (any case: "XLSX" too)
        if not isinstance(format, str) or format.lower() not in names():
            raise KuaidiError(f"format 须为 {'、'.join(names())} 之一，不是 {format!r}",
                              f"format must be one of {', '.join(names())}, not {format!r}")
        format = format.lower()
    chosen = output_format(format, out, api=True)
    refuse_input(out, made.inputs, api=True)
    if not force:
        refuse_existing(out, own=True, csv_headers=csv_headers(), api=True)
    write_atomic(out, render(chosen, report, made.context, made.rules, lang), made.inputs)
    return out
