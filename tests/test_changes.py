"""What changed between two exports when a county sent nothing at one of them, or a row became unreadable:
every village of either export in one place, the 合计 row the sum of the county rows."""

from __future__ import annotations

import csv
import io
import json
import sqlite3

from conftest import HEADER, SAMPLES, recount, write
from typer.testing import CliRunner

from kuaidi_cli.cli import app

runner = CliRunner()


def invoke(*args, lang: str = "zh"):
    return runner.invoke(app, [str(a) for a in args], env={"COLUMNS": "200", "KUAIDI_LANG": lang})


def _without(county: str) -> str:
    with (SAMPLES / "villages.csv").open(encoding="utf-8-sig") as fh:
        rows = list(csv.reader(fh))
    buf = io.StringIO()
    csv.writer(buf).writerows([rows[0], *(r for r in rows[1:] if r[0] != county)])
    return buf.getvalue()


def test_a_county_first_sent_this_month_is_first_sent_not_unchanged(tmp_path):
    """The issue's reproduction: the samples without 尉氏县 as of 2022-11-30, whole as of 2022-12-31. 尉氏县's
    516 rows of the sample (grep -c '^尉氏县' data/samples/villages.csv) are 首次报送, none of them 新通达;
    the city's reached grows by 新通达 − 不再通达 + 尉氏县's reached (recount: the csv module, no kuaidi)."""
    history, out = tmp_path / "h.sqlite", tmp_path / "out"
    november = write(tmp_path, _without("尉氏县"), "11.csv")
    outlets = ("--outlets", SAMPLES / "outlets.csv")
    for villages, as_of in ((november, "2022-11-30"), (SAMPLES / "villages.csv", "2022-12-31")):
        done = invoke("export", "--villages", villages, *outlets, "--out", out, "--history", history, "--as-of", as_of,
                      "--formats", "json")
        assert done.exit_code == 0, done.output
    weishi_reached = recount("2022-12-31", "尉氏县")["reached"]
    city = json.loads(invoke("changes", "--history", history, "--format", "json").stdout)
    assert city["counties"] == {"尉氏县": {"change": "first_submitted", "villages": 516, "reached": weishi_reached}}
    counts = city["counts"]
    assert counts["first_submitted"] == 516 and counts["added"] == 0 and counts["not_submitted"] == 0
    assert not [v for v in city["villages"] if v["county"] == "尉氏县" and v["change"] != "first_submitted"]
    before, after = (json.loads((out / f"kuaidi-report-{d}.json").read_text(encoding="utf-8"))["summary"]["reached"]
                     for d in ("2022-11-30", "2022-12-31"))
    assert after - before == counts["newly_reached"] - counts["lost_reach"] + weishi_reached

    one = invoke("changes", "--history", history, "--county", "尉氏县")
    assert one.exit_code == 0 and "没有变化" not in one.stdout
    assert f"尉氏县：上期（2022-11-30）未报送，本期首次报送 516 个村（其中已通达 {weishi_reached} 个）" in one.stdout
    table = invoke("changes", "--history", history).stdout
    rows = {line.split("│")[1].strip(): [int(x) for x in line.split("│")[2:-1]]
            for line in table.splitlines() if line.startswith("│") and line.split("│")[2].strip().isdigit()}
    assert rows["尉氏县"] == [0, 0, 0, 0, 0, 0, 0, 0, 516, 0]
    assert rows["合计"] == [sum(r[i] for name, r in rows.items() if name != "合计") for i in range(10)]
    english = invoke("changes", "--history", history, "--county", "尉氏县", lang="en").stdout
    assert "尉氏县 sent nothing as of 2022-11-30: its 516 villages sent now" in english and "first sent" in english

    # a history an earlier kuaidi wrote keeps no table of who sent what: told from the counties' villages
    with sqlite3.connect(history) as conn:
        conn.execute("DROP TABLE submissions")
    again = json.loads(invoke("changes", "--history", history, "--format", "json").stdout)
    assert again["counties"] == city["counties"] and again["counts"] == counts

    # and the other way round: 尉氏县 sent nothing as of 2023-01-31: its villages are 本期未报送, not 台账移出
    done = invoke("export", "--villages", november, *outlets, "--out", out, "--history", history, "--as-of",
                  "2023-01-31", "--formats", "json")
    assert done.exit_code == 0, done.output
    gone = json.loads(invoke("changes", "--history", history, "--format", "json").stdout)
    assert gone["counties"] == {"尉氏县": {"change": "not_submitted", "villages": 516, "reached": weishi_reached}}
    assert gone["counts"]["removed"] == 0 and gone["counts"]["not_submitted"] == 516


