#!/usr/bin/env python3
"""What kuaidi's costliest steps would take in a compiled engine: a measured prototype (issue 23).

    python benchmarks/prototype_engine.py VILLAGES OUTLETS --rules R --as-of 2022-12-31 \
        [--runs 3] [--check KUAIDI_REPORT.json]

Does, in polars, the work of the steps of `kuaidi report` that hold most of its time, on a CSV pair as
benchmarks/generate.py writes it, and prints each step's wall time (median of --runs, in this process):

- read: both CSVs as text (kuaidi: read.csvfile.read_csv);
- checks (kuaidi: check.validate, both registers):
  - normalise every column: NFKC and whitespace removal on the distinct texts that may change,
    placeholders (-, /, 无数据 …) as empty (kuaidi: check.rows.distincts, which factorises every column,
    and the normal forms of core.normalise.Distinct; polars hashes texts where it groups them);
  - the blank, total and note rows, then exact repeats of a row (kuaidi: check.rows.skip_masks,
    check.duplicates.repeats);
  - the per-row validations of check.units (missing and over-long names, numbers, dates, yes/no, codes,
    modes, levels), inconsistent-flags, the outlet rules, the repeated villages and outlets, the rows with
    an undecided priority (check.blanks.undecided_priority);
  - the code prefixes: each county's (township's) majority prefix and each prefix's majority name
    (kuaidi: check.prefixes.code_prefixes);
- coverage: the figures of every village (a point in it, served, reached, the mode) and their sums per
  county and township (kuaidi: measure.coverage.compute and the sums report.build takes of it), from
  benchmarks/engine_polars.py's coverage, fed with the rows checked here.

It counts findings; it does not write them (no message, no location, no sort, no cap of 200 000). With
--check it asserts that its counts equal kuaidi's: the findings per (code, file, field) and each file's
rows, blank, total, note, duplicate, invalid, valid and uncertain rows (kuaidi_cli.api.check, run once,
not timed), and the report's figures per county and township (benchmarks/figures.py against the given
`kuaidi report --format json`). It handles the columns and messy cells the generated registers hold (see
benchmarks/engine_polars.py); what it leaves out is listed in docs/PERFORMANCE.md.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

import polars as pl
import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))
import engine_polars as ep
import figures as fig

VILLAGE_FIELDS = {"县区": "county", "乡镇": "township", "行政村": "village", "区划代码": "code",
                  "人口数(人)": "population", "距乡镇驻地距离(公里)": "distance_km", "是否驻村设点": "in_village",
                  "设点时间": "in_village_since", "是否通达": "reached", "通达时间": "reached_since",
                  "合作模式": "mode"}
OUTLET_FIELDS = {"服务点编号": "outlet_id", "服务点名称": "name", "层级": "level", "县区": "county",
                 "乡镇": "township", "行政村": "village", "所在村区划代码": "village_code", "合作模式": "mode",
                 "合作企业": "operators", "启用日期": "opened", "停用日期": "closed", "辐射村": "serves"}
TYPES = {"county": "text", "township": "text", "village": "text", "code": "code", "population": "int",
         "distance_km": "number", "in_village": "yesno", "in_village_since": "date", "reached": "yesno",
         "reached_since": "date", "mode": "mode", "outlet_id": "text", "name": "text", "level": "level",
         "village_code": "code", "operators": "list", "opened": "date", "closed": "date", "serves": "list"}
REQUIRED = {"villages": {"county", "township", "village"}, "outlets": {"county"}}
FIGURE_CELLS = {"villages": {"population", "distance_km", "in_village", "in_village_since", "reached",
                             "reached_since", "mode"},
                "outlets": {"name", "level", "mode", "opened", "closed"}}
WARNINGS = {"total-row", "note-row", "duplicate-row", "code-prefix-disagrees", "priority-unknown",
            "inconsistent-flags"}
TOTAL = r"^.{0,10}(合计|总计|小计|共计)$|^(合计|总计|小计|共计)\b.*$|^(?i)total$"
NOTE = r"^(注|说明|备注|填表|制表|审核|负责人|联系人|联系电话|数据来源|资料来源|单位|数据截至)"
NUMBER = (r"^(?:约为|大约|约|≈|~)?([+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:e[+-]?\d+)?)(人|口|公里|千米|km|米|m)?"
          r"(?:左右|以上|余)?$")
DATE = (r"^(\d{4})(?:[-/.年](\d{1,2})(?:[-/.月](\d{1,2})日?|月)?)"
        r"(?:t\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$")
# the placeholders in every case (their letters are ASCII): no lower-casing of every cell
EMPTY = [*ep.EMPTY, "N/A", "N/a", "n/A", "#N/A", "#N/a", "#n/A"]
PROFILE = False
MAX = {"population": 100_000.0, "distance_km": 200.0}


# ---- read ------------------------------------------------------------------------------------------

def read(path: Path, fields: dict[str, str]) -> pl.DataFrame:
    frame = pl.read_csv(path, infer_schema=False, encoding="utf8")
    frame = frame.rename({c: fields.get(c.lstrip("\ufeff"), c.lstrip("\ufeff")) for c in frame.columns})
    return frame.with_columns(pl.all().fill_null(""))


# ---- checks ----------------------------------------------------------------------------------------

def normalise(raw: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Every column's text in normal form (NFKC, no whitespace) and its emptiness (a placeholder): what
    kuaidi's Distinct holds of each column. No codes: polars hashes the texts where it groups them."""
    text = ep.normalised(raw, raw.columns)
    return text, text.select(pl.col(c).is_in(EMPTY).alias(c) for c in text.columns)


