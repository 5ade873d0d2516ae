"""Coverage and targets on hand-built registers; every expected figure is worked out in the comments.

coverage_villages.csv (rows 2-10):       population  distance  priority?
  A 袁楼村   row 2  城关镇  code           2500        1.0      yes (population ≥ 2500, the boundary)
  B 黄龙村   row 3  城关镇  code           2499        5.0      no  (both just below: 2499, and 5.0 is not > 5)
  C 范庄村   row 4  城关镇  code            100        5.1      yes (distance)
  D 独乐岗村 row 5  城关镇  code            800        2        no  — register: 通达 = 是 since 2021-11-01
  E 西街村   row 6  陈留镇  code           3000        6        yes (both)
  F 大寺村   row 7  陈留镇  code            500        1        no  — reached only through P6's serves
  G 仓王村   row 8  陈留镇  no code         900        3        no  — P6 matched by names
  H 五里河村 row 9  杞县                   1000        1        no
  I 班村     row 10 龙亭区 (outside the rules' scope)
coverage_outlets.csv: O1 park 祥符区 2021-06-01; O2 park 杞县 2022-03-01; O3 station 城关镇 2021-05-01;
  O4 station 陈留镇 2021-05-01 closed 2022-06-30; P1 A 2021-10-01; P2 A 2021-11-15 (two points in one
  village); P3 C 2022-02-01; P4 E 2021-03-01 closed 2021-08-31; P5 E 2022-01-10; P6 G 2021-07-01 serves 大寺村.
"""

import datetime as dt
from collections.abc import Sequence
from typing import cast

import pandas as pd
import pytest
from conftest import FIXTURES, run

from kuaidi_cli.core.fields import Kind
from kuaidi_cli.measure import coverage as cov
from kuaidi_cli.measure import metrics
from kuaidi_cli.report import RulesRef, build
from kuaidi_cli.report.targets import evaluate

D2021, D2022 = dt.date(2021, 12, 31), dt.date(2022, 12, 31)
Frames = tuple[pd.DataFrame, pd.DataFrame]  # the validated village and outlet registers


@pytest.fixture(scope="module")
def frames(rules) -> Frames:
    villages = run(FIXTURES / "coverage_villages.csv", rules).frame
    outlets = run(FIXTURES / "coverage_outlets.csv", rules, Kind.OUTLETS).frame
    return villages, outlets


def status(c: cov.Coverage) -> dict[str, tuple[bool, bool, bool]]:
    # (pandas-stubs type a row's fields as any scalar: the village column holds the names)
    return {cast(str, r.village): (bool(r.priority), bool(r.in_village), bool(r.reached))
            for r in c.villages.itertuples()}


def test_village_status_at_end_2021(frames: Frames, rules):
    c = cov.compute(*frames, D2021, rules)
    # active: O1, O3, O4, P1, P2, P6 (P3, P5, O2 not yet; P4 closed 2021-08-31)
    assert status(c) == {
        "袁楼村": (True, True, True),  # A: P1 and P2
        "黄龙村": (False, False, False),  # B: the register's 是 is overruled by the outlet register
        "范庄村": (True, False, False),  # C: P3 opens only in 2022
        "独乐岗村": (False, False, True),  # D: the register's 通达 flag, dated 2021-11-01
        "西街村": (True, False, False),  # E: P4 closed on 2021-08-31, P5 opens in 2022
        "大寺村": (False, False, True),  # F: served by P6
        "仓王村": (False, True, True),  # G: P6, matched by county + township + name
        "五里河村": (False, False, False),  # H
    }
    assert c.out_of_scope == 1  # I, 龙亭区
    # (an object column of the conditions met, which pandas-stubs type as a scalar)
    reasons = cast(Sequence[str], c.villages.set_index("village").at["西街村", "priority_reasons"])
    assert list(reasons) == ["population", "distance"]


def test_village_status_before_and_after(frames: Frames, rules):
    mid_2021 = status(cov.compute(*frames, dt.date(2021, 6, 30), rules))
    # active on 2021-06-30: O1, O3, O4, P4 — only E has a point; D's flag (2021-11-01) is later; P6 is later
    assert {v for v, (_, inv, _) in mid_2021.items() if inv} == {"西街村"}
    assert {v for v, (_, _, r) in mid_2021.items() if r} == {"西街村"}
    end_2022 = status(cov.compute(*frames, D2022, rules))
    # P3 and P5 now open; O4 closed (a station, villages unaffected)
    assert {v for v, (_, inv, _) in end_2022.items() if inv} == {"袁楼村", "范庄村", "西街村", "仓王村"}
    assert {v for v, (_, _, r) in end_2022.items() if not r} == {"黄龙村", "五里河村"}


