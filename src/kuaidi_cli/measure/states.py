"""What a village's or an outlet's cells decide at a date, and what they leave undecided.

A cell kuaidi cannot read (a 是否通达 of 推进中, a date of 2021-13-01: `_unreadable` of an uncertain row,
check.validate) decides nothing: a figure it could turn is undecided, never yes, never no, never
dropped (docs/METRICS.md, "Unreadable cells"). A part of the scope (county, township) the outlet register
holds no row of takes its outlet-derived figures from the village register (docs/METRICS.md, "Partial
outlet registers").
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from kuaidi_cli.core.rules import LEVELS


def unreadable(frame: pd.DataFrame, field: str) -> np.ndarray:
    """The rows whose cell of `field` could not be read (a frame without the column: none)."""
    out = np.zeros(len(frame), dtype=bool)
    if "_unreadable" not in frame or not len(frame):
        return out
    cells = frame["_unreadable"].to_numpy(dtype=object)
    for at in np.flatnonzero(pd.notna(cells)).tolist():
        out[at] = any(c[0] == field for c in cells[at])
    return out


def register_flag(v: pd.DataFrame, flag: str, since: str, t: pd.Timestamp) -> tuple[np.ndarray, np.ndarray]:
    """(yes, undecided) of the village register's yes/no column at t: yes when it says yes, undated or
    dated on or before t; undecided when the flag cannot be read (and its date, if any, does not put it
    after t), or it says yes with a date that cannot be read."""
    yes_flag = (v[flag] == True).to_numpy(dtype=bool)  # noqa: E712 (object column of True/False/None)
    dates = v[since]
    in_time = (dates.isna() | (dates <= t)).to_numpy(dtype=bool)
    bad_flag, bad_since = unreadable(v, flag), unreadable(v, since)
    yes = yes_flag & ~bad_since & in_time
    undecided = (bad_flag & (in_time | bad_since)) | (yes_flag & bad_since)
    return yes, undecided & ~yes


@dataclass(frozen=True)
class OutletStates:
    """Per outlet row: active at t for sure, maybe (a date that cannot be read), and of which level."""

    active: np.ndarray  # active at t, decided
    maybe_active: np.ndarray  # active at t unless an unreadable date says otherwise (includes `active`)
    bad_level: np.ndarray  # its 层级 cannot be read: it may be of any level


def outlet_states(o: pd.DataFrame, t: pd.Timestamp) -> OutletStates:
    bad_opened, bad_closed = unreadable(o, "opened"), unreadable(o, "closed")
    opened_by = (o["opened"].isna() | (o["opened"] <= t)).to_numpy(dtype=bool)
    closed_by = (o["closed"].notna() & (o["closed"] <= t)).to_numpy(dtype=bool)
    active = opened_by & ~closed_by & ~bad_opened & ~bad_closed
    maybe = (opened_by | bad_opened) & (~closed_by | bad_closed)
    return OutletStates(active=active, maybe_active=maybe, bad_level=unreadable(o, "level"))


def undecided_outlets(o: pd.DataFrame, s: OutletStates) -> pd.DataFrame:
    """The outlets whose being an active outlet of a level is undecided at t: one row per level it may
    be of (an unreadable 层级: every level), with its scope keys."""
    level = o["level"].to_numpy(dtype=object)
    parts = []
    for name in LEVELS:
        of_level = (level == name) & ~s.bad_level
        maybe = s.maybe_active & (of_level | s.bad_level) & ~(s.active & of_level)
        if maybe.any():
            part = o.loc[maybe, ["county_key", "township_key"]].copy()
            part["level"] = name
            parts.append(part)
    if not parts:
        return pd.DataFrame(columns=["level", "county_key", "township_key"])
    both: pd.DataFrame = pd.concat(parts, ignore_index=True)
    return both


def with_outlet_rows(v: pd.DataFrame, o: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """(county covered, covered) of each village: the outlet register holds a row (any row it counts,
    active or not) of its county; of its county and its township: the parts of the scope it covers."""
    counties = set(o["county_key"].dropna().tolist())
    townships = set(o["township_key"].dropna().tolist())
    county = v["county_key"].isin(counties).to_numpy(dtype=bool)
    return county, county & v["township_key"].isin(townships).to_numpy(dtype=bool)


def without_column(v: pd.DataFrame, covered: np.ndarray, fields: tuple[str, ...]) -> np.ndarray:
    """Of the villages the outlet register does not cover, those of a file (sheet) of the village register
    that writes nothing in any of `fields` (absent, or blank in every row, no unreadable cell either):
    nothing establishes their figure. (A blank cell of a column the file fills reads "no", as the
    register's convention is.)"""
    out = np.zeros(len(v), dtype=bool)
    if covered.all():
        return out
    written = np.zeros(len(v), dtype=bool)
    for name in fields:
        written |= v[name].notna().to_numpy(dtype=bool) | unreadable(v, name)
    source = (v["_file"].fillna("").astype(str) + "\x1f" + v["_sheet"].fillna("").astype(str)).to_numpy(
        dtype=object)
    any_written = pd.Series(written).groupby(source).transform("any").to_numpy(dtype=bool)
    missing: np.ndarray = ~covered & ~any_written
    return missing
