"""The report rendered in a file format by name (xlsx, csv, json, html): what `report --format` and
`export --formats` choose from."""

from __future__ import annotations

from kuaidi_cli.core.errors import KuaidiError
from kuaidi_cli.core.rules import Rules
from kuaidi_cli.report.model import Report, ReportContext

FORMATS = ("xlsx", "csv", "json", "html")


def render(fmt: str, report: Report, context: ReportContext, rules: Rules, lang: str) -> bytes:
    """The report as the bytes of a file in format `fmt` (table: the terminal's text at 120 columns)."""
    if fmt == "table":
        import io

        from rich.console import Console

        from kuaidi_cli.write.terminal_report import render as render_table

        buf = io.StringIO()
        render_table(report, context, rules, Console(file=buf, width=120, color_system=None), lang=lang)
        return buf.getvalue().encode("utf-8")
    if fmt == "json":
        from kuaidi_cli.write.json_csv import to_json

        return to_json(report).encode("utf-8")
    if fmt == "csv":
        from kuaidi_cli.write.json_csv import to_csv

        return to_csv(report, lang)
    if fmt == "xlsx":
        from kuaidi_cli.write.xlsx import to_xlsx

        return to_xlsx(report, context, rules, lang)
    if fmt == "html":
        from kuaidi_cli.write.html import to_html

        return to_html(report, context, rules, lang).encode("utf-8")
    raise KuaidiError(f"不支持的格式 {fmt}（可用 {', '.join(FORMATS)}）", f"unknown format {fmt} (use {', '.join(FORMATS)})")
