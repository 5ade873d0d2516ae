"""Coverage at a date: which villages are reached, which have an outlet of their own, and the metrics.

Pure functions over the validated frames (`Register.frame`) and an `as_of` date: no I/O, no clock.
The definitions are those of SPEC §3:

- an outlet is active at t when it opened on or before t (or has no date) and has not closed by t;
- in_village(v): an active village point stands in v (by code, else by county+township+village), or,
  without an outlet register, the village register says 驻村设点 = yes, dated ≤ t or undated;
- reached(v): in_village(v), or v is in `serves` of an active outlet, or the register says 通达 = yes
  (dated ≤ t or undated);
- priority(v) and focus(v): the conditions of the rules file.

Scopes (county, township) are keyed by code prefix (code[:6], code[:9]) where codes exist, else by
name within the parent, so that two places with the same name are never merged.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from kuaidi_cli.findings import Finding, make
from kuaidi_cli.rules import LEVELS, OPERATORS, AnyOf, Rules

UNSPECIFIED_MODE = "unspecified"
FROM_GAZETTEER = "(gazetteer)"  # the _file of villages added from the official list


@dataclass
class Coverage:
    """Every village in scope with its status at `as_of`, and the outlets active then."""

    as_of: dt.date
    villages: pd.DataFrame  # one row per village in scope: keys, names, flags, reasons, mode
    outlets: pd.DataFrame  # active outlets with county_key / township_key
    counties: pd.DataFrame  # county_key, county (display name), in scope order
    townships: pd.DataFrame  # township_key, county_key, county, township
    out_of_scope: int = 0
    findings: list[Finding] = field(default_factory=list)


def _holds(frame: pd.DataFrame, rule: AnyOf | None) -> tuple[pd.Series, pd.Series]:
    """(mask, reasons) of the villages meeting any condition; reasons lists the conditions met."""
    if rule is None:
        return pd.Series(False, index=frame.index), pd.Series([[] for _ in range(len(frame))], index=frame.index)
    hits = []
    for c in rule.any:
        values = pd.to_numeric(frame[c.field], errors="coerce")
        hits.append((c.reason, OPERATORS[c.op](values, c.value).fillna(False).astype(bool)))
    mask = pd.Series(False, index=frame.index)
    for _, hit in hits:
        mask |= hit
    reasons = pd.Series([[r for r, hit in hits if hit.iat[i]] for i in range(len(frame))], index=frame.index, dtype=object)
    return mask, reasons


def _dated_yes(flag: pd.Series, since: pd.Series, t: pd.Timestamp) -> pd.Series:
    """The register's yes/no flag at t: yes, and undated or dated on or before t."""
    return (flag == True) & (since.isna() | (since <= t))  # noqa: E712 (object column of True/False/None)


def _name_key(*parts: pd.Series) -> pd.Series:
    out = parts[0].fillna("").astype(str)
    for p in parts[1:]:
        out = out + "\x1f" + p.fillna("").astype(str)
    return out


def _scope_keys(villages: pd.DataFrame) -> tuple[pd.Series, pd.Series, dict[str, str], dict[str, str]]:
    """county_key and township_key of each village, and the name → key maps for rows without codes."""
    code = villages["code"].astype(object).where(villages["code"].notna(), None)
    has = code.notna()
    by_county = _name_key(villages["county"])
    by_township = _name_key(villages["county"], villages["township"])
    c_map = _unique_map(by_county[has], code[has].str[:6])
    t_map = _unique_map(by_township[has], code[has].str[:9])
    ck = code.str[:6].where(has, by_county.map(c_map))
    tk = code.str[:9].where(has, by_township.map(t_map))
    ck = ck.where(ck.notna(), "n:" + by_county)
    tk = tk.where(tk.notna(), "n:" + by_township)
    return ck.astype(str), tk.astype(str), c_map, t_map


def _unique_map(names: pd.Series, keys: pd.Series) -> dict[str, str]:
    """name → key where every coded row of that name has the same key."""
    pairs = pd.DataFrame({"n": names.to_numpy(), "k": keys.to_numpy()}).drop_duplicates()
    counts = pairs["n"].value_counts()
    single = pairs[pairs["n"].map(counts) == 1]
    return dict(zip(single["n"], single["k"], strict=True))


