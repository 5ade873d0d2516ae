"""An independent reference implementation of kuaidi's figures, for the guard tests (test_reference.py).

Written from docs/METRICS.md, README.md ("What a figure may claim") and the rules file alone, in plain
Python over the csv module: nothing here is imported from kuaidi_cli. It reads simple registers (UTF-8
CSV, one header row with the template's header names, the canonical cell forms: 是/否, YYYY-MM-DD,
plain numbers) and gives, for the city, each county and each township, the RANGE of every figure over
all resolutions of the cells it cannot read (a blank 人口, 通达 = 推进中, a bad date, an outlet whose
dates are unreadable, a county absent from the outlet register): a figure is established when its
range is one point, a target is `met` (`missed`) only when it is met (missed) in every resolution.

Which part implements what:
- `_yesno`, `_num`, `_date`, `_rows`: the cell forms and the rows that are villages (README, docs/INPUTS.md:
  blank and 合计 rows skipped, required names present, county in the rules' scope, a repeat counted once).
- `_active`: METRICS "active outlet"; `_village_options`: METRICS `in_village(v)` (the outlet register
  decides for a county it holds; for a county it does not hold, the village register's own columns,
  issue 20 item 2), `reached(v)`, `priority(v)`, focus (METRICS "推进重点通达率"), "modes".
- `Scope`: METRICS "Every metric is computed for the city, each county and each township" (a township is
  its name within its county), the counts, the rates as exact Fractions, "outlets" (by the outlet row's
  own county/township); `_rate_range`: the extreme rates over the resolutions.
- `expected_status`, `gap_range`: METRICS "gap" and "status", README "What a figure may claim" (met /
  missed whatever the unknown cells turn out to be; a rate over an empty set is no-data; a county that
  sent no village row leaves the city's rates not established).
Unknown cells resolve independently per village; the only unknowns shared by villages (an outlet's
unreadable dates) are enumerated as whole worlds.
"""

from __future__ import annotations

import csv
import datetime as dt
import itertools
import math
import re
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path

import yaml

RULES = Path(__file__).resolve().parents[1] / "rules" / "targets.yaml"
V_COLS = {"county": "县区", "township": "乡镇", "village": "行政村", "code": "区划代码", "population": "人口数(人)",
          "distance": "距乡镇驻地距离(公里)", "in_village": "是否驻村设点", "in_since": "设点时间", "reached": "是否通达",
          "reached_since": "通达时间", "mode": "合作模式"}
O_COLS = {"id": "服务点编号", "name": "服务点名称", "level": "层级", "county": "县区", "township": "乡镇", "village": "行政村",
          "code": "所在村区划代码", "mode": "合作模式", "operators": "合作企业", "opened": "启用日期", "closed": "停用日期",
          "serves": "辐射村"}
UNKNOWN = None  # an unreadable cell
METRICS = {  # rate -> (numerator, denominator) as predicates over a village's (in, reached, prio, focus, mode)
    "reach_rate": (lambda a: a[1], lambda a: True),
    "in_village_rate": (lambda a: a[0], lambda a: True),
    "priority_in_village_rate": (lambda a: a[2] and a[0], lambda a: a[2]),
    "focus_reach_rate": (lambda a: a[3] and a[1], lambda a: a[3]),
}
COUNTS = {"reached": lambda a: a[1], "in_village": lambda a: a[0], "priority_villages": lambda a: a[2],
          "priority_in_village": lambda a: a[2] and a[0], "focus": lambda a: a[3], "focus_reached": lambda a: a[3] and a[1]}


def load_rules(path: Path = RULES) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def _yesno(text: str) -> bool | None:
    """是/否; a blank cell is "no" (not written; see GUARD_FINDINGS: METRICS does not say); else unknown."""
    return {"是": True, "否": False, "": False}.get(text.strip(), UNKNOWN)


def _num(text: str) -> float | None:
    try:
        return float(text.strip())
    except ValueError:
        return UNKNOWN


