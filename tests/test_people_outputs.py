"""The page and the CSV as a person reads and prints them (issue 16): target lines named by kind and date,
not by the rules' ids; a list shown whole says so; print styles; a county's page and CSV with its
townships."""

from __future__ import annotations

from typer.testing import CliRunner

from kuaidi_cli.cli import app

# the outputs of the samples' reports as of 2021-12-31, by format and options: each written once in a
# process and read by every test that asks for it (a report of the samples takes seconds)
_WRITTEN: dict[tuple[str, ...], bytes] = {}


def written(tmp_path, fmt: str, *args: str) -> bytes:
    if (fmt, *args) not in _WRITTEN:
        out = tmp_path / f"written.{fmt}"
        result = CliRunner().invoke(app, ["report", "--samples", "--as-of", "2021-12-31", "-o", str(out), *args])
        assert result.exit_code == 0, result.output
        _WRITTEN[(fmt, *args)] = out.read_bytes()
    return _WRITTEN[(fmt, *args)]


def page(tmp_path, *args: str) -> str:
    return written(tmp_path, "html", *args).decode("utf-8")


def workbook(tmp_path, *args: str):
    import io

    import openpyxl

    return openpyxl.load_workbook(io.BytesIO(written(tmp_path, "xlsx", *args)))


def test_the_city_page(tmp_path):
    html = page(tmp_path)
    # rules/targets.yaml: reach_rate targets 80% (必达, 2021-12-31), 85% (力争, 2021-12-31), 100% (必达, 2022-12-31)
    for line in ("80% 必达 2021-12-31", "85% 力争 2021-12-31", "100% 必达 2022-12-31"):
        assert line in html
    assert "% reach-100" not in html and "% coverage-80" not in html  # (the target table keeps the id, small)
    assert "@media print" in html and "size:A4 landscape" in html
    assert "生成于" in html and "generated" not in html
    # beside the count targets, what the 2021 official list of the five counties holds, as the terminal shows
    # it: counted in the reference's by_year/2021 files, 2137 村委会 in 79 townships that hold one
    assert "区划中有 79 个乡镇级单位（2021年）" in html and "区划中有 2137 个村委会（2021年）" in html


def test_a_county_page_has_its_townships_and_a_whole_list_says_so(tmp_path):
    html = page(tmp_path, "--county", "祥符区")
    assert "<h2>分乡镇</h2>" in html
    # its charts compare its townships (城关镇 among them), under 分乡镇; a city's compare its counties
    import re

    bars = re.findall(r'<rect class="bar"[^>]*><title>(\S+) ', html)
    assert "城关镇" in bars and "祥符区" not in bars
    assert html.index('<div class="charts">') > html.index("<h2>分乡镇</h2>")
    city = re.findall(r'<rect class="bar"[^>]*><title>(\S+) ', page(tmp_path))
    assert city[:2] == ["祥符区", "杞县"] and "城关镇" not in city
    two = re.findall(r'<rect class="bar"[^>]*><title>(\S+) ', page(tmp_path, "--county", "祥符区", "--county", "杞县"))
    assert two == ["祥符区", "杞县"] * 2  # two counties: their bars in each chart, not their 35 townships'
    assert "待整改村（共" in html and "前" not in html.split("待整改村（共")[1][:10]


def test_a_county_csv_lists_its_townships():
    """The samples' 祥符区 has 城关镇 among its townships; its 合计 is the county's."""
    import csv
    import io
    import json

    runner = CliRunner()
    args = ["report", "--samples", "--as-of", "2021-12-31", "--county", "祥符区"]
    text = runner.invoke(app, [*args, "--format", "csv"]).stdout_bytes.decode("utf-8-sig")
    mark, *rows = list(csv.reader(io.StringIO(text)))  # (first, the line that says the samples are synthetic)
    summary = json.loads(runner.invoke(app, [*args, "--format", "json"]).stdout)["summary"]
    assert mark[0].startswith("【示例数据】")
    assert rows[0][:3] == ["县区", "乡镇", "行政村"]
    assert ["祥符区", "城关镇"] in [r[:2] for r in rows[1:]]
    assert rows[-1][:3] == ["合计", "", str(summary["villages"])]