def _in_scope(frame: pd.DataFrame, rules: Rules) -> pd.Series:
    if not rules.scope.counties:
        return pd.Series(True, index=frame.index)
    return frame["county"].isin(rules.scope.counties)


def compute(villages: pd.DataFrame, outlets: pd.DataFrame | None, as_of: dt.date, rules: Rules) -> Coverage:
    """The status of every village in scope at `as_of`."""
    t = pd.Timestamp(as_of)
    scope = _in_scope(villages, rules)
    v = villages[scope].reset_index(drop=True).copy()
    out_of_scope = int((~scope).sum())
    v["county_key"], v["township_key"], c_map, t_map = _scope_keys(v)
    v["priority"], v["priority_reasons"] = _holds(v, rules.priority)
    v["focus"], _ = _holds(v, rules.focus)
    register_in_village = _dated_yes(v["in_village"], v["in_village_since"], t)
    register_reached = _dated_yes(v["reached"], v["reached_since"], t)
    findings: list[Finding] = []

    if outlets is None:
        v["in_village"] = register_in_village
        v["reached"] = register_in_village | register_reached
        v["mode"] = v["mode"].where(v["reached"], None)
        active = pd.DataFrame(columns=["level", "county_key", "township_key"])
    else:
        o = outlets[_in_scope(outlets, rules)].reset_index(drop=True).copy()
        o["county_key"], o["township_key"] = _outlet_keys(o, c_map, t_map)
        o["_village"] = _match_villages(o, v)
        findings += _unknown_villages(o)
        is_active = (o["opened"].isna() | (o["opened"] <= t)) & ~(o["closed"].notna() & (o["closed"] <= t))
        active = o[is_active]
        points = active[(active["level"] == "village_point") & (active["_village"] >= 0)]
        in_village = pd.Series(False, index=v.index)
        in_village.iloc[points["_village"].unique()] = True
        served_idx, serve_modes, unknown = _served(active, v)
        findings += unknown
        served = pd.Series(False, index=v.index)
        served.iloc[sorted(served_idx)] = True
        has_flag = v["in_village"].notna()
        disagree = has_flag & (register_in_village != in_village)
        findings += _disagreements(v[disagree], in_village[disagree], as_of)
        point_mode = points.drop_duplicates("_village").set_index("_village")["mode"]
        mode = pd.Series(v.index.map(point_mode), index=v.index, dtype=object)
        mode = mode.where(mode.notna(), pd.Series(v.index.map(serve_modes), index=v.index, dtype=object))
        mode = mode.where(mode.notna(), v["mode"])
        v["in_village"] = in_village
        v["reached"] = in_village | served | register_reached
        v["mode"] = mode.where(v["reached"], None)
    # villages added from the official list (--universe gazetteer) count as not reached, whatever else says
    official_only = v["_file"] == FROM_GAZETTEER
    if official_only.any():
        v.loc[official_only, ["in_village", "reached"]] = False
        v["mode"] = v["mode"].where(~official_only, None)
    v["mode"] = v["mode"].where(~(v["reached"] & v["mode"].isna()), UNSPECIFIED_MODE)

    counties, townships = _scopes(v, rules)
    return Coverage(as_of=as_of, villages=v, outlets=active, counties=counties, townships=townships,
                    out_of_scope=out_of_scope, findings=findings)


def _outlet_keys(o: pd.DataFrame, c_map: dict[str, str], t_map: dict[str, str]) -> tuple[pd.Series, pd.Series]:
    code = o["village_code"].astype(object).where(o["village_code"].notna(), None)
    has = code.notna()
    by_county = _name_key(o["county"])
    by_township = _name_key(o["county"], o["township"])
    ck = code.str[:6].where(has, by_county.map(c_map))
    ck = ck.where(ck.notna(), "n:" + by_county)
    tk = code.str[:9].where(has, by_township.map(t_map))
    tk = tk.where(tk.notna() | o["township"].isna(), "n:" + by_township)
    return ck.astype(str), tk.astype(object)


def _match_villages(o: pd.DataFrame, v: pd.DataFrame) -> pd.Series:
    """For each outlet, the index of the village it stands in (by code, else by names), or -1."""
    by_code = pd.Series(v.index, index=v["code"]).loc[lambda s: s.index.notna()]
    by_code = by_code[~by_code.index.duplicated()]
    names = _name_key(v["county"], v["township"], v["village"])
    by_name = pd.Series(v.index, index=names)
    by_name = by_name[~by_name.index.duplicated()]
    idx = o["village_code"].map(by_code)
    idx = idx.where(idx.notna(), _name_key(o["county"], o["township"], o["village"]).map(by_name))
    return idx.fillna(-1).astype(int)


