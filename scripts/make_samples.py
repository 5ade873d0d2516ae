#!/usr/bin/env python3
"""Build the sample registers in data/samples/ from the real 2021 division list of Kaifeng.

The names and codes are real (国家统计局 2021 统计用区划代码, see src/kuaidi_cli/gazetteer/4102/SOURCE.md).
Everything else — population, distance, outlet dates, modes, operators — is SYNTHETIC, drawn from a
seeded generator, so the files are the same on every run:

    python scripts/make_samples.py          # writes data/samples/*.csv

Outputs
- villages.csv        the village register (行政村台账) of the five rural units, UTF-8 with BOM
- outlets.csv         the outlet register (服务点台账): parks, township stations, village points
- villages_messy.csv  the same villages as a county office might send them: GBK, a title row, 序号,
                      subtotal and 合计 rows, blank and note rows, numbers and dates written every way,
                      开封县 for 祥符区 — and a handful of deliberately broken rows (listed in BROKEN below)
"""

from __future__ import annotations

import calendar
import csv
import datetime as dt
import io
import random
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
REFERENCE = ROOT / "src" / "kuaidi_cli" / "gazetteer" / "4102" / "2021"
OUT = ROOT / "data" / "samples"
SEED = 34  # 汴政〔2021〕34号

RURAL_UNITS = {"410212": "祥符区", "410221": "杞县", "410222": "通许县", "410223": "尉氏县", "410225": "兰考县"}
MODES = [("邮快合作", 40), ("快快合作", 25), ("交快合作", 10), ("快商合作", 10), ("快销合作", 5), ("驻村设点", 10)]
OPERATORS = ["中国邮政", "中通", "圆通", "申通", "韵达", "极兔", "京东", "顺丰"]

VILLAGE_HEADER = ["县区", "乡镇", "行政村", "区划代码", "人口数(人)", "距乡镇驻地距离(公里)", "是否驻村设点", "设点时间",
                  "是否通达", "通达时间", "合作模式"]
OUTLET_HEADER = ["服务点编号", "服务点名称", "层级", "县区", "乡镇", "行政村", "所在村区划代码", "合作模式", "合作企业",
                 "启用日期", "停用日期", "辐射村"]


def village_name(official: str) -> str:
    """"袁楼村委会" → "袁楼村", "东关村村民委员会" → "东关村": the name a county register writes."""
    for suffix in ("村民委员会", "村委会", "村委"):
        if official.endswith(suffix):
            official = official[: -len(suffix)]
            break
    return official if official.endswith("村") else official + "村"


def day(rng: random.Random, start: str, end: str) -> dt.date:
    a, b = dt.date.fromisoformat(start), dt.date.fromisoformat(end)
    d = a + dt.timedelta(days=rng.randrange((b - a).days + 1))
    if rng.random() < 0.25:  # offices often record the month's end
        d = d.replace(day=calendar.monthrange(d.year, d.month)[1])
    return d


def read_villages() -> list[dict]:
    with (REFERENCE / "villages.csv").open(encoding="utf-8") as fh:
        rows = [r for r in csv.DictReader(fh) if r["county_code"] in RURAL_UNITS and r["committee_type"] == "村委会"]
    return sorted(rows, key=lambda r: r["code"])


def make_villages(rng: random.Random) -> list[dict]:
    out = []
    for r in read_villages():
        population = int(min(9000, max(260, rng.lognormvariate(7.3, 0.5))))
        distance = round(min(14.0, max(0.3, rng.gammavariate(2.0, 1.25))), 1)
        if rng.random() < 0.01:  # the boundaries of the priority rule, on purpose
            population = 2500
        if rng.random() < 0.01:
            distance = 5.0
        priority = population >= 2500 or distance > 5.0
        u = rng.random()
        if priority:
            since = day(rng, "2021-03-01", "2021-12-31") if u < 0.975 else (
                day(rng, "2022-01-01", "2022-12-31") if u < 0.992 else None)
        else:
            since = day(rng, "2020-06-01", "2021-12-31") if u < 0.50 else (
                day(rng, "2022-01-01", "2022-12-31") if u < 0.975 else None)
        if since is not None:
            # many villages were reached by a cooperation mode before a point opened in them
            early = 0.7 if since.year >= 2022 else 0.35
            reached = day(rng, "2020-01-01", since.isoformat()) if rng.random() < early else since
        else:
            reached = day(rng, "2020-06-01", "2022-12-31") if rng.random() < 0.85 else None
        mode = rng.choices([m for m, _ in MODES], [w for _, w in MODES])[0] if reached else ""
        out.append({
            "县区": RURAL_UNITS[r["county_code"]], "乡镇": r["township_name"], "行政村": village_name(r["name"]),
            "区划代码": r["code"], "人口数(人)": population, "距乡镇驻地距离(公里)": distance,
            "是否驻村设点": "是" if since else "否", "设点时间": since.isoformat() if since else "",
            "是否通达": "是" if reached else "否", "通达时间": reached.isoformat() if reached else "",
            "合作模式": mode, "_township_code": r["township_code"],
        })
    return out


