#!/usr/bin/env python3
"""An independent implementation of kuaidi's report figures in polars, for the side-by-side benchmark.

    python benchmarks/engine_polars.py VILLAGES OUTLETS --as-of 2022-12-31 [--rules R] [-o OUT.json]

Written from docs/METRICS.md and the JSON contract of `kuaidi report --format json` (its summary,
targets, counties and townships figures and the inputs' row counts), not from kuaidi's code: it does
not import kuaidi_cli. It reads the registers benchmarks/generate.py writes (CSV or XLSX, the headers as
the generator and the samples write them) and handles what they hold: messy cells (2,500人, full-width
digits, 约, 5.2公里, 2021年9月, 2021/09/30, √/×), unreadable cells (不详, 2021-13-01: the row is
uncertain, the cell undecided), repeated villages (invalid rows), 小计 and blank rows. What it leaves
out (no official list, no city code or scope, no aliases beyond the rules', no partial outlet
registers, no code-division checks) is not in the benchmark's registers.

It is a benchmark, not a second product: the figures are checked equal to kuaidi's by
benchmarks/side_by_side.py before anything is timed.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from fractions import Fraction
from pathlib import Path
from typing import Any

import polars as pl
import yaml

VILLAGE_HEADERS = {"县区": "county", "乡镇": "township", "行政村": "village", "区划代码": "code",
                   "人口数(人)": "population", "距乡镇驻地距离(公里)": "distance", "是否驻村设点": "in_village",
                   "设点时间": "in_village_since", "是否通达": "reached", "通达时间": "reached_since",
                   "合作模式": "mode"}
OUTLET_HEADERS = {"服务点编号": "outlet_id", "服务点名称": "name", "层级": "level", "县区": "county",
                  "乡镇": "township", "行政村": "village", "所在村区划代码": "code", "合作模式": "mode",
                  "启用日期": "opened", "停用日期": "closed", "辐射村": "serves"}
EMPTY = ["", "-", "--", "—", "——", "/", "无数据", "n/a", "#n/a"]
YES = ["是", "有", "√", "✓", "✔", "☑", "y", "yes", "1", "1.0", "true", "t", "对", "已", "已设点", "已设",
       "已通达", "通达", "已进村", "已驻村设点", "设点"]
NO = ["否", "无", "×", "✗", "✘", "☒", "x", "n", "no", "0", "0.0", "false", "f", "没有", "未", "未设点", "未设",
      "未通达", "不通达", "未进村", "未驻村设点"]
TOTAL = r"^.{0,10}(合计|总计|小计|共计)$|^(合计|总计|小计|共计)\b.*$|^(?i)total$"
NUMBER = (r"^(?:约为|大约|约|≈|~)?([+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:e[+-]?\d+)?)(人|口|公里|千米|km|米|m)?"
          r"(?:左右|以上|余)?$")
DATE = r"^(\d{4})(?:[-/.年](\d{1,2})(?:[-/.月](\d{1,2})日?|月)?)$"
LEVELS = ("park", "township_station", "village_point")


# ---- reading ---------------------------------------------------------------------------------------

def read(path: Path, headers: dict[str, str]) -> pl.DataFrame:
    """Every cell as text ("" for an empty one), the columns renamed to fields."""
    if path.suffix.lower() in (".xlsx", ".xls"):
        import python_calamine as pc

        rows = pc.CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python()
        head = [str(h).strip() for h in rows[0]]
        cols = {h: [_cell(r[i]) if i < len(r) else "" for r in rows[1:]] for i, h in enumerate(head)}
        frame = pl.DataFrame(cols, schema={h: pl.String for h in head})
    else:
        frame = pl.read_csv(path, infer_schema=False, encoding="utf8")
        frame = frame.rename({c: c.lstrip("\ufeff") for c in frame.columns})
    frame = frame.rename({h: f for h, f in headers.items() if h in frame.columns})
    frame = frame.with_columns(pl.col(f).fill_null("") for f in headers.values() if f in frame.columns)
    # (a list cell keeps its line breaks, which separate its entries)
    return normalised(frame, [f for f in headers.values() if f in frame.columns and f != "serves"])


def normalised(frame: pl.DataFrame, cols: list[str]) -> pl.DataFrame:
    """The columns in normal form (NFKC, no whitespace), worked out once per distinct text of the cells
    that may change: NFKC is the costliest string operation here."""
    out = []
    for col in cols:
        # ASCII letters, digits and marks and the CJK ideographs are in normal form already
        u = frame.get_column(col).filter(frame.get_column(col).str.contains(r"[^\x21-\x7E\u4e00-\u9fff]")).unique()
        n = u.to_frame().select(pl.col(col).str.normalize("NFKC").str.replace_all(
            r"[\s\u00a0\u2000-\u200b\u3000\ufeff]+", "")).to_series()
        changed = u != n
        if changed.any():
            out.append(pl.col(col).replace(u.filter(changed), n.filter(changed)))
    return frame.with_columns(out) if out else frame


def _cell(v: Any) -> str:
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return "" if v is None else str(v)


# ---- cells -----------------------------------------------------------------------------------------

def norm(col: str) -> pl.Expr:
    """A column read() put in normal form (NFKC, every whitespace removed)."""
    return pl.col(col)


def is_empty(e: pl.Expr) -> pl.Expr:
    return e.str.to_lowercase().is_in(EMPTY)


def per_distinct(frame: pl.DataFrame, col: str, exprs: dict[str, pl.Expr]) -> pl.DataFrame:
    """The expressions (over `col`) worked out on the column's distinct texts and joined back to the rows."""
    u = frame.select(pl.col(col).unique()).with_columns(**exprs)
    return frame.join(u, on=col, how="left", maintain_order="left")


