"""Properties of coverage over random registers: rates stay in [0, 1], reach covers in-village, and the
figures do not depend on row order, column order or the file format the register was saved in."""

import csv
import datetime as dt
import io
import random
import tempfile
from pathlib import Path

from conftest import examples
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kuaidi_cli.check import validate
from kuaidi_cli.core.fields import Kind
from kuaidi_cli.core.rules import load_rules
from kuaidi_cli.measure import coverage as cov
from kuaidi_cli.read import load
from kuaidi_cli.report import RulesRef, build

RULES = load_rules()[0]
V_HEADER = ["县区", "乡镇", "行政村", "区划代码", "人口数(人)", "距乡镇驻地距离(公里)", "是否驻村设点", "设点时间", "是否通达",
            "通达时间", "合作模式"]
O_HEADER = ["服务点编号", "层级", "县区", "乡镇", "行政村", "所在村区划代码", "合作模式", "启用日期", "停用日期", "辐射村"]
COUNTIES = {"祥符区": "410212", "杞县": "410221"}
TOWNS = ["城关镇", "陈留镇", "五里河镇"]
DATES = ["", "2021-03-01", "2021-09-30", "2021年12月", "2022-06-15", "44469", "明年"]
LEVELS = ["村级服务点", "乡镇服务站", "县级园区"]


@st.composite
def registers(draw):
    n = draw(st.integers(0, 14))
    villages, names = [], []
    for i in range(n):
        county = draw(st.sampled_from(list(COUNTIES)))
        town = draw(st.sampled_from(TOWNS))
        name = f"村{i}"  # unique: no duplicate villages, so row order cannot choose which row counts
        code = f"{COUNTIES[county]}{100 + TOWNS.index(town)}{200 + i:03d}" if draw(st.booleans()) else ""
        villages.append([county, town, name, code, draw(st.sampled_from(["", "800", "2499", "2500", "约3000", "abc"])),
                         draw(st.sampled_from(["", "1.0", "5.0", "5.1", "12公里", "-1"])),
                         draw(st.sampled_from(["", "是", "否", "√"])), draw(st.sampled_from(DATES)),
                         draw(st.sampled_from(["", "是", "否"])), draw(st.sampled_from(DATES)),
                         draw(st.sampled_from(["", "邮快合作", "快快"]))])
        names.append((county, town, name, code))
    outlets = []
    for j in range(draw(st.integers(0, 10))):
        level = draw(st.sampled_from(LEVELS))
        county, town, name, code = draw(st.sampled_from(names)) if names else ("祥符区", "城关镇", "村0", "")
        serves = draw(st.sampled_from(["", *(x[2] for x in names[:3])]))
        outlets.append([f"O{j}", level, county, town if level != "县级园区" else "",
                        name if level == "村级服务点" else "", code if level == "村级服务点" else "",
                        draw(st.sampled_from(["", "邮快合作"])), draw(st.sampled_from(DATES[:5])),
                        draw(st.sampled_from(["", "2021-10-01", "2023-01-01"])), serves])
    as_of = draw(st.sampled_from([dt.date(2021, 6, 30), dt.date(2021, 12, 31), dt.date(2022, 12, 31)]))
    return villages, outlets, as_of


def _csv(header, rows, order=None):
    order = order or list(range(len(header)))
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow([header[i] for i in order])
    w.writerows([[r[i] for i in order] for r in rows])
    return buf.getvalue().encode("utf-8")


def _xlsx(header, rows):
    from openpyxl import Workbook

    wb = Workbook()
    wb.active.append(header)
    for r in rows:
        wb.active.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def figures(v_bytes, o_bytes, as_of, suffix=".csv"):
    with tempfile.TemporaryDirectory() as d:
        vp, op = Path(d) / f"v{suffix}", Path(d) / f"o{suffix}"
        vp.write_bytes(v_bytes)
        op.write_bytes(o_bytes)
        villages = validate([load(vp, Kind.VILLAGES)], RULES)
        outlets = validate([load(op, Kind.OUTLETS)], RULES)
    c = cov.compute(villages.frame, outlets.frame, as_of, RULES)
    report, _ = build(c, RULES, rules_ref=RulesRef(name="r", sha256="0" * 64), inputs=[], generated_at="t")
    out = report.to_json_dict()
    out["townships"] = sorted(out["townships"], key=lambda x: (x["county"], x["township"]))
    # where a village came from (file, row) moves with the rows; the figures must not
    out["attention"] = sorted(({k: v for k, v in a.items() if k not in ("file", "row")} for a in out["attention"]),
                              key=lambda x: (x["county"], x["township"], x["village"]))
    return out


SETTINGS = settings(max_examples=examples(25, quick=10), deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(registers())
def test_rates_in_range_and_reach_covers_in_village(data):
    villages, outlets, as_of = data
    if not villages:
        return
    d = figures(_csv(V_HEADER, villages), _csv(O_HEADER, outlets), as_of)
    for scope in [d["summary"], *d["counties"], *d["townships"]]:
        for rate in ("reach_rate", "priority_in_village_rate", "in_village_rate"):
            assert scope[rate] is None or 0.0 <= scope[rate] <= 1.0
        if scope["in_village"] is None:  # nothing establishes it: the outlet register holds no row of the
            continue  # scope (here: none at all) and the village register's 驻村设点 column is blank
        assert scope["reached"] is None or scope["reached"] >= scope["in_village"]
        assert scope["priority_in_village"] <= scope["priority_villages"] <= scope["villages"]
        assert scope["priority_in_village"] <= scope["in_village"]
    for t in d["targets"]:
        # a gap only to an established figure: none for no-data and incomplete
        assert (t["gap"] is None) == (t["status"] in ("no-data", "incomplete"))
        assert t["gap"] is None or t["gap"] >= 0
        assert t["status"] != "met" or t["value"] is not None


@SETTINGS
@given(registers(), st.randoms(use_true_random=False))
def test_row_and_column_order_change_nothing(data, rnd: random.Random):
    villages, outlets, as_of = data
    if not villages:
        return
    base = figures(_csv(V_HEADER, villages), _csv(O_HEADER, outlets), as_of)
    v_rows, o_rows = villages[:], outlets[:]
    rnd.shuffle(v_rows)
    rnd.shuffle(o_rows)
    v_cols, o_cols = list(range(len(V_HEADER))), list(range(len(O_HEADER)))
    rnd.shuffle(v_cols)
    rnd.shuffle(o_cols)
    shuffled = figures(_csv(V_HEADER, v_rows, v_cols), _csv(O_HEADER, o_rows, o_cols), as_of)
    for key in ("summary", "targets", "counties", "townships", "attention"):
        assert shuffled[key] == base[key], key


@settings(max_examples=examples(10, quick=4), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(registers())
def test_csv_and_xlsx_give_the_same_figures(data):
    villages, outlets, as_of = data
    if not villages:
        return
    from_csv = figures(_csv(V_HEADER, villages), _csv(O_HEADER, outlets), as_of)
    from_xlsx = figures(_xlsx(V_HEADER, villages), _xlsx(O_HEADER, outlets), as_of, ".xlsx")
    for key in ("summary", "targets", "counties", "townships", "attention"):
        assert from_xlsx[key] == from_csv[key], key
