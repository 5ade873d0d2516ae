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
    # (b.csv lists one more village: two files listing the very same villages are copies of one, file-copy)
    b = write(tmp_path, f"{HEADER}\n祥符区,城关镇,袁楼村,410212100200,1600,7.9,是,,是,,\n"
                        "祥符区,城关镇,黄龙村,410212100201,900,5.1,否,,是,,\n", "b.csv")
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


# As of 2021-10-31 (early.csv): 甲 reached and with its point; 乙 reached only on 2021-11-15; 丙 from
# 2021-12-01; 丁 never. As of 2021-12-31 (late.csv): 甲 without either any more; 乙 and 丙 as before; 丁 gone
# from the register; 戊 new. Hence: newly reached 乙 丙; newly with a point 丙; 甲 lost both; 戊 added;
# 丁 removed.
EARLY = f"""{HEADER}
祥符区,城关镇,甲村,410212100200,3000,1,是,2021-09-01,是,2021-09-01,
祥符区,城关镇,乙村,410212100201,900,2,否,,是,2021-11-15,
祥符区,城关镇,丙村,410212100202,900,2,是,2021-12-01,是,2021-12-01,
祥符区,城关镇,丁村,410212100203,900,2,否,,否,,
"""
LATE = f"""{HEADER}
祥符区,城关镇,甲村,410212100200,3000,1,否,,否,,
祥符区,城关镇,乙村,410212100201,900,2,否,,是,2021-11-15,
祥符区,城关镇,丙村,410212100202,900,2,是,2021-12-01,是,2021-12-01,
祥符区,城关镇,戊村,410212100204,900,2,是,2021-12-20,是,2021-12-20,
"""
EXPECTED = {("newly_reached", "乙村"), ("newly_reached", "丙村"), ("newly_in_village", "丙村"),
            ("lost_reach", "甲村"), ("lost_in_village", "甲村"), ("added", "戊村"), ("removed", "丁村")}


@pytest.fixture()
def two_exports(tmp_path):
    history, out = tmp_path / "h.sqlite", tmp_path / "reports"
    for name, text, as_of in (("early.csv", EARLY, "2021-10-31"), ("late.csv", LATE, "2021-12-31")):
        result = invoke("export", "--villages", write(tmp_path, text, name), "--out", out, "--history", history,
                        "--as-of", as_of, "--divisions", "none")
        assert result.exit_code == 0, result.output
    return history, out


def test_export_writes_what_changed_since_the_previous_export(two_exports):
    _, out = two_exports
    assert not (out / "kuaidi-report-2021-10-31-changes.csv").exists()  # nothing before it
    with (out / "kuaidi-report-2021-12-31-changes.csv").open(encoding="utf-8-sig") as fh:
        rows = list(csv.reader(fh))
    labels = {"新通达": "newly_reached", "新驻村设点": "newly_in_village", "不再通达": "lost_reach",
              "驻村点撤去": "lost_in_village", "台账新增": "added", "台账移出": "removed"}
    assert rows[0] == ["变化", "县区", "乡镇", "行政村", "区划代码"]
    assert {(labels[r[0]], r[3]) for r in rows[1:]} == EXPECTED and len(rows) == 8
    wb = openpyxl.load_workbook(out / "kuaidi-report-2021-12-31.xlsx")
    sheet = wb["本期变化"]
    assert [c.value for c in sheet[5]] == ["祥符区", 2, 1, 1, 1, 1, 1, 0, 0, 0, 0]  # the county's counts, by hand
    assert "本期变化" in (out / "kuaidi-report-2021-12-31.html").read_text(encoding="utf-8")