def skip_masks(text: pl.DataFrame, empty: pl.DataFrame) -> pl.DataFrame:
    """blank, total, note and repeat of each row (every column of the generated registers is mapped)."""
    cols = text.columns
    words = ["合计", "总计", "小计", "共计", "total"]
    maybe = text.select(pl.any_horizontal(pl.col(c).str.contains_any(words, ascii_case_insensitive=True)
                                          for c in cols)).to_series()
    total = pl.Series("total", [False] * text.height)
    at = maybe.arg_true()
    if len(at):
        total = total.scatter(at, text[at].select(pl.any_horizontal(pl.col(c).str.contains(TOTAL)
                                                                    for c in cols)).to_series())
    filled = empty.select(pl.sum_horizontal(~pl.col(c) for c in cols)).to_series()
    blank = (filled == 0) & ~total
    lone = text.select(pl.coalesce(pl.when(~empty[c]).then(pl.col(c)) for c in cols)).to_series()
    note = (filled == 1) & lone.str.contains(NOTE).fill_null(False) & ~total & ~blank
    skipped = blank | total | note
    # a repeated row repeats every cell: only the rows whose most varied cell (the code, the id) repeats
    # are compared whole
    key = next((c for c in ("code", "outlet_id") if c in cols), None)
    repeat = pl.Series("repeat", [False] * text.height)
    at = text[key].is_duplicated().arg_true() if key else pl.int_range(text.height, eager=True)
    if len(at):
        repeat = repeat.scatter(at, ~text[at].select(pl.struct(cols).is_first_distinct()).to_series())
    repeat = repeat & ~skipped
    return pl.DataFrame({"blank": blank, "total": total, "note": note, "repeat": repeat})


def number(text: pl.Expr, empty: pl.Expr, unit: str) -> tuple[pl.Expr, pl.Expr]:
    t = text.str.to_lowercase().str.replace_all(r"[,，'’_]", "")
    parts = t.str.extract_groups(NUMBER)
    factors = ({"": 1.0, "人": 1.0, "口": 1.0} if unit == "people"
               else {"": 1.0, "公里": 1.0, "千米": 1.0, "km": 1.0, "米": 0.001, "m": 0.001})
    factor = parts.struct.field("2").fill_null("").replace_strict(factors, default=None,
                                                                  return_dtype=pl.Float64)
    value = parts.struct.field("1").cast(pl.Float64, strict=False) * factor
    return pl.when(empty).then(None).otherwise(value), ~empty & value.is_null()


