"""The city's monthly round: the counties' files as one register, who sent what, what changed, cron.

The five county files are cut from the sample registers with the csv module (two written as workbooks
with openpyxl, one in GBK); the figures they must give are those of the whole sample files, and the
recount of conftest (csv module only). Hand-made registers give the submission table and the changes,
their expected rows written here by hand.
"""

from __future__ import annotations

import csv
import io
import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest
from conftest import HEADER, ROOT, SAMPLES, recount, write
from typer.testing import CliRunner

from kuaidi_cli.cli import app

runner = CliRunner()
WIDE = {"COLUMNS": "200"}
COUNTIES = ["祥符区", "杞县", "通许县", "尉氏县", "兰考县"]


def invoke(*args, env=None):
    return runner.invoke(app, [str(a) for a in args], env=env or WIDE)


def _rows(name: str) -> list[list[str]]:
    with (SAMPLES / name).open(encoding="utf-8-sig") as fh:
        return list(csv.reader(fh))


@pytest.fixture(scope="module")
def county_folder(tmp_path_factory) -> Path:
    """The sample village register as five county files (祥符区 and 兰考县 as xlsx, 杞县 in GBK, the others
    UTF-8 CSV) and the outlet register, all in one folder."""
    folder = tmp_path_factory.mktemp("round") / "县区台账"
    folder.mkdir()
    rows = _rows("villages.csv")
    for county in COUNTIES:
        mine = [rows[0], *(r for r in rows[1:] if r[0] == county)]
        if county in ("祥符区", "兰考县"):
            book = openpyxl.Workbook()
            for r in mine:
                book.active.append(r)
            book.save(folder / f"{county}.xlsx")
        else:
            buf = io.StringIO()
            csv.writer(buf, lineterminator="\r\n").writerows(mine)
            (folder / f"{county}.csv").write_bytes(buf.getvalue().encode("gbk" if county == "杞县" else "utf-8"))
    (folder / "服务点.csv").write_bytes((SAMPLES / "outlets.csv").read_bytes())
    return folder


def _figures(data: dict) -> dict:
    """The report without where its rows came from (inputs, files, rows): the figures alone."""
    data = {k: v for k, v in data.items() if k not in ("inputs", "generated_at", "submissions")}
    data["attention"] = [{k: v for k, v in a.items() if k not in ("file", "row")} for a in data["attention"]]
    return data


def test_five_county_files_give_the_report_of_the_merged_register(county_folder, tmp_path):
    merged = ["--villages", SAMPLES / "villages.csv", "--outlets", SAMPLES / "outlets.csv", "--as-of", "2021-12-31"]
    split = ["--villages", county_folder, "--as-of", "2021-12-31"]
    one = json.loads(invoke("report", *merged, "--format", "json").stdout)
    five = json.loads(invoke("report", *split, "--format", "json").stdout)
    assert len(five["inputs"]) == 6  # five county files and the outlet register, told by its header
    assert _figures(five) == _figures(one)
    expected = recount("2021-12-31")
    assert {k: five["summary"][k] for k in expected} == expected
    # the same in every format: the county CSV byte for byte, the workbook's tables cell for cell
    for fmt in ("csv", "xlsx"):
        assert invoke("report", *merged, "-o", tmp_path / f"one.{fmt}").exit_code == 0
        assert invoke("report", *split, "-o", tmp_path / f"five.{fmt}").exit_code == 0
    assert (tmp_path / "one.csv").read_bytes() == (tmp_path / "five.csv").read_bytes()
    a, b = openpyxl.load_workbook(tmp_path / "one.xlsx"), openpyxl.load_workbook(tmp_path / "five.xlsx")
    for sheet in ("汇总", "分县区", "分乡镇"):
        assert [[c.value for c in r] for r in a[sheet].iter_rows()] == [[c.value for c in r] for r in b[sheet].iter_rows()]
    table_one = invoke("report", *merged).stdout
    table_five = invoke("report", *split).stdout
    cut = table_one.index("报送情况")  # the tables above the submissions (which name the files) are the same
    assert table_five[:table_five.index("报送情况")] == table_one[:cut]
    # the patterns and the repeated flags name the same files
    pattern = json.loads(invoke("report", "--villages", str(county_folder / "*.csv"), "--villages",
                                str(county_folder / "*.xlsx"), "--as-of", "2021-12-31", "--format", "json").stdout)
    assert _figures(pattern) == _figures(one)


