"""Issue 20: every total is the sum of the rows shown, a part's report holds only that part's findings,
and no rate is rounded across a target."""

from __future__ import annotations

import csv
import io
import json
import re

import openpyxl
import pytest
from conftest import HEADER, SAMPLES, write
from invariants import assert_totals_add_up
from typer.testing import CliRunner

from kuaidi_cli.cli import app
from kuaidi_cli.core.rules import load_rules
from kuaidi_cli.write.text import pct, rate_marks, shown_rate

runner = CliRunner()
WIDE = {"COLUMNS": "200"}
COUNTIES = ["祥符区", "杞县", "通许县", "尉氏县", "兰考县"]


def invoke(*args):
    result = runner.invoke(app, [str(a) for a in args], env=WIDE)
    assert result.exit_code in (0, 1), result.output
    return result


def outputs(tmp_path, *args) -> dict:
    """The report of `args` as JSON (parsed), terminal text, CSV rows, the page and the workbook."""
    out = {"json": json.loads(invoke("report", *args, "--format", "json").stdout)}
    for fmt in ("txt", "csv", "html", "xlsx"):
        invoke("report", *args, "-o", tmp_path / f"r.{fmt}", "--force")
    out["txt"] = (tmp_path / "r.txt").read_text(encoding="utf-8")
    out["csv"] = list(csv.reader(io.StringIO((tmp_path / "r.csv").read_text(encoding="utf-8-sig"))))
    out["html"] = (tmp_path / "r.html").read_text(encoding="utf-8")
    out["xlsx"] = openpyxl.load_workbook(tmp_path / "r.xlsx")
    return out


# --- totals add up --------------------------------------------------------------------------------

def _active_outlets(county: str, as_of: str) -> dict[str, int]:
    """The sample outlet register's outlets of a county active at `as_of`, by level, counted with csv."""
    with (SAMPLES / "outlets.csv").open(encoding="utf-8-sig") as fh:
        rows = [r for r in csv.DictReader(fh) if r["县区"] == county]
    active = [r for r in rows if (not r["启用日期"] or r["启用日期"] <= as_of) and not (r["停用日期"] and r["停用日期"] <= as_of)]
    return {"园区": sum("园区" in r["层级"] for r in active), "服务站": sum("服务站" in r["层级"] for r in active),
            "服务点": sum("服务点" in r["层级"] for r in active)}


def test_a_county_that_sent_outlets_but_no_villages_adds_up_in_every_output(tmp_path):
    with (SAMPLES / "villages.csv").open(encoding="utf-8-sig") as fh:
        text = "".join(line for line in fh if not line.startswith("杞县,"))
    villages = write(tmp_path, text, "villages.csv")
    out = outputs(tmp_path, "--villages", villages, "--outlets", SAMPLES / "outlets.csv", "--as-of", "2022-12-31")
    data = out["json"]
    assert_totals_add_up(data)
    qi = next(c for c in data["counties"] if c["county"] == "杞县")
    expected = _active_outlets("杞县", "2022-12-31")
    assert not qi["submitted"] and qi["villages"] == 0
    assert [qi["outlets"][k] for k in ("park", "township_station", "village_point")] == list(expected.values())
    # CSV: the rows above 合计 add up to it, column by column (a dash or an empty cell is nothing)
    head, *rows, total = out["csv"]
    assert total[0] == "合计"
    for name in ("行政村", "通达", "园区", "服务站", "服务点"):
        j = head.index(name)
        assert sum(int(r[j] or 0) for r in rows) == int(total[j]), name
    assert next(r for r in rows if r[0].startswith("杞县"))[head.index("服务点")] == str(expected["服务点"])
    # terminal: the county table's rows and its 合计 line
    table = out["txt"].split("分县区", 1)[1].split("报送情况", 1)[0]
    lines = [[c.strip() for c in line.strip().strip("│").split("│")] for line in table.splitlines()
             if line.startswith("│")]
    lines = [r for r in lines if r[1]]  # (not the second line of a wrapped name)
    body, foot = lines[:-1], lines[-1]
    assert foot[0] == "合计"
    for j in (1, 2, 9, 10, 11):  # 行政村 通达 园区 服务站 服务点
        assert sum(int(r[j]) for r in body if r[j] != "—") == int(foot[j])
    # workbook: 分县区 and 分乡镇: the rows between the header and 合计
    for sheet in ("分县区", "分乡镇"):
        ws = out["xlsx"][sheet]
        cells = [list(r) for r in ws.iter_rows(min_row=5, values_only=True)]
        body = [r for r in cells if r[0] != "合计"]
        foot = next(r for r in cells if r[0] == "合计")
        heads = [c.value for c in ws[4]]
        for name in ("行政村", "园区", "服务站", "服务点"):
            j = heads.index(name)
            assert sum(r[j] or 0 for r in body) == foot[j], (sheet, name)
    # the page: the county table's 杞县 row shows its outlets
    park = expected["园区"]
    assert re.search(r'<td>杞县（未报送）</td>(<td class="n">—</td>){8}<td class="n">' + str(park) + "</td>", out["html"])