def date(col: str, text: pl.DataFrame, empty: pl.DataFrame) -> pl.DataFrame:
    """value (null if blank or bad), bad, absurd (outside 2000–2049) of each row, over the distinct texts."""
    u = (pl.DataFrame({"t": text[col], "e": empty[col]}).unique()
         .with_columns(_l=pl.col("t").str.to_lowercase()))
    g = pl.col("_l").str.extract_groups(DATE)
    u = u.with_columns(_g=g, _c=pl.col("_l").str.extract(r"^(\d{8})$", 1),
                       _s=pl.col("_l").str.extract(r"^(\d{5})(?:\.\d+)?$", 1).cast(pl.Int32, strict=False))
    y = pl.coalesce(pl.col("_g").struct.field("1"), pl.col("_c").str.slice(0, 4)).cast(pl.Int32, strict=False)
    m = pl.coalesce(pl.col("_g").struct.field("2"), pl.col("_c").str.slice(4, 2)).cast(pl.Int32, strict=False)
    d = pl.coalesce(pl.col("_g").struct.field("3"), pl.col("_c").str.slice(6, 2)).cast(pl.Int32, strict=False)
    u = u.with_columns(_y=y, _m=m, _d=d)
    ok_month = pl.col("_y").is_between(1678, 2261) & pl.col("_m").is_between(1, 12)
    u = u.with_columns(_end=pl.when(ok_month).then(pl.date(pl.col("_y"), pl.col("_m"), 1).dt.month_end()))
    day_ok = pl.col("_d").is_null() | pl.col("_d").is_between(1, pl.col("_end").dt.day())
    value = (pl.when(~ok_month | ~day_ok).then(None).when(pl.col("_d").is_null()).then(pl.col("_end"))
             .otherwise(pl.date(pl.col("_y"), pl.col("_m"), pl.when(day_ok).then(pl.col("_d")).otherwise(1))))
    serial = pl.when(pl.col("_s").is_between(20090, 79988)).then(
        pl.lit("1899-12-30").str.to_date() + pl.duration(days=pl.col("_s")))
    u = u.with_columns(_v=pl.when(pl.col("e")).then(None).otherwise(pl.coalesce(serial, value)))
    in_range = pl.col("_v").is_between(pl.date(2000, 1, 1), pl.date(2049, 12, 31))
    u = u.select("t", "e", pl.when(in_range).then(pl.col("_v")).alias("v"),
                 (~pl.col("e") & pl.col("_v").is_null()).alias("bad"),
                 (pl.col("_v").is_not_null() & ~in_range).alias("absurd"))
    return pl.DataFrame({"t": text[col], "e": empty[col]}).join(u, on=["t", "e"], how="left",
                                                                 maintain_order="left")


def majority(frame: pl.DataFrame, group: str, value: str) -> pl.DataFrame:
    """Each group's value held by most rows; of equally many, the one seen first (kuaidi's majority)."""
    return (frame.group_by(group, value).agg(pl.len().alias("n"), pl.col("i").min().alias("first"))
            .sort([group, "n", "first"], descending=[False, True, False])
            .group_by(group, maintain_order=True).agg(pl.col(value).first()))


def prefixes(live: pl.DataFrame, code_ok: pl.Series) -> pl.Series:
    """code-prefix-disagrees of each row: the county's (then, on the rows not flagged, the county and
    township's) prefix is another, or most rows with the prefix write another name."""
    f = live.select(pl.col("county"), pl.col("township"), pl.col("code")).with_row_index("i").with_columns(
        ok=code_ok & ~live["county_empty"], okt=code_ok & ~live["county_empty"] & ~live["township_empty"])
    flagged = pl.Series("f", [False] * f.height)
    for width, group in ((6, ["county"]), (9, ["county", "township"])):
        ok = "ok" if width == 6 else "okt"
        rows = f.filter(pl.col(ok) & ~flagged.alias("f")).select(
            "i", pl.struct(group).rank("dense").alias("g"), pl.col("code").str.slice(0, width).alias("p"))
        of_name = majority(rows, "g", "p").rename({"p": "p_of_g"})
        of_prefix = majority(rows, "p", "g").rename({"g": "g_of_p"})
        hit = (rows.join(of_name, on="g").join(of_prefix, on="p")
               .filter((pl.col("p") != pl.col("p_of_g")) | (pl.col("g") != pl.col("g_of_p"))))
        flagged = flagged.scatter(hit["i"], True)
    return flagged


