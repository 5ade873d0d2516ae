"""The output formats, each registered once: its name, its file suffixes, how kuaidi knows a file of it
as its own (the mark it writes into it), whether `export` writes it, and its renderer. `report --format`
and `-o`'s suffix, `export --formats`, the CLI's choices and help, and `write.files.written_by_kuaidi`
read this registry."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from kuaidi_cli.core.errors import KuaidiError
from kuaidi_cli.write import marks

if TYPE_CHECKING:
    from kuaidi_cli.core.rules import Rules
    from kuaidi_cli.report.model import Report, ReportContext

Render = Callable[["Report", "ReportContext", "Rules", str], bytes]
Knows = Callable[[Path, Mapping[str, bool]], bool]  # (an existing file, the CSV headers) → kuaidi wrote it


@dataclass(frozen=True)
class Format:
    name: str
    suffixes: tuple[str, ...]  # the first names the files kuaidi writes (kuaidi-report-<date><suffix>)
    render: Render  # the report as the bytes of a file
    knows: Knows  # whether an existing file of a suffix of it is kuaidi's own (by its mark)
    export: bool = True  # `export --formats` may name it (and writes it by default)


def _table(report: Report, context: ReportContext, rules: Rules, lang: str) -> bytes:
    """The terminal's text at 120 columns."""
    import io

    from rich.console import Console

    from kuaidi_cli.write.terminal_report import render as render_table

    buf = io.StringIO()
    render_table(report, context, rules, Console(file=buf, width=120, color_system=None), lang=lang)
    return buf.getvalue().encode("utf-8")


def _json(report: Report, context: ReportContext, rules: Rules, lang: str) -> bytes:
    from kuaidi_cli.write.json_csv import to_json

    return to_json(report).encode("utf-8")


def _csv(report: Report, context: ReportContext, rules: Rules, lang: str) -> bytes:
    from kuaidi_cli.write.json_csv import to_csv

    return to_csv(report, lang)


def _xlsx(report: Report, context: ReportContext, rules: Rules, lang: str) -> bytes:
    from kuaidi_cli.write.xlsx import to_xlsx

    return to_xlsx(report, context, rules, lang)


def _html(report: Report, context: ReportContext, rules: Rules, lang: str) -> bytes:
    from kuaidi_cli.write.html import to_html

    return to_html(report, context, rules, lang).encode("utf-8")


# In the order `report --format` lists them (the terminal's table, its default, first); `export` writes
# the others, in this order.
FORMATS: list[Format] = [
    Format("table", (".txt",), _table, marks.knows_text, export=False),
    Format("json", (".json",), _json, marks.knows_json),
    Format("csv", (".csv",), _csv, marks.knows_csv),
    Format("xlsx", (".xlsx",), _xlsx, marks.knows_xlsx),
    Format("html", (".html", ".htm"), _html, marks.knows_html),
]


def names(*, export: bool = False) -> list[str]:
    """The formats' names (those `export` may write)."""
    return [f.name for f in FORMATS if f.export or not export]


def get(name: str) -> Format:
    for f in FORMATS:
        if f.name == name:
            return f
    raise KuaidiError(f"不支持的格式 {name}（可用 {', '.join(names())}）",
                      f"unknown format {name} (use {', '.join(names())})")


def by_suffix(suffix: str) -> Format | None:
    """The format of a file suffix (.xlsx, .htm), or None."""
    suffix = suffix.lower()
    for f in FORMATS:
        if suffix in f.suffixes:
            return f
    return None


def suffixes() -> list[str]:
    """The suffix of each format's files (.xlsx .csv …), for the messages."""
    return [f.suffixes[0] for f in FORMATS]


def render(fmt: str, report: Report, context: ReportContext, rules: Rules, lang: str) -> bytes:
    """The report as the bytes of a file in format `fmt` (table: the terminal's text at 120 columns)."""
    return get(fmt).render(report, context, rules, lang)
