"""Reading a workbook register (xlsx, xls, ods) with python-calamine: the sheet chosen, the cells made
text as a spreadsheet shows them, a native library's noise kept off the user's terminal."""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import math
import os
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from kuaidi_cli.core.errors import InputError
from kuaidi_cli.core.fields import AliasTable, Kind
from kuaidi_cli.core.findings import make
from kuaidi_cli.core.threads import in_thread
from kuaidi_cli.read.csvtext import check_width
from kuaidi_cli.read.error_cells import xlsx_error_cells
from kuaidi_cli.read.header import Header, header_columns
from kuaidi_cli.read.legacy import preflight_legacy
from kuaidi_cli.read.merged import MergedDown
from kuaidi_cli.read.sheets import plan
from kuaidi_cli.read.sniff import encrypted
from kuaidi_cli.read.table import HEADER_SEARCH_ROWS, STREAM_ROWS, Column, Limits, RawTable


def _cell_text(v: object) -> str:
    """A spreadsheet cell as the text a user would read in it."""
    if v is None or v == "":
        return ""
    if isinstance(v, str):
        return v
    if isinstance(v, bool):
        return "TRUE" if v else "FALSE"
    if isinstance(v, float):
        if math.isnan(v) or math.isinf(v):
            return ""
        return str(int(v)) if v.is_integer() and abs(v) < 1e15 else repr(v)
    if isinstance(v, dt.datetime):
        return v.date().isoformat() if v.time() == dt.time(0) else v.isoformat(sep=" ")
    if isinstance(v, dt.date):
        return v.isoformat()
    return str(v)


_SILENCE = threading.Lock()
_silenced = [0, -1]  # [sections open, the saved descriptor of the real stderr]


@contextlib.contextmanager
def _native_stderr_silenced() -> Iterator[None]:
    """While calamine runs, its Rust panic hook must not print a backtrace on a malformed file: the
    user gets kuaidi's one line instead. (File descriptor 2 is pointed at /dev/null meanwhile.)

    Two registers may be read at once (report reads the outlets in a second thread): the first
    section to open points stderr away, the last to close puts it back."""
    with _SILENCE:
        if _silenced[0] == 0:
            try:
                saved = os.dup(2)
                with open(os.devnull, "wb") as null:
                    os.dup2(null.fileno(), 2)
            except OSError:
                saved = -1
            _silenced[1] = saved
        _silenced[0] += 1
    try:
        yield
    finally:
        with _SILENCE:
            _silenced[0] -= 1
            if _silenced[0] == 0 and _silenced[1] >= 0:
                os.dup2(_silenced[1], 2)
                os.close(_silenced[1])
                _silenced[1] = -1


def _is_panic(e: BaseException) -> bool:
    """pyo3 turns a Rust panic into PanicException, a BaseException: not caught by `except Exception`."""
    return type(e).__name__ == "PanicException"


def _detail(e: BaseException) -> str:
    """calamine's own words for a failure, for the English line only (the Chinese line gives advice instead;
    --debug shows them in full)."""
    return str(e).splitlines()[0][:80] if str(e).strip() else type(e).__name__


def _unreadable(path: Path, e: BaseException) -> InputError:
    return InputError(
        f"{path} 无法作为表格打开，文件可能已损坏（不完整，或内容有误）；请用 Excel 或 WPS 打开后另存为 "
        ".xlsx 再查",
        f"{path} cannot be opened as a workbook ({_detail(e)}); it may be corrupt; save it again as .xlsx",
    )


# the names each kind of workbook goes by (python-calamine opens a path by its name)
_SUFFIXES = {"xls": (".xls", ".xla"), "xlsx": (".xlsx", ".xlsm", ".xlam"), "xlsb": (".xlsb",), "ods": (
    ".ods",)}