def check(raw: pl.DataFrame, kind: str, rules: dict[str, Any], times: dict[str, float]) -> dict[str, Any]:
    """The findings counted per (code, field), each row's fate, and the typed rows that count."""
    t0 = time.perf_counter()
    text, empty = normalise(raw)
    times["normalise"] += (t1 := time.perf_counter()) - t0
    skip = skip_masks(text, empty)
    times["skip masks+repeats"] += (t2 := time.perf_counter()) - t1
    keep = ~(skip["blank"] | skip["total"] | skip["note"] | skip["repeat"])
    text, empty = text.filter(keep), empty.filter(keep)
    found: dict[tuple[str, str], pl.Series] = {}

    def add(code: str, field: str, mask: pl.Series) -> None:
        found[(code, field)] = found[(code, field)] | mask if (code, field) in found else mask

    out: dict[str, pl.Series] = {}
    modes = ep.mode_table(rules)
    levels = {}
    for lvl, spec in rules["outlet_levels"].items():
        for a in (lvl, spec["label"], *spec.get("aliases", [])):
            levels[a] = lvl
    for name in text.columns:
        t_col = time.perf_counter()
        typ, t, e = TYPES[name], pl.col(name), pl.col("_e")
        frame = pl.DataFrame({name: text[name], "_e": empty[name]})
        if typ == "text":
            if name in REQUIRED[kind]:
                add("missing-value", name, empty[name])
            add("absurd-value", name, text[name].str.len_chars() > 100)
            out[name] = frame.select(pl.when(~e).then(t)).to_series()
        elif typ in ("int", "number"):
            value, bad = number(t, e, "people" if typ == "int" else "km")
            # over the distinct texts (a population column holds ~13 000), joined back
            u = frame.unique().with_columns(value.alias("v"), bad.alias("b"))
            r = frame.join(u, on=[name, "_e"], how="left", maintain_order="left")
            v, bad_s = r["v"], r["b"]
            add("bad-number", name, bad_s)
            if typ == "int":
                frac = (v.is_not_null() & (v != v.floor())).fill_null(False)
                add("bad-number", name, frac)
                v = pl.select(pl.when(frac).then(None).otherwise(v)).to_series()
            neg, big = (v < 0).fill_null(False), (v > MAX[name]).fill_null(False)
            add("negative-value", name, neg)
            add("absurd-value", name, big)
            out[name] = pl.select(pl.when(neg | big).then(None).otherwise(v)).to_series()
        elif typ == "yesno":
            value, bad = ep.yes_no(name)[f"{name}_v"], ep.yes_no(name)[f"{name}_bad"]
            u = frame.unique().with_columns(value.alias("v"), bad.alias("b"))
            r = frame.join(u, on=[name, "_e"], how="left", maintain_order="left")
            add("bad-yes-no", name, r["b"])
            out[name] = r["v"]
        elif typ == "date":
            r = date(name, text, empty)
            add("bad-date", name, r["bad"])
            add("absurd-value", name, r["absurd"])
            out[name] = r["v"]
        elif typ == "code":
            dotless = t.str.replace(r"\.0+$", "")
            r = frame.select(dotless.alias("c"), dotless.is_in(EMPTY).alias("e2"))
            ok = r["c"].str.contains(r"^[0-9]{12}$") & ~r["e2"]
            add("bad-code", name, ~r["e2"] & ~ok)
            out[name] = pl.select(pl.when(ok).then(r["c"])).to_series()
        elif typ in ("mode", "level"):
            table = modes if typ == "mode" else levels
            v = frame.select(t.replace_strict(table, default=None)).to_series()
            add(f"bad-{typ}", name, ~empty[name] & v.is_null())
            out[name] = v
        else:
            out[name] = text[name]
        if PROFILE:
            print(f"    {kind} {name} {time.perf_counter() - t_col:.3f}", file=sys.stderr)
    typed = pl.DataFrame(out).with_columns(
        pl.Series(f"{c}_empty", empty[c]) for c in ("county", "township", "village") if c in empty.columns)
    if kind == "villages":
        add("inconsistent-flags", "reached", (typed["in_village"] & ~typed["reached"]).fill_null(False))
        times["validations"] += (t3 := time.perf_counter()) - t2
        add("code-prefix-disagrees", "code", prefixes(typed, typed["code"].is_not_null()))
        times["code prefixes"] += (t4 := time.perf_counter()) - t3
    else:
        lv = typed["level"]
        need_t = lv.is_in(["township_station", "village_point"]).fill_null(False)
        add("missing-value", "township", need_t & typed["township"].is_null())
        point = (lv == "village_point").fill_null(False)
        add("missing-value", "village", point & typed["village"].is_null() & typed["village_code"].is_null())
        add("bad-date-order", "closed", (typed["closed"] < typed["opened"]).fill_null(False))
        t4 = time.perf_counter()
        times["validations"] += t4 - t2
    # errors in cells that leave no village (outlet): invalid; only in figure cells: uncertain
    error = [m for (c, f), m in found.items() if c not in WARNINGS]
    other = [m for (c, f), m in found.items() if c not in WARNINGS and f not in FIGURE_CELLS[kind]]
    invalid = pl.select(pl.any_horizontal(error)).to_series() if error else pl.repeat(False, typed.height,
                                                                                         eager=True)
    hard = pl.select(pl.any_horizontal(other)).to_series() if other else pl.repeat(False, typed.height,
                                                                                      eager=True)
    typed = typed.with_row_index("i").with_columns(hard=hard, uncertain=invalid & ~hard)
    # the same village twice (code, else county, township and name), the same outlet id twice
    ok = typed.filter(~pl.col("hard"))
    if kind == "villages":
        has = pl.col("code").is_not_null()
        by_code = ok.filter(has).filter(~pl.col("code").is_first_distinct())["i"]
        by_name = ok.filter(~pl.struct("county", "township", "village").is_first_distinct())["i"]
        dup_at = pl.concat([by_code, by_name]).unique()
        dup_code = "duplicate-village", "village"
    else:
        dup_at = ok.filter(pl.col("outlet_id").is_not_null() & ~pl.col("outlet_id").is_first_distinct())["i"]
        dup_code = "duplicate-outlet", "outlet_id"
    dup = pl.Series([False] * typed.height).scatter(dup_at, True)
    found[dup_code] = dup
    typed = typed.with_columns(hard=pl.col("hard") | dup, uncertain=pl.col("uncertain") & ~dup)
    if kind == "villages":  # a priority no condition decides, with a number blank or unreadable
        conds = rules["priority"]["any"]
        col = {"population": "population", "distance_km": "distance_km"}
        holds = pl.any_horizontal((getattr(pl.col(col[c["field"]]), {">=": "__ge__", ">": "__gt__"}[c["op"]])(
            c["value"])).fill_null(False) for c in conds)
        told = pl.lit(False)
        counted = ~pl.col("hard") | pl.col("uncertain")
        for c in conds:
            here = counted & ~holds & pl.col(col[c["field"]]).is_null() & ~told
            found[("priority-unknown", col[c["field"]])] = typed.select(here).to_series()
            told = told | here
    times["validations"] += time.perf_counter() - t4
    counts = {f"{c}|{f}": int(m.sum()) for (c, f), m in found.items() if m.sum()}
    counts.update({"total-row|None": int(skip["total"].sum()), "note-row|None": int(skip["note"].sum()),
                   "duplicate-row|None": int(skip["repeat"].sum())})
    rows = {"rows": raw.height, "blank": int(skip["blank"].sum()), "total": int(skip["total"].sum()),
            "note": int(skip["note"].sum()), "duplicate": int(skip["repeat"].sum()),
            "invalid": int((typed["hard"]).sum()), "uncertain": int(typed["uncertain"].sum()),
            "valid": int((~typed["hard"] & ~typed["uncertain"]).sum())}
    return {"findings": {k: n for k, n in counts.items() if n}, "rows": rows,
            "typed": typed.filter(~pl.col("hard")), "text": text.filter(~typed["hard"])}


