"""Coverage at a date: which villages are reached, which have an outlet of their own, and the metrics.

Pure functions over the validated frames (`Register.frame`) and an `as_of` date: no I/O, no clock.
The definitions are those of docs/METRICS.md:

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
from typing import Any

import numpy as np
import pandas as pd

from kuaidi_cli.core import metrics
from kuaidi_cli.core.fields import FROM_GAZETTEER
from kuaidi_cli.core.findings import Finding, make
from kuaidi_cli.core.normalise import group_ids
from kuaidi_cli.core.rules import COUNT_METRICS, AnyOf, Rules
from kuaidi_cli.measure import states
from kuaidi_cli.measure.places import Places, code_positions

UNSPECIFIED_MODE = "unspecified"


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
    unknown_metrics: frozenset[str] = frozenset()  # rates no register column can establish (_unknown_metrics)
    # outlets whose being active, or their level, an unreadable cell leaves undecided: a row per level
    undecided_outlets: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(
        columns=["level", "county_key", "township_key"]))
    # the county and township keys the outlet register holds a row of (None without an outlet register)
    outlet_counties: frozenset[object] | None = None
    outlet_townships: frozenset[object] | None = None


def _holds(frame: pd.DataFrame, rule: AnyOf | None) -> tuple[pd.Series, pd.Series, pd.Series]:
    """(mask, reasons, undecided) of the villages meeting any condition; reasons lists the conditions met
    (one list per combination of conditions, shared by the villages with that combination); undecided:
    no condition holds and one of them reads a blank value (AnyOf.decide)."""
    if rule is None:
        empty = np.empty(len(frame), dtype=object)
        empty[:] = [[] for _ in range(len(frame))]
        no = pd.Series(False, index=frame.index)
        return no, pd.Series(empty, index=frame.index, dtype=object), no.copy()
    combo, undecided = rule.decide(lambda name: frame[name])
    combos, which = np.unique(combo, return_inverse=True)
    lists = np.empty(len(combos), dtype=object)
    for i, m in enumerate(combos.tolist()):
        lists[i] = [c.reason for bit, c in enumerate(rule.any) if m >> bit & 1]
    return (pd.Series(combo != 0, index=frame.index),
            pd.Series(lists[which.reshape(-1)], index=frame.index, dtype=object),
            pd.Series(undecided, index=frame.index))


def _dated_yes(flag: pd.Series, since: pd.Series, t: pd.Timestamp) -> pd.Series:
    """The register's yes/no flag at t: yes, and undated or dated on or before t."""
    return (flag == True) & (since.isna() | (since <= t))  # noqa: E712 (object column of True/False/None)


def _within(frame: pd.DataFrame, scope: pd.Series) -> pd.DataFrame:
    """The rows in scope as a new frame (copy-on-write: the caller's is untouched); all of them, as
    with a national scope, without copying the columns first."""
    return (frame if scope.all() else frame[scope]).reset_index(drop=True)


def _in_scope(frame: pd.DataFrame, rules: Rules) -> pd.Series:
    if not rules.scope.counties:
        return pd.Series(True, index=frame.index)
    return frame["county"].isin(rules.scope.counties)


