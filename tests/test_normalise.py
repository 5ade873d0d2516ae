import math

import numpy as np
import pandas as pd
import pytest

from kuaidi_cli.core import normalise


def one(fn, value, *args):
    values, bad = fn(pd.Series([value]), *args)
    return values.iat[0], bool(bad.iat[0])


@pytest.mark.parametrize(("text", "expected"), [
    ("2,500", 2500), ("2500人", 2500), ("２５００", 2500), ("约3000", 3000), (" 1571 ", 1571), ("1,571人", 1571),
    ("2500.0", 2500), ("3000左右", 3000), ("２，５００", 2500),
])
def test_population_forms(text, expected):
    value, bad = one(normalise.number, text, "people")
    assert (value, bad) == (expected, False)


@pytest.mark.parametrize(("text", "expected"), [
    ("5.2公里", 5.2), ("5.2km", 5.2), ("5.2 KM", 5.2), ("5.2千米", 5.2), ("800米", 0.8), ("1900m", 1.9),
    ("５.２", 5.2), ("7", 7.0),
])
def test_distance_forms(text, expected):
    value, bad = one(normalise.number, text, "km")
    assert not bad
    assert math.isclose(value, expected)


@pytest.mark.parametrize("text", ["abc", "不详", "3公里", "2500户", "1.2.3", "#DIV/0!"])
def test_bad_population(text):
    value, bad = one(normalise.number, text, "people")
    assert bad and math.isnan(value)


@pytest.mark.parametrize("text", ["", "  ", "-", "/", "—"])
def test_empty_numbers_are_not_bad(text):
    value, bad = one(normalise.number, text, "people")
    assert not bad and math.isnan(value)


@pytest.mark.parametrize(("text", "expected"), [
    ("是", True), ("否", False), ("有", True), ("无", False), ("√", True), ("×", False), ("Y", True), ("n", False),
    ("1", True), ("0", False), ("已设点", True), ("未设点", False), ("TRUE", True), ("ｙｅｓ", True),
])
def test_yes_no_forms(text, expected):
    assert one(normalise.yes_no, text) == (expected, False)


def test_yes_no_bad_and_empty():
    assert one(normalise.yes_no, "待定") == (None, True)
    assert one(normalise.yes_no, "") == (None, False)


@pytest.mark.parametrize(("text", "expected"), [
    ("2021-09-30", "2021-09-30"), ("2021/9/30", "2021-09-30"), ("2021.09.30", "2021-09-30"),
    ("2021年9月30日", "2021-09-30"), ("2021 年 9 月 30 日", "2021-09-30"), ("20210930", "2021-09-30"),
    ("2021-09-30 00:00:00", "2021-09-30"), ("２０２１-０９-３０", "2021-09-30"),
    # 44469 days after 1899-12-30 is 2021-09-30 (Excel's serial for that day)
    ("44469", "2021-09-30"), ("44469.5", "2021-09-30"),
    # month only: the last day of the month (2021 is not a leap year, so February ends on the 28th)
    ("2021年9月", "2021-09-30"), ("2021年2月", "2021-02-28"), ("2020-2", "2020-02-29"),
])
def test_date_forms(text, expected):
    value, bad = one(normalise.date, text)
    assert not bad
    assert value == pd.Timestamp(expected)


@pytest.mark.parametrize("text", ["2021-02-30", "2021-13-01", "2021", "明年", "12345", "9/30"])
def test_bad_dates(text):
    value, bad = one(normalise.date, text)
    assert bad and pd.isna(value)


def test_code_accepts_number_cells_and_rejects_scientific():
    values, bad = normalise.code(pd.Series(["410212100200", "410212100200.0", "4.10212E+11", "41021210020", ""]))
    assert list(bad) == [False, False, True, True, False]
    assert values.iat[1] == "410212100200"


def test_text_removes_all_spaces_and_full_width_forms():
    assert normalise.text(pd.Series([" 城关 镇\u3000", "（东）关村"])).tolist() == ["城关镇", "(东)关村"]


