"""What changed between two exports (本期变化): the state of every village at each, compared.

A village's state is what the report established of it: in the register or not, priority, an outlet of
its own, reached, its mode. Villages are matched by code, else by county, township and name. A state
nothing established (an unknown flag, -1) is never read as a change.

Every village of either export is in at most one kind of change that is not about its flags: a county
that sent nothing at the earlier date has its villages 首次报送 (first_submitted, never 新通达), one that
sent nothing at the later date 本期未报送 (not_submitted, never 台账移出); a village whose row is there
but could not be counted (an invalid row) is 本期无法读取 (unreadable), and back as 恢复可读
(readable_again), never 台账移出/台账新增.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from kuaidi_cli.core.fields import FROM_GAZETTEER

SCHEMA = "kuaidi.changes/1"
KINDS = ("newly_reached", "newly_in_village", "lost_reach", "lost_in_village", "added", "removed",
         "unreadable",
         "readable_again", "first_submitted", "not_submitted")
# a county's, not a village's: the county sent nothing once
COUNTY_KINDS = ("first_submitted", "not_submitted")
STATE_COLUMNS = ("key", "county", "township", "village", "code", "registered", "priority", "in_village",
                 "reached",
                 "mode", "unreadable")


def states(villages: pd.DataFrame, unknown: frozenset[str]) -> pd.DataFrame:
    """The state of every village of a coverage (measure.coverage.Coverage.villages): the key it is matched
    by, its names and code, whether it is a row of the registers, and priority, in-village and reached as
    1/0, or -1 where nothing establishes them (a priority undecided; flags of blank columns)."""
    code = villages["code"].astype(object)
    names = "n:" + _names(villages)
    has_code = code.notna().to_numpy()
    key = np.where(has_code, code.to_numpy(dtype=object), names.to_numpy(dtype=object))

    def flag(values: pd.Series, unknown_where: np.ndarray | bool) -> np.ndarray:
        out = values.fillna(False).astype(bool).to_numpy().astype(np.int8)
        out[np.broadcast_to(unknown_where, out.shape)] = -1
        return out

    return pd.DataFrame({
        "key": key,
        "county": villages["county"].astype(object).to_numpy(),
        "township": villages["township"].astype(object).to_numpy(),
        "village": villages["village"].astype(object).to_numpy(),
        "code": code.to_numpy(),
        "registered": (villages["_file"] != FROM_GAZETTEER).to_numpy().astype(np.int8),
        "priority": flag(villages["priority"], villages["priority_unknown"].to_numpy(dtype=bool)),
        "in_village": flag(villages["in_village"], "in_village_rate" in unknown),
        "reached": flag(villages["reached"], "reach_rate" in unknown),
        "mode": villages["mode"].astype(object).to_numpy(),
        "unreadable": np.zeros(len(villages), dtype=np.int8),
    })


def unreadable_states(rows: pd.DataFrame) -> pd.DataFrame:
    """The states of the village rows a report could not count (invalid rows: county, township, village,
    code as written, the county by its current name): in the register but not counted, so `registered`
    0 (an earlier kuaidi reading the history leaves them out, as it did) and `unreadable` 1, nothing
    established of them."""
    code = rows["code"].astype(object) if "code" in rows else pd.Series(None, index=rows.index, dtype=object)
    names = "n:" + _names(rows)
    key = np.where(code.notna().to_numpy(), code.to_numpy(dtype=object), names.to_numpy(dtype=object))
    unknown = np.full(len(rows), -1, dtype=np.int8)
    return pd.DataFrame({
        "key": key,
        **{c: (rows[c].astype(object).to_numpy() if c in rows else np.full(len(rows), None, dtype=object))
           for c in ("county", "township", "village")},
        "code": code.to_numpy(),
        "registered": np.zeros(len(rows), dtype=np.int8),
        "priority": unknown, "in_village": unknown, "reached": unknown,
        "mode": np.full(len(rows), None, dtype=object),
        "unreadable": np.ones(len(rows), dtype=np.int8),
    })


@dataclass(frozen=True)
class Changes:
    """The villages that changed from one as-of date to a later one, one row each per kind of change, and
    the counties that sent no register at one of the two dates (county → first_submitted or not_submitted)."""

    since: dt.date
    to: dt.date
    villages: pd.DataFrame  # change, county, township, village, code
    counties: dict[str, str] = field(default_factory=dict)
    # of such a county's villages, those reached (when sent)
    reached: dict[str, int] = field(default_factory=dict)

    def counts(self, county: str | None = None) -> dict[str, int]:
        rows = self.villages if county is None else self.villages[self.villages["county"] == county]
        found = rows["change"].value_counts().to_dict()
        return {k: int(found.get(k, 0)) for k in KINDS}

    def by_county(self) -> dict[str, dict[str, int]]:
        names = dict.fromkeys([*self.villages["county"].tolist(), *self.counties])
        return {str(c): self.counts(str(c)) for c in names if c is not None}

    def only(self, county: str) -> Changes:
        return Changes(self.since, self.to, self.villages[self.villages["county"] == county],
                       {c: k for c, k in self.counties.items() if c == county},
                       {c: n for c, n in self.reached.items() if c == county})

    def to_json_dict(self) -> dict[str, object]:
        rows = self.villages.astype(object).where(self.villages.notna(), None)
        return {
            "schema": SCHEMA,
            "from": self.since.isoformat(),
            "to": self.to.isoformat(),
            "counts": self.counts(),
            "counties": {
                c: {"change": k, "villages": self.counts(c)[k], "reached": self.reached.get(c, 0)}
                for c, k in sorted(self.counties.items())
            },
            "villages": rows.to_dict("records"),
        }


def compare(before: pd.DataFrame, after: pd.DataFrame, since: dt.date, to: dt.date, *,
            sent_before: set[str] | None = None, sent_after: set[str] | None = None) -> Changes:
    """The changes from the states `before` (as of `since`) to `after` (as of `to`), of the villages of
    the registers (a village added from the official list is no row of them). Matched by code, else by
    names, through one factorisation of both (500 000 villages: a fraction of a second).

    `sent_before`/`sent_after`: the counties that sent a register at each date (default: those with a
    counted village). A county that sent nothing at one of the two dates did not add nor remove its
    villages, nor reach them: they are first_submitted or not_submitted. A village unmatched on one side
    whose row is there but invalid on the other is unreadable (or readable_again)."""
    old = before[before["registered"] == 1].drop_duplicates("key").reset_index(drop=True)
    new = after[after["registered"] == 1].drop_duplicates("key").reset_index(drop=True)
    old_unread, new_unread = _unreadable(before), _unreadable(after)
    sent_old = set(old["county"].dropna()) if sent_before is None else set(sent_before)
    sent_new = set(new["county"].dropna()) if sent_after is None else set(sent_after)
    o, n = _same(old["key"], new["key"])
    # a village with a code in one export and none in the other (or a code corrected): by its names
    rest_old = np.setdiff1d(np.arange(len(old)), o)
    rest_new = np.setdiff1d(np.arange(len(new)), n)
    by_name_old, by_name_new = _same(_names(old.iloc[rest_old]), _names(new.iloc[rest_new]))
    o = np.concatenate([o, rest_old[by_name_old]])
    n = np.concatenate([n, rest_new[by_name_new]])
    gone = np.setdiff1d(rest_old, rest_old[by_name_old])
    came = np.setdiff1d(rest_new, rest_new[by_name_new])
    # each unmatched village in one place: its county sent nothing at the other date; else its row is there
    # but invalid; else it was added or removed (only within counties that sent a register at both dates)
    not_sent_now = ~old["county"].iloc[gone].isin(sent_new).to_numpy()
    not_sent_then = ~new["county"].iloc[came].isin(sent_old).to_numpy()
    unread_now = ~not_sent_now & _within(old.iloc[gone], new_unread)
    unread_then = ~not_sent_then & _within(new.iloc[came], old_unread)
    both_sent = sent_old & sent_new
    removed = gone[~not_sent_now & ~unread_now & old["county"].iloc[gone].isin(both_sent).to_numpy()]
    added = came[~not_sent_then & ~unread_then & new["county"].iloc[came].isin(both_sent).to_numpy()]
    parts = []

    def take(kind: str, frame: pd.DataFrame, rows: np.ndarray) -> None:
        part = frame.iloc[rows]
        parts.append(pd.DataFrame({"change": kind, "county": part["county"].to_numpy(),
                                   "township": part["township"].to_numpy(), "village": part[
                                       "village"].to_numpy(),
                                   "code": part["code"].to_numpy()}))

    def flags(name: str) -> tuple[np.ndarray, np.ndarray]:
        return old[name].to_numpy()[o], new[name].to_numpy()[n]

    was, now = flags("reached")
    known = (was >= 0) & (now >= 0)
    had, has = flags("in_village")
    point = (had >= 0) & (has >= 0)
    take("newly_reached", new, n[known & (was == 0) & (now == 1)])
    take("newly_in_village", new, n[point & (had == 0) & (has == 1)])
    take("lost_reach", new, n[known & (was == 1) & (now == 0)])
    take("lost_in_village", new, n[point & (had == 1) & (has == 0)])
    take("added", new, added)
    take("removed", old, removed)
    take("unreadable", old, gone[unread_now])
    take("readable_again", new, came[unread_then])
    take("first_submitted", new, came[not_sent_then])
    take("not_submitted", old, gone[not_sent_now])
    villages = pd.concat(parts, ignore_index=True)
    villages = villages.astype(object).where(villages.notna(), None)  # no code: None, never NaN
    order = {kind: i for i, kind in enumerate(KINDS)}
    villages = villages.assign(_k=villages["change"].map(order)).sort_values(
        ["_k", "county", "township", "village"], kind="stable").drop(columns="_k").reset_index(drop=True)
    counties = {**{str(c): "first_submitted" for c in sorted(sent_new - sent_old)},
                **{str(c): "not_submitted" for c in sorted(sent_old - sent_new)}}
    # of their villages, those reached: what the city's reached gained (or lost) with them, not by 新通达
    reached = {**_reached(new.iloc[came[not_sent_then]]), **_reached(old.iloc[gone[not_sent_now]])}
    return Changes(since, to, villages, counties, {c: reached.get(c, 0) for c in counties})


def _reached(villages: pd.DataFrame) -> dict[str, int]:
    return {str(c): int(n) for c, n in (villages["reached"] == 1).groupby(villages["county"]).sum().items()}


def _unreadable(states: pd.DataFrame) -> pd.DataFrame:
    """The rows of a register an export could not count (none in a history written before they were kept)."""
    if "unreadable" not in states:
        return states.iloc[:0]
    return states[states["unreadable"] == 1]


def _within(villages: pd.DataFrame, rows: pd.DataFrame) -> np.ndarray:
    """Whether each village is one of `rows`, by code or by names."""
    if not len(rows) or not len(villages):
        return np.zeros(len(villages), dtype=bool)
    return (villages["key"].isin(set(rows["key"])).to_numpy()
            | _names(villages).isin(set(_names(rows))).to_numpy())


def _names(states: pd.DataFrame) -> pd.Series:
    """A village's names as one key: county, township and village (matched by them when the code is
    missing)."""
    return (states["county"].astype(str) + "\x1f" + states["township"].astype(str) + "\x1f"
            + states["village"].astype(str)).reset_index(drop=True)


def _same(a: pd.Series, b: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """The positions (i in a, j in b) of the values both hold, each value at its first position; one
    factorisation of both (500 000 villages: a fraction of a second)."""
    codes, uniques = pd.factorize(pd.concat([a, b], ignore_index=True))

    def first_position(ids: np.ndarray) -> np.ndarray:
        at = np.full(len(uniques), -1, dtype=np.int64)
        at[ids[::-1]] = np.arange(len(ids) - 1, -1, -1)
        return at

    in_a, in_b = first_position(codes[: len(a)]), first_position(codes[len(a):])
    both = (in_a >= 0) & (in_b >= 0)
    return in_a[both], in_b[both]
