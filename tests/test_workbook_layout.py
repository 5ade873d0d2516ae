"""The workbook as a person opens it: no header label cut off, no file or message cut at its column's edge."""

from __future__ import annotations

import unicodedata

import openpyxl
from conftest import SAMPLES
from typer.testing import CliRunner

from kuaidi_cli.cli import app


def _cells(text: str) -> float:  # a Chinese character is about 1.7 of a column's character widths
    return sum(1.7 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def test_wrapped_english_headers_get_a_taller_row_and_long_texts_a_wider_column(tmp_path):
    out = tmp_path / "messy.xlsx"
    result = CliRunner().invoke(app, ["report", "--villages", str(SAMPLES / "villages_messy.csv"), "--outlets",
                                      str(SAMPLES / "outlets.csv"), "--as-of", "2021-12-31", "--lang", "en",
                                      "-o", str(out)])
    assert result.exit_code in (0, 1), result.output
    book = openpyxl.load_workbook(out)
    counties = book["Counties"]
    # "Priority w/ outlet" is 18 characters in a column of 11: two lines, so the header row is taller
    assert counties.row_dimensions[4].height and counties.row_dimensions[4].height >= 30
    # as wide as the longest text, up to 60 for a file and 120 for a message (the page is fitted to its width)
    for name, column, most in (("Findings", "A", 60), ("Findings", "H", 120), ("Attention", "I", 60)):
        ws = book[name]
        longest = max(_cells(str(c.value)) for c in ws[column][4:] if c.value is not None)
        assert ws.column_dimensions[column].width >= min(longest, most), (name, column, longest)


def test_the_names_of_a_county_workbooks_submissions_are_seen_whole(tmp_path):
    out = tmp_path / "county.xlsx"
    result = CliRunner().invoke(app, ["report", "--samples", "--as-of", "2022-12-31", "--county", "祥符区",
                                      "-o", str(out)])
    assert result.exit_code in (0, 1), result.output
    ws = openpyxl.load_workbook(out)["报送情况"]
    names = [str(c.value) for c in ws["B"][4:] if c.value is not None and c.value not in ("县区", "乡镇")]
    assert "（县级或未填乡镇）" in names  # the outlets of 祥符区 written with no township (its park)
    assert ws.column_dimensions["B"].width >= max(_cells(n) for n in names)


def test_a_findings_sheet_with_none_says_so(tmp_path):
    out = tmp_path / "clean.xlsx"
    result = CliRunner().invoke(app, ["report", "--samples", "--as-of", "2022-12-31", "-o", str(out)])
    assert result.exit_code in (0, 1), result.output
    ws = openpyxl.load_workbook(out)["数据问题"]
    assert [c.value for c in ws[5] if c.value] == ["没有发现数据问题。"]  # (the samples are clean)


def test_the_latest_date_of_a_submission_is_a_date_cell(tmp_path):
    import datetime as dt

    out = tmp_path / "city.xlsx"
    result = CliRunner().invoke(app, ["report", "--samples", "--as-of", "2021-12-31", "-o", str(out)])
    assert result.exit_code in (0, 1), result.output
    ws = openpyxl.load_workbook(out)["报送情况"]
    header = [c.value for c in ws[4]]
    column = header.index("最近日期") + 1
    latest = [ws.cell(row=r, column=column).value for r in range(5, 7)]
    # 祥符区's village and outlet rows of the samples, each up to the as-of date
    assert all(isinstance(v, dt.datetime) and v.date() <= dt.date(2021, 12, 31) for v in latest), latest
    assert ws.cell(row=5, column=column).number_format == "yyyy-mm-dd"