def compute(villages: pd.DataFrame, outlets: pd.DataFrame | None, as_of: dt.date, rules: Rules) -> Coverage:
    """The status of every village in scope at `as_of`."""
    t = pd.Timestamp(as_of)
    scope = _in_scope(villages, rules)
    v = _within(villages, scope)
    out_of_scope = int((~scope).sum())
    o = _within(outlets, _in_scope(outlets, rules)) if outlets is not None else None
    places = Places(v, o)
    n = len(v)
    county_keys = places.county_keys()
    township_keys = places.township_keys(np.ones(len(county_keys), dtype=bool) if o is None
                                         else np.concatenate(
        [np.ones(n, dtype=bool), o["township"].notna().to_numpy()]))
    # every village has both keys (texts); kept as Python objects: no arrow text column to build, and
    # the scopes are looked up and iterated faster so (township_key: 0.25 s less for 500 000 villages)
    v["county_key"] = pd.Series(county_keys[:n], dtype=object)
    v["township_key"] = pd.Series(township_keys[:n], dtype=object)
    v["priority"], v["priority_reasons"], v["priority_unknown"] = _holds(v, rules.priority)
    v["focus"], _, v["focus_unknown"] = _holds(v, rules.focus)
    unknown_metrics = _unknown_metrics(v, outlets)  # before the register's flags are read as yes/no
    register_in_village, in_village_unknown = states.register_flag(v, "in_village", "in_village_since", t)
    register_reached, reached_unknown = states.register_flag(v, "reached", "reached_since", t)
    findings: list[Finding] = []
    no_outlet_rows = np.zeros(n, dtype=bool)
    in_village_missing = np.zeros(n, dtype=bool)
    reached_missing = np.zeros(n, dtype=bool)

    if outlets is None:
        in_village = register_in_village
        served = np.zeros(n, dtype=bool)
        served_maybe = np.zeros(n, dtype=bool)
        active = pd.DataFrame(columns=["level", "county_key", "township_key"])
        undecided = active
    else:
        assert o is not None  # (with `outlets`)
        o["county_key"] = pd.Series(county_keys[n:], dtype=object)
        o["township_key"] = pd.Series(township_keys[n:], dtype=object)
        o["_village"] = places.village_match()
        findings += _unknown_villages(o)
        st = states.outlet_states(o, t)
        active = o[st.active & ~st.bad_level]
        undecided = states.undecided_outlets(o, st)
        points = active[(active["level"] == "village_point") & (active["_village"] >= 0)]
        at_points = np.zeros(n, dtype=bool)
        at_points[points["_village"].unique()] = True
        # an outlet that may be an active village point (a date or 层级 that cannot be read)
        maybe_point = st.maybe_active & ((o["level"] == "village_point").to_numpy(dtype=bool)
                                         | st.bad_level) \
            & (o["_village"] >= 0).to_numpy(dtype=bool)
        at_maybe = np.zeros(n, dtype=bool)
        at_maybe[o.loc[maybe_point, "_village"].unique()] = True
        served, serving, unknown = _served(active, v, places)
        findings += unknown
        served_maybe, _, unknown = _served(o[st.maybe_active & ~st.active], v, places)
        findings += unknown
        # a county or township the outlet register holds no row of: the village register's own columns
        county_covered, covered = states.with_outlet_rows(v, o)
        no_outlet_rows = ~county_covered  # (its counts unknown; a township's are 0 when it has no row)
        in_village_missing = states.without_column(v, covered, ("in_village",))
        reached_missing = states.without_column(v, covered, ("in_village", "reached"))
        decided_flag = v["in_village"].notna().to_numpy(dtype=bool) & ~in_village_unknown
        disagree = covered & decided_flag & ~(at_maybe & ~at_points) & (register_in_village != at_points)
        findings += _disagreements(v[disagree], pd.Series(at_points[disagree]), as_of)
        in_village = np.where(covered, at_points, register_in_village)
        in_village_unknown = np.where(covered, at_maybe & ~at_points, in_village_unknown)
        # a village's mode: its own points' mode, else a serving outlet's, else the register's; of several,
        # the first in the rules' order (never the first row: the order of the rows changes nothing)
        mode_of = v["mode"].to_numpy(dtype=object).copy()
        for at, modes in (serving, (points["_village"].to_numpy(), points["mode"].to_numpy(dtype=object))):
            chosen, first = _first_modes(at, modes, rules)
            mode_of[chosen] = first
        v["mode"] = pd.Series(mode_of, index=v.index, dtype=object)
    reached = in_village | served | register_reached
    v["in_village"] = pd.Series(in_village, index=v.index)
    v["reached"] = pd.Series(reached, index=v.index)
    v["in_village_unknown"] = pd.Series(in_village_unknown & ~in_village, index=v.index)
    v["reached_unknown"] = pd.Series(~reached & (in_village_unknown | served_maybe | reached_unknown),
                                     index=v.index)
    v["no_outlet_rows"] = pd.Series(no_outlet_rows, index=v.index)
    v["in_village_missing"] = pd.Series(in_village_missing, index=v.index)
    v["reached_missing"] = pd.Series(reached_missing & ~reached, index=v.index)
    v["mode"] = v["mode"].where(v["reached"], None)
    # villages added from the official list (--universe gazetteer) count as not reached, whatever else says
    official_only = v["_file"] == FROM_GAZETTEER
    if official_only.any():
        flags = ["in_village", "reached", "in_village_unknown", "reached_unknown", "in_village_missing",
                 "reached_missing"]
        v.loc[official_only, flags] = False
        v["mode"] = v["mode"].where(~official_only, None)
    v["mode"] = v["mode"].where(~(v["reached"] & v["mode"].isna()), UNSPECIFIED_MODE)

    counties, townships = _scopes(v, rules, o)
    return Coverage(as_of=as_of, villages=v, outlets=active, counties=counties, townships=townships,
                    out_of_scope=out_of_scope, findings=findings, unknown_metrics=unknown_metrics,
                    undecided_outlets=undecided,
                    outlet_counties=None if o is None else frozenset(o["county_key"].dropna().tolist()),
                    outlet_townships=None if o is None else frozenset(o["township_key"].dropna().tolist()))