def test_changes_command(two_exports):
    history, _ = two_exports
    result = invoke("changes", "--history", history, "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert (data["schema"], data["from"], data["to"]) == ("kuaidi.changes/1", "2021-10-31", "2021-12-31")
    assert data["counts"] == {"newly_reached": 2, "newly_in_village": 1, "lost_reach": 1, "lost_in_village": 1,
                              "added": 1, "removed": 1, "unreadable": 0, "readable_again": 0, "first_submitted": 0,
                              "not_submitted": 0}
    assert {(v["change"], v["village"]) for v in data["villages"]} == EXPECTED
    same = json.loads(invoke("changes", "--history", history, "--since", "2021/10/31", "--to", "20211231",
                             "--county", "开封县", "--format", "json").stdout)
    assert same["counts"] == data["counts"]
    table = invoke("changes", "--history", history)
    assert "本期变化（2021-10-31 至 2021-12-31）" in table.stdout and "戊村" in table.stdout
    missing = invoke("changes", "--history", history, "--since", "2021-06-30")
    assert missing.exit_code == 2 and "2021-10-31" in missing.stderr


def test_the_history_is_read_as_the_previous_release_read_it(two_exports):
    # c6dcf2e's trend read the history with this query; the states are a table of their own it never reads
    history, _ = two_exports
    with sqlite3.connect(history) as conn:
        rows = conn.execute("""
            SELECT r.as_of, r.run_at, m.metric, m.value FROM metrics m JOIN runs r ON r.id = m.run_id
            WHERE m.scope = ? AND m.county = ? AND m.township = ''
              AND r.id = (SELECT id FROM runs r2 WHERE r2.as_of = r.as_of ORDER BY run_at DESC, id DESC LIMIT 1)
            ORDER BY r.as_of""", ("city", "")).fetchall()
        reach = {as_of: value for as_of, _, metric, value in rows if metric == "reach_rate"}
        assert reach == {"2021-10-31": 1 / 4, "2021-12-31": 3 / 4}  # 甲; 乙 丙 戊 of 4
        assert conn.execute("SELECT COUNT(*) FROM village_states").fetchone() == (2,)


def test_fail_on_says_what_failed_even_when_quiet(tmp_path):
    # 黄龙村's code is an error; four counties sent nothing; the required targets due are not established
    path = write(tmp_path, XIANGFU, "祥符区.csv")
    result = invoke("export", "--villages", path, "--out", tmp_path / "out", "--no-history", "--quiet",
                    "--as-of", "2021-12-31", "--divisions", "none", "--fail-on", "missed,errors", "--fail-on", "incomplete")
    assert result.exit_code == 1 and result.stdout == ""
    line = result.stderr.strip()
    assert len(line.splitlines()) == 1
    assert "全市行政村覆盖率不低于80%" in line and "数据错误 1 条" in line and "祥符区.csv" in line and "未报送：杞县、通许县、尉氏县、兰考县" in line
    only_errors = invoke("report", "--villages", path, "--as-of", "2021-12-31", "--divisions", "none",
                         "--fail-on", "errors", "--format", "json")
    assert only_errors.exit_code == 1 and "coverage-80" not in only_errors.stderr
    clean = invoke("report", "--villages", SAMPLES / "villages.csv", "--as-of", "2021-06-30", "--fail-on",
                   "missed,errors,incomplete", "--format", "json")
    assert clean.exit_code == 0 and clean.stderr == ""
    wrong = invoke("report", "--villages", path, "--fail-on", "sometimes")
    assert wrong.exit_code == 2 and "missed" in wrong.stderr


def test_the_readme_crontab_line_under_cron_environment(tmp_path):
    # the line of the README, run as cron runs it: an empty environment but HOME, SHELL and PATH
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    line = next(x for x in readme.splitlines() if x.startswith("30 6 5 * *"))
    command = line.split(None, 5)[5]
    folder = tmp_path / "台账"
    folder.mkdir()
    write(folder, XIANGFU, "祥符区.csv")
    command = command.replace("cd /srv/kuaidi", f"cd {tmp_path}").replace(".venv/bin/kuaidi",
                                                                        str(Path(sys.executable).parent / "kuaidi"))
    env = {"HOME": str(tmp_path), "SHELL": "/bin/sh", "PATH": "/usr/bin:/bin"}
    done = subprocess.run(["env", "-i", *(f"{k}={v}" for k, v in env.items()), "/bin/sh", "-c", command],
                          capture_output=True, text=True, timeout=120)
    assert "kuaidi export failed with exit 1" in done.stdout  # what cron mails: the echo, and the reason
    assert "数据错误 1 条" in done.stderr and "未报送" in done.stderr
    assert list((tmp_path / "reports").glob("kuaidi-report-*.xlsx"))
    assert (tmp_path / ".local" / "share" / "kuaidi" / "history.sqlite").exists()


# LATE without its codes (a register may leave 区划代码 blank): the same villages, matched by their names.
LATE_NO_CODES = "\n".join(
    ",".join([*cells[:3], "", *cells[4:]]) if i else line
    for i, line in enumerate(LATE.strip().splitlines()) for cells in [line.split(",")]) + "\n"


def test_a_village_without_its_code_is_the_same_village_by_its_names(tmp_path):
    history, out = tmp_path / "h.sqlite", tmp_path / "reports"
    for name, text, as_of in (("early.csv", EARLY, "2021-10-31"), ("late.csv", LATE_NO_CODES, "2021-12-31")):
        result = invoke("export", "--villages", write(tmp_path, text, name), "--out", out, "--history", history,
                        "--as-of", as_of, "--divisions", "none")
        assert result.exit_code == 0, result.output  # (a blank code once stopped the export: NaN in a cell)
    data = json.loads(invoke("changes", "--history", history, "--format", "json").stdout)
    assert {(v["change"], v["village"]) for v in data["villages"]} == EXPECTED
    codes = {v["village"]: v["code"] for v in data["villages"]}
    assert codes["戊村"] is None and codes["丁村"] == "410212100203"  # 丁村 as the earlier export had it
    sheet = openpyxl.load_workbook(out / "kuaidi-report-2021-12-31.xlsx")["本期变化"]
    rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=8)]
    assert any(r[:4] == ["台账新增", "祥符区", "城关镇", "戊村"] and not r[4] for r in rows)  # no code: empty