# ---- coverage --------------------------------------------------------------------------------------

def coverage(v: dict[str, Any], o: dict[str, Any], rules: dict[str, Any], as_of: str) -> dict[str, Any]:
    """engine_polars' coverage and sums, fed with the rows checked above."""
    t = pl.lit(as_of).str.to_date()
    tv, xv = v["typed"], v["text"]
    bad = {f: pl.Series([False] * tv.height) for f in ("in_village_since", "reached_since", "reached")}
    vv = tv.select(
        c=xv["county"], t=xv["township"], v=xv["village"], code_t=pl.col("code").fill_null(""),
        pop=pl.col("population"), dist=pl.col("distance_km"), iv=pl.col("in_village"), rc=pl.col("reached"),
        rcs=pl.col("reached_since"), mode_id=pl.col("mode"))
    # what makes a figure undecided: the row's unreadable cells (its uncertain fields)
    unread = v["unreadable"]
    vv = vv.with_columns(rc_bad=unread["reached"], rcs_bad=unread["reached_since"])
    del bad
    pr, fo = rules["priority"]["any"], rules["focus"]["any"]
    vv = vv.with_columns(
        ep._any_of(pr).alias("priority"), ep._undecided(pr).alias("priority_unknown"),
        ep._any_of(fo).alias("focus"), ep._undecided(fo).alias("focus_unknown"),
        ep._flag("rc", "rcs", "rc_bad", "rcs_bad", t).alias("reg_reached"),
        ep._flag_unknown("rc", "rcs", "rc_bad", "rcs_bad", t).alias("reg_reached_unknown")).with_row_index("vid")
    to, xo = o["typed"], o["text"]
    oo = to.select(c=xo["county"], t=xo["township"], v=xo["village"],
                   code_t=pl.col("village_code").fill_null(""), level_id=pl.col("level"), mode_id=pl.col("mode"),
                   serves=xo["serves"], opened=pl.col("opened"), closed=pl.col("closed"))
    oo = oo.with_columns(active=((pl.col("opened").is_null() | (pl.col("opened") <= t))
                                 & ~(pl.col("closed").is_not_null() & (pl.col("closed") <= t))
                                 & pl.col("level_id").is_not_null()))
    cov = ep.coverage(vv, oo, rules)
    outlets_c, outlets_t, total = ep.outlet_counts(oo.filter("active"))
    return {"counties": ep.figures(cov, ["c"]), "townships": ep.figures(cov, ["c", "t"]),
            "summary": ep.figures(cov, []), "outlets_c": outlets_c, "outlets_t": outlets_t, "total": total}