def _unknown_metrics(v: pd.DataFrame, outlets: pd.DataFrame | None) -> frozenset[str]:
    """The rates no row can establish: without an outlet register, a 驻村设点 column blank in every valid
    row (or absent) leaves the in-village rates unknown, and with the 通达 column blank too, the reach
    rates. (A blank cell in a filled column reads "no", as the register's convention is.) Without an
    outlet register, the outlet counts are unknown too."""
    if outlets is not None:
        return frozenset()
    unknown: set[str] = set(COUNT_METRICS)
    if not len(v):
        return frozenset(unknown)
    registered = v["_file"] != FROM_GAZETTEER
    written = {name: v[name].notna().to_numpy(dtype=bool) | states.unreadable(v, name)
               for name in ("in_village", "reached")}
    if not written["in_village"][registered.to_numpy()].any():
        unknown |= metrics.of_flag("in_village")
        if not written["reached"][registered.to_numpy()].any():
            unknown |= metrics.of_flag("reached")
    return frozenset(unknown)


def _unknown_villages(o: pd.DataFrame) -> list[Finding]:
    lost = o[(o["level"] == "village_point") & (o["_village"] < 0)]
    return [
        make("outlet-village-unknown", file=r["_file"], sheet=r["_sheet"], row=int(r["_row"]),
             field="village",
             value=r["village_code"] if isinstance(r["village_code"], str) else r["village"])
        for r in lost.to_dict("records")
    ]


def _first_modes(villages: np.ndarray, modes: np.ndarray, rules: Rules) -> tuple[np.ndarray, np.ndarray]:
    """Each village of `villages` (positions, one per outlet) and, of the modes beside it (NA left out),
    the first in the rules' order (a mode the rules do not list after theirs, by its text): the same
    answer however the rows are ordered."""
    ok = pd.notna(modes)
    if not ok.any():
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=object)
    at, given = villages[ok], modes[ok]
    codes, uniques = pd.factorize(given)
    listed = {m.id: i for i, m in enumerate(rules.modes)}
    unlisted = sorted(u for u in uniques if u not in listed)
    rank = np.array([listed[u] if u in listed else len(listed) + unlisted.index(u) for u in uniques])[codes]
    order = np.lexsort((rank, at))  # by village, then by rank
    first = order[np.r_[True, at[order][1:] != at[order][:-1]]]
    return at[first], given[first]


def _served(active: pd.DataFrame, v: pd.DataFrame, places: Places) -> tuple[
        np.ndarray[Any, Any], tuple[np.ndarray[Any, Any], np.ndarray[Any, Any]], list[Finding]]:
    """Villages listed in `serves` of active outlets (by code, else by name within the outlet's township,
    else within its county when the name is unique there), the (village, mode) of each match, and the
    entries that name no village of the register.

    The entries are matched all at once, by the integer groups `places` gave the villages' and the
    outlets' names: an entry's county and township are its outlet's, its name the group of the same
    village name (a name no village or outlet has: one group of its own, matching nothing)."""
    served = np.zeros(len(v), dtype=bool)
    serves = active["serves"].to_numpy(dtype=object)
    lengths = np.fromiter(map(len, serves), dtype=np.int64, count=len(serves))
    if not lengths.any():
        return served, (np.zeros(0, dtype=np.int64), np.zeros(0, dtype=object)), []
    with_serves = active[lengths > 0]
    e = with_serves[["county", "township", "mode", "_file", "_sheet", "_row", "serves"]].explode("serves")
    n, m = len(v), len(e)
    outlet_at = n + e.index.to_numpy()  # the outlet of each entry, as a row of `places` (after the villages)
    e = e.reset_index(drop=True)
    e["name"] = ["".join(str(x).split()) for x in e["serves"].to_numpy(dtype=object)]
    county = np.concatenate([places.c_ids[:n], places.c_ids[outlet_at]])
    township = np.concatenate([places.t_ids[:n], places.t_ids[outlet_at]])  # county and township together
    names, distinct = places.village_names()
    asked_names = distinct.get_indexer(pd.Index(e["name"].to_numpy(dtype=object)))
    name = np.concatenate([names[:n], np.where(asked_names >= 0, asked_names, len(distinct))])
    hits = []  # (entry, village) pairs
    # by code
    code_pos = code_positions(places, e["name"].to_numpy(dtype=object))
    by_code = code_pos >= 0
    hits.append(pd.DataFrame({"entry": np.flatnonzero(by_code), "village": code_pos[by_code]}))
    left = ~by_code
    # by name within the outlet's township
    with_township = left & e["township"].notna().to_numpy()
    ctv = group_ids([township, name], n + m)
    villages_of = pd.DataFrame({"g": ctv[:n], "village": np.arange(n)})
    asked = pd.DataFrame({"g": ctv[n:][with_township], "entry": np.flatnonzero(with_township)})
    found = asked.merge(villages_of, on="g")[["entry", "village"]]
    hits.append(found)
    left &= ~np.isin(np.arange(m), found["entry"].to_numpy())
    # by name within the county, when only one village there has it
    cv = group_ids([county, name], n + m)
    count = np.bincount(cv[:n], minlength=int(cv.max()) + 1)
    only = np.full(len(count), -1, dtype=np.int64)
    only[cv[:n]] = np.arange(n)
    only = np.where(count == 1, only, -1)
    pos = np.where(left, only[cv[n:]], -1)
    hits.append(pd.DataFrame({"entry": np.flatnonzero(pos >= 0), "village": pos[pos >= 0]}))
    left &= pos < 0

    matched = pd.concat(hits, ignore_index=True).sort_values("entry", kind="stable")
    served[matched["village"].to_numpy()] = True
    serving = (matched["village"].to_numpy(), e["mode"].to_numpy(dtype=object)[matched["entry"].to_numpy()])
    unknown = [
        make("serves-unknown", file=r["_file"], sheet=r["_sheet"], row=int(r["_row"]), field="serves",
             value=r["serves"])
        for r in e[left].to_dict("records")
    ]
    return served, serving, unknown


