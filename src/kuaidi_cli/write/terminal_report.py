"""The report on a terminal: targets, counties, townships, the villages needing attention, a footer."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

from rich.cells import cell_len
from rich.console import Console, Group
from rich.table import Table
from rich.text import Text

from kuaidi_cli.core.rules import Rules
from kuaidi_cli.report import Report, ReportContext, ScopeRow, Summary
from kuaidi_cli.report.columns import Column, scope_columns, values
from kuaidi_cli.write import submissions as submission_table
from kuaidi_cli.write.labels import t
from kuaidi_cli.write.scope import (
    county_rows,
    footer_lines,
    reference_note,
    status_note,
    target_label,
    title,
    township_rows,
    trust_notes,
)
from kuaidi_cli.write.text import Marks, pct, rate_marks, reason_text, value_text

ATTENTION_ROWS = 20


def _targets(report: Report, rules: Rules, lang: str, context: ReportContext) -> Table:
    by_id = {x.id: x for x in rules.targets}
    marks = rate_marks(rules.targets)
    table = Table(title=t("targets", lang), title_justify="left", title_style="bold")
    columns: tuple[tuple[str, Literal["left", "right"]], ...] = (
        ("target_label", "left"),
        ("kind", "left"),
        ("target_value", "right"),
        ("current", "right"),
        ("due", "left"),
        ("status", "left"),
        ("gap", "right"),
    )
    for key, justify in columns:
        table.add_column(t(key, lang), justify=justify, overflow="fold")
    for r in report.targets:
        rule = by_id[r.id]
        label = target_label(rule, report, rules, lang)
        gap = status_note(r, lang, is_rate=rule.is_rate)
        note = reference_note(rule.metric, context, lang)
        table.add_row(
            f"{label}\n[dim]{r.id}[/dim]" + (f"\n[dim]{note}[/dim]" if note else ""), t(
                f"kind.{r.kind}", lang), value_text(rule.is_rate, r.target, marks),
            value_text(rule.is_rate, r.value, marks), r.due.isoformat(),
            Text(t(f"status.{r.status}", lang), style=r.status.style), gap,
        )
    return table


def _cells(s: ScopeRow, columns: list[Column], marks: Marks) -> list[str]:
    return [("—" if x is None else pct(x, marks) if c.rate else str(x)) for c, x in zip(columns, values(
        s, columns), strict=True)]


def _scope_table(title: str, first: list[str], rows: Sequence[tuple[list[str], ScopeRow]], total: Summary,
                 lang: str, columns: list[Column], marks: Marks, width: int) -> Table | Group:
    footer = _cells(total, columns, marks)
    body = [(names, _cells(s, columns, marks)) for names, s in rows]
    widths = [max(cell_len(cells[i]) for cells in [footer, *(b for _, b in body)])
              for i in range(len(columns))]
    # (the borders, a space a column, every figure whole and two characters of each name: else, lines)
    if 2 * (len(first) + len(columns)) + 1 + sum(max(w, 2) for w in widths) + 4 * len(first) > width:
        return _scope_lines(title, [*body, ([t("total_row", lang)], footer)], columns, lang, width)
    table = Table(title=title, title_justify="left", title_style="bold", show_footer=True)
    for i, key in enumerate(first):
        table.add_column(t(key, lang), footer=t("total_row", lang) if i == 0 else "", overflow="fold")
    for i, (column, cell) in enumerate(zip(columns, footer, strict=True)):
        # a figure is never broken over two lines ("84." over "2%"): its header wraps instead (to 2 at least:
        # a CJK character)
        head = Text(t(column.key, lang), no_wrap=False, overflow="fold")
        table.add_column(head, justify="right", footer=cell, no_wrap=True, overflow="fold",
                         min_width=max(widths[i], 2))
    for names, cells in body:
        table.add_row(*names, *cells)
    _fit(table, [max((cell_len(n[i]) for n, _ in body), default=0) for i in range(len(first))], width)
    return table


def _scope_lines(title: str, rows: list[tuple[list[str], list[str]]], columns: list[Column],
                 lang: str, width: int) -> Group:
    """A scope table on a terminal too narrow for its figures whole beside the names (under ~65 columns):
    a block a row, its names on a line, then each figure with its label (「通达率 83.6%」), the figures
    wrapping between them — every figure whole and named."""
    parts: list[Text] = [Text(title, style="bold")]
    for names, cells in rows:
        parts.append(Text(" ".join(n for n in names if n), style="bold"))
        parts += _packed([f"{t(c.key, lang)} {cell}" for c, cell in zip(columns, cells, strict=True)], width)
    return Group(*parts)


def _packed(units: list[str], width: int) -> list[Text]:
    """Units ("通达率 83.6%") on lines indented by two, as many as fit `width`: a unit is never broken."""
    lines: list[Text] = []
    line = ""
    for unit in units:
        if line and cell_len(line) + 2 + cell_len(unit) > width - 2:
            lines.append(Text("  " + line, no_wrap=True, overflow="ignore"))
            line = ""
        line = f"{line}  {unit}" if line else unit
    lines.append(Text("  " + line, no_wrap=True, overflow="ignore"))
    return lines


def _fit(table: Table, names: list[int], width: int) -> None:
    """A table of columns of names (`names`: the widest of each), then of figures (no_wrap, `min_width` their
    widest), on a terminal `width` wide: as it is when it fits; else the widest headers of figures wrap, one
    cell at a time (as rich narrows the columns it may wrap), between their words first, then down to their
    widest figure at most (the padding between the columns shrinking before a word is cut), the names'
    columns folding in what is left; and where the names would not fit whole that way, the padding
    shrinks too. Figures stay whole on one line down to ~70 columns."""
    figures = table.columns[len(names):]
    if not figures:
        return
    least = [c.min_width or 0 for c in figures]
    wide = [max(cell_len(str(c.header)), m) for c, m in zip(figures, least, strict=True)]
    fixed = len(table.columns) + 1 + 2 * len(table.columns)  # the borders and the padding
    heads = [cell_len(str(c.header)) for c in table.columns[:len(names)]]
    excess = fixed + sum(map(max, names, heads)) + sum(wide) - width
    # a header's narrowest: its longest word; Chinese breaks between any two characters (a word of one)
    words = [max(2 if cell_len(w) > len(w) else cell_len(w) for w in str(c.header).split(" "))
             for c in figures]
    for floors in ([max(w, m) for w, m in zip(words, least, strict=True)], least):  # between words first
        if floors is least and excess > 0:  # then the padding between the columns, before a word is cut
            table.collapse_padding = True
            excess -= len(table.columns) - 1
        while excess > 0:
            i = max(range(len(figures)), key=lambda k: (wide[k] > floors[k], wide[k]))
            if wide[i] <= floors[i]:
                break
            wide[i] -= 1
            excess -= 1
    for column, w in zip(figures, wide, strict=True):
        column.max_width = w
    if fixed + sum(wide) + sum(min(n, 8) for n in names) > width:
        table.collapse_padding = True


def render(report: Report, context: ReportContext, rules: Rules, console: Console, *,
           lang: str = "zh") -> None:
    console.print(Text(title(report, lang), style="bold"))
    for note in trust_notes(report, context, lang):
        console.print(Text("⚠" + note, style="bold yellow"))
    console.print(_targets(report, rules, lang, context))
    counties = county_rows(report, lang)
    columns = scope_columns(report)
    # (one township's row named as its county would read as the county's)
    if report.scope.level != "township":
        console.print(_scope_table(t("by_county", lang), ["county"], counties, report.summary, lang, columns,
                                   rate_marks(rules.targets), console.width))
    if len(report.counties) == 1 or any(context.selection):
        townships = township_rows(report, lang)
        console.print(_scope_table(t("by_township", lang), ["county", "township"], townships, report.summary,
                                   lang,
                                   columns, rate_marks(rules.targets), console.width))
    _submissions(report, console, lang)
    _attention(report, rules, console, lang, context)
    _footer(report, context, console, lang)


def _submissions(report: Report, console: Console, lang: str) -> None:
    """报送情况 (and, for a county's or a township's report, by township): a county's rows of the two
    registers one under the other, its name and status once."""
    if not report.submissions:
        return
    for townships in (False, True):
        if townships and not report.township_submissions:
            continue
        table = Table(title=submission_table.title(report, lang, townships=townships), title_justify="left",
                      title_style="bold")
        keys = submission_table.heads(report, townships=townships)
        # (by township, the files by name: the county's table above gives their folder)
        groups = submission_table.groups(report, lang, townships=townships, names=townships)
        names: list[int] = []  # the widest name, register and file: the columns _fit folds
        for k, (key, head) in enumerate(zip(keys, submission_table.headers(report, lang, townships=townships),
                                            strict=True)):
            # on a narrow terminal the files' column folds: a figure, a date, a status stays whole on its line
            # (its header wraps instead) and a name keeps up to 12 columns
            widest = max((cell_len(str(row[k])) for group in groups for row in group), default=0)
            whole = key in (*submission_table.NUMBERS, "sub.latest", "sub.status")
            table.add_column(Text(head, no_wrap=False, overflow="fold"),
                             justify="right" if key in submission_table.NUMBERS else "left", overflow="fold",
                             no_wrap=whole, min_width=max(widest, 2) if whole else None)
            if not whole:  # (a file's path folds before a header of figures wraps: counted as 12 at most)
                names.append(min(widest, 12))
        # the columns naming the place, said once a group
        place = sum(k in ("county", "township") for k in keys)
        wholes = sum((c.min_width or 0) for c in table.columns if c.no_wrap)
        if 3 * len(keys) + 1 + wholes + 4 * len(names) > console.width:  # too narrow for a table: lines
            _submission_lines(report, lang, townships, groups, place, console)
            continue
        for group in groups:
            for i, row in enumerate(group):
                status = str(row[-1])
                cells = [str(x) for x in row[:-1]]
                if i:
                    cells[:place] = [""] * place
                table.add_row(
                    *cells,
                    Text(
                        "" if i else status,
                        style="" if submission_table.is_sent(status, lang) else "bold magenta",
                    ),
                    end_section=len(group) > 1 and i == len(group) - 1,
                )
        _fit(table, names, console.width)
        console.print(table)
        note = submission_table.note(report, lang)
        if note and not townships:
            console.print(Text(note, style="dim"))


def _submission_lines(report: Report, lang: str, townships: bool, groups: list[list[list[object]]],
                      place: int,
                      console: Console) -> None:
    """报送情况 on a terminal too narrow for its table (under ~65 columns): a block a place — its name and
    status, then each register's row as labelled figures, never broken — and its note."""
    heads = submission_table.headers(report, lang, townships=townships)
    console.print(Text(submission_table.title(report, lang, townships=townships), style="bold"))
    for group in groups:
        name = " ".join(str(x) for x in group[0][:place])
        console.print(Text(f"{name}  {group[0][-1]}", style="bold"))
        for row in group:
            labelled = zip(heads[place + 1:-1], row[place + 1:-1], strict=True)
            for line in _packed([str(row[place]), *(f"{h} {x}" for h, x in labelled)], console.width):
                console.print(line)
    note = submission_table.note(report, lang)
    if note and not townships:
        console.print(Text(note, style="dim"))


def _attention(report: Report, rules: Rules, console: Console, lang: str, context: ReportContext) -> None:
    if not report.attention:
        console.print(t("attention_none", lang))
        return
    shown = report.attention[:ATTENTION_ROWS]
    title = (t("attention", lang, n=len(shown), total=len(report.attention)) if len(shown) < len(
        report.attention)
             else t("attention_all", lang, total=len(report.attention)))
    table = Table(title=title, title_justify="left",
                  title_style="bold")
    for key in ("county", "township", "village", "reasons"):
        table.add_column(t(key, lang))
    why = reason_text(rules, lang)
    for a in shown:
        table.add_row(a.county, a.township, a.village, why(a))
    console.print(table)


def _footer(report: Report, context: ReportContext, console: Console, lang: str) -> None:
    lines = footer_lines(report, context, lang)
    command = context.check_command
    for line in lines:
        # the line naming the check command is never broken (the terminal folds it): it is copied whole
        console.print(Text(line, style="dim"), soft_wrap=bool(command) and command in line)