def _date(text: str) -> dt.date | str | None:
    """A date, "" for a blank cell (undated), None when unreadable."""
    t = text.strip()
    if not t:
        return ""
    try:
        return dt.date.fromisoformat(t) if re.fullmatch(r"\d{4}-\d\d-\d\d", t) else UNKNOWN
    except ValueError:
        return UNKNOWN


def _on_or_before(d: dt.date | str | None, t: dt.date) -> bool | None:
    """Dated on or before t, or undated (True); unknown for an unreadable date."""
    return UNKNOWN if d is UNKNOWN else (d == "" or d <= t)  # type: ignore[operator]


def _rows(paths: list[Path], cols: dict[str, str]) -> list[dict[str, str]]:
    """The records of CSV files: blank rows and 合计/小计/总计 rows are not records."""
    out = []
    for path in paths:
        with path.open(encoding="utf-8-sig", newline="") as fh:
            for raw in csv.DictReader(fh):
                row = {k: (raw.get(h) or "").strip() for k, h in cols.items()}
                if not any(row.values()) or any(v.startswith(("合计", "小计", "总计")) for v in row.values()):
                    continue
                out.append(row)
    return out


def _rule_holds(rule: dict, row_values: dict[str, float | None]) -> bool | None:
    """An `any:` condition of the rules file over possibly unknown numbers (None: could go either way)."""
    ops = {">=": lambda x, y: x >= y, ">": lambda x, y: x > y, "<=": lambda x, y: x <= y, "<": lambda x, y: x < y}
    results = []
    for c in rule["any"]:
        x = row_values[c["field"]]
        results.append(UNKNOWN if x is UNKNOWN else ops[c["op"]](x, c["value"]))
    return True if True in results else (UNKNOWN if UNKNOWN in results else False)


def _choices(value: bool | None) -> list[bool]:
    return [False, True] if value is UNKNOWN else [bool(value)]


@dataclass
class Scope:
    """The ranges of one scope's figures; `outlets[level]` is (min, max), max None when unbounded."""

    villages: int = 0
    options: list[list[set[tuple]]] = field(default_factory=list)  # per world, per village: its options
    outlets: dict[str, tuple[int, int | None]] = field(default_factory=dict)  # level -> range
    counties_unsubmitted: int = 0
    partial_outlets: bool = False  # a county of the scope is absent from the given outlet register

    def count(self, pred) -> tuple[int, int]:
        lo = min(sum(min(bool(pred(a)) for a in opts) for opts in w) for w in self.options)
        hi = max(sum(max(bool(pred(a)) for a in opts) for opts in w) for w in self.options)
        return lo, hi

    def counts(self) -> dict[str, tuple[int, int]]:
        return {name: self.count(pred) for name, pred in COUNTS.items()}

    def priority_unknown(self) -> tuple[int, int]:
        n = [sum(len({a[2] for a in opts}) > 1 for opts in w) for w in self.options]
        return min(n), max(n)

    def modes(self, ids: list[str]) -> dict[str, tuple[int, int]]:
        return {m: self.count(lambda a, m=m: a[1] and a[4] == m) for m in [*ids, "unspecified"]}

    def rate(self, metric: str) -> tuple[Fraction | None, Fraction | None, bool]:
        """(min, max, whether some resolution leaves the rate over an empty set)."""
        num, den = METRICS[metric]
        lo: Fraction | None = None
        hi: Fraction | None = None
        empty = False
        for w in self.options:
            pairs = [{(bool(num(a)), bool(den(a))) for a in opts} for opts in w]
            empty |= sum(min(d for _, d in p) for p in pairs) == 0
            worst = [next(x for x in [(0, 1), (0, 0), (1, 1)] if x in p) for p in pairs]
            best = [next(x for x in [(1, 1), (0, 0), (0, 1)] if x in p) for p in pairs]
            for pick, better in ((worst, False), (best, True)):
                d = sum(x[1] for x in pick)
                if d:
                    r = Fraction(sum(x[0] for x in pick), d)
                    if better:
                        hi = r if hi is None else max(hi, r)
                    else:
                        lo = r if lo is None else min(lo, r)
        return lo, hi, empty