def test_every_row_sent_is_in_the_submission_table(tmp_path):
    """A row belongs to the county its 县区 names, else to its code's county, else to its file's county;
    else it is in a row of its own. 祥符区.csv: 2 valid rows and one with 县区 blank (its file's county);
    通许.csv: 县区 misspelt, code 410222… (通许县); 无名.csv: neither 县区 nor code."""
    folder = tmp_path / "交来的台账"
    folder.mkdir()
    write(folder, f"{HEADER}\n祥符区,城关镇,袁楼村,410212100200,1571,7.9,是,2021-10-04,是,2021-08-21,邮快合作\n"
                  f"祥符区,城关镇,范庄村,410212100202,800,2.1,是,2021-12-08,是,,快快合作\n,城关镇,新村,,900,2,否,,否,,\n",
          "祥符区.csv")
    write(folder, f"{HEADER}\n通许线,城关镇,某村,410222100200,900,2,否,,否,,\n", "通许.csv")
    write(folder, f"{HEADER}\n,,某村,,900,2,否,,否,,\n", "无名.csv")
    data = json.loads(invoke("report", "--villages", folder, "--as-of", "2021-12-31", "--format", "json").stdout)
    got = {s["county"]: ([Path(f).name for f in s["files"]], s["rows"], s["valid"], s["invalid"], s["submitted"])
           for s in data["submissions"]}
    assert got["祥符区"] == (["祥符区.csv"], 3, 2, 1, True)
    assert got["通许县"] == (["通许.csv"], 1, 0, 1, False)
    assert got["（未能归属县区）"] == (["无名.csv"], 1, 0, 1, True)
    assert sum(s["rows"] for s in data["submissions"]) == 5
    table = invoke("report", "--villages", folder, "--as-of", "2021-12-31").stdout
    assert "无有效行" in table and "未能归属县区" in table
    english = invoke("report", "--villages", folder, "--as-of", "2021-12-31", "--lang", "en").stdout
    assert "(no county)" in english and "no valid rows" in english


