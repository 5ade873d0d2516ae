"""Properties of validation over random registers made of valid and broken cells."""

import csv
import io
import tempfile
from pathlib import Path

from conftest import examples
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kuaidi_cli.check import validate
from kuaidi_cli.check.schema import VillageRow
from kuaidi_cli.core.fields import Kind
from kuaidi_cli.core.findings import Severity
from kuaidi_cli.core.rules import load_rules
from kuaidi_cli.read import load

RULES = load_rules()[0]
HEADER = ["序号", "县区", "乡镇", "行政村", "区划代码", "人口数(人)", "距乡镇驻地距离(公里)", "是否驻村设点", "设点时间",
          "是否通达", "通达时间", "合作模式", "备注"]
POOLS = [
    ["1", "2", "", "x"],
    ["祥符区", "杞县", "开封县", "", "合计", "注：说明"],
    ["城关镇", "陈留镇", " 城关 镇", ""],
    ["袁楼村", "黄龙村", "范庄村", "", "小计"],
    ["410212100200", "410212100201", "4102", "", "abc", "410212100200.0"],
    ["1571", "2,500", "约3000", "２５００人", "-1", "abc", "", "150000", "2500.5"],
    ["5.2公里", "0.8", "800米", "-2", "300", "", "far"],
    ["是", "否", "√", "×", "", "也许"],
    ["2021-09-30", "2021年9月", "44469", "2021-02-30", "", "2099-01-01", "1899-01-01"],
    ["是", "否", "有", "无", "", "待定"],
    ["2021/9/30", "", "明天", "2021.09.30"],
    ["邮快合作", "快快", "", "飞鸽"],
    ["", "好", "已撤并"],
]

rows = st.lists(st.tuples(*(st.sampled_from(p) for p in POOLS)), min_size=0, max_size=25)


def _csv(data: list[tuple]) -> bytes:
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(HEADER)
    w.writerows(data)
    return buf.getvalue().encode("utf-8")


@settings(max_examples=examples(100, quick=40), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows)
def test_every_row_ends_in_exactly_one_place(data):
    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / "r.csv"
        path.write_bytes(_csv(data))
        table = load(path, Kind.VILLAGES)
        reg = validate([table], RULES)
    c = reg.files[0].counts
    assert c.rows == len(data)
    assert c.rows == c.valid + c.uncertain + c.invalid + c.skipped
    assert c.valid == len(reg.frame)
    assert c.uncertain == (0 if reg.uncertain is None else len(reg.uncertain))
    error_rows = {f.row for f in reg.findings if f.severity is Severity.ERROR and f.row is not None}
    valid_rows = set(reg.frame["_row"])
    assert not valid_rows & error_rows  # a counted row has no error
    skipped_codes = {"total-row", "note-row", "duplicate-row"}
    skipped_rows = {f.row for f in reg.findings if f.code in skipped_codes}
    assert not valid_rows & skipped_rows
    # every row that is neither valid nor blank is explained by a finding on that row
    explained = error_rows | skipped_rows
    header_row = table.header_rows[-1]
    for n, row in enumerate(data, start=header_row + 1):
        if n not in valid_rows and any(cell.strip() and not cell.isdigit() for cell in row):
            assert n in explained, (n, row)


@settings(max_examples=examples(50, quick=20), deadline=None)
@given(rows)
def test_valid_rows_satisfy_the_row_model(data):
    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / "r.csv"
        path.write_bytes(_csv(data))
        reg = validate([load(path, Kind.VILLAGES)], RULES)
    records = reg.records()
    assert len(records) == len(reg.frame)
    villages = [r for r in records if isinstance(r, VillageRow)]
    assert len(villages) == len(records)  # every one a VillageRow
    modes = {m.id for m in RULES.modes}
    assert all(r.mode is None or r.mode in modes for r in villages)
    assert len({(r.county, r.township, r.village) for r in villages}) == len(records)  # no village twice