def number(col: str, unit: str) -> dict[str, pl.Expr]:
    """value or null, and bad, of a number cell; `unit` people or km."""
    t = norm(col).str.to_lowercase().str.replace_all(r"[,，'’_]", "")
    parts = t.str.extract_groups(NUMBER)
    factors = ({"": 1.0, "人": 1.0, "口": 1.0} if unit == "people"
               else {"": 1.0, "公里": 1.0, "千米": 1.0, "km": 1.0, "米": 0.001, "m": 0.001})
    factor = parts.struct.field("2").fill_null("").replace_strict(factors, default=None, return_dtype=pl.Float64)
    value = parts.struct.field("1").cast(pl.Float64, strict=False) * factor
    empty = is_empty(t)
    return {f"{col}_v": pl.when(empty).then(None).otherwise(value), f"{col}_bad": ~empty & value.is_null()}


def yes_no(col: str) -> dict[str, pl.Expr]:
    t = norm(col).str.to_lowercase()
    value = pl.when(t.is_in(YES)).then(True).when(t.is_in(NO)).then(False).otherwise(None)
    return {f"{col}_v": value, f"{col}_bad": ~is_empty(t) & value.is_null()}


def date(frame: pl.DataFrame, col: str, out: str) -> pl.DataFrame:
    """`out` (date or null) and `out`_bad of a date column: 2021-09-30, 2021/9/30, 2021.9.30, 2021年9月30日,
    2021年9月 (its last day), 20210930, Excel serials; a date outside 2000–2049 is bad. Worked out over
    the column's distinct texts (a register writes a few thousand dates), joined back."""
    u = frame.select(pl.col(col).unique()).with_columns(_t=norm(col).str.to_lowercase())
    g = pl.col("_t").str.extract_groups(DATE)
    u = u.with_columns(_g=g, _c=pl.col("_t").str.extract(r"^(\d{8})$", 1),
                       _s=pl.col("_t").str.extract(r"^(\d{5})(?:\.\d+)?$", 1).cast(pl.Int32, strict=False))
    u = u.with_columns(
        _y=pl.coalesce(pl.col("_g").struct.field("1"), pl.col("_c").str.slice(0, 4)).cast(pl.Int32, strict=False),
        _m=pl.coalesce(pl.col("_g").struct.field("2"), pl.col("_c").str.slice(4, 2)).cast(pl.Int32, strict=False),
        _d=pl.coalesce(pl.col("_g").struct.field("3"), pl.col("_c").str.slice(6, 2)).cast(pl.Int32, strict=False))
    ok_month = pl.col("_y").is_not_null() & pl.col("_m").is_between(1, 12)
    u = u.with_columns(_end=pl.when(ok_month).then(pl.date(pl.col("_y"), pl.col("_m"), 1).dt.month_end()))
    day_ok = pl.col("_d").is_null() | pl.col("_d").is_between(1, pl.col("_end").dt.day())
    value = (pl.when(~ok_month | ~day_ok).then(None).when(pl.col("_d").is_null()).then(pl.col("_end"))
             .otherwise(pl.date(pl.col("_y"), pl.col("_m"), pl.when(day_ok).then(pl.col("_d")).otherwise(1))))
    serial = pl.when(pl.col("_s").is_between(20090, 79988)).then(
        pl.lit("1899-12-30").str.to_date() + pl.duration(days=pl.col("_s")))
    empty = is_empty(pl.col("_t"))
    u = u.with_columns(_v=pl.when(empty).then(None).otherwise(pl.coalesce(value, serial)), _e=empty)
    in_range = pl.col("_v").is_between(pl.date(2000, 1, 1), pl.date(2049, 12, 31))
    u = u.select(col, pl.when(in_range).then(pl.col("_v")).alias(out),
                 (~pl.col("_e") & (pl.col("_v").is_null() | ~in_range)).alias(out + "_bad"))
    return frame.join(u, on=col, how="left", maintain_order="left")