# As of 2021-10-31 (EARLY) 乙村 is not reached yet; as of 2021-12-31 its row is there but its code has 11 digits
# (an error: the row is not counted), 丙村's code is right again after being 11 digits in October. 乙村 is
# 本期无法读取, not 台账移出; 丙村 恢复可读, not 台账新增; 甲村 lost reach and its point; 丁村 stays unreached.
EARLY = f"""{HEADER}
祥符区,城关镇,甲村,410212100200,3000,1,是,2021-09-01,是,2021-09-01,
祥符区,城关镇,乙村,410212100201,900,2,否,,否,,
祥符区,城关镇,丙村,41021210020,900,2,是,2021-10-01,是,2021-10-01,
祥符区,城关镇,丁村,410212100203,900,2,否,,否,,
"""
LATE = f"""{HEADER}
祥符区,城关镇,甲村,410212100200,3000,1,否,,否,,
祥符区,城关镇,乙村,41021210020,900,2,是,2021-11-15,是,2021-11-15,
祥符区,城关镇,丙村,410212100202,900,2,是,2021-10-01,是,2021-10-01,
祥符区,城关镇,丁村,410212100203,900,2,否,,否,,
"""


def test_a_row_that_became_unreadable_is_not_gone_from_the_register(tmp_path):
    history, out = tmp_path / "h.sqlite", tmp_path / "out"
    for name, text, as_of in (("10.csv", EARLY, "2021-10-31"), ("12.csv", LATE, "2021-12-31")):
        done = invoke("export", "--villages", write(tmp_path, text, name), "--out", out, "--history", history,
                      "--as-of", as_of, "--divisions", "none", "--formats", "json")
        assert done.exit_code == 0, done.output
    data = json.loads(invoke("changes", "--history", history, "--format", "json").stdout)
    assert {(v["change"], v["village"]) for v in data["villages"]} == {
        ("lost_reach", "甲村"), ("lost_in_village", "甲村"), ("unreadable", "乙村"), ("readable_again", "丙村")}
    assert data["counts"]["removed"] == 0 and data["counts"]["added"] == 0 and data["counties"] == {}
    table = invoke("changes", "--history", history).stdout
    assert "本期无法读取" in table and "恢复可读" in table and "台账移出" in table  # (the column, at 0)


# Five counties, every one with its register, but 杞县 sends nothing as of 2021-11-30. 祥符区's 甲村 is reached
# from 2021-09-01, 乙村 from 2021-11-15, 丙村 from 2021-12-20, 丁村 never; the other counties' villages never.
# Reach rate: 2021-10-31 1/8 = 12.5%; 2021-11-30 (杞县 missing) 2/7 = 28.6%; 2021-12-31 3/8 = 37.5%.
FIVE = f"""{HEADER}
祥符区,城关镇,甲村,410212100200,900,2,否,,是,2021-09-01,
祥符区,城关镇,乙村,410212100201,900,2,否,,是,2021-11-15,
祥符区,城关镇,丙村,410212100202,900,2,否,,是,2021-12-20,
祥符区,城关镇,丁村,410212100203,900,2,否,,否,,
杞县,城关镇,某村,410221100200,900,2,否,,否,,
通许县,城关镇,某村,410222100200,900,2,否,,否,,
尉氏县,城关镇,某村,410223100200,900,2,否,,否,,
兰考县,城关镇,某村,410225100200,900,2,否,,否,,
"""


def test_trend_marks_a_month_a_county_sent_nothing_and_never_projects_from_it(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    history = tmp_path / "h.sqlite"
    without_qixian = "".join(line for line in FIVE.splitlines(keepends=True) if not line.startswith("杞县"))
    for text, as_of in ((FIVE, "2021-10-31"), (without_qixian, "2021-11-30"), (FIVE, "2021-12-31")):
        done = invoke("export", "--villages", write(tmp_path, text, f"{as_of}.csv"), "--history", history, "--out",
                      tmp_path / "out", "--as-of", as_of, "--divisions", "none", "--formats", "json")
        assert done.exit_code == 0, done.output
    result = invoke("trend", "--history", history, "--chart", tmp_path / "t.svg")
    assert result.exit_code == 0, result.output
    rows = {line.split("│")[1].strip(): line for line in result.stdout.splitlines() if line.startswith("│ 2021-")}
    assert "28.6%" in rows["2021-11-30"] and "部分县区未报送：杞县" in rows["2021-11-30"]
    assert "未报送" not in rows["2021-10-31"] and "未报送" not in rows["2021-12-31"]
    # two complete as-of dates are too few to project: the month 杞县 was missing is not the third
    line = next(x for x in result.stdout.splitlines() if "全市行政村通达率100%" in x)
    assert "数据不足" in line
    svg = (tmp_path / "t.svg").read_text(encoding="utf-8")
    # 2021-11-30's dot of the reach and in-village rates (no village is a priority one: that rate has no dot),
    # and the legend's
    assert svg.count('fill="white" stroke=') == 2 + 1
    assert "部分县区未报送" in svg
    county = invoke("trend", "--history", history, "--county", "杞县", "--no-chart", lang="en").stdout
    assert "counties not submitted: 杞县" in county