def as_report(cov: dict[str, Any], rules: dict[str, Any], inputs: list[dict[str, int]]) -> dict[str, Any]:
    """The figures in engine_polars' report shape (what benchmarks/figures.py compares); not timed."""
    return ep.assemble(cov["summary"], cov["counties"], cov["townships"], cov["outlets_c"], cov["outlets_t"],
                       cov["total"], rules, inputs)


# ---- one run ---------------------------------------------------------------------------------------

def run(vpath: Path, opath: Path, rules: dict[str, Any], as_of: str) -> tuple[dict[str, float], dict[str, Any]]:
    times: dict[str, float] = dict.fromkeys(("read", "normalise", "skip masks+repeats", "validations",
                                             "code prefixes", "coverage"), 0.0)
    t0 = time.perf_counter()
    vraw, oraw = read(vpath, VILLAGE_FIELDS), read(opath, OUTLET_FIELDS)
    times["read"] = time.perf_counter() - t0
    t1 = time.perf_counter()
    v = check(vraw, "villages", rules, times)
    o = check(oraw, "outlets", rules, times)
    times["checks"] = time.perf_counter() - t1
    # the unreadable cells of the counted rows, by field (what makes their figures undecided)
    t2 = time.perf_counter()
    v["unreadable"] = unreadable(v["typed"], v["text"])
    cov = coverage(v, o, rules, as_of)
    times["coverage"] = time.perf_counter() - t2
    times["whole (read+checks+coverage)"] = time.perf_counter() - t0
    return times, {"v": v, "o": o, "cov": cov}


