"""Reading a CSV register: its encoding detected (BOM, UTF-8, GB18030, UTF-16), its delimiter
sniffed, the header found in a preview, the rest read by pyarrow where it can."""

from __future__ import annotations

import io
import re
import warnings
from pathlib import Path

import pandas as pd

from kuaidi_cli.core.errors import InputError
from kuaidi_cli.core.fields import AliasTable, Kind
from kuaidi_cli.read.csvtext import check_width, looks_binary, preview, split_rows
from kuaidi_cli.read.header import Header, find_header, header_columns, no_register
from kuaidi_cli.read.table import HEADER_SEARCH_ROWS, Column, Limits, RawTable


def decode(data: bytes, path: Path, encoding: str | None, kind: Kind | None = None,
           aliases: AliasTable | None = None) -> tuple[str, str]:
    """The text of a CSV file and its encoding: the one named (--encoding), else the one detected.
    (`kind` and `aliases` let a failure under a named encoding name the column it is in.)"""
    if encoding:
        try:
            return data.decode(encoding), encoding
        except LookupError as e:
            raise InputError(f"不认识的编码 {encoding}（可用 utf-8、gbk、gb18030、utf-16）",
                             f"unknown encoding {encoding} (try utf-8, gbk, gb18030, utf-16)") from e
        except UnicodeDecodeError as e:
            raise _not_in_encoding(data, path, encoding, e.start, kind, aliases) from e
    if data.startswith(b"\xef\xbb\xbf"):
        candidates = ["utf-8-sig"]
    elif data.startswith((b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")):  # (before UTF-16: the same first bytes)
        candidates = ["utf-32"]
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        candidates = ["utf-16"]
    else:
        candidates = ["utf-8", "gbk", "gb18030"]
        sample = data[:4096]
        if (wide := _utf16_without_bom(sample)) is not None:  # a register's header words in UTF-16
            candidates = [wide]
        elif sample.count(b"\x00") > len(sample) // 4:  # UTF-16 without a BOM: every other byte is 0
            candidates = ["utf-16-le" if sample[1:2] == b"\x00" else "utf-16-be"]
    for enc in candidates:
        try:
            text = data.decode(enc)
        except UnicodeDecodeError as e:
            bad = e.start + 3 if enc == "utf-8-sig" else e.start  # (utf-8-sig counts after its BOM)
            if enc in ("utf-8", "utf-8-sig") and (few := _few_bad_bytes(data, "utf-8")):
                raise _stray_bytes(path, "UTF-8", few) from e
            if enc in ("utf-8", "utf-8-sig") and _utf8_then_not(data, bad):
                line = data.count(b"\n", 0, bad) + 1
                raise InputError(
                    f"{path} 前面是 UTF-8，第 {line} 行起却是另一种编码（多个文件拼接而成？），请统一另存为 "
                    "UTF-8 后再查",
                    f"{path} is UTF-8 up to line {line}, then another encoding (files pasted together?); "
                    "save it as UTF-8 throughout",
                ) from e
            continue
        if looks_binary(text):
            break
        return text, enc
    if candidates[0] == "utf-8" and (few := _few_bad_bytes(data, "gb18030")):
        raise _stray_bytes(path, "GBK", few)
    if not looks_binary(data[:4096].decode("latin-1").translate(_CP1252)) and b"\x00" not in data[:4096]:
        raise InputError(  # text, in none of the encodings tried: Big5, Latin-1, CP1252, …
            f"{path} 是文本，但不是 UTF-8、GBK/GB18030 或 UTF-16 编码（可能是繁体的 Big5，或西文的 "
            "Windows-1252、"
            "Latin-1 等）：请另存为 UTF-8 的 CSV，或用 --encoding 指定编码（如 --encoding big5、--encoding "
            "cp1252）",
            f"{path} is text, but not in UTF-8, GBK/GB18030 or UTF-16 (Big5, Windows-1252 or Latin-1, "
            "perhaps): "
            "save it as a UTF-8 CSV, or name its encoding with --encoding (such as --encoding big5 or "
            "cp1252)",
        )
    raise InputError(
        f"{path} 不是文本表格（可能是损坏或其他类型的文件），请另存为 CSV 或 Excel 后再查",
        f"{path} is not a text table (it may be corrupt or another kind of file); save it as CSV or Excel",
    )


def _reads_as_register(text: str) -> bool:
    """Whether the start of a file, decoded some way, reads a register's header words (县区, 乡镇, 行政村…): a
    wrong guess of the encoding reads none of them."""
    return sum(word in text for word in ("县区", "乡镇", "行政村", "区划代码", "服务点")) >= 2


def _utf16_without_bom(sample: bytes) -> str | None:
    """UTF-16 without a BOM whose text is mostly Chinese (so it has few 0 bytes): the byte order in which the
    start of the file reads a register's header words; None for anything else."""
    if b"\x00" not in sample:
        return None
    return next((enc for enc in ("utf-16-le", "utf-16-be")
                 if _reads_as_register(sample[: len(sample) // 2 * 2].decode(enc, errors="ignore"))), None)


def _few_bad_bytes(data: bytes, encoding: str) -> list[int]:
    """The lines (1-based) of the few bytes (one to three) that are not `encoding` in a register that
    otherwise is: its header words read in it (a Big5 or Latin-1 file read as GBK shows none). Empty when
    the file is not such a register — told by its start alone, before the whole file is decoded (a GBK
    register is tried as UTF-8 first, every time)."""
    if not _reads_as_register(data[:4096].decode(encoding, errors="replace")):
        return []
    text = data.decode(encoding, errors="replace")
    bad = text.count("\ufffd")
    if not bad:
        return []
    # a few bytes, or a line or two in another encoding (one UTF-8 line pasted into a GBK file): the lines are
    # counted from one bad character to the next, and no further than a third line
    lines: list[int] = []
    line, at = 1, 0
    for m in re.finditer("\ufffd", text):
        line, at = line + text.count("\n", at, m.start()), m.start()
        if not lines or lines[-1] != line:
            lines.append(line)
            if len(lines) > 2 and bad > 3:
                return []
    return lines if bad <= 3 or len(lines) * 20 <= text.count("\n") + 1 else []


def _stray_bytes(path: Path, name: str, lines: list[int]) -> InputError:
    where = "、".join(str(n) for n in lines)
    return InputError(
        f"{path} 是 {name} 编码，但第 {where} 行有无法识别的字节（文件被截断，混入了别的字符，或这几行是另"
        "一种编码）："
        "请在 Excel 或 WPS 中打开，检查并修正这几行后另存再查",
        f"{path} is {name}, but line {', '.join(str(n) for n in lines)} holds bytes that are not (the file "
        "was cut "
        "short, something was pasted in, or those lines are in another encoding): open it in Excel or "
        "WPS, mend "
        "those lines and save it again",
    )


def _not_in_encoding(data: bytes, path: Path, encoding: str, bad: int, kind: Kind | None,
                     aliases: AliasTable | None) -> InputError:
    """--encoding names an encoding the file is not in: where its first byte that is not is, as an editor
    or a spreadsheet shows it (the line, 1-based, title rows counted; the column when the header is above
    it), and what to do instead (the encoding kuaidi would detect, when it detects one)."""
    before = data[:bad].decode(encoding, errors="replace").replace("\r\n", "\n").replace("\r", "\n").lstrip(
        "\ufeff")
    line = before.count("\n") + 1
    label = _column_at(before, kind, aliases) if kind is not None and aliases is not None else None
    where, where_en = (f"（「{label}」列）", f" (column '{label}')") if label else ("", "")
    named = encoding.lower().replace("-", "").replace("_", "")
    other = "gb18030" if named in ("gbk", "cp936", "gb2312") else "utf-8" if named == "gb18030" else "gbk"
    try:
        found: str | None = decode(data, path, None)[1]
    except InputError:
        found = None
    if found:
        return InputError(
            f"{path} 第 {line} 行{where}不能按 {encoding} 解码：文件看来是 {found} 编码；"
            f"请去掉 --encoding（kuaidi 会自己识别编码），或改用 --encoding {found}",
            f"{path} line {line}{where_en} cannot be decoded as {encoding}: the file looks like {found}; "
            f"drop --encoding (kuaidi detects the encoding) or use --encoding {found}",
        )
    return InputError(
        f"{path} 第 {line} 行{where}不能按 {encoding} 解码：请去掉 --encoding 让 kuaidi 自己识别编码，"
        f"或换一种编码（如 --encoding {other}）",
        f"{path} line {line}{where_en} cannot be decoded as {encoding}: drop --encoding to let kuaidi detect "
        f"the encoding, or name another (such as --encoding {other})",
    )


def _column_at(before: str, kind: Kind, aliases: AliasTable) -> str | None:
    """The header of the column that the end of `before` (text up to a bad byte) is in, when the header
    is on a line above it; None when it is not (a title or the header itself cannot be decoded)."""
    head, _, last = before.rpartition("\n")
    found: tuple[Header, str] | None = None
    for delimiter in ("\t", ",", ";", "|"):
        h = find_header(split_rows(preview(head), delimiter), kind, aliases) if head else None
        if h and (found is None or h.score > found[0].score):
            found = (h, delimiter)
    if found is None:
        return None
    header, delimiter = found
    cells = split_rows(last, delimiter)
    i = len(cells[0]) - 1 if cells else 0
    return (header.labels[i] or None) if i < len(header.labels) else None


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


def _cp1252() -> dict[int, str]:
    """Latin-1 text's C1 control characters (U+0080-U+009F) as Windows-1252 reads their bytes: “ ” – € …
    Western text from Windows is full of them; the five bytes Windows-1252 leaves undefined stay controls."""
    table = {}
    for b in range(0x80, 0xA0):
        try:
            table[b] = bytes([b]).decode("cp1252")
        except UnicodeDecodeError:
            continue
    return table


_CP1252 = _cp1252()


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
            parse_options=pcsv.ParseOptions(delimiter=delimiter, ignore_empty_lines=False,
                                            newlines_in_values=True),
            convert_options=pcsv.ConvertOptions(column_types=dict.fromkeys(names, pa.string()),
                                                strings_can_be_null=False, quoted_strings_can_be_null=False),
        )
    except (pa.ArrowInvalid, pa.ArrowException):
        return None
    frame = pd.DataFrame({i: pd.Series(table.column(i), dtype=str) for i in range(width)})
    return frame


HEAD_BYTES = 1 << 20  # the start of a CSV file decoded to find its header, when the rest is left to pyarrow


def _utf8_start(data: bytes) -> tuple[str, str, bytes] | None:
    """The first lines (as read_csv's preview), the encoding and the bytes under it of a file that
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
    if len(body) > HEAD_BYTES:
        head = body[:HEAD_BYTES]
        if head.count(b"\n") < HEADER_SEARCH_ROWS + 2:  # the preview would reach past the start
            return None
        head = head[: head.rfind(b"\n") + 1]  # whole lines: no character cut in two
    try:
        text = head.decode("utf-8")
    except UnicodeDecodeError:
        return None
    if (len(head) < len(body) and len(text) < 8192) or looks_binary(text):
        return None
    return preview(text), enc, body


def _csv_header(path: Path, kind: Kind, aliases: AliasTable, preview_text: str, limits: Limits) -> tuple[
    Header, str]:
    """The header of a CSV register and its delimiter (tab, comma, semicolon or |: the best header)."""
    best: tuple[Header, str] | None = None
    previews = {d: split_rows(preview_text, d) for d in ("\t", ",", ";", "|")}
    # a row far wider than any register (100 000 cells) is refused below; the header is looked for among
    # its first cells only, so that it costs what a register's row costs
    widths = {d: max((len(r) for r in rows), default=0) for d, rows in previews.items()}
    previews = {d: [r[:limits.max_columns + 1] for r in rows] if widths[d] > limits.max_columns else rows
                for d, rows in previews.items()}
    for delimiter, rows in previews.items():
        h = find_header(rows, kind, aliases)
        if h and (best is None or h.score > best[0].score):
            best = (h, delimiter)
    if best is None:
        widest = max(previews.values(), key=lambda rows: max((len(r) for r in rows), default=0))
        raise no_register(path, kind, rows=widest)
    check_width(path, max(len(best[0].labels), widths[best[1]]), limits)
    return best


def _csv_table(path: Path, kind: Kind, enc: str, delimiter: str, header: Header,
               cells: pd.DataFrame) -> RawTable:
    skip = header.start + header.height
    # A trailing newline is not a row; pandas reports none, the csv module reports none either.
    header_rows = list(range(header.start + 1, header.start + header.height + 1))
    columns, findings = header_columns(header, kind, str(path), None, header_rows[0])
    for pos in range(len(columns), cells.shape[1]):
        columns.append(Column(pos, "", None))
    return RawTable(
        path=path, kind=kind, format="csv", sheet=None, encoding=enc, delimiter=delimiter,
        header_rows=header_rows, columns=columns, cells=cells,
        row_numbers=list(range(skip + 1, skip + 1 + len(cells))), findings=findings,
    )


def read_csv(path: Path, kind: Kind, aliases: AliasTable, encoding: str | None, limits: Limits) -> RawTable:
    return read_csv_data(path.read_bytes(), path, kind, aliases, encoding, limits)


def read_csv_data(data: bytes, path: Path, kind: Kind, aliases: AliasTable, encoding: str | None,
                  limits: Limits) -> RawTable:
    """A CSV register's bytes as a table (`path` names it in findings and messages)."""
    start = _utf8_start(data) if encoding is None else None
    if start is not None:  # a national register: 0.1-0.2 s of decoding and splitting saved per file
        preview_text, enc, body = start
        header, delimiter = _csv_header(path, kind, aliases, preview_text, limits)
        cells = _arrow_csv(body, delimiter, header.start + header.height, len(header.labels))
        if cells is not None:
            return _csv_table(path, kind, enc, delimiter, header, cells)
        # rows wider or narrower than the header, or bytes that are not UTF-8: as any other file
    text, enc = decode(data, path, encoding, kind, aliases)
    if "\r" in text and "\n" not in text:  # old Mac line ends
        text = text.replace("\r", "\n")
    if "\x00" in text:
        line = text.count("\n", 0, text.index("\x00")) + 1
        raise InputError(
            f"{path} 第 {line} 行含有空字符（NUL），不是干净的文本表格；请用 Excel 打开后另存为 CSV 再查",
            f"{path} has NUL bytes (line {line}); not a clean text table; open it in Excel and save it "
            "as CSV",
        )
    preview_text = preview(text)
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
                    io.StringIO(text),
                    sep=delimiter,
                    header=None,
                    names=range(width),
                    skiprows=skip,
                    dtype=str,
                    keep_default_na=False,
                    skip_blank_lines=False,
                    engine="c",
                    index_col=False,
                )
            cells = frame.fillna("")
    except (pd.errors.ParserError, pd.errors.ParserWarning, ValueError):
        # a row with more cells than the header: the csv module keeps every row; extra cells are kept too
        rows = split_rows(text, delimiter, path=path)[skip:]
        width = max([width, *(len(r) for r in rows)])
        check_width(path, width, limits)
        cells = pd.DataFrame([r + [""] * (width - len(r)) for r in rows], columns=range(width), dtype=str)
    return _csv_table(path, kind, enc, delimiter, header, cells)
