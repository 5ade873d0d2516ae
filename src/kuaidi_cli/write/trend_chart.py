"""The trend chart: the rates of the history over time as a standalone SVG file (no rich here)."""

from __future__ import annotations

from html import escape
from typing import Any

from kuaidi_cli.core import metrics
from kuaidi_cli.report.trend import partial
from kuaidi_cli.write.labels import t
from kuaidi_cli.write.marks import SVG_MARK


def _rates() -> list[tuple[str, str]]:
    """The rates the chart draws, each in its colour (core.metrics: those of the trend)."""
    return [(m.name, m.colour or "#555") for m in metrics.columns() if m.trend and m.is_rate]


def svg(series: list[dict[str, Any]], title: str, lang: str = "zh") -> str:
    """The rates over time, one line each, as a standalone SVG document."""
    width, height, left, top, bottom, right = 760, 340, 56, 40, 48, 170
    days = [p["as_of"].toordinal() for p in series]
    lo, hi = min(days), max(days)
    span = max(hi - lo, 1)

    def x(d: int) -> float:
        return left + (width - left - right) * (d - lo) / span if hi > lo else left + (
            width - left - right) / 2

    def y(v: float) -> float:
        return top + (height - top - bottom) * (1 - v)

    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} '
        f'{height}">',
           SVG_MARK,
           '<rect width="100%" height="100%" fill="white"/>',
           f'<text x="{(width - right) / 2}" y="22" text-anchor="middle" font-size="15" font-weight="bold" '
           f'font-family="Noto Sans CJK SC, Microsoft YaHei, sans-serif">{escape(title)}</text>']
    for tick in (0, 0.2, 0.4, 0.6, 0.8, 1.0):
        out.append(
            f'<line x1="{left}" x2="{width - right}" y1="{y(tick):.1f}" y2="{y(tick):.1f}" '
            'stroke="#e5e5e5"/>')
        out.append(
            f'<text x="{left - 6}" y="{y(tick) + 4:.1f}" text-anchor="end" font-size="11">{tick:.0%}</text>')
    font = 'font-family="Noto Sans CJK SC, Microsoft YaHei, sans-serif"'
    for p in series:
        d = p["as_of"].toordinal()
        out.append(f'<text x="{x(d):.1f}" y="{height - bottom + 16}" text-anchor="middle" font-size="11">'
                   f'{p["as_of"].isoformat()}</text>')
        if partial(p):  # a run that lacked a county or a target: marked, its dots hollow
            why = t("trend.partial_short" if p.get("unsubmitted") else "trend.unestablished_short", lang)
            out.append(f'<text x="{x(d):.1f}" y="{height - bottom + 30}" text-anchor="middle" font-size="10" '
                       f'fill="#b45f06" {font}>{escape(why)}</text>')
    rates = _rates()
    for n, (metric, color) in enumerate(rates):
        pts = [(x(p["as_of"].toordinal()), y(p[metric]), partial(p)) for p in series if p.get(
            metric) is not None]
        if pts:
            out.append(f'<polyline fill="none" stroke="{color}" stroke-width="2" points="'
                       + " ".join(f"{a:.1f},{b:.1f}" for a, b, _ in pts) + '"/>')
            out += [
                f'<circle cx="{a:.1f}" cy="{b:.1f}" r="3.5" fill="{"white" if hollow else color}" '
                f'stroke="{color}" '
                    f'stroke-width="1.5"/>' for a, b, hollow in pts]
        ly = top + 20 * n
        out.append(
            f'<line x1="{width - right + 12}" x2="{width - right + 32}" y1="{ly}" y2="{ly}" stroke="{color}" '
                   f'stroke-width="2"/>')
        out.append(f'<text x="{width - right + 38}" y="{ly + 4}" font-size="12" '
                   'font-family="Noto Sans CJK SC, Microsoft YaHei, '
                   f'sans-serif">{escape(t(metric, lang))}</text>')
    if any(partial(p) for p in series):
        ly = top + 20 * len(rates)
        out.append(
            f'<circle cx="{width - right + 22}" cy="{ly}" r="3.5" fill="white" stroke="#555" '
            'stroke-width="1.5"/>')
        out.append(f'<text x="{width - right + 38}" y="{ly + 4}" font-size="12" {font}>'
                   f'{escape(t("trend.partial_legend", lang))}</text>')
    out.append("</svg>")
    return "\n".join(out) + "\n"
