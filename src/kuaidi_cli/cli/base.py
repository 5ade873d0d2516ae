"""The `kuaidi` application object and what its commands share (the --as-of date, --fail-on, the limits).
Only this package imports typer; heavy libraries are imported inside the commands."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

import typer

from kuaidi_cli.cli.params import (
    Group,
)
from kuaidi_cli.cli.running import session_of
from kuaidi_cli.commands.options import (
    Lang,
)
from kuaidi_cli.write.stdout import say

if TYPE_CHECKING:
    from kuaidi_cli.read import Limits

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



def as_of_date(value: str | None, lang: Lang) -> dt.date:
    """--as-of, default today (the one place kuaidi reads the clock); a date after today warns on stderr."""
    from kuaidi_cli.commands.asof import as_of

    when, note = as_of(value, dt.date.today(), lang.value)
    if note:
        say(f"kuaidi: {note}")
    return when




def fail_on_failed(fail_on: list[str] | None, results: Any, findings: Any, report: Any, rules: Any,
                   lang: Lang) -> bool:
    """Whether `--fail-on` fails the run; if so, one line on stderr says what failed (even with --quiet)."""
    from kuaidi_cli.commands.failures import failures, parse

    if line := failures(parse(fail_on or []), results, findings, report, rules, lang.value):
        say(f"kuaidi: {line}")
    return line is not None



def limits_of(ctx: typer.Context) -> Limits:  # (imported inside: `kuaidi --help` starts at once)
    from kuaidi_cli.read import Limits
    return Limits(**session_of(ctx).limits)

