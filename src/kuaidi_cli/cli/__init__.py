"""The command line: a thin shell over the library (kuaidi_cli.commands). Only this package imports typer.
Heavy libraries (pandas, calamine, rich) are imported inside the commands: `kuaidi --help` starts at once."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from kuaidi_cli.cli.params import (
    Command,
    DebugOpt,
    DivisionsOpt,
    EncodingOpt,
    FailOnOpt,
    ForceOpt,
    Group,
    HistoryOpt,
    LangOpt,
    OutletsOpt,
    RulesOpt,
    SamplesOpt,
    SheetOpt,
    VillagesOpt,
)
from kuaidi_cli.cli.running import errors_to_exit, run, session_of
from kuaidi_cli.commands.options import (
    CheckFormat,
    Lang,
    ReportFormat,
    Session,
    Universe,
    format_help,
    formats_help,
    output_help,
)
from kuaidi_cli.core.errors import KuaidiError
from kuaidi_cli.write.stdout import say

if TYPE_CHECKING:
    from kuaidi_cli.read import Limits
    from kuaidi_cli.report import Report, ReportContext

app = typer.Typer(
    cls=Group,
    name="kuaidi",
    help="快递进村 覆盖率计算：检查行政村与服务点台账，按政策目标出报表。\n\n"
    "Coverage calculator for the 快递进村 programme.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode="rich",
)


@app.command(cls=Command)
def check(
    ctx: typer.Context,
    files: Annotated[list[Path], typer.Argument(metavar="PATH", help="行政村台账（CSV、XLSX、XLS、ODS）：文件、文件夹或通配符，可多个；文件夹中的服务点台账按表头识别 / village registers: files, folders, patterns", show_default=False)],
    outlets: OutletsOpt = None,
    sheet: SheetOpt = None,
    encoding: EncodingOpt = None,
    fmt: Annotated[CheckFormat, typer.Option("--format", case_sensitive=False, help="table | json")] = CheckFormat.table,
    max_findings: Annotated[int, typer.Option("--max-findings", metavar="N", min=1, help="表格中最多显示的问题条数 / findings shown")] = 50,
    as_of: Annotated[str | None, typer.Option("--as-of", metavar="YYYY-MM-DD", help="两本台账对照的日期，默认今天 / date to compare the registers at")] = None,
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
        village_files, outlet_files, skipped = for_check(files, outlets or [], limits=_limits(ctx), encoding=encoding)
        for line in skipped_lines(skipped, lang.value):  # the files of a folder or pattern left out, and why
            say(f"kuaidi: {line}")
        given = Registers(village_files, outlet_files, rules_file, "flags", skipped, sheet=sheet, encoding=encoding)
        result = api.check(given, rules=rules, as_of=_as_of(as_of, lang), divisions=divisions, limits=_limits(ctx))
        if fmt is CheckFormat.json:
            from kuaidi_cli.write.check_json import dumps
            from kuaidi_cli.write.stdout import emit

            emit(dumps(result) + "\n")
        else:
            from kuaidi_cli.write.terminal import console
            from kuaidi_cli.write.terminal_check import render

            render(result, console(), lang=lang.value, max_findings=max_findings)
    raise typer.Exit(result.exit_code)


def _as_of(value: str | None, lang: Lang) -> dt.date:
    """--as-of, default today (the one place kuaidi reads the clock); a date after today warns on stderr."""
    from kuaidi_cli.commands.asof import as_of

    when, note = as_of(value, dt.date.today(), lang.value)
    if note:
        say(f"kuaidi: {note}")
    return when



@app.command(cls=Command)
def report(
    ctx: typer.Context,
    villages: VillagesOpt = None,
    outlets: OutletsOpt = None,
    sheet: SheetOpt = None,
    encoding: EncodingOpt = None,
    county: Annotated[list[str] | None, typer.Option("--county", metavar="TEXT", help="只看这些县区（可重复，可用旧称如 开封县）/ counties")] = None,
    township: Annotated[str | None, typer.Option("--township", metavar="TEXT", help="只看这个乡镇 / one township")] = None,
    as_of: Annotated[str | None, typer.Option("--as-of", metavar="YYYY-MM-DD", help="截至日期 YYYY-MM-DD，默认今天 / evaluate as of this date")] = None,
    rules_file: RulesOpt = None,
    fmt: Annotated[ReportFormat | None, typer.Option("--format", case_sensitive=False, help=format_help())] = None,
    output: Annotated[Path | None, typer.Option("-o", "--output", metavar="PATH", help=output_help())] = None,
    fail_on: FailOnOpt = None,
    divisions: DivisionsOpt = None,
    universe: Annotated[Universe | None, typer.Option("--universe", case_sensitive=False, help="register：按台账计算比率；gazetteer：按官方名单（缺的村计为未通达）")] = None,
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
        registers = inputs.resolve(villages or [], outlets or [], rules_file, samples=samples, limits=_limits(ctx),
                                   sheet=sheet, encoding=encoding)
        if output is not None:  # before any work: an input is never written, nor a file kuaidi did not write
            reporting.refuse_output(output, registers, force=force)
        elif chosen == "xlsx":
            raise KuaidiError("xlsx 须用 -o 指定输出文件，如 -o 报表.xlsx", "xlsx needs an output file: -o report.xlsx")
        rules, _ = load_rules(registers.rules)
        result = api.report(registers, rules=rules, as_of=_as_of(as_of, lang), county=county, township=township,
                            divisions=divisions, limits=_limits(ctx),
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
        failed = _failed(fail_on, context.results, context.register_findings, result, rules, lang)
    raise typer.Exit(1 if failed else 0)


def _failed(fail_on: list[str] | None, results: Any, findings: Any, report: Any, rules: Any, lang: Lang) -> bool:
    """Whether `--fail-on` fails the run; if so, one line on stderr says what failed (even with --quiet)."""
    from kuaidi_cli.commands.failures import failures, parse

    if line := failures(parse(fail_on or []), results, findings, report, rules, lang.value):
        say(f"kuaidi: {line}")
    return line is not None


@app.command(cls=Command)
def export(
    ctx: typer.Context,
    out: Annotated[Path, typer.Option("--out", metavar="PATH", help="输出文件夹 / output folder")],
    formats: Annotated[str, typer.Option("--formats", metavar="TEXT", help=formats_help()[0])] = formats_help()[1],
    villages: VillagesOpt = None,
    outlets: OutletsOpt = None,
    sheet: SheetOpt = None,
    encoding: EncodingOpt = None,
    as_of: Annotated[str | None, typer.Option("--as-of", metavar="YYYY-MM-DD", help="截至日期 YYYY-MM-DD，默认今天")] = None,
    history_file: HistoryOpt = None,
    no_history: Annotated[bool, typer.Option("--no-history", metavar="", help="不记录历史 / do not record the run")] = False,
    rules_file: RulesOpt = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", metavar="", help="成功时不输出 / print nothing on success")] = False,
    fail_on: FailOnOpt = None,
    wait: Annotated[float, typer.Option("--wait", metavar="N", min=0, help="另一个 export 在写同一文件夹时最多等待的秒数")] = 60.0,
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
        from kuaidi_cli.commands import export as exporting
        from kuaidi_cli.commands import inputs
        from kuaidi_cli.commands.failures import parse as parse_fail_on
        from kuaidi_cli.core.rules import load_rules
        from kuaidi_cli.write import history
        from kuaidi_cli.write.progress import steps

        parse_fail_on(fail_on or [])  # a wrong --fail-on stops the run before any work
        registers = inputs.resolve(villages or [], outlets or [], rules_file, samples=samples, limits=_limits(ctx),
                                   sheet=sheet, encoding=encoding)
        rules, rules_sha = load_rules(registers.rules)
        when = _as_of(as_of, lang)
        chosen = [f.strip().lower() for f in formats.split(",") if f.strip()]

        def report_of(generated_at: str) -> tuple[Report, ReportContext]:  # (the report is made under the folder's lock)
            made = api.report(registers, rules=rules, as_of=when, divisions=divisions, limits=_limits(ctx),
                              generated_at=generated_at)
            return made, context_of(made)

        # a run on the sample registers is never recorded: its synthetic figures would join the real series
        where = None if no_history or registers.source == "samples" else (history_file or history.default_path())
        with steps(enabled=not quiet) as step:
            result = exporting.export(registers, rules, rules_sha, when, out, chosen, history_path=where,
                                      now=dt.datetime.now(dt.UTC), lang=lang.value, wait=wait, step=step,
                                      report_of=report_of)
        if not quiet:
            for note in exporting.notes(registers, lang.value, table=True):
                say(f"kuaidi: {note}")
            from kuaidi_cli.write.stdout import emit

            emit(exporting.summary_line(result, out, when, lang.value, samples=registers.source == "samples") + "\n")
        failed = _failed(fail_on, result.context.results, result.context.register_findings, result.report, rules, lang)
    raise typer.Exit(1 if failed else 0)


@app.command(cls=Command)
def trend(
    ctx: typer.Context,
    county: Annotated[str | None, typer.Option("--county", metavar="TEXT", help="只看这个县区 / one county")] = None,
    history_file: HistoryOpt = None,
    chart: Annotated[Path | None, typer.Option("--chart", metavar="PATH", help="趋势图 SVG 的路径，默认 kuaidi-trend.svg")] = None,
    no_chart: Annotated[bool, typer.Option("--no-chart", metavar="", help="不写趋势图")] = False,
    force: Annotated[bool, typer.Option("--force", metavar="", help="覆盖不是 kuaidi 写的同名文件 / overwrite a file kuaidi did not write")] = False,
    rules_file: RulesOpt = None,
    lang: LangOpt = None,
    debug: DebugOpt = False,
) -> None:
    """历史趋势：各次导出的指标，以及按近期进度各目标的预计达成日期。

    The history as a series, a chart, and the date each unmet target would be reached at the recent pace.
    """
    with errors_to_exit(ctx, lang, debug) as lang:
        from kuaidi_cli import api
        from kuaidi_cli.commands import trend as trends
        from kuaidi_cli.core.rules import load_rules
        from kuaidi_cli.write.files import write_atomic
        from kuaidi_cli.write.labels import t
        from kuaidi_cli.write.terminal import console
        from kuaidi_cli.write.trend_view import render

        rules, _ = load_rules(rules_file)
        target = None if no_chart else (chart or Path("kuaidi-trend.svg"))
        if target is not None:  # before any output: the chart is an SVG, never written over another's file
            trends.refuse_chart(target, force=force)
        series = api.trend(history_file, county=county, rules=rules)
        render(series.points, series.projections, series.scope, console(), lang=lang.value,
               label=series.label(rules, lang.value))
        if target is not None:
            write_atomic(target, series.chart(lang.value), [series.path])
            say(t("chart_written", lang.value, path=target))


@app.command(cls=Command)
def changes(
    ctx: typer.Context,
    since: Annotated[str | None, typer.Option("--since", metavar="YYYY-MM-DD", help="起始截至日期，默认上一个 / from this as-of date")] = None,
    to: Annotated[str | None, typer.Option("--to", metavar="YYYY-MM-DD", help="结束截至日期，默认最近一次 / to this as-of date")] = None,
    county: Annotated[str | None, typer.Option("--county", metavar="TEXT", help="只看这个县区 / one county")] = None,
    fmt: Annotated[CheckFormat, typer.Option("--format", case_sensitive=False, help="table | json")] = CheckFormat.table,
    history_file: HistoryOpt = None,
    rules_file: RulesOpt = None,
    lang: LangOpt = None,
    debug: DebugOpt = False,
) -> None:
    """本期变化：两次导出之间新通达、新驻村设点、不再通达、台账增减的村。

    What changed between two recorded exports: villages newly reached or with a point, lost, added, removed.
    """
    with errors_to_exit(ctx, lang, debug) as lang:
        from kuaidi_cli import api
        from kuaidi_cli.commands.asof import parse
        from kuaidi_cli.core.rules import load_rules

        rules, _ = load_rules(rules_file)
        found = api.changes(history_file, since=parse(since, "--since") if since else None,
                            to=parse(to, "--to") if to else None, county=county, rules=rules)
        if fmt is CheckFormat.json:
            from kuaidi_cli.write.changes import to_json
            from kuaidi_cli.write.stdout import emit

            emit(to_json(found))
        else:
            from kuaidi_cli.write.changes_view import render
            from kuaidi_cli.write.terminal import console

            render(found, console(), lang=lang.value, order=rules.scope.counties)


@app.command(cls=Command)
def template(
    ctx: typer.Context,
    output: Annotated[Path, typer.Option("-o", "--output", metavar="PATH", help="模板文件 .xlsx / the template to write")],
    county: Annotated[list[str] | None, typer.Option("--county", metavar="TEXT", help="只含这些县区（可重复）；默认规则范围内全部")] = None,
    with_outlets: Annotated[bool, typer.Option("--with-outlets", metavar="", help="同时生成服务点台账工作表")] = False,
    divisions: DivisionsOpt = None,
    rules_file: RulesOpt = None,
    force: Annotated[bool, typer.Option("--force", metavar="", help="覆盖已存在的文件（已填写的台账会被空白模板替换）/ overwrite an existing file")] = False,
    lang: LangOpt = None,
    debug: DebugOpt = False,
) -> None:
    """生成台账模板：预填官方县区、乡镇、行政村及代码，带下拉框和填写说明。

    Write a register template: official names and codes filled in, drop-downs, validation, instructions.
    """
    with errors_to_exit(ctx, lang, debug) as lang:
        from kuaidi_cli.commands.template import write_template
        from kuaidi_cli.core.rules import load_rules

        rules, _ = load_rules(rules_file)
        villages = write_template(output, county or [], rules, divisions, with_outlets=with_outlets, force=force)
        typer.echo(f"{output}：{villages} 个行政村" if lang is Lang.zh else f"{output}: {villages} villages")


@app.command("rules", cls=Command)
def show_rules(
    ctx: typer.Context,
    rules_file: RulesOpt = None,
    lang: LangOpt = None,
    debug: DebugOpt = False,
) -> None:
    """显示生效的规则（目标、重点村条件、范围），并检查规则文件。

    Print the effective rules (targets, priority rule, scope), checking the rules file.
    """
    with errors_to_exit(ctx, lang, debug) as lang:
        from kuaidi_cli.core.rules import default_rules_path, load_rules
        from kuaidi_cli.write.terminal import console
        from kuaidi_cli.write.terminal_rules import render

        rules, sha = load_rules(rules_file)
        render(rules, rules_file or default_rules_path(), sha, console(), lang=lang.value)


def _limits(ctx: typer.Context) -> Limits:  # (imported inside: `kuaidi --help` starts at once)
    from kuaidi_cli.read import Limits
    return Limits(**session_of(ctx).limits)


@app.callback(invoke_without_command=True)
def _root(
    ctx: typer.Context,
    version: Annotated[bool, typer.Option("--version", metavar="", help="显示版本 / show the version")] = False,
    lang: LangOpt = None,
    max_input_mb: Annotated[int, typer.Option("--max-input-mb", metavar="N", min=1, help="输入文件大小上限（MiB）/ largest input file")] = 1024,
    max_unzipped_mb: Annotated[int, typer.Option("--max-unzipped-mb", metavar="N", min=1, help="xlsx/ods 解压后大小上限（MiB）/ largest unpacked workbook")] = 2048,
    max_zip_ratio: Annotated[float, typer.Option("--max-zip-ratio", metavar="N", min=1, help="解压后超过 100 MiB 时允许的压缩比上限 / zip-bomb ratio")] = 300.0,
    max_columns: Annotated[int, typer.Option("--max-columns", metavar="N", min=1, help="一行最多单元格数 / most cells in a row")] = 1000,
    max_findings_kept: Annotated[int, typer.Option("--max-findings-kept", metavar="N", min=1, help="内存中最多保留的问题条数 / findings kept in memory")] = 200_000,
) -> None:
    """快递进村 覆盖率计算。限制选项写在子命令之前，如 kuaidi --max-input-mb 200 check 台账.xlsx"""
    session_of(ctx).limits = dict(max_file_bytes=max_input_mb << 20, max_unzipped_bytes=max_unzipped_mb << 20,
                                max_zip_ratio=max_zip_ratio, max_columns=max_columns, max_findings=max_findings_kept)
    session_of(ctx).lang = lang
    if version:
        from kuaidi_cli import __version__

        typer.echo(__version__)
        raise typer.Exit(0)
    if ctx.invoked_subcommand is None:
        typer.echo(ctx.get_help())


def main() -> None:
    from kuaidi_cli.write.stdout import degrade_unencodable

    degrade_unencodable()  # (a GBK console or log file: ✓ → √, never a UnicodeEncodeError)
    run(app, Session(ends_with_command=True))
