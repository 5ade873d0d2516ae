"""The report as one self-contained HTML file: the targets, the county table and two inline SVG charts
(each county's 通达率 and 重点村驻村设点率 against the target lines). No script, no font, no image and no
address outside the file: it opens the same in any browser, offline."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from kuaidi_cli.core import metrics
from kuaidi_cli.core.rules import Rules
from kuaidi_cli.core.statuses import Status, css
from kuaidi_cli.report import Report, ReportContext, ScopeRow
from kuaidi_cli.report.columns import scope_columns, values
from kuaidi_cli.write import changes as change_table
from kuaidi_cli.write import submissions as submission_table
from kuaidi_cli.write.labels import t
from kuaidi_cli.write.marks import HTML_MARK
from kuaidi_cli.write.scope import (
    county_rows,
    footer_lines,
    reference_note,
    status_note,
    target_label,
    township_rows,
    trust_notes,
)
from kuaidi_cli.write.scope import title as scope_title
from kuaidi_cli.write.text import Marks, pct, rate_marks, reason_text

_CSS = """
body{font-family:"Noto Sans CJK SC","Microsoft YaHei","PingFang SC",sans-serif;margin:24px;color:#222;
max-width:1100px}
h1{font-size:22px;margin:0 0 4px}
h2{font-size:17px;margin:28px 0 8px;border-left:4px solid #2f5597;padding-left:8px}
.sub{color:#666;margin-bottom:16px}table{border-collapse:collapse;font-size:13px;margin:4px 0}
th,td{border:1px solid #bbb;padding:4px 8px}th{background:#d9e1f2}td.n{text-align:right}
tr.total td{font-weight:bold;background:#f2f2f2}.foot{color:#777;font-size:12px;margin-top:24px}
STATUSES
.warn{background:#fff4ce;border-left:4px solid #c98a00;padding:6px 10px;margin:6px 0;font-weight:bold;
color:#6b4a00}
svg text{font-family:"Noto Sans CJK SC","Microsoft YaHei",sans-serif}.charts svg{max-width:100%;height:auto}
@media print{@page{size:A4 landscape;margin:12mm}body{margin:0;max-width:none}
h2{break-after:avoid}tr,.charts svg{break-inside:avoid}thead{display:table-header-group}
th,STATUS_CLASSES,tr.total td{-webkit-print-color-adjust:exact;print-color-adjust:exact}}
""".replace("STATUS_CLASSES", ",".join(f".{s.value}" for s in Status)).replace("STATUSES", css())


def _bar_chart(title: str, names: list[str], values: list[float | None], lines: list[tuple[float, str]],
               color: str, marks: Marks) -> str:
    """Vertical bars of rates in [0, 1] with dashed horizontal target lines."""
    height, left, top, bottom, right = 300, 56, 36, 48, 150
    width = max(760, left + right + 56 * len(names))  # room for each name (a county's 30 townships)
    plot_h = height - top - bottom
    step = (width - left - right) / max(len(names), 1)
    bar = min(56.0, step * 0.6)

    def y(v: float) -> float:
        return top + plot_h * (1 - v)

    parts = [f'<svg width="{width}" height="{height}" viewBox="0 0 {width} {height}" role="img" '
             f'aria-label="{escape(title)}">',
             f'<text x="{width / 2}" y="20" text-anchor="middle" font-size="15" '
             f'font-weight="bold">{escape(title)}</text>']
    for tick in (0, 0.2, 0.4, 0.6, 0.8, 1.0):
        parts.append(
            f'<line x1="{left}" x2="{width - right}" y1="{y(tick):.1f}" y2="{y(tick):.1f}" '
            'stroke="#e5e5e5"/>')
        parts.append(
            f'<text x="{left - 6}" y="{y(tick) + 4:.1f}" text-anchor="end" font-size="11">{tick:.0%}</text>')
    on_top: list[str] = []  # the bars' values, drawn over the target lines, with a white edge to stay legible
    for i, (name, v) in enumerate(zip(names, values, strict=True)):
        x = left + step * i + (step - bar) / 2
        if v is not None:
            parts.append(
                f'<rect class="bar" x="{x:.1f}" y="{y(v):.1f}" width="{bar:.1f}" height="{plot_h * v:.1f}" '
                         f'fill="{color}"><title>{escape(name)} {pct(v, marks)}</title></rect>')
            on_top.append(
                f'<text x="{x + bar / 2:.1f}" y="{y(v) - 4:.1f}" text-anchor="middle" font-size="11" '
                          f'stroke="#fff" stroke-width="3" paint-order="stroke">{pct(v, marks)}</text>')
        else:
            parts.append(
                f'<text x="{x + bar / 2:.1f}" y="{y(0) - 4:.1f}" text-anchor="middle" '
                'font-size="11">—</text>')
        parts.append(
            f'<text x="{x + bar / 2:.1f}" y="{height - bottom + 18}" text-anchor="middle" font-size="12">'
                     f'{escape(name)}</text>')
    for n, (value, label) in enumerate(lines):
        parts.append(
            f'<line class="target" x1="{left}" x2="{width - right}" y1="{y(value):.1f}" y2="{y(value):.1f}" '
                     f'stroke="#c00000" stroke-dasharray="6 4" stroke-width="1.5"/>')
        # labels in the right margin, nudged apart when two targets are close (80% and 85%)
        ly = y(value) + 4 + (8 if n % 2 == 0 and len(lines) > 1 else -2)
        parts.append(
            f'<text x="{width - right + 6}" y="{ly:.1f}" font-size="11" '
            f'fill="#c00000">{escape(label)}</text>')
    parts += on_top
    parts.append(f'<line x1="{left}" x2="{left}" y1="{top}" y2="{y(0)}" stroke="#888"/>')
    parts.append("</svg>")
    return "\n".join(parts)


def _target_lines(rules: Rules, metric: str, lang: str) -> list[tuple[float, str]]:
    """Each target value of a metric once, labelled by its kind and due date (100% 必达 2022-12-31), not by
    the rules' id."""
    seen: dict[float, str] = {}
    for x in rules.targets:
        if x.metric == metric and x.kind != "info":
            seen.setdefault(x.target, f"{x.target:.0%} {t(f'kind.{x.kind}', lang)} {x.due.isoformat()}")
    return sorted(seen.items())


def _submission_table(report: Report, lang: str, townships: bool) -> str:
    """报送情况 (by township: 分乡镇报送情况) as a table: a county's rows of the two registers one under the
    other, its name and status once (the cells spanning them); the note of no outlet register under it."""
    if not (report.township_submissions if townships else report.submissions):
        return ""
    keys = submission_table.heads(report, townships=townships)
    place = sum(k in ("county", "township") for k in keys)
    body = []
    for group in submission_table.groups(report, lang, townships=townships, names=townships):
        span = f' rowspan="{len(group)}"' if len(group) > 1 else ""
        for i, row in enumerate(group):
            cells = [(x, j < place or j == len(row) - 1) for j, x in enumerate(row)]
            body.append("<tr>" + "".join(
                f'<td{span if spanning else ""} class="{"n" if isinstance(x, int) else ""}">'
                f'{escape(str(x)).replace(chr(10), "<br>")}</td>'
                for x, spanning in cells if not (i and spanning)) + "</tr>")
    note = submission_table.note(report, lang)
    return (
        f"<h2>{escape(submission_table.title(report, lang, townships=townships))}</h2><table><tr>"
        + "".join(
            f"<th>{escape(h)}</th>" for h in submission_table.headers(report, lang, townships=townships)
        )
        + "</tr>"
        + "".join(body)
        + "</table>"
        + (f"<p>{escape(note)}</p>" if note and not townships else "")
    )


def to_html(report: Report, context: ReportContext, rules: Rules, lang: str = "zh") -> str:
    by_id = {x.id: x for x in rules.targets}
    marks = rate_marks(rules.targets)
    en = lang == "en"
    title = scope_title(report, lang)
    rows = []
    for x in report.targets:
        rule = by_id[x.id]
        value = (pct(x.value, marks) if rule.is_rate else f"{x.value:g}") if x.value is not None else "—"
        target = pct(x.target, marks) if rule.is_rate else f"{x.target:g}"
        gap = status_note(x, lang, is_rate=rule.is_rate)
        label = target_label(rule, report, rules, lang)
        # (as the terminal: 79 township-level units in the list)
        note = reference_note(rule.metric, context, lang)
        note = f"<br><small>{escape(note)}</small>" if note else ""
        rows.append(f"<tr><td>{escape(label)}{note}</td><td>{t('kind.' + x.kind, lang)}</td>"
                    f'<td class="n">{target}</td><td class="n">{value}</td><td>{x.due.isoformat()}</td>'
                    f'<td class="{x.status}">{t("status." + x.status, lang)}</td><td '
                    f'class="n">{gap}</td></tr>')
    targets = ("<table><tr>" + "".join(f"<th>{t(k, lang)}</th>" for k in
               ("target_label", "kind", "target_value", "current", "due", "status", "gap")) + "</tr>"
               + "".join(rows) + "</table>")
    columns = scope_columns(report)
    heads = ("county", *(c.key for c in columns))

    def scope_row(name: str, s: ScopeRow, cls: str = "") -> str:
        cells = ["—" if x is None else pct(x, marks) if c.rate else x for c, x in zip(columns, values(
            s, columns), strict=True)]
        return (
            f'<tr class="{cls}"><td>{escape(name)}</td>'
            + "".join(f'<td class="n">{c}</td>' for c in cells)
            + "</tr>"
        )

    counties = ("<table><tr>" + "".join(f"<th>{t(k, lang)}</th>" for k in heads) + "</tr>"
                + "".join(scope_row(names[0], s) for names, s in county_rows(report, lang))
                + scope_row(t("total_row", lang), report.summary, "total") + "</table>")
    township_heading = townships = ""
    if report.scope.level != "city" or len(report.counties) == 1:  # a county's page: its townships
        township_heading = f"<h2>{t('by_township', lang)}</h2>"
        townships = (
            f"<table><tr><th>{t('county', lang)}</th>"
            + "".join(f"<th>{t(k, lang)}</th>" for k in ("township", *heads[1:]))
            + "</tr>"
            + "".join(
                scope_row(names[1], s).replace("<td>", f"<td>{escape(names[0])}</td><td>", 1)
                for names, s in township_rows(report, lang)
            )
            + scope_row(t("total_row", lang), report.summary, "total").replace("<td>", '<td colspan="2">', 1)
            + "</table>"
        )
    submissions = "".join(_submission_table(report, lang, townships) for townships in (False, True))
    changes = ""
    if context.changes is not None:
        ch = context.changes
        changes = (f"<h2>{escape(change_table.title(ch, lang))}</h2>"
                   + "".join(f"<p>{escape(line)}</p>" for line in change_table.county_lines(ch, lang))
                   + "<table><tr>"
                   + "".join(f"<th>{escape(h)}</th>" for h in change_table.count_headers(lang)) + "</tr>"
                   + "".join("<tr>" + "".join(f"<td>{escape(str(x))}</td>" for x in row) + "</tr>"
                             for row in change_table.count_rows(ch, lang, report.scope.counties))
                   + "</table><table><tr>"
                   + "".join(f"<th>{escape(h)}</th>" for h in change_table.village_headers(lang)) + "</tr>"
                   + "".join("<tr>" + "".join(f"<td>{escape(str(x or ''))}</td>" for x in row) + "</tr>"
                             for row in change_table.village_rows(ch, lang)[:200]) + "</table>")
    # bars of the parts a reader compares: the counties of a city (or of several counties), the townships of
    # one
    # county (or of one township)
    by_township = report.scope.level != "city" and len(report.counties) == 1
    parts: Sequence[ScopeRow] = report.townships if by_township else report.counties
    names = [w.township for w in report.townships] if by_township else [c.county for c in report.counties]
    bars = [_bar_chart(t(m.label_key, lang), names, [getattr(c, m.name, None) for c in parts],
                       _target_lines(rules, m.name, lang), m.colour or "#555", marks)
            for m in metrics.METRICS if m.bars]  # (core.metrics: the rates charted by part)
    charts = '<div class="charts">\n' + "\n".join(bars) + '\n</div>'
    why = reason_text(rules, lang)
    attention = "".join(
        f"<tr><td>{escape(a.county)}</td><td>{escape(a.township)}</td><td>{escape(a.village)}</td>"
        f"<td>{escape(why(a))}</td>"
        f"<td>{escape(a.file or '')}{'' if a.row is None else f' : {a.row}'}</td></tr>"
        for a in report.attention[:200]
    )
    attention_title = (t("attention", lang, n=200, total=len(report.attention)) if len(report.attention) > 200
                       else t("attention_all", lang, total=len(report.attention)))
    foot = footer_lines(report, context, lang)  # (the terminal's, line for line)
    warnings = "".join(
        f'<div class="warn">⚠{escape(note)}</div>' for note in trust_notes(report, context, lang)
    )
    return f"""<!doctype html>
<html lang="{'en' if en else 'zh-CN'}"><head><meta charset="utf-8">{HTML_MARK}<title>{escape(title)}</title>
<style>{_CSS}</style></head><body>
<h1>{escape(title)}</h1>
<div class="sub">{escape(report.rules.name)}</div>
{warnings}
<h2>{t("targets", lang)}</h2>
{targets}
{"" if report.scope.level == "township" else f'<h2>{t("by_county", lang)}</h2>'}
{"" if by_township else charts}
{"" if report.scope.level == "township" else counties}
{township_heading}{charts if by_township else ""}{townships}
{submissions}
{changes}
<h2>{escape(attention_title)}</h2>
<table><tr><th>{t("county", lang)}</th><th>{t("township", lang)}</th><th>{t("village", lang)}</th>
<th>{t("reasons", lang)}</th><th>{t("file", lang)} : {t("row_no", lang)}</th></tr>
{attention}</table>
<div class="foot">{"<br>".join(escape(x) for x in foot)}</div>
</body></html>
"""