def test_city_summary_end_2021(frames: Frames, rules):
    c = cov.compute(*frames, D2021, rules)
    s = metrics.summary(c.villages, c.outlets, rules).contract()
    assert (s["villages"], s["reached"], s["in_village"], s["priority_villages"], s["priority_in_village"]) == (8, 4, 2, 3, 1)
    assert s["reach_rate"] == 4 / 8
    assert s["in_village_rate"] == 2 / 8
    assert s["priority_in_village_rate"] == 1 / 3
    # parks: O1; stations: O3, O4; points: P1, P2 (two in one village count twice as points), P6
    assert s["outlets"] == {"park": 1, "township_station": 2, "village_point": 3}
    # mode of reach: A by P1 (邮快合作, the first of its points), G and F by P6 (快商合作), D by the register
    assert {k: v for k, v in s["modes"].items() if v} == {"邮快合作": 1, "快商合作": 2, "快销合作": 1}
    counts = metrics.summary(c.villages, c.outlets, rules)
    assert counts.parts("focus_reach_rate") == (1, 2)  # population ≥ 2500: A (reached) and E (not)


def test_counties_and_townships_end_2021(frames: Frames, rules):
    c = cov.compute(*frames, D2021, rules)
    counties = {row.county: s.contract() for row, s in metrics.by_county(c, rules)}
    assert list(counties) == ["祥符区", "杞县", "通许县", "尉氏县", "兰考县"]  # the scope's order
    x = counties["祥符区"]
    assert (x["villages"], x["reached"], x["priority_villages"], x["priority_in_village"]) == (7, 4, 3, 1)
    assert x["outlets"] == {"park": 1, "township_station": 2, "village_point": 3}
    q = counties["杞县"]
    assert (q["villages"], q["reached"], q["reach_rate"], q["priority_in_village_rate"]) == (1, 0, 0.0, None)
    for empty in ("通许县", "尉氏县", "兰考县"):  # in scope, no village in the register
        e = counties[empty]
        assert (e["villages"], e["reach_rate"], e["priority_in_village_rate"], e["in_village_rate"]) == (0, None, None, None)
    townships = {(row.county, row.township): s.contract() for row, s in metrics.by_township(c, rules)}
    cg = townships[("祥符区", "城关镇")]  # A B C D
    assert (cg["villages"], cg["reached"], cg["priority_villages"], cg["priority_in_village"]) == (4, 2, 2, 1)
    assert cg["outlets"] == {"park": 0, "township_station": 1, "village_point": 2}  # the park has no township
    cl = townships[("祥符区", "陈留镇")]  # E F G (G without a code lands in the same township)
    assert (cl["villages"], cl["reached"], cl["in_village"]) == (3, 2, 1)
    assert cl["outlets"] == {"park": 0, "township_station": 1, "village_point": 1}


def test_register_flags_without_outlet_register(frames: Frames, rules):
    villages, _ = frames
    c = cov.compute(villages, None, D2021, rules)
    # B: 驻村设点 = 是 since 2021-05-01; A: 否; D: 通达 = 是 since 2021-11-01
    assert {v for v, (_, inv, _) in status(c).items() if inv} == {"黄龙村"}
    assert {v for v, (_, _, r) in status(c).items() if r} == {"黄龙村", "独乐岗村"}
    s = metrics.summary(c.villages, c.outlets, rules).contract()
    assert s["outlets"] == {"park": 0, "township_station": 0, "village_point": 0}
    assert {k: v for k, v in s["modes"].items() if v} == {"unspecified": 1, "快销合作": 1}
    assert c.findings == []
    early = cov.compute(villages, None, dt.date(2021, 4, 30), rules)
    assert not early.villages["in_village"].any()  # B's date is later


def test_the_registers_disagree(frames: Frames, rules):
    c = cov.compute(*frames, D2021, rules)
    # A: register 否, outlet register has P1; B: register 是, no point. Others leave the column empty.
    assert {(f.code, f.row) for f in c.findings} == {("in-village-disagrees", 2), ("in-village-disagrees", 3)}


