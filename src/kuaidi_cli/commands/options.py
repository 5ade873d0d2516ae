"""The choices of the command line as plain enumerations (typer reads them; nothing here imports it),
what `kuaidi` itself was given for its commands, and what a failure to run says."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from typing import TYPE_CHECKING, Any

from kuaidi_cli.write import formats


class Lang(str, Enum):
    zh = "zh"
    en = "en"


class CheckFormat(str, Enum):
    table = "table"
    json = "json"


if TYPE_CHECKING:
    class ReportFormat(str, Enum):
        """`report --format`: a format of write.formats."""
else:  # one member per format of the registry, by its name
    ReportFormat = Enum("ReportFormat", {name: name for name in formats.names()}, type=str)


def format_help() -> str:
    """`report --format`'s help: the formats of write.formats."""
    return " | ".join(formats.names()) + "；默认按 -o 的扩展名，否则 table / by -o's suffix, else table"


def output_help() -> str:
    """`report -o`'s help: the suffixes of write.formats."""
    return f"写入文件而不是屏幕（{' '.join(formats.suffixes())}）/ write to this file"


def formats_help() -> tuple[str, str]:
    """`export --formats`'s help and default: the formats export writes."""
    return "逗号分隔 / comma-separated: " + ",".join(formats.names(export=True)), ",".join(formats.names(
        export=True))


class Universe(str, Enum):
    register = "register"
    gazetteer = "gazetteer"


def language(given: Lang | None) -> Lang:
    """The language of the output: the one given (the command's --lang, else kuaidi's), else KUAIDI_LANG,
    else Chinese."""
    import os

    if given is not None:
        return given
    env = os.environ.get("KUAIDI_LANG", "").strip().lower()
    return Lang.en if env.startswith("en") else Lang.zh


@dataclass
class Session:
    """What `kuaidi` itself was given, for its commands (typer's context object): the limits of reading
    (options before the command) and whether the process ends with the command (set by `cli.main`)."""

    limits: dict[str, Any] = field(default_factory=dict)
    ends_with_command: bool = False
    lang: Lang | None = None  # `kuaidi --lang en …`: the language of every command that names none
    ran: bool = False  # a command began (its exit code is its own, even when its reader stopped reading)


def one_line(e: BaseException, lang: str) -> str:
    """What a failure to run says: kuaidi's own message, or what to do about memory or a defect."""
    from kuaidi_cli.core.errors import KuaidiError

    zh = lang != "en"
    if isinstance(e, KuaidiError):
        return e.message(lang)
    if isinstance(e, MemoryError):
        return "内存不足，文件太大，请拆分后再查" if zh else "out of memory: the file is too large; split it"
    return (f"内部错误（{type(e).__name__}: {str(e)[:120]}），请加 --debug 重跑并把输出报告给我们" if zh else
            f"internal error ({type(e).__name__}: {str(e)[:120]}); run again with --debug and report it")