def test_the_samples_totals_add_up_and_county_parks_are_a_row_of_their_own(tmp_path):
    data = json.loads(invoke("report", "--villages", SAMPLES / "villages.csv", "--outlets", SAMPLES / "outlets.csv",
                             "--as-of", "2022-12-31", "--format", "json").stdout)
    assert_totals_add_up(data)
    # the five parks are in no township: the township table's own row holds them (5 lines of 园区 in outlets.csv)
    assert data["townships_unassigned"]["outlets"]["park"] == 5 and data["counties_unassigned"] is None


# --- rounding never crosses a target --------------------------------------------------------------

def _register(tmp_path, xiangfu_reached: int, city_reached: int):
    """2137 villages: 祥符区 2000 (xiangfu_reached of them reached), the other four 137 (34, 34, 34, 35);
    `city_reached` reached in all."""
    rest = city_reached - xiangfu_reached
    lines, n = [HEADER], 0
    for county, size in zip(COUNTIES, (2000, 34, 34, 34, 35), strict=True):
        for i in range(size):
            hit = i < xiangfu_reached if county == "祥符区" else (rest := rest - 1) >= 0
            lines.append(f"{county},某镇,{county}{i}村,,1000,1,否,,{'是' if hit else '否'},,")
            n += 1
    assert n == 2137
    return write(tmp_path, "\n".join(lines) + "\n", "villages.csv")


@pytest.mark.parametrize(("xiangfu", "city", "xiangfu_shown", "city_shown"), [
    (1699, 1709, "84.9%", "79.9%"),  # 84.95% and 1709/2137 = 79.97%: below 85% and 80%, never shown as them
    (1700, 1710, "85.0%", "80.0%"),  # one village more: at (or just above) the targets
])
def test_a_rate_below_a_target_never_shows_the_target(tmp_path, xiangfu, city, xiangfu_shown, city_shown):
    villages = _register(tmp_path, xiangfu, city)
    out = outputs(tmp_path, "--villages", villages, "--as-of", "2021-12-31", "--divisions", "none")
    data = out["json"]
    assert data["summary"]["reach_rate"] == city / 2137  # JSON: the exact fraction
    assert next(c for c in data["counties"] if c["county"] == "祥符区")["reach_rate"] == xiangfu / 2000
    # terminal: the targets' 当前 and the county table
    assert re.search(r"全市行政村覆盖率不低于80%\s*│\s*必达\s*│\s*80\.0%\s*│\s*" + re.escape(city_shown), out["txt"])
    county_line = next(line for line in out["txt"].splitlines() if line.startswith("│ 祥符区"))
    assert county_line.split("│")[4].strip() == xiangfu_shown
    total_line = next(line for line in out["txt"].splitlines() if line.startswith("│ 合计"))
    assert total_line.split("│")[4].strip() == city_shown
    # CSV
    head, *rows = out["csv"]
    j = head.index("通达率")
    assert rows[0][j] == xiangfu_shown and rows[-1][j] == city_shown
    # the page: the county row, the 合计 row, the bar's label
    assert f'<td>祥符区</td><td class="n">2000</td><td class="n">{xiangfu}</td><td class="n">{xiangfu_shown}</td>' \
        in out["html"]
    assert f'<td class="n">{city}</td><td class="n">{city_shown}</td>' in out["html"]
    # the workbook: the exact fraction, under a format that shows it as the other outputs do
    ws = out["xlsx"]["分县区"]
    cell = ws.cell(row=5, column=5)
    assert ws.cell(row=5, column=2).value == "祥符区" and cell.value == pytest.approx(xiangfu / 2000)
    total = next(r for r in ws.iter_rows(min_row=5) if r[0].value == "合计")[4]
    assert total.value == pytest.approx(city / 2137)
    for c, shown in ((cell, xiangfu_shown), (total, city_shown)):
        if shown in ("84.9%", "79.9%"):
            assert f'"{shown}"' in c.number_format
        else:
            assert '"' not in c.number_format.split(";")[0]  # the plain 0.0% for a rate at a target
    targets = out["xlsx"]["汇总"]
    row = next(r for r in targets.iter_rows(min_row=5) if str(r[1].value).startswith("全市行政村覆盖率"))
    assert row[4].value == pytest.approx(city / 2137)
    assert (f'"{city_shown}"' in row[4].number_format) == (city_shown == "79.9%")