def test_unknown_villages_in_the_outlet_register(tmp_path, frames: Frames, rules):
    villages, _outlets = frames
    extra = (FIXTURES / "coverage_outlets.csv").read_text(encoding="utf-8") + \
        "P7,幽灵村服务点,村级服务点,祥符区,城关镇,幽灵村,,邮快合作,,2021-01-01,,不存在村\n"
    path = tmp_path / "o.csv"
    path.write_text(extra, encoding="utf-8")
    o = run(path, rules, Kind.OUTLETS).frame
    c = cov.compute(villages, o, D2021, rules)
    codes = {(f.code, f.row, f.value) for f in c.findings if f.code != "in-village-disagrees"}
    assert codes == {("outlet-village-unknown", 12, "幽灵村"), ("serves-unknown", 12, "不存在村")}
    # still an active point of 城关镇: counted as an outlet, but it makes no village in-village
    assert metrics.summary(c.villages, c.outlets, rules).contract()["outlets"]["village_point"] == 4
    assert metrics.summary(c.villages, c.outlets, rules).contract()["in_village"] == 2


def targets_at(frames: Frames, rules, when):
    c = cov.compute(*frames, when, rules)
    s = metrics.summary(c.villages, c.outlets, rules)
    return {t.id: (r.status, r.value, r.gap) for t in rules.targets for r in [evaluate(t, s, when)]}


def test_targets_end_2021(frames: Frames, rules):
    got = targets_at(frames, rules, D2021)
    assert got == {
        "focus-2500": ("info", 0.5, 1),  # 1 of 2; info targets never fail
        "coverage-80": ("missed", 0.5, 3),  # ceil(0.80 × 8) = 7 (6.4 up), 7 − 4 = 3
        "priority-in-village-100": ("missed", 1 / 3, 2),  # 3 − 1
        "reach-85": ("missed", 0.5, 3),  # ceil(0.85 × 8) = 7 (6.8 up), 7 − 4 = 3
        "reach-100": ("pending", 0.5, 4),  # due 2022-12-31
        "parks-5": ("pending", 1.0, 4),
        "township-stations-79": ("pending", 2.0, 77),
        "village-points-2129": ("pending", 3.0, 2126),
    }


def test_targets_end_2022(frames: Frames, rules):
    got = targets_at(frames, rules, D2022)
    # reached: A C D E F G = 6 of 8; priority in village: A C E = 3 of 3
    # parks O1 O2; stations O3 (O4 closed 2022-06-30); points P1 P2 P3 P5 P6
    assert got == {
        "focus-2500": ("info", 1.0, 0),
        "coverage-80": ("missed", 0.75, 1),  # 7 − 6
        "priority-in-village-100": ("met", 1.0, 0),
        "reach-85": ("missed", 0.75, 1),
        "reach-100": ("missed", 0.75, 2),
        "parks-5": ("missed", 2.0, 3),
        "township-stations-79": ("missed", 1.0, 78),
        "village-points-2129": ("missed", 5.0, 2124),
    }


def test_null_rates_have_no_data_never_met(rules, frames: Frames):
    """An empty denominator gives a null rate: no-data (never met), a failure for --fail-on once due."""
    c = cov.compute(*frames, D2021, rules)
    empty = metrics.summary(c.villages.iloc[0:0], c.outlets.iloc[0:0], rules)
    target = next(t for t in rules.targets if t.id == "priority-in-village-100")
    result = evaluate(target, empty, D2021)
    assert (result.value, result.status, result.gap) == (None, "no-data", None)  # no gap to a figure unknown
    assert result.due_missed
    before = evaluate(target, empty, dt.date(2021, 12, 30))
    assert before.status == "no-data" and not before.due_missed


def test_report_attention_and_county_targets(frames: Frames, rules):
    c = cov.compute(*frames, D2021, rules)
    report, results = build(c, rules, rules_ref=RulesRef(name="r", sha256="0" * 64), inputs=[], generated_at="t")
    # priority villages without their own outlet first (by population), then the unreached
    assert [(a.village, a.priority_reasons, a.in_village, a.reached) for a in report.attention] == [
        ("西街村", ["population", "distance"], False, False),
        ("范庄村", ["distance"], False, False),
        ("黄龙村", [], False, False),
        ("五里河村", [], False, False),
    ]
    assert [t.id for t in report.counties[0].targets] == [
        "focus-2500", "coverage-80", "priority-in-village-100", "reach-85", "reach-100"]  # rate targets only
    qixian = report.counties[1]
    assert next(t for t in qixian.targets if t.id == "priority-in-village-100").value is None
    assert [r.target.id for r in results if r.due_missed] == ["coverage-80", "priority-in-village-100"]


