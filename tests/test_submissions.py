"""Issue 20, item 2 (last clause): 报送情况 gives the village register and the outlet register apart — a
county that sent one and not the other never reads simply 已报送 — per county, and per township for a
county's or a township's report. The figures are counted here from the sample files with the csv
module."""

from __future__ import annotations

import csv
import datetime as dt
import json
import re
from collections import Counter
from pathlib import Path

import openpyxl
import pytest
from conftest import SAMPLES
from typer.testing import CliRunner

from kuaidi_cli.cli import app

runner = CliRunner()


def invoke(*args):
    result = runner.invoke(app, [str(a) for a in args], env={"COLUMNS": "120"})
    assert result.exit_code in (0, 1), result.output
    return result


def _rows(name: str) -> list[dict[str, str]]:
    with (SAMPLES / name).open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def _without(tmp_path, name: str, county: str):
    """The sample register `name` without the rows of `county` (written with the csv module)."""
    rows = _rows(name)
    path = tmp_path / name
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(r for r in rows if r["县区"] != county)
    return path


def _report(tmp_path, *args, html: bool = True, en: bool = True) -> tuple[dict, str, str, openpyxl.Workbook, str]:
    """JSON (parsed), the terminal text in Chinese and in English, the workbook, the page ("" for those
    not asked for: each is a run of the samples)."""
    data = json.loads(invoke("report", *args, "--format", "json").stdout)
    for fmt in ("txt", "xlsx", *(("html",) if html else ())):
        invoke("report", *args, "-o", tmp_path / f"r.{fmt}", "--force")
    if en:
        invoke("report", *args, "--lang", "en", "-o", tmp_path / "en.txt", "--force")
    return (data, (tmp_path / "r.txt").read_text(encoding="utf-8"),
            (tmp_path / "en.txt").read_text(encoding="utf-8") if en else "", openpyxl.load_workbook(tmp_path / "r.xlsx"),
            (tmp_path / "r.html").read_text(encoding="utf-8") if html else "")


def _sheet_rows(wb: openpyxl.Workbook) -> list[tuple]:
    return [r for r in wb["报送情况"].iter_rows(values_only=True)]


def _line(text: str, county: str) -> str:
    """The county's first line of 报送情况 (Submissions) in a terminal text."""
    table = re.split(r"^(?:报送情况|Submissions) *$", text, maxsplit=1, flags=re.M)[1]
    return next(line for line in table.splitlines() if f"│ {county} " in line)


def test_a_county_with_no_outlet_rows_reads_outlets_not_sent(tmp_path):
    outlets = _without(tmp_path, "outlets.csv", "尉氏县")
    data, txt, en, wb, html = _report(tmp_path, "--villages", SAMPLES / "villages.csv", "--outlets", outlets,
                                      "--as-of", "2021-12-31")
    by = {s["county"]: s for s in data["submissions"]}
    weishi = by["尉氏县"]
    assert (weishi["submitted"], weishi["rows"], weishi["valid"], weishi["invalid"]) == (True, 516, 516, 0)
    assert weishi["outlets"] == {"errors": 0, "files": [], "invalid": 0, "latest": None, "rows": 0, "sent": False,
                                 "valid": 0}
    # the other counties' outlet rows, as the file holds them
    sent = Counter(r["县区"] for r in _rows("outlets.csv"))
    for county in ("祥符区", "杞县", "通许县", "兰考县"):
        part = by[county]["outlets"]
        assert (part["sent"], part["rows"], part["valid"], part["invalid"]) == (True, sent[county], sent[county], 0)
        assert part["files"] == [str(outlets)]
    assert "服务点未报送" in _line(txt, "尉氏县") and "已报送" not in _line(txt, "尉氏县")
    assert "已报送" in _line(txt, "祥符区")
    assert "no outlet rows" in _line(en, "尉氏县")
    rows = [r for r in _sheet_rows(wb) if r[1] == "尉氏县"]
    assert [r[2:] for r in rows] == [
        ("行政村", str(SAMPLES / "villages.csv"), 516, 516, 0, 0, dt.datetime(2021, 12, 31), "服务点未报送"),  # (a date cell, up to as-of)
        ("服务点", "—", 0, 0, 0, 0, "—", "服务点未报送"),
    ]
    assert "服务点未报送" in html


def test_a_county_with_no_village_rows_reads_villages_not_sent(tmp_path):
    villages = _without(tmp_path, "villages.csv", "杞县")
    data, txt, en, wb, _ = _report(tmp_path, "--villages", villages, "--outlets", SAMPLES / "outlets.csv",
                                   "--as-of", "2021-12-31", html=False)
    qixian = {s["county"]: s for s in data["submissions"]}["杞县"]
    n = sum(r["县区"] == "杞县" for r in _rows("outlets.csv"))
    assert (qixian["submitted"], qixian["rows"], qixian["files"]) == (False, 0, [])
    part = qixian["outlets"]
    assert (part["sent"], part["rows"], part["valid"], part["invalid"], part["errors"]) == (True, n, n, 0, 0)
    assert "行政村未报送" in _line(txt, "杞县")
    assert "no village rows" in _line(en, "杞县")
    rows = [r for r in _sheet_rows(wb) if r[1] == "杞县"]
    assert [(r[2], r[4], r[5], r[9]) for r in rows] == [("行政村", 0, 0, "行政村未报送"), ("服务点", n, n, "行政村未报送")]