def total_rows(frame: pl.DataFrame, cols: list[str]) -> pl.Series:
    """合计/小计 rows: a cell of `cols` that is such a label (the regular expression only on the cells that
    hold one of its words: it is slow over a whole column)."""
    words = ["合计", "总计", "小计", "共计", "total"]
    maybe = frame.select(pl.any_horizontal(pl.col(c).str.contains_any(words, ascii_case_insensitive=True)
                                           for c in cols)).to_series()
    out = pl.Series("total", [False] * frame.height)
    rows = maybe.arg_true()
    if len(rows):
        hit = frame[rows].select(pl.any_horizontal(pl.col(c).str.contains(TOTAL) for c in cols)).to_series()
        out = out.scatter(rows, hit)
    return out


def is_code(e: pl.Expr) -> pl.Expr:
    return e.str.replace(r"\.0+$", "").str.contains(r"^[0-9]{12}$")


# ---- the registers ---------------------------------------------------------------------------------

def villages(frame: pl.DataFrame, rules: dict[str, Any], t: Any) -> tuple[pl.DataFrame, dict[str, int]]:
    """The counted villages (valid and uncertain) with their parsed figures, and the file's row counts."""
    modes = mode_table(rules)
    f = date(date(frame, "in_village_since", "ivs"), "reached_since", "rcs")
    f = f.with_row_index("row").with_columns(
        norm("county").alias("c"), norm("township").alias("t"), norm("village").alias("v"),
        norm("code").str.replace(r"\.0+$", "").alias("code_t"))
    names = ["c", "t", "v"]
    blank = pl.all_horizontal(pl.col(c) == "" for c in VILLAGE_HEADERS.values() if c in frame.columns)
    f = f.with_columns(skip=blank | total_rows(f, names))
    for col, exprs in (("population", number("population", "people")), ("distance", number("distance", "km")),
                       ("in_village", yes_no("in_village")), ("reached", yes_no("reached"))):
        f = per_distinct(f, col, exprs)
    mode_t = norm("mode")
    mode = mode_t.replace_strict(modes, default=None)
    mode_bad = ~is_empty(mode_t) & mode.is_null()
    f = f.with_columns(
        pl.col("population_v").alias("pop"), pl.col("distance_v").alias("dist"), pl.col("in_village_v").alias("iv"),
        pl.col("reached_v").alias("rc"),
        mode.alias("mode_id"),
        (pl.any_horizontal(is_empty(pl.col(c)) for c in names)
         | (~is_empty(pl.col("code_t")) & ~is_code(pl.col("code_t")))).alias("bad_key"),
        pl.col("population_bad").alias("pop_bad"), pl.col("distance_bad").alias("dist_bad"),
        pl.col("in_village_bad").alias("iv_bad"), pl.col("reached_bad").alias("rc_bad"), mode_bad.alias("mode_bad"))
    f = f.filter(~pl.col("skip"))
    ok = ~pl.col("bad_key")
    has_code = is_code(pl.col("code_t"))
    # repeats: the same code, or the same county, township and name, of a row already counted
    f = f.with_columns(
        (ok & has_code & ~pl.struct(ok & has_code, "code_t").is_first_distinct()).alias("dup_code"))
    f = f.with_columns(
        (ok & ~pl.col("dup_code") & ~pl.struct(ok & ~pl.col("dup_code"), *names).is_first_distinct())
        .alias("dup_name"))
    f = f.with_columns(invalid=pl.col("bad_key") | pl.col("dup_code") | pl.col("dup_name"),
                       uncertain=pl.any_horizontal("pop_bad", "dist_bad", "iv_bad", "ivs_bad", "rc_bad", "rcs_bad",
                                                   "mode_bad"))
    counts = {"rows": frame.height, "invalid_rows": int(f["invalid"].sum()),
              "uncertain_rows": int((f["uncertain"] & ~f["invalid"]).sum())}
    v = f.filter(~pl.col("invalid"))
    pr, fo = rules["priority"]["any"], rules["focus"]["any"]
    v = v.with_columns(
        _any_of(pr).alias("priority"), _undecided(pr).alias("priority_unknown"),
        _any_of(fo).alias("focus"), _undecided(fo).alias("focus_unknown"),
        _flag("rc", "rcs", "rc_bad", "rcs_bad", t).alias("reg_reached"),
        _flag_unknown("rc", "rcs", "rc_bad", "rcs_bad", t).alias("reg_reached_unknown"),
        pl.col("code_t").str.slice(0, 6).alias("p6"), pl.col("code_t").str.slice(0, 9).alias("p9"))
    return v.with_row_index("vid"), counts


