"""The column checks: one small unit per type of field, found through a registry."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from kuaidi_cli.check.collector import Collector, Rows
from kuaidi_cli.core import normalise
from kuaidi_cli.core.fields import Field, header_key
from kuaidi_cli.core.normalise import Distinct
from kuaidi_cli.core.rules import Rules

MAX_POPULATION = 100_000
MAX_DISTANCE_KM = 200.0
MAX_NAME_CHARS = 100  # a name or id longer than this is not a name
DATE_MIN, DATE_MAX = pd.Timestamp("2000-01-01"), pd.Timestamp("2049-12-31")


@dataclass(frozen=True)
class Column:
    """What a column check is given: the field, its rows (their raw text by row label) and their
    distinct texts, where to write findings, the rules, and which rows lack the field's column."""

    field: Field
    collector: Collector
    raw: Rows
    distinct: Distinct
    rules: Rules
    lacking: pd.Series  # rows of a file without the field's column (a missing-column finding already)

    @property
    def name(self) -> str:
        return self.field.name

    def per_distinct(self, values: np.ndarray | pd.Series) -> pd.Series:
        """Values of the distinct texts (in their order) as values of the rows."""
        return self.distinct.spread(values, self.raw.index)


@dataclass(frozen=True)
class Checked:
    """What a column check gives: the typed value of each row (None/NaN where blank or invalid) and, when
    the check kept one value per distinct text, those values — what the duplicate tests group the rows
    by (check.duplicates.typed_ids) without looking at them row by row."""

    values: pd.Series
    distinct_values: np.ndarray | None = None


CheckUnit = Callable[[Column], Checked]
UNITS: dict[str, CheckUnit] = {}  # field type (core.fields) → its check


def unit(*types: str) -> Callable[[CheckUnit], CheckUnit]:
    """Register a column check for fields of these types."""
    def register(fn: CheckUnit) -> CheckUnit:
        for type_name in types:
            UNITS[type_name] = fn
        return fn
    return register


def check_column(column: Column) -> Checked:
    """The check of the column's field type."""
    return UNITS[column.field.type](column)


@unit("text")
def check_text(col: Column) -> Checked:
    """Names and ids: required ones present, none absurdly long. Outlet names keep their inner spaces;
    division names and ids lose them."""
    d = col.distinct
    form = d.free_text if col.name == "name" else d.text
    long_u = np.fromiter(map(len, form), dtype=np.int64, count=len(form)) > MAX_NAME_CHARS
    kept: np.ndarray[Any, Any] = np.where(d.empty | long_u, np.array(None, dtype=object), form)
    if col.field.required:
        col.collector.add("missing-value", col.per_distinct(d.empty) & ~col.lacking, col.name)
    col.collector.add("absurd-value", col.per_distinct(long_u), col.name, col.raw[col.name],
                      f"长于 {MAX_NAME_CHARS} 个字", f"longer than {MAX_NAME_CHARS} characters")
    return Checked(col.per_distinct(kept), kept)


def _number(col: Column, unit_name: str, maximum: float, integer: bool) -> Checked:
    c, name, raw = col.collector, col.name, col.raw[col.name]
    parsed, bad_u = normalise.number(_distinct_series(col.distinct), unit_name)
    values, bad = col.per_distinct(parsed), col.per_distinct(bad_u)
    c.add("bad-number", bad, name, raw)
    if integer:
        frac = values.notna() & (values != np.floor(values))
        c.add("bad-number", frac, name, raw, "（应为整数）", " (it must be a whole number)")
        values = values.where(~frac)
    neg = values < 0
    c.add("negative-value", neg, name, raw)
    big = values > maximum
    c.add("absurd-value", big, name, raw, f"不应超过 {maximum:g}", f"at most {maximum:g}")
    return Checked(values.where(~neg & ~big))


@unit("int")
def check_people(col: Column) -> Checked:
    """A population: a whole number of people, 0 to MAX_POPULATION."""
    return _number(col, "people", MAX_POPULATION, integer=True)


@unit("number")
def check_km(col: Column) -> Checked:
    """A distance in km, 0 to MAX_DISTANCE_KM."""
    return _number(col, "km", MAX_DISTANCE_KM, integer=False)


@unit("date")
def check_date(col: Column) -> Checked:
    """A date within DATE_MIN to DATE_MAX."""
    parsed, bad_u = normalise.date(_distinct_series(col.distinct))
    values, bad = col.per_distinct(parsed), col.per_distinct(bad_u)
    col.collector.add("bad-date", bad, col.name, col.raw[col.name])
    odd = values.notna() & ((values < DATE_MIN) | (values > DATE_MAX))
    col.collector.add("absurd-value", odd, col.name, col.raw[col.name], "日期应在 2000—2049 年之间",
                      "dates must lie in 2000–2049")
    return Checked(values.where(~odd))