def make_outlets(rng: random.Random, villages: list[dict]) -> list[dict]:
    outlets = []
    counties = list(RURAL_UNITS.items())
    for i, (code, county) in enumerate(counties):
        opened = day(rng, "2021-04-01", "2021-12-31") if i < 4 else dt.date(2022, 6, 30)
        outlets.append({"服务点编号": f"P{code}", "服务点名称": f"{county}电商快递物流园区", "层级": "县级电商快递物流园区",
                        "县区": county, "乡镇": "", "行政村": "", "所在村区划代码": "", "合作模式": "快快合作",
                        "合作企业": "、".join(rng.sample(OPERATORS, 4)), "启用日期": opened.isoformat(), "停用日期": "",
                        "辐射村": ""})
    townships = {}
    for v in villages:
        townships.setdefault(v["_township_code"], (v["县区"], v["乡镇"]))
    for tcode, (county, township) in sorted(townships.items()):
        opened = day(rng, "2021-03-01", "2022-11-30")
        outlets.append({"服务点编号": f"T{tcode}", "服务点名称": f"{township}电商快递服务站", "层级": "乡镇电商快递服务站",
                        "县区": county, "乡镇": township, "行政村": "", "所在村区划代码": "",
                        "合作模式": rng.choice(["邮快合作", "快快合作", "交快合作"]),
                        "合作企业": "、".join(rng.sample(OPERATORS, 3)), "启用日期": opened.isoformat(), "停用日期": "",
                        "辐射村": ""})
    points = []
    for v in villages:
        if not v["设点时间"]:
            continue
        opened = dt.date.fromisoformat(v["设点时间"])
        point = {"服务点编号": f"V{v['区划代码']}", "服务点名称": f"{v['行政村']}快递服务点", "层级": "村级电商快递服务点",
                 "县区": v["县区"], "乡镇": v["乡镇"], "行政村": v["行政村"], "所在村区划代码": v["区划代码"],
                 "合作模式": v["合作模式"] or "驻村设点", "合作企业": "、".join(rng.sample(OPERATORS, rng.randint(1, 3))),
                 "启用日期": opened.isoformat(), "停用日期": "", "辐射村": "", "_township_code": v["_township_code"]}
        points.append(point)
        if rng.random() < 0.01:  # a point that moved: the old one closed, the new one opened the same day
            old_open = day(rng, "2020-06-01", (opened - dt.timedelta(days=30)).isoformat())
            points.append({**point, "服务点编号": point["服务点编号"] + "-old", "服务点名称": point["服务点名称"] + "（旧址）",
                           "启用日期": old_open.isoformat(), "停用日期": opened.isoformat()})
    # villages reached without a point of their own: some are served by a neighbour's point
    by_township: dict[str, list[dict]] = {}
    for p in points:
        if not p["停用日期"]:
            by_township.setdefault(p["_township_code"], []).append(p)
    for v in villages:
        if v["设点时间"] or not v["通达时间"] or rng.random() > 0.5:
            continue
        reached = dt.date.fromisoformat(v["通达时间"])
        near = [p for p in by_township.get(v["_township_code"], []) if dt.date.fromisoformat(p["启用日期"]) <= reached]
        if near:
            p = rng.choice(near)
            p["辐射村"] = "、".join(x for x in (p["辐射村"], v["行政村"]) if x)
    outlets += points
    return [{k: val for k, val in o.items() if not k.startswith("_")} for o in outlets]


# --- the messy variant --------------------------------------------------------------------------

FULL_WIDTH = str.maketrans("0123456789", "０１２３４５６７８９")
# Rows broken on purpose (by position in villages.csv, 0-based) and how; tests rely on this list.
BROKEN = {7: ("人口数(人)", "不详"), 311: ("距乡镇驻地距离(公里)", "-2"), 905: ("设点时间", "2021-13-01"),
          1500: ("是否通达", "待定")}


