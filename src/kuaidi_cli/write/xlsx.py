"""The report as one Excel workbook (docs/EXPORTS.md): 汇总, 分县区, 分乡镇, 待整改村, 数据问题, 说明.

The county and township sheets look like the 统计表 an office sends upward: a merged title, the as-of
date under it, a 序号 column, a 合计 row, and print settings (A4 landscape, fit to width, header rows
repeated). Numbers are numbers, rates carry a percentage format, statuses are coloured, every header
is frozen and filtered. Long lists are capped so that a national workbook stays small; the CSV export
carries them whole.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence
from typing import Any

import xlsxwriter

from kuaidi_cli.core.findings import Finding
from kuaidi_cli.core.rules import Rules
from kuaidi_cli.report import Report, ReportContext, ScopeRow
from kuaidi_cli.report.changes import Changes
from kuaidi_cli.report.columns import scope_columns, values
from kuaidi_cli.write import changes as change_table
from kuaidi_cli.write.about import about_rows
from kuaidi_cli.write.finding_titles import finding_title
from kuaidi_cli.write.labels import t
from kuaidi_cli.write.marks import XLSX_MARK
from kuaidi_cli.write.scope import (
    county_rows,
    reference_note,
    scope_heading,
    status_note,
    target_label,
    township_rows,
    trust_notes,
)
from kuaidi_cli.write.text import Marks, as_of_text, attention_cells, fitted_width, rate_marks, wrapped_lines
from kuaidi_cli.write.xlsx_book import Book
from kuaidi_cli.write.xlsx_submissions import submissions_sheet

MAX_DETAIL_ROWS = 20_000  # rows of 待整改村 and 数据问题 kept in the workbook


def _sheet_header(book: Book, ws: Any, title: str, subtitle: str, headers: list[str], widths: list[
    int]) -> int:
    """Title, subtitle and header rows; returns the index of the header row."""
    last = len(headers) - 1
    ws.merge_range(0, 0, 0, last, title, book.title)
    ws.merge_range(1, 0, 1, last, subtitle, book.subtitle)
    ws.set_row(0, 28)
    for col, (head, width) in enumerate(zip(headers, widths, strict=True)):
        ws.write_string(3, col, head, book.header)
        ws.set_column(col, col, width)
    lines = max(wrapped_lines(head, width + 1) for head, width in zip(headers, widths, strict=True))
    if lines > 1:  # a label wrapped in its cell (English ones, mostly) is seen whole
        ws.set_row(3, 15 * lines + 2)
    ws.freeze_panes(4, 0)
    ws.set_landscape()
    ws.set_paper(9)  # A4
    ws.fit_to_pages(1, 0)
    ws.repeat_rows(3)
    ws.center_horizontally()
    # printed, every page names what it is, of which scope and date, and which page it is
    ws.set_header(f"&C{title.replace('&', '&&')}　{subtitle.replace('&', '&&')}")
    ws.set_footer("&C&P / &N")
    return 3


def _scope_sheet(
    book: Book,
    name: str,
    title: str,
    report: Report,
    rows: Sequence[tuple[list[str], ScopeRow]],
    first: list[str],
    lang: str,
    marks: Marks,
) -> None:
    ws = book.wb.add_worksheet(t(f"sheet.{name}", lang))
    columns = scope_columns(report)
    headers = [
        "序号" if lang != "en" else "No.",
        *(t(k, lang) for k in first),
        *(t(c.key, lang) for c in columns),
    ]
    widths = [6, *([12] * len(first)), *([11] * len(columns))]
    head = _sheet_header(book, ws, title, as_of_text(report.as_of, lang), headers, widths)
    formats = [book.int, *([None] * len(first)), *(book.pct if c.rate else book.int for c in columns)]
    def cells(s: ScopeRow, total: bool = False) -> list[object]:
        return [
            book.rate(x, marks, total=total) if c.rate else x
            for x, c in zip(values(s, columns), columns, strict=True)
        ]

    r = book.rows(
        ws, head + 1, formats, [(n, *names, *cells(s)) for n, (names, s) in enumerate(rows, start=1)]
    )
    ws.autofilter(head, 0, max(r, head), len(headers) - 1)
    r += 1
    ws.merge_range(r, 0, r, len(first), t("total_row", lang), book.total)
    for j, (value, c) in enumerate(zip(cells(report.summary, total=True), columns, strict=True), start=1
                                   + len(first)):
        book.put(ws, r, j, value, book.total_pct if c.rate else book.total_int)


def _targets_sheet(book: Book, report: Report, context: ReportContext, rules: Rules, lang: str) -> None:
    ws = book.wb.add_worksheet(t("sheet.汇总", lang))
    by_id = {x.id: x for x in rules.targets}
    marks = rate_marks(rules.targets)
    # for people: labels, not the rules' ids and metric names (those are in 说明 and in the JSON)
    headers = ["序号" if lang != "en" else "No.", t("target_label", lang), t("kind", lang),
               t("target_value", lang), t("current", lang), t("due", lang), t("status", lang), t("gap", lang),
               "依据" if lang != "en" else "Source", "备注" if lang != "en" else "Note"]
    title = scope_heading(report, lang, "{scope}“快递进村”工作目标完成情况", "{scope} targets")
    widths = [6, 30, 9, 13, 9, 11, 9, 9, 40, 24]
    head = _sheet_header(book, ws, title, as_of_text(report.as_of, lang), headers, widths)
    r = head
    for n, x in enumerate(report.targets, start=1):
        rule = by_id[x.id]
        r += 1
        num = book.pct if rule.is_rate else book.int
        book.put(ws, r, 0, n, book.int)
        label, note = target_label(rule, report, rules, lang), ""
        book.put(ws, r, 1, label, book.wrap)
        book.put(ws, r, 2, t(f"kind.{x.kind}", lang))
        book.put(ws, r, 3, x.target, num)
        book.put(ws, r, 4, book.rate(x.value, marks) if rule.is_rate else x.value, num)
        ws.write_datetime(r, 5, dt.datetime.combine(x.due, dt.time()), book.date)
        book.put(ws, r, 6, t(f"status.{x.status}", lang), book.status[x.status])
        book.put(ws, r, 7, x.gap, book.int)
        book.put(ws, r, 8, rule.source or "", book.wrap)
        notes = [status_note(x, lang, is_rate=rule.is_rate) if not x.status.established
                 # (what the official list holds beside it)
                 else "", reference_note(rule.metric, context, lang)]
        note = ("; " if lang == "en" else "；").join(n for n in notes if n)
        if note:
            book.put(ws, r, 9, note, book.wrap)
        # a spreadsheet does not grow a row to its wrapped text (LibreOffice cut the 依据 quotes): set it
        ws.set_row(r, 15 * max(wrapped_lines(label, widths[1]), wrapped_lines(rule.source or "", widths[8]),
                               wrapped_lines(note, widths[9])))
    ws.autofilter(head, 0, max(r, head), len(headers) - 1)
    for note in trust_notes(report, context, lang):  # what the figures cannot establish, under them
        r += 2 if r == head + len(report.targets) else 1
        ws.write_string(r, 1, "⚠" + note, book.warn)


def _changes_sheet(book: Book, report: Report, changes: Changes, lang: str) -> None:
    """本期变化: the counts per county, then every village that changed."""
    ws = book.wb.add_worksheet(t("sheet.本期变化", lang))
    heads = change_table.count_headers(lang)
    title = scope_heading(report, lang, "{scope}“快递进村”本期变化", "{scope}: what changed")
    subtitle = "　".join([change_table.title(changes, lang), *change_table.county_lines(changes, lang)])
    head = _sheet_header(book, ws, title, subtitle, heads, [14, *([12] * (len(heads) - 1))])
    r = book.rows(ws, head + 1, [None, *([book.int] * (len(heads) - 1))],
                  change_table.count_rows(changes, lang, report.scope.counties))
    r += 2
    for c, name in enumerate(change_table.village_headers(lang)):
        ws.write_string(r, c, name, book.header)
    book.rows(ws, r + 1, [None] * 5, change_table.village_rows(changes, lang)[:MAX_DETAIL_ROWS])


def _attention_sheet(book: Book, report: Report, rules: Rules, lang: str) -> None:
    from kuaidi_cli.write.text import reason_text

    ws = book.wb.add_worksheet(t("sheet.待整改村", lang))
    headers = [
        "序号" if lang != "en" else "No.",
        t("county", lang),
        t("township", lang),
        t("village", lang),
        "区划代码" if lang != "en" else "Code",
        t("reasons", lang),
        t("in_village", lang),
        t("reached", lang),
        t("file", lang),
        t("row_no", lang),
    ]
    title = scope_heading(report, lang, "{scope}待整改村清单", "{scope}: villages needing attention")
    shown = report.attention[:MAX_DETAIL_ROWS]
    files = fitted_width((a.file or "" for a in shown), least=24, most=60)
    head = _sheet_header(book, ws, title, as_of_text(report.as_of, lang), headers,
                         [6, 10, 12, 14, 15, 36, 10, 8, files, 7])
    why = reason_text(rules, lang)
    r = book.rows(ws, head + 1, [book.int, *([None] * 8), book.int],
                  [(n, *attention_cells(a, why, lang)) for n, a in enumerate(shown, start=1)])
    ws.autofilter(head, 0, max(r, head), len(headers) - 1)
    _cap_note(book, ws, r + 2, len(report.attention), lang, report, "attention")


def _cap_note(book: Book, ws: Any, row: int, total: int, lang: str, report: Report, part: str) -> None:
    if total > MAX_DETAIL_ROWS:
        from kuaidi_cli.write.marks import file_name

        name = file_name(report.as_of, "csv", part)
        text = (
            f"共 {total} 行，本表只列前 {MAX_DETAIL_ROWS} 行；完整清单见 {name}（kuaidi export 的 "
            "csv 格式写出）"
                if lang != "en" else
                f"{total} rows in all; this sheet keeps the first {MAX_DETAIL_ROWS}; {name} (kuaidi export, "
                "csv) has them all")
        ws.write_string(row, 0, text, book.note)


def _findings_sheet(book: Book, report: Report, findings: list[Finding], lang: str) -> None:
    ws = book.wb.add_worksheet(t("sheet.数据问题", lang))
    # for people: what each finding is in words, not its code (codes are in the CSV and the JSON)
    headers = (["File", "Sheet", "Row", "Column", "Value", "Finding", "Severity", "Message"] if lang == "en"
               else
               ["文件", "工作表", "行号", "列", "值", "问题", "级别", "说明"])
    title = scope_heading(report, lang, "{scope}台账数据问题清单", "{scope}: data findings")
    shown = findings[:MAX_DETAIL_ROWS]
    messages = [f.message(lang) for f in shown]
    widths = [fitted_width((f.file for f in shown), least=30, most=60), 10, 8, 16, 20, 22, 8,
              fitted_width(messages, least=60, most=120)]
    head = _sheet_header(book, ws, title, as_of_text(report.as_of, lang), headers, widths)
    whole_row, nowhere = ("(whole row)", "—") if lang == "en" else ("（整行）", "—")
    r = book.rows(ws, head + 1, [None, None, book.int, *([None] * 5)], [
        (f.file, f.sheet, f.row, f.column or (whole_row if f.row is not None else nowhere), f.value,
         finding_title(f.code, lang), t(str(f.severity), lang), message)
        for f, message in zip(shown, messages, strict=True)])
    ws.autofilter(head, 0, max(r, head), len(headers) - 1)
    if not findings:  # a sheet of a header row alone would read as not filled in
        ws.write_string(head + 1, 0, t("no_findings", lang), book.note)
    _cap_note(book, ws, r + 2, len(findings), lang, report, "findings")


def _about_sheet(book: Book, report: Report, context: ReportContext, rules: Rules, lang: str) -> None:
    ws = book.wb.add_worksheet(t("sheet.说明", lang))
    ws.set_column(0, 0, 28)
    ws.set_column(1, 1, 90)
    rows = about_rows(report, context, rules, lang)
    en = lang == "en"
    ws.set_paper(9)  # A4, one page wide, the value column wrapped
    ws.fit_to_pages(1, 0)
    ws.write_string(0, 0, "说明" if not en else "About", book.title)
    heading = scope_heading(report, lang, "{scope}“快递进村”报表说明", "{scope}: about this report")
    ws.set_header(f"&C{heading.replace('&', '&&')}　{as_of_text(report.as_of, lang).replace('&', '&&')}")
    ws.set_footer("&C&P / &N")
    for n, (key, value) in enumerate(rows, start=2):
        ws.write_string(n, 0, key, book.header)
        if isinstance(value, dt.date):
            ws.write_datetime(n, 1, dt.datetime.combine(value, dt.time()), book.date)
        else:
            book.put(ws, n, 1, value, book.wrap)
            # a wrapped note is seen whole, over no other row
            if (lines := wrapped_lines(str(value), 90)) > 1:
                ws.set_row(n, 15 * lines)


def to_xlsx(report: Report, context: ReportContext, rules: Rules, lang: str = "zh") -> bytes:
    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"in_memory": True})
    wb.set_properties({"title": report.scope.name, "author": "kuaidi", "comments": XLSX_MARK})
    book = Book(wb)
    _targets_sheet(book, report, context, rules, lang)
    title = scope_heading(report, lang, "{scope}“快递进村”工作进展统计表", "{scope} 快递进村 progress")
    # (one township's row named as its county would read as the county's)
    if report.scope.level != "township":
        _scope_sheet(book, "分县区", title, report, county_rows(report, lang), ["county"], lang, rate_marks(
            rules.targets))
    _scope_sheet(book, "分乡镇", title, report, township_rows(report, lang), ["county", "township"], lang,
                 rate_marks(rules.targets))
    submissions_sheet(book, report, lang, _sheet_header, t("sheet.报送情况", lang))
    if context.changes is not None:
        _changes_sheet(book, report, context.changes, lang)
    _attention_sheet(book, report, rules, lang)
    _findings_sheet(book, report, context.findings, lang)
    _about_sheet(book, report, context, rules, lang)
    wb.close()
    return book.finish(buf.getvalue())