@dataclass
class Reference:
    as_of: dt.date
    rules: dict
    city: Scope
    counties: dict[str, Scope]
    townships: dict[tuple[str, str], Scope]
    outlets_given: bool


def compute(village_files: list[Path], outlet_files: list[Path] | None, as_of: dt.date,
            rules: dict | None = None) -> Reference:
    rules = rules or load_rules()
    scope = list(rules["scope"]["counties"])
    alias = {**{c: c for c in scope}, **rules.get("aliases", {}).get("counties", {})}
    levels = {t: lvl for lvl, spec in rules["outlet_levels"].items() for t in [spec["label"], *spec["aliases"]]}
    mode_ids = [m["id"] for m in rules["modes"]]
    mode_of = {t: m["id"] for m in rules["modes"] for t in [m["id"], *m["aliases"]]}

    villages, seen = [], set()
    for r in _rows(village_files, V_COLS):
        county = alias.get(r["county"])
        if county is None or not r["township"] or not r["village"]:
            continue  # not a village of the scope (or not a valid row)
        key = (county, r["township"], r["village"])
        if key not in seen:
            seen.add(key)
            villages.append({**r, "county": county})
    outlets = []
    for r in _rows(outlet_files or [], O_COLS):
        county, level = alias.get(r["county"]), levels.get(r["level"])
        if county and level and r["id"]:
            opened, closed = _date(r["opened"]), _date(r["closed"])
            closed_by = False if closed == "" else _on_or_before(closed, as_of)
            is_open = _on_or_before(opened, as_of)
            active = UNKNOWN if UNKNOWN in (is_open, closed_by) else bool(is_open and not closed_by)
            outlets.append({**r, "county": county, "level": level, "active": active})
    outlet_counties = {o["county"] for o in outlets} if outlet_files else set()
    unknown_outlets = [i for i, o in enumerate(outlets) if o["active"] is UNKNOWN]
    by_code = {v["code"]: i for i, v in enumerate(villages) if v["code"]}
    by_name = {(v["county"], v["township"], v["village"]): i for i, v in enumerate(villages)}
    first = {m: k for k, m in enumerate(mode_ids)}

    def pick(modes: list[str]) -> str | None:
        return min(modes, key=first.__getitem__) if modes else None

    worlds = []
    for bits in itertools.product([False, True], repeat=len(unknown_outlets)):
        state: list[bool | None] = [o["active"] for o in outlets]
        for k, b in zip(unknown_outlets, bits, strict=True):
            state[k] = b
        points: dict[int, list[str]] = {}
        served: dict[int, list[str]] = {}
        for o, on in zip(outlets, state, strict=True):
            if not on:
                continue
            mode = mode_of.get(o["mode"], "unspecified")
            if o["level"] == "village_point":
                p = by_code.get(o["code"]) if o["code"] else None
                p = p if p is not None else by_name.get((o["county"], o["township"], o["village"]))
                if p is not None:
                    points.setdefault(p, []).append(mode)
            for name in filter(None, re.split(r"[、，,;；\s]+", o["serves"])):
                j = by_name.get((o["county"], o["township"], name))
                if j is not None:
                    served.setdefault(j, []).append(mode)
        worlds.append((state, [_village_options(v, i, points, served, outlet_counties, as_of, rules, mode_of, pick)
                                for i, v in enumerate(villages)]))

    def make(vs: list[int], in_scope, counties_of_scope: list[str]) -> Scope:
        s = Scope(villages=len(vs), options=[[w[1][i] for i in vs] for w in worlds])
        s.counties_unsubmitted = sum(1 for c in counties_of_scope if not any(v["county"] == c for v in villages))
        s.partial_outlets = bool(outlet_files) and any(c not in outlet_counties for c in counties_of_scope)
        unbounded = not outlet_files or s.partial_outlets
        for lvl in rules["outlet_levels"]:
            mine = [(i, o) for i, o in enumerate(outlets) if o["level"] == lvl and in_scope(o)]
            ns = [sum(bool(w[0][k]) for k, _ in mine) for w in worlds]
            s.outlets[lvl] = (min(ns), None if unbounded else max(ns))
        return s

    city = make(list(range(len(villages))), lambda o: True, scope)
    counties = {c: make([i for i, v in enumerate(villages) if v["county"] == c], lambda o, c=c: o["county"] == c, [c])
                for c in scope}
    towns = sorted({(v["county"], v["township"]) for v in villages})
    townships = {t: make([i for i, v in enumerate(villages) if (v["county"], v["township"]) == t],
                         lambda o, t=t: (o["county"], o["township"]) == t, [t[0]]) for t in towns}
    return Reference(as_of, rules, city, counties, townships, bool(outlet_files))


