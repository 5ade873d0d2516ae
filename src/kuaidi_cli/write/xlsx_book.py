"""One workbook's formats, and its cells written so that none is ever taken for a formula; the long
lists written as rows of XML spliced in after XlsxWriter has written the sheet (docs/EXPORTS.md)."""

from __future__ import annotations

import datetime as dt
import io
import math
import zipfile
from collections.abc import Iterator, Sequence
from typing import Any

import xlsxwriter
from xlsxwriter.utility import xl_col_to_name

from kuaidi_cli.core.statuses import Status
from kuaidi_cli.write.safety import is_dangerous
from kuaidi_cli.write.text import Marks, crossed_mark
from kuaidi_cli.write.xlsx_cells import PERCENT, Styled, near_format, xml_text


class Book:
    """Formats of one workbook, and writing cells that are never taken for formulas."""

    def __init__(self, wb: xlsxwriter.Workbook) -> None:
        self.wb = wb
        base = {"font_name": "等线", "font_size": 11, "valign": "vcenter"}
        self.text = wb.add_format(base)
        self.safe = wb.add_format({**base, "quote_prefix": True})
        self.title = wb.add_format({**base, "bold": True, "font_size": 16, "align": "center"})
        self.subtitle = wb.add_format({**base, "align": "center", "font_color": "#595959"})
        self.header = wb.add_format({**base, "bold": True, "bg_color": "#D9E1F2", "border": 1,
                                     "align": "center",
                                     "text_wrap": True})
        self.int = wb.add_format({**base, "num_format": "0", "border": 1})
        self.pct = wb.add_format({**base, "num_format": PERCENT, "border": 1})
        self.cell = wb.add_format({**base, "border": 1})
        self.cell_safe = wb.add_format({**base, "border": 1, "quote_prefix": True})
        self.date = wb.add_format({**base, "num_format": "yyyy-mm-dd", "border": 1})
        self.total = wb.add_format({**base, "bold": True, "border": 1, "bg_color": "#F2F2F2"})
        self.total_int = wb.add_format({**base, "bold": True, "border": 1, "bg_color": "#F2F2F2",
                                        "num_format": "0"})
        self.total_pct = wb.add_format({**base, "bold": True, "border": 1, "bg_color": "#F2F2F2",
                                        "num_format": PERCENT})
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
            self._near[(mark, total)] = self.wb.add_format({"font_name": "等线", "font_size": 11,
                                                            "valign": "vcenter",
                                                            "border": 1, "num_format": near_format(mark),
                                                            **({"bold": True, "bg_color": "#F2F2F2"} if total
                                                               else {})})
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
        elif isinstance(value, dt.date):  # (a date cell in the book's date format, with the cell's border)
            ws.write_datetime(row, col, dt.datetime.combine(value, dt.time()), self.date)
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
                    cells.append(
                        f'<c r="{letters[c]}{n}"{styles[c]} '
                        f't="inlineStr"><is><t{space}>{xml_text(text)}</t></is></c>')
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

    def _spliced_into(self, body: bytes, tables: list[tuple[list[Any], list[tuple[int, int, list[Sequence[
        object]]]]]]) -> bytes:
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

