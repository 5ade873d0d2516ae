#!/usr/bin/env python3
"""Seeded generator of national-scale registers for the benchmark (not test data: nothing asserts on it).

    python benchmarks/generate.py OUT_DIR [--villages 500000] [--xlsx] [--gbk]

Writes villages-N.csv and outlets-N.csv (UTF-8 with BOM), optionally GBK copies and XLSX copies.
The shape follows the country: ~2 800 counties and ~38 000 townships for 500 000 villages (scaled down
for smaller sizes), 12-digit codes built province → city → county → township → village, ~600 000
outlets (a park per county, a station per township, points in most villages, some villages with two).
About 2% of the cells are written the messy way (2,500人, full-width digits, 约, 5.2公里, 2021年9月,
√/×), about 0.3% of the rows are invalid (a word for a number, an impossible date), and each county
ends with a 小计 row and a blank row — so the benchmark measures the real work, not a clean fast path.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
import pandas as pd

SEED = 2021
SURNAMES = list("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤")
PLACES = list("庄村营寨集楼屯店坡岗湾桥沟河洼铺堡园寺台坊")
TOWN_SUFFIX = ["镇", "乡", "镇", "镇", "乡", "街道"]
MODES = ["邮快合作", "快快合作", "交快合作", "快商合作", "快销合作", "驻村设点"]


def names(rng: np.random.Generator, n: int, suffix: list[str]) -> np.ndarray:
    a = rng.choice(SURNAMES, n)
    b = rng.choice(PLACES, n)
    c = rng.choice(SURNAMES + [""] * 40, n)
    s = rng.choice(suffix, n)
    return np.char.add(np.char.add(np.char.add(a, c), b), s)


def build(n_villages: int, seed: int = SEED) -> tuple[pd.DataFrame, pd.DataFrame]:
    rng = np.random.default_rng(seed)
    n_counties = max(5, round(2800 * n_villages / 500_000))
    n_townships = max(n_counties, round(38_000 * n_villages / 500_000))
    # every county has a township and every township a village; the rest fall at random
    county_of_town = np.sort(np.concatenate([np.arange(n_counties), rng.integers(0, n_counties, n_townships - n_counties)]))
    town_of_village = np.sort(np.concatenate([np.arange(n_townships), rng.integers(0, n_townships, n_villages - n_townships)]))
    # codes: 31 provinces × cities × counties; make them unique and ordered
    county_codes = np.array([f"{11 + i // 90:02d}{1 + (i // 18) % 5:02d}{1 + i % 18:02d}" for i in range(n_counties)])
    _, starts = np.unique(county_of_town, return_index=True)
    town_rank = np.arange(n_townships) - np.repeat(starts, np.diff(np.append(starts, n_townships)))
    town_codes = np.char.add(county_codes[county_of_town], np.char.zfill((100 + town_rank).astype(str), 3))
    _, vstarts = np.unique(town_of_village, return_index=True)
    village_rank = np.arange(n_villages) - np.repeat(vstarts, np.diff(np.append(vstarts, n_villages)))
    village_codes = np.char.add(town_codes[town_of_village], np.char.zfill((200 + village_rank).astype(str), 3))
    county_names = np.char.add(np.array([f"{s}{p}" for s, p in zip(rng.choice(SURNAMES, n_counties),
                                                                  rng.choice(PLACES, n_counties), strict=True)]),
                               rng.choice(["县", "县", "区", "市"], n_counties))
    # county names repeat across provinces in real life; keep them unique within a province only
    town_names = names(rng, n_townships, TOWN_SUFFIX)
    village_names = np.char.add(names(rng, n_villages, [""]), "村")

    population = np.clip(rng.lognormal(7.3, 0.55, n_villages), 120, 20000).astype(int)
    distance = np.round(np.clip(rng.gamma(2.0, 1.4, n_villages), 0.2, 60), 1)
    day0 = np.datetime64("2020-06-01")
    since_days = rng.integers(0, 940, n_villages)
    has_point = rng.random(n_villages) < 0.93
    since = np.where(has_point, (day0 + since_days).astype(str), "")
    reached_early = rng.random(n_villages) < 0.4
    reached_day = np.where(reached_early, day0 + (since_days * rng.random(n_villages)).astype(int), day0 + since_days)
    reached = has_point | (rng.random(n_villages) < 0.7)
    reached_since = np.where(reached, reached_day.astype(str), "")
    mode = np.where(reached, rng.choice(MODES, n_villages), "")

    villages = pd.DataFrame({
        "县区": county_names[county_of_town[town_of_village]],
        "乡镇": town_names[town_of_village],
        "行政村": village_names,
        "区划代码": village_codes,
        "人口数(人)": population.astype(str),
        "距乡镇驻地距离(公里)": distance.astype(str),
        "是否驻村设点": np.where(has_point, "是", "否"),
        "设点时间": since,
        "是否通达": np.where(reached, "是", "否"),
        "通达时间": reached_since,
        "合作模式": mode,
    })
    _messy(rng, villages)

    # outlets: a park per county, a station per township, points in villages (some twice)
    parks = pd.DataFrame({"服务点编号": np.char.add("P", county_codes), "服务点名称": np.char.add(county_names, "物流园区"),
                          "层级": "县级园区", "县区": county_names, "乡镇": "", "行政村": "", "所在村区划代码": "",
                          "合作模式": "快快合作", "合作企业": "中通、圆通",
                          "启用日期": (day0 + rng.integers(0, 900, n_counties)).astype(str), "停用日期": "", "辐射村": ""})
    stations = pd.DataFrame({"服务点编号": np.char.add("T", town_codes), "服务点名称": np.char.add(town_names, "服务站"),
                             "层级": "乡镇服务站", "县区": county_names[county_of_town], "乡镇": town_names,
                             "行政村": "", "所在村区划代码": "", "合作模式": "邮快合作", "合作企业": "中国邮政",
                             "启用日期": (day0 + rng.integers(0, 900, n_townships)).astype(str), "停用日期": "",
                             "辐射村": ""})
    idx = np.flatnonzero(has_point)
    twice = idx[rng.random(idx.size) < 0.2]
    pick = np.concatenate([idx, twice])
    points = pd.DataFrame({
        "服务点编号": np.char.add(np.char.add("V", village_codes[pick]),
                                 np.where(np.arange(pick.size) >= idx.size, "-2", "")),
        "服务点名称": np.char.add(village_names[pick], "服务点"), "层级": "村级服务点",
        "县区": county_names[county_of_town[town_of_village[pick]]], "乡镇": town_names[town_of_village[pick]],
        "行政村": village_names[pick], "所在村区划代码": village_codes[pick], "合作模式": mode[pick],
        "合作企业": "中通", "启用日期": since[pick], "停用日期": "",
        "辐射村": np.where(rng.random(pick.size) < 0.1, village_names[np.clip(pick + 1, 0, n_villages - 1)], ""),
    })
    points.loc[points["合作模式"] == "", "合作模式"] = "驻村设点"
    outlets = pd.concat([parks, stations, points], ignore_index=True)
    return _with_subtotals(rng, villages), outlets


def _messy(rng: np.random.Generator, v: pd.DataFrame) -> None:
    n = len(v)

    def some(share: float) -> np.ndarray:
        return rng.random(n) < share

    m = some(0.02)
    v.loc[m, "人口数(人)"] = v.loc[m, "人口数(人)"] + "人"
    m = some(0.01)
    v.loc[m, "人口数(人)"] = "约" + v.loc[m, "人口数(人)"]
    m = some(0.02)
    v.loc[m, "距乡镇驻地距离(公里)"] = v.loc[m, "距乡镇驻地距离(公里)"] + "公里"
    m = some(0.02) & (v["是否驻村设点"] == "是")
    v.loc[m, "是否驻村设点"] = "√"
    m = some(0.02) & (v["设点时间"] != "")
    v.loc[m, "设点时间"] = v.loc[m, "设点时间"].str.replace("-", "/", regex=False)
    m = some(0.002)
    v.loc[m, "人口数(人)"] = "不详"
    m = some(0.001) & (v["通达时间"] != "")
    v.loc[m, "通达时间"] = "2021-13-01"


def _with_subtotals(rng: np.random.Generator, v: pd.DataFrame) -> pd.DataFrame:
    """A 小计 row and a blank row after each county, as offices write them."""
    ends = np.flatnonzero(v["县区"].to_numpy()[1:] != v["县区"].to_numpy()[:-1])
    parts, start = [], 0
    blank = {c: "" for c in v.columns}
    for end in [*ends.tolist(), len(v) - 1]:
        parts.append(v.iloc[start:end + 1])
        parts.append(pd.DataFrame([{**blank, "县区": v.iat[end, 0] + "小计"}, blank]))
        start = end + 1
    return pd.concat(parts, ignore_index=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out", type=Path)
    ap.add_argument("--villages", type=int, default=500_000)
    ap.add_argument("--xlsx", action="store_true", help="also write XLSX copies (slow: ~1 minute per 500 000 rows)")
    ap.add_argument("--gbk", action="store_true", help="also write a GBK copy of the village register")
    args = ap.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    villages, outlets = build(args.villages)
    n = args.villages
    villages.to_csv(args.out / f"villages-{n}.csv", index=False, encoding="utf-8-sig")
    outlets.to_csv(args.out / f"outlets-{n}.csv", index=False, encoding="utf-8-sig")
    if args.gbk:
        villages.to_csv(args.out / f"villages-{n}-gbk.csv", index=False, encoding="gbk")
    if args.xlsx:
        for name, frame in ((f"villages-{n}.xlsx", villages), (f"outlets-{n}.xlsx", outlets)):
            _write_xlsx(args.out / name, frame)
    print(f"{len(villages)} village rows, {len(outlets)} outlet rows in {args.out}")


def _write_xlsx(path: Path, frame: pd.DataFrame) -> None:
    import xlsxwriter

    wb = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    ws = wb.add_worksheet("台账")
    ws.write_row(0, 0, list(frame.columns))
    for r, row in enumerate(frame.itertuples(index=False, name=None), start=1):
        ws.write_row(r, 0, row)
    wb.close()


if __name__ == "__main__":
    main()
