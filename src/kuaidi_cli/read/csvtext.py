"""The text of a CSV file as rows: split by a delimiter, the first lines for the header search, a row too
wide refused, and what reads as binary, not text."""

from __future__ import annotations

import csv
import io
import unicodedata
from pathlib import Path

from kuaidi_cli.core.errors import InputError
from kuaidi_cli.read.table import HEADER_SEARCH_ROWS, Limits


def looks_binary(text: str) -> bool:
    sample = text[:8192]
    if not sample:
        return False
    control = sum(1 for ch in sample if ch not in "\t\r\n" and unicodedata.category(ch) in ("Cc", "Co", "Cs"))
    return control > max(2, len(sample) // 100)


def split_rows(text: str, delimiter: str, limit: int | None = None, path: Path | None = None) -> list[list[
    str]]:
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
        # the csv module's words for the English line only; the Chinese line says what it means
        why = (f"有单元格长于 {csv.field_size_limit()} 个字符" if "field larger than field limit" in str(e)
               else "引号或分隔符有误")
        raise InputError(
            f"{path} 第 {reader.line_num} 行不是有效的 CSV（{why}），请用 Excel 打开后另存为 CSV",
            f"{path} line {reader.line_num} is not valid CSV ({e}); open it in Excel and save it as CSV",
        ) from e
    return rows


def check_width(path: Path, width: int, limits: Limits) -> None:
    if width > limits.max_columns:
        raise InputError(
            f"{path} 有一行多达 {width} 个单元格（上限 {limits.max_columns}），不像台账；请检查文件或用 "
            "--max-columns 调整",
            f"{path} has a row of {width} cells (limit {limits.max_columns}); not a register? check the file "
            "or raise --max-columns",
        )


def preview(text: str) -> str:
    """The lines of a CSV text that its header is sought in: its first HEADER_SEARCH_ROWS + 2 lines
    (without the line end after the last), found without copying the rest of the text."""
    end = -1
    for _ in range(HEADER_SEARCH_ROWS + 2):
        end = text.find("\n", end + 1)
        if end < 0:
            return text
    return text[:end]
