"""The command line: a thin shell over the library (kuaidi_cli.commands). Only this package imports typer.
Heavy libraries (pandas, calamine, rich) are imported inside the commands: `kuaidi --help` starts at once."""

from __future__ import annotations

from typing import Annotated

import typer

# (each registers its commands on `app`, in this order)
from kuaidi_cli.cli import report_cmds, tools_cmds  # noqa: F401
from kuaidi_cli.cli.base import app
from kuaidi_cli.cli.params import LangOpt
from kuaidi_cli.cli.running import run, session_of
from kuaidi_cli.commands.options import Session

__all__ = ["app", "main"]


@app.callback(invoke_without_command=True)
def _root(
    ctx: typer.Context,
    version: Annotated[bool, typer.Option("--version", metavar="",
                                          help="显示版本 / show the version")] = False,
    lang: LangOpt = None,
    max_input_mb: Annotated[int, typer.Option("--max-input-mb", metavar="N", min=1,
                                              help="输入文件大小上限（MiB）/ largest input file")] = 1024,
    max_unzipped_mb: Annotated[int, typer.Option("--max-unzipped-mb", metavar="N", min=1,
                                                 help="xlsx/ods 解压后大小上限（MiB）/ largest unpacked "
                                                      "workbook")] = 2048,
    max_zip_ratio: Annotated[float, typer.Option("--max-zip-ratio", metavar="N", min=1,
                                                 help="解压后超过 100 MiB 时允许的压缩比上限 / "
                                                      "zip-bomb ratio")] = 300.0,
    max_columns: Annotated[int, typer.Option("--max-columns", metavar="N", min=1,
                                             help="一行最多单元格数 / most cells in a row")] = 1000,
    max_findings_kept: Annotated[int, typer.Option("--max-findings-kept", metavar="N", min=1,
                                                   help="内存中最多保留的问题条数 / findings kept in "
                                                        "memory")] = 200_000,
) -> None:
    """快递进村 覆盖率计算。限制选项写在子命令之前，如 kuaidi --max-input-mb 200 check 台账.xlsx"""
    session_of(ctx).limits = dict(max_file_bytes=max_input_mb << 20, max_unzipped_bytes=max_unzipped_mb << 20,
                                max_zip_ratio=max_zip_ratio, max_columns=max_columns,
                                  max_findings=max_findings_kept)
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
