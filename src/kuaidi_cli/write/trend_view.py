"""`trend` on a terminal, and its chart as a standalone SVG file."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from rich.console import Console
from rich.table import Table
from rich.text import Text

from kuaidi_cli.core import metrics
from kuaidi_cli.core.rules import Target
from kuaidi_cli.report.trend import MIN_POINTS, MIN_SPAN_DAYS, Projection, partial
from kuaidi_cli.write.labels import t
from kuaidi_cli.write.text import pct, rate_marks


def render(series: list[dict[str, Any]], projections: list[Projection], scope: str, console: Console,
           lang: str = "zh",
           label: Callable[[Target], str] | None = None) -> None:
    marks = rate_marks(x.target for x in projections)
    table = Table(title=scope, title_justify="left", title_style="bold")
    shown = [m for m in metrics.columns() if m.trend]  # (core.metrics: the figures of the trend)
    table.add_column(t("as_of_col", lang), justify="left")
    for m in shown:
        table.add_column(t(m.label_key, lang), justify="right")
    table.add_column(t("trend.data", lang), justify="left")
    for p in series:
        table.add_row(p["as_of"].isoformat(),
                      *(pct(p.get(m.name), marks) if m.is_rate else _count(p.get(m.name)) for m in shown),
                      Text(gap_text(p, lang), style="yellow"))
    console.print(table)
    if any(partial(p) for p in series):
        console.print(Text(t("trend.partial_note", lang), style="yellow"))
    proj = Table(title=t("projection", lang), title_justify="left", title_style="bold")
    for key in ("target_label", "target_value", "current", "due", "projected"):
        proj.add_column(t(key, lang))
    for x in projections:
        target = x.target
        value = (pct(x.latest, marks) if target.is_rate else _count(
            x.latest)) if x.latest is not None else "—"
        if x.status is not None:
            when = Text(t(f"status.{x.status}", lang), style="magenta")
        elif x.met:
            when = Text(t("status.met", lang), style="green")
        elif x.insufficient:
            when = Text(t("too_few_points", lang, n=MIN_POINTS, days=MIN_SPAN_DAYS), style="yellow")
        elif x.reached_on is None:
            when = Text(t("not_at_pace", lang), style="red")
        else:
            late = x.reached_on > target.due
            when = Text(x.reached_on.isoformat() + (t("late", lang) if late else ""), style="red" if late
                        else "green")
        name = label(target) if label else (target.label_en or target.label) if lang == "en" else target.label
        proj.add_row(f"{name}\n[dim]{target.id}[/dim]", pct(target.target, marks) if target.is_rate
                     else f"{target.target:g}",
                     value, target.due.isoformat(), when)
    console.print(proj)


def gap_text(point: dict[str, Any], lang: str) -> str:
    """What a point of the series lacked (empty for a complete run): the counties that sent nothing, the
    targets its run could not establish."""
    sep = "、" if lang != "en" else ", "
    parts = []
    if point.get("unsubmitted"):
        parts.append(t("trend.unsubmitted", lang, names=sep.join(point["unsubmitted"])))
    if point.get("unestablished"):
        parts.append(t("trend.unestablished", lang, ids=sep.join(point["unestablished"])))
    return ("；" if lang != "en" else "; ").join(parts)


def _count(v: float | None) -> str:
    return "—" if v is None else f"{v:g}"
