"""Exports people open (xlsx, html, csv), export for cron (atomic, locked), history and trend."""

import datetime as dt
import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest
from conftest import FIXTURES, ROOT, SAMPLES, recount
from typer.testing import CliRunner

from kuaidi_cli.cli import app
from kuaidi_cli.commands import export as exporting
from kuaidi_cli.commands import inputs
from kuaidi_cli.core.errors import KuaidiError
from kuaidi_cli.core.rules import load_rules
from kuaidi_cli.write.safety import csv_cell

runner = CliRunner()
# a rate's format: one decimal of a percent, and 99.95%–99.99% shown as 99.9%, never as 100.0%
PERCENT_SHOWN = '[>=1]0.0%;[>=0.9995]"99.9%";0.0%'
SAMPLE_ARGS = ["--villages", str(SAMPLES / "villages.csv"), "--outlets", str(SAMPLES / "outlets.csv")]


def invoke(*args, env=None):
    return runner.invoke(app, [str(a) for a in args], env=env)


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    out = tmp_path_factory.mktemp("export")
    result = invoke("export", "--out", out, *SAMPLE_ARGS, "--as-of", "2021-12-31", "--history", out / "h.sqlite")
    assert result.exit_code == 0, result.output
    return out


def test_export_writes_dated_files_and_one_summary_line(exported):
    names = sorted(p.name for p in exported.iterdir() if p.name.startswith("kuaidi-report"))
    assert names == ["kuaidi-report-2021-12-31-attention.csv", "kuaidi-report-2021-12-31-findings.csv",
                     *(f"kuaidi-report-2021-12-31.{x}" for x in ("csv", "html", "json", "xlsx"))]
    assert not [p for p in exported.iterdir() if p.name.endswith(".tmp")]


def test_xlsx_sheets_formats_and_values(exported):
    wb = openpyxl.load_workbook(exported / "kuaidi-report-2021-12-31.xlsx")
    assert wb.sheetnames == ["汇总", "分县区", "分乡镇", "报送情况", "待整改村", "数据问题", "说明"]
    ws = wb["分县区"]
    assert ws["A1"].value == "开封市“快递进村”工作进展统计表"
    assert "A1:M1" in {str(r) for r in ws.merged_cells.ranges}
    assert ws["A2"].value == "截至2021年12月31日"
    assert [c.value for c in ws[4]][:5] == ["序号", "县区", "行政村", "通达", "通达率"]
    assert [ws.cell(row=r, column=2).value for r in range(5, 10)] == ["祥符区", "杞县", "通许县", "尉氏县", "兰考县"]
    # numbers are numbers; rates carry a percentage format (祥符区 recounted from the sample files)
    xiangfu, city = recount("2021-12-31", "祥符区"), recount("2021-12-31")
    assert ws["C5"].value == xiangfu["villages"] == 336  # 祥符区's 村委会 in the 2021 edition
    assert ws["D5"].value == xiangfu["reached"]
    assert ws["E5"].value == pytest.approx(xiangfu["reached"] / 336) and ws["E5"].number_format == PERCENT_SHOWN
    assert ws["A10"].value == "合计" and ws["C10"].value == 2137 and ws["D10"].value == city["reached"]
    assert ws.freeze_panes == "A5" and ws.auto_filter.ref == "A4:M9"
    assert ws.page_setup.orientation == "landscape" and ws.page_setup.paperSize == 9
    # fit to one page wide (fitToWidth 1 is the file format's default, so it may be left out), any height
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws.page_setup.fitToWidth in (None, 1) and ws.page_setup.fitToHeight == 0
    assert ws.print_title_rows == "$4:$4"
    summary = wb["汇总"]
    # labels for people; no rules' ids or metric names on the sheet (they are in 说明)
    assert [c.value for c in summary[4]] == ["序号", "目标", "类别", "目标值", "当前", "截止", "状态", "差距", "依据", "备注"]
    rows = {r[1].value: r for r in summary.iter_rows(min_row=5)}
    assert not any(v in ("coverage-80", "reach_rate") for r in summary.iter_rows(values_only=True) for v in r)
    covered, priority = rows["全市行政村覆盖率不低于80%"], rows["重点村驻村设点率100%"]
    assert covered[6].value == "达标" and covered[6].fill.fgColor.rgb.endswith("C6EFCE")
    assert priority[6].value == "未达标" and priority[6].fill.fgColor.rgb.endswith("FFC7CE")
    # the gap of a 100% target: priority villages without an outlet of their own
    assert priority[7].value == city["priority_villages"] - city["priority_in_village"]
    assert rows["全市行政村通达率100%"][5].value == dt.datetime(2022, 12, 31)
    # header rows, 79 townships, the county parks (in no township: their own row, issue 20), 合计
    assert wb["分乡镇"].max_row == 4 + 79 + 1 + 1
    attention = wb["待整改村"]
    assert attention["D5"].value and attention["A5"].value == 1
    about = {r[0].value: r[1].value for r in wb["说明"].iter_rows(min_row=3) if r[0].value}
    assert about["截至日期"] == dt.datetime(2021, 12, 31)
    assert len(about["规则 sha256"]) == 64
    assert about["目标 coverage-80"] == "全市行政村覆盖率不低于80%（reach_rate）"
    assert len(about["  sha256"]) == 64
    # every rate of the tables is defined (docs/METRICS.md), and the 2500-people target's rate it names
    assert about["重点村"] == "人口≥2500 或 距离>5km"  # (as every other output writes it, from the rules)
    assert about["通达率"] == "通达 ÷ 行政村"
    assert about["重点村设点率"] == "重点村已设点 ÷ 重点村"
    assert about["驻村设点率"] == "驻村设点 ÷ 行政村"
    assert about["推进重点通达率"] == "推进重点村已通达 ÷ 推进重点村"
    assert "服务点数量" in about["差距"]  # an outlet target's gap is outlets, not villages


