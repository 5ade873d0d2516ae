"""The metrics of a scope (docs/METRICS.md): counts and rates over villages and active outlets, for the whole
coverage and per county and township at once (bincounts, linear in the size of the registers)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from kuaidi_cli.core import metrics as catalogue
from kuaidi_cli.core.fields import FROM_GAZETTEER
from kuaidi_cli.core.rules import LEVELS, Rules
from kuaidi_cli.measure.coverage import Coverage


def _rate(numerator: int, denominator: int) -> float | None:
    return None if denominator == 0 else numerator / denominator


@dataclass(frozen=True, slots=True)
class ScopeCounts:
    """The counts one scope's figures are made of (docs/METRICS.md): every rate, every target's value and what
    the blanks leave undecided are read off these, and the contract's summary is made from them
    (`contract`). `counts` holds every count of core.metrics.count_names (read as attributes:
    `s.villages`): what a rate counts, over which villages, what unreadable cells leave undecided and what
    neither register establishes; `registered` (villages of the registers, not added from the official
    list: 0 when nothing was sent) and `no_outlet_rows` (villages of counties the outlet register holds no
    row of: their outlets not counted)."""

    counts: dict[str, int]
    outlets: dict[str, int]  # active outlets by level
    modes: dict[str, int]  # reached villages by mode, with sorted keys (the contract's)
    # outlets by level whose being active (or level) an unreadable cell leaves undecided
    outlets_unknown: dict[str, int] = field(default_factory=dict)

    def __getattr__(self, name: str) -> int:
        if name.startswith("_") or name == "counts":  # (never a count: copy and pickle look for these)
            raise AttributeError(name)
        try:
            return self.counts[name]
        except KeyError:
            raise AttributeError(name) from None

    def parts(self, metric: str) -> tuple[int, int]:
        """(numerator, denominator) of a rate metric."""
        parts = catalogue.rate(metric).parts
        assert parts is not None
        return self.counts[parts[0]], self.counts[parts[1]]

    def bounds(self, metric: str) -> tuple[tuple[int, int], tuple[int, int], int]:
        """The least and the greatest the rate can be, whatever the undecided villages turn out to be, as
        (numerator, denominator) each, and how many villages are undecided. A village whose place in the
        denominator (D: priority, focus; every village for the other rates) or in the numerator (N:
        in-village, reached) is undecided counts, for the least, in the denominator unless it is then
        surely in the numerator; for the greatest, in both unless it is surely not in the numerator."""
        u = catalogue.undecided(catalogue.rate(metric))
        c = self.counts
        dy, dyny, dynu = c[u.denominator], c[u.numerator], c[u.numerator_unknown]
        du = duny = dunu = 0
        if u.among_unknown and u.among_unknown_flag and u.among_unknown_flag_unknown:
            du, duny, dunu = c[u.among_unknown], c[u.among_unknown_flag], c[u.among_unknown_flag_unknown]
        least = (dyny, dy + du - duny)
        greatest = (dyny + dynu + duny + dunu, dy + duny + dunu)
        return least, greatest, du + dynu

    def missing(self, metric: str) -> int:
        """Villages of a rate's denominator whose flag neither register establishes (a part of the scope
        the outlet register holds no row of, the village register's column blank there)."""
        return self.counts[catalogue.undecided(catalogue.rate(metric)).missing]

    def contract(self, unknown: frozenset[str] = frozenset(), scope: str = "city") -> dict[str, Any]:
        """The summary of the report contract (report.model.Summary's fields, those of core.metrics for
        the `scope`); a figure nothing establishes (`unknown`: Coverage.unknown_metrics) is null, with the
        count it is made of."""
        out: dict[str, Any] = {}
        counts = self.counts
        in_scope = catalogue.in_scope(scope)
        for m in in_scope:
            if m.is_rate:
                assert m.parts is not None
                num, den = m.parts
                out[m.name] = _rate(counts[num], counts[den])
            else:
                out[m.name] = counts[m.name]
        out["outlets"] = self.outlets
        out["modes"] = self.modes
        if unknown:
            for m in in_scope:
                if m.name in unknown and m.parts is not None:
                    out[m.name] = None
                    if m.parts[0] in out:
                        out[m.parts[0]] = None
            levels = {k.split(".", 1)[1] for k in unknown if k.startswith("outlets.")}
            if levels:
                out["outlets"] = {level: (None if level in levels else n) for level,
                                  n in self.outlets.items()}
        return out