def test_inclusive_reading_of_5km(frames: Frames, rules):
    """"5公里以上" read as ≥ 5 km: B (2499 people, exactly 5.0 km) becomes a priority village."""
    conditions = [c.model_copy(update={"op": ">="}) if c.field == "distance_km" else c for c in rules.priority.any]
    inclusive = rules.model_copy(update={"priority": rules.priority.model_copy(update={"any": conditions})})
    c = cov.compute(*frames, D2021, inclusive)
    assert status(c)["黄龙村"][0] is True
    assert int(c.villages["priority"].sum()) == 4  # A, B, C, E


def test_code_prefixes_from_integers_are_the_codes_own_first_digits():
    # code_prefix works on the codes as integers when every code is twelve ASCII digits, else on the text;
    # both must give the text's first characters (leading zeros kept)
    import numpy as np

    from kuaidi_cli.measure.places import code_numbers, code_prefix

    ascii_codes = np.array(["410212100201", None, "000000000001", "410212100201", "650100000000"], dtype=object)
    has = np.array([c is not None for c in ascii_codes])
    numbers = code_numbers(ascii_codes, has)
    assert numbers is not None  # every code is twelve ASCII digits
    assert numbers.tolist() == [410212100201, -1, 1, 410212100201, 650100000000]
    assert code_prefix(ascii_codes, has, 6, numbers).tolist() == ["410212", None, "000000", "410212", "650100"]
    assert code_prefix(ascii_codes, has, 9, numbers).tolist() == ["410212100", None, "000000000", "410212100",
                                                             "650100000"]
    # an Arabic-Indic code (str.isdecimal accepts it): no integers, the text is sliced
    other = np.array(["410212100201", "٤١٠٢١٢١٠٠٢٠١"], dtype=object)
    assert code_numbers(other, np.array([True, True])) is None
    assert code_prefix(other, np.array([True, True]), 6, None).tolist() == ["410212", "٤١٠٢١٢"]


SERVING_OUTLETS = "服务点编号,服务点名称,层级,县区,乡镇,行政村,所在村区划代码,合作模式,合作企业,启用日期,停用日期,辐射村\n"


@pytest.mark.parametrize("arabic_indic", [False, True])
def test_serves_entries_by_code_then_township_then_a_name_unique_in_the_county(tmp_path, rules, arabic_indic):
    """An entry of 辐射村 is a village code; else a name in the outlet's township; else (no township
    given) a name that only one village of the outlet's county has. Codes are matched as integers
    when every code is twelve ASCII digits, as text otherwise (the second case: one village's code is
    in Arabic-Indic digits, which validation accepts as digits)."""
    from conftest import HEADER, write

    arabic = "٤١٠٢١٢١٠٢٢٠١"
    villages = (f"{HEADER}\n"
                "祥符区,城关镇,袁楼村,410212100201,800,1,,,,,\n"     # row 2: by its code (O1)
                "祥符区,城关镇,黄龙村,410212100202,800,1,,,,,\n"     # row 3: its name twice in 祥符区: not reached
                "祥符区,陈留镇,黄龙村,410212101201,800,1,,,,,\n"     # row 4: by name in 陈留镇 (O2)
                "祥符区,陈留镇,大寺村,410212101202,800,1,,,,,\n"     # row 5: name unique in 祥符区 (O1)
                "杞县,城郊乡,范庄村,410221100201,800,1,,,,,\n"       # row 6: by its code, full-width (O3)
                "祥符区,半坡店乡,西街村,,800,1,,,,,\n"               # row 7: no code, name unique in 祥符区 (O1)
                + (f"祥符区,仇楼镇,东村,{arabic},800,1,,,,,\n" if arabic_indic else ""))  # row 8: by its code (O3)
    outlets = (SERVING_OUTLETS
               + "O1,祥符区园区,县级园区,祥符区,,,,快快合作,,,,410212100201、大寺村、黄龙村、西街村\n"
               + "O2,陈留镇站,乡镇服务站,祥符区,陈留镇,,,快快合作,,,,黄龙村\n"
               + "O3,杞县园区,县级园区,杞县,,,,快快合作,,,,４１０２２１１００２０１、999999999999"
               + (f"、{arabic}" if arabic_indic else "") + "\n")
    v = run(write(tmp_path, villages, "v.csv"), rules).frame
    o = run(write(tmp_path, outlets, "o.csv"), rules, Kind.OUTLETS).frame
    assert len(v) == (7 if arabic_indic else 6) and len(o) == 3
    c = cov.compute(v, o, D2022, rules)
    reached = {(r.township, r.village) for r in c.villages.itertuples() if r.reached}
    expected = {("城关镇", "袁楼村"), ("陈留镇", "黄龙村"), ("陈留镇", "大寺村"), ("城郊乡", "范庄村"), ("半坡店乡", "西街村")}
    assert reached == (expected | {("仇楼镇", "东村")} if arabic_indic else expected)
    assert {(f.code, f.row, f.value) for f in c.findings} == {
        ("serves-unknown", 2, "黄龙村"), ("serves-unknown", 4, "999999999999")}


