"""Load a register file into a table of cell text, with each row's position as the user sees it.

The format is told by the file's bytes, not its name: a workbook saved as `.csv` is read as a
workbook, and binary junk named `.csv` is refused. CSV encodings are detected (BOM, UTF-8,
GB18030); spreadsheets (xlsx, xls, ods) are read with python-calamine. The header row is found
under title and note rows by matching cells against the alias table; a two-row header (merged
group cells above the field names) is joined. Nothing here judges the data: that is validation.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import html
import io
import math
import os
import re
import threading
import unicodedata
import warnings
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from kuaidi_cli.errors import InputError
from kuaidi_cli.fields import FIELDS, AliasTable, Kind, field_of
from kuaidi_cli.findings import Finding, make

HEADER_SEARCH_ROWS = 30  # the header must start within the first 30 non-empty rows
STREAM_ROWS = 1 << 16  # rows of a workbook turned into Python objects at a time


@dataclass(frozen=True)
class Limits:
    """Bounds that protect the machine from hostile files."""

    max_file_bytes: int = 1 << 30  # 1 GiB on disk
    max_unzipped_bytes: int = 2 << 30  # 2 GiB of XML inside an xlsx/ods
    max_zip_ratio: float = 300.0  # uncompressed / compressed, when over 100 MiB uncompressed
    max_columns: int = 1000  # cells in one row: a register has a dozen columns
    max_findings: int = 200_000  # findings kept in memory; the rest are counted, not kept


@dataclass
class Column:
    position: int  # 0-based position in `cells`
    label: str  # the header as written ("驻村设点情况/是否设点" for a two-row header)
    field: str | None  # the canonical field it maps to, or None


@dataclass
class RawTable:
    """A register as read: every cell as text ("" when empty), and where each row is in the file."""

    path: Path
    kind: Kind
    format: str  # csv | xlsx | xls | ods
    sheet: str | None
    encoding: str | None
    delimiter: str | None
    header_rows: list[int]  # 1-based spreadsheet row numbers of the header
    columns: list[Column]
    cells: pd.DataFrame  # one column per file column (named by position), str
    row_numbers: list[int]  # the 1-based spreadsheet row number of each row of `cells`
    findings: list[Finding] = field(default_factory=list)

    @property
    def name(self) -> str:
        """The file as the user named it, for messages."""
        return str(self.path)

    def column_of(self, field_name: str) -> Column | None:
        for c in self.columns:
            if c.field == field_name:
                return c
        return None


# --- file kind ----------------------------------------------------------------------------------

_ZIP = b"PK\x03\x04"
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def is_workbook(path: Path) -> bool:
    """Whether a file is a workbook (a zip: xlsx or ods; an OLE file: xls) by its first bytes."""
    try:
        with path.open("rb") as fh:
            head = fh.read(8)
    except OSError:
        return False
    return head.startswith(_ZIP) or head.startswith(_OLE)


def sniff(path: Path, limits: Limits) -> str:
    """Tell the format from the bytes: xlsx, ods, xls or csv. Raises InputError when unusable."""
    if not path.exists():
        raise InputError(f"找不到文件 {path}，请检查路径", f"file not found: {path}; check the path")
    if path.is_dir():
        raise InputError(f"{path} 是一个文件夹，请给出台账文件", f"{path} is a directory; give a register file")
    try:
        size = path.stat().st_size
        with path.open("rb") as fh:
            head = fh.read(8)
    except OSError as e:
        raise InputError(f"无法读取 {path}：{e.strerror}", f"cannot read {path}: {e.strerror}") from e
    if size == 0:
        raise InputError(f"{path} 是空文件，请导出含表头和数据的台账", f"{path} is empty; export the register with its header and rows")
    if size > limits.max_file_bytes:
        raise InputError(
            f"{path} 有 {size / 2**20:.0f} MiB，超过上限 {limits.max_file_bytes / 2**20:.0f} MiB，请拆分后再查",
            f"{path} is {size / 2**20:.0f} MiB, over the {limits.max_file_bytes / 2**20:.0f} MiB limit; split it",
        )
    if head.startswith(_ZIP):
        return _zip_kind(path, size, limits)
    if head.startswith(_OLE):
        data = path.read_bytes()
        if "EncryptedPackage".encode("utf-16-le") in data or "EncryptionInfo".encode("utf-16-le") in data:
            raise _encrypted(path)
        return "xls"
    return "csv"


def _encrypted(path: Path) -> InputError:
    return InputError(
        f"{path} 设有打开密码，请在 Excel 中取消密码（文件→信息→保护工作簿）后另存再查",
        f"{path} is password-protected; remove the password in Excel and save it again",
    )


def _zip_kind(path: Path, size: int, limits: Limits) -> str:
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
            names = {i.filename for i in infos}
            unzipped = sum(i.file_size for i in infos)
            mimetype = zf.read("mimetype")[:100] if "mimetype" in names else b""
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError, RuntimeError) as e:
        # (UnicodeDecodeError is a ValueError: a member name that is not UTF-8, found by fuzzing)
        raise InputError(
            f"{path} 已损坏（不是完整的 Excel 文件），请重新导出或另存为 .xlsx",
            f"{path} is corrupt (not a complete workbook); export or save it again",
        ) from e
    ratio = unzipped / max(size, 1)
    if unzipped > limits.max_unzipped_bytes or (unzipped > 100 * 2**20 and ratio > limits.max_zip_ratio):
        raise InputError(
            f"{path} 解压后有 {unzipped / 2**20:.0f} MiB（压缩比 {ratio:.0f}），不像正常台账，已拒绝读取",
            f"{path} unpacks to {unzipped / 2**20:.0f} MiB (ratio {ratio:.0f}); refused as a possible zip bomb",
        )
    if b"opendocument.spreadsheet" in mimetype:
        return "ods"
    if "xl/workbook.xml" in names or "xl/workbook.bin" in names:
        return "xlsx"
    raise InputError(
        f"{path} 是压缩包，不是 Excel 或 ODS 表格，请解压或另存为 .xlsx",
        f"{path} is a zip archive, not an Excel or ODS workbook; unpack it or save it as .xlsx",
    )


# --- header detection ---------------------------------------------------------------------------


@dataclass
class _Header:
    start: int  # index of the first header row within the rows given
    height: int  # 1 or 2
    labels: list[str]
    fields: list[str | None]

    @property
    def score(self) -> int:
        return len({f for f in self.fields if f})


def _identity_fields(kind: Kind) -> set[str]:
    return {"village"} if kind is Kind.VILLAGES else {"outlet_id", "name"}


def _single(rows: list[list[str]], i: int, aliases: AliasTable) -> _Header:
    labels = [str(c).strip() for c in rows[i]]
    return _Header(i, 1, labels, [aliases.match(c) for c in labels])


def _joined(rows: list[list[str]], i: int, aliases: AliasTable) -> _Header:
    """Rows i and i+1 as one header: the upper row holds group cells merged over the lower ones."""
    top = [str(c).strip() for c in rows[i]]
    low = [str(c).strip() for c in rows[i + 1]] if i + 1 < len(rows) else []
    width = max(len(top), len(low))
    top += [""] * (width - len(top))
    low += [""] * (width - len(low))
    labels: list[str] = []
    fields: list[str | None] = []
    group = ""
    # A real lower header row names a field under a cell that names none (a group cell, or the empty
    # continuation of a merged one); a data row under a header does not.
    if not any(aliases.match(b) and not aliases.match(t) for t, b in zip(top, low, strict=True)):
        return _Header(i, 2, top, [None] * width)
    for t, b in zip(top, low, strict=True):
        # a merged group cell is written in its first column only: carry it over the columns below it
        group = t if t else (group if b else "")
        if b and group:
            label = f"{group}/{b}"
            f = aliases.match(b) or aliases.match(group + b) or aliases.match(group)
        else:
            label = group or b
            f = aliases.match(label)
        labels.append(label)
        fields.append(f)
    return _Header(i, 2, labels, fields)


def find_header(rows: list[list[str]], kind: Kind, aliases: AliasTable) -> _Header | None:
    """The header among the first rows: the row naming most fields (a register's identity field
    among them), joined with the row above or below when that names more.

    A header that names more fields of the other register kind is not this kind's header: an outlet
    register has 县区/乡镇/行政村 columns too, but it is not a village register.
    """
    own = _best_header(rows, kind, aliases)
    if own is None:
        return None
    other = _other(kind)
    rival = _best_header(rows, other, _rival_aliases(other))
    if rival is not None and rival.score > own.score:
        return None
    return own


_RIVALS: dict[Kind, AliasTable] = {}


def _other(kind: Kind) -> Kind:
    return Kind.OUTLETS if kind is Kind.VILLAGES else Kind.VILLAGES


def _rival_aliases(kind: Kind) -> AliasTable:
    if kind not in _RIVALS:
        _RIVALS[kind] = AliasTable.build(kind)
    return _RIVALS[kind]


def _best_header(rows: list[list[str]], kind: Kind, aliases: AliasTable) -> _Header | None:
    best: _Header | None = None
    for i in range(min(len(rows), HEADER_SEARCH_ROWS)):
        h = _single(rows, i, aliases)
        if best is None or h.score > best.score:
            best = h
    if best is None or best.score < 2:
        return None
    candidates = [best]
    if best.start > 0:
        candidates.append(_joined(rows, best.start - 1, aliases))
    if best.start + 1 < len(rows):
        candidates.append(_joined(rows, best.start, aliases))
    chosen = max(candidates, key=lambda h: h.score)  # first wins on ties: the single row
    if not _identity_fields(kind) & set(chosen.fields):
        return None
    return chosen


def _columns(header: _Header, kind: Kind, file: str, sheet: str | None, row: int) -> tuple[list[Column], list[Finding]]:
    columns: list[Column] = []
    findings: list[Finding] = []
    seen: dict[str, str] = {}
    for pos, (label, f) in enumerate(zip(header.labels, header.fields, strict=True)):
        if f and f in seen:
            findings.append(make("duplicate-column", file=file, sheet=sheet, row=row, column=label, field=f,
                                 detail_zh=seen[f]))
            f = None
        elif f:
            seen[f] = label
        elif label:
            findings.append(make("unmapped-column", file=file, sheet=sheet, row=row, column=label))
        columns.append(Column(pos, label, f))
    return columns, findings


def _no_register(path: Path, kind: Kind, where: str = "", where_en: str = "", rows: list[list[str]] | None = None) -> InputError:
    other = _other(kind)
    if rows is not None and _best_header(rows, other, _rival_aliases(other)) is not None:
        if kind is Kind.VILLAGES:
            return InputError(f"{path}{where} 像是服务点台账，请用 --outlets 给出", f"{path}{where_en} looks like an outlet register; pass it with --outlets")
        return InputError(f"{path}{where} 像是行政村台账，不是服务点台账", f"{path}{where_en} looks like a village register, not an outlet register")
    need = "、".join(field_of(kind, f).zh for f in FIELDS_REQUIRED[kind])
    what = "行政村台账" if kind is Kind.VILLAGES else "服务点台账"
    what_en = "village register" if kind is Kind.VILLAGES else "outlet register"
    return InputError(
        f"{path}{where} 中找不到{what}的表头（至少要有 {need} 等列），请检查文件或用 --sheet 指定工作表",
        f"no {what_en} header found in {path}{where_en} (it needs columns such as "
        f"{', '.join(FIELDS_REQUIRED[kind])}); check the file or choose the sheet with --sheet",
    )


FIELDS_REQUIRED = {k: [f.name for f in fs if f.required] for k, fs in FIELDS.items()}


# --- CSV ---------------------------------------------------------------------------------------


def _decode(data: bytes, path: Path, encoding: str | None) -> tuple[str, str]:
    if encoding:
        try:
            return data.decode(encoding), encoding
        except LookupError as e:
            raise InputError(f"不认识的编码 {encoding}（可用 utf-8、gbk、gb18030、utf-16）",
                             f"unknown encoding {encoding} (try utf-8, gbk, gb18030, utf-16)") from e
        except UnicodeDecodeError as e:
            raise InputError(f"{path} 不能按 {encoding} 解码（第 {e.start} 字节），请换一种 --encoding",
                             f"{path} cannot be decoded as {encoding} (byte {e.start}); try another --encoding") from e
    if data.startswith(b"\xef\xbb\xbf"):
        candidates = ["utf-8-sig"]
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        candidates = ["utf-16"]
    else:
        candidates = ["utf-8", "gbk", "gb18030"]
        sample = data[:4096]
        if sample.count(b"\x00") > len(sample) // 4:  # UTF-16 without a BOM: every other byte is 0
            candidates = ["utf-16-le" if sample[1:2] == b"\x00" else "utf-16-be"]
    for enc in candidates:
        try:
            text = data.decode(enc)
        except UnicodeDecodeError as e:
            if enc == "utf-8" and _utf8_then_not(data, e.start):
                line = data.count(b"\n", 0, e.start) + 1
                raise InputError(
                    f"{path} 前面是 UTF-8，第 {line} 行起却是另一种编码（多个文件拼接而成？），请统一另存为 UTF-8 后再查",
                    f"{path} is UTF-8 up to line {line}, then another encoding (files pasted together?); "
                    "save it as UTF-8 throughout",
                ) from e
            continue
        if _looks_binary(text):
            break
        return text, enc
    raise InputError(
        f"{path} 不是文本表格（可能是损坏或其他类型的文件），请另存为 CSV 或 Excel 后再查",
        f"{path} is not a text table (it may be corrupt or another kind of file); save it as CSV or Excel",
    )


def _utf8_then_not(data: bytes, bad: int) -> bool:
    """True when the bytes before `bad` are UTF-8 with Chinese in them (so the file began as UTF-8),
    whole lines of them, and a later line is not UTF-8: two encodings in one file."""
    head = data[: data.rfind(b"\n", 0, bad) + 1]
    if not head:
        return False
    try:
        text = head.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return any(ord(ch) > 0x2E80 for ch in text)


def _looks_binary(text: str) -> bool:
    sample = text[:8192]
    if not sample:
        return False
    control = sum(1 for ch in sample if ch not in "\t\r\n" and unicodedata.category(ch) in ("Cc", "Co", "Cs"))
    return control > max(2, len(sample) // 100)


csv.field_size_limit(1 << 30)  # a cell as large as the file limit; the loader bounds the file size itself


def _split(text: str, delimiter: str, limit: int | None = None, path: Path | None = None) -> list[list[str]]:
    # newline="" lets the csv module see a CR inside a quoted cell as part of the cell (found by fuzzing)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows = []
    try:
        for row in reader:
            rows.append(row)
            if limit is not None and len(rows) >= limit:
                break
    except csv.Error as e:
        if path is None:  # header sniffing: a preview that does not parse has no header
            return rows
        raise InputError(f"{path} 第 {reader.line_num} 行不是有效的 CSV（{e}），请用 Excel 打开后另存为 CSV",
                         f"{path} line {reader.line_num} is not valid CSV ({e}); open it in Excel and save it as CSV") from e
    return rows


def _check_width(path: Path, width: int, limits: Limits) -> None:
    if width > limits.max_columns:
        raise InputError(
            f"{path} 有一行多达 {width} 个单元格（上限 {limits.max_columns}），不像台账；请检查文件或用 --max-columns 调整",
            f"{path} has a row of {width} cells (limit {limits.max_columns}); not a register? check the file or raise --max-columns",
        )


def _arrow_csv(data: bytes, delimiter: str, skip: int, width: int) -> pd.DataFrame | None:
    """The rows under the header as text, read by pyarrow's CSV reader (several times faster than
    pandas' C engine on a national register); None when pyarrow is missing or the file is irregular (a
    row wider or narrower than the header), which the slower readers then handle cell by cell."""
    try:
        import pyarrow as pa
        import pyarrow.csv as pcsv
    except ImportError:  # pragma: no cover - pyarrow is a dependency
        return None
    names = [str(i) for i in range(width)]
    try:
        table = pcsv.read_csv(
            io.BytesIO(data),
            read_options=pcsv.ReadOptions(column_names=names, skip_rows=skip, block_size=1 << 24),
            parse_options=pcsv.ParseOptions(delimiter=delimiter, ignore_empty_lines=False, newlines_in_values=True),
            convert_options=pcsv.ConvertOptions(column_types=dict.fromkeys(names, pa.string()),
                                                strings_can_be_null=False, quoted_strings_can_be_null=False),
        )
    except (pa.ArrowInvalid, pa.ArrowException):
        return None
    frame = pd.DataFrame({i: pd.Series(table.column(i), dtype=str) for i in range(width)})
    return frame


_HEAD_BYTES = 1 << 20  # the start of a CSV file decoded to find its header, when the rest is left to pyarrow


def _utf8_start(data: bytes) -> tuple[str, str, bytes] | None:
    """The first lines (as _read_csv's preview), the encoding and the bytes under it of a file that
    starts as UTF-8, without decoding the whole file: pyarrow checks that every cell is UTF-8 as it
    reads them (a file that is not throughout is then decoded whole, as any other). None when the start
    cannot tell: no UTF-8 there, another BOM, a NUL byte, old Mac line ends, no text table."""
    if data.startswith(b"\xef\xbb\xbf"):
        enc, body = "utf-8-sig", data[3:]
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return None
    else:
        enc, body = "utf-8", data
    if b"\x00" in body or (b"\r" in body and b"\n" not in body):
        return None
    head = body
    if len(body) > _HEAD_BYTES:
        head = body[:_HEAD_BYTES]
        if head.count(b"\n") < HEADER_SEARCH_ROWS + 2:  # the preview would reach past the start
            return None
        head = head[: head.rfind(b"\n") + 1]  # whole lines: no character cut in two
    try:
        text = head.decode("utf-8")
    except UnicodeDecodeError:
        return None
    if (len(head) < len(body) and len(text) < 8192) or _looks_binary(text):
        return None
    return _preview(text), enc, body


def _preview(text: str) -> str:
    """The lines of a CSV text that its header is sought in: its first HEADER_SEARCH_ROWS + 2 lines
    (without the line end after the last), found without copying the rest of the text."""
    end = -1
    for _ in range(HEADER_SEARCH_ROWS + 2):
        end = text.find("\n", end + 1)
        if end < 0:
            return text
    return text[:end]


def _csv_header(path: Path, kind: Kind, aliases: AliasTable, preview_text: str, limits: Limits) -> tuple[_Header, str]:
    """The header of a CSV register and its delimiter (tab, comma or semicolon: the best header)."""
    best: tuple[_Header, str] | None = None
    previews = {d: _split(preview_text, d) for d in ("\t", ",", ";")}
    for delimiter, preview in previews.items():
        h = find_header(preview, kind, aliases)
        if h and (best is None or h.score > best[0].score):
            best = (h, delimiter)
    if best is None:
        widest = max(previews.values(), key=lambda rows: max((len(r) for r in rows), default=0))
        raise _no_register(path, kind, rows=widest)
    _check_width(path, len(best[0].labels), limits)
    return best


def _csv_table(path: Path, kind: Kind, enc: str, delimiter: str, header: _Header, cells: pd.DataFrame) -> RawTable:
    skip = header.start + header.height
    # A trailing newline is not a row; pandas reports none, the csv module reports none either.
    header_rows = list(range(header.start + 1, header.start + header.height + 1))
    columns, findings = _columns(header, kind, str(path), None, header_rows[0])
    for pos in range(len(columns), cells.shape[1]):
        columns.append(Column(pos, "", None))
    return RawTable(
        path=path, kind=kind, format="csv", sheet=None, encoding=enc, delimiter=delimiter,
        header_rows=header_rows, columns=columns, cells=cells,
        row_numbers=list(range(skip + 1, skip + 1 + len(cells))), findings=findings,
    )


def _read_csv(path: Path, kind: Kind, aliases: AliasTable, encoding: str | None, limits: Limits) -> RawTable:
    data = path.read_bytes()
    start = _utf8_start(data) if encoding is None else None
    if start is not None:  # a national register: 0.1-0.2 s of decoding and splitting saved per file
        preview_text, enc, body = start
        header, delimiter = _csv_header(path, kind, aliases, preview_text, limits)
        cells = _arrow_csv(body, delimiter, header.start + header.height, len(header.labels))
        if cells is not None:
            return _csv_table(path, kind, enc, delimiter, header, cells)
        # rows wider or narrower than the header, or bytes that are not UTF-8: as any other file
    text, enc = _decode(data, path, encoding)
    if "\r" in text and "\n" not in text:  # old Mac line ends
        text = text.replace("\r", "\n")
    if "\x00" in text:
        line = text.count("\n", 0, text.index("\x00")) + 1
        raise InputError(
            f"{path} 第 {line} 行含有空字符（NUL），不是干净的文本表格；请用 Excel 打开后另存为 CSV 再查",
            f"{path} has NUL bytes (line {line}); not a clean text table; open it in Excel and save it as CSV",
        )
    preview_text = _preview(text)
    header, delimiter = _csv_header(path, kind, aliases, preview_text, limits)
    skip = header.start + header.height
    width = len(header.labels)
    utf8 = data[3:] if enc == "utf-8-sig" else data if enc == "utf-8" and "\r" not in preview_text else None
    try:
        cells = _arrow_csv(utf8 if utf8 is not None else text.encode("utf-8"), delimiter, skip, width)
        if cells is None:
            with warnings.catch_warnings():
                # pandas warns, and drops the cells, when a row is wider than the header: never lose them
                warnings.simplefilter("error", pd.errors.ParserWarning)
                frame = pd.read_csv(
                    io.StringIO(text), sep=delimiter, header=None, names=range(width), skiprows=skip, dtype=str,
                    keep_default_na=False, skip_blank_lines=False, engine="c", index_col=False,
                )
            cells = frame.fillna("")
    except (pd.errors.ParserError, pd.errors.ParserWarning, ValueError):
        # a row with more cells than the header: the csv module keeps every row; extra cells are kept too
        rows = _split(text, delimiter, path=path)[skip:]
        width = max([width, *(len(r) for r in rows)])
        _check_width(path, width, limits)
        cells = pd.DataFrame([r + [""] * (width - len(r)) for r in rows], columns=range(width), dtype=str)
    return _csv_table(path, kind, enc, delimiter, header, cells)


# --- spreadsheets ------------------------------------------------------------------------------


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
def _native_stderr_silenced():
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


def _unreadable(path: Path, e: BaseException) -> InputError:
    detail = str(e).splitlines()[0][:80] if str(e) else type(e).__name__
    return InputError(
        f"{path} 无法作为表格打开（{detail}），文件可能已损坏；请用 Excel 另存为 .xlsx 后再查",
        f"{path} cannot be opened as a workbook ({detail}); it may be corrupt; save it again as .xlsx",
    )


class _Workbook:
    """A workbook opened with python-calamine; each sheet is parsed once, however often it is read."""

    def __init__(self, path: Path) -> None:
        import python_calamine as pc

        self.path = path
        self._sheets: dict[str, object] = {}
        try:
            with _native_stderr_silenced():
                self.wb = pc.CalamineWorkbook.from_path(str(path))
        except pc.PasswordError as e:
            raise _encrypted(path) from e
        except (pc.CalamineError, OSError, ValueError) as e:
            raise _unreadable(path, e) from e
        except BaseException as e:  # a panic inside calamine's Rust code on a malformed file (found by fuzzing)
            if not _is_panic(e):
                raise
            raise _unreadable(path, e) from e
        self.names: list[str] = list(self.wb.sheet_names)
        self.visible: list[str] = [m.name for m in self.wb.sheets_metadata if "Hidden" not in str(m.visible)]

    def rows(self, name: str, nrows: int | None = None) -> tuple[list[list], int]:
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
            f"{self.path} 的工作表「{name}」无法读取（{str(e)[:80]}），请用 Excel 另存后再查",
            f"sheet '{name}' of {self.path} cannot be read ({str(e)[:80]}); save the workbook again",
        )

    def stream(self, name: str, skip: int):
        """The rows of a sheet after its first `skip` rows (counted from row 1, not from the first used
        row: iter_rows pads the rows above the used area), cut to the used columns, in lists of up to
        STREAM_ROWS rows: a national sheet is never held as Python objects all at once."""
        self.rows(name, 1)  # parsed (and errors reported) as by rows()
        it = iter(self._sheets[name].iter_rows())

        def take(n: int) -> list[list]:
            try:
                with _native_stderr_silenced():  # only while calamine runs, not while the caller works
                    return [row for _, row in zip(range(n), it, strict=False)]
            except BaseException as e:
                raise self._sheet_error(name, e) from e

        take(skip)
        while part := take(STREAM_ROWS):
            yield part

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


def _choose_sheet(wb: _Workbook, kind: Kind, aliases: AliasTable, sheet: str | None) -> tuple[str, _Header]:
    path, names = wb.path, wb.names
    if sheet is not None:
        if sheet in names:
            chosen = sheet
        elif sheet.isdigit() and 1 <= int(sheet) <= len(names):
            chosen = names[int(sheet) - 1]
        else:
            raise InputError(
                f"{path} 中没有工作表「{sheet}」（有：{'、'.join(names)}）；--sheet 可写名称或序号（从1开始）",
                f"no sheet '{sheet}' in {path} (it has: {', '.join(names)}); --sheet takes a name or a 1-based number",
            )
        preview = wb.preview(chosen)
        h = find_header(preview, kind, aliases)
        if h is None:
            raise _no_register(path, kind, f" 的工作表「{chosen}」", f", sheet '{chosen}'", preview)
        return chosen, h
    if not wb.visible:
        raise InputError(
            f"{path} 的工作表全部被隐藏（{'、'.join(names)}）；请在 Excel 中取消隐藏，或用 --sheet 指定要检查的工作表",
            f"every sheet of {path} is hidden ({', '.join(names)}); unhide the register or choose it with --sheet",
        )
    order = wb.visible + [n for n in names if n not in wb.visible]  # hidden sheets last
    previews = []
    for name in order:
        previews.append(wb.preview(name))
        h = find_header(previews[-1], kind, aliases)
        if h is not None:
            return name, h
    other = _other(kind)
    rival = next((p for p in previews if _best_header(p, other, _rival_aliases(other))), None)
    raise _no_register(path, kind, f"（工作表：{'、'.join(names)}）", f" (sheets: {', '.join(names)})", rival)


def _text_column(values) -> pd.Series:
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


def _text_frame(body: list[list], width: int) -> pd.DataFrame:
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


_ERROR_MARK = b't="e"'  # the type attribute of a cell holding an error value
_SCAN_CHUNK = 1 << 24  # bytes of sheet XML looked at a time
_ERROR_CELL = re.compile(rb'<c r="([A-Z]{1,3})(\d+)"[^>]*?t="e"[^>]*>(?:<f[^>]*>.*?</f>|<f[^>]*/>)?<v>([^<]*)</v>', re.S)


def _xlsx_error_cells(path: Path, sheet: str) -> dict[tuple[int, int], str]:
    """Cells of an xlsx sheet holding an error value (#DIV/0!, #REF!, …), by 0-based (row, column).

    calamine reads them as empty cells; kuaidi puts the error text back, so that the cell is reported
    (a bad number, a bad date) instead of silently counting as empty."""
    try:
        with zipfile.ZipFile(path) as zf:
            book = zf.read("xl/workbook.xml").decode("utf-8", "replace")
            rels = zf.read("xl/_rels/workbook.xml.rels").decode("utf-8", "replace")
            rid = next((m.group(2) for m in re.finditer(r'<sheet [^>]*name="([^"]*)"[^>]*r:id="([^"]*)"', book)
                        if html.unescape(m.group(1)) == sheet), None)
            target = next((m.group(2) for m in re.finditer(r'<Relationship [^>]*Id="([^"]*)"[^>]*Target="([^"]*)"', rels)
                           if m.group(1) == rid), None)
            if target is None:
                return {}
            member = target.lstrip("/") if target.startswith("/") else "xl/" + target
            found, tail, k = False, b"", len(_ERROR_MARK) - 1
            with zf.open(member) as fh:  # most sheets have no error cell: look before parsing
                while chunk := fh.read(_SCAN_CHUNK):
                    # a mark cut by a chunk's end is found in the seam: the last k bytes and the next k
                    if _ERROR_MARK in chunk or _ERROR_MARK in tail + chunk[:k]:
                        found = True
                        break
                    tail = (tail + chunk[-k:])[-k:]  # (not tail + chunk: that copies 16 MiB)
            if not found:
                return {}
            data = zf.read(member)
    except (KeyError, zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError, RuntimeError):
        return {}
    cells = {}
    for m in _ERROR_CELL.finditer(data):
        col = 0
        for ch in m.group(1).decode():
            col = col * 26 + ord(ch) - 64
        cells[(int(m.group(2)) - 1, col - 1)] = m.group(3).decode("utf-8", "replace")
    return cells


_PREFLIGHT = """
import resource, sys
resource.setrlimit(resource.RLIMIT_AS, (int(sys.argv[2]), int(sys.argv[2])))
import python_calamine as pc
try:
    wb = pc.CalamineWorkbook.from_path(sys.argv[1])
    for name in wb.sheet_names:
        wb.get_sheet_by_name(name).to_python()
except BaseException:
    pass  # an error the parent reports properly; only a dead process matters here
"""


def _preflight_legacy(path: Path, limits: Limits) -> None:
    """Open an .xls in a child process under a memory limit first.

    calamine trusts sizes written inside the old binary format: fuzzing found 6 KB files that make it
    allocate gigabytes and abort the whole process. Such a file kills only the child; the user gets one
    line. (xlsx and ods are guarded by the zip-bomb check instead.)"""
    import subprocess
    import sys

    budget = max(512 << 20, 64 * path.stat().st_size) + (256 << 20)  # the interpreter itself needs ~200 MiB
    try:
        proc = subprocess.run([sys.executable, "-c", _PREFLIGHT, str(path), str(budget)], capture_output=True,
                              timeout=120)
    except subprocess.TimeoutExpired as e:
        raise InputError(f"{path} 读取超时，文件可能已损坏；请用 Excel 另存为 .xlsx 后再查",
                         f"{path} took too long to read; it may be corrupt; save it again as .xlsx") from e
    if proc.returncode != 0:
        raise InputError(
            f"{path} 读取时需要的内存远超台账应有的大小，文件可能已损坏；请用 Excel 另存为 .xlsx 后再查",
            f"{path} asks for far more memory than a register needs; it may be corrupt; save it again as .xlsx",
        )


def in_thread(name: str, fn, *args):
    """Start fn(*args) in a daemon thread (kuaidi waits for it only if it needs the result); the returned
    function waits and gives the result, or raises what fn raised. For work that runs without the GIL
    (calamine's parse, pyarrow's reader, zlib, hashlib) beside the caller's."""
    box: dict[str, object] = {}

    def work() -> None:
        try:
            box["value"] = fn(*args)
        except BaseException as e:  # handed to the waiting thread
            box["error"] = e

    thread = threading.Thread(target=work, name=f"kuaidi-{name}", daemon=True)
    thread.start()

    def wait():
        thread.join()
        if "error" in box:
            raise box["error"]  # type: ignore[misc]
        return box["value"]

    return wait


def _read_workbook(path: Path, fmt: str, kind: Kind, aliases: AliasTable, sheet: str | None,
                   limits: Limits) -> RawTable:
    if fmt == "xls":
        _preflight_legacy(path, limits)
    wb = _Workbook(path)
    # the sheet most likely chosen is scanned for error cells in a thread while calamine parses it (both
    # work without the GIL: unzipping, and calamine's Rust)
    guess = (sheet if sheet in wb.names else (wb.visible or wb.names or [None])[0]) if fmt == "xlsx" else None
    scan = in_thread("scan", _xlsx_error_cells, path, guess) if guess is not None else None
    name, header = _choose_sheet(wb, kind, aliases, sheet)
    _, start = wb.rows(name, 1)
    col0 = wb.start_col(name)
    skip = header.start + header.height
    errors = (scan() if scan is not None and name == guess else _xlsx_error_cells(path, name)) if fmt == "xlsx" else {}
    # error cells by body row: (column, text)
    patches: dict[int, list[tuple[int, str]]] = {}
    for (r, col), text in errors.items():
        if r - start >= skip and col - col0 >= 0:
            patches.setdefault(r - start - skip, []).append((col - col0, text))
    width = max(len(header.labels), wb.width(name))
    _check_width(path, width, limits)
    parts, n = [], 0
    for part in wb.stream(name, start + skip):  # calamine's iter_rows begins at the sheet's first row
        for i in [i for i in patches if n <= i < n + len(part)]:
            row = part[i - n]
            for j, text in patches[i]:
                if j < len(row) and row[j] in ("", None):
                    row[j] = text
        width = max(width, *(len(r) for r in part))
        _check_width(path, width, limits)
        n += len(part)
        parts.append(_text_frame(part, width))
    wb.release(name)
    if len(parts) > 1:
        cells = pd.concat([p.reindex(columns=range(width), fill_value="") for p in parts], ignore_index=True)
    else:
        cells = parts[0].reindex(columns=range(width), fill_value="") if parts else _text_frame([], width)
    first = start + header.start + 1
    header_rows = list(range(first, first + header.height))
    columns, findings = _columns(header, kind, str(path), name, header_rows[0])
    for pos in range(len(columns), width):
        columns.append(Column(pos, "", None))
    body_first = first + header.height
    return RawTable(
        path=path, kind=kind, format=fmt, sheet=name, encoding=None, delimiter=None, header_rows=header_rows,
        columns=columns, cells=cells, row_numbers=list(range(body_first, body_first + n)), findings=findings,
    )


def load(
    path: Path,
    kind: Kind,
    aliases: AliasTable | None = None,
    *,
    sheet: str | None = None,
    encoding: str | None = None,
    limits: Limits | None = None,
) -> RawTable:
    """Read a register file of any supported format. Raises InputError when it cannot be read."""
    limits = limits or Limits()
    aliases = aliases or AliasTable.build(kind)
    fmt = sniff(path, limits)
    if fmt == "csv":
        return _read_csv(path, kind, aliases, encoding, limits)
    return _read_workbook(path, fmt, kind, aliases, sheet, limits)