def _village_options(v, i, points, served, outlet_counties, as_of, rules, mode_of, pick) -> set[tuple]:
    """Every (in_village, reached, priority, focus, mode) the village can have, over its unknown cells."""
    pop, dist = _num(v["population"]), _num(v["distance"])
    by_outlets = v["county"] in outlet_counties
    options = set()
    for p, d in itertools.product([pop] if pop is not UNKNOWN else [0.0, 1e9],
                                  [dist] if dist is not UNKNOWN else [0.0, 1e9]):
        prio = bool(_rule_holds(rules["priority"], {"population": p, "distance_km": d}))
        focus = bool(_rule_holds(rules["focus"], {"population": p, "distance_km": d}))
        in_col = _yesno(v["in_village"])
        in_since = _on_or_before(_date(v["in_since"]), as_of)
        for col_in, since_ok, r_col, r_ok in itertools.product(
                _choices(in_col), _choices(in_since), _choices(_yesno(v["reached"])),
                _choices(_on_or_before(_date(v["reached_since"]), as_of))):
            inside = i in points if by_outlets else (col_in and since_ok)
            reached = inside or i in served or (r_col and r_ok)
            register_mode = mode_of.get(v["mode"], "unspecified")
            if inside:
                mode = pick(points[i]) if by_outlets else register_mode
            elif i in served:
                mode = pick(served[i])
            else:
                mode = register_mode
            options.add((inside, reached, prio, focus, mode if reached else None))
    return options


def due(target: dict, as_of: dt.date) -> bool:
    d = target["due"]
    return as_of >= (d if isinstance(d, dt.date) else dt.date.fromisoformat(str(d)))


def established(target: dict, s: Scope) -> str | None:
    """"met" / "missed" when every resolution agrees (and the scope is whole), else None."""
    goal = Fraction(str(target["target"]))
    metric = target["metric"]
    if metric.startswith("outlets."):  # outlets counted are counted whatever else a county failed to send:
        lo, hi = s.outlets[metric.split(".", 1)[1]]  # enough of them is met; too few may be the part not sent
        if lo >= goal:
            return "met"
        return "missed" if hi is not None and hi < goal and not s.counties_unsubmitted else None
    if s.counties_unsubmitted:
        return None
    lo_r, hi_r, empty = s.rate(metric)
    if empty or lo_r is None or hi_r is None:
        return None
    return "met" if lo_r >= goal else ("missed" if hi_r < goal else None)


def gap_range(target: dict, s: Scope) -> tuple[int, int | None]:
    """The gap over the resolutions (METRICS "gap"): for the rules' rates, a count or a fixed denominator."""
    goal = Fraction(str(target["target"]))
    metric = target["metric"]
    if metric.startswith("outlets."):
        lo, hi = s.outlets[metric.split(".", 1)[1]]
        return max(0, math.ceil(goal) - (hi if hi is not None else 10**9)), max(0, math.ceil(goal) - lo)
    num, den = METRICS[metric]
    if goal == 1:  # the villages of the denominator not in the numerator
        return s.count(lambda a: den(a) and not num(a))
    lo, hi = s.count(num)  # a denominator every village is in
    need = math.ceil(goal * s.villages)
    return max(0, need - hi), max(0, need - lo)