def _undecided_columns() -> tuple[str, ...]:
    return (*(f"{flag}_{what}" for flag in catalogue.flags() for what in ("unknown", "missing")),
            "no_outlet_rows")


def _flags(v: pd.DataFrame) -> pd.DataFrame:
    """Per village, 1 where it counts in each count of core.metrics.count_names."""
    undecided = _undecided_columns()
    if any(name not in v for name in undecided):  # a coverage made by hand (tests): nothing undecided
        v = v.assign(**{name: False for name in undecided if name not in v})
    out: dict[str, Any] = {}
    for m in catalogue.rates():
        u = catalogue.undecided(m)
        assert m.flag is not None
        flag, flag_unknown, flag_missing = v[m.flag], v[f"{m.flag}_unknown"], v[f"{m.flag}_missing"]
        if m.among is None:
            out[u.denominator] = 1
            out[u.numerator] = flag
            out[u.numerator_unknown] = flag_unknown
            out[u.missing] = flag_missing
            continue
        among, among_unknown = v[m.among], v[f"{m.among}_unknown"]
        out[u.denominator] = among
        out[u.numerator] = among & flag
        out[u.numerator_unknown] = among & flag_unknown
        out[u.missing] = (among | among_unknown) & flag_missing
        out[str(u.among_unknown)] = among_unknown
        out[str(u.among_unknown_flag)] = among_unknown & flag
        out[str(u.among_unknown_flag_unknown)] = among_unknown & flag_unknown
    out["registered"] = v["_file"] != FROM_GAZETTEER
    out["no_outlet_rows"] = v["no_outlet_rows"]
    return pd.DataFrame({name: (x if isinstance(x, int) else x.astype(int)) for name, x in out.items()},
                        index=v.index)


def summary(v: pd.DataFrame, active: pd.DataFrame, rules: Rules, undecided: pd.DataFrame
            | None = None) -> ScopeCounts:
    """The counts of docs/METRICS.md over a set of villages and the active outlets of the same scope (and the
    outlets an unreadable cell leaves undecided, a row per level: Coverage.undecided_outlets)."""
    counts: dict[str, int] = ({str(k): int(x) for k, x in _flags(v).sum().items()} if len(v)
                              else dict.fromkeys(catalogue.count_names(), 0))
    levels = active["level"].value_counts().to_dict() if len(active) else {}
    found = v.loc[v["reached"], "mode"].value_counts().to_dict() if len(v) else {}
    modes = {m.id: 0 for m in rules.modes}
    modes.update({str(k): int(x) for k, x in found.items() if x})
    maybe = undecided["level"].value_counts().to_dict() if undecided is not None and len(undecided) else {}
    return ScopeCounts(counts, outlets={level: int(levels.get(level, 0)) for level in LEVELS},
                       modes={k: modes[k] for k in sorted(modes)},  # the contract's keys are sorted
                       outlets_unknown={level: int(maybe.get(level, 0)) for level in LEVELS})


