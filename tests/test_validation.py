"""Each kind of finding, asserted as (code, row, column) on small registers written here."""

from pathlib import Path

import numpy as np
import pandas as pd
from conftest import HEADER, examples, found, run, write
from hypothesis import given, settings
from hypothesis import strategies as st

from kuaidi_cli.core.fields import Kind

REGISTER = f"""{HEADER}
祥符区,城关镇,袁楼村,410212100200,1571,7.9,是,2021-10-04,是,2021-08-21,邮快合作
,城关镇,黄龙村,410212100201,900,6.3,是,2021-12-08,是,2021-01-31,快快合作
祥符区,城关镇,范庄村,41021210020,abc,2.1,是,2022-07-20,是,2021-12-01,快快合作
祥符区,城关镇,独乐岗村,410212100203,-5,250,也许,2021-02-30,是,,飞鸽
祥符区,陈留镇,西街村,410212101200,150000,1,否,,否,,
,,,,,,,,,,
祥符区,陈留镇,大寺村,410212100200,2500,0.8,否,,是,2022-03-31,快销合作
祥符区,城关镇,袁楼村,410212100299,1,1,否,,是,,
祥符区,城关镇,袁楼村,410212100200,1571,7.9,是,2021-10-04,是,2021-08-21,邮快合作
开封县,陈留镇,仓王村,410212101202,2499,5.0,否,,否,,
祥符区,陈留镇,毛儿岗村,410212101203,1210,5.1,是,2021-11-30,否,,
祥符区,陈留镇,六里庄村,410212101204,2500.5,3.4,否,,是,2099-01-01,
合计,,,,,"9,999",,,,,
注：数据截至2021年底,,,,,,,,,,
"""


def test_every_finding_has_its_place(tmp_path, rules):
    reg = run(write(tmp_path, REGISTER), rules)
    assert found(reg) == {
        ("missing-value", 3, "县区"),
        ("bad-code", 4, "区划代码"),
        ("bad-number", 4, "人口数(人)"),
        ("negative-value", 5, "人口数(人)"),
        ("absurd-value", 5, "距乡镇驻地距离(公里)"),
        ("bad-yes-no", 5, "是否驻村设点"),
        ("bad-date", 5, "设点时间"),
        ("bad-mode", 5, "合作模式"),
        ("priority-unknown", 5, "人口数(人)"),  # only cells of figures are wrong: counted, priority undecided
        ("absurd-value", 6, "人口数(人)"),
        ("priority-unknown", 6, "人口数(人)"),  # invalid only in 人口, 1 km: still a village, priority undecided
        ("duplicate-village", 8, "行政村"),  # same code as row 2
        ("code-prefix-disagrees", 8, "区划代码"),  # 陈留镇, but the code's township part is 城关镇's (410212100)
        ("duplicate-village", 9, "行政村"),  # same county, township and name as row 2
        ("duplicate-row", 10, None),  # row 2 again, cell for cell
        ("old-division-name", 11, "县区"),
        ("inconsistent-flags", 12, "是否通达"),
        ("bad-number", 13, "人口数(人)"),  # 2500.5 people
        ("priority-unknown", 13, "人口数(人)"),  # (3.4 km: only the population could make it a priority)
        ("absurd-value", 13, "通达时间"),  # 2099
        ("total-row", 14, None),
        ("note-row", 15, None),
    }


def test_counts_add_up(tmp_path, rules):
    reg = run(write(tmp_path, REGISTER), rules)
    c = reg.files[0].counts
    # valid: rows 2, 11, 12; uncertain (errors only in cells of figures: 人口, 距离, 是否, dates, 模式): 5, 6, 13;
    # invalid: 3 (no county), 4 (bad code), 8, 9 (repeats of row 2's village); skipped: blank 7, repeat 10,
    # total 14, note 15
    assert (c.rows, c.valid, c.uncertain, c.invalid, c.skipped) == (14, 3, 3, 4, 4)
    assert (c.blank, c.duplicate, c.total, c.note) == (1, 1, 1, 1)
    assert sorted(reg.frame["_row"]) == [2, 11, 12]
    assert reg.files[0].errors == 13  # 1 + 2 + 5 + 1 (rows 3-6), 1 + 1 (rows 8, 9), 2 (row 13)
    assert reg.files[0].warnings == 7  # rows 10, 11, 12, rows 5, 6 and 13's undecided priority, row 8's code (its township part)
    # row 6 (西街村, 150 000 people, 1 km) is invalid only in 人口: a report counts it, priority undecided
    assert reg.uncertain is not None
    assert list(reg.uncertain["_row"]) == [5, 6, 13] and reg.uncertain["population"].isna().all()


