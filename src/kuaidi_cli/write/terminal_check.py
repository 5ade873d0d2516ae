"""The `check` result on a terminal: a rich table of findings, then the row counts of each file."""

from __future__ import annotations

from dataclasses import dataclass, field

from rich.console import Console
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from kuaidi_cli.check import CheckResult
from kuaidi_cli.core.fields import FIELDS
from kuaidi_cli.core.findings import Finding, Severity
from kuaidi_cli.write.labels import t

_STYLE = {Severity.ERROR: "bold red", Severity.WARNING: "yellow", Severity.INFO: "dim"}
_MARK = {Severity.ERROR: "✗", Severity.WARNING: "!", Severity.INFO: "·"}
_RANK = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.INFO: 2}


@dataclass
class Line:
    """One line of the findings table: a finding, and the rows of the same finding elsewhere."""

    finding: Finding
    rows: list[int] = field(default_factory=list)


def lines(findings: list[Finding]) -> list[Line]:
    """Findings with the same file, sheet, column, code and message become one line listing their rows,
    so that 99 rows of 开封县 read as one warning, not 99."""
    grouped: dict[tuple[str, str | None, str | None, str, str], Line] = {}
    for f in findings:
        key = (f.file, f.sheet, f.column, f.code, f.message_zh)
        line = grouped.setdefault(key, Line(f))
        if f.row is not None:
            line.rows.append(f.row)
    return list(grouped.values())


def shown_lines(all_lines: list[Line], limit: int) -> list[Line]:
    """At most `limit` lines, errors before warnings before notes, then back in file order."""
    if len(all_lines) <= limit:
        return all_lines
    order = {id(x): i for i, x in enumerate(all_lines)}
    picked = sorted(all_lines, key=lambda x: (_RANK[x.finding.severity], order[id(x)]))[:limit]
    return sorted(picked, key=lambda x: order[id(x)])


def _rows(rows: list[int], lang: str) -> str:
    if not rows:
        return ""
    if len(rows) == 1:
        return t("row", lang, n=rows[0])
    head = "、".join(str(r) for r in rows[:3]) if lang != "en" else ", ".join(str(r) for r in rows[:3])
    more = "…" if len(rows) > 3 else ""
    return t("rows_many", lang, rows=head + more, n=len(rows))


def _where(line: Line, lang: str, several_files: bool) -> str:
    f = line.finding
    parts = []
    if several_files:
        parts.append(f.file)
    if f.sheet:
        parts.append(f.sheet)
    if line.rows:
        parts.append(_rows(line.rows, lang))
    return " ".join(parts) or f.file


def _field_label(name: str | None, lang: str) -> str:
    for fields in FIELDS.values():
        for f in fields:
            if f.name == name:
                return f.label(lang)
    return ""


def render(result: CheckResult, console: Console, *, lang: str = "zh", max_findings: int = 50) -> None:
    findings = result.findings
    several = len({fr.table.name for fr in result.files}) > 1  # (a workbook's sheets are one file)
    all_lines = lines(findings)
    if findings:
        # on a terminal under 100 columns the code goes under its message, which keeps the room to be read
        narrow = console.width < 100
        table = Table(title=t("findings", lang), title_justify="left")
        table.add_column("", no_wrap=True)
        table.add_column(t("where", lang), max_width=14 if narrow else 24, overflow="fold")
        table.add_column(t("column", lang), max_width=12 if narrow else 16, overflow="fold")
        if not narrow:
            table.add_column(t("code", lang), no_wrap=True)
        table.add_column(t("message", lang), overflow="fold", ratio=1)
        shown = shown_lines(all_lines, max_findings)
        for line in shown:
            f = line.finding
            style = _STYLE[f.severity]
            message = Text(f.message(lang))
            if narrow:
                message.append("\n" + f.code, style=f"{style} dim")
            code = [] if narrow else [Text(f.code, style=style)]
            column = f.column or _field_label(f.field, lang)
            table.add_row(Text(_MARK[f.severity], style=style), _where(line, lang, several), column, *code,
                          message)
        console.print(table)
        hidden = len(findings) - sum(max(1, len(x.rows)) for x in shown)
        if hidden:
            console.print(t("more", lang, n=hidden))
    else:
        console.print(t("no_findings", lang))

    console.print()
    for fr in result.files:
        tb, c = fr.table, fr.counts
        fmt = tb.format + (f" {tb.encoding}" if tb.encoding else "")
        header = "–".join(str(r) for r in sorted({tb.header_rows[0], tb.header_rows[-1]}))
        sheet = t("sheet_part", lang, sheet=tb.sheet) if tb.sheet else ""
        console.print(Text(t("file_line", lang, name=tb.name, kind=t("kind." + tb.kind.value, lang), fmt=fmt,
                             sheet=sheet, header=header), style="bold"))
        parts = [
            f"{t('skip.' + k, lang)} {getattr(c, k)}"
            for k in ("blank", "total", "note", "duplicate", "not_village")
            if getattr(c, k)
        ]
        detail = f"（{'、'.join(parts)}）" if lang != "en" else f" ({', '.join(parts)})"
        also = t("count_uncertain", lang, n=c.uncertain) if c.uncertain else ""
        console.print(escape(t("count_line", lang, rows=c.rows, valid=c.valid, invalid=c.invalid,
                               skipped=c.skipped,
                               detail=detail if c.skipped else "", errors=fr.errors, warnings=fr.warnings,
                               uncertain=also)))
    valid = sum(fr.counts.valid for fr in result.files)
    invalid = sum(fr.counts.invalid for fr in result.files)
    uncertain = sum(fr.counts.uncertain for fr in result.files)
    if result.errors:
        more = t("failed_uncertain", lang, n=uncertain) if uncertain else ""
        console.print(Text(t("failed", lang, errors=result.errors, warnings=result.warnings, invalid=invalid,
                             uncertain=more), style="bold red"))
    else:
        console.print(Text(t("ok", lang, files=len({fr.table.name for fr in result.files}), valid=valid,
                             warnings=result.warnings),
                           style="bold green"))
