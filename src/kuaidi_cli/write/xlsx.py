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
import math
import zipfile
from collections.abc import Iterator, Sequence
from typing import Any

import xlsxwriter
from xlsxwriter.utility import xl_col_to_name

from kuaidi_cli.core.findings import Finding
from kuaidi_cli.core.rules import Rules
from kuaidi_cli.core.statuses import Status
from kuaidi_cli.report import Report, ReportContext, ScopeRow
from kuaidi_cli.report.changes import Changes
from kuaidi_cli.report.columns import scope_columns, values
from kuaidi_cli.write import changes as change_table
from kuaidi_cli.write.about import about_rows
from kuaidi_cli.write.labels import finding_title, t, yes_no
from kuaidi_cli.write.marks import XLSX_MARK
from kuaidi_cli.write.safety import is_dangerous
from kuaidi_cli.write.scope import (
    county_rows,
    reference_note,
    scope_heading,
    status_note,
    target_label,
    township_rows,
    trust_notes,
)
from kuaidi_cli.write.text import Marks, as_of_text, crossed_mark, rate_marks, wrapped_lines
from kuaidi_cli.write.xlsx_cells import PERCENT, Styled, near_format, xml_text
from kuaidi_cli.write.xlsx_submissions import submissions_sheet

MAX_DETAIL_ROWS = 20_000  # rows of 待整改村 and 数据问题 kept in the workbook