def _unknown_villages(o: pd.DataFrame) -> list[Finding]:
    lost = o[(o["level"] == "village_point") & (o["_village"] < 0)]
    return [
        make("outlet-village-unknown", file=r["_file"], sheet=r["_sheet"], row=int(r["_row"]), field="village",
             value=r["village_code"] if isinstance(r["village_code"], str) else r["village"])
        for r in lost.to_dict("records")
    ]


def _served(active: pd.DataFrame, v: pd.DataFrame) -> tuple[set[int], dict[int, str], list[Finding]]:
    """Villages listed in `serves` of active outlets (by code, else by name within the outlet's township,
    else within its county when the name is unique there), the serving outlet's mode, and the entries
    that name no village of the register."""
    with_serves = active[active["serves"].map(len) > 0]
    if with_serves.empty:
        return set(), {}, []
    by_code = {c: i for i, c in zip(v.index, v["code"], strict=True) if isinstance(c, str)}
    by_township: dict[tuple, list[int]] = {}
    by_county: dict[tuple, list[int]] = {}
    for i, county, township, village in zip(v.index, v["county"], v["township"], v["village"], strict=True):
        by_township.setdefault((county, township, village), []).append(i)
        by_county.setdefault((county, village), []).append(i)
    served: set[int] = set()
    modes: dict[int, str] = {}
    unknown: list[Finding] = []
    for r in with_serves.to_dict("records"):
        for entry in r["serves"]:
            name = "".join(entry.split())
            hits = [by_code[name]] if name in by_code else (
                by_township.get((r["county"], r["township"], name)) if isinstance(r["township"], str) else None)
            if not hits:
                hits = by_county.get((r["county"], name)) or []
                hits = hits if len(hits) == 1 else []
            if not hits:
                unknown.append(make("serves-unknown", file=r["_file"], sheet=r["_sheet"], row=int(r["_row"]),
                                    field="serves", value=entry))
            for i in hits:
                served.add(i)
                if isinstance(r["mode"], str):
                    modes.setdefault(i, r["mode"])
    return served, modes, unknown


def _disagreements(rows: pd.DataFrame, outlet_says: pd.Series, as_of: dt.date) -> list[Finding]:
    out = []
    for (_, r), has_point in zip(rows.iterrows(), outlet_says, strict=True):
        code = "in-village-disagrees"
        zh = f"截至{as_of:%Y-%m-%d}，服务点台账{'有' if has_point else '没有'}在用的村级服务点，台账却写{'否' if has_point else '是'}"
        en = (f"at {as_of:%Y-%m-%d} the outlet register {'has an' if has_point else 'has no'} active village point here, "
              f"but this register says {'no' if has_point else 'yes'}")
        out.append(make(code, file=r["_file"], sheet=r["_sheet"], row=int(r["_row"]), field="in_village",
                        value=r["village"], detail_zh=zh, detail_en=en))
    return out