def test_items_split_on_chinese_and_ascii_separators():
    assert normalise.items(pd.Series(["中通、圆通/韵达，极兔;京东", ""])).tolist() == [
        ["中通", "圆通", "韵达", "极兔", "京东"], []]


def test_whole_column_space_test_agrees_with_the_regex_on_every_code_point():
    # _untouched decides "no whitespace" for a whole column with str.split; it must find exactly
    # the characters _SPACES finds (checked here for every Unicode code point)
    import sys

    differ = [hex(i) for i in range(sys.maxunicode + 1)
              if normalise._no_spaces(f"a{chr(i)}b") == bool(normalise._SPACES.search(f"a{chr(i)}b"))]
    assert differ == []


def test_text_of_a_column_with_one_dirty_cell_changes_only_that_cell():
    clean = [f"村{i}" for i in range(100)]
    out = normalise.text(pd.Series([*clean, "城关 镇", "ＡＢ１"], dtype=object))
    assert out.tolist() == [*clean, "城关镇", "AB1"]
    # NFKC across the joined column: a combining mark alone in its cell does not merge with the cell before
    out = normalise.text(pd.Series(["e", "\u0301", "e\u0301"] * 30, dtype=object))
    assert out.tolist()[:3] == ["e", "\u0301", "\u00e9"]


def test_distinct_spreads_per_value_results_back_to_rows_and_shares_them_with_a_subset():
    d = normalise.Distinct(pd.Series(["是", "否", "是", " 是", "-"] * 3))
    assert len(d.uniques) == 4
    assert d.spread(d.empty).tolist() == [False, False, False, False, True] * 3
    calls = []
    def count(u: pd.Series) -> np.ndarray:
        calls.append(len(u))
        return u.str.len().to_numpy()

    first = d.per_value("n", count)
    sub = d.take(d.codes != 1)
    assert sub.per_value("n", lambda u: calls.append(0)) is first and calls == [4]
    assert sub.spread(first).tolist() == [1, 1, 2, 1] * 3
    # rows with the same normal form share a code: "是" and " 是"
    codes = d.norm_codes()
    assert codes[0] == codes[3] != codes[1]


def test_codes_are_twelve_decimal_digits_only():
    values, bad = normalise.code(pd.Series(["４１０２１２１００２００", "41021210020a", "4102121002000", "n/a"]))
    assert list(bad) == [False, True, True, False]
    assert values.iat[0] == "410212100200"


def test_first_of_names_the_first_listed_row_of_each_id():
    import numpy as np

    from kuaidi_cli.core.normalise import first_of

    ids = np.array([2, 0, 2, 1, 0, 2])  # by row 0..5
    # all rows: id 0 first at row 1, id 1 at row 3, id 2 at row 0; id 3 never (-1)
    assert first_of(ids, np.arange(6), 4).tolist() == [1, 3, 0, -1]
    # only rows 2, 3, 4 count: id 2 first at row 2, id 0 at row 4
    assert first_of(ids, np.array([2, 3, 4]), 3).tolist() == [4, 3, 2]
    assert first_of(ids, np.array([], dtype=np.int64), 3).tolist() == [-1, -1, -1]


def test_row_ids_group_the_rows_equal_in_every_column():
    import numpy as np

    from kuaidi_cli.core.normalise import row_ids

    # rows 0..5 over two columns; the second is the most varied (codes up to 4)
    a = np.array([0, 0, 1, 0, 0, 1])
    b = np.array([0, 1, 2, 0, 3, 4])
    ids = row_ids([a, b], 6)
    # rows 0 and 3 are equal (0, 0); every other row is unlike all others
    assert ids[0] == ids[3]
    assert len(set(ids.tolist())) == 5
    assert ids.min() >= 0 and ids.max() < 12
    # rows sharing the varied column's value but not the other column stay apart
    assert len(set(row_ids([np.array([0, 1]), np.array([0, 0])], 2).tolist())) == 2
    assert row_ids([], 0).tolist() == []
