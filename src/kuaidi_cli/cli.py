"""The command line: a thin shell over the library. Only this module imports typer.

Heavy libraries (pandas, calamine, rich tables) are imported inside the commands, so that
`kuaidi --help` starts at once.
"""

from __future__ import annotations

import os
import sys
from contextlib import contextmanager
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

from kuaidi_cli.errors import KuaidiError

app = typer.Typer(
    name="kuaidi",
    help="快递进村 覆盖率计算：检查行政村与服务点台账，按政策目标出报表。 "
    "Coverage calculator for the 快递进村 programme.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode="rich",
)


class Lang(str, Enum):
    zh = "zh"
    en = "en"


class CheckFormat(str, Enum):
    table = "table"
    json = "json"


LangOpt = Annotated[Lang, typer.Option("--lang", case_sensitive=False, help="输出语言 / language: zh | en")]
DebugOpt = Annotated[bool, typer.Option("--debug", help="出错时显示完整的 Python 回溯 / show tracebacks")]
SheetOpt = Annotated[
    str | None, typer.Option("--sheet", help="行政村台账所在工作表的名称或序号（从1开始）；默认取第一个含台账的表 / sheet of the village register: name or 1-based number")
]
EncodingOpt = Annotated[
    str | None, typer.Option("--encoding", help="CSV 编码（默认自动识别：utf-8、gbk/gb18030、utf-16）/ CSV encoding")
]
RulesOpt = Annotated[Path | None, typer.Option("--rules", help="规则文件（默认 rules/targets.yaml）/ rules file")]


@contextmanager
def _errors_to_exit(lang: Lang, debug: bool):
    """The one place where a failure to run becomes one line on stderr and exit 2."""
    debug = debug or bool(os.environ.get("KUAIDI_DEBUG"))
    try:
        yield
    except KuaidiError as e:
        if debug:
            raise
        typer.echo(f"kuaidi: {e.message(lang.value)}", err=True)
        raise typer.Exit(2) from None
    except MemoryError:
        if debug:
            raise
        msg = "内存不足，文件太大，请拆分后再查" if lang is Lang.zh else "out of memory: the file is too large; split it"
        typer.echo(f"kuaidi: {msg}", err=True)
        raise typer.Exit(2) from None
    except (typer.Exit, KeyboardInterrupt):
        raise
    except Exception as e:  # a defect in kuaidi: still one line, and the way to report it
        if debug:
            raise
        msg = (f"内部错误（{type(e).__name__}: {str(e)[:120]}），请加 --debug 重跑并把输出报告给我们"
               if lang is Lang.zh else
               f"internal error ({type(e).__name__}: {str(e)[:120]}); run again with --debug and report it")
        typer.echo(f"kuaidi: {msg}", err=True)
        raise typer.Exit(2) from None


@app.command()
def check(
    files: Annotated[list[Path], typer.Argument(help="行政村台账文件（CSV、XLSX、XLS、ODS），可多个 / village registers", show_default=False)],
    outlets: Annotated[
        list[Path] | None, typer.Option("--outlets", help="服务点台账文件，可重复 / outlet register(s)")
    ] = None,
    sheet: SheetOpt = None,
    encoding: EncodingOpt = None,
    fmt: Annotated[CheckFormat, typer.Option("--format", case_sensitive=False, help="table | json")] = CheckFormat.table,
    max_findings: Annotated[int, typer.Option("--max-findings", min=1, help="表格中最多显示的问题条数 / findings shown")] = 50,
    rules_file: RulesOpt = None,
    lang: LangOpt = Lang.zh,
    debug: DebugOpt = False,
) -> None:
    """检查台账：逐行列出数据问题。退出码 0 无错误，1 有错误，2 无法运行。

    Check registers row by row. Exit 0 clean (warnings allowed), 1 errors found, 2 cannot run.
    """
    with _errors_to_exit(lang, debug):
        from kuaidi_cli.checking import check as run_check
        from kuaidi_cli.rules import load_rules

        rules, _ = load_rules(rules_file)
        result = run_check(files, rules, outlets=outlets or [], sheet=sheet, encoding=encoding)
        if fmt is CheckFormat.json:
            from kuaidi_cli.render.check_json import dumps

            sys.stdout.write(dumps(result) + "\n")
        else:
            from rich.console import Console

            from kuaidi_cli.render.check_table import render

            render(result, Console(), lang=lang.value, max_findings=max_findings)
    raise typer.Exit(result.exit_code)


@app.callback()
def _root(
    version: Annotated[bool, typer.Option("--version", help="显示版本 / show the version")] = False,
) -> None:
    if version:
        from kuaidi_cli import __version__

        typer.echo(__version__)
        raise typer.Exit(0)


def main() -> None:
    app()