def _by(c: Coverage, key: str, scopes: pd.DataFrame, rules: Rules) -> list[tuple[Any, ScopeCounts]]:
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

    def count(mask: np.ndarray[Any, Any], positions: np.ndarray[Any, Any] = at,
              ok: np.ndarray[Any, Any] = inside) -> list[int]:
        counted: list[int] = np.bincount(positions[ok & mask], minlength=k).tolist()
        return counted

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
    counts = {
        name: count(flags[name].to_numpy(dtype=bool) if name != "villages" else np.ones(len(v), dtype=bool))
        for name in flags.columns
    }
    levels: dict[str, list[int]] = {}
    if len(o):
        o_at = positions(o[key])
        levels = count_each(o["level"].to_numpy(dtype=object), o_at >= 0, o_at)
    maybe: dict[str, list[int]] = {}
    u = c.undecided_outlets
    if len(u):
        u_at = positions(u[key])
        maybe = count_each(u["level"].to_numpy(dtype=object), u_at >= 0, u_at)
    modes: dict[str, list[int]] = {}
    if len(v):
        modes = count_each(v["mode"].to_numpy(dtype=object), inside & v["reached"].to_numpy(dtype=bool), at)
    # one ScopeCounts per scope, straight from the columns of counts (40 000 townships); modes by sorted
    # id (the contract's keys are sorted), a mode the rules do not name only where it was counted
    mode_ids = {m.id for m in rules.modes}
    mode_keys = sorted(mode_ids | set(modes))
    mode_cols = [modes.get(m, [0] * k) for m in mode_keys]
    listed = [m in mode_ids for m in mode_keys]
    level_cols = [levels.get(level, [0] * k) for level in LEVELS]
    maybe_cols = [maybe.get(level, [0] * k) for level in LEVELS]
    names = list(counts)
    out = []
    for row, mode_row, level_row, maybe_row, *numbers in zip(
            scopes.itertuples(index=False), zip(*mode_cols, strict=True) if mode_cols else [()] * k,
            zip(*level_cols, strict=True), zip(*maybe_cols, strict=True), *(counts[name] for name in names),
            strict=True):
        out.append((row, ScopeCounts(
            dict(zip(names, numbers, strict=True)),
            outlets=dict(zip(LEVELS, level_row, strict=True)),
            outlets_unknown=dict(zip(LEVELS, maybe_row, strict=True)),
            modes=(dict(zip(mode_keys, mode_row, strict=True)) if all(listed) else
                   {m: x for m, x, keep in zip(mode_keys, mode_row, listed, strict=True) if keep or x}),
        )))
    return out


def by_county(c: Coverage, rules: Rules) -> list[tuple[Any, ScopeCounts]]:
    """(county row, summary) for every county of the scope, in scope order."""
    return _by(c, "county_key", c.counties, rules)


def by_township(c: Coverage, rules: Rules) -> list[tuple[Any, ScopeCounts]]:
    return _by(c, "township_key", c.townships, rules)


def outside(c: Coverage, key: str, scopes: pd.DataFrame, rules: Rules) -> ScopeCounts | None:
    """The counts of the villages and active outlets of `c` that belong to no row of `scopes` (by `key`:
    county_key, township_key) — a county park in no township, an outlet of a place no village row names —
    or None when there are none: with them, the rows of a table add up to its total."""
    keys = scopes[key].to_numpy(dtype=object)
    v, o = c.villages, c.outlets
    v_out = v[~v[key].isin(keys)] if len(v) else v
    o_out = o[~o[key].isin(keys)] if len(o) else o
    if not len(v_out) and not len(o_out):
        return None
    return summary(v_out, o_out, rules)


def attention(c: Coverage) -> pd.DataFrame:
    """Villages that need attention: priority villages without an outlet of their own, villages whose
    priority is undecided (population or distance blank), and villages not reached. Priority villages
    first, then the undecided, then the unreached, each by population (largest first)."""
    v = c.villages
    need = v["priority_unknown"].copy()
    # (a flag nothing establishes — no column, no outlet row of its part — says nothing to fix)
    iv_missing = v.get("in_village_missing", False)
    r_missing = v.get("reached_missing", False)
    if not c.unknown_metrics & catalogue.of_flag("in_village"):  # (else nothing says who has a point)
        need |= v["priority"] & ~v["in_village"] & ~iv_missing
    if "reach_rate" not in c.unknown_metrics:
        need |= ~v["reached"] & ~r_missing
    if "_unreadable" in v:  # a cell kuaidi cannot read: listed with it, whatever it decides
        need |= v["_unreadable"].notna()
    out = v[need].copy()
    out["_rank"] = np.where(out["priority"], 0, np.where(out["priority_unknown"], 1, 2))
    out["_pop"] = pd.to_numeric(out["population"], errors="coerce").fillna(-1)
    return out.sort_values(["_rank", "_pop", "county_key", "township_key", "village"],
                           ascending=[True, False, True, True, True]).drop(columns=["_rank", "_pop"])
