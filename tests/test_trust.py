"""Never confidently wrong: every figure an office forwards is true, complete, and says what it covers.

One test (or a few) per point of the issue: sample data only when asked; unknown is never met; the whole
scope or say so; the scope named in every output; no file destroyed or mislabelled; dates; --fail-on.
The registers are written here, row by row, and the expected figures counted by hand from them (or
with the csv module from the sample files, never with kuaidi's code).
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import sqlite3
from pathlib import Path

import openpyxl
import pytest
from conftest import HEADER, SAMPLES, recount, write
from typer.testing import CliRunner

from kuaidi_cli.cli import app
from kuaidi_cli.core.rules import load_rules

runner = CliRunner()
WIDE = {"COLUMNS": "200"}
NO_ENV = {"KUAIDI_VILLAGES": "", "KUAIDI_OUTLETS": "", **WIDE}


def invoke(*args, env=None):
    return runner.invoke(app, [str(a) for a in args], env=env or WIDE)


def report_json(*args) -> dict:
    result = invoke("report", *args, "--format", "json")
    assert result.exit_code in (0, 1), result.output
    return json.loads(result.stdout)


def statuses(data: dict) -> dict[str, str]:
    return {t["id"]: t["status"] for t in data["targets"]}


def sample_rows(keep) -> str:
    """The sample village register's header and the rows `keep` accepts, as CSV text."""
    with (SAMPLES / "villages.csv").open(encoding="utf-8-sig") as fh:
        rows = list(csv.reader(fh))
    return "\n".join(",".join(r) for r in [rows[0], *(r for r in rows[1:] if keep(r))]) + "\n"


def flag_reached(county: str | None, as_of: str, township_out: str | None = None) -> tuple[int, int]:
    """(villages, reached) of the sample village register without outlets, counted with the csv module:
    reached when 是否通达 = 是 (dated ≤ as_of or undated) or 驻村设点 = 是 (likewise)."""
    with (SAMPLES / "villages.csv").open(encoding="utf-8-sig") as fh:
        rows = [r for r in csv.DictReader(fh) if (county is None or r["县区"] == county) and r["乡镇"] != township_out]
    def yes(flag: str, since: str) -> bool:
        return flag == "是" and (not since or since <= as_of)
    reached = sum(yes(r["是否通达"], r["通达时间"]) or yes(r["是否驻村设点"], r["设点时间"]) for r in rows)
    return len(rows), reached


# --- 1. samples only when asked ------------------------------------------------------------------