def _scopes(v: pd.DataFrame, rules: Rules) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The counties (every county of the rules' scope, even one with no village) and townships."""
    seen = v.drop_duplicates("county_key")[["county_key", "county"]]
    rows = list(seen.itertuples(index=False))
    names = {r.county for r in rows}
    rows += [(f"n:{c}", c) for c in rules.scope.counties if c not in names]
    counties = pd.DataFrame(rows, columns=["county_key", "county"])
    order = {c: i for i, c in enumerate(rules.scope.counties)}
    counties["_order"] = counties["county"].map(order).fillna(len(order))
    counties = counties.sort_values(["_order", "county_key"]).drop(columns="_order").reset_index(drop=True)
    townships = v.drop_duplicates("township_key")[["township_key", "county_key", "county", "township"]]
    townships = townships.sort_values(["county_key", "township_key"]).reset_index(drop=True)
    return counties, townships


# --- metrics -----------------------------------------------------------------------------------

SUMMARY_COUNTS = ("villages", "priority_villages", "in_village", "priority_in_village", "reached")


def _rate(numerator: int, denominator: int) -> float | None:
    return None if denominator == 0 else numerator / denominator


def _summary_of(counts: dict, levels: dict, modes: dict, rules: Rules) -> dict:
    n, reached, in_village = counts["villages"], counts["reached"], counts["in_village"]
    priority, priority_in_village = counts["priority_villages"], counts["priority_in_village"]
    all_modes = {m.id: 0 for m in rules.modes}
    all_modes.update({str(k): int(v) for k, v in modes.items() if v})
    return {
        "villages": n,
        "priority_villages": priority,
        "in_village": in_village,
        "priority_in_village": priority_in_village,
        "reached": reached,
        "reach_rate": _rate(reached, n),
        "priority_in_village_rate": _rate(priority_in_village, priority),
        "in_village_rate": _rate(in_village, n),
        "outlets": {level: int(levels.get(level, 0)) for level in LEVELS},
        "modes": all_modes,
        # for targets only (not part of the summary of the report contract)
        "_focus": (counts["focus_reached"], counts["focus"]),
    }


def _flags(v: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame({
        "villages": 1,
        "priority_villages": v["priority"].astype(int),
        "in_village": v["in_village"].astype(int),
        "priority_in_village": (v["priority"] & v["in_village"]).astype(int),
        "reached": v["reached"].astype(int),
        "focus": v["focus"].astype(int),
        "focus_reached": (v["focus"] & v["reached"]).astype(int),
    }, index=v.index)


def summary(v: pd.DataFrame, active: pd.DataFrame, rules: Rules) -> dict:
    """The metrics of SPEC §3 over a set of villages and the active outlets of the same scope."""
    counts = {k: int(x) for k, x in _flags(v).sum().items()} if len(v) else dict.fromkeys(
        ("villages", "priority_villages", "in_village", "priority_in_village", "reached", "focus", "focus_reached"), 0)
    levels = active["level"].value_counts().to_dict() if len(active) else {}
    modes = v.loc[v["reached"], "mode"].value_counts().to_dict() if len(v) else {}
    return _summary_of(counts, levels, modes, rules)


def _by(c: Coverage, key: str, scopes: pd.DataFrame, rules: Rules) -> list[tuple[object, dict]]:
    """(scope row, summary) for each row of `scopes`, by one groupby over all villages and outlets:
    linear in the size of the registers, however many scopes there are."""
    v = c.villages
    counts = _flags(v).groupby(v[key].to_numpy()).sum() if len(v) else pd.DataFrame()
    o = c.outlets
    levels = (o.groupby([o[key].to_numpy(), o["level"].to_numpy()]).size().unstack(fill_value=0)
              if len(o) else pd.DataFrame())
    reached = v[v["reached"]] if len(v) else v
    modes = (reached.groupby([reached[key].to_numpy(), reached["mode"].to_numpy()]).size().unstack(fill_value=0)
             if len(reached) else pd.DataFrame())
    zero = dict.fromkeys(("villages", "priority_villages", "in_village", "priority_in_village", "reached", "focus",
                          "focus_reached"), 0)
    count_rows = {k: {c_: int(x) for c_, x in row.items()} for k, row in counts.to_dict("index").items()}
    level_rows = levels.to_dict("index") if len(levels) else {}
    mode_rows = modes.to_dict("index") if len(modes) else {}
    out = []
    for row in scopes.itertuples(index=False):
        k = getattr(row, key)
        out.append((row, _summary_of(count_rows.get(k, zero), level_rows.get(k, {}), mode_rows.get(k, {}), rules)))
    return out


def by_county(c: Coverage, rules: Rules) -> list[tuple[object, dict]]:
    """(county row, summary) for every county of the scope, in scope order."""
    return _by(c, "county_key", c.counties, rules)


def by_township(c: Coverage, rules: Rules) -> list[tuple[object, dict]]:
    return _by(c, "township_key", c.townships, rules)


def attention(c: Coverage) -> pd.DataFrame:
    """Villages that need attention: priority villages without an outlet of their own, and villages not
    reached. Priority villages first, then the unreached, each by population (largest first)."""
    v = c.villages
    need = (v["priority"] & ~v["in_village"]) | ~v["reached"]
    out = v[need].copy()
    out["_rank"] = np.where(out["priority"], 0, 1)
    out["_pop"] = pd.to_numeric(out["population"], errors="coerce").fillna(-1)
    return out.sort_values(["_rank", "_pop", "county_key", "township_key", "village"],
                           ascending=[True, False, True, True, True]).drop(columns=["_rank", "_pop"])