def test_a_workbook_holding_both_registers_counts_both_from_a_folder(tmp_path):
    """As `kuaidi template --with-outlets` lays it out: a sheet 行政村台账 and a sheet 服务点台账."""
    villages = _rows("villages.csv")
    outlets = _rows("outlets.csv")
    book = openpyxl.Workbook()
    book.active.title = "行政村台账"
    for r in [villages[0], *(r for r in villages[1:] if r[0] == "祥符区")]:
        book.active.append(r)
    sheet = book.create_sheet("服务点台账")
    for r in [outlets[0], *(r for r in outlets[1:] if r[3] == "祥符区")]:
        sheet.append(r)
    folder = tmp_path / "台账"
    folder.mkdir()
    book.save(folder / "祥符区.xlsx")
    args = ("--as-of", "2022-12-31", "--county", "祥符区", "--format", "json")
    from_folder = json.loads(invoke("report", "--villages", folder, *args).stdout)
    named = json.loads(invoke("report", "--villages", folder / "祥符区.xlsx", "--outlets", folder / "祥符区.xlsx",
                              *args).stdout)
    assert from_folder["counties"][0]["outlets"]["park"] == 1  # P410212, opened 2021-07-29
    assert _figures(from_folder) == _figures(named)


def test_changes_says_what_is_wrong_with_the_dates_asked_for(two_exports):
    history, _ = two_exports
    never = invoke("changes", "--history", history, "--since", "2021-11-30")
    assert never.exit_code == 2 and "没有 2021-11-30" in never.stderr
    backwards = invoke("changes", "--history", history, "--since", "2021-12-31", "--to", "2021-10-31")
    assert backwards.exit_code == 2 and "须早于" in backwards.stderr
    nonsense = invoke("changes", "--history", history, "--since", "abc")
    assert nonsense.exit_code == 2 and nonsense.stderr.startswith("kuaidi: --since 不是有效日期")


def test_fail_on_errors_counts_every_register_given(tmp_path):
    """祥符区.csv holds an error (黄龙村's code), 杞县.csv none: --fail-on errors is about the registers
    given, whatever the scope, and the line names the file."""
    folder = tmp_path / "台账"
    folder.mkdir()
    write(folder, XIANGFU, "祥符区.csv")
    write(folder, QIXIAN, "杞县.csv")
    result = invoke("report", "--villages", folder, "--divisions", "none", "--as-of", "2021-12-31", "--format",
                    "json", "--fail-on", "errors", "--county", "杞县")
    assert result.exit_code == 1 and "数据错误 1 条" in result.stderr and "祥符区.csv 1 条" in result.stderr


def test_a_county_that_sent_nothing_removed_no_village(tmp_path):
    """October: 祥符区 (EARLY) and 杞县 (one village); December: 祥符区 (LATE) alone. 杞县's village is not
    'removed' — its county sent nothing: it is 本期未报送 — while 丁村 (gone from 祥符区's own register) is."""
    history, out = tmp_path / "h.sqlite", tmp_path / "reports"
    october = tmp_path / "10"
    october.mkdir()
    write(october, EARLY, "祥符区.csv")
    write(october, QIXIAN, "杞县.csv")
    for given, as_of in ((october, "2021-10-31"), (write(tmp_path, LATE, "late.csv"), "2021-12-31")):
        result = invoke("export", "--villages", given, "--out", out, "--history", history, "--as-of", as_of,
                        "--divisions", "none", "--formats", "json")
        assert result.exit_code == 0, result.output
    data = json.loads(invoke("changes", "--history", history, "--format", "json").stdout)
    assert {(v["change"], v["village"]) for v in data["villages"]} == EXPECTED | {("not_submitted", "某村")}
    assert data["counties"] == {"杞县": {"change": "not_submitted", "villages": 1, "reached": 1}}