def test_html_is_self_contained_with_charts(exported):
    html = (exported / "kuaidi-report-2021-12-31.html").read_text(encoding="utf-8")
    assert html.count("<svg") == 2
    assert html.count('class="bar"') == 10  # five counties × two charts
    assert html.count('class="target"') == 4  # 80%, 85%, 100% reach lines; 100% priority line
    assert "http://" not in html and "https://" not in html and "<script" not in html and "src=" not in html


def test_csv_has_a_bom_and_json_the_contract(exported):
    raw = (exported / "kuaidi-report-2021-12-31.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    data = json.loads((exported / "kuaidi-report-2021-12-31.json").read_text(encoding="utf-8"))
    assert data["schema"] == "kuaidi.report/1" and data["summary"]["reached"] == recount("2021-12-31")["reached"]


def test_history_row_per_export(exported):
    with sqlite3.connect(exported / "h.sqlite") as conn:
        runs = conn.execute("SELECT as_of FROM runs").fetchall()
        reach = conn.execute("SELECT value FROM metrics WHERE scope='city' AND metric='reach_rate'").fetchall()
        mode = conn.execute("PRAGMA journal_mode").fetchone()[0]
    assert runs == [("2021-12-31",)]
    assert reach == [(recount("2021-12-31")["reached"] / 2137,)]
    assert mode == "wal"


# --- spreadsheet safety ---------------------------------------------------------------------


def test_csv_cells_are_neutralised_but_numbers_stay_numbers():
    assert csv_cell('=HYPERLINK("http://x","点我")') == '\'=HYPERLINK("http://x","点我")'
    assert csv_cell("+8613800000000") == "'+8613800000000"
    assert csv_cell("-1") == "'-1"
    assert csv_cell("@SUM(A1)") == "'@SUM(A1)"
    assert csv_cell(-1) == -1 and csv_cell(0.5) == 0.5
    assert csv_cell("祥符区") == "祥符区"


def test_formula_like_names_never_become_formulas(tmp_path):
    rules_text = (ROOT / "rules" / "targets.yaml").read_text(encoding="utf-8")
    rules_text = rules_text.replace("  counties: [祥符区, 杞县, 通许县, 尉氏县, 兰考县]", "  counties: []")
    (tmp_path / "rules.yaml").write_text(rules_text, encoding="utf-8")
    evil = '=HYPERLINK("http://x","点我")'
    register = ("县区,乡镇,行政村,人口数(人),是否通达\n"
                f'"{evil.replace(chr(34), chr(34) * 2)}",+8613800000000,村一,5,是\n祥符区,城关镇,袁楼村,100,否\n')
    (tmp_path / "v.csv").write_text(register, encoding="utf-8")
    base = ["--villages", tmp_path / "v.csv", "--rules", tmp_path / "rules.yaml", "--as-of", "2021-12-31",
            "--divisions", "none"]
    assert invoke("report", *base, "--format", "csv", "-o", tmp_path / "c.csv").exit_code == 0
    text = (tmp_path / "c.csv").read_bytes().decode("utf-8-sig")
    assert "'=HYPERLINK(" in text and "\n=HYPERLINK" not in text
    assert invoke("report", *base, "--format", "xlsx", "-o", tmp_path / "r.xlsx").exit_code == 0
    ws = openpyxl.load_workbook(tmp_path / "r.xlsx")["分县区"]
    cells = {ws.cell(row=r, column=2).value: ws.cell(row=r, column=2) for r in range(5, 7)}
    cell = cells[evil]
    assert cell.data_type == "s" and cell.quotePrefix  # text, flagged: Excel shows it and never runs it
    assert cells["祥符区"].quotePrefix is False
    township = openpyxl.load_workbook(tmp_path / "r.xlsx")["分乡镇"]
    phone = next(c for row in township.iter_rows(min_row=5) for c in row if c.value == "+8613800000000")
    assert phone.data_type == "s" and phone.quotePrefix
    assert township.cell(row=5, column=4).data_type == "n"  # the village count stays a number


# --- export for cron: atomic, locked, exit codes ----------------------------------------------


def _registers():
    return inputs.Registers([SAMPLES / "villages.csv"], [SAMPLES / "outlets.csv"], None, "flags")


def test_a_failed_rename_leaves_the_previous_report_intact(tmp_path, monkeypatch):
    rules, sha = load_rules()
    now = dt.datetime(2022, 1, 1, tzinfo=dt.UTC)
    exporting.export(_registers(), rules, sha, dt.date(2021, 12, 31), tmp_path, ["json"], history_path=None, now=now)
    good = (tmp_path / "kuaidi-report-2021-12-31.json").read_bytes()

    def broken_replace(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("kuaidi_cli.write.files.os.replace", broken_replace)
    with pytest.raises(KuaidiError, match="无法写入"):
        exporting.export(_registers(), rules, sha, dt.date(2021, 12, 31), tmp_path, ["json"], history_path=None,
                         now=now + dt.timedelta(days=1))
    assert (tmp_path / "kuaidi-report-2021-12-31.json").read_bytes() == good
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


def test_a_second_export_waits_then_refuses(tmp_path):
    with exporting.folder_lock(tmp_path, wait=0):
        result = invoke("export", "--out", tmp_path, *SAMPLE_ARGS, "--no-history", "--wait", "0.3", "--formats", "json")
    assert result.exit_code == 2
    assert "另一个 kuaidi export" in result.stderr
    assert not list(tmp_path.glob("kuaidi-report-*"))


def test_a_wrong_divisions_stops_before_the_folder_is_touched(tmp_path):
    out = tmp_path / "new-folder"
    result = invoke("export", "--out", out, *SAMPLE_ARGS, "--no-history", "--divisions", "1999", "--formats", "json")
    assert result.exit_code == 2 and "1999" in result.stderr
    assert not out.exists()  # no folder made, no lock file left for the next run
    with exporting.folder_lock(tmp_path, wait=0):  # and it does not wait for another export's lock first
        held = invoke("export", "--out", tmp_path, *SAMPLE_ARGS, "--no-history", "--divisions", "1999",
                      "--wait", "5", "--formats", "json")
    assert held.exit_code == 2 and "另一个 kuaidi export" not in held.stderr and "1999" in held.stderr


def test_two_concurrent_exports(tmp_path):
    history = tmp_path / "h.sqlite"
    cmd = [sys.executable, "-m", "kuaidi_cli", "export", "--out", str(tmp_path), *SAMPLE_ARGS, "--history",
           str(history), "--formats", "json,xlsx", "--quiet"]
    procs = [subprocess.Popen([*cmd, "--as-of", d], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
             for d in ("2021-12-31", "2022-12-31")]
    outs = [p.communicate(timeout=120) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], outs
    assert all(o == (b"", b"") for o in outs)  # --quiet: nothing on success
    with sqlite3.connect(history) as conn:
        assert sorted(r[0] for r in conn.execute("SELECT as_of FROM runs")) == ["2021-12-31", "2022-12-31"]
    for d in ("2021-12-31", "2022-12-31"):
        assert json.loads((tmp_path / f"kuaidi-report-{d}.json").read_text(encoding="utf-8"))["as_of"] == d
        openpyxl.load_workbook(tmp_path / f"kuaidi-report-{d}.xlsx")


def test_export_exit_codes(tmp_path):
    ok = invoke("export", "--out", tmp_path, *SAMPLE_ARGS, "--as-of", "2021-06-30", "--no-history",
                "--formats", "json", "--fail-on", "missed")
    assert ok.exit_code == 0 and "kuaidi export" in ok.stdout
    missed = invoke("export", "--out", tmp_path, *SAMPLE_ARGS, "--as-of", "2021-12-31", "--no-history",
                    "--formats", "json", "--fail-on", "missed", "--quiet")
    assert missed.exit_code == 1 and missed.stdout == ""
    bad = invoke("export", "--out", tmp_path, *SAMPLE_ARGS, "--formats", "pdf")
    assert bad.exit_code == 2 and "pdf" in bad.stderr


def test_corrupt_history_is_a_clear_error_and_a_new_one_works(tmp_path):
    history = tmp_path / "h.sqlite"
    history.write_bytes(b"this is not a database" * 100)
    result = invoke("export", "--out", tmp_path, *SAMPLE_ARGS, "--history", history, "--formats", "json")
    assert result.exit_code == 2 and "损坏" in result.stderr
    again = invoke("export", "--out", tmp_path, *SAMPLE_ARGS, "--history", tmp_path / "new.sqlite", "--formats", "json")
    assert again.exit_code == 0


# --- trend ---------------------------------------------------------------------------------


def test_trend_over_three_exports(tmp_path, monkeypatch):
    history = tmp_path / "h.sqlite"
    for d in ("2021-06-30", "2021-12-31", "2022-06-30"):
        r = invoke("export", "--out", tmp_path, *SAMPLE_ARGS, "--as-of", d, "--history", history, "--formats", "json")
        assert r.exit_code == 0, r.output
    monkeypatch.chdir(tmp_path)
    result = invoke("trend", "--history", history, env={"COLUMNS": "160"})
    assert result.exit_code == 0, result.output
    for d in ("2021-06-30", "2021-12-31", "2022-06-30"):
        assert d in result.stdout
    # reach rate at the three dates (independent of the projection): 2021-12-31 is 1799 / 2137
    assert "84.2%" in result.stdout
    # reach-100 is pending at 2022-06-30 and rising: a projected date; parks-5 is met
    line = next(x for x in result.stdout.splitlines() if "全市行政村通达率100%" in x)
    assert any(ch.isdigit() for ch in line.split("│")[-2])
    assert "达标" in result.stdout
    chart = (tmp_path / "kuaidi-trend.svg").read_text(encoding="utf-8")
    assert chart.count("<circle") == 9  # three rates × three dates
    county = invoke("trend", "--history", history, "--county", "开封县", "--no-chart", env={"COLUMNS": "160"})
    assert county.exit_code == 0 and "祥符区" in county.stdout


def test_trend_projection_arithmetic():
    from kuaidi_cli.report.trend import project

    rules, _ = load_rules()
    # reach rate 0.50 → 0.60 → 0.70 at 100-day steps: 0.001 a day; 1.0 is 300 days after the last point
    days = [dt.date(2022, 1, 1) + dt.timedelta(days=100 * i) for i in range(3)]
    series = [{"as_of": d, "reach_rate": 0.5 + 0.1 * i, "priority_in_village_rate": 0.9, "outlets.park": 5}
              for i, d in enumerate(days)]
    got = {p.target.id: p for p in project(series, rules)}
    assert got["reach-100"].reached_on == days[-1] + dt.timedelta(days=300)
    assert got["priority-in-village-100"].reached_on is None  # flat: not at this pace
    assert got["parks-5"].met is True


def test_no_history_yet(tmp_path):
    result = invoke("trend", "--history", tmp_path / "none.sqlite")
    assert result.exit_code == 2 and "kuaidi export" in result.stderr


def test_report_writes_xlsx_and_html(tmp_path):
    assert invoke("report", *SAMPLE_ARGS, "--format", "xlsx").exit_code == 2  # xlsx needs -o
    assert invoke("report", *SAMPLE_ARGS, "--format", "xlsx", "-o", tmp_path / "r.xlsx").exit_code == 0
    assert openpyxl.load_workbook(tmp_path / "r.xlsx").sheetnames[0] == "汇总"
    html = invoke("report", *SAMPLE_ARGS, "--format", "html")
    assert html.exit_code == 0 and html.stdout.startswith("<!doctype html>")


def test_no_progress_bar_outside_a_terminal(tmp_path):
    result = invoke("export", "--out", tmp_path, *SAMPLE_ARGS, "--no-history", "--formats", "json")
    assert result.stderr == ""  # CliRunner is not a terminal: no spinner, no control codes
    assert os.path.exists(tmp_path / f"kuaidi-report-{dt.date.today().isoformat()}.json")


def test_fixture_register_in_a_workbook_export(tmp_path):
    """An export from the hand-built registers: the flags-only village fixture goes through every format."""
    result = invoke("export", "--out", tmp_path, "--villages", FIXTURES / "coverage_villages.csv", "--no-history",
                    "--as-of", "2021-12-31")
    assert result.exit_code == 0, result.output
    data = json.loads((tmp_path / "kuaidi-report-2021-12-31.json").read_text(encoding="utf-8"))
    assert data["summary"]["villages"] == 8 and data["summary"]["reached"] == 2  # B (设点) and D (通达 flag)
    assert Path(tmp_path / "kuaidi-report-2021-12-31.xlsx").stat().st_size > 0


def test_progress_appears_only_after_a_second_on_a_terminal():
    import io
    import time

    from rich.console import Console

    from kuaidi_cli.write.progress import steps

    quick, slow = io.StringIO(), io.StringIO()
    with steps(True, Console(file=quick, force_terminal=True)) as step:
        step("读取台账")
    with steps(True, Console(file=slow, force_terminal=True)) as step:
        step("写出 xlsx")
        time.sleep(1.3)
    assert quick.getvalue() == ""
    assert "写出 xlsx" in slow.getvalue()
    off = io.StringIO()
    with steps(False, Console(file=off, force_terminal=True)) as step:  # --quiet
        step("x")
        time.sleep(1.1)
    assert off.getvalue() == ""


def test_csv_export_holds_the_whole_lists_the_workbook_caps(exported, monkeypatch, tmp_path):
    import csv as csv_module
    import io

    report = json.loads((exported / "kuaidi-report-2021-12-31.json").read_text(encoding="utf-8"))
    text = (exported / "kuaidi-report-2021-12-31-attention.csv").read_bytes().decode("utf-8-sig")
    rows = list(csv_module.reader(io.StringIO(text)))
    assert rows[0][:4] == ["县区", "乡镇", "行政村", "区划代码"]
    assert [r[2] for r in rows[1:]] == [a["village"] for a in report["attention"]]
    book = openpyxl.load_workbook(exported / "kuaidi-report-2021-12-31.xlsx")
    sheet = book["数据问题"]
    in_sheet = [row for row in sheet.iter_rows(min_row=5, values_only=True) if row[5]]
    text = (exported / "kuaidi-report-2021-12-31-findings.csv").read_bytes().decode("utf-8-sig")
    listed = list(csv_module.reader(io.StringIO(text)))[1:]
    assert len(listed) == len(in_sheet) > 0
    assert [r[7] for r in listed] == [r[7] for r in in_sheet]  # (the sheet names the code in words)

    # a national list: the sheet keeps MAX_DETAIL_ROWS rows and names the CSV that has them all
    monkeypatch.setattr("kuaidi_cli.write.xlsx.MAX_DETAIL_ROWS", 3)
    result = invoke("report", *SAMPLE_ARGS, "--as-of", "2021-12-31", "--format", "xlsx", "-o", tmp_path / "r.xlsx")
    assert result.exit_code == 0, result.output
    sheet = openpyxl.load_workbook(tmp_path / "r.xlsx")["待整改村"]
    values = [row[0] for row in sheet.iter_rows(min_row=5, values_only=True) if row[0] is not None]
    assert values[:3] == [1, 2, 3]
    assert values[3] == (f"共 {len(report['attention'])} 行，本表只列前 3 行；"
                         "完整清单见 kuaidi-report-2021-12-31-attention.csv（kuaidi export 的 csv 格式写出）")


def test_xlsxwriter_is_a_version_whose_internals_the_spliced_rows_rely_on(tmp_path):
    """write/xlsx.py splices rows into XlsxWriter's sheets as XML (3.5× faster than its write calls for
    a national workbook), relying on what XlsxWriter does not promise: a format's `xf_index` set at
    `close`, a sheet's `index` naming its part xl/worksheets/sheet<index+1>.xml, and the XML of a cell.
    XlsxWriter is pinned in pyproject.toml to the versions this test passed on; a new version must pass
    it before the pin moves."""
    import re
    import tomllib
    import zipfile

    import xlsxwriter

    from kuaidi_cli.write.xlsx_book import Book

    pins = [d for d in tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["dependencies"]
            if d.startswith("XlsxWriter")]
    assert len(pins) == 1
    low, high = re.fullmatch(r"XlsxWriter>=([\d.]+),<([\d.]+)", pins[0]).groups()  # type: ignore[union-attr]

    def version(text):
        return tuple(int(part) for part in text.split("."))

    assert version(low) <= version(xlsxwriter.__version__) < version(high), \
        f"XlsxWriter {xlsxwriter.__version__} is outside the tested {pins[0]}: run this test before moving the pin"

    # the cells of one row as the splicing writes them are the bytes XlsxWriter writes itself (its
    # constant_memory mode: strings inline, as the splicing writes them)
    cells = [(7, "int"), (0.8125, "pct"), (None, None), (True, None), ("a\x01b", None), ("_x0041_", None),
             ("<&>\"", None), (" 前后有空格 ", None), ("祥符区", None), (-3, None), (1e-7, "pct"),
             (123456789.123456789, None), ("长" * 40000, None), ("😀" * 20000, None), ("x", "total")]
    path = tmp_path / "own.xlsx"
    wb = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    book = Book(wb)
    wb.add_worksheet("first")
    ws = wb.add_worksheet("second")
    assert ws.index == 1
    formats = [getattr(book, fmt) if fmt else None for _, fmt in cells]
    assert all(f.xf_index is None for f in (book.int, book.pct, book.cell, book.total))  # none given yet
    for c, ((value, _), fmt) in enumerate(zip(cells, formats, strict=True)):
        book.put(ws, 3, c, value, fmt)
    wb.close()
    assert all(isinstance(f.xf_index, int) for f in (book.int, book.pct, book.cell, book.total))  # given at close
    with zipfile.ZipFile(path) as z:
        sheet = z.read("xl/worksheets/sheet2.xml").decode("utf-8")
    theirs = re.search(r'<row r="4"[^>]*>(.*?)</row>', sheet)
    ours = re.fullmatch(r'<row r="4">(.*)</row>',
                        "".join(book._rows_xml(3, [f or book.cell for f in formats], [[v for v, _ in cells]])))
    assert theirs is not None and ours is not None
    assert ours.group(1) == theirs.group(1)
    assert sheet.count("<row ") == 1 and sheet.index("</row>") > theirs.start()  # rows end as the splicing finds them


def test_rows_written_as_xml_read_back_as_xlsxwriter_writes_them():
    # Book.rows writes the rows between the first and the last as XML text; every cell must read back
    # (value, number format, quote prefix) exactly as the same cell written by XlsxWriter itself
    import io

    import python_calamine
    import xlsxwriter

    from kuaidi_cli.write.xlsx_book import Book

    cells = [(7, "int"), (0.8125, "pct"), (None, None), (True, None), ("=1+1", None), ("a\x01b", None),
             ("_x0041_", None), ("<&>\"", None), (" 前后有空格 ", None), ("祥符区", None), (-3, None), (1e-7, "pct"),
             ("长" * 40000, None), ("😀" * 20000, None)]  # over Excel's 32 767 UTF-16 units: cut alike
    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"in_memory": True})
    book = Book(wb)
    fast, slow = wb.add_worksheet("rows"), wb.add_worksheet("put")
    formats = [getattr(book, fmt) if fmt else None for _, fmt in cells]
    # the formula-like text only in the third and fourth rows: XlsxWriter writes those (and the first and
    # the last), the others go as XML text
    rows = [[(value if i in (2, 3) else "平常") if value == "=1+1" else value if i != 2 or value is not None else i
             for value, _ in cells] for i in range(6)]
    assert book.rows(fast, 1, formats, rows) == 6
    for r, row in enumerate(rows, start=1):
        for c, (value, fmt) in enumerate(zip(row, formats, strict=True)):
            book.put(slow, r, c, value, fmt)
    wb.close()
    data = book.finish(buf.getvalue())
    # rows 3 and 6 of the first sheet went as text, after rows 2 and 5 that XlsxWriter wrote
    assert [(after, first, len(rows)) for _, segments in book._spliced["xl/worksheets/sheet1.xml"]
            for after, first, rows in segments] == [(1, 2, 1), (4, 5, 1)]

    # values as Excel reads them (calamine, kuaidi's own reader, undoes the _xHHHH_ escapes of control
    # characters as Excel does): the same in both sheets
    book_c = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
    values = book_c.get_sheet_by_name("rows").to_python()
    assert values == book_c.get_sheet_by_name("put").to_python()
    assert values[3][4:9] == ["=1+1", "a\x01b", "_x0041_", '<&>"', " 前后有空格 "]
    assert values[3][12] == "长" * 32767 and values[3][13] == "😀" * 16383  # 32 766 units: no half pair
    # formats (openpyxl; it leaves the escapes of inline strings as they are, so those two cells are
    # compared by calamine above only)
    read = openpyxl.load_workbook(io.BytesIO(data))
    spliced, reference = read["rows"], read["put"]
    assert spliced.max_row == reference.max_row == 7
    for a, b in zip(spliced.iter_rows(min_row=2), reference.iter_rows(min_row=2), strict=True):
        for x, y in zip(a, b, strict=True):
            assert (x.number_format, x.quotePrefix, x.data_type) == (y.number_format, y.quotePrefix, y.data_type)
            if x.column_letter not in "FG":
                assert x.value == y.value, x.coordinate
    assert spliced["E4"].value == "=1+1" and spliced["E4"].quotePrefix and spliced["E4"].data_type == "s"
    assert spliced["B4"].number_format == PERCENT_SHOWN and spliced["C4"].value == 2 and spliced["C5"].value is None and spliced["D4"].value is True


def test_every_csv_of_the_samples_says_so_on_its_first_line(tmp_path):
    # the figures of the bundled samples are synthetic: a CSV of them must not pass for a real one
    from kuaidi_cli.write.marks import SAMPLES_CSV

    again = None
    for _ in range(2):  # and kuaidi knows its own file again under that line (-o replaces it)
        again = invoke("report", "--samples", "--as-of", "2021-12-31", "-o", tmp_path / "c.csv")
        assert again.exit_code == 0, again.output
    assert again is not None
    first = (tmp_path / "c.csv").read_text(encoding="utf-8-sig").splitlines()[0]
    assert first.startswith("【示例数据】") and first.startswith(SAMPLES_CSV) and "合成" in first
    done = invoke("export", "--samples", "--as-of", "2021-12-31", "--out", tmp_path / "out", "--formats", "csv",
                  "--lang", "en")
    assert done.exit_code == 0, done.output
    written = sorted((tmp_path / "out").glob("*.csv"))
    assert len(written) == 3  # the county table, the villages needing attention, the findings
    for path in written:
        assert path.read_text(encoding="utf-8-sig").lstrip('"').startswith("[SAMPLE DATA]"), path.name
    real = invoke("report", *SAMPLE_ARGS, "--as-of", "2021-12-31", "-o", tmp_path / "real.csv")
    assert real.exit_code == 0
    assert (tmp_path / "real.csv").read_text(encoding="utf-8-sig").startswith("县区,")
