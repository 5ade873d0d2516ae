"""The error cells of an xlsx sheet (#DIV/0!, #REF!), found in the sheet's XML: calamine reads them
as empty, and a register's value must never silently become blank."""

from __future__ import annotations

import html
import re
import zipfile
from pathlib import Path

_ERROR_MARK = b't="e"'  # the type attribute of a cell holding an error value


SCAN_CHUNK = 1 << 24  # bytes of sheet XML looked at a time


_ERROR_CELL = re.compile(rb'<c r="([A-Z]{1,3})(\d+)"[^>]*?t="e"[^>]*>(?:<f[^>]*>.*?</f>|<f[^>]*/>)?<v>([^<]*)</v>', re.S)


def xlsx_error_cells(path: Path, sheet: str) -> dict[tuple[int, int], str]:
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
                while chunk := fh.read(SCAN_CHUNK):
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
