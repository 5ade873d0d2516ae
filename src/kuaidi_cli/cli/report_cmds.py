"""`kuaidi check`, `kuaidi report` and `kuaidi export`: the registers read, checked and measured."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from kuaidi_cli.cli.base import app, as_of_date, fail_on_failed, limits_of
from kuaidi_cli.cli.params import (
    AsOfOpt,
    Command,
    DebugOpt,
    DivisionsOpt,
    EncodingOpt,
    FailOnOpt,
    ForceOpt,
    HistoryOpt,
    LangOpt,
    OutletsOpt,
    RulesOpt,
    SamplesOpt,
    SheetOpt,
    VillagesOpt,
)
from kuaidi_cli.cli.running import errors_to_exit
from kuaidi_cli.commands.options import (
    CheckFormat,
    ReportFormat,
    Universe,
    format_help,
    formats_help,
    output_help,
)
from kuaidi_cli.core.errors import KuaidiError
from kuaidi_cli.write.stdout import say

if TYPE_CHECKING:
    from kuaidi_cli.report import Report, ReportContext


@app.command(cls=Command)
def check(
    ctx: typer.Context,
    files: Annotated[list[Path], typer.Argument(metavar="PATH",
                                                help="行政村台账（CSV、XLSX、XLS、ODS）：文件、文件夹或通配符"
                                                     "，可多个；文件夹中的服务点台账按表头识别 / village "
                                                     "registers: files, folders, patterns",
                                                show_default=False)],
    outlets: OutletsOpt = None,
    sheet: SheetOpt = None,
    encoding: EncodingOpt = None,
    fmt: Annotated[CheckFormat, typer.Option("--format", case_sensitive=False,
                                             help="table | json")] = CheckFormat.table,
    max_findings: Annotated[int, typer.Option("--max-findings", metavar="N", min=1,
                                              help="表格中最多显示的问题条数 / findings shown")] = 50,
    as_of: Annotated[str | None, typer.Option("--as-of", metavar="YYYY-MM-DD",
                                              help="两本台账对照的日期，默认今天 / date to compare the "
                                                   "registers at")] = None,
    divisions: DivisionsOpt = None,
    rules_file: RulesOpt = None,
    lang: LangOpt = None,
    debug: DebugOpt = False,
) -> None:
    """检查台账：逐行列出数据问题。退出码 0 无错误，1 有错误，2 无法运行。

    Check registers row by row. Exit 0 clean (warnings allowed), 1 errors found, 2 cannot run.
    """
    with errors_to_exit(ctx, lang, debug) as lang:
        from kuaidi_cli import api
        from kuaidi_cli.commands.inputs import Registers, for_check, skipped_lines
        from kuaidi_cli.core.rules import load_rules

        rules, _ = load_rules(rules_file)
        village_files, outlet_files, skipped = for_check(files, outlets or [], limits=limits_of(ctx),
                                                         encoding=encoding)
        for line in skipped_lines(skipped, lang.value):  # the files of a folder or pattern left out, and why
            say(f"kuaidi: {line}")
        given = Registers(village_files, outlet_files, rules_file, "flags", skipped, sheet=sheet,
                          encoding=encoding)
        result = api.check(given, rules=rules, as_of=as_of_date(as_of, lang), divisions=divisions,
                           limits=limits_of(ctx))
        if fmt is CheckFormat.json:
            from kuaidi_cli.write.check_json import dumps
            from kuaidi_cli.write.stdout import emit

            emit(dumps(result) + "\n")
        else:
            from kuaidi_cli.write.terminal import console
            from kuaidi_cli.write.terminal_check import render

            render(result, console(), lang=lang.value, max_findings=max_findings)
    raise typer.Exit(result.exit_code)



@app.command(cls=Command)
def report(
    ctx: typer.Context,
    villages: VillagesOpt = None,
    outlets: OutletsOpt = None,
    sheet: SheetOpt = None,
    encoding: EncodingOpt = None,
    county: Annotated[list[str] | None, typer.Option(
        "--county", metavar="TEXT", help="只看这些县区（可重复，可用旧称如 开封县）/ counties")] = None,
    township: Annotated[str | None, typer.Option("--township", metavar="TEXT",
                                                 help="只看这个乡镇 / one township")] = None,
    as_of: AsOfOpt = None,
    rules_file: RulesOpt = None,
    fmt: Annotated[ReportFormat | None, typer.Option("--format", case_sensitive=False,
                                                     help=format_help())] = None,
    output: Annotated[Path | None, typer.Option("-o", "--output", metavar="PATH", help=output_help())] = None,
    fail_on: FailOnOpt = None,
    divisions: DivisionsOpt = None,
    universe: Annotated[Universe | None, typer.Option("--universe", case_sensitive=False,
                                                      help="register：按台账计算比率；gazetteer：按官方名单（"
                                                           "缺的村计为未通达）/ rates over the register, or "
                                                           "over the official list")] = None,
    samples: SamplesOpt = False,
    force: ForceOpt = False,
    lang: LangOpt = None,
    debug: DebugOpt = False,
) -> None:
    """覆盖率报表：目标达成、分县区、分乡镇、待整改村。

    Coverage report: targets with status and gap, counties, townships, villages needing attention.
    Registers come from --villages/--outlets, else KUAIDI_VILLAGES/KUAIDI_OUTLETS, else kuaidi.toml;
    --samples runs on the bundled example registers.
    """
    with errors_to_exit(ctx, lang, debug) as lang:
        from kuaidi_cli import api
        from kuaidi_cli.api.run import context_of
        from kuaidi_cli.commands import inputs
        from kuaidi_cli.commands import report as reporting
        from kuaidi_cli.commands.failures import parse as parse_fail_on
        from kuaidi_cli.core.rules import load_rules

        parse_fail_on(fail_on or [])  # a wrong --fail-on stops the run before any work
        chosen = reporting.output_format(fmt.value if fmt else None, output)
        registers = inputs.resolve(villages or [], outlets or [], rules_file, samples=samples,
                                   limits=limits_of(ctx),
                                   sheet=sheet, encoding=encoding)
        if output is not None:  # before any work: an input is never written, nor a file kuaidi did not write
            reporting.refuse_output(output, registers, force=force)
        elif chosen == "xlsx":
            raise KuaidiError("xlsx 须用 -o 指定输出文件，如 -o 报表.xlsx",
                              "xlsx needs an output file: -o report.xlsx")
        rules, _ = load_rules(registers.rules)
        result = api.report(registers, rules=rules, as_of=as_of_date(as_of, lang), county=county,
                            township=township,
                            divisions=divisions, limits=limits_of(ctx),
                            universe="gazetteer" if universe is Universe.gazetteer else "register")
        context = context_of(result)
        for note in reporting.notes(registers, lang.value, table=chosen == "table" and output is None):
            say(f"kuaidi: {note}")
        if chosen == "table" and output is None:
            from kuaidi_cli.write.terminal import console
            from kuaidi_cli.write.terminal_report import render

            render(result, context, rules, console(), lang=lang.value)
        elif output is None:
            reporting.write_output(chosen, output, result, context, rules, registers, lang.value)
        else:
            api.write(result, output, format=chosen, lang=lang.value, force=force)
        failed = fail_on_failed(fail_on, context.results, context.register_findings, result, rules, lang)
    raise typer.Exit(1 if failed else 0)



@app.command(cls=Command)
def export(
    ctx: typer.Context,
    out: Annotated[Path, typer.Option("--out", metavar="PATH", help="输出文件夹 / output folder")],
    formats: Annotated[str, typer.Option("--formats", metavar="TEXT", help=formats_help()[
        0])] = formats_help()[1],
    villages: VillagesOpt = None,
    outlets: OutletsOpt = None,
    sheet: SheetOpt = None,
    encoding: EncodingOpt = None,
    as_of: AsOfOpt = None,
    history_file: HistoryOpt = None,
    no_history: Annotated[bool, typer.Option("--no-history", metavar="",
                                             help="不记录历史 / do not record the run")] = False,
    rules_file: RulesOpt = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", metavar="",
                                        help="成功时不输出 / print nothing on success")] = False,
    fail_on: FailOnOpt = None,
    wait: Annotated[float, typer.Option("--wait", metavar="N", min=0,
                                        help="另一个 export 在写同一文件夹时最多等待的秒数 / seconds to wait "
                                             "for another export of the folder")] = 60.0,
    divisions: DivisionsOpt = None,
    samples: SamplesOpt = False,
    lang: LangOpt = None,
    debug: DebugOpt = False,
) -> None:
    """定时导出：按日期命名写出报表（原子写入），并记入历史库。适合 cron。

    For cron: write the report under dated names (atomically), record the run in the history.
    Exit 0 ok, 1 what --fail-on names failed (missed, errors, incomplete), 2 cannot run.
    """
    with errors_to_exit(ctx, lang, debug) as lang:
        from kuaidi_cli import api
        from kuaidi_cli.api.run import context_of
        from kuaidi_cli.api.sources import official_list
        from kuaidi_cli.commands import export as exporting
        from kuaidi_cli.commands import inputs
        from kuaidi_cli.commands.failures import parse as parse_fail_on
        from kuaidi_cli.core.rules import load_rules
        from kuaidi_cli.write import history
        from kuaidi_cli.write.progress import steps

        parse_fail_on(fail_on or [])  # a wrong --fail-on stops the run before any work
        registers = inputs.resolve(villages or [], outlets or [], rules_file, samples=samples,
                                   limits=limits_of(ctx),
                                   sheet=sheet, encoding=encoding)
        rules, rules_sha = load_rules(registers.rules)
        when = as_of_date(as_of, lang)
        chosen = [f.strip().lower() for f in formats.split(",") if f.strip()]
        # a wrong --divisions stops the run before the folder is made or locked
        official_list(rules, divisions)

        # (the report is made under the folder's lock)
        def report_of(generated_at: str) -> tuple[Report, ReportContext]:
            made = api.report(registers, rules=rules, as_of=when, divisions=divisions, limits=limits_of(ctx),
                              generated_at=generated_at)
            return made, context_of(made)

        # a run on the sample registers is never recorded: its synthetic figures would join the real series
        where = (
            None if no_history or registers.source == "samples" else (history_file or history.default_path())
        )
        with steps(enabled=not quiet) as step:
            result = exporting.export(registers, rules, rules_sha, when, out, chosen, history_path=where,
                                      now=dt.datetime.now(dt.UTC), lang=lang.value, wait=wait, step=step,
                                      report_of=report_of)
        if not quiet:
            for note in exporting.notes(registers, lang.value, table=True):
                say(f"kuaidi: {note}")
            from kuaidi_cli.write.stdout import emit

            emit(exporting.summary_line(result, out, when, lang.value, samples=registers.source == "samples")
                 + "\n")
        failed = fail_on_failed(fail_on, result.context.results, result.context.register_findings,
                                result.report, rules, lang)
    raise typer.Exit(1 if failed else 0)