def test_a_county_report_gives_its_townships_submissions(tmp_path):
    data, txt, _, wb, html = _report(tmp_path, "--samples", "--county", "祥符区", "--as-of", "2021-12-31", en=False)
    villages = Counter(r["乡镇"] for r in _rows("villages.csv") if r["县区"] == "祥符区")
    outlets = Counter(r["乡镇"] for r in _rows("outlets.csv") if r["县区"] == "祥符区")
    got = {s["township"]: s for s in data["township_submissions"]}
    assert all(s["county"] == "祥符区" for s in got.values())
    # every township of the table, in its order, then the county's rows naming no township (its park)
    assert list(got) == [t["township"] for t in data["townships"]] + ["（县级或未填乡镇）"]
    assert set(got) - {"（县级或未填乡镇）"} == set(villages)
    for township, s in got.items():
        written = "" if township == "（县级或未填乡镇）" else township
        assert (s["rows"], s["valid"], s["submitted"]) == (villages[written], villages[written], bool(villages[written]))
        assert (s["outlets"]["rows"], s["outlets"]["valid"]) == (outlets[written], outlets[written])
    assert outlets[""] == 1  # 祥符区's park
    county = data["submissions"][0]
    assert sum(s["rows"] for s in got.values()) == county["rows"] == sum(villages.values())
    assert sum(s["outlets"]["rows"] for s in got.values()) == county["outlets"]["rows"] == sum(outlets.values())
    assert "祥符区分乡镇报送情况" in txt
    sheet = _sheet_rows(wb)
    start = next(i for i, r in enumerate(sheet) if r[0] == "祥符区分乡镇报送情况")
    assert sheet[start + 2][1:5] == ("城关镇", "行政村", "data/samples/villages.csv", villages["城关镇"])
    assert sheet[start + 3][1:5] == ("城关镇", "服务点", "data/samples/outlets.csv", outlets["城关镇"])
    assert "祥符区分乡镇报送情况" in html


def test_a_township_report_gives_that_township_only(tmp_path):
    data = json.loads(invoke("report", "--samples", "--township", "陈留镇", "--as-of", "2021-12-31",
                             "--format", "json").stdout)
    villages = sum(r["县区"] == "祥符区" and r["乡镇"] == "陈留镇" for r in _rows("villages.csv"))
    outlets = sum(r["县区"] == "祥符区" and r["乡镇"] == "陈留镇" for r in _rows("outlets.csv"))
    assert [(s["county"], s["township"], s["rows"], s["outlets"]["rows"]) for s in data["township_submissions"]] == [
        ("祥符区", "陈留镇", villages, outlets)]


def test_without_an_outlet_register_the_outlet_side_says_so_once(tmp_path):
    out = tmp_path / "r.txt"
    invoke("report", "--villages", SAMPLES / "villages.csv", "--as-of", "2021-12-31", "-o", out)
    data = json.loads(invoke("report", "--villages", SAMPLES / "villages.csv", "--as-of", "2021-12-31",
                             "--format", "json").stdout)
    assert all(s["outlets"] is None for s in data["submissions"])
    assert out.read_text(encoding="utf-8").count("未给服务点台账：报送情况只列行政村台账") == 1


def test_the_counted_rows_positions_in_seen_are_their_own_rows(rules, tmp_path):
    """Register.counted_at gives each counted row (the valid ones, then the uncertain ones) the position of
    its own row in `seen` (same file and row), which is how 报送情况 places it; the tally made by matching
    file, sheet and row (counted_at unknown) is the same. The sample with two rows of an unreadable code
    put in (invalid, still in `seen`) and two of an unreadable 人口 (uncertain): a shift in the positions
    would name other rows."""
    from conftest import run

    from kuaidi_cli.report.submissions import Places, _county_of_rows, _tally

    lines = (SAMPLES / "villages.csv").read_text(encoding="utf-8-sig").splitlines()
    code = lines[0].split(",").index("区划代码")
    people = lines[0].split(",").index("人口数(人)")
    bad = [",".join("BAD" if i == code else cell for i, cell in enumerate(lines[k].split(","))) for k in (3, 7)]
    for k in (5, 30):  # an unreadable 人口: uncertain rows, counted after the valid ones
        lines[k] = ",".join("很多" if i == people else cell for i, cell in enumerate(lines[k].split(",")))
    path = tmp_path / "villages.csv"
    path.write_text("\n".join(lines[:10] + bad + lines[10:]) + "\n", encoding="utf-8")
    reg = run(path, rules)
    counted = reg.counted()
    assert reg.uncertain is not None and len(reg.uncertain) > 0 and len(reg.seen) > len(counted)
    assert reg.counted_at is not None
    mine = reg.seen.iloc[reg.counted_at]
    assert mine["_row"].tolist() == counted["_row"].tolist()
    assert mine["_file"].tolist() == counted["_file"].tolist()
    place = _county_of_rows(reg.seen, Places(known=frozenset(reg.seen["county"].dropna().astype(str))))
    by_position = _tally(reg, place, reg.findings)
    reg.counted_at = None
    by_key = _tally(reg, place, reg.findings)
    assert by_position.equals(by_key)
    assert by_position["uncertain"].sum() == len(reg.uncertain) and by_position["valid"].sum() == len(counted)


