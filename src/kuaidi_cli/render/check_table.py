"""The `check` result on a terminal: a rich table of findings, then the row counts of each file."""

from __future__ import annotations

from rich.console import Console
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from kuaidi_cli.checking import CheckResult
from kuaidi_cli.findings import Finding, Severity
from kuaidi_cli.render.labels import t

_STYLE = {Severity.ERROR: "bold red", Severity.WARNING: "yellow", Severity.INFO: "dim"}
_MARK = {Severity.ERROR: "✗", Severity.WARNING: "!", Severity.INFO: "·"}
_RANK = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.INFO: 2}


def shown_findings(findings: list[Finding], limit: int) -> list[Finding]:
    """At most `limit` findings, errors before warnings before notes, then back in file order."""
    if len(findings) <= limit:
        return findings
    order = {id(f): i for i, f in enumerate(findings)}
    picked = sorted(findings, key=lambda f: (_RANK[f.severity], order[id(f)]))[:limit]
    return sorted(picked, key=lambda f: order[id(f)])


def _where(f: Finding, lang: str, several_files: bool) -> str:
    parts = []
    if several_files:
        parts.append(f.file)
    if f.sheet:
        parts.append(f.sheet)
    if f.row is not None:
        parts.append(t("row", lang, n=f.row))
    return " ".join(parts) or f.file


def render(result: CheckResult, console: Console, *, lang: str = "zh", max_findings: int = 50) -> None:
    findings = result.findings
    several = len(result.files) > 1
    if findings:
        table = Table(title=t("findings", lang), title_justify="left")
        table.add_column("", no_wrap=True)
        table.add_column(t("where", lang), no_wrap=True)
        table.add_column(t("column", lang), max_width=16)
        table.add_column(t("code", lang), no_wrap=True)
        table.add_column(t("message", lang), overflow="fold", ratio=1)
        for f in shown_findings(findings, max_findings):
            style = _STYLE[f.severity]
            table.add_row(
                Text(_MARK[f.severity], style=style), _where(f, lang, several), f.column or "",
                Text(f.code, style=style), Text(f.message(lang)),
            )
        console.print(table)
        if len(findings) > max_findings:
            console.print(t("more", lang, n=len(findings) - max_findings))
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
        detail = f"（{t('skipped_detail', lang, **vars(c))}）" if lang != "en" else \
            f" ({t('skipped_detail', lang, **vars(c))})"
        console.print(escape(t("count_line", lang, rows=c.rows, valid=c.valid, invalid=c.invalid, skipped=c.skipped,
                               detail=detail if c.skipped else "", errors=fr.errors, warnings=fr.warnings)))
    valid = sum(fr.counts.valid for fr in result.files)
    invalid = sum(fr.counts.invalid for fr in result.files)
    if result.errors:
        console.print(Text(t("failed", lang, errors=result.errors, warnings=result.warnings, invalid=invalid),
                           style="bold red"))
    else:
        console.print(Text(t("ok", lang, files=len(result.files), valid=valid, warnings=result.warnings),
                           style="bold green"))