def unreadable(typed: pl.DataFrame, text: pl.DataFrame) -> pl.DataFrame:
    """A cell is unreadable when its text is not empty and its typed value is null (the checks' bad cells)."""
    return pl.DataFrame({f: (typed[f].is_null() & ~text[f].is_in(EMPTY))
                         for f in ("reached", "reached_since")})


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("villages", type=Path)
    ap.add_argument("outlets", type=Path)
    ap.add_argument("--rules", type=Path, required=True)
    ap.add_argument("--as-of", required=True)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--check", type=Path, help="kuaidi's report JSON of the same pair: assert equal figures")
    args = ap.parse_args()
    rules = yaml.safe_load(args.rules.read_text(encoding="utf-8"))
    all_times: list[dict[str, float]] = []
    result: dict[str, Any] = {}
    for _ in range(args.runs):
        times, result = run(args.villages, args.outlets, rules, args.as_of)
        all_times.append(times)
        print("  ".join(f"{k} {t:.2f}" for k, t in times.items()), file=sys.stderr, flush=True)
    print(f"median of {args.runs} runs (s):")
    for k in all_times[0]:
        xs = [t[k] for t in all_times]
        print(f"  {k:32s} {statistics.median(xs):6.2f}  (min {min(xs):.2f}, max {max(xs):.2f})")
    if args.check:
        verify(args, rules, result)


def verify(args: argparse.Namespace, rules: dict[str, Any], result: dict[str, Any]) -> None:
    """The counts above equal kuaidi's: findings per (code, file, field), rows per file, report figures."""
    from kuaidi_cli.api import check as kuaidi_check

    k = kuaidi_check(str(args.villages), str(args.outlets), rules=str(args.rules))
    theirs = Counter(f"{f.code}|{Path(f.file).name}|{f.field}" for f in [*k.findings, *k.cross])
    ours = Counter({f"{key.split('|')[0]}|{p.name}|{key.split('|')[1]}": n
                    for p, side in ((args.villages, "v"), (args.outlets, "o"))
                    for key, n in result[side]["findings"].items()})
    problems = []
    if ours != theirs:
        problems.append(f"findings differ: kuaidi {dict(theirs - ours)} prototype {dict(ours - theirs)}")
    for fr, side in zip(k.files, ("v", "o"), strict=True):
        mine = result[side]["rows"]
        want = {key: getattr(fr.counts, key) for key in mine}
        if mine != want:
            problems.append(f"{fr.table.name} rows: kuaidi {want} prototype {mine}")
    inputs = [{"rows": result[s]["rows"]["rows"], "invalid_rows": result[s]["rows"]["invalid"],
               "uncertain_rows": result[s]["rows"]["uncertain"]} for s in ("v", "o")]
    mine_report = as_report(result["cov"], rules, inputs)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "p.json"
        path.write_text(json.dumps(mine_report, ensure_ascii=False), encoding="utf-8")
        diff = fig.differences(fig.of_kuaidi(args.check), fig.of_engine(path))
    problems += diff
    n = sum(theirs.values())
    print(f"findings compared: {len(theirs)} (code, file, field) counts, {n} findings; "
          f"{len(mine_report['counties'])} counties, {len(mine_report['townships'])} townships")
    if problems:
        print("DIFFERENT:\n  " + "\n  ".join(problems[:30]))
        sys.exit(1)
    print("equal to kuaidi's")


if __name__ == "__main__":
    main()
