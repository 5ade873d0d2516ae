"""The error cells of an xlsx sheet (#DIV/0!, #REF!), found in the sheet's XML: calamine reads them
as empty, and a register's value must never silently become blank."""

from __future__ import annotations

import html
import posixpath
import re
import zipfile
from pathlib import Path

_ERROR_MARK = b't="e"'  # the type attribute of a cell holding an error value


SCAN_CHUNK = 1 << 24  # bytes of sheet XML looked at a time


_ERROR_CELL = re.compile(
    rb'<c r="([A-Z]{1,3})(\d+)"[^>]*?t="e"[^>]*>(?:<f[^>]*>.*?</f>|<f[^>]*/>)?<v>([^<]*)</v>', re.S)


def _attributes(tag: str) -> dict[str, str]:
    """A start tag's attributes by their local name (r:id and Id alike are 'id'), whatever their order."""
    return {k.rpartition(":")[2].lower(): html.unescape(v) for k, v in re.findall(
        r'([\w:.-]+)\s*=\s*"([^"]*)"', tag)}


def _tags(xml: str, name: str) -> list[dict[str, str]]:
    """The attributes of each `name` element (with any namespace prefix) of a small XML part."""
    return [_attributes(m.group(0)) for m in re.finditer(rf"<(?:[\w.-]+:)?{name}\b[^>]*>", xml)]


def _target(part: str, target: str) -> str:
    """A relationship's target as a part name: absolute (/xl/…), or relative to the folder of `part`."""
    if target.startswith("/"):
        return target.lstrip("/")
    return posixpath.normpath(posixpath.join(posixpath.dirname(part), target))


def _sheet_member(zf: zipfile.ZipFile, sheet: str) -> str | None:
    """The zip member holding a sheet's XML: the workbook part found as _rels/.rels names it (it need not be
    at xl/), the sheet's relationship whatever the order of its attributes, part names with / or \\."""
    members = {n.replace("\\", "/").lstrip("/"): n for n in zf.namelist()}

    def text(part: str) -> str:
        return zf.read(members[part]).decode("utf-8", "replace") if part in members else ""

    office = [r for r in _tags(text("_rels/.rels"), "Relationship") if r.get("type", "").endswith(
        "/officeDocument")]
    book = _target("", office[0].get("target", "")) if office else "xl/workbook.xml"
    rid = next((s.get("id") for s in _tags(text(book), "sheet") if s.get("name") == sheet), None)
    folder, _, file = book.rpartition("/")
    rels = _tags(text(posixpath.join(folder, "_rels", file + ".rels")), "Relationship")
    target = next((r.get("target") for r in rels if rid is not None and r.get("id") == rid), None)
    return members.get(_target(book, target)) if target else None


def xlsx_error_cells(path: Path, sheet: str) -> dict[tuple[int, int], str]:
    """Cells of an xlsx sheet holding an error value (#DIV/0!, #REF!, …), by 0-based (row, column).

    calamine reads them as empty cells; kuaidi puts the error text back, so that the cell is reported
    (a bad number, a bad date) instead of silently counting as empty."""
    try:
        with zipfile.ZipFile(path) as zf:
            member = _sheet_member(zf, sheet)
            if member is None:
                return {}
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