@pytest.mark.parametrize(("divisions", "home"), [((), "祥符区"), (("--divisions", "none"), "杞县")])
def test_a_county_report_counts_its_submissions_as_the_city_report_does(tmp_path, divisions, home):
    """A row whose county name is no county (祥付区, a slip for 祥符区) and whose 人口 is unreadable (an
    error): 报送情况 places it by its code (410212… is 祥符区 in the official list) or, with no list, with
    the county most of its file's rows belong to (杞县, 569 of the sample's rows). The county's own report
    gives the same 报送情况 row as the city's, errors included, and keeps that row's errors among its
    findings."""
    rows = _rows("villages.csv")
    assert rows[0]["县区"] == "祥符区" and rows[0]["区划代码"].startswith("410212")
    rows[0] = {**rows[0], "县区": "祥付区", "人口数(人)": "abc"}
    path = tmp_path / "villages.csv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(rows)
    args = ("--villages", path, "--outlets", SAMPLES / "outlets.csv", "--as-of", "2025-06-30", *divisions)
    city = {s["county"]: s for s in json.loads(invoke("report", *args, "--format", "json").stdout)["submissions"]}
    expected_rows = sum(r["县区"] == home for r in rows) + 1
    assert city[home]["rows"] == expected_rows and city[home]["errors"] >= 1
    for county in city:
        part = json.loads(invoke("report", *args, "--county", county, "--format", "json").stdout)["submissions"]
        assert part == [city[county]], county
    text = invoke("report", *args, "--county", home).stdout
    assert re.search(rf"数据问题：错误 {city[home]['errors']} 条", text)


def test_a_files_header_error_counts_for_its_county_when_its_rows_are_of_one(tmp_path):
    """A file of 杞县's rows without its 乡镇 column: one missing-column error, on its header (row 1), no row
    of 杞县 counted. 报送情况 counts that error for 杞县 (all the file's rows are 杞县's); a header error of a
    file of several counties counts for none of them."""
    rows = _rows("villages.csv")
    heads = [h for h in rows[0] if h != "乡镇"]

    def write(name: str, keep) -> Path:
        path = tmp_path / name
        with path.open("w", encoding="utf-8", newline="") as fh:
            w = csv.DictWriter(fh, fieldnames=heads, extrasaction="ignore")
            w.writeheader()
            w.writerows(r for r in rows if keep(r))
        return path

    qixian = write("qixian.csv", lambda r: r["县区"] == "杞县")
    others = _without(tmp_path, "villages.csv", "杞县")
    data = json.loads(invoke("report", "--villages", others, "--villages", qixian, "--as-of", "2021-12-31",
                             "--format", "json").stdout)
    got = {s["county"]: (s["rows"], s["valid"], s["errors"]) for s in data["submissions"]}
    assert got["杞县"] == (sum(r["县区"] == "杞县" for r in rows), 0, 1)
    assert all(errors == 0 for county, (_, _, errors) in got.items() if county != "杞县")
    mixed = write("two.csv", lambda r: r["县区"] in ("杞县", "兰考县"))
    data = json.loads(invoke("report", "--villages", _without(tmp_path, "villages.csv", "杞县"), "--villages",
                             mixed, "--as-of", "2021-12-31", "--format", "json").stdout)
    assert all(s["errors"] == 0 for s in data["submissions"])


def test_the_latest_date_of_submissions_is_none_after_the_as_of_date():
    """最近日期 is the latest date of a county's rows up to the report's date, never one after it: read here
    off the sample files (设点时间, 通达时间; 启用日期, 停用日期) with the csv module."""
    as_of = "2021-12-31"

    def latest(name: str, columns: tuple[str, ...]) -> dict[str, str]:
        out: dict[str, str] = {}
        for r in _rows(name):
            for c in columns:
                if r[c] and r[c] <= as_of:  # (ISO dates: as text, in date order)
                    out[r["县区"]] = max(out.get(r["县区"], ""), r[c])
        return out

    villages = latest("villages.csv", ("设点时间", "通达时间"))
    outlets = latest("outlets.csv", ("启用日期", "停用日期"))
    assert max(r["通达时间"] for r in _rows("villages.csv")) > as_of  # (the samples do hold later dates)
    data = json.loads(invoke("report", "--samples", "--as-of", as_of, "--format", "json").stdout)
    for s in data["submissions"]:
        assert s["latest"] == villages[s["county"]] and s["outlets"]["latest"] == outlets[s["county"]]
