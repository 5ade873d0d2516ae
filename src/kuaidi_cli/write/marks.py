"""The marks kuaidi writes into each of its outputs so that it knows them again (report -o, trend --chart
may replace them; any other existing file needs --force), and how a file of each kind is known by its
mark (write.formats registers them with the formats)."""

from __future__ import annotations

import datetime as dt
import mmap
import zipfile
from collections.abc import Mapping
from pathlib import Path

JSON_MARK = b'"schema": "kuaidi.report/1"'
HTML_MARK = '<meta name="generator" content="kuaidi">'
SVG_MARK = "<!-- generator: kuaidi -->"
XLSX_MARK = "kuaidi.report/1"  # the workbook's comments (docProps/core.xml, dc:description)
TEXT_MARKS = ("“快递进村”工作进展", "快递进村 progress")  # the first line of a text report
TEXT_END = "kuaidi.report/1"  # in the last line of a text report (its footer)


def _contains(path: Path, needle: bytes, limit: int | None = None) -> bool:
    with path.open("rb") as fh:
        if limit is not None:
            return needle in fh.read(limit)
        try:
            with mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ) as m:
                return m.find(needle) >= 0
        except ValueError:  # an empty file
            return False


def knows_json(path: Path, csv_headers: Mapping[str, bool]) -> bool:
    return _contains(path, JSON_MARK)


def knows_html(path: Path, csv_headers: Mapping[str, bool]) -> bool:
    return _contains(path, HTML_MARK.encode(), 4096)


def knows_svg(path: Path, csv_headers: Mapping[str, bool]) -> bool:
    return _contains(path, SVG_MARK.encode(), 4096)


def knows_xlsx(path: Path, csv_headers: Mapping[str, bool]) -> bool:
    with zipfile.ZipFile(path) as z:
        return XLSX_MARK in z.read("docProps/core.xml").decode("utf-8", "replace")


def _lines(path: Path) -> list[str]:
    if path.stat().st_size > 64 << 20:  # kuaidi's CSV and text reports are far smaller
        return []
    return path.read_bytes().decode("utf-8-sig", "replace").splitlines()


SAMPLES_CSV = ("【示例数据】", "[SAMPLE DATA]")  # the first line of a CSV made from the bundled samples


def after_samples_line(lines: list[str]) -> list[str]:
    """A CSV's lines without the line that marks one made from the bundled samples."""
    # (quoted: a comma in it)
    return lines[1:] if lines and lines[0].lstrip('"').startswith(SAMPLES_CSV) else lines


def knows_csv(path: Path, csv_headers: Mapping[str, bool]) -> bool:
    """One of its headers (under the samples' line, if any); a table with a total row (the county table) ends
    with it."""
    lines = after_samples_line(_lines(path))
    if not lines or lines[0] not in csv_headers:
        return False
    return not csv_headers[lines[0]] or lines[-1].startswith(("合计,", "Total,"))


def knows_text(path: Path, csv_headers: Mapping[str, bool]) -> bool:
    """A text report: the title first and the contract's mark in the last line."""
    lines = _lines(path)
    return bool(lines) and any(mark in lines[0] for mark in TEXT_MARKS) and TEXT_END in lines[-1]


def file_name(as_of: dt.date, fmt: str, part: str | None = None) -> str:
    """kuaidi-report-2021-12-31.xlsx; a part of the CSV export: kuaidi-report-2021-12-31-attention.csv."""
    return f"kuaidi-report-{as_of.isoformat()}{'-' + part if part else ''}.{fmt}"


CSV_LISTS = ("attention", "findings")  # written beside the county CSV: the workbook's capped lists, whole