@unit("yesno")
def check_yes_no(col: Column) -> Checked:
    """是/否 and the other ways registers write it."""
    parsed, bad_u = normalise.yes_no(_distinct_series(col.distinct))
    col.collector.add("bad-yes-no", col.per_distinct(bad_u), col.name, col.raw[col.name])
    return Checked(col.per_distinct(parsed))


def _scientific(values: pd.Series, bad: np.ndarray) -> np.ndarray:
    """Which of the bad codes look like a number Excel wrote in scientific notation (4.10212E+11)."""
    out = np.zeros(len(values), dtype=bool)
    if bad.any():
        out[bad] = normalise.text(values[bad]).str.contains(r"[eE]\+", regex=True).to_numpy(dtype=bool)
    return out


@unit("code")
def check_code(col: Column) -> Checked:
    """A 12-digit statistical division code (one Excel showed as 4.10212E+11 told apart)."""
    d = col.distinct
    # from the column's normal forms and placeholders, worked out once for the blank-row test already
    parsed, bad = normalise.code_of_text(pd.Series(d.text, dtype=object), d.empty)
    bad_u = bad.to_numpy(dtype=bool)
    sci_u = _scientific(_distinct_series(d), bad_u)
    raw = col.raw[col.name]
    col.collector.add("bad-code", col.per_distinct(bad_u & ~sci_u), col.name, raw)
    col.collector.add("bad-code", col.per_distinct(sci_u), col.name, raw,
                      "（被 Excel 显示成了科学计数法，请把该列设为文本后重新填写）",
                      " (Excel turned it into scientific notation; format the column as text and enter it "
                      "again)")
    kept = parsed.to_numpy(dtype=object)
    return Checked(col.per_distinct(parsed), kept)


def _enum(col: Column, lookup: dict[str, str], code: str, choices: str) -> Checked:
    d = col.distinct
    found = np.array([lookup.get(header_key(v)) for v in d.uniques.tolist()], dtype=object)
    values = col.per_distinct(found)
    empty = col.per_distinct(d.empty)
    col.collector.add(code, ~empty & values.isna(), col.name, col.raw[col.name], choices, choices)
    if col.field.required:
        col.collector.add("missing-value", empty & ~col.lacking, col.name)
    return Checked(values.where(values.notna(), None))


@unit("mode")
def check_mode(col: Column) -> Checked:
    """A cooperation mode of the rules (or one of its aliases)."""
    return _enum(col, col.rules.mode_lookup, "bad-mode", "、".join(m.id for m in col.rules.modes))


@unit("level")
def check_level(col: Column) -> Checked:
    """An outlet level (park, township station, village point) as the rules write them."""
    return _enum(col, col.rules.level_lookup, "bad-level", "、".join(
        lv.label for lv in col.rules.outlet_levels.values()))


@unit("list")
def check_list(col: Column) -> Checked:
    """A list of names or codes (辐射村): split on 、，,/; — nothing to refuse."""
    return Checked(col.per_distinct(normalise.items(_distinct_series(col.distinct)).to_numpy(dtype=object)))


def _distinct_series(d: Distinct) -> pd.Series:
    """The distinct texts of a column as a Series (what normalise's parsers take)."""
    return normalise.distinct_series(d.uniques)


def division_aliases(c: Collector, raw: Rows, dists: dict[str, Distinct], out: dict[str, pd.Series],
                     rules: Rules) -> set[str]:
    """Old or short division names replaced by the rules' aliases (looked up once per distinct name);
    returns the fields where a name was replaced."""
    replaced = set()
    for name, aliases in (("county", rules.aliases.counties), ("township", rules.aliases.townships)):
        if out.get(name) is None or not aliases:
            continue
        d = dists[name]
        table = normalise.by_text(aliases)
        new_u = pd.Series(d.text, dtype=object).map(table).to_numpy(dtype=object)
        hit = pd.Series(pd.notna(new_u)[d.codes], index=out[name].index) & out[name].notna()
        if not hit.any():
            continue
        values = out[name].where(~hit, d.spread(new_u, out[name].index))
        c.add("old-division-name", hit, name, raw[name], values.fillna(""), values.fillna(""))
        out[name] = values
        replaced.add(name)
    return replaced


def outlet_rules(c: Collector, raw: Rows, out: dict[str, pd.Series]) -> None:
    level = out["level"]
    needs_township = level.isin(["township_station", "village_point"])
    c.add("missing-value", needs_township & out["township"].isna(), "township")
    point = level == "village_point"
    c.add("missing-value", point & out["village"].isna() & out["village_code"].isna(), "village")
    reversed_dates = out["opened"].notna() & out["closed"].notna() & (out["closed"] < out["opened"])
    if reversed_dates.any():
        opened_text = raw["opened"].reindex(reversed_dates.index[reversed_dates.to_numpy()]).astype(object)
        c.add("bad-date-order", reversed_dates, "closed", raw["closed"], "「" + opened_text + "」",
              " '" + opened_text + "'")
