"""What changed between two exports (本期变化): the state of every village at each, compared.

A village's state is what the report established of it: in the register or not, priority, an outlet of
its own, reached, its mode. Villages are matched by code, else by county, township and name. A state
nothing established (an unknown flag, -1) is never read as a change.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd

from kuaidi_cli.core.fields import FROM_GAZETTEER

SCHEMA = "kuaidi.changes/1"
KINDS = ("newly_reached", "newly_in_village", "lost_reach", "lost_in_village", "added", "removed")
STATE_COLUMNS = ("key", "county", "township", "village", "code", "registered", "priority", "in_village", "reached",
                 "mode")


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
    })


@dataclass(frozen=True)
class Changes:
    """The villages that changed from one as-of date to a later one, one row each per kind of change."""

    since: dt.date
    to: dt.date
    villages: pd.DataFrame  # change, county, township, village, code

    def counts(self, county: str | None = None) -> dict[str, int]:
        rows = self.villages if county is None else self.villages[self.villages["county"] == county]
        found = rows["change"].value_counts().to_dict()
        return {k: int(found.get(k, 0)) for k in KINDS}

    def by_county(self) -> dict[str, dict[str, int]]:
        return {str(c): self.counts(str(c)) for c in dict.fromkeys(self.villages["county"].tolist())}

    def only(self, county: str) -> Changes:
        return Changes(self.since, self.to, self.villages[self.villages["county"] == county])

    def to_json_dict(self) -> dict[str, object]:
        rows = self.villages.astype(object).where(self.villages.notna(), None)
        return {"schema": SCHEMA, "from": self.since.isoformat(), "to": self.to.isoformat(), "counts": self.counts(),
                "villages": rows.to_dict("records")}


def compare(before: pd.DataFrame, after: pd.DataFrame, since: dt.date, to: dt.date) -> Changes:
    """The changes from the states `before` (as of `since`) to `after` (as of `to`), of the villages of
    the registers (a village added from the official list is no row of them). Matched by code, else by
    names, through one factorisation of both (500 000 villages: a fraction of a second). Added and removed
    only within counties whose registers have rows at both dates: a county that sent nothing one month
    did not remove its villages."""
    old = before[before["registered"] == 1].drop_duplicates("key").reset_index(drop=True)
    new = after[after["registered"] == 1].drop_duplicates("key").reset_index(drop=True)
    o, n = _same(old["key"], new["key"])
    # a village with a code in one export and none in the other (or a code corrected): by its names
    rest_old = np.setdiff1d(np.arange(len(old)), o)
    rest_new = np.setdiff1d(np.arange(len(new)), n)
    by_name_old, by_name_new = _same(_names(old.iloc[rest_old]), _names(new.iloc[rest_new]))
    o = np.concatenate([o, rest_old[by_name_old]])
    n = np.concatenate([n, rest_new[by_name_new]])
    added = np.setdiff1d(rest_new, rest_new[by_name_new])
    removed = np.setdiff1d(rest_old, rest_old[by_name_old])
    # a county that sent nothing at one of the two dates: its villages are not known to be added or gone
    both_sent = set(old["county"]) & set(new["county"])
    added = added[new["county"].iloc[added].isin(both_sent).to_numpy()]
    removed = removed[old["county"].iloc[removed].isin(both_sent).to_numpy()]
    parts = []

    def take(kind: str, frame: pd.DataFrame, rows: np.ndarray) -> None:
        part = frame.iloc[rows]
        parts.append(pd.DataFrame({"change": kind, "county": part["county"].to_numpy(),
                                   "township": part["township"].to_numpy(), "village": part["village"].to_numpy(),
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
    villages = pd.concat(parts, ignore_index=True)
    villages = villages.astype(object).where(villages.notna(), None)  # no code: None, never NaN
    order = {kind: i for i, kind in enumerate(KINDS)}
    villages = villages.assign(_k=villages["change"].map(order)).sort_values(
        ["_k", "county", "township", "village"], kind="stable").drop(columns="_k").reset_index(drop=True)
    return Changes(since, to, villages)


def _names(states: pd.DataFrame) -> pd.Series:
    """A village's names as one key: county, township and village (matched by them when the code is missing)."""
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
