"""Checks against the official division list (2021 edition), on registers written here by hand."""

import csv
import datetime as dt
import io

import pytest
from conftest import FIXTURES, ROOT, SAMPLES

from kuaidi_cli.commands import inputs
from kuaidi_cli.commands import report as reporting
from kuaidi_cli.commands.check import check
from kuaidi_cli.core import gazetteer
from kuaidi_cli.core.gazetteer import name_key, register_name
from kuaidi_cli.core.rules import load_rules

RULES, RULES_SHA = load_rules()


def _gazetteer(edition: str | None = None) -> gazetteer.Gazetteer:
    gz = gazetteer.load(RULES, edition)
    assert gz is not None  # the rules' division list (or the edition asked for)
    return gz


GZ = _gazetteer()


def test_the_2021_edition_holds_the_policy_figures():
    """The five rural units hold 2137 村委会 in 79 township-level units: the 79 of the station target."""
    villages = GZ.administrative_villages(RULES.scope.counties)
    assert len(villages) == 2137
    assert villages["township_code"].nunique() == 79
    assert _gazetteer("2023").administrative_villages(RULES.scope.counties).shape[0] == 2064
    assert gazetteer.load(RULES, "none") is None


def test_what_a_caller_changes_in_the_division_list_the_next_caller_never_reads():
    """The editions are read once per process (cached): each load hands out frames of its own."""
    for override in (None, str(ROOT / "src/kuaidi_cli/core/divisions/4102/2021")):
        first = gazetteer.load(RULES, override)
        assert first is not None
        first.villages.loc[first.villages.index[0], "name"] = "改过的村委会"
        first.villages.drop(first.villages.index[1:], inplace=True)
        first.counties.drop(first.counties.index, inplace=True)
        first.townships["name"] = "改过的镇"
        again = gazetteer.load(RULES, override)
        assert again is not None
        assert len(again.administrative_villages(RULES.scope.counties)) == 2137
        assert "改过的村委会" not in set(again.villages["name"])
        assert len(again.counties) > 0 and "改过的镇" not in set(again.townships["name"])


def test_names_compare_without_committee_suffixes():
    assert name_key("袁楼村委会") == name_key("袁楼村民委员会") == name_key("袁楼村") == name_key("袁楼") == "袁楼"
    assert name_key("东关村村委会") == name_key("东关村") == "东关"
    assert name_key("温泉社区") == name_key("温泉居委会") == "温泉"
    assert name_key("南京巷社区居民委员会") == name_key("南京巷社区") == "南京巷"
    assert register_name("宜村庙村委会", "村委会") == "宜村庙村"
    assert register_name("南京巷社区居民委员会", "居委会") == "南京巷社区"


@pytest.fixture(scope="module")
def result():
    return check([FIXTURES / "official_villages.csv"], RULES, gazetteer=GZ)


def by_code(result, code):
    return [f for f in result.findings if f.code == code]


def test_each_finding_with_its_row_and_column(result):
    got = {(f.code, f.row, f.column) for f in result.findings if f.code not in ("missing-village", "column-empty")}
    assert got == {
        ("unknown-township", 3, "乡镇"),
        ("unknown-county", 4, "县区"),
        ("unknown-village", 5, "行政村"),
        ("code-name-mismatch", 6, "行政村"),
        ("code-division-mismatch", 7, "区划代码"),
        ("unknown-code", 8, "区划代码"),
        # row 9 writes 代砦村委会, as NBS does: counted as 代砦村 without a line
        ("old-division-name", 10, "乡镇"),
        ("not-a-village", 11, "行政村"),
        ("not-a-village", 12, "行政村"),
    }


def test_suggestions_name_the_official_spelling(result):
    msg = {f.row: f.message_zh for f in result.findings if f.row}
    assert "您是否指 陈留镇" in msg[3]
    assert "您是否指 祥符区" in msg[4]
    assert "您是否指 仓王村" in msg[5]
    assert "对应「六里庄村」" in msg[6]
    assert "该代码属于 祥符区陈留镇" in msg[7]
    assert msg[8] == "区划代码「410212100999」格式正确，但不在官方区划中（2021年）：请核对代码"  # not "不是12位…"
    assert 9 not in msg
    assert "「陈留」" in msg[10] and "陈留镇" in msg[10]
    en = next(f for f in result.findings if f.row == 5).message_en
    assert "did you mean 仓王村" in en


def test_counts_and_normalised_names(result):
    c = result.files[0].counts
    # valid: 2 (袁楼村), 9 (代砦村), 10 (南街村); invalid: rows 3-8; skipped: 11, 12 (居委会/社区)
    assert (c.rows, c.valid, c.invalid, c.not_village, c.skipped) == (11, 3, 6, 2, 2)
    frame = result.registers[0].frame
    assert sorted(frame["village"]) == ["代砦村", "南街村", "袁楼村"]
    assert set(frame["township"]) == {"城关镇", "陈留镇"}