def test_messages_quote_the_value_in_both_languages(tmp_path, rules):
    reg = run(write(tmp_path, REGISTER), rules)
    bad_date = next(f for f in reg.findings if f.code == "bad-date")
    assert bad_date.value == "2021-02-30"
    assert "「2021-02-30」不是有效日期" in bad_date.message_zh
    assert "'2021-02-30' is not a valid date" in bad_date.message_en
    dup = next(f for f in reg.findings if f.code == "duplicate-village" and f.row == 8)
    assert "第2行" in dup.message_zh and "区划代码相同" in dup.message_zh
    old = next(f for f in reg.findings if f.code == "old-division-name")
    assert old.value == "开封县" and "祥符区" in old.message_zh


def test_old_name_is_counted_under_the_new_one(tmp_path, rules):
    reg = run(write(tmp_path, REGISTER), rules)
    assert reg.frame.set_index("village").at["仓王村", "county"] == "祥符区"


def test_missing_column_makes_every_row_invalid_with_one_finding(tmp_path, rules):
    text = "县区,行政村,人口\n祥符区,袁楼村,100\n祥符区,黄龙村,200\n"
    reg = run(write(tmp_path, text), rules)
    assert found(reg) == {("missing-column", 1, "乡镇")}
    c = reg.files[0].counts
    assert (c.rows, c.valid, c.invalid) == (2, 0, 2)


def test_header_only_is_an_empty_register(tmp_path, rules):
    reg = run(write(tmp_path, HEADER + "\n"), rules)
    assert found(reg) == {("empty-register", 1, None)}
    assert reg.files[0].counts.rows == 0


def test_rows_of_empty_cells_are_an_empty_register(tmp_path, rules):
    reg = run(write(tmp_path, HEADER + "\n" + ",,,,,,,,,,\n" + ", ,,,,,,,,,\n"), rules)
    assert found(reg) == {("empty-register", 1, None)}
    assert (reg.files[0].counts.rows, reg.files[0].counts.valid) == (2, 0)


def test_two_columns_for_one_field(tmp_path, rules):
    text = "县区,乡镇,行政村,户籍人口,常住人口\n祥符区,城关镇,袁楼村,1571,1400\n"
    reg = run(write(tmp_path, text), rules)
    assert ("duplicate-column", 1, "常住人口") in found(reg)
    assert reg.frame.at[0, "population"] == 1571


def test_unmapped_columns_are_named(tmp_path, rules):
    text = "序号,县区,乡镇,行政村,备注\n1,祥符区,城关镇,袁楼村,好\n"
    reg = run(write(tmp_path, text), rules)
    assert found(reg) == {("unmapped-column", 1, "序号"), ("unmapped-column", 1, "备注")}
    assert reg.files[0].counts.valid == 1


def test_serial_number_alone_is_a_blank_row(tmp_path, rules):
    text = "序号,县区,乡镇,行政村\n1,祥符区,城关镇,袁楼村\n2,,,\n3,,,\n"
    c = run(write(tmp_path, text), rules).files[0].counts
    assert (c.valid, c.blank) == (1, 2)


def test_duplicates_are_found_across_files(tmp_path, rules):
    a = write(tmp_path, f"{HEADER}\n祥符区,城关镇,袁楼村,410212100200,1571,,,,,,\n", "a.csv")
    b = write(tmp_path, f"{HEADER}\n祥符区,城关镇,黄龙村,410212100201,900,,,,,,\n祥符区,城关镇,袁楼村,410212100200,1600,,,,,,\n", "b.csv")
    reg = run([a, b], rules)
    assert found(reg) == {("duplicate-village", 3, "行政村")}
    dup = next(f for f in reg.findings if f.code == "duplicate-village")
    assert dup.file == str(b) and str(a) in dup.message_zh
    assert [f.counts.valid for f in reg.files] == [1, 1]


OUTLETS = """服务点编号,服务点名称,层级,县区,乡镇,行政村,所在村区划代码,合作模式,合作企业,启用日期,停用日期,辐射村
P1,园区,县级园区,祥符区,,,,快快合作,中通、圆通,2021-08-31,,
T1,城关镇站,乡镇服务站,祥符区,,,,邮快合作,中国邮政,2021-03-15,,
V1,袁楼村点,村级服务点,祥符区,城关镇,,,邮快合作,,2021-10-04,,
V2,黄龙村点,驿站,祥符区,城关镇,黄龙村,410212100201,,,2021-10-04,,
V3,范庄村点,村级服务点,祥符区,城关镇,范庄村,410212100202,,,2021-10-04,2021-01-01,
P1,园区二,县级园区,祥符区,,,,,,2021-09-01,,
,无编号,村级服务点,祥符区,城关镇,马庄村,,,,,,
V4,独乐岗村点,村级服务点,祥符区,城关镇,独乐岗村,410212100203,驻村设点,极兔/韵达,2021年9月,,袁楼村、黄龙村
"""


