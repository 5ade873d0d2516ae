"""`trend` on a terminal, and its chart as a standalone SVG file."""

from __future__ import annotations

from collections.abc import Callable
from html import escape

from rich.console import Console
from rich.table import Table
from rich.text import Text

from kuaidi_cli.core.rules import Target
from kuaidi_cli.report.trend import MIN_POINTS, MIN_SPAN_DAYS, Projection
from kuaidi_cli.write.files import SVG_MARK
from kuaidi_cli.write.labels import t
from kuaidi_cli.write.text import pct

_RATES = (("reach_rate", "#2f5597"), ("priority_in_village_rate", "#c55a11"), ("in_village_rate", "#548235"))


def render(series: list[dict], projections: list[Projection], scope: str, console: Console, lang: str = "zh",
           label: Callable[[Target], str] | None = None) -> None:
    table = Table(title=scope, title_justify="left", title_style="bold")
    for key in ("as_of_col", "reach_rate", "priority_in_village_rate", "in_village_rate", "parks", "township_stations",
                "village_points"):
        table.add_column(t(key, lang), justify="left" if key == "as_of_col" else "right")
    for p in series:
        table.add_row(p["as_of"].isoformat(), pct(p.get("reach_rate")), pct(p.get("priority_in_village_rate")),
                      pct(p.get("in_village_rate")), *(_count(p.get(f"outlets.{k}")) for k in
                                                        ("park", "township_station", "village_point")))
    console.print(table)
    proj = Table(title=t("projection", lang), title_justify="left", title_style="bold")
    for key in ("target_label", "target_value", "current", "due", "projected"):
        proj.add_column(t(key, lang))
    for x in projections:
        target = x.target
        value = (pct(x.latest) if target.is_rate else _count(x.latest)) if x.latest is not None else "—"
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
            when = Text(x.reached_on.isoformat() + (t("late", lang) if late else ""), style="red" if late else "green")
        name = label(target) if label else (target.label_en or target.label) if lang == "en" else target.label
        proj.add_row(f"{name}\n[dim]{target.id}[/dim]", pct(target.target) if target.is_rate else f"{target.target:g}",
                     value, target.due.isoformat(), when)
    console.print(proj)


def _count(v: float | None) -> str:
    return "—" if v is None else f"{v:g}"


def svg(series: list[dict], title: str, lang: str = "zh") -> str:
    """The rates over time, one line each, as a standalone SVG document."""
    width, height, left, top, bottom, right = 760, 340, 56, 40, 48, 170
    days = [p["as_of"].toordinal() for p in series]
    lo, hi = min(days), max(days)
    span = max(hi - lo, 1)

    def x(d: int) -> float:
        return left + (width - left - right) * (d - lo) / span if hi > lo else left + (width - left - right) / 2

    def y(v: float) -> float:
        return top + (height - top - bottom) * (1 - v)

    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}">',
           SVG_MARK,
           '<rect width="100%" height="100%" fill="white"/>',
           f'<text x="{(width - right) / 2}" y="22" text-anchor="middle" font-size="15" font-weight="bold" '
           f'font-family="Noto Sans CJK SC, Microsoft YaHei, sans-serif">{escape(title)}</text>']
    for tick in (0, 0.2, 0.4, 0.6, 0.8, 1.0):
        out.append(f'<line x1="{left}" x2="{width - right}" y1="{y(tick):.1f}" y2="{y(tick):.1f}" stroke="#e5e5e5"/>')
        out.append(f'<text x="{left - 6}" y="{y(tick) + 4:.1f}" text-anchor="end" font-size="11">{tick:.0%}</text>')
    for p in series:
        d = p["as_of"].toordinal()
        out.append(f'<text x="{x(d):.1f}" y="{height - bottom + 16}" text-anchor="middle" font-size="11">'
                   f'{p["as_of"].isoformat()}</text>')
    for n, (metric, color) in enumerate(_RATES):
        pts = [(x(p["as_of"].toordinal()), y(p[metric])) for p in series if p.get(metric) is not None]
        if pts:
            out.append(f'<polyline fill="none" stroke="{color}" stroke-width="2" points="'
                       + " ".join(f"{a:.1f},{b:.1f}" for a, b in pts) + '"/>')
            out += [f'<circle cx="{a:.1f}" cy="{b:.1f}" r="3.5" fill="{color}"/>' for a, b in pts]
        ly = top + 20 * n
        out.append(f'<line x1="{width - right + 12}" x2="{width - right + 32}" y1="{ly}" y2="{ly}" stroke="{color}" '
                   f'stroke-width="2"/>')
        out.append(f'<text x="{width - right + 38}" y="{ly + 4}" font-size="12" '
                   f'font-family="Noto Sans CJK SC, Microsoft YaHei, sans-serif">{escape(t(metric, lang))}</text>')
    out.append("</svg>")
    return "\n".join(out) + "\n"