def test_an_english_workbook_has_english_sheet_names(tmp_path):
    import openpyxl

    out = tmp_path / "r.xlsx"
    result = CliRunner().invoke(app, ["report", "--samples", "--as-of", "2021-12-31", "--lang", "en", "-o", str(out)])
    assert result.exit_code == 0, result.output
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == ["Summary", "Counties", "Townships", "Submissions", "Attention", "Findings", "About"]
    heads = [c.value for c in book["Summary"][4]]
    assert len(heads) == len(set(heads)) and "Target value" in heads


def test_every_printed_page_names_its_sheet_scope_and_date(tmp_path):
    import openpyxl

    out = tmp_path / "r.xlsx"
    assert CliRunner().invoke(app, ["report", "--samples", "--as-of", "2021-12-31", "--county", "祥符区",
                                    "-o", str(out)]).exit_code == 0
    book = openpyxl.load_workbook(out)
    for name in ("汇总", "分县区", "分乡镇", "报送情况", "待整改村", "数据问题"):
        sheet = book[name]
        header = sheet.oddHeader.center.text or ""
        assert "祥符区" in header and "截至2021年12月31日" in header, (name, header)
        assert sheet.print_title_rows == "$4:$4" and sheet.page_setup.paperSize == 9
        assert sheet.oddFooter.center.text == "&P / &N"
    about = book["说明"]  # one A4 page wide, portrait, with the same header and footer
    assert "祥符区" in (about.oddHeader.center.text or "") and "截至2021年12月31日" in about.oddHeader.center.text
    assert about.oddFooter.center.text == "&P / &N" and about.page_setup.paperSize == 9
    assert (about.page_setup.fitToWidth or 1) == 1 and about.page_setup.fitToHeight == 0  # (1 is the default: not written)
    assert about.sheet_properties.pageSetUpPr.fitToPage


def test_the_findings_sheet_says_what_each_finding_is_and_where(tmp_path):
    """The samples as of 2021-12-31: the 驻村设点 of a few villages disagrees with the outlet register
    (in-village-disagrees, about the village's row), beside findings about a cell or no row."""

    from kuaidi_cli.core.findings import CATALOGUE
    from kuaidi_cli.write.finding_titles import FINDING_TITLES

    assert set(FINDING_TITLES) == set(CATALOGUE)  # every code has its words
    rows = list(workbook(tmp_path)["数据问题"].iter_rows(min_row=5, values_only=True))
    rows = [r for r in rows if r[7]]
    assert rows and not {r[5] for r in rows} & set(CATALOGUE)  # no code on the sheet
    assert all(r[3] for r in rows)  # the column, "（整行）" or "—": never an empty cell
    disagree = [r for r in rows if r[5] == "驻村设点与服务点台账不一致"]  # a finding about the village's row
    assert disagree and all(r[3] == "（整行）" and r[4] and r[7].startswith(f"「{r[4]}」") for r in disagree)


def _nearly_all_reached(tmp_path):
    """2000 villages of 祥符区 (three townships of 900, 900, 200), all reached but 村2000: a reach rate of
    1999 / 2000 = 99.95%, which a plain rounding to one decimal would show as 100.0%."""
    from conftest import HEADER, write

    rows = [HEADER]
    for i in range(2000):
        town = i // 900
        rows.append(f"祥符区,第{town + 1}镇,村{i + 1},410212{101 + town:03d}{i % 900 + 1:03d},900,2,否,,"
                    f"{'否' if i == 1999 else '是'},,")
    return write(tmp_path, "\n".join(rows) + "\n", "祥符区.csv")


def test_a_rate_just_short_of_100_percent_never_shows_as_100(tmp_path):
    import csv
    import io

    import openpyxl

    register = _nearly_all_reached(tmp_path)
    args = ["report", "--villages", str(register), "--divisions", "none", "--as-of", "2022-12-31"]
    runner = CliRunner()
    rows = list(csv.reader(io.StringIO(runner.invoke(app, [*args, "--format", "csv"]).stdout_bytes
                                       .decode("utf-8-sig"))))
    assert rows[1][:4] == ["祥符区", "2000", "1999", "99.9%"]
    table = runner.invoke(app, [*args, "--lang", "en"], env={"COLUMNS": "200"}).stdout
    county = [line for line in table.splitlines() if "祥符区" in line and " 1999 " in line]  # its figures
    assert county and all("99.9%" in line and "100.0%" not in line for line in county)
    out = tmp_path / "r.xlsx"
    assert runner.invoke(app, [*args, "-o", str(out)]).exit_code == 0
    cell = openpyxl.load_workbook(out)["分县区"]["E5"]
    assert cell.value == 0.9995 and cell.number_format == '[>=1]0.0%;[>=0.9995]"99.9%";0.0%'