def test_the_same_village_in_two_files_is_a_duplicate_naming_both(tmp_path):
    a = write(tmp_path, f"{HEADER}\n祥符区,城关镇,袁楼村,410212100200,1571,7.9,是,,是,,\n", "a.csv")
    b = write(tmp_path, f"{HEADER}\n祥符区,城关镇,袁楼村,410212100200,1600,7.9,是,,是,,\n", "b.csv")
    data = json.loads(invoke("check", a, b, "--format", "json", "--divisions", "none").stdout)
    dup = next(f for f in data["findings"] if f["code"] == "duplicate-village")
    assert dup["file"] == str(b) and str(a) in dup["message_zh"] and dup["row"] == 2


# 祥符区.csv: 袁楼村 (valid, dates 2021-10-04 / 2021-08-21), 黄龙村 (an error: code of 11 digits), 范庄村 (valid,
# dated 2021-12-08). 杞县.csv: 1 village, no dates. Nothing from 通许县, 尉氏县, 兰考县.
XIANGFU = f"""{HEADER}
祥符区,城关镇,袁楼村,410212100200,1571,7.9,是,2021-10-04,是,2021-08-21,邮快合作
祥符区,城关镇,黄龙村,41021210020,900,6.3,否,,是,,
祥符区,城关镇,范庄村,410212100202,800,2.1,是,2021-12-08,是,,快快合作
"""
QIXIAN = f"""{HEADER}
杞县,城郊乡,某村,,2600,1,是,,是,,
"""


def test_the_submission_table(tmp_path):
    folder = tmp_path / "交来的台账"
    folder.mkdir()
    write(folder, XIANGFU, "祥符区.csv")
    write(folder, QIXIAN, "杞县.csv")
    data = json.loads(invoke("report", "--villages", folder, "--divisions", "none", "--as-of", "2021-12-31",
                             "--format", "json").stdout)
    got = [(s["county"], [Path(f).name for f in s["files"]], s["rows"], s["valid"], s["invalid"], s["errors"],
            s["latest"], s["submitted"]) for s in data["submissions"]]
    assert got == [
        ("祥符区", ["祥符区.csv"], 3, 2, 1, 1, "2021-12-08", True),
        ("杞县", ["杞县.csv"], 1, 1, 0, 0, None, True),
        ("通许县", [], 0, 0, 0, 0, None, False),
        ("尉氏县", [], 0, 0, 0, 0, None, False),
        ("兰考县", [], 0, 0, 0, 0, None, False),
    ]
    table = invoke("report", "--villages", folder, "--divisions", "none", "--as-of", "2021-12-31")
    assert "报送情况" in table.stdout and "未报送" in table.stdout
    out = tmp_path / "r.xlsx"
    assert invoke("report", "--villages", folder, "--divisions", "none", "--as-of", "2021-12-31", "-o", out).exit_code == 0
    ws = openpyxl.load_workbook(out)["报送情况"]
    assert [ws.cell(row=r, column=2).value for r in range(5, 10)] == COUNTIES
    assert ws.cell(row=7, column=9).value == "未报送"
    html = tmp_path / "r.html"
    assert invoke("report", "--villages", folder, "--divisions", "none", "--as-of", "2021-12-31", "-o", html).exit_code == 0
    assert "<h2>报送情况</h2>" in html.read_text(encoding="utf-8")
