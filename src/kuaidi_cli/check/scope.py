"""Rows of a place outside the rules' city (a 福州市 register checked with 开封市's rules): said once per
file and place, not once per row, and a file with no row of the rules' scope says so."""

from __future__ import annotations

import pandas as pd

from kuaidi_cli.check.collector import Collector, Rows
from kuaidi_cli.core.digits import ascii_digits
from kuaidi_cli.core.findings import Finding, make
from kuaidi_cli.core.rules import Rules
from kuaidi_cli.read.table import RawTable


def other_city(out: dict[str, pd.Series], rules: Rules) -> pd.Series:
    """Without an official list: rows whose code is another city's (its first digits are not the rules'
    city_code)."""
    code = out["code"]
    if not rules.city_code:
        return pd.Series(False, index=code.index)
    return code.notna() & ~ascii_digits(code).fillna("").str.startswith(rules.city_code)


def _scope_name(rules: Rules) -> tuple[str, str]:
    city = rules.city or rules.city_code
    return (city, city) if city else ("规则范围", "the rules' scope")


def places_outside(c: Collector, raw: Rows, out: dict[str, pd.Series], outside: pd.Series, rules: Rules,
                   tables: list[RawTable]) -> list[Finding]:
    """outside-scope once per file and place (on its first row, with the number of rows; all of them are
    invalid), and no-rows-in-scope for a file none of whose rows is of the rules' scope (its counties when
    the rules name them)."""
    county = out["county"]
    where = c.meta["_t"].reindex(county.index)
    zh_scope, en_scope = _scope_name(rules)
    if outside.any():
        place = county.fillna(out["code"].fillna("").str[:6])
        key = where.astype(str) + "\x1f" + place.astype(str)
        first = outside & ~key.where(outside).duplicated() & key.notna()
        counts = key[outside].value_counts()
        n = key.map(counts).fillna(0).astype(int).astype(str)
        # the value named is the place (the county, else the code's county part): the column is 县区
        c.add("outside-scope", first, "county", place, f"{zh_scope}（本文件中共 " + n + " 行，都未计入）",
              f"{en_scope} (" + n + " rows of this file, none counted)", silent=outside)
    found = []
    scope = set(rules.scope.counties)
    in_scope = ~outside & (county.isin(scope) if scope else True)
    rows_of = where.value_counts()
    held = where[in_scope].value_counts()
    for t_index, table in enumerate(tables):
        if rows_of.get(t_index, 0) and not held.get(t_index, 0):
            names = "、".join(rules.scope.counties)
            found.append(make("no-rows-in-scope", file=table.name, sheet=table.sheet, row=table.header_rows[
                -1],
                              value=zh_scope, detail_zh=f"（规则范围：{names}）" if names else "",
                              detail_en=f" (the rules' scope: {', '.join(rules.scope.counties)})" if names
                              else ""))
    return found
