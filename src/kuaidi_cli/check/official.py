"""Checks of a village register against the official division list (the gazetteer).

- unknown county / township / village, with the nearest official names suggested;
- a code not in the list, a code whose county or township part contradicts the row, a code that
  belongs to another village;
- short names (兰考 → 兰考县, 陈留 → 陈留镇) normalised with a warning; a village name in a form NBS itself
  writes ("袁楼村委会", "袁楼村民委员会", "时村村村委会" for 时村, "娄砦村" for 娄寨村; a township's
  "兰阳街道办事处") normalised to the register form silently; any other form ("袁楼" for 袁楼村) with a note;
- a 居委会/社区 row: reported, and left out of the villages (a 居委会 is never the 村委会 of its name).
And completeness: the official villages of the townships a register covers that it lacks.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd

from kuaidi_cli.check.collector import Collector, Rows
from kuaidi_cli.core.digits import ascii_digits
from kuaidi_cli.core.fields import FROM_GAZETTEER
from kuaidi_cli.core.findings import Finding, make
from kuaidi_cli.core.gazetteer import (
    VILLAGE,
    VILLAGE_COMMITTEE,
    Gazetteer,
    name_class,
    name_key,
    suggest,
    township_forms,
    village_form,
)
from kuaidi_cli.core.normalise import group_ids

_NOT_VILLAGE_TYPES = {"居委会", "类似居委会"}


def _did_you_mean(options: list[str], edition: str) -> tuple[str, str]:
    if options:
        return (f"（您是否指 {'、'.join(options)}？）", f" (did you mean {', '.join(options)}?)")
    return (f"（不在{edition}年区划中）", f" (not in the {edition} division list)")


def _per_distinct(fn: Callable[..., Any], *columns: pd.Series) -> pd.Series:
    """fn(*values) worked out once for each distinct combination of the columns' values (a blank as the
    first blank written), spread back to the rows: the loop is over distinct values, not rows."""
    index = columns[0].index
    n = len(index)
    if n == 0:
        return pd.Series([], index=index, dtype=object)
    ids = group_ids([pd.factorize(c)[0] + 1 for c in columns], n)
    first = np.unique(ids, return_index=True)[1]
    picked = [c.to_numpy(dtype=object)[first].tolist() for c in columns]
    got = np.empty(len(first), dtype=object)
    for i, values in enumerate(zip(*picked, strict=True)):
        got[i] = fn(*values)
    return pd.Series(got[ids], index=index, dtype=object)


def _hints(mask: pd.Series, fn: Callable[..., tuple[str, str]], *columns: pd.Series) -> pd.Series:
    """fn's (zh, en) suggestion for the rows of `mask`, worked out once per distinct value."""
    return _per_distinct(fn, *(c[mask] for c in columns))


def _in(pairs: set[tuple[str, str]], a: pd.Series, b: pd.Series) -> pd.Series:
    return _per_distinct(lambda x, y: (x, y) in pairs, a, b).astype(bool)


def _short_names(written: pd.Series, official: dict[str | None, list[str]], parent: pd.Series
                 | None) -> pd.Series:
    """A written name that begins exactly one official name of its parent: 兰考 → 兰考县, 陈留 → 陈留镇."""
    def one(name: object, up: Any = None) -> str | None:
        if not isinstance(name, str):
            return None
        hits = [o for o in official.get(up, []) if o.startswith(name) and o != name]
        return hits[0] if len(hits) == 1 else None

    return _per_distinct(one, written) if parent is None else _per_distinct(one, written, parent)