def _field(name: str) -> str:
    return {"population": "pop", "distance_km": "dist"}[name]


def _cond(c: dict[str, Any]) -> pl.Expr:
    col, value = pl.col(_field(c["field"])), c["value"]
    return {">=": col >= value, ">": col > value, "<=": col <= value, "<": col < value, "==": col == value}[c["op"]]


def _any_of(conds: list[dict[str, Any]]) -> pl.Expr:
    return pl.any_horizontal(_cond(c).fill_null(False) for c in conds)


def _undecided(conds: list[dict[str, Any]]) -> pl.Expr:
    """No condition holds and one of them reads a blank or unreadable value."""
    return ~_any_of(conds) & pl.any_horizontal(pl.col(_field(c["field"])).is_null() for c in conds)


def _flag(flag: str, since: str, flag_bad: str, since_bad: str, t: Any) -> pl.Expr:
    """The register's yes at t: yes, and dated ≤ t or undated."""
    return (pl.col(flag).fill_null(False) & ~pl.col(since_bad)
            & (pl.col(since).is_null() | (pl.col(since) <= t)))


def _flag_unknown(flag: str, since: str, flag_bad: str, since_bad: str, t: Any) -> pl.Expr:
    """Unreadable, or yes with an unreadable date; a readable date after t decides it no."""
    after = pl.col(since).is_not_null() & (pl.col(since) > t)
    return (pl.col(flag_bad) & ~after) | (pl.col(flag).fill_null(False) & pl.col(since_bad))


def mode_table(rules: dict[str, Any]) -> dict[str, str]:
    table = {}
    for m in rules.get("modes", []):
        table[m["id"]] = m["id"]
        for a in m.get("aliases", []):
            table[a] = m["id"]
    return table