def test_a_stray_file_or_a_subfolder_is_left_out_and_told(county_folder, tmp_path):
    """A 说明.txt and a CSV of something else beside the registers, and 兰考县's file in a subfolder: the
    report runs on the rest, says on stderr what it left out and why, and 兰考县 shows 未报送."""
    folder = tmp_path / "台账"
    folder.mkdir()
    for f in county_folder.iterdir():
        if f.name != "兰考县.xlsx":
            (folder / f.name).write_bytes(f.read_bytes())
    (folder / "说明.txt").write_text("各县区请于每月5日前报送\n", encoding="utf-8")
    (folder / "联系人.csv").write_text("姓名,电话\n张三,123\n", encoding="utf-8")
    (folder / "兰考县").mkdir()
    (folder / "兰考县" / "兰考县.xlsx").write_bytes((county_folder / "兰考县.xlsx").read_bytes())
    result = invoke("report", "--villages", folder, "--as-of", "2021-12-31", "--format", "json")
    assert result.exit_code == 0, result.output
    told = [line for line in result.stderr.splitlines() if line.startswith("kuaidi: 跳过")]
    assert sorted(Path(line.split("：")[0].removeprefix("kuaidi: 跳过 ")).name for line in told) == [
        "兰考县", "联系人.csv", "说明.txt"]
    data = json.loads(result.stdout)
    assert {s["county"]: s["submitted"] for s in data["submissions"]}["兰考县"] is False
    only = tmp_path / "只有说明"
    only.mkdir()
    (only / "说明.txt").write_text("各县区请于每月5日前报送\n", encoding="utf-8")
    nothing = invoke("report", "--villages", only)
    assert nothing.exit_code == 2 and "没有可读的台账" in nothing.stderr


def test_the_first_export_says_why_it_has_no_changes(tmp_path):
    history, out = tmp_path / "h.sqlite", tmp_path / "reports"
    lines = []
    for name, text, as_of in (("early.csv", EARLY, "2021-10-31"), ("late.csv", LATE, "2021-12-31")):
        result = invoke("export", "--villages", write(tmp_path, text, name), "--out", out, "--history", history,
                        "--as-of", as_of, "--divisions", "none", "--formats", "json")
        lines.append(result.stdout)
    assert "没有更早的导出" in lines[0] and "没有更早的导出" not in lines[1]


def test_the_villages_needing_attention_name_their_file_and_row(tmp_path):
    """EARLY as of 2021-10-31: 乙村 (row 3), 丙村 (row 4) and 丁村 (row 5) are not reached yet; 甲村 is."""
    out = tmp_path / "reports"
    register = write(tmp_path, EARLY, "祥符区.csv")
    result = invoke("export", "--villages", register, "--out", out, "--no-history", "--as-of", "2021-10-31",
                    "--divisions", "none", "--formats", "csv,xlsx")
    assert result.exit_code == 0, result.output
    with (out / "kuaidi-report-2021-10-31-attention.csv").open(encoding="utf-8-sig") as fh:
        rows = list(csv.reader(fh))
    assert rows[0][-2:] == ["文件", "行号"]
    assert {r[2]: r[3] for r in rows[1:]}["丁村"] == '="410212100203"'  # a spreadsheet keeps it text (test_office)
    assert sorted((r[2], Path(r[-2]).name, r[-1]) for r in rows[1:]) == [
        ("丁村", "祥符区.csv", "5"), ("丙村", "祥符区.csv", "4"), ("乙村", "祥符区.csv", "3")]
    sheet = openpyxl.load_workbook(out / "kuaidi-report-2021-10-31.xlsx")["待整改村"]
    listed = [r for r in sheet.iter_rows(min_row=5, values_only=True) if r[3]]
    assert sorted((r[3], r[-1]) for r in listed) == [("丁村", 5), ("丙村", 4), ("乙村", 3)]
    page = tmp_path / "r.html"
    assert invoke("report", "--villages", register, "--as-of", "2021-10-31", "--divisions", "none",
                  "-o", page).exit_code == 0
    assert f"<td>丁村</td><td>未通达</td><td>{register} : 5</td>" in page.read_text(encoding="utf-8")


def test_an_empty_fail_on_is_refused():
    result = invoke("report", "--samples", "--fail-on", "")
    assert result.exit_code == 2 and "--fail-on 为空" in result.stderr


