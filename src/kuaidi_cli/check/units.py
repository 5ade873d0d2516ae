"""The column checks: one small unit per type of field, found through a registry."""

from __future__ import annotations

import numpy as np
import pandas as pd

from kuaidi_cli.check.collector import Collector
from kuaidi_cli.core import normalise
from kuaidi_cli.core.fields import header_key
from kuaidi_cli.core.normalise import Distinct
from kuaidi_cli.core.rules import Rules

MAX_POPULATION = 100_000
DATE_MIN, DATE_MAX = pd.Timestamp("2000-01-01"), pd.Timestamp("2049-12-31")


MAX_DISTANCE_KM = 200.0


MAX_NAME_CHARS = 100  # a name or id longer than this is not a name


def per_distinct(d: Distinct, index: pd.Index, key: str, fn, part: int | None = None) -> pd.Series:
    """fn over the distinct texts of a column (once), as a Series over the rows of `index`."""
    result = d.per_value(key, fn)
    if part is not None:
        result = result[part]
    return d.spread(result, index)


def check_text(c: Collector, raw: pd.DataFrame, d: Distinct, out: dict, name: str, required: bool,
                lacking: pd.DataFrame, free: bool) -> None:
    # per distinct text: its normal form, whether it is too long, and the value kept (also what the
    # duplicate tests group by: typed_ids)
    form = d.free_text if free else d.text
    long_u = np.fromiter(map(len, form), dtype=np.int64, count=len(form)) > MAX_NAME_CHARS
    typed = d.per_value("typed", lambda u: np.where(d.empty | long_u, None, form))
    empty = pd.Series(d.empty[d.codes], index=raw.index)
    if required:
        c.add("missing-value", empty & ~lacking[name], name)
    long = pd.Series(long_u[d.codes], index=raw.index)
    c.add("absurd-value", long, name, raw[name], f"长于 {MAX_NAME_CHARS} 个字", f"longer than {MAX_NAME_CHARS} characters")
    out[name] = d.spread(typed, raw.index)


def check_number(c: Collector, raw: pd.DataFrame, d: Distinct, out: dict, name: str, unit: str, maximum: float,
                  integer: bool) -> None:
    values = per_distinct(d, raw.index, f"number:{unit}", lambda u: normalise.number(u, unit), 0)
    bad = per_distinct(d, raw.index, f"number:{unit}", lambda u: normalise.number(u, unit), 1)
    c.add("bad-number", bad, name, raw[name])
    if integer:
        frac = values.notna() & (values != np.floor(values))
        c.add("bad-number", frac, name, raw[name], "（应为整数）", " (it must be a whole number)")
        values = values.where(~frac)
    neg = values < 0
    c.add("negative-value", neg, name, raw[name])
    big = values > maximum
    c.add("absurd-value", big, name, raw[name], f"不应超过 {maximum:g}", f"at most {maximum:g}")
    out[name] = values.where(~neg & ~big)


def check_date(c: Collector, raw: pd.DataFrame, d: Distinct, out: dict, name: str) -> None:
    values = per_distinct(d, raw.index, "date", normalise.date, 0)
    bad = per_distinct(d, raw.index, "date", normalise.date, 1)
    c.add("bad-date", bad, name, raw[name])
    odd = values.notna() & ((values < DATE_MIN) | (values > DATE_MAX))
    c.add("absurd-value", odd, name, raw[name], "日期应在 2000—2049 年之间", "dates must lie in 2000–2049")
    out[name] = values.where(~odd)


def check_yes_no(c: Collector, raw: pd.DataFrame, d: Distinct, out: dict, name: str) -> None:
    values = per_distinct(d, raw.index, "yes_no", normalise.yes_no, 0)
    bad = per_distinct(d, raw.index, "yes_no", normalise.yes_no, 1)
    c.add("bad-yes-no", bad, name, raw[name])
    out[name] = values


def _scientific(values: pd.Series, bad: pd.Series) -> np.ndarray:
    """Which of the bad codes look like a number Excel wrote in scientific notation (4.10212E+11)."""
    out = np.zeros(len(values), dtype=bool)
    mask = bad.to_numpy(dtype=bool)
    if mask.any():
        out[mask] = normalise.text(values[mask]).str.contains(r"[eE]\+", regex=True).to_numpy(dtype=bool)
    return out


def check_code(c: Collector, raw: pd.DataFrame, d: Distinct, out: dict, name: str) -> None:
    # from the column's normal forms and placeholders, worked out once for the blank-row test already
    parse = lambda u: normalise.code_of_text(pd.Series(d.text, index=u.index, dtype=object), d.empty)  # noqa: E731
    values = per_distinct(d, raw.index, "code", parse, 0)
    bad = per_distinct(d, raw.index, "code", parse, 1)
    sci = bad & per_distinct(d, raw.index, "sci", lambda u: _scientific(u, d.per_value("code", parse)[1]))
    c.add("bad-code", bad & ~sci, name, raw[name])
    c.add("bad-code", sci, name, raw[name], "（被 Excel 显示成了科学计数法，请把该列设为文本后重新填写）",
          " (Excel turned it into scientific notation; format the column as text and enter it again)")
    out[name] = values
    d.per_value("typed", lambda u: d.per_value("code", parse)[0].to_numpy(dtype=object))


def check_enum(c: Collector, raw: pd.DataFrame, d: Distinct, out: dict, name: str, lookup: dict[str, str],
                code: str, choices: str, required: bool, lacking: pd.Series) -> None:
    values = per_distinct(d, raw.index, f"enum:{code}", lambda u: u.map(lambda v: lookup.get(header_key(v))).astype(object))
    empty = pd.Series(d.empty[d.codes], index=raw.index)
    c.add(code, ~empty & values.isna(), name, raw[name], choices, choices)
    if required:
        c.add("missing-value", empty & ~lacking[name], name)
    out[name] = values.where(values.notna(), None)


def division_aliases(c: Collector, raw: pd.DataFrame, dists: dict[str, Distinct], out: dict, rules: Rules) -> set[str]:
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


def outlet_rules(c: Collector, raw: pd.DataFrame, out: dict) -> None:
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
