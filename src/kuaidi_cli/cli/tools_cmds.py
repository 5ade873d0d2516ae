"""`kuaidi trend`, `kuaidi changes`, `kuaidi template` and `kuaidi rules`."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from kuaidi_cli.cli.base import app
from kuaidi_cli.cli.params import (
    Command,
    DebugOpt,
    DivisionsOpt,
    HistoryOpt,
    LangOpt,
    RulesOpt,
)
from kuaidi_cli.cli.running import errors_to_exit
from kuaidi_cli.commands.options import (
    CheckFormat,
    Lang,
)
from kuaidi_cli.write.stdout import say

if TYPE_CHECKING:
    pass


@app.command(cls=Command)
def trend(
    ctx: typer.Context,
    county: Annotated[str | None, typer.Option("--county", metavar="TEXT",
                                               help="只看这个县区 / one county")] = None,
    history_file: HistoryOpt = None,
    chart: Annotated[Path | None, typer.Option(
        "--chart", metavar="PATH", help="趋势图 SVG 的路径，默认 kuaidi-trend.svg / the chart (SVG)")] = None,
    no_chart: Annotated[bool, typer.Option("--no-chart", metavar="",
                                           help="不写趋势图 / write no chart")] = False,
    force: Annotated[bool, typer.Option("--force", metavar="",
                                        help="覆盖不是 kuaidi 写的同名文件 / overwrite a file kuaidi did "
                                             "not write")] = False,
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
    since: Annotated[str | None, typer.Option("--since", metavar="YYYY-MM-DD",
                                              help="起始截至日期，默认上一个 / from this as-of date")] = None,
    to: Annotated[str | None, typer.Option("--to", metavar="YYYY-MM-DD",
                                           help="结束截至日期，默认最近一次 / to this as-of date")] = None,
    county: Annotated[str | None, typer.Option("--county", metavar="TEXT",
                                               help="只看这个县区 / one county")] = None,
    fmt: Annotated[CheckFormat, typer.Option("--format", case_sensitive=False,
                                             help="table | json")] = CheckFormat.table,
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
    output: Annotated[Path, typer.Option("-o", "--output", metavar="PATH",
                                         help="模板文件 .xlsx / the template to write")],
    county: Annotated[list[str] | None, typer.Option("--county", metavar="TEXT",
                                                     help="只含这些县区（可重复）；默认规则范围内全部 / "
                                                          "these counties only (repeatable)")] = None,
    with_outlets: Annotated[bool, typer.Option("--with-outlets", metavar="",
                                               help="同时生成服务点台账工作表 / add the outlet "
                                                    "register sheet")] = False,
    divisions: DivisionsOpt = None,
    rules_file: RulesOpt = None,
    force: Annotated[bool, typer.Option("--force", metavar="",
                                        help="覆盖已存在的文件（已填写的台账会被空白模板替换）/ overwrite an "
                                             "existing file")] = False,
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
        villages = write_template(output, county or [], rules, divisions, with_outlets=with_outlets,
                                  force=force)
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