class _Book:
    """Formats of one workbook, and writing cells that are never taken for formulas."""

    def __init__(self, wb: xlsxwriter.Workbook) -> None:
        self.wb = wb
        base = {"font_name": "等线", "font_size": 11, "valign": "vcenter"}
        self.text = wb.add_format(base)
        self.safe = wb.add_format({**base, "quote_prefix": True})
        self.title = wb.add_format({**base, "bold": True, "font_size": 16, "align": "center"})
        self.subtitle = wb.add_format({**base, "align": "center", "font_color": "#595959"})
        self.header = wb.add_format({**base, "bold": True, "bg_color": "#D9E1F2", "border": 1, "align": "center",
                                     "text_wrap": True})
        self.int = wb.add_format({**base, "num_format": "0", "border": 1})
        self.pct = wb.add_format({**base, "num_format": PERCENT, "border": 1})
        self.cell = wb.add_format({**base, "border": 1})
        self.cell_safe = wb.add_format({**base, "border": 1, "quote_prefix": True})
        self.date = wb.add_format({**base, "num_format": "yyyy-mm-dd", "border": 1})
        self.total = wb.add_format({**base, "bold": True, "border": 1, "bg_color": "#F2F2F2"})
        self.total_int = wb.add_format({**base, "bold": True, "border": 1, "bg_color": "#F2F2F2", "num_format": "0"})
        self.total_pct = wb.add_format({**base, "bold": True, "border": 1, "bg_color": "#F2F2F2", "num_format": PERCENT})
        self.note = wb.add_format({**base, "italic": True, "font_color": "#7F7F7F"})
        self.warn = wb.add_format({**base, "bold": True, "font_color": "#9C5700"})
        self.wrap = wb.add_format({**base, "text_wrap": True, "valign": "top"})
        self.status = {
            s: wb.add_format({**base, "border": 1, "bold": True, "bg_color": s.fill, "font_color": s.font})
            for s in Status
        }

        self._near: dict[tuple[float, bool], Any] = {}
        # sheet part → [(the columns' formats, [(row after which, first row, rows)])]: written in `finish`
        self._spliced: dict[str, list[tuple[list[Any], list[tuple[int, int, list[Sequence[object]]]]]]] = {}

    def rate(self, x: float | None, marks: Marks, *, total: bool = False) -> object:
        """A rate cell's value: as it is, or, when rounding would carry it across a target (79.97% to
        80.0%), with the format of that target (`near_format`)."""
        mark = None if x is None else crossed_mark(x, marks)
        if mark is None or mark >= 1:  # (PERCENT guards 100%)
            return x
        if (mark, total) not in self._near:
            self._near[(mark, total)] = self.wb.add_format({"font_name": "等线", "font_size": 11, "valign": "vcenter",
                                                            "border": 1, "num_format": near_format(mark),
                                                            **({"bold": True, "bg_color": "#F2F2F2"} if total else {})})
        fmt = self._near[(mark, total)]
        return Styled(float(x), fmt)  # type: ignore[arg-type]  # (x is not None: a mark was crossed)

    def put(self, ws: Any, row: int, col: int, value: object, fmt: Any = None) -> None:
        """Write a value: text as text (quote-prefixed when it starts like a formula), numbers as numbers,
        None as an empty cell; a `Styled` value with its own format."""
        if isinstance(value, Styled):
            fmt, value = value.fmt, value.value
        fmt = fmt or self.cell
        if value is None:
            ws.write_blank(row, col, None, fmt)
        elif isinstance(value, bool):
            ws.write_boolean(row, col, value, fmt)
        elif isinstance(value, int | float):
            ws.write_number(row, col, value, fmt)
        else:
            text = str(value)
            if is_dangerous(text):
                fmt = self.cell_safe if fmt is self.cell else self.safe
            ws.write_string(row, col, text, fmt)

    def rows(self, ws: Any, start: int, formats: Sequence[Any], rows: Sequence[Sequence[object]]) -> int:
        """Write rows of values from row `start` on, as `put` would with the column's format (None: the
        default cell); returns the index of the last row (start - 1 when there is none).

        XlsxWriter spends ~10 µs of Python on a cell (8 s for the sheets of a national report, 38 000
        townships), so most rows are written here as XML text and spliced into the sheet after `close`
        (see `finish`). What must stay true: a row written as XML reads back exactly as `put` writes it,
        and XlsxWriter itself writes the first and the last row (the sheet's dimension and row spans
        stay its own), every row holding text a spreadsheet could take for a formula (its quote-prefix
        styles), and rows until every column's format has been in a cell it wrote (so that each style
        the XML names exists, by XlsxWriter's `xf_index`, after `close`). XlsxWriter promises neither that
        attribute, a sheet's part name nor its cell XML: it is pinned in pyproject.toml to the versions
        tests/test_export.py::test_xlsxwriter_is_a_version_whose_internals_the_spliced_rows_rely_on passed
        on (it writes a row both ways and compares the bytes).
        tests/test_export.py::test_rows_written_as_xml_read_back_as_xlsxwriter_writes_them reads both
        back; `benchmarks/run.py` (export) shows the time it saves. XlsxWriter's own calls for every row
        (with or without its constant_memory mode) took 3.5× and 4.2× the CPU time for the national
        workbook (17 s and 20 s against 4.9 s: 500 000 villages, 2022-12-31)."""
        if not rows:
            return start - 1
        last = start + len(rows) - 1
        plain = [f or self.cell for f in formats]
        unused = set(range(len(plain)))  # columns whose format no cell written by XlsxWriter has yet
        segments: list[tuple[int, int, list[Sequence[object]]]] = []  # (row after which, first row, rows)
        after = start
        for r, row in enumerate(rows, start=start):
            risky = [c for c, value in enumerate(row) if (isinstance(value, str) and is_dangerous(value))
                     or isinstance(value, Styled)]
            if r in (start, last) or risky or unused:
                for c, (value, fmt) in enumerate(zip(row, formats, strict=True)):
                    self.put(ws, r, c, value, fmt)
                unused.difference_update(set(range(len(row))) - set(risky))
                after = r
            elif segments and segments[-1][0] == after:
                segments[-1][2].append(row)
            else:
                segments.append((after, r, [row]))
        if segments:
            self._spliced.setdefault(f"xl/worksheets/sheet{ws.index + 1}.xml", []).append((plain, segments))
        return last

    @staticmethod
    def _rows_xml(first: int, formats: Sequence[Any], rows: Sequence[Sequence[object]]) -> Iterator[str]:
        """The XML of rows from row `first` on (0-based), each cell as XlsxWriter writes it with the column's
        format, the strings inline (as XlsxWriter's constant_memory mode writes them). Called after
        `close`, when XlsxWriter has given each format its `xf_index`."""
        styles = []
        for f in formats:
            if f.xf_index is None:  # `rows` wrote a cell with every format it splices: never
                raise RuntimeError("a spliced row's format is in no cell XlsxWriter wrote")
            styles.append(f' s="{f.xf_index}"')
        letters = [xl_col_to_name(c) for c in range(len(formats))]
        for n, row in enumerate(rows, start=first + 1):
            cells = []
            for c, value in enumerate(row):
                if value is None:
                    cells.append(f'<c r="{letters[c]}{n}"{styles[c]}/>')
                elif isinstance(value, bool):
                    cells.append(f'<c r="{letters[c]}{n}"{styles[c]} t="b"><v>{int(value)}</v></c>')
                elif isinstance(value, int | float):
                    if not math.isfinite(value):  # as XlsxWriter's write_number refuses them
                        raise ValueError(f"{value} in cell {letters[c]}{n}: not a number a workbook can hold")
                    cells.append(f'<c r="{letters[c]}{n}"{styles[c]}><v>{value:.16G}</v></c>')
                else:
                    text = str(value)
                    space = ' xml:space="preserve"' if text != text.strip() else ""
                    cells.append(f'<c r="{letters[c]}{n}"{styles[c]} t="inlineStr"><is><t{space}>{xml_text(text)}</t></is></c>')
            yield f'<row r="{n}">{"".join(cells)}</row>'

    def finish(self, data: bytes) -> bytes:
        """The closed workbook with the rows of `rows` spliced into their sheets."""
        if not self._spliced:
            return data
        out = io.BytesIO()
        # the fastest deflate: a national workbook is a few MB either way, and level 6 took 0.7 s more
        with (zipfile.ZipFile(io.BytesIO(data)) as zin,
              zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as zout):
            for info in zin.infolist():
                body = zin.read(info)
                if info.filename in self._spliced:
                    body = self._spliced_into(body, self._spliced[info.filename])
                zout.writestr(info, body, compresslevel=1)
        return out.getvalue()

    def _spliced_into(self, body: bytes, tables: list[tuple[list[Any], list[tuple[int, int, list[Sequence[object]]]]]]) -> bytes:
        """A sheet's XML with each segment's rows after the row XlsxWriter wrote before them."""
        inserts = []
        for formats, segments in tables:
            for after, first, rows in segments:
                at = body.index(b"</row>", body.index(f'<row r="{after + 1}"'.encode())) + len(b"</row>")
                inserts.append((at, "".join(self._rows_xml(first, formats, rows)).encode("utf-8")))
        parts, pos = [], 0
        for at, xml in sorted(inserts, key=lambda x: x[0]):
            parts += [body[pos:at], xml]
            pos = at
        return b"".join([*parts, body[pos:]])