def outlets(frame: pl.DataFrame, rules: dict[str, Any], t: Any) -> tuple[pl.DataFrame, dict[str, int]]:
    levels = {}
    for lvl, spec in rules["outlet_levels"].items():
        levels[spec["label"]] = lvl
        for a in spec.get("aliases", []):
            levels[a] = lvl
        levels[lvl] = lvl
    modes = mode_table(rules)
    f = date(date(frame, "opened", "o_d"), "closed", "c_d")
    f = f.with_row_index("row").with_columns(
        norm("outlet_id").alias("oid"), norm("county").alias("c"), norm("township").alias("t"),
        norm("village").alias("v"), norm("code").str.replace(r"\.0+$", "").alias("code_t"),
        norm("level").alias("level_t"), norm("mode").alias("mode_t"))
    blank = pl.all_horizontal(pl.col(c) == "" for c in OUTLET_HEADERS.values() if c in frame.columns)
    f = f.with_columns(level_id=pl.col("level_t").replace_strict(levels, default=None),
                       mode_id=pl.col("mode_t").replace_strict(modes, default=None),
                       opened=pl.col("o_d"), closed=pl.col("c_d"), opened_bad=pl.col("o_d_bad"),
                       closed_bad=pl.col("c_d_bad"),
                       skip=blank | total_rows(f, ["c", "t", "v"])).filter(~pl.col("skip"))
    need_t = pl.col("level_id").is_in(["township_station", "village_point"])
    need_v = pl.col("level_id") == "village_point"
    bad_key = (is_empty(pl.col("oid")) | is_empty(pl.col("c")) | (need_t & is_empty(pl.col("t")))
               | (need_v & is_empty(pl.col("v")) & is_empty(pl.col("code_t")))
               | (~is_empty(pl.col("code_t")) & ~is_code(pl.col("code_t"))))
    f = f.with_columns(bad_key=bad_key)
    f = f.with_columns(dup=~pl.col("bad_key") & ~pl.struct(~pl.col("bad_key"), "oid").is_first_distinct())
    level_bad = pl.col("level_id").is_null()
    mode_bad = ~is_empty(pl.col("mode_t")) & pl.col("mode_id").is_null()
    order_bad = pl.col("opened").is_not_null() & pl.col("closed").is_not_null() & (pl.col("closed") < pl.col("opened"))
    f = f.with_columns(invalid=pl.col("bad_key") | pl.col("dup"),
                       uncertain=pl.any_horizontal(level_bad, mode_bad, pl.col("opened_bad"), pl.col("closed_bad"),
                                                   order_bad))
    counts = {"rows": frame.height, "invalid_rows": int(f["invalid"].sum()),
              "uncertain_rows": int((f["uncertain"] & ~f["invalid"]).sum())}
    o = f.filter(~pl.col("invalid"))
    active = ((pl.col("opened").is_null() & ~pl.col("opened_bad")) | (pl.col("opened") <= t)) & ~(
        (pl.col("closed").is_not_null() & (pl.col("closed") <= t)) | pl.col("closed_bad"))
    o = o.with_columns(active=active & pl.col("level_id").is_not_null())
    return o, counts


# ---- coverage --------------------------------------------------------------------------------------

def coverage(v: pl.DataFrame, o: pl.DataFrame, rules: dict[str, Any]) -> pl.DataFrame:
    """Each counted village with in_village, reached, their undecided flags and the mode reaching it."""
    rank = {m["id"]: i for i, m in enumerate(rules.get("modes", []))}
    act = o.filter("active")
    ckey = v.select("vid", "code_t").filter(is_code(pl.col("code_t"))).unique("code_t", keep="first")
    nkey = v.select("vid", "c", "t", "v").unique(["c", "t", "v"], keep="first")
    # a point stands in the village of its code, else of its county, township and name
    pts = act.filter(pl.col("level_id") == "village_point").select("c", "t", "v", "code_t", "mode_id")
    pts = (pts.join(ckey, on="code_t", how="left").rename({"vid": "by_code"})
           .join(nkey, on=["c", "t", "v"], how="left")
           .with_columns(vid=pl.coalesce("by_code", "vid")).filter(pl.col("vid").is_not_null()))
    # serves: by code, else by name in the outlet's township, else in its county when only one village has it
    split = pl.col("serves").str.normalize("NFKC").str.replace_all(r"[、，,/;；|\n]+", "\u0001").str.split("\u0001")
    ent = (act.select("c", "t", "mode_id", split.alias("e"))
           .explode("e").with_columns(pl.col("e").str.replace_all(r"\s+", "")).filter(pl.col("e") != "")
           .with_row_index("eid"))
    hit_code = ent.join(ckey, left_on="e", right_on="code_t", how="inner").select("eid", "vid")
    rest = ent.join(hit_code, on="eid", how="anti")
    hit_t = rest.join(nkey, left_on=["c", "t", "e"], right_on=["c", "t", "v"], how="inner").select("eid", "vid")
    rest = rest.join(hit_t, on="eid", how="anti")
    only = v.group_by("c", "v").agg(pl.col("vid").first(), pl.len().alias("n")).filter(pl.col("n") == 1)
    hit_c = rest.join(only, left_on=["c", "e"], right_on=["c", "v"], how="inner").select("eid", "vid")
    hits = pl.concat([hit_code, hit_t, hit_c]).join(ent.select("eid", "mode_id"), on="eid")

    def first_mode(frame: pl.DataFrame, name: str) -> pl.DataFrame:
        return (frame.filter(pl.col("mode_id").is_not_null())
                .with_columns(r=pl.col("mode_id").replace_strict(rank, default=len(rank)))
                .sort("vid", "r", "mode_id").group_by("vid").agg(pl.col("mode_id").first().alias(name)))

    at = pts.select("vid").unique().with_columns(at=pl.lit(True))
    served = hits.select("vid").unique().with_columns(served=pl.lit(True))
    v = (v.join(at, on="vid", how="left").join(served, on="vid", how="left")
         .join(first_mode(pts, "pm"), on="vid", how="left").join(first_mode(hits, "sm"), on="vid", how="left"))
    iv = pl.col("at").fill_null(False)
    reached = iv | pl.col("served").fill_null(False) | pl.col("reg_reached")
    return v.with_columns(in_v=iv, reached_d=reached, reached_u=~reached & pl.col("reg_reached_unknown")).with_columns(
        mode_r=pl.when(pl.col("reached_d")).then(pl.coalesce("pm", "sm", "mode_id", pl.lit("unspecified"))))