def test_no_displayed_rate_crosses_a_mark():
    marks = rate_marks(load_rules()[0].targets)
    assert marks == (0.8, 0.85, 1.0)
    for n in (7, 2000, 2137, 9999):
        for k in range(n + 1):
            x = k / n
            shown = shown_rate(x, marks)
            assert abs(shown - x) < 0.001
            for m in marks:
                assert (shown >= m) == (x >= m), (k, n, m)
    assert pct(1709 / 2137, marks) == "79.9%" and pct(0.8, marks) == "80.0%" and pct(1999 / 2000, marks) == "99.9%"


# --- a part's report holds the part's findings ----------------------------------------------------

def _messy_rows() -> dict[int, list[str]]:
    """The messy sample's rows by line number (GBK, a 序号 column first: 县区 is the second column)."""
    with (SAMPLES / "villages_messy.csv").open(encoding="gbk", newline="") as fh:
        return dict(enumerate(csv.reader(fh), start=1))


@pytest.mark.parametrize(("option", "name", "column"), [("--county", "通许县", 1), ("--township", "陈留镇", 2)])
def test_a_parts_workbook_lists_only_its_own_findings(tmp_path, option, name, column):
    out = tmp_path / "part.xlsx"
    invoke("report", "--villages", SAMPLES / "villages_messy.csv", "--outlets", SAMPLES / "outlets.csv",
           option, name, "--as-of", "2021-12-31", "-o", out)
    listed = [r for r in openpyxl.load_workbook(out)["数据问题"].iter_rows(min_row=5, values_only=True)]
    rows = _messy_rows()
    counties = set(COUNTIES) | {"开封县"}
    # the whole file's findings, by `check`: those on village rows of the part are all listed
    check = json.loads(invoke("check", SAMPLES / "villages_messy.csv", "--format", "json").stdout)
    ours = {(f["row"], f["code"]) for f in check["findings"]
            if f["row"] and len(rows[f["row"]]) > column and rows[f["row"]][column].replace(" ", "") == name}
    assert ours
    assert len([r for r in listed if r[0].endswith("villages_messy.csv") and r[2] in {row for row, _ in ours}]) \
        >= len({row for row, _ in ours})
    for file, _sheet, row, _column, _value, title, *_ in listed:
        # (a repeated row is skipped before it is a village row: it is still listed as about the file, a
        # known gap, see the report)
        if file.endswith("villages_messy.csv") and row is not None and title != "重复行":
            cells = rows[row]
            named = cells[1].replace(" ", "") if len(cells) > 1 else ""
            if named in counties:  # a village row: of the part, never another county's
                assert cells[column].replace(" ", "") == name, (row, cells[:4])
    assert len(listed) < 30  # was 129: every county's findings