def test_missing_villages_of_the_covered_townships(result):
    missing = by_code(result, "missing-village")
    # 城关镇 has 4 村委会: 袁楼 (code), 黄龙 and 范庄 (named, even on invalid rows) are there; 独乐岗 is not.
    # 陈留镇 has 28: 200 西街, 201 大寺, 204, 205, 206, 207 by code and 203 毛儿岗 by name are there — 21 are not,
    # among them 202 仓王村, which row 5 misspells without a code.
    assert len(missing) == 1 + 21
    values = {f.value for f in missing}
    assert "独乐岗村（410212100203）" in values and "仓王村（410212101202）" in values
    assert "西街村（410212101200）" not in values
    assert all(f.severity == "warning" for f in missing)
    # both languages say where the missing village is: its county and its township
    (duleigang,) = [f for f in missing if f.value == "独乐岗村（410212100203）"]
    assert "祥符区" in duleigang.message("en") and "城关镇" in duleigang.message("en")
    assert "祥符区" in duleigang.message("zh") and "城关镇" in duleigang.message("zh")


def _edited_samples(tmp_path):
    """The samples less 袁楼村, with 黄龙村 misspelled (code kept), and a 社区 added."""
    with (SAMPLES / "villages.csv").open(encoding="utf-8-sig") as fh:
        rows = list(csv.reader(fh))
    header, body = rows[0], rows[1:]
    body = [r for r in body if r[3] != "410212100200"]
    for r in body:
        if r[3] == "410212100201":
            r[2] = "黄笼村"
    body.append(["祥符区", "城关镇", "温泉社区", "410212100001", "3000", "0.5", "是", "2021-05-01", "是", "2021-05-01",
                 "邮快合作"])
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows([header, *body])
    path = tmp_path / "villages.csv"
    path.write_text(buf.getvalue(), encoding="utf-8")
    return path, len(body) + 1  # the 社区 is the last row


def test_the_three_edits_are_exactly_what_check_reports(tmp_path):
    path, last_row = _edited_samples(tmp_path)
    got = check([path], RULES, gazetteer=GZ)
    assert sorted((f.code, f.row, f.value) for f in got.findings) == sorted([
        ("missing-village", None, "袁楼村（410212100200）"),
        ("code-name-mismatch", 2, "黄笼村"),  # 黄龙村 was row 3; with 袁楼村 (row 2) gone it is row 2
        ("not-a-village", last_row, "温泉社区"),
    ])


def test_universe_gazetteer_lowers_the_reach_rate(tmp_path):
    path, _ = _edited_samples(tmp_path)
    registers = inputs.Registers([path], [SAMPLES / "outlets.csv"], None, "flags")
    day = dt.date(2021, 12, 31)
    over_register, context = reporting.run(registers, RULES, RULES_SHA, day, gazetteer=GZ)
    over_official, _ = reporting.run(registers, RULES, RULES_SHA, day, gazetteer=GZ, universe="gazetteer")
    # The samples reach 1799 of 2137 at the end of 2021, 袁楼村 (point since 2021-10-04) and 黄龙村 (since
    # 2021-12-08) among them. Without them the register holds 2135 valid villages, 1797 reached; over the
    # official list both count again, as not reached: 1797 of 2137.
    assert (over_register.summary.villages, over_register.summary.reached) == (2135, 1797)
    assert (over_official.summary.villages, over_official.summary.reached) == (2137, 1797)
    assert over_official.summary.reach_rate is not None and over_register.summary.reach_rate is not None
    assert over_official.summary.reach_rate < over_register.summary.reach_rate
    assert context.reference is not None
    assert context.reference.lacking == 1 and context.reference.townships == 79


def test_a_row_skipped_as_no_village_carries_no_error(tmp_path):
    """Row 3 is a 居委会 with a population that is no number: skipped with its not-a-village warning, and
    no error to fix on a row kuaidi does not count."""
    from conftest import HEADER, write

    text = (f"{HEADER}\n祥符区,城关镇,袁楼村,410212100200,1571,7.9,是,2021-10-04,是,2021-08-21,邮快合作\n"
            "祥符区,城关镇,南京巷社区居民委员会,,abc,1,否,,否,,\n")
    result = check([write(tmp_path, text)], RULES, gazetteer=GZ)
    assert {(f.code, f.row) for f in result.findings if f.row == 3} == {("not-a-village", 3)}
    assert result.exit_code == 0