def messy_number(rng: random.Random, value: float, unit: str) -> str:
    text = str(value)
    form = rng.randrange(6)
    if form == 0 and value >= 1000:
        return f"{int(value):,}"
    if form == 1:
        return text + unit
    if form == 2:
        return text.translate(FULL_WIDTH)
    if form == 3 and unit == "公里":
        return f"{value}km"
    if form == 4 and unit == "公里" and value < 1:
        return f"{round(value * 1000)}米"
    return f" {text} "


def messy_date(rng: random.Random, iso: str) -> object:
    if not iso:
        return ""
    d = dt.date.fromisoformat(iso)
    form = rng.randrange(6)
    if form == 0:
        return f"{d.year}/{d.month}/{d.day}"
    if form == 1:
        return f"{d.year}.{d.month:02d}.{d.day:02d}"
    if form == 2:
        return f"{d.year}年{d.month}月{d.day}日"
    if form == 3 and d.day == calendar.monthrange(d.year, d.month)[1]:
        return f"{d.year}年{d.month}月"
    if form == 4:
        return str((d - dt.date(1899, 12, 30)).days)  # an Excel serial that lost its date format
    return iso


def messy_yes_no(rng: random.Random, value: str, kind: str) -> str:
    yes = ["是", "有", "√", "Y", "1", "已设点" if kind == "in" else "已通达"]
    no = ["否", "无", "×", "N", "0", "未设点" if kind == "in" else "未通达"]
    return rng.choice(yes if value == "是" else no)


def make_messy(rng: random.Random, villages: list[dict]) -> list[list[str]]:
    rows: list[list[str]] = [["开封市“快递进村”工作台账（2021年12月）"] + [""] * 11,
                             ["填报单位：开封市邮政管理局", "", "", "", "", "", "", "", "", "", "", "单位：人、公里"],
                             ["序号", *VILLAGE_HEADER]]
    county = None
    county_population = 0
    for i, v in enumerate(villages):
        if county and v["县区"] != county:
            rows.append(["", f"{county}小计", "", "", "", str(county_population)] + [""] * 6)
            rows.append([""] * 12)
            county_population = 0
        county = v["县区"]
        county_population += v["人口数(人)"]
        row = [
            str(i + 1),
            "开封县" if county == "祥符区" and rng.random() < 0.3 else county,
            v["乡镇"] if rng.random() < 0.9 else " " + v["乡镇"][:1] + " " + v["乡镇"][1:],
            v["行政村"],
            v["区划代码"],
            messy_number(rng, v["人口数(人)"], "人"),
            messy_number(rng, v["距乡镇驻地距离(公里)"], "公里"),
            messy_yes_no(rng, v["是否驻村设点"], "in"),
            messy_date(rng, v["设点时间"]),
            messy_yes_no(rng, v["是否通达"], "reached"),
            messy_date(rng, v["通达时间"]),
            v["合作模式"],
        ]
        if i in BROKEN:
            column, bad = BROKEN[i]
            row[1 + VILLAGE_HEADER.index(column)] = bad
        rows.append(row)
        if i == 42:  # the same row pasted twice: skipped with a warning
            rows.append(list(row))
    rows.append(["", f"{county}小计", "", "", "", str(county_population)] + [""] * 6)
    rows.append(["合计", "", "", "", "", str(sum(v["人口数(人)"] for v in villages))] + [""] * 6)
    rows.append(["注：人口为2020年末户籍人口；距离为村委会至乡镇政府驻地的道路距离。"] + [""] * 11)
    return rows


def write_csv(path: Path, header: list[str], rows: list[dict], encoding: str = "utf-8-sig") -> None:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(header)
    for r in rows:
        w.writerow([r[h] for h in header])
    path.write_bytes(buf.getvalue().encode(encoding))


def main() -> None:
    rng = random.Random(SEED)
    villages = make_villages(rng)
    outlets = make_outlets(rng, villages)
    OUT.mkdir(parents=True, exist_ok=True)
    write_csv(OUT / "villages.csv", VILLAGE_HEADER, villages)
    write_csv(OUT / "outlets.csv", OUTLET_HEADER, outlets)
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\r\n").writerows(make_messy(rng, villages))
    (OUT / "villages_messy.csv").write_bytes(buf.getvalue().encode("gbk"))
    print(f"{len(villages)} villages, {len(outlets)} outlets written to {OUT.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