# ---- figures ---------------------------------------------------------------------------------------

SUMS = {
    "villages": pl.len(),
    "reached": pl.col("reached_d").sum(),
    "reached_u": pl.col("reached_u").sum(),
    "in_village": pl.col("in_v").sum(),
    "priority_villages": pl.col("priority").sum(),
    "priority_unknown": pl.col("priority_unknown").sum(),
    "priority_in_village": (pl.col("priority") & pl.col("in_v")).sum(),
    "pu_iv": (pl.col("priority_unknown") & pl.col("in_v")).sum(),
    "focus": pl.col("focus").sum(),
    "focus_reached": (pl.col("focus") & pl.col("reached_d")).sum(),
    "focus_ru": (pl.col("focus") & pl.col("reached_u")).sum(),
    "fu_r": (pl.col("focus_unknown") & pl.col("reached_d")).sum(),
    "fu_ru": (pl.col("focus_unknown") & pl.col("reached_u")).sum(),
    "fu": pl.col("focus_unknown").sum(),
}


def figures(v: pl.DataFrame, keys: list[str]) -> tuple[pl.DataFrame, pl.DataFrame]:
    """The sums per scope (keys) or of all villages (no keys), and the modes of the reached villages."""
    exprs = [e.alias(k) for k, e in SUMS.items()]
    sums = v.group_by(keys).agg(exprs) if keys else v.select(exprs)
    modes = (v.filter(pl.col("mode_r").is_not_null()).group_by([*keys, "mode_r"]).len())
    return sums, modes


def _rate(num: int, den: int) -> float | None:
    return num / den if den else None


def rate_target(t: dict[str, Any], s: dict[str, int]) -> dict[str, Any]:
    """(value, status, gap, undecided) of a rate target over the sums `s` of a scope."""
    metric = t["metric"]
    if metric == "reach_rate":
        num, den, u = s["reached"], s["villages"], s["reached_u"]
        least, greatest = (num, den), (num + u, den)
    elif metric == "in_village_rate":
        num, den, u = s["in_village"], s["villages"], 0
        least = greatest = (num, den)
    elif metric == "priority_in_village_rate":
        num, den, u = s["priority_in_village"], s["priority_villages"], s["priority_unknown"]
        # an undecided priority village with a point: in both or neither; without: in the denominator or neither
        least = (num, den + (s["priority_unknown"] - s["pu_iv"]))
        greatest = (num + s["pu_iv"], den + s["pu_iv"])
    else:  # focus_reach_rate
        num, den = s["focus_reached"], s["focus"]
        u = s["fu"] + s["focus_ru"]
        least = (num, den + s["focus_ru"] + (s["fu"] - s["fu_r"] - s["fu_ru"]) + s["fu_ru"])
        greatest = (num + s["focus_ru"] + s["fu_r"] + s["fu_ru"], den + s["focus_ru"] + s["fu_r"] + s["fu_ru"])
    target = Fraction(str(t["target"]))
    gap = max(0, math.ceil(target * den) - num) if den else 0
    value = _rate(num, den)
    if t["kind"] == "info":
        status = "info" if den else "no-data"
    elif not den and not greatest[1]:
        status = "no-data"
    elif least[1] and Fraction(least[0], least[1]) >= target:
        status = "met"
    elif not greatest[1] or Fraction(greatest[0], greatest[1]) < target:
        status = "missed"
    else:
        status = "unverified"
    return {"id": t["id"], "value": value, "status": status, "gap": gap, "undecided": u}


