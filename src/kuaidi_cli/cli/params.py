"""The options several commands share, and help in the user's languages."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from kuaidi_cli.commands.options import Lang


class _Help:
    """Help in the user's languages: "显示本帮助并退出" rather than click's English, no `<bool>` beside it, an
    argument shown by its metavar alone, and Chinese text that a narrow terminal wraps between characters
    (write.wrapping), never cut with "…". A usage error is said in the user's language (cli.usage)."""

    help: str | None

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for param in self.params:  # type: ignore[attr-defined]
            if type(param) is typer.core.TyperArgument:  # (typer.Argument takes no class of its own)
                param.__class__ = _NamedArgument

    def format_help(self, ctx: Any, formatter: Any) -> None:
        from kuaidi_cli.write.wrapping import chinese_breaks

        with chinese_breaks():
            super().format_help(ctx, formatter)  # type: ignore[misc]

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        from kuaidi_cli.cli import usage

        if ctx.parent is None:  # (the whole command line, for the language of a usage error)
            ctx.meta[usage.ARGV] = list(args)
        strict = not ctx.allow_extra_args  # (a command's extra arguments: found here, said by cli.usage)
        ctx.allow_extra_args = True
        try:
            rest: list[str] = super().parse_args(ctx, args)  # type: ignore[misc]
        except usage.errors.NoArgsIsHelpError:  # (`kuaidi` alone: the help, as typer shows it)
            raise
        except usage.UsageError as e:
            usage.fail(e, ctx)
        finally:
            ctx.allow_extra_args = not strict
        if strict and rest and not ctx.resilient_parsing:
            usage.fail(usage.ExtraArguments(rest, ctx), ctx)
        return rest

    def get_help_option(self, ctx: Any) -> Any:
        option = super().get_help_option(ctx)  # type: ignore[misc]
        if option is not None:
            option.help, option.metavar = "显示本帮助并退出 / show this help and exit", ""
        return option


class _NamedArgument(typer.core.TyperArgument):
    """An argument whose metavar (PATH) is all the help shows of it: not also typer's `<list[Path]>`."""

    def display_type_rich(self, ctx: Any) -> str | None:
        return None if self.metavar else super().display_type_rich(ctx)


class Command(_Help, typer.core.TyperCommand): ...


class Group(_Help, typer.core.TyperGroup):
    def resolve_command(self, ctx: Any, args: list[str]) -> Any:
        from kuaidi_cli.cli import usage

        try:
            return super().resolve_command(ctx, args)
        except usage.UsageError as e:
            if args and self.get_command(ctx, args[0]) is None:
                usage.fail(usage.UnknownCommand(args[0], self.list_commands(ctx), ctx), ctx)
            usage.fail(e, ctx)


LangOpt = Annotated[Lang | None, typer.Option(
    "--lang", case_sensitive=False, help="输出语言（默认 KUAIDI_LANG，否则 zh）/ language: zh | en")]
DebugOpt = Annotated[bool, typer.Option("--debug", metavar="",
                                        help="出错时显示完整的 Python 回溯 / show tracebacks")]
SheetOpt = Annotated[str | None, typer.Option("--sheet", metavar="TEXT",
                                              help="行政村台账只读此工作表：名称或序号（从1开始）；默认读所有"
                                                   "台账表 / read only this sheet of each village workbook: "
                                                   "name or 1-based number (default: every register sheet)")]
EncodingOpt = Annotated[str | None, typer.Option(
    "--encoding", metavar="TEXT", help="CSV 编码（默认自动识别：utf-8、gbk/gb18030、utf-16）/ CSV encoding")]
RulesOpt = Annotated[Path | None, typer.Option("--rules", metavar="PATH",
                                               help="规则文件（默认 rules/targets.yaml）/ rules file")]
DivisionsOpt = Annotated[str | None, typer.Option("--divisions", metavar="TEXT",
                                                  help="对照的官方区划：2021、2023、2020、文件夹或 none（默认"
                                                       "取规则文件）/ official division list")]


VillagesOpt = Annotated[list[Path] | None, typer.Option("--villages", metavar="PATH",
                                                        help="行政村台账：文件、文件夹或通配符，可重复（一起"
                                                             "算作一本台账）/ village register(s): files, "
                                                             "folders, patterns")]
OutletsOpt = Annotated[list[Path] | None, typer.Option(
    "--outlets", metavar="PATH", help="服务点台账：文件、文件夹或通配符，可重复 / outlet register(s)")]
FailOnOpt = Annotated[list[str] | None, typer.Option("--fail-on", metavar="TEXT",
                                                     help="退出码为1的情形，逗号分隔：missed（到期必达目标未"
                                                          "确认达标）、errors（台账有错误）、incomplete（有县"
                                                          "区未报送）/ exit 1 on: missed,errors,incomplete")]
HistoryOpt = Annotated[Path | None, typer.Option("--history", metavar="PATH", envvar="KUAIDI_HISTORY",
                                                 show_envvar=False,
                                                 help="历史库（SQLite），默认在用户数据目录，或 "
                                                      "KUAIDI_HISTORY / the history")]
AsOfOpt = Annotated[str | None, typer.Option("--as-of", metavar="YYYY-MM-DD",
                                             help="截至日期 YYYY-MM-DD，默认今天 / evaluate as of this date")]
SamplesOpt = Annotated[bool, typer.Option(
    "--samples", metavar="", help="用内置示例台账（合成数据）试运行 / run on the bundled example registers")]
ForceOpt = Annotated[bool, typer.Option("--force", metavar="",
                                        help="覆盖已存在的文件 / overwrite an existing file")]