def test_the_csv_gives_rates_as_percentages():
    """The samples' 祥符区 as of 2021-12-31, recounted with the csv module (conftest.recount)."""
    from conftest import recount

    runner = CliRunner()
    text = runner.invoke(app, ["report", "--samples", "--as-of", "2021-12-31", "--format", "csv"]).stdout_bytes
    xiangfu = next(r for r in text.decode("utf-8-sig").splitlines() if r.startswith("祥符区,")).split(",")
    counted = recount("2021-12-31", "祥符区")
    assert xiangfu[1:3] == [str(counted["villages"]), str(counted["reached"])]
    assert xiangfu[3] == f"{round(counted['reached'] / counted['villages'] * 100, 1)}%"


def test_a_long_source_gets_a_row_tall_enough_for_its_wrapped_lines(tmp_path):
    """汇总's 依据 of 重点村驻村设点率100% (rules/targets.yaml: 二、（四）"2021年底前，2500人以上的行政村和距离镇驻地
    5公里以上的行政村驻村设点率达到100%", 44 Chinese characters) is wider than its column and wraps to two
    lines: its row is two lines tall (a spreadsheet does not grow it); a short source keeps one line."""

    sheet = workbook(tmp_path)["汇总"]
    rows = {sheet.cell(r, 2).value: r for r in range(5, sheet.max_row + 1)}
    assert sheet.cell(rows["重点村驻村设点率100%"], 9).alignment.wrap_text
    assert sheet.row_dimensions[rows["重点村驻村设点率100%"]].height >= 30
    assert (sheet.row_dimensions[rows["全市行政村通达率力争85%"]].height or 15) == 15  # (15: the default, not written)
    # beside a count target, what the official list holds (as the terminal says it): 79 township-level units
    assert "79" in sheet.cell(rows["乡镇级电商快递服务站79个"], 10).value


def test_every_page_shows_what_the_terminal_shows(tmp_path):
    """For the city, a county and a township: each line of the terminal report outside its tables (section
    titles, notes, the footer) is on the page too, and each table's title is a heading of the page. (The
    attention list's title differs by its cap, 20 lines on a terminal, 200 on a page; the generation time
    by the second.)"""
    import html as html_module
    import re

    runner = CliRunner()
    for scope in ([], ["--county", "祥符区"], ["--township", "陈留镇"], ["--county", "祥符区", "--lang", "en"]):
        args = ["report", "--samples", "--as-of", "2021-12-31", *scope]
        terminal = runner.invoke(app, args, env={"COLUMNS": "250"}).stdout
        page_text = html_module.unescape(re.sub(r"<[^>]+>", "\n", page(tmp_path, *scope)))
        said = [line.strip() for line in terminal.splitlines()
                if line.strip() and line.strip()[0] not in "│┃┏┡└├╇┗━┌┢╰╭"]
        said = [line for line in said if not line.startswith(("待整改村", "生成于", "Villages needing", "generated"))]
        assert len(said) >= 10, said
        missing = [line for line in said if line not in page_text]
        assert not missing, (scope, missing)


def test_a_townships_report_has_no_county_row_of_its_figures(tmp_path):
    """--township 陈留镇: the county table would show 陈留镇's 28 villages in a row named 祥符区, read as the
    county's: it is left out of the terminal, the page and the workbook (its 分乡镇 row stays)."""
    import openpyxl

    args = ["report", "--samples", "--as-of", "2021-12-31", "--township", "陈留镇"]
    terminal = CliRunner().invoke(app, args, env={"COLUMNS": "200"}).stdout
    assert "分县区" not in terminal and "分乡镇" in terminal
    html = page(tmp_path, "--township", "陈留镇")
    assert "<h2>分县区</h2>" not in html and "<h2>分乡镇</h2>" in html
    out = tmp_path / "t.xlsx"
    assert CliRunner().invoke(app, [*args, "-o", str(out)]).exit_code == 0
    assert "分县区" not in openpyxl.load_workbook(out).sheetnames


def test_the_page_names_targets_in_words_only(tmp_path):
    """No rule id (reach-100, coverage-80) on the page people read; the JSON keeps them."""
    html = page(tmp_path)
    assert not any(i in html for i in ("reach-100", "coverage-80", "focus-2500", "parks-5"))