def count_target(t: dict[str, Any], counts: dict[str, int]) -> dict[str, Any]:
    value = counts[t["metric"].split(".", 1)[1]]
    status = "info" if t["kind"] == "info" else ("met" if value >= t["target"] else "missed")
    return {"id": t["id"], "value": float(value), "status": status, "gap": max(0, int(t["target"]) - value),
            "undecided": 0}


def scope_row(s: dict[str, int], modes: dict[str, int], outlets: dict[str, int] | None) -> dict[str, Any]:
    row: dict[str, Any] = {k: s[k] for k in ("villages", "reached", "in_village", "priority_villages",
                                             "priority_in_village", "priority_unknown")}
    row.update(reach_rate=_rate(s["reached"], s["villages"]), in_village_rate=_rate(s["in_village"], s["villages"]),
               priority_in_village_rate=_rate(s["priority_in_village"], s["priority_villages"]),
               modes={k: n for k, n in sorted(modes.items()) if n}, outlets=outlets)
    return row


def report(villages_path: Path, outlets_path: Path, rules_path: Path, as_of: str,
           keep: dict[str, pl.DataFrame] | None = None) -> dict[str, Any]:
    rules = yaml.safe_load(rules_path.read_text(encoding="utf-8"))
    t = pl.lit(as_of).str.to_date()
    v, v_counts = villages(read(villages_path, VILLAGE_HEADERS), rules, t)
    o, o_counts = outlets(read(outlets_path, OUTLET_HEADERS), rules, t)
    cov = coverage(v, o, rules)
    if keep is not None:
        keep["villages"] = cov
    outlets_c, outlets_t, total = outlet_counts(o.filter("active"))
    return assemble(figures(cov, []), figures(cov, ["c"]), figures(cov, ["c", "t"]), outlets_c, outlets_t, total,
                    rules, [v_counts, o_counts])


def outlet_counts(act: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame, dict[str, int]]:
    """The active outlets by county and level, by township and level, and in all by level. A county is the
    name its rows write; a township its name within its county."""
    return (act.group_by("c", "level_id").len(), act.filter(pl.col("t") != "").group_by("c", "t", "level_id").len(),
            {lvl: int(act.filter(pl.col("level_id") == lvl).height) for lvl in LEVELS})


def _level_counts(frame: pl.DataFrame, keys: list[str]) -> dict[tuple[str, ...], dict[str, int]]:
    out: dict[tuple[str, ...], dict[str, int]] = {}
    for r in frame.iter_rows(named=True):
        out.setdefault(tuple(r[k] for k in keys), dict.fromkeys(LEVELS, 0))[r["level_id"]] = r["len"]
    return out


def _mode_counts(frame: pl.DataFrame, keys: list[str]) -> dict[tuple[str, ...], dict[str, int]]:
    out: dict[tuple[str, ...], dict[str, int]] = {}
    for r in frame.iter_rows(named=True):
        out.setdefault(tuple(r[k] for k in keys), {})[r["mode_r"]] = r["len"]
    return out


Figures = tuple[pl.DataFrame, pl.DataFrame]  # (the counts of each scope, its modes): `figures`


def assemble(summary_f: Figures, counties_f: Figures, towns_f: Figures, outlets_c: pl.DataFrame,
             outlets_t: pl.DataFrame, total: dict[str, int], rules: dict[str, Any],
             inputs: list[dict[str, int]]) -> dict[str, Any]:
    """The report (what benchmarks/figures.py compares) from the figures of each scope and the outlet counts
    (also benchmarks/prototype_engine.py's, from its own checks and coverage)."""
    (summary_s, summary_m), (counties_s, counties_m), (towns_s, towns_m) = summary_f, counties_f, towns_f
    oc, ot = _level_counts(outlets_c, ["c"]), _level_counts(outlets_t, ["c", "t"])
    mc, mt = _mode_counts(counties_m, ["c"]), _mode_counts(towns_m, ["c", "t"])
    s = summary_s.row(0, named=True)
    due = rules["targets"]
    summary = scope_row(s, _mode_counts(summary_m, []).get((), {}), total)
    targets = [count_target(x, total) if x["metric"].startswith("outlets.") else rate_target(x, s) for x in due]
    counties = {}
    for r in counties_s.iter_rows(named=True):
        row = scope_row(r, mc.get((r["c"],), {}), oc.get((r["c"],), dict.fromkeys(LEVELS, 0)))
        row["targets"] = [rate_target(x, r) for x in due if not x["metric"].startswith("outlets.")]
        counties[r["c"]] = row
    townships = {f"{r['c']}/{r['t']}": scope_row(r, mt.get((r["c"], r["t"]), {}),
                                                 ot.get((r["c"], r["t"]), dict.fromkeys(LEVELS, 0)))
                 for r in towns_s.iter_rows(named=True)}
    return {"inputs": inputs, "summary": summary, "targets": targets, "counties": counties,
            "townships": townships}