def check_villages(
    c: Collector, raw: Rows, out: dict[str, pd.Series], gz: Gazetteer
) -> tuple[pd.Series, pd.Series]:
    """Check and normalise county, township, village and code in `out`; returns the masks of 居委会/社区 rows
    and of rows of a place outside the list's city (闽侯县: said once per file by check.scope)."""
    edition = gz.edition
    county, township, village, code = out["county"], out["township"], out["village"], out["code"]

    # counties
    known = set(gz.counties["name"])
    short = _short_names(county, {None: sorted(known)}, None)
    c.add("old-division-name", short.notna() & ~county.isin(known), "county", raw["county"], short.fillna(""))
    county = county.where(short.isna() | county.isin(known), short)
    bad = county.notna() & ~county.isin(known)
    outside = bad & _elsewhere(county, code, known, gz)
    bad &= ~outside
    hints = _hints(bad, lambda n: _did_you_mean(suggest(n, sorted(known)), edition), county)
    c.add("unknown-county", bad, "county", raw["county"], hints.str[0], hints.str[1])
    ok_county = county.isin(known)

    # townships, within their county
    by_county: dict[str | None, list[str]] = {
        str(k): list(v) for k, v in gz.townships.groupby("county_name")["name"].apply(list).items()}
    pairs = set(zip(gz.townships["county_name"], gz.townships["name"], strict=True))
    township = _township_as_nbs_writes(county.where(ok_county), township, gz)
    here = _in(pairs, county, township)
    short = _short_names(township.where(ok_county & ~here), by_county, county)
    c.add("old-division-name", short.notna(), "township", raw["township"], short.fillna(""))
    township = township.where(short.isna(), short)
    here = _in(pairs, county, township)
    bad = ok_county & township.notna() & ~here
    hints = _hints(bad, lambda a, b: _did_you_mean(suggest(b, by_county.get(a, [])), edition), county,
                   township)
    c.add("unknown-township", bad, "township", raw["township"], hints.str[0], hints.str[1])
    ok_township = ok_county & here

    # villages: by code where the code is official, else by name within the township
    v = gz.villages
    by_code = v.set_index("code")
    code_known = code.isin(by_code.index)
    c.add("unknown-code", code.notna() & ~code_known & ~outside, "code", raw["code"], f"（{edition}年）",
          f" ({edition})")
    entry_of_code = _per_distinct(lambda x: x if isinstance(x, str) else None, code.where(code_known))
    code_county = entry_of_code.map(by_code["county_name"])
    code_township = entry_of_code.map(by_code["township_name"])
    wrong_place = code_known & ok_county & ((code_county != county) | (ok_township & (
        code_township != township)))
    place = code_county.fillna("") + code_township.fillna("")
    c.add("code-division-mismatch", wrong_place, "code", raw["code"], "（该代码属于 " + place + "）",
          " (the code belongs to " + place + ")")

    # by name within the township and the kind of unit the name says: 小东门居委会 is never 小东门村村委会
    name_index = {(a, b, kind, k): i for i, a, b, kind, k in
                  zip(v.index, v["county_name"], v["township_name"], v["kind"], v["key"], strict=True)}
    # (only a row of a township the list has villages in can match by name: the others are not looked up)
    listed = _in({(a, b) for a, b, _, _ in name_index}, county, township)
    matched = _per_distinct(lambda a, b, n: _by_name(name_index, a, b, n),
                            county[listed], township[listed], village[listed]).reindex(village.index)
    matched = matched.astype(object).where(matched.notna(), None)
    code_of = v["code"]
    idx_of_code = pd.Series(v.index, index=v["code"])
    by_name_code = matched.map(code_of)  # (no match: NaN, never equal to a code)
    # the code is official and in the right place, but names another village
    other = code_known & ~wrong_place & ok_township & (by_name_code != code)
    official_name = entry_of_code.map(by_code["register_name"])
    c.add("code-name-mismatch", other, "village", raw["village"], "（代码 " + code.fillna("") + " 对应「" +
          official_name.fillna("") + "」）", " (code " + code.fillna("") + " is '" + official_name.fillna("")
          + "')")
    unknown = ok_township & village.notna() & matched.isna() & ~(code_known & ~wrong_place)
    ends_community = village.fillna("").str.contains(r"(?:社区|居委会|居民委员会)$", regex=True)
    per_township = v.groupby(["county_name", "township_name"])["register_name"].apply(list).to_dict()
    hints = _hints(unknown & ~ends_community,
                   lambda a, b, n: _did_you_mean(suggest(n, per_township.get((a, b), [])), edition),
                   county, township, village)
    c.add("unknown-village", unknown & ~ends_community, "village", raw["village"], hints.str[0], hints.str[1])

    # the register form of a matched name ("袁楼村委会" → "袁楼村")
    entry = matched.where(matched.notna(), entry_of_code.map(idx_of_code))
    canonical = entry.map(v["register_name"])
    kind = entry.map(v["committee_type"])
    not_village = kind.isin(_NOT_VILLAGE_TYPES) | (kind.isna() & ends_community)
    c.add("not-a-village", not_village, "village", raw["village"])
    renamed = canonical.notna() & matched.notna() & (canonical != village) & ~not_village
    # a form NBS itself writes for the unit (袁楼村委会, 时村 for 时村村村委会, 娄砦村 for 娄寨村) is renamed
    # silently
    nbs_form = _per_distinct(
        lambda a, b: isinstance(a, str) and isinstance(b, str) and village_form(a) == village_form(b),
        village,
        canonical,
    ).astype(bool)
    c.add("village-name-normalised", renamed & ~nbs_form, "village", raw["village"], canonical.fillna(""),
          canonical.fillna(""))
    out["village"] = village.where(~renamed, canonical)
    out["county"], out["township"] = county, township
    return pd.Series(not_village, dtype=bool), outside


def _elsewhere(county: pd.Series, code: pd.Series, known: set[str], gz: Gazetteer) -> pd.Series:
    """Rows of a county the list does not hold that are of another city: their code is another city's
    (its first four digits), or, without a code, no official county's name is near theirs (闽侯县)."""
    city = set(gz.counties["code"].astype(str).str[:4])
    other_code = code.notna() & ~ascii_digits(code).fillna("").str[:4].isin(city)
    far = {n: not suggest(n, sorted(known)) for n in county.dropna().unique().tolist()}
    no_near = code.isna() & county.map(far).fillna(False).astype(bool)
    return other_code | no_near


