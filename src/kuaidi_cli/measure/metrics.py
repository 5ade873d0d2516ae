"""The metrics of a scope (SPEC §3): counts and rates over villages and active outlets, for the whole
coverage and per county and township at once (bincounts, linear in the size of the registers)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from kuaidi_cli.core.fields import FROM_GAZETTEER
from kuaidi_cli.core.rules import LEVELS, Rules
from kuaidi_cli.measure.coverage import Coverage


def _rate(numerator: int, denominator: int) -> float | None:
    return None if denominator == 0 else numerator / denominator


def _summary_of(counts: dict, levels: dict, modes: dict, rules: Rules) -> dict:
    n, reached, in_village = counts["villages"], counts["reached"], counts["in_village"]
    priority, priority_in_village = counts["priority_villages"], counts["priority_in_village"]
    all_modes = {m.id: 0 for m in rules.modes}
    all_modes.update({str(k): int(v) for k, v in modes.items() if v})
    all_modes = {k: all_modes[k] for k in sorted(all_modes)}  # the contract's keys are sorted
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
        "priority_unknown": counts["priority_unknown"],
        # for targets only (not part of the summary of the report contract)
        **_private(counts["focus_reached"], counts["focus"], counts["priority_unknown_in_village"],
                   counts["priority_unknown"], counts["focus_unknown_reached"], counts["focus_unknown"],
                   counts["registered"]),
    }


def _private(focus_reached: int, focus: int, unknown_in_village: int, unknown: int, focus_unknown_reached: int,
             focus_unknown: int, registered: int) -> dict:
    """The target-only keys of a scope's summary: the focus rate's parts; the undecided villages of each
    rate's denominator as (favourable, unfavourable) — in the priority set, those with and without a
    point of their own; in the focus set, those reached and not; the villages from the register (not
    added from the official list)."""
    return {
        "_focus": (focus_reached, focus),
        "_unknown": {"priority_in_village_rate": (unknown_in_village, unknown - unknown_in_village),
                     "focus_reach_rate": (focus_unknown_reached, focus_unknown - focus_unknown_reached)},
        "_registered": registered,
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
        "priority_unknown": v["priority_unknown"].astype(int),
        "priority_unknown_in_village": (v["priority_unknown"] & v["in_village"]).astype(int),
        "focus_unknown": v["focus_unknown"].astype(int),
        "focus_unknown_reached": (v["focus_unknown"] & v["reached"]).astype(int),
        "registered": (v["_file"] != FROM_GAZETTEER).astype(int),
    }, index=v.index)


_FLAG_NAMES = ("villages", "priority_villages", "in_village", "priority_in_village", "reached", "focus",
               "focus_reached", "priority_unknown", "priority_unknown_in_village", "focus_unknown",
               "focus_unknown_reached", "registered")


def summary(v: pd.DataFrame, active: pd.DataFrame, rules: Rules) -> dict:
    """The metrics of SPEC §3 over a set of villages and the active outlets of the same scope."""
    counts = {k: int(x) for k, x in _flags(v).sum().items()} if len(v) else dict.fromkeys(_FLAG_NAMES, 0)
    levels = active["level"].value_counts().to_dict() if len(active) else {}
    modes = v.loc[v["reached"], "mode"].value_counts().to_dict() if len(v) else {}
    return _summary_of(counts, levels, modes, rules)


def _by(c: Coverage, key: str, scopes: pd.DataFrame, rules: Rules) -> list[tuple[object, dict]]:
    """(scope row, summary) for each row of `scopes`, by counting over all villages and outlets at once
    (each row's scope is an integer, the counts are bincounts): linear in the size of the registers,
    however many scopes there are."""
    k = len(scopes)
    where = pd.Index(scopes[key].to_numpy(dtype=object))
    v, o = c.villages, c.outlets

    def positions(keys: pd.Series) -> np.ndarray:
        """Each row's scope position (-1 outside): looked up once per distinct key."""
        codes, uniques = pd.factorize(keys, use_na_sentinel=False)
        return where.get_indexer(np.asarray(uniques, dtype=object))[codes] if len(keys) else codes

    at = positions(v[key]) if len(v) else np.zeros(0, dtype=np.int64)
    inside = at >= 0

    def count(mask: np.ndarray, positions: np.ndarray = at, ok: np.ndarray = inside) -> list[int]:
        return np.bincount(positions[ok & mask], minlength=k).tolist()

    def count_each(values: np.ndarray, rows: np.ndarray, positions: np.ndarray) -> dict[str, list[int]]:
        """Counts per scope of each distinct value (NA aside) over `rows`: one bincount of the pairs
        (scope, value), not one pass over the rows per value."""
        codes, uniques = pd.factorize(values[rows])
        known = codes >= 0
        w = len(uniques)
        if not w:
            return {}
        table = np.bincount(positions[rows][known] * w + codes[known], minlength=k * w).reshape(k, w)
        return {str(u): table[:, j].tolist() for j, u in enumerate(uniques)}

    flags = _flags(v)
    counts = {name: count(flags[name].to_numpy(dtype=bool) if name != "villages" else np.ones(len(v), dtype=bool))
              for name in flags.columns}
    levels: dict[str, list[int]] = {}
    if len(o):
        o_at = positions(o[key])
        levels = count_each(o["level"].to_numpy(dtype=object), o_at >= 0, o_at)
    modes: dict[str, list[int]] = {}
    if len(v):
        modes = count_each(v["mode"].to_numpy(dtype=object), inside & v["reached"].to_numpy(dtype=bool), at)
    # one summary per scope, written straight from the columns of counts (40 000 townships: no
    # intermediate dictionaries per scope); modes by sorted id (the contract's keys are sorted), a mode
    # the rules do not name only where it was counted
    mode_ids = {m.id for m in rules.modes}
    mode_keys = sorted(mode_ids | set(modes))
    mode_cols = [modes.get(m, [0] * k) for m in mode_keys]
    listed = [m in mode_ids for m in mode_keys]
    level_cols = [levels.get(level, [0] * k) for level in LEVELS]
    out = []
    for (row, n, reached, in_village, priority, priority_in_village, focus_reached, focus, mode_row, level_row,
         unknown, unknown_in_village, focus_unknown, focus_unknown_reached, registered) in zip(
            scopes.itertuples(index=False), counts["villages"], counts["reached"], counts["in_village"],
            counts["priority_villages"], counts["priority_in_village"], counts["focus_reached"], counts["focus"],
            zip(*mode_cols, strict=True) if mode_cols else [()] * k, zip(*level_cols, strict=True),
            counts["priority_unknown"], counts["priority_unknown_in_village"], counts["focus_unknown"],
            counts["focus_unknown_reached"], counts["registered"], strict=True):
        out.append((row, {
            "villages": n,
            "priority_villages": priority,
            "in_village": in_village,
            "priority_in_village": priority_in_village,
            "reached": reached,
            "reach_rate": None if n == 0 else reached / n,
            "priority_in_village_rate": None if priority == 0 else priority_in_village / priority,
            "in_village_rate": None if n == 0 else in_village / n,
            "outlets": dict(zip(LEVELS, level_row, strict=True)),
            "modes": (dict(zip(mode_keys, mode_row, strict=True)) if all(listed) else
                      {m: x for m, x, keep in zip(mode_keys, mode_row, listed, strict=True) if keep or x}),
            "priority_unknown": unknown,
            **_private(focus_reached, focus, unknown_in_village, unknown, focus_unknown_reached, focus_unknown,
                       registered),
        }))
    return out


def by_county(c: Coverage, rules: Rules) -> list[tuple[object, dict]]:
    """(county row, summary) for every county of the scope, in scope order."""
    return _by(c, "county_key", c.counties, rules)


def by_township(c: Coverage, rules: Rules) -> list[tuple[object, dict]]:
    return _by(c, "township_key", c.townships, rules)


def attention(c: Coverage) -> pd.DataFrame:
    """Villages that need attention: priority villages without an outlet of their own, villages whose
    priority is undecided (population or distance blank), and villages not reached. Priority villages
    first, then the undecided, then the unreached, each by population (largest first)."""
    v = c.villages
    need = v["priority_unknown"].copy()
    if "priority_in_village_rate" not in c.unknown_metrics:  # (else nothing says who has a point)
        need |= v["priority"] & ~v["in_village"]
    if "reach_rate" not in c.unknown_metrics:
        need |= ~v["reached"]
    out = v[need].copy()
    out["_rank"] = np.where(out["priority"], 0, np.where(out["priority_unknown"], 1, 2))
    out["_pop"] = pd.to_numeric(out["population"], errors="coerce").fillna(-1)
    return out.sort_values(["_rank", "_pop", "county_key", "township_key", "village"],
                           ascending=[True, False, True, True, True]).drop(columns=["_rank", "_pop"])