def test_last_months_report_beside_the_registers_is_no_register(tmp_path):
    """A folder holding a county's register and kuaidi's own report of it (workbook and CSV, as `report -o`
    writes them there): the report is left out, named on stderr, and is no data finding; the figures are
    the register's alone (2 villages, 1 reached). Named as a register, it is refused."""
    folder = tmp_path / "台账"
    folder.mkdir()
    write(folder, f"{HEADER}\n祥符区,城关镇,丁村,410212100203,900,2,否,,否,,\n"
                  f"祥符区,城关镇,甲村,410212100204,900,2,否,,是,,\n", "祥符区.csv")
    runner = CliRunner()
    base = ["report", "--villages", str(folder), "--divisions", "none", "--as-of", "2021-12-31"]
    for name in ("上月报表.xlsx", "上月报表.csv"):
        assert runner.invoke(app, [*base, "-o", str(folder / name)]).exit_code == 0
    done = runner.invoke(app, [*base, "--format", "json"])
    assert done.exit_code == 0, done.output
    report = json.loads(done.stdout)
    assert (report["summary"]["villages"], report["summary"]["reached"]) == (2, 1)
    assert [Path(i["path"]).name for i in report["inputs"]] == ["祥符区.csv"]
    assert "上月报表.xlsx" in done.stderr and "上月报表.csv" in done.stderr
    # no data finding: the footer counts the same findings as for the register alone
    alone = runner.invoke(app, ["report", "--villages", str(folder / "祥符区.csv"), "--divisions", "none",
                                "--as-of", "2021-12-31"], env={"COLUMNS": "200"}).stdout
    beside = runner.invoke(app, base, env={"COLUMNS": "200"}).stdout
    said = [x for x in alone.splitlines() if x.startswith("数据问题")]
    assert said and said == [x for x in beside.splitlines() if x.startswith("数据问题")]
    checked = runner.invoke(app, ["check", str(folder), "--divisions", "none"])
    assert checked.exit_code == 0 and "上月报表.xlsx" in checked.stderr and "1 个文件" in checked.stdout
    only = tmp_path / "只有报表"
    only.mkdir()
    for name in ("上月报表.xlsx", "上月报表.csv"):
        (only / name).write_bytes((folder / name).read_bytes())
    for args in (["check", str(only)], ["report", "--villages", str(only)]):
        nothing = runner.invoke(app, args)
        assert nothing.exit_code == 2 and "上月报表.xlsx" in nothing.stderr and "上月报表.csv" in nothing.stderr
    named = runner.invoke(app, ["check", str(folder / "上月报表.xlsx")])
    assert named.exit_code == 2 and "kuaidi 生成的报表" in named.stderr


def test_the_export_summary_line_names_the_counties_that_sent_nothing(tmp_path):
    """祥符区 and 杞县 sent their registers, 通许县, 尉氏县 and 兰考县 nothing: the one line export prints (what
    cron mails) names those three and says the figures are partial; with all five, no such words."""
    folder = tmp_path / "台账"
    folder.mkdir()
    write(folder, XIANGFU, "祥符区.csv")
    write(folder, QIXIAN, "杞县.csv")
    args = ("--villages", folder, "--no-history", "--as-of", "2021-12-31", "--divisions", "none", "--formats", "json")
    zh = invoke("export", *args, "--out", tmp_path / "zh")
    assert zh.exit_code == 0, zh.output
    assert zh.stdout.count("\n") == 1
    assert "；未报送：通许县、尉氏县、兰考县，以上为部分数据（只含已报送的县区）" in zh.stdout
    en = invoke("export", *args, "--out", tmp_path / "en", "--lang", "en")
    assert "; not submitted: 通许县, 尉氏县, 兰考县, so the figures are partial" in en.stdout
    whole = invoke("export", "--samples", "--out", tmp_path / "all", "--as-of", "2021-12-31", "--formats", "json")
    assert whole.exit_code == 0 and "未报送" not in whole.stdout