def _sheet_header(book: _Book, ws: Any, title: str, subtitle: str, headers: list[str], widths: list[int]) -> int:
    """Title, subtitle and header rows; returns the index of the header row."""
    last = len(headers) - 1
    ws.merge_range(0, 0, 0, last, title, book.title)
    ws.merge_range(1, 0, 1, last, subtitle, book.subtitle)
    ws.set_row(0, 28)
    for col, (head, width) in enumerate(zip(headers, widths, strict=True)):
        ws.write_string(3, col, head, book.header)
        ws.set_column(col, col, width)
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


def _scope_sheet(book: _Book, name: str, title: str, report: Report, rows: Sequence[tuple[list[str], ScopeRow]],
                 first: list[str], lang: str, marks: Marks) -> None:
    ws = book.wb.add_worksheet(t(f"sheet.{name}", lang))
    columns = scope_columns(report)
    headers = ["序号" if lang != "en" else "No.", *(t(k, lang) for k in first), *(t(c.key, lang) for c in columns)]
    widths = [6, *([12] * len(first)), *([11] * len(columns))]
    head = _sheet_header(book, ws, title, as_of_text(report.as_of, lang), headers, widths)
    formats = [book.int, *([None] * len(first)), *(book.pct if c.rate else book.int for c in columns)]
    def cells(s: ScopeRow, total: bool = False) -> list[object]:
        return [book.rate(x, marks, total=total) if c.rate else x for x, c in zip(values(s, columns), columns, strict=True)]

    r = book.rows(ws, head + 1, formats, [(n, *names, *cells(s)) for n, (names, s) in enumerate(rows, start=1)])
    ws.autofilter(head, 0, max(r, head), len(headers) - 1)
    r += 1
    ws.merge_range(r, 0, r, len(first), t("total_row", lang), book.total)
    for j, (value, c) in enumerate(zip(cells(report.summary, total=True), columns, strict=True), start=1 + len(first)):
        book.put(ws, r, j, value, book.total_pct if c.rate else book.total_int)


def _targets_sheet(book: _Book, report: Report, context: ReportContext, rules: Rules, lang: str) -> None:
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
                 else "", reference_note(rule.metric, context, lang)]  # (what the official list holds beside it)
        note = ("; " if lang == "en" else "；").join(n for n in notes if n)
        if note:
            book.put(ws, r, 9, note, book.wrap)
        # a spreadsheet does not grow a row to its wrapped text (LibreOffice cut the 依据 quotes): set it
        ws.set_row(r, 15 * max(wrapped_lines(label, widths[1]), wrapped_lines(rule.source or "", widths[8]), wrapped_lines(note, widths[9])))
    ws.autofilter(head, 0, max(r, head), len(headers) - 1)
    for note in trust_notes(report, context, lang):  # what the figures cannot establish, under them
        r += 2 if r == head + len(report.targets) else 1
        ws.write_string(r, 1, "⚠" + note, book.warn)