class _Workbook:
    """A workbook opened with python-calamine; each sheet is parsed once, however often it is read."""

    def __init__(self, path: Path, fmt: str) -> None:
        import python_calamine as pc

        self.path = path
        self._sheets: dict[str, Any] = {}  # python-calamine's sheets (it publishes no types)
        try:
            with _native_stderr_silenced():
                if path.suffix.lower() in _SUFFIXES.get(fmt, ()):
                    self.wb = pc.CalamineWorkbook.from_path(str(path))
                # a workbook named as another kind (an .xls saved as .xlsx): calamine tells it by its bytes
                else:
                    self.wb = pc.CalamineWorkbook.from_filelike(io.BytesIO(path.read_bytes()))
        except pc.PasswordError as e:
            raise encrypted(path) from e
        except (pc.CalamineError, OSError, ValueError) as e:
            raise _unreadable(path, e) from e
        # a panic inside calamine's Rust code on a malformed file (found by fuzzing)
        except BaseException as e:
            if not _is_panic(e):
                raise
            raise _unreadable(path, e) from e
        self.names: list[str] = list(self.wb.sheet_names)
        # the sheets that are grids of cells, the only ones a register can be in: not chart sheets (calamine
        # fails on an xlsb chart sheet, and reads an xls one as another sheet's cells), dialogs or VBA modules
        grids = [
            m
            for m in self.wb.sheets_metadata
            if m.typ in (pc.SheetTypeEnum.WorkSheet, pc.SheetTypeEnum.MacroSheet)
        ]
        self.tables: list[str] = [m.name for m in grids]
        self.visible: list[str] = [m.name for m in grids if "Hidden" not in str(m.visible)]

    def rows(self, name: str, nrows: int | None = None) -> tuple[list[list[Any]], int]:
        """Rows of a sheet from its first used row, and the 0-based index of that row.

        skip_empty_area also trims leading empty columns; column positions are not shown to users.
        """
        try:
            with _native_stderr_silenced():
                if name not in self._sheets:
                    self._sheets[name] = self.wb.get_sheet_by_name(name)
                sheet = self._sheets[name]
                rows = (sheet.to_python(skip_empty_area=True, nrows=nrows) if nrows
                        else sheet.to_python(skip_empty_area=True))
            start = sheet.start[0] if sheet.start else 0
        except BaseException as e:
            raise self._sheet_error(name, e) from e
        return rows, start

    def _sheet_error(self, name: str, e: BaseException) -> InputError:
        """calamine's failure to read a sheet as kuaidi's one line; anything else is raised as it is."""
        import python_calamine as pc

        if not (isinstance(e, pc.CalamineError | OSError | ValueError) or _is_panic(e)):
            raise e
        return InputError(
            f"{self.path} 的工作表「{name}」无法读取，文件可能已损坏；请用 Excel 或 WPS 打开后另存为 "
            ".xlsx 再查",
            f"sheet '{name}' of {self.path} cannot be read ({_detail(e)}); it may be corrupt; save the "
            "workbook again",
        )

    def stream(self, name: str, skip: int) -> Iterator[list[list[Any]]]:
        """The rows of a sheet after its first `skip` rows (counted from row 1, not from the first used
        row: iter_rows pads the rows above the used area), cut to the used columns, in lists of up to
        STREAM_ROWS rows: a national sheet is never held as Python objects all at once."""
        self.rows(name, 1)  # parsed (and errors reported) as by rows()
        it = iter(self._sheets[name].iter_rows())

        def take(n: int) -> list[list[Any]]:
            try:
                with _native_stderr_silenced():  # only while calamine runs, not while the caller works
                    return [row for _, row in zip(range(n), it, strict=False)]
            except BaseException as e:
                raise self._sheet_error(name, e) from e

        take(skip)
        while part := take(STREAM_ROWS):
            yield part

    def merged(self, name: str) -> Any:
        """The sheet's merged cell ranges, where the format keeps them (None otherwise)."""
        return getattr(self._sheets.get(name), "merged_cell_ranges", None)

    def width(self, name: str) -> int:
        sheet = self._sheets.get(name)
        return sheet.width if sheet is not None else 0

    def release(self, name: str) -> None:
        """Free calamine's parsed copy of a sheet (hundreds of megabytes for a national register)."""
        self._sheets.pop(name, None)

    def start_col(self, name: str) -> int:
        sheet = self._sheets.get(name)
        return sheet.start[1] if sheet is not None and sheet.start else 0

    def preview(self, name: str) -> list[list[str]]:
        rows, _ = self.rows(name, HEADER_SEARCH_ROWS + 2)
        return [[_cell_text(c) for c in r] for r in rows]


def _text_column(values: np.ndarray[Any, Any]) -> pd.Series:
    """Cells as a column of pandas' string dtype (pyarrow's compact buffers, as the CSV reader gives):
    the millions of small Python objects of the cells are freed here rather than kept for the whole run.

    A column of text and empty cells (most are) goes to pyarrow as it is: pyarrow checks every value's
    type itself, in C, and refuses the column at the first cell that is not text. Only then are the
    other cells turned into text (_cell_text), once per distinct value of each type."""
    import pyarrow as pa
    import pyarrow.compute as pc

    try:
        column = pa.array(values, type=pa.large_string())
        if column.null_count:  # empty cells
            column = pc.fill_null(column, "")
    except (pa.ArrowTypeError, pa.ArrowInvalid):
        column = pa.array(_texts(np.asarray(values, dtype=object)), type=pa.large_string())
    return pd.Series(column, dtype=pd.StringDtype("pyarrow", na_value=np.nan))


def _texts(values: np.ndarray) -> np.ndarray:
    """_cell_text of each cell; text cells as they are, the others once per distinct (type, value)."""
    plain = np.fromiter((type(v) is str for v in values), dtype=bool, count=len(values))
    values = values.copy()
    odd = values[~plain]
    kinds = np.array([type(v) for v in odd], dtype=object)
    texts = np.empty(len(odd), dtype=object)
    for kind in set(kinds.tolist()):
        # per type, so that 1, 1.0 and True (equal as keys) keep their own texts
        here = kinds == kind
        codes, uniques = pd.factorize(odd[here], use_na_sentinel=False)
        texts[here] = np.array([_cell_text(u) for u in uniques], dtype=object)[codes]
    values[~plain] = texts
    return values