def _disagreements(rows: pd.DataFrame, outlet_says: pd.Series, as_of: dt.date) -> list[Finding]:
    out = []
    for (_, r), has_point in zip(rows.iterrows(), outlet_says, strict=True):
        code = "in-village-disagrees"
        zh = (f"截至{as_of:%Y-%m-%d}，服务点台账{'有' if has_point else '没有'}在用的村级服务点，台账却写"
              f"{'否' if has_point else '是'}")
        en = (
            f"at {as_of:%Y-%m-%d} the outlet register {'has an' if has_point else 'has no'} active village "
            "point here, "
              f"but this register says {'no' if has_point else 'yes'}")
        out.append(make(code, file=r["_file"], sheet=r["_sheet"], row=int(r["_row"]), field="in_village",
                        value=r["village"], detail_zh=zh, detail_en=en))
    return out


def _scopes(
    v: pd.DataFrame, rules: Rules, o: pd.DataFrame | None = None
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The counties (every county of the rules' scope, even one with no village) and townships. A county
    of the scope with no village is keyed as its outlets are (when they have one key), so that the
    outlets it sent are counted in its row, not outside every row."""
    seen = _most_written(v, ["county_key"], "county")
    rows: list[tuple[Any, Any]] = [tuple(r) for r in seen.itertuples(index=False)]
    names = {county for _, county in rows}
    outlet_keys: dict[Any, list[Any]] = {}
    if o is not None and len(o):
        pairs = o.drop_duplicates(["county", "county_key"])[["county", "county_key"]]
        for county, key in pairs.itertuples(index=False):
            outlet_keys.setdefault(county, []).append(key)
    taken = {key for key, _ in rows}  # (a key another county's rows have is never lent to this one)
    rows += [(keys[0] if len(keys := outlet_keys.get(c, [])) == 1 and keys[0] not in taken else f"n:{c}", c)
             for c in rules.scope.counties if c not in names]
    counties = pd.DataFrame(rows, columns=["county_key", "county"])
    order = {c: i for i, c in enumerate(rules.scope.counties)}
    counties["_order"] = counties["county"].map(order).fillna(len(order))
    counties = counties.sort_values(["_order", "county_key"]).drop(columns="_order").reset_index(drop=True)
    townships = _most_written(v, ["township_key", "county_key"], "township")
    townships["county"] = townships["county_key"].map(dict(zip(counties["county_key"], counties["county"],
                                                               strict=True)))
    townships = townships[["township_key", "county_key", "county", "township"]]
    townships = townships.sort_values(["county_key", "township_key"]).reset_index(drop=True)
    return counties, townships


def _most_written(v: pd.DataFrame, keys: list[str], name: str) -> pd.DataFrame:
    """Each place (`keys`) once, in the order first seen, with the `name` most of its rows write (of names
    written equally often, the first seen): a place two spellings share is shown as most rows write it."""
    if not len(v):
        return pd.DataFrame(columns=[*keys, name])
    counted = v.groupby([*keys, name], sort=False, dropna=False).size().reset_index(name="_n")
    counted["_seen"] = np.arange(len(counted))
    counted = counted.sort_values(["_n", "_seen"], ascending=[False, True], kind="stable")
    first = counted.drop_duplicates(keys[0]).sort_values("_seen", kind="stable")
    return first[[*keys, name]].reset_index(drop=True)