# ---- export: the writers' own work, for `kuaidi export` side by side ---------------------------------

ATTENTION_CAP = 20_000  # rows of the attention list in the workbook (all of them in its CSV), as kuaidi


def _flat(rows: dict[str, dict[str, Any]], names: tuple[str, ...]) -> pl.DataFrame:
    out = []
    for key, r in rows.items():
        row = dict(zip(names, key.split("/", len(names) - 1), strict=True))
        row.update({k: x for k, x in r.items() if not isinstance(x, dict | list)})
        row.update({f"outlets_{k}": x for k, x in (r.get("outlets") or {}).items()})
        out.append(row)
    return pl.DataFrame(out, infer_schema_length=None)


def export(folder: Path, result: dict[str, Any], cov: pl.DataFrame, text: str) -> None:
    """The figures as the four formats kuaidi export writes: a workbook (counties, townships, the villages
    needing attention: not reached, or a priority village without a point, capped as kuaidi caps them),
    CSV tables (the attention list whole), the JSON, and an HTML page of the two tables."""
    import html

    import xlsxwriter

    folder.mkdir(parents=True, exist_ok=True)
    counties = _flat(result["counties"], ("county",))
    townships = _flat(result["townships"], ("county", "township"))
    attention = (cov.filter(~pl.col("reached_d") | (pl.col("priority") & ~pl.col("in_v")))
                 .select("c", "t", "v", "code_t", "pop", "dist", "reached_d", "in_v", "priority"))
    (folder / "report.json").write_text(text, encoding="utf-8")
    counties.write_csv(folder / "counties.csv")
    townships.write_csv(folder / "townships.csv")
    attention.write_csv(folder / "attention.csv")
    book = xlsxwriter.Workbook(str(folder / "report.xlsx"), {"constant_memory": True})
    for name, frame in (("counties", counties), ("townships", townships), ("attention", attention.head(ATTENTION_CAP))):
        sheet = book.add_worksheet(name)
        sheet.write_row(0, 0, frame.columns)
        for i, r in enumerate(frame.iter_rows(), start=1):
            sheet.write_row(i, 0, r)
    book.close()

    def table(frame: pl.DataFrame) -> str:
        head = "".join(f"<th>{html.escape(c)}</th>" for c in frame.columns)
        body = "".join("<tr>" + "".join(f"<td>{html.escape('' if x is None else str(x))}</td>" for x in r) + "</tr>"
                       for r in frame.iter_rows())
        return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"

    (folder / "report.html").write_text(f"<!doctype html><meta charset=utf-8>{table(counties)}{table(townships)}",
                                        encoding="utf-8")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("villages", type=Path)
    ap.add_argument("outlets", type=Path)
    ap.add_argument("--rules", type=Path, default=Path(__file__).resolve().parent / "national-rules.yaml")
    ap.add_argument("--as-of", required=True)
    ap.add_argument("-o", "--out", type=Path)
    ap.add_argument("--export", type=Path, help="also write the tables as xlsx, csv, json and html into this folder")
    args = ap.parse_args()
    keep: dict[str, pl.DataFrame] = {}
    out = report(args.villages, args.outlets, args.rules, args.as_of, keep)
    text = json.dumps(out, ensure_ascii=False, sort_keys=True)
    if args.export:
        export(args.export, out, keep["villages"], text)
    if args.out:
        args.out.write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text + "\n")


if __name__ == "__main__":
    main()
