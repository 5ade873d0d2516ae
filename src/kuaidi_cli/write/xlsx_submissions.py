"""The workbook's 报送情况 sheet: per county, the village register's row and the outlet register's row (its
county and status on each, for the filter); for a county's or a township's report, the same by township
under it."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any

from kuaidi_cli.report import Report
from kuaidi_cli.write import submissions as submission_table
from kuaidi_cli.write.scope import scope_heading
from kuaidi_cli.write.text import as_of_text, fitted_width

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_WIDTHS = {"county": 12, "township": 18, "sub.register": 8, "sub.files": 40, "sub.latest": 12,
           "sub.status": 16}

# (book, sheet, title, subtitle, headers, widths) → the header row: xlsx._sheet_header
Header = Callable[[Any, Any, str, str, list[str], list[int]], int]


def submissions_sheet(book: Any, report: Report, lang: str, sheet_header: Header, name: str) -> None:
    ws = book.wb.add_worksheet(name)
    number = "序号" if lang != "en" else "No."
    keys = submission_table.heads(report)
    by_township = bool(report.township_submissions)
    township_keys = submission_table.heads(report, townships=True) if by_township else ()
    widest = max(keys, township_keys, key=len)
    title = scope_heading(report, lang, "{scope}“快递进村”台账报送情况", "{scope}: submissions")
    headers = [number, *submission_table.headers(report, lang)]
    rows = submission_table.rows(report, lang)
    township_rows = submission_table.rows(report, lang, townships=True) if by_township else []

    def width(i: int, key: str) -> int:  # a name column (of either table) as wide as its longest name
        tables = [(table, ks[i]) for table, ks in ((rows, keys), (township_rows, township_keys))
                  if i < len(ks) and ks[i] in ("county", "township")]
        if not tables:
            return _WIDTHS.get(key, 8)
        names = [str(row[i]) for table, _ in tables for row in table]
        return fitted_width(names, least=max(_WIDTHS[k] for _, k in tables), most=30)

    widths = [6, *(width(i, k) for i, k in enumerate(widest))]
    # (the township table may have a column more: the header row of the county table stays as long as it is)
    head = sheet_header(
        book, ws, title, as_of_text(report.as_of, lang), headers + [""] * (len(widths) - len(headers)), widths
    )
    text = book.wb.add_format({"font_name": "等线", "font_size": 11, "border": 1, "text_wrap": True,
                               "valign": "vcenter"})
    r = _table(book, ws, head, rows, keys.index("sub.files") + 1, text, keys.index("sub.latest") + 1)
    ws.autofilter(head, 0, max(r, head + 1), len(headers) - 1)
    note = submission_table.note(report, lang)
    if note:
        r += 2
        ws.write_string(r, 1, note, book.note)
    if by_township:
        r += 2
        ws.write_string(r, 0, submission_table.title(report, lang, townships=True), book.warn)
        r += 1
        for col, label in enumerate([number, *submission_table.headers(report, lang, townships=True)]):
            ws.write_string(r, col, label, book.header)
        _table(book, ws, r, township_rows, township_keys.index("sub.files") + 1, text,
               township_keys.index("sub.latest") + 1)


def _table(book: Any, ws: Any, head: int, rows: list[list[object]], files: int, text: Any,
           latest: int) -> int:
    """The rows under the header row `head`, numbered, the latest date (column `latest`) as a date cell, as
    the targets' due dates are; returns the last row's index."""
    r = head
    for n, row in enumerate(rows, start=1):
        r = head + n
        ws.set_row(r, 15 * max(1, str(row[files - 1]).count("\n") + 1))  # a line for each file
        book.put(ws, r, 0, n, book.int)
        for c, value in enumerate(row, start=1):
            if c == latest and isinstance(value, str) and _ISO_DATE.fullmatch(value):
                value = dt.date.fromisoformat(value)
            book.put(ws, r, c, value, text if c == files else book.int if isinstance(value, int) else None)
    return r