def _changes_sheet(book: _Book, report: Report, changes: Changes, lang: str) -> None:
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


def _attention_sheet(book: _Book, report: Report, rules: Rules, lang: str) -> None:
    from kuaidi_cli.write.text import reason_text

    ws = book.wb.add_worksheet(t("sheet.待整改村", lang))
    headers = ["序号" if lang != "en" else "No.", t("county", lang), t("township", lang), t("village", lang),
               "区划代码" if lang != "en" else "Code", t("reasons", lang), t("in_village", lang), t("reached", lang),
               t("file", lang), t("row_no", lang)]
    title = scope_heading(report, lang, "{scope}待整改村清单", "{scope}: villages needing attention")
    head = _sheet_header(book, ws, title, as_of_text(report.as_of, lang), headers, [6, 10, 12, 14, 15, 36, 10, 8, 24, 7])
    why = reason_text(rules, lang)
    r = book.rows(ws, head + 1, [book.int, *([None] * 8), book.int], [
        (n, a.county, a.township, a.village, a.code, why(a), yes_no(a.in_village, lang), yes_no(a.reached, lang),
         a.file or "", a.row) for n, a in enumerate(report.attention[:MAX_DETAIL_ROWS], start=1)])
    ws.autofilter(head, 0, max(r, head), len(headers) - 1)
    _cap_note(book, ws, r + 2, len(report.attention), lang, report, "attention")


def _cap_note(book: _Book, ws: Any, row: int, total: int, lang: str, report: Report, part: str) -> None:
    if total > MAX_DETAIL_ROWS:
        from kuaidi_cli.write.marks import file_name

        name = file_name(report.as_of, "csv", part)
        text = (f"共 {total} 行，本表只列前 {MAX_DETAIL_ROWS} 行；完整清单见 {name}（kuaidi export 的 csv 格式写出）"
                if lang != "en" else
                f"{total} rows in all; this sheet keeps the first {MAX_DETAIL_ROWS}; {name} (kuaidi export, csv) has them all")
        ws.write_string(row, 0, text, book.note)


def _findings_sheet(book: _Book, report: Report, findings: list[Finding], lang: str) -> None:
    ws = book.wb.add_worksheet(t("sheet.数据问题", lang))
    # for people: what each finding is in words, not its code (codes are in the CSV and the JSON)
    headers = (["File", "Sheet", "Row", "Column", "Value", "Finding", "Severity", "Message"] if lang == "en" else
               ["文件", "工作表", "行号", "列", "值", "问题", "级别", "说明"])
    title = scope_heading(report, lang, "{scope}台账数据问题清单", "{scope}: data findings")
    head = _sheet_header(book, ws, title, as_of_text(report.as_of, lang), headers, [30, 10, 8, 16, 20, 22, 8, 60])
    whole_row, nowhere = ("(whole row)", "—") if lang == "en" else ("（整行）", "—")
    r = book.rows(ws, head + 1, [None, None, book.int, *([None] * 5)], [
        (f.file, f.sheet, f.row, f.column or (whole_row if f.row is not None else nowhere), f.value,
         finding_title(f.code, lang), t(str(f.severity), lang), f.message(lang))
        for f in findings[:MAX_DETAIL_ROWS]])
    ws.autofilter(head, 0, max(r, head), len(headers) - 1)
    _cap_note(book, ws, r + 2, len(findings), lang, report, "findings")


def _about_sheet(book: _Book, report: Report, context: ReportContext, rules: Rules, lang: str) -> None:
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


def to_xlsx(report: Report, context: ReportContext, rules: Rules, lang: str = "zh") -> bytes:
    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"in_memory": True})
    wb.set_properties({"title": report.scope.name, "author": "kuaidi", "comments": XLSX_MARK})
    book = _Book(wb)
    _targets_sheet(book, report, context, rules, lang)
    title = scope_heading(report, lang, "{scope}“快递进村”工作进展统计表", "{scope} 快递进村 progress")
    if report.scope.level != "township":  # (one township's row named as its county would read as the county's)
        _scope_sheet(book, "分县区", title, report, county_rows(report, lang), ["county"], lang, rate_marks(rules.targets))
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