def test_report_and_export_without_a_register_stop_and_say_how(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    for command in (["report"], ["export", "--out", tmp_path / "reports", "--history", tmp_path / "h.sqlite"]):
        result = invoke(*command, env=NO_ENV)
        assert result.exit_code == 2, result.output
        assert "--villages" in result.stderr and "--samples" in result.stderr
        assert len(result.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "reports").exists() and not (tmp_path / "h.sqlite").exists()


def test_sample_runs_say_so_everywhere_and_are_never_recorded(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    table = invoke("report", "--samples", "--as-of", "2021-12-31", env=NO_ENV)
    assert table.exit_code == 0, table.output
    assert table.stdout.splitlines()[0].startswith("【示例数据】开封市“快递进村”工作进展")
    assert json.loads(invoke("report", "--samples", "--format", "json", env=NO_ENV).stdout)["samples"] is True
    history = tmp_path / "h.sqlite"
    out = tmp_path / "reports"
    export = invoke("export", "--samples", "--out", out, "--as-of", "2021-12-31", "--history", history, env=NO_ENV)
    assert export.exit_code == 0, export.output
    assert "示例数据" in export.stdout and "未记入历史库" in export.stdout
    assert not history.exists()  # never recorded
    wb = openpyxl.load_workbook(out / "kuaidi-report-2021-12-31.xlsx")
    assert wb["汇总"]["A1"].value.startswith("【示例数据】") and wb["分县区"]["A1"].value.startswith("【示例数据】")
    html = (out / "kuaidi-report-2021-12-31.html").read_text(encoding="utf-8")
    assert "<title>【示例数据】" in html and "<h1>【示例数据】" in html
    assert json.loads((out / "kuaidi-report-2021-12-31.json").read_text(encoding="utf-8"))["samples"] is True
    both = invoke("report", "--samples", "--villages", SAMPLES / "villages.csv", env=NO_ENV)
    assert both.exit_code == 2 and "--samples" in both.stderr


def test_the_sample_files_given_by_name_are_a_real_run(tmp_path):
    # the same files named with --villages are the user's choice: recorded, not marked
    history = tmp_path / "h.sqlite"
    result = invoke("export", "--villages", SAMPLES / "villages.csv", "--outlets", SAMPLES / "outlets.csv",
                    "--out", tmp_path, "--formats", "json", "--as-of", "2021-12-31", "--history", history)
    assert result.exit_code == 0 and "示例数据" not in result.stdout
    with sqlite3.connect(history) as conn:
        assert conn.execute("SELECT COUNT(*) FROM runs").fetchone() == (1,)


# --- 2. unknown is never met -----------------------------------------------------------------------

# 甲: 3000 people → priority, with its point.   乙: 900 people, distance blank → undecided, no point.
# 丙: 1000 people, 2 km → not priority.          丁: population blank, 7 km → priority, with its point.
# 戊: population blank, 2 km → undecided, no point.
UNDECIDED = f"""{HEADER}
祥符区,城关镇,甲村,,3000,1,是,,是,,邮快合作
祥符区,城关镇,乙村,,900,,否,,是,,邮快合作
祥符区,城关镇,丙村,,1000,2,否,,否,,
祥符区,城关镇,丁村,,,7,是,,是,,
祥符区,城关镇,戊村,,,2,否,,否,,
"""
COUNTY = ["--county", "祥符区", "--divisions", "none", "--as-of", "2021-12-31"]


def test_undecided_priority_is_a_warning_with_its_place(tmp_path):
    path = write(tmp_path, UNDECIDED)
    data = json.loads(invoke("check", path, "--format", "json", "--divisions", "none").stdout)
    got = {(f["code"], f["row"], f["column"]) for f in data["findings"]}
    assert got == {("priority-unknown", 3, "距乡镇驻地距离(公里)"), ("priority-unknown", 6, "人口数(人)")}
    assert all(f["severity"] == "warning" for f in data["findings"])
    assert data["ok"] is True


def test_undecided_villages_make_the_priority_target_unverified(tmp_path):
    data = report_json("--villages", write(tmp_path, UNDECIDED), *COUNTY)
    s = data["summary"]
    assert (s["villages"], s["priority_villages"], s["priority_in_village"], s["priority_unknown"]) == (5, 2, 2, 2)
    target = next(t for t in data["targets"] if t["id"] == "priority-in-village-100")
    # 2 of 2 decided priority villages have a point, but 乙 or 戊 may be priority villages without one
    assert (target["status"], target["value"], target["undecided"]) == ("unverified", 1.0, 2)
    assert statuses(data)["coverage-80"] == "missed"  # 甲 乙 丁 reached: 3 of 5, established
    attention = {a["village"]: a for a in data["attention"]}
    assert attention["乙村"]["priority_unknown"] and attention["乙村"]["missing"] == ["distance_km"]
    assert attention["戊村"]["missing"] == ["population"]
    assert not attention["丙村"]["priority_unknown"]
    table = invoke("report", "--villages", write(tmp_path, UNDECIDED), *COUNTY)
    assert "待核实" in table.stdout and "缺距离" in table.stdout and "缺人口" in table.stdout
    assert "2 个村缺人口或距离" in table.stdout


def test_priority_met_only_when_it_holds_whatever_the_blanks_turn_out(tmp_path):
    # 乙 and 戊 with points of their own: priority or not, every priority village has one
    with_points = UNDECIDED.replace("乙村,,900,,否", "乙村,,900,,是").replace("戊村,,,2,否", "戊村,,,2,是")
    assert statuses(report_json("--villages", write(tmp_path, with_points, "a.csv"), *COUNTY))[
        "priority-in-village-100"] == "met"
    # 丁 without its point: 1 of 2 decided, and no blank can mend that
    without = UNDECIDED.replace("丁村,,,7,是,,是", "丁村,,,7,否,,是")
    assert statuses(report_json("--villages", write(tmp_path, without, "b.csv"), *COUNTY))[
        "priority-in-village-100"] == "missed"


def test_an_invalid_population_leaves_the_village_counted_and_its_priority_undecided(tmp_path):
    # 乙: 人口 不详, 2 km → undecided, no point; 丙: 人口 不详, 9 km → priority by distance, with its point
    text = f"""{HEADER}
祥符区,城关镇,甲村,,3000,1,是,,是,,邮快合作
祥符区,城关镇,乙村,,不详,2,否,,是,,邮快合作
祥符区,城关镇,丙村,,不详,9,是,,是,,邮快合作
"""
    path = write(tmp_path, text)
    check = json.loads(invoke("check", path, "--format", "json", "--divisions", "none").stdout)
    assert {(f["code"], f["row"]) for f in check["findings"]} == {
        ("bad-number", 3), ("bad-number", 4), ("priority-unknown", 3)}
    assert check["ok"] is False  # the clerk still has two cells to fix
    data = report_json("--villages", path, *COUNTY)
    s = data["summary"]
    # every village counted: 3 villages, all reached; priority 甲 丙 (both with a point), 乙 undecided
    assert (s["villages"], s["reached"], s["priority_villages"], s["priority_in_village"], s["priority_unknown"]) \
        == (3, 3, 2, 2, 1)
    assert statuses(data)["coverage-80"] == "met"
    assert statuses(data)["priority-in-village-100"] == "unverified"
    table = invoke("report", "--villages", path, *COUNTY)
    assert "2 行有无法识别的单元格" in table.stdout


def test_a_rate_over_nothing_has_no_data(tmp_path):
    # no village is a priority village (all decided): the priority rate is over an empty set
    text = f"{HEADER}\n祥符区,城关镇,甲村,,100,1,是,,是,,\n祥符区,城关镇,乙村,,200,2,否,,是,,\n"
    data = report_json("--villages", write(tmp_path, text), *COUNTY)
    target = next(t for t in data["targets"] if t["id"] == "priority-in-village-100")
    assert (target["status"], target["value"]) == ("no-data", None)
    assert statuses(data)["coverage-80"] == "met"  # 2 of 2 reached


def test_a_blank_column_is_one_file_level_warning(tmp_path):
    # 人口 left blank in every row, 合作模式 absent: one warning each, naming what they leave undecided
    text = ("县区,乡镇,行政村,人口,距离(km),是否驻村设点,是否通达\n"
            "祥符区,城关镇,甲村,,7,是,是\n祥符区,城关镇,乙村,,1,否,否\n祥符区,城关镇,丙村,,2,否,是\n")
    data = json.loads(invoke("check", write(tmp_path, text), "--format", "json", "--divisions", "none").stdout)
    got = {(f["code"], f["row"], f["column"]) for f in data["findings"]}
    assert got == {("column-empty", 1, "人口"), ("column-empty", 1, "合作模式")}  # no warning per row
    population = next(f for f in data["findings"] if f["column"] == "人口")
    assert "重点村" in population["message_zh"] and "人口≥2500" in population["message_zh"]
    report = report_json("--villages", write(tmp_path, text), *COUNTY)
    assert report["summary"]["priority_unknown"] == 2  # 乙 and 丙: under 5 km, population unknown
    assert statuses(report)["priority-in-village-100"] == "unverified"  # 甲 (7 km) has its point


def test_an_unfilled_template_passes_check_and_meets_no_target(tmp_path):
    template = tmp_path / "t.xlsx"
    assert invoke("template", "-o", template, "--county", "祥符区").exit_code == 0
    check = invoke("check", template)
    assert check.exit_code == 0, check.output
    assert "336 行有效" in check.stdout and "警告 5 条" in check.stdout
    data = json.loads(invoke("check", template, "--format", "json").stdout)
    assert sorted(f["field"] for f in data["findings"] if f["code"] == "column-empty") == [
        "distance_km", "in_village", "mode", "population", "reached"]
    for as_of in ("2021-12-31", "2022-12-31"):
        report = report_json("--villages", template, "--county", "祥符区", "--as-of", as_of)
        assert "met" not in statuses(report).values()
        assert set(statuses(report).values()) <= {"no-data", "info"}
        assert report["summary"]["reach_rate"] is None and report["summary"]["priority_unknown"] == 336
    city = report_json("--villages", template, "--as-of", "2022-12-31")
    assert "met" not in statuses(city).values()
    html = tmp_path / "t.html"
    assert invoke("report", "--villages", template, "--as-of", "2021-12-31", "-o", html).exit_code == 0
    assert 'class="met"' not in html.read_text(encoding="utf-8")


# --- 3. the whole scope, or say so ----------------------------------------------------------------


def test_a_county_that_sent_nothing_is_not_submitted_and_the_city_rate_incomplete(tmp_path):
    only = write(tmp_path, sample_rows(lambda r: r[0] == "祥符区"), "xiangfu.csv")
    data = report_json("--villages", only, "--as-of", "2021-12-31")
    assert [(c["county"], c["submitted"], c["villages"]) for c in data["counties"]] == [
        ("祥符区", True, 336), ("杞县", False, 0), ("通许县", False, 0), ("尉氏县", False, 0), ("兰考县", False, 0)]
    n, reached = flag_reached("祥符区", "2021-12-31")
    assert (data["summary"]["villages"], data["summary"]["reached"]) == (n, reached) == (336, reached)
    for target in data["targets"]:
        if target["metric"] in ("reach_rate", "priority_in_village_rate"):
            assert (target["status"], target["unsubmitted"]) == ("incomplete", 4), target["id"]
    assert next(c for c in data["counties"] if c["county"] == "杞县")["targets"][1]["status"] == "no-data"
    table = invoke("report", "--villages", only, "--as-of", "2021-12-31")
    assert "杞县（未报送）" in table.stdout and "数据不全" in table.stdout and "达标" not in table.stdout.replace(
        "未达标", "")
    xlsx = tmp_path / "r.xlsx"
    assert invoke("report", "--villages", only, "--as-of", "2021-12-31", "-o", xlsx).exit_code == 0
    ws = openpyxl.load_workbook(xlsx)["分县区"]
    assert [ws.cell(row=r, column=2).value for r in range(5, 10)] == [
        "祥符区", "杞县（未报送）", "通许县（未报送）", "尉氏县（未报送）", "兰考县（未报送）"]
    assert ws["C6"].value is None  # no figure, not a zero
    html = tmp_path / "r.html"
    assert invoke("report", "--villages", only, "--as-of", "2021-12-31", "-o", html).exit_code == 0
    assert "杞县（未报送）" in html.read_text(encoding="utf-8")


def test_over_the_official_list_a_missing_county_counts_as_not_reached(tmp_path):
    only = write(tmp_path, sample_rows(lambda r: r[0] == "祥符区"), "xiangfu.csv")
    data = report_json("--villages", only, "--as-of", "2021-12-31", "--universe", "gazetteer")
    _, reached = flag_reached("祥符区", "2021-12-31")
    assert (data["summary"]["villages"], data["summary"]["reached"]) == (2137, reached)  # 2021 edition
    coverage = next(t for t in data["targets"] if t["id"] == "coverage-80")
    assert coverage["status"] == "missed" and coverage["value"] == pytest.approx(reached / 2137)
    assert [c["submitted"] for c in data["counties"]] == [True, False, False, False, False]


def test_a_county_view_lists_its_townships_that_sent_nothing(tmp_path):
    lacking = write(tmp_path, sample_rows(lambda r: r[0] == "祥符区" and r[1] != "陈留镇"), "no-chenliu.csv")
    data = report_json("--villages", lacking, "--county", "祥符区", "--as-of", "2021-12-31")
    silent = [w["township"] for w in data["townships"] if not w["submitted"]]
    assert silent == ["陈留镇"]
    assert next(w for w in data["townships"] if w["township"] == "陈留镇")["villages"] == 0
    county = data["counties"][0]
    assert next(t for t in county["targets"] if t["id"] == "coverage-80")["status"] == "incomplete"
    assert statuses(data)["coverage-80"] == "incomplete"
    n, reached = flag_reached("祥符区", "2021-12-31", township_out="陈留镇")
    assert (data["summary"]["villages"], data["summary"]["reached"]) == (n, reached)
    table = invoke("report", "--villages", lacking, "--county", "祥符区", "--as-of", "2021-12-31")
    assert "陈留镇（未报送）" in table.stdout and "祥符区陈留镇" in table.stdout


def test_complete_registers_keep_their_statuses():
    # the samples are complete: every county and township submitted, no status changed by the new rules
    data = report_json("--villages", SAMPLES / "villages.csv", "--outlets", SAMPLES / "outlets.csv",
                       "--as-of", "2021-12-31")
    assert all(c["submitted"] for c in data["counties"]) and all(w["submitted"] for w in data["townships"])
    assert statuses(data)["coverage-80"] == "met" and statuses(data)["priority-in-village-100"] == "missed"
    assert data["summary"]["villages"] == recount("2021-12-31")["villages"]


# --- 4. say what it covers ------------------------------------------------------------------------


def test_a_county_view_names_the_county_in_every_output_and_never_the_city(tmp_path):
    args = ["--villages", SAMPLES / "villages.csv", "--outlets", SAMPLES / "outlets.csv", "--county", "祥符区",
            "--as-of", "2021-12-31"]
    data = report_json(*args)
    assert data["scope"] == {"level": "county", "name": "开封市祥符区", "counties": ["祥符区"], "township": None}
    table = invoke("report", *args)
    assert table.stdout.splitlines()[0].startswith("开封市祥符区“快递进村”工作进展")
    assert "全市" not in table.stdout and "祥符区行政村覆盖率不低于80%" in table.stdout
    html_path, xlsx_path = tmp_path / "x.html", tmp_path / "x.xlsx"
    assert invoke("report", *args, "-o", html_path).exit_code == 0
    html = html_path.read_text(encoding="utf-8")
    assert "<title>开封市祥符区“快递进村”工作进展" in html and "全市" not in html
    assert invoke("report", *args, "-o", xlsx_path).exit_code == 0
    wb = openpyxl.load_workbook(xlsx_path)
    assert wb["汇总"]["A1"].value == "开封市祥符区“快递进村”工作目标完成情况"
    assert wb["分县区"]["A1"].value == "开封市祥符区“快递进村”工作进展统计表"
    cells = [c.value for ws in wb for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
    quotes = {t.source for t in load_rules()[0].targets}  # the 依据 column quotes the policy's own words
    assert not [c for c in cells if "全市" in c and c not in quotes]
    assert "祥符区行政村覆盖率不低于80%" in cells
    township = report_json("--villages", SAMPLES / "villages.csv", "--township", "陈留镇", "--as-of", "2021-12-31")
    assert township["scope"]["name"] == "开封市祥符区陈留镇" and township["scope"]["level"] == "township"


# --- 5. never destroy or mislabel a file -----------------------------------------------------------


def test_template_never_replaces_a_file_without_force(tmp_path):
    filled = tmp_path / "filled.xlsx"
    filled.write_bytes(b"a register someone filled in")
    refused = invoke("template", "-o", filled)
    assert refused.exit_code == 2 and "--force" in refused.stderr
    assert filled.read_bytes() == b"a register someone filled in"
    assert invoke("template", "-o", filled, "--force").exit_code == 0
    assert openpyxl.load_workbook(filled).sheetnames[0] == "行政村台账"


def test_report_output_format_follows_the_extension(tmp_path):
    args = ["--villages", SAMPLES / "villages.csv", "--as-of", "2021-12-31"]
    for name, check in (("报表.xlsx", lambda p: openpyxl.load_workbook(p).sheetnames[0] == "汇总"),
                        ("r.json", lambda p: json.loads(p.read_text(encoding="utf-8"))["schema"] == "kuaidi.report/1"),
                        ("r.html", lambda p: p.read_text(encoding="utf-8").startswith("<!doctype html>")),
                        ("r.csv", lambda p: p.read_bytes().startswith(b"\xef\xbb\xbf\xe5\x8e\xbf")),  # BOM, 县
                        ("r.txt", lambda p: "“快递进村”工作进展" in p.read_text(encoding="utf-8"))):
        result = invoke("report", *args, "-o", tmp_path / name)
        assert result.exit_code == 0, (name, result.output)
        assert check(tmp_path / name), name
        again = invoke("report", *args, "-o", tmp_path / name)  # kuaidi's own file: replaced
        assert again.exit_code == 0, (name, again.output)
    wrong = invoke("report", *args, "--format", "csv", "-o", tmp_path / "r2.xlsx")
    assert wrong.exit_code == 2 and "扩展名" in wrong.stderr and not (tmp_path / "r2.xlsx").exists()
    unknown = invoke("report", *args, "-o", tmp_path / "r.pdf")
    assert unknown.exit_code == 2 and "--format" in unknown.stderr


def test_report_refuses_a_file_it_did_not_write(tmp_path):
    args = ["--villages", SAMPLES / "villages.csv", "--as-of", "2021-12-31"]
    for name in ("mine.xlsx", "mine.json", "mine.html", "mine.csv", "mine.txt"):
        path = tmp_path / name
        path.write_bytes("县区,行政村\n祥符区,袁楼村\n".encode())
        refused = invoke("report", *args, "-o", path)
        assert refused.exit_code == 2 and "--force" in refused.stderr, name
        assert path.read_bytes() == "县区,行政村\n祥符区,袁楼村\n".encode()
    forced = invoke("report", *args, "-o", tmp_path / "mine.json", "--force")
    assert forced.exit_code == 0 and json.loads((tmp_path / "mine.json").read_text(encoding="utf-8"))


# --- 6. dates -------------------------------------------------------------------------------------


@pytest.mark.parametrize("written", ["2021-12-31", "2021/12/31", "2021.12.31", "2021年12月31日", "20211231"])
def test_as_of_in_the_forms_registers_use(written):
    data = report_json("--villages", SAMPLES / "villages.csv", "--as-of", written)
    assert data["as_of"] == "2021-12-31"


def test_a_date_after_today_is_one_warning_line():
    later = (dt.date.today() + dt.timedelta(days=400)).isoformat()
    result = invoke("report", "--villages", SAMPLES / "villages.csv", "--as-of", later, "--format", "json")
    assert result.exit_code == 0
    assert len(result.stderr.strip().splitlines()) == 1 and "晚于今天" in result.stderr


def test_trend_projects_only_from_three_dates_over_four_weeks(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    history = tmp_path / "h.sqlite"
    args = ["--villages", SAMPLES / "villages.csv", "--outlets", SAMPLES / "outlets.csv", "--history", history,
            "--out", tmp_path, "--formats", "json"]
    for d in ("2021-12-30", "2021-12-31"):
        assert invoke("export", *args, "--as-of", d).exit_code == 0
    two = invoke("trend", "--history", history, "--no-chart")
    assert two.exit_code == 0, two.output
    line = next(x for x in two.stdout.splitlines() if "reach-100" in x or "全市行政村通达率100%" in x)
    assert "数据不足" in line and "2022-01" not in two.stdout
    assert invoke("export", *args, "--as-of", "2022-02-15").exit_code == 0  # 3 dates over 47 days
    three = invoke("trend", "--history", history, "--no-chart")
    line = next(x for x in three.stdout.splitlines() if "全市行政村通达率100%" in x)
    assert "数据不足" not in line


def test_trend_chart_never_replaces_a_file_it_did_not_write(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    history = tmp_path / "h.sqlite"
    assert invoke("export", "--villages", SAMPLES / "villages.csv", "--history", history, "--out", tmp_path,
                  "--formats", "json", "--as-of", "2021-12-31").exit_code == 0
    chart = tmp_path / "chart.svg"
    assert invoke("trend", "--history", history, "--chart", chart).exit_code == 0
    assert invoke("trend", "--history", history, "--chart", chart).exit_code == 0  # its own chart
    other = tmp_path / "logo.svg"
    other.write_text("<svg xmlns='http://www.w3.org/2000/svg'/>", encoding="utf-8")
    refused = invoke("trend", "--history", history, "--chart", other)
    assert refused.exit_code == 2 and other.read_text(encoding="utf-8").startswith("<svg xmlns='")


# --- 7. --fail-on missed never says "fine" about a figure it could not establish --------------------


def test_fail_on_missed_counts_unestablished_statuses(tmp_path):
    cases = {
        "unverified": ("--villages", write(tmp_path, UNDECIDED, "u.csv"), *COUNTY),
        "incomplete": ("--villages", write(tmp_path, sample_rows(lambda r: r[0] == "祥符区"), "x.csv"),
                       "--as-of", "2021-12-31"),
    }
    for status, args in cases.items():
        data = report_json(*args)
        assert status in statuses(data).values()
        result = invoke("report", *args, "--fail-on", "missed")
        assert result.exit_code == 1, status
    template = tmp_path / "t.xlsx"
    assert invoke("template", "-o", template, "--county", "祥符区").exit_code == 0
    no_data = invoke("report", "--villages", template, "--county", "祥符区", "--as-of", "2021-12-31",
                     "--fail-on", "missed")
    assert no_data.exit_code == 1
    # before the due dates nothing is due: exit 0 whatever the statuses
    early = invoke("report", "--villages", template, "--county", "祥符区", "--as-of", "2021-06-30",
                   "--fail-on", "missed")
    assert early.exit_code == 0


def test_export_fail_on_counts_them_too(tmp_path):
    template = tmp_path / "t.xlsx"
    assert invoke("template", "-o", template, "--county", "祥符区").exit_code == 0
    result = invoke("export", "--villages", template, "--out", tmp_path / "out", "--no-history", "--formats", "json",
                    "--as-of", "2021-12-31", "--fail-on", "missed", "--quiet")
    assert result.exit_code == 1
    assert Path(tmp_path / "out" / "kuaidi-report-2021-12-31.json").exists()


# --- what an independent review found after the first pass ----------------------------------------


def test_a_township_view_is_its_own_county_only():
    data = report_json("--villages", SAMPLES / "villages.csv", "--township", "傅集镇", "--as-of", "2021-12-31")
    assert [(c["county"], c["submitted"]) for c in data["counties"]] == [("杞县", True)]
    assert "incomplete" not in statuses(data).values()
    assert data["scope"]["name"] == "开封市杞县傅集镇"


def test_a_township_that_sent_nothing_is_the_township_not_its_county(tmp_path):
    lacking = write(tmp_path, sample_rows(lambda r: r[0] == "祥符区" and r[1] != "城关镇"), "no-cg.csv")
    data = report_json("--villages", lacking, "--county", "祥符区", "--township", "城关镇", "--as-of", "2021-12-31")
    assert [(c["county"], c["submitted"]) for c in data["counties"]] == [("祥符区", True)]
    assert [(w["township"], w["submitted"]) for w in data["townships"]] == [("城关镇", False)]
    assert set(statuses(data).values()) == {"no-data"}  # nothing to compute: no data, not 数据不全
    table = invoke("report", "--villages", lacking, "--county", "祥符区", "--township", "城关镇", "--as-of", "2021-12-31")
    assert "祥符区城关镇" in table.stdout and "祥符区（未报送）" not in table.stdout


def test_unknown_counts_are_null_and_never_reasons(tmp_path):
    template = tmp_path / "t.xlsx"
    assert invoke("template", "-o", template, "--county", "祥符区").exit_code == 0
    data = report_json("--villages", template, "--county", "祥符区", "--as-of", "2021-12-31")
    s = data["summary"]
    assert (s["reached"], s["in_village"], s["priority_in_village"], s["reach_rate"]) == (None, None, None, None)
    assert all(t["gap"] is None for t in data["targets"])
    assert {a["reached"] for a in data["attention"]} == {None} and len(data["attention"]) == 336
    table = invoke("report", "--villages", template, "--county", "祥符区", "--as-of", "2021-12-31")
    lines = table.stdout.splitlines()
    start = next(i for i, x in enumerate(lines) if x.startswith("待整改村"))
    rows = [x for x in lines[start:] if x.startswith("│ 祥符区")]  # the attention list's rows
    assert len(rows) == 20 and all("缺人口" in x and "未通达" not in x for x in rows)


def test_a_template_with_its_blank_outlet_sheet_checks_clean_and_counts_nothing(tmp_path):
    template = tmp_path / "t.xlsx"
    assert invoke("template", "-o", template, "--county", "杞县", "--with-outlets").exit_code == 0
    check = invoke("check", template, "--outlets", template)
    assert check.exit_code == 0, check.output
    data = report_json("--villages", template, "--outlets", template, "--county", "杞县", "--as-of", "2022-12-31")
    assert set(statuses(data).values()) == {"no-data"}
    assert data["summary"]["outlets"] == {"park": None, "township_station": None, "village_point": None}


def test_a_county_view_names_the_official_list_of_the_county():
    table = invoke("report", "--villages", SAMPLES / "villages.csv", "--county", "祥符区", "--as-of", "2021-12-31")
    assert "范围内 336 个行政村" in table.stdout and "范围内 2137" not in table.stdout
    only = invoke("report", "--villages", SAMPLES / "villages.csv", "--as-of", "2021-12-31")
    assert "台账缺少其中 0 个" in only.stdout


def test_as_of_outside_the_programme_years_is_refused():
    for bad in ("0001-01-01", "9999-12-31", "1999-12-31"):
        result = invoke("report", "--villages", SAMPLES / "villages.csv", "--as-of", bad)
        assert result.exit_code == 2 and "2000" in result.stderr, bad


def test_output_kinds_are_kept_apart(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    csv_template = invoke("template", "-o", tmp_path / "new.csv")
    assert csv_template.exit_code == 2 and ".xlsx" in csv_template.stderr and not (tmp_path / "new.csv").exists()
    report = tmp_path / "r.xlsx"
    assert invoke("report", "--villages", SAMPLES / "villages.csv", "-o", report, "--as-of", "2021-12-31").exit_code == 0
    history = tmp_path / "h.sqlite"
    assert invoke("export", "--villages", SAMPLES / "villages.csv", "--history", history, "--out", tmp_path / "out",
                  "--formats", "json", "--as-of", "2021-12-31").exit_code == 0
    before = report.read_bytes()
    assert invoke("trend", "--history", history, "--chart", report).exit_code == 2  # not an .svg
    assert invoke("trend", "--history", history, "--chart", tmp_path / "c.png").exit_code == 2
    assert report.read_bytes() == before
    # a file whose first line reads like kuaidi's title is still someone's notes
    notes = tmp_path / "notes.txt"
    notes.write_text("开封市“快递进村”工作进展 — 截至2021年12月31日\n我的批注\n", encoding="utf-8")
    refused = invoke("report", "--villages", SAMPLES / "villages.csv", "-o", notes, "--as-of", "2021-12-31")
    assert refused.exit_code == 2 and "我的批注" in notes.read_text(encoding="utf-8")


def test_export_never_replaces_a_dated_file_it_did_not_write(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    foreign = out / "kuaidi-report-2021-12-31.json"
    foreign.write_text('{"mine": true}', encoding="utf-8")
    result = invoke("export", "--villages", SAMPLES / "villages.csv", "--out", out, "--formats", "json",
                    "--as-of", "2021-12-31", "--no-history")
    assert result.exit_code == 2 and foreign.read_text(encoding="utf-8") == '{"mine": true}'


def test_trend_keeps_what_the_latest_export_could_not_establish(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    history = tmp_path / "h.sqlite"
    four = write(tmp_path, sample_rows(lambda r: r[0] != "兰考县"), "four.csv")
    for d in ("2021-10-31", "2021-11-30", "2021-12-31"):
        assert invoke("export", "--villages", four, "--history", history, "--out", tmp_path, "--formats", "json",
                      "--as-of", d).exit_code == 0
    city = invoke("trend", "--history", history, "--no-chart")
    line = next(x for x in city.stdout.splitlines() if "全市行政村覆盖率不低于80%" in x)
    assert "数据不全" in line and "达标" not in line.replace("未达标", "")
    parks = next(x for x in city.stdout.splitlines() if "县级电商快递物流产业园区5个" in x)
    assert "无数据" in parks  # no outlet register: nothing to project
    county = invoke("trend", "--history", history, "--no-chart", "--county", "祥符区")
    assert "祥符区行政村覆盖率不低于80%" in county.stdout and "全市" not in county.stdout
    silent = invoke("trend", "--history", history, "--no-chart", "--county", "兰考县")
    assert "无数据" in silent.stdout and "按当前进度无法达成" not in silent.stdout


def test_export_replaces_its_own_dated_files_every_format(tmp_path):
    # a re-run of the same as-of date (cron's retry) replaces every file the first run wrote, the two
    # long CSV lists too, each known by its own header
    args = ["--villages", SAMPLES / "villages.csv", "--outlets", SAMPLES / "outlets.csv", "--out", tmp_path,
            "--as-of", "2021-12-31", "--no-history"]
    first = invoke("export", *args)
    assert first.exit_code == 0, first.output
    names = sorted(p.name for p in tmp_path.iterdir() if p.name.startswith("kuaidi-report"))
    assert len(names) == 6
    again = invoke("export", *args)
    assert again.exit_code == 0, again.output
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith("kuaidi-report")) == names
