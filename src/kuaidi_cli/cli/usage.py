"""A usage error (no such option, a missing one, a bad value, an unknown command, extra arguments) in the
user's language: the usage line, then one line of what is wrong and what to do, on stderr; exit 2 as click.

Translated by the exception's type and public attributes (param, option_name, possibilities), never by
click's English text. The language is read from the command line itself (`--lang en` may come after the
option that failed, and the command's own options are not parsed yet), else KUAIDI_LANG, else Chinese.
"""

from __future__ import annotations

import difflib
import importlib
from collections.abc import Sequence
from typing import Any, NoReturn

import typer

from kuaidi_cli.commands.options import Lang, language
from kuaidi_cli.write.stdout import say

# click's exceptions as typer raises them (typer ≥ 0.20 carries its own copy of click): BadParameter's module
errors: Any = importlib.import_module(typer.BadParameter.__module__)
UsageError: type[Exception] = errors.UsageError
ARGV = "kuaidi.argv"  # (the key of the root context's meta under which the whole command line is kept)


class ExtraArguments(UsageError):  # type: ignore[misc,valid-type]
    """Arguments left over once a command took all it takes (click says "Got unexpected extra argument")."""

    def __init__(self, extra: Sequence[str], ctx: Any) -> None:
        super().__init__(" ".join(extra), ctx)
        self.extra = list(extra)


class UnknownCommand(UsageError):  # type: ignore[misc,valid-type]
    def __init__(self, name: str, possibilities: Sequence[str], ctx: Any) -> None:
        super().__init__(name, ctx)
        self.command_name, self.possibilities = name, difflib.get_close_matches(name, possibilities)


def fail(e: Exception, ctx: Any) -> NoReturn:
    """Say the usage error `e` in the user's language (on stderr) and exit 2."""
    ctx = getattr(e, "ctx", None) or ctx
    argv = ctx.meta.get(ARGV, [])
    zh = _language(argv) is Lang.zh
    pieces = " ".join(ctx.command.collect_usage_pieces(ctx))
    say(f"{'用法：' if zh else 'Usage: '}{ctx.command_path} {pieces}".rstrip())
    what = _what(e, ctx, argv, zh)
    say(f"kuaidi: {what}；用法见 {ctx.command_path} --help" if zh
        else f"kuaidi: {what}; see {ctx.command_path} --help")
    raise typer.Exit(getattr(e, "exit_code", 2))


def _what(e: Exception, ctx: Any, argv: list[str], zh: bool) -> str:
    """What is wrong, in one phrase."""
    if isinstance(e, errors.MissingParameter):  # (before BadParameter: it is one)
        name = _name(e.param, e.param_hint)
        if e.param is not None and e.param.param_type_name == "argument":
            return f"缺少参数 {name}" if zh else f"missing argument {name}"
        shown = f"{name} {_metavar(e.param, ctx)}".rstrip()
        return f"缺少选项 {shown}" if zh else f"missing option {shown}"
    if isinstance(e, errors.BadParameter):
        return _bad_value(e, ctx, argv, zh)
    if isinstance(e, errors.NoSuchOption):
        return _unknown("选项", "option", e.option_name, e.possibilities, zh)
    if isinstance(e, UnknownCommand):
        return _unknown("命令", "command", e.command_name, e.possibilities, zh)
    if isinstance(e, errors.BadOptionUsage):
        option = next((p for p in ctx.command.params if e.option_name in (*p.opts, *p.secondary_opts)), None)
        if option is not None and getattr(option, "is_flag", False):
            return f"选项 {e.option_name} 不带值" if zh else f"option {e.option_name} takes no value"
        shown = f"{_name(option, None) if option else e.option_name} {_metavar(option, ctx)}".rstrip()
        return (f"选项 {e.option_name} 后面缺少值（"
                f"{shown}）") if zh else f"option {e.option_name} needs a value ({shown})"
    if isinstance(e, ExtraArguments):
        return ("多余的参数："
                f"{' '.join(e.extra)}") if zh else f"unexpected extra arguments: {' '.join(e.extra)}"
    # (another usage error, from a click this module does not know: its own words, said as kuaidi's)
    return f"命令行有误：{e.format_message()}" if zh else e.format_message()  # type: ignore[attr-defined]


def _bad_value(e: Any, ctx: Any, argv: list[str], zh: bool) -> str:
    """A value the option cannot take: which option, the value given, and what it takes."""
    name = _name(e.param, e.param_hint)
    given = _given(argv, tuple(getattr(e.param, "opts", ())) or (name,))
    expected = _expected(e.param, ctx, zh)
    if zh:
        value = f"的值 {given} " if given is not None else "的值"
        return f"选项 {name} {value}无效" + (f"：{expected}" if expected else "")
    value = f"value {given} " if given is not None else "value "
    return f"invalid {value}for {name}" + (f": {expected}" if expected else "")


def _expected(param: Any, ctx: Any, zh: bool) -> str:
    """What an option takes, as its help shows it: one of its choices, or a number within its bounds."""
    lo, hi = getattr(param, "min", None), getattr(param, "max", None)
    if lo is not None or hi is not None:
        bounds = [f"≥ {lo}" if lo is not None else "", f"≤ {hi}" if hi is not None else ""]
        whole = isinstance(getattr(param, "default", None), int)  # (--max-findings 50, not --wait 60.0)
        if zh:
            return "须为 " + "、".join(b for b in bounds if b) + (" 的整数" if whole else " 的数")
        return ("a whole number " if whole else "a number ") + " and ".join(b for b in bounds if b)
    shown = (param.display_type_rich(ctx) or "") if hasattr(param, "display_type_rich") else ""
    choices = shown.strip("<>").split("|") if shown.startswith("<") and "|" in shown else []
    if choices:
        return ("可选 " + "、".join(choices)) if zh else ("one of " + ", ".join(choices))
    return ""


def _unknown(kind_zh: str, kind_en: str, name: str, possibilities: Sequence[str] | None, zh: bool) -> str:
    if zh:
        return f"没有{kind_zh} {name}" + (f"（您是否指 {'、'.join(possibilities)}）" if possibilities else "")
    return f"no such {kind_en} {name}" + (f" (did you mean {', '.join(possibilities)}?)" if possibilities
                                          else "")


def _name(param: Any, hint: Any) -> str:
    if param is not None:
        opts = [o for o in getattr(param, "opts", ()) if o.startswith("--")] or list(
            getattr(param, "opts", ())
        )
        if param.param_type_name == "argument":
            return str(param.metavar or param.name).upper()
        return opts[0] if opts else str(param.name)
    return " / ".join(hint) if isinstance(hint, (list, tuple)) else str(hint or "")


def _metavar(param: Any, ctx: Any) -> str:
    shown = (
        param.display_type_rich(ctx) if param is not None and hasattr(param, "display_type_rich") else None
    )
    return shown or ""


def _given(argv: list[str], names: Sequence[str]) -> str | None:
    """The value the command line gave the option last (`--format pdf` or `--format=pdf`)."""
    found = None
    for i, token in enumerate(argv):
        if token == "--":
            break
        if token in names and i + 1 < len(argv):
            found = argv[i + 1]
        elif "=" in token and token.split("=", 1)[0] in names:
            found = token.split("=", 1)[1]
    return found


def _language(argv: list[str]) -> Lang:
    """The command's --lang or kuaidi's (the last one given), else KUAIDI_LANG, else Chinese."""
    given = _given(argv, ("--lang",))
    try:
        return language(Lang(given.lower()) if given else None)
    except ValueError:  # (`--lang fr` is itself the usage error)
        return language(None)