def test_outlet_findings(tmp_path, rules):
    reg = run(write(tmp_path, OUTLETS, "outlets.csv"), rules, Kind.OUTLETS)
    assert found(reg) == {
        ("missing-value", 3, "乡镇"),  # a township station needs its township
        ("missing-value", 4, "行政村"),  # a village point needs its village (or its code)
        ("bad-level", 5, "层级"),
        ("bad-date-order", 6, "停用日期"),
        ("duplicate-outlet", 7, "服务点编号"),
        ("missing-value", 8, "服务点编号"),
    }
    frame = reg.frame.set_index("outlet_id")
    assert list(frame.index) == ["P1", "V4"]
    assert frame.at["P1", "level"] == "park"
    assert frame.at["V4", "operators"] == ["极兔", "韵达"]
    assert frame.at["V4", "serves"] == ["袁楼村", "黄龙村"]
    opened = frame.at["V4", "opened"]
    assert isinstance(opened, pd.Timestamp) and str(opened.date()) == "2021-09-30"


@settings(max_examples=examples(60), deadline=None)
@given(st.lists(st.tuples(st.integers(0, 3), st.integers(0, 2), st.integers(0, 50)), max_size=40))
def test_group_ids_give_equal_rows_equal_ids(rows):
    from kuaidi_cli.core.normalise import group_ids

    cols = [np.array([r[i] for r in rows], dtype=np.int64) for i in range(3)]
    ids = group_ids(cols, len(rows))
    for i, a in enumerate(rows):
        for j, b in enumerate(rows):
            assert (ids[i] == ids[j]) == (a == b)



def test_a_repeated_row_names_the_columns_compared(tmp_path, rules):
    """Rows 2 and 3 differ only in 备注, a column kuaidi does not read: row 3 is a repeat, and the message
    says in how many columns the two are the same (the 11 of the header that kuaidi reads) and which column it
    did not compare."""
    head = HEADER + ",备注"
    register = run(write(tmp_path, f"{head}\n祥符区,城关镇,丁村,410212100203,900,2,否,,否,,,甲\n"
                                   f"祥符区,城关镇,丁村,410212100203,900,2,否,,否,,,乙\n"), rules)
    (repeat,) = [f for f in register.findings if f.code == "duplicate-row"]
    assert repeat.row == 3
    zh, en = repeat.message("zh"), repeat.message("en")
    assert "第2行" in zh and "11列" in zh and "未比较：备注" in zh
    assert "row 2" in en and "11 columns" in en and "not compared: 备注" in en


def test_a_repeated_row_is_described_by_its_own_file(tmp_path, rules):
    """Checked together: a.csv (the 11 columns, its row 3 repeating row 2), b.csv (the 11 and 联系人, 电话)
    and c.csv (5 of the columns, its row 3 repeating row 2). Each repeat names its own file's columns."""
    a = write(tmp_path, f"{HEADER}\n祥符区,城关镇,丁村,410212100203,900,2,否,,否,,\n"
                        f"祥符区,城关镇,丁村,410212100203,900,2,否,,否,,\n", "a.csv")
    b = write(tmp_path, f"{HEADER},联系人,电话\n祥符区,城关镇,甲村,410212100204,900,2,否,,否,,,张,1\n", "b.csv")
    c = write(tmp_path, "县区,乡镇,行政村,是否通达,是否驻村设点\n祥符区,城关镇,乙村,否,否\n祥符区,城关镇,乙村,否,否\n", "c.csv")
    register = run([a, b, c], rules)
    said = {Path(f.file).name: f.message("zh") for f in register.findings if f.code == "duplicate-row"}
    assert set(said) == {"a.csv", "c.csv"}
    assert "11列" in said["a.csv"] and "未比较" not in said["a.csv"]
    assert "5列" in said["c.csv"] and "未比较" not in said["c.csv"]


def test_a_header_over_totals_and_notes_only_is_an_empty_register(tmp_path, rules):
    """Under the header, a 合计 row only, or a 填表说明 note only: no village row — an error (the header
    alone is one), never a pass of 0 valid rows."""
    total = run(write(tmp_path, f"{HEADER}\n合计,,,,900,,,,,,\n", "total.csv"), rules)
    note = run(write(tmp_path, f"{HEADER}\n填表说明：是否通达填是或否,,,,,,,,,,\n", "note.csv"), rules)
    for register in (total, note):
        assert ("empty-register", 1, None) in found(register, "error")
        assert register.files[0].counts.valid == 0