@pytest.mark.parametrize("as_integers", [True, False])
def test_a_code_in_serves_names_the_first_village_with_it(as_integers):
    # validated registers never hold a code twice; should a frame do, the first village has it (as for
    # an outlet's own village) rather than an error
    import numpy as np

    from kuaidi_cli.measure.places import Places, code_positions

    villages = pd.DataFrame({"county": ["祥符区"] * 3, "township": ["城关镇"] * 3, "village": ["袁楼村", "黄龙村", "范庄村"],
                             "code": ["410212100201", "410212100201", "410212100202"]})
    outlets = pd.DataFrame({"county": ["祥符区"], "township": ["城关镇"], "village": ["独乐岗村"],
                            "village_code": ["410212100203"]})
    places = Places(villages, outlets)
    assert places.n == 3 and places.has.all() and places.numbers is not None  # twelve ASCII digits each
    if not as_integers:
        places.numbers = None  # what codes that are not twelve ASCII digits give: the text is looked up
    # the fourth code is an outlet's (row 3 of places is not a village); "abc" and a 13-digit text are no code
    entries = np.array(["410212100202", "410212100201", "abc", "4102121002010", "410212100203"], dtype=object)
    assert code_positions(places, entries).tolist() == [2, 0, -1, -1, -1]


@pytest.mark.parametrize("reverse", [False, True])
def test_a_village_with_several_modes_takes_the_first_in_the_rules_order_whatever_the_row_order(
        tmp_path, rules, reverse):
    """袁楼村 has three active points: no mode, 快快合作, 交快合作 → 交快合作 (before 快快合作 in the rules).
    黄龙村 has no point; two outlets serve it: 快销合作 (S1) and 快商合作 (S2) → 快商合作. 范庄村 has a
    point without a mode, so the serving outlets' decide: 快商合作 (S2) and 邮快合作 (S3) → 邮快合作. The
    same with the outlet rows in reverse order."""
    from conftest import HEADER, write

    villages = (f"{HEADER}\n"
                "祥符区,城关镇,袁楼村,410212100201,800,1,,,,,驻村设点\n"
                "祥符区,城关镇,黄龙村,410212100202,800,1,,,,,\n"
                "祥符区,城关镇,范庄村,410212100203,800,1,,,,,\n")
    rows = ["P1,袁楼村点1,村级服务点,祥符区,城关镇,袁楼村,410212100201,,,,,",
            "P2,袁楼村点2,村级服务点,祥符区,城关镇,袁楼村,410212100201,快快合作,,,,",
            "P3,袁楼村点3,村级服务点,祥符区,城关镇,袁楼村,410212100201,交快合作,,,,",
            "S1,城关镇站,乡镇服务站,祥符区,城关镇,,,快销合作,,,,黄龙村",
            "S2,城关镇二站,乡镇服务站,祥符区,城关镇,,,快商合作,,,,黄龙村、范庄村",
            "P4,范庄村点,村级服务点,祥符区,城关镇,范庄村,410212100203,,,,,",
            "S3,城关镇三站,乡镇服务站,祥符区,城关镇,,,邮快合作,,,,范庄村"]
    if reverse:
        rows.reverse()
    v = run(write(tmp_path, villages, "v.csv"), rules).frame
    o = run(write(tmp_path, SERVING_OUTLETS + "\n".join(rows) + "\n", "o.csv"), rules, Kind.OUTLETS).frame
    assert len(o) == 7
    c = cov.compute(v, o, D2022, rules)
    assert dict(zip(c.villages["village"], c.villages["mode"], strict=True)) == {
        "袁楼村": "交快合作", "黄龙村": "快商合作", "范庄村": "邮快合作"}