def _text_frame(body: list[list[Any]], width: int) -> pd.DataFrame:
    """Cells as text, column by column (a short row's missing cells are empty). `body` is emptied (its
    rows are freed once they are in the grid)."""
    n = len(body)
    grid = pd.DataFrame(body, dtype=object) if body else pd.DataFrame(index=range(0))
    body.clear()
    grid = grid.reindex(columns=range(width))  # a short row's missing cells are None
    frame = {}
    for j in range(width):  # (a part is STREAM_ROWS rows: its cells' Python objects go with the grid)
        frame[j] = _text_column(grid[j].to_numpy(dtype=object))
    return pd.DataFrame(frame, index=range(n), columns=range(width))


def read_workbook(path: Path, fmt: str, kind: Kind, aliases: AliasTable, sheet: str | None,
                  limits: Limits) -> list[RawTable]:
    """Every sheet of the workbook that holds a `kind` register (read.sheets.plan), or the one `sheet` names;
    the sheets left out are findings of the first table. A register sheet with nothing under its header is
    left out too (named), unless no sheet has rows."""
    if fmt == "xls":
        preflight_legacy(path, limits)
    wb = _Workbook(path, fmt)
    # the sheet most likely chosen is scanned for error cells in a thread while calamine parses it (both
    # work without the GIL: unzipping, and calamine's Rust)
    choices: list[str | None] = [*(wb.visible or wb.tables)] or [None]
    guess = (sheet if sheet in wb.names else choices[0]) if fmt == "xlsx" else None
    scan = in_thread("scan", xlsx_error_cells, path, guess) if guess is not None else None
    chosen = plan(wb, kind, aliases, sheet)
    tables = []
    for name, header in chosen.chosen:
        errors = (scan() if scan is not None and name == guess else xlsx_error_cells(
            path, name)) if fmt == "xlsx" else {}
        tables.append(_read_sheet(wb, fmt, kind, name, header, errors, limits))
    if len(tables) > 1 and any(not _blank(t) for t in tables):
        chosen.left_out += [(t.sheet or "", "header-only") for t in tables if _blank(t)]
        order = {n: i for i, n in enumerate(wb.names)}
        chosen.left_out.sort(key=lambda x: order.get(x[0], 0))
        tables = [t for t in tables if not _blank(t)]
    tables[0].findings[:0] = chosen.findings(path)
    return tables


def _blank(table: RawTable) -> bool:
    """Nothing under the header: no row, or empty cells only (the whole sheet looked at only when its first
    row is empty)."""
    cells = table.cells
    if cells.empty:
        return True
    if not (cells.iloc[:1].astype(str).apply(lambda c: c.str.strip()) == "").all(axis=None):
        return False
    return bool((cells.astype(str).apply(lambda c: c.str.strip()) == "").all(axis=None))


def _read_sheet(wb: _Workbook, fmt: str, kind: Kind, name: str, header: Header,
                errors: dict[tuple[int, int], str], limits: Limits) -> RawTable:
    """One sheet under its header as a table of cell text."""
    path = wb.path
    _, start = wb.rows(name, 1)
    col0 = wb.start_col(name)
    skip = header.start + header.height
    # error cells by body row: (column, text)
    patches: dict[int, list[tuple[int, str]]] = {}
    for (r, col), text in errors.items():
        if r - start >= skip and col - col0 >= 0:
            patches.setdefault(r - start - skip, []).append((col - col0, text))
    width = max(len(header.labels), wb.width(name))
    check_width(path, width, limits)
    parts, n = [], 0
    merged = MergedDown(wb.merged(name), start + skip, col0)
    for part in wb.stream(name, start + skip):  # calamine's iter_rows begins at the sheet's first row
        merged.apply(part, n)
        for i in [i for i in patches if n <= i < n + len(part)]:
            row = part[i - n]
            for j, text in patches[i]:
                if j < len(row) and row[j] in ("", None):
                    row[j] = text
        width = max(width, *(len(r) for r in part))
        check_width(path, width, limits)
        n += len(part)
        parts.append(_text_frame(part, width))
    wb.release(name)
    if len(parts) > 1:
        cells = pd.concat([p.reindex(columns=range(width), fill_value="") for p in parts], ignore_index=True)
    else:
        cells = parts[0].reindex(columns=range(width), fill_value="") if parts else _text_frame([], width)
    first = start + header.start + 1
    header_rows = list(range(first, first + header.height))
    columns, findings = header_columns(header, kind, str(path), name, header_rows[0])
    body_first = first + header.height
    findings += [make("merged-filled", file=str(path), sheet=name, row=body_first + top,
                      column=columns[col].label if col < len(columns) else None,
                      value=_cell_text(merged.values.get((top, col))))
                 for top, col in merged.filled]
    for pos in range(len(columns), width):
        columns.append(Column(pos, "", None))
    return RawTable(
        path=path, kind=kind, format=fmt, sheet=name, encoding=None, delimiter=None, header_rows=header_rows,
        columns=columns, cells=cells, row_numbers=list(range(body_first, body_first + n)), findings=findings,
    )