def _by_name(index: dict[tuple[str, str, str, str], int], county: object, township: object,
             name: object) -> int | None:
    """The official entry a written village name stands for within its township: of the kind the name says
    (…居委会/社区: a residents' committee; …村/村委会: a village), else a village before a residents'
    committee."""
    if not isinstance(name, str):
        return None
    key, kind = name_key(name), name_class(name)
    for k in ([kind] if kind else [VILLAGE, "residents"]):
        hit = index.get((str(county), str(township), k, key))
        if hit is not None:
            return hit
    return None


def _township_as_nbs_writes(county: pd.Series, township: pd.Series, gz: Gazetteer) -> pd.Series:
    """Township names in a form NBS itself writes for an official township of the row's county
    ("兰阳街道办事处" and "兰阳办事处" for 兰阳街道, 西姜砦乡 for 西姜寨乡) as the official name; every other
    name as written."""
    official = {(a, name_form): b for a, b in zip(gz.townships["county_name"], gz.townships["name"],
                                                  strict=True)
                for name_form in township_forms(b)}
    pairs = set(zip(gz.townships["county_name"], gz.townships["name"], strict=True))

    def one(a: object, b: object) -> str | None:
        if isinstance(a, str) and isinstance(b, str) and (a, b) not in pairs:
            return next((official[(a, f)] for f in township_forms(b) if (a, f) in official), None)
        return None

    found = _per_distinct(one, county, township)
    if found.isna().all():
        return township
    return township.astype(object).where(found.isna(), found)


def missing_villages(frame: pd.DataFrame, gz: Gazetteer, covering: pd.DataFrame | None = None,
                     counties: list[str] | None = None) -> pd.DataFrame:
    """Official administrative villages that `frame` lacks, matched by code or by name: of the given
    `counties` (all their townships), else of the townships the register covers (those of `covering`,
    by default `frame`)."""
    if counties is not None:
        official = gz.administrative_villages(counties)
    else:
        cover = frame if covering is None else covering
        places = cover[["county", "township"]].drop_duplicates()
        covered = set(zip(places["county"], places["township"], strict=True))
        official = gz.administrative_villages()
        official = official[
            [
                (a, b) in covered
                for a, b in zip(official["county_name"], official["township_name"], strict=True)
            ]
        ]
    have_codes = set(frame["code"].dropna())
    # (only the rows of the townships asked about can hold one of their villages by name)
    asked = frame[_in(set(zip(official["county_name"], official["township_name"], strict=True)),
                      frame["county"], frame["township"]).to_numpy()]
    keys = _per_distinct(lambda n: name_key(n) if isinstance(n, str) else None, asked["village"])
    named = pd.DataFrame({"county": asked["county"], "township": asked["township"],
                          "key": keys}).drop_duplicates()
    have_names = set(zip(named["county"], named["township"], named["key"], strict=True))
    lacking = [not (code in have_codes or (a, b, k) in have_names)
               for code, a, b, k in zip(official["code"], official["county_name"], official["township_name"],
                                        official["key"], strict=True)]
    return official[lacking]


def missing_findings(missing: pd.DataFrame, file: str, sheet: str | None = None,
                     seen: pd.DataFrame | None = None) -> list[Finding]:
    """A finding for each lacking village, on the file that holds its township's rows (of `seen`, the rows
    of several files), else on `file`."""
    file_of: dict[tuple[str, str], str] = {}
    if seen is not None and "_file" in seen:
        first = seen[["county", "township", "_file"]].drop_duplicates(["county", "township"])
        for county, township, name in zip(first["county"], first["township"], first["_file"], strict=True):
            file_of.setdefault((str(county), str(township)), str(name))
    return [
        make("missing-village", file=file_of.get((str(r.county_name), str(r.township_name)), file),
             sheet=sheet,
             field="village",
             value=f"{r.register_name}（{r.code}）", detail_zh=f"{r.county_name}{r.township_name}",
             detail_en=f"{r.county_name} {r.township_name}")
        for r in missing.itertuples()
    ]


def as_register_rows(missing: pd.DataFrame) -> pd.DataFrame:
    """The lacking villages as rows of a village frame: known names and codes, nothing else (not reached)."""
    return pd.DataFrame({
        "county": missing["county_name"].to_numpy(), "township": missing["township_name"].to_numpy(),
        "village": missing["register_name"].to_numpy(), "code": missing["code"].to_numpy(),
        "population": float("nan"), "distance_km": float("nan"), "in_village": None,
                         "in_village_since": pd.NaT,
        "reached": None, "reached_since": pd.NaT, "mode": None, "_file": FROM_GAZETTEER, "_sheet": None,
                         "_row": 0,
    })


__all__ = ["VILLAGE_COMMITTEE", "as_register_rows", "check_villages", "missing_findings", "missing_villages"]
