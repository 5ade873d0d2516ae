"""Who sent what (报送情况): one row per county of the scope, from the registers as they came."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pandas as pd

from kuaidi_cli.check.register import Register
from kuaidi_cli.core.findings import Finding, Severity
from kuaidi_cli.report.model import Submission

_DATES = ("in_village_since", "reached_since", "opened", "closed")


UNASSIGNED = "（未能归属县区）"


def submissions(counties: list[str], villages: Register, findings: list[Finding], *,
                canonical: Callable[[str], str] = str, county_by_code: dict[str, str] | None = None,
                known: set[str] | None = None) -> list[Submission]:
    """Each county of `counties` (the scope, in its order): the village register's files its rows came
    in, its village rows (valid, invalid), the error findings on them, the latest date its counted rows
    carry; not submitted when none of its village rows is counted.

    A row belongs to the county its 县区 names (`canonical`: 开封县 → 祥符区) when that is a county
    (`known`), else to the county of its code's first six digits (`county_by_code`), else to the county
    most rows of its file belong to; a row none of these places is in a last row, UNASSIGNED, so that
    the table adds up to the rows sent."""
    seen = villages.seen
    county = _county_of_rows(seen, set(counties) | (known or set()), canonical, county_by_code or {})
    counted = villages.counted()
    files_of: dict[str, set[str]] = {}
    for name, file in zip(county, seen.get("_file", pd.Series(dtype=object)), strict=True):
        files_of.setdefault(name, set()).add(str(file))
    rows = county.value_counts().to_dict()
    valid: dict[str, int] = {}
    for name, n in (counted["county"].value_counts().items() if len(counted) else ()):
        valid[canonical(str(name))] = valid.get(canonical(str(name)), 0) + int(n)
    uncertain: dict[str, int] = {}  # of the counted, the rows with a cell kuaidi cannot read
    soft = villages.uncertain
    for name, n in (soft["county"].value_counts().items() if soft is not None and len(soft) else ()):
        uncertain[canonical(str(name))] = uncertain.get(canonical(str(name)), 0) + int(n)
    # an error finding belongs to the county of the row it is on
    sheets = seen["_sheet"] if "_sheet" in seen else pd.Series([None] * len(seen), dtype=object)
    county_of_row = {(str(f), s, int(r)): c for c, f, s, r in zip(
        county, seen.get("_file", []), sheets, seen.get("_row", []), strict=True)}
    errors: dict[str, int] = {}
    for f in findings:
        if f.severity is Severity.ERROR and f.row is not None:
            where = county_of_row.get((f.file, f.sheet, f.row))
            if where is not None:
                errors[where] = errors.get(where, 0) + 1
    latest: dict[str, dt.date] = {}
    dates = [counted[c] for c in _DATES if c in counted]
    if dates and "county" in counted:
        last = pd.concat(dates, axis=1).max(axis=1)
        for name, day in last.groupby(counted["county"]).max().dropna().items():
            latest[canonical(str(name))] = pd.Timestamp(day).date()
    out = []
    for name in counties:
        n, ok = int(rows.get(name, 0)), int(valid.get(name, 0))
        out.append(Submission(county=name, files=sorted(files_of.get(name, set())), rows=n, valid=ok,
                              invalid=max(n - ok, 0), errors=errors.get(name, 0), latest=latest.get(name),
                              submitted=ok > 0, uncertain=uncertain.get(name, 0)))
    if rows.get(UNASSIGNED):  # sent, but of no county kuaidi can tell: shown, never dropped
        n = int(rows[UNASSIGNED])
        out.append(Submission(county=UNASSIGNED, files=sorted(files_of.get(UNASSIGNED, set())), rows=n, valid=0,
                              invalid=n, errors=errors.get(UNASSIGNED, 0), latest=None, submitted=True))
    return out


def _county_of_rows(seen: pd.DataFrame, known: set[str], canonical: Callable[[str], str],
                    county_by_code: dict[str, str]) -> pd.Series:
    """The county each row of the register belongs to (see `submissions`)."""
    if not len(seen):
        return pd.Series([], dtype=object)
    written = seen["county"].astype(object) if "county" in seen else pd.Series(None, index=seen.index, dtype=object)
    names = {v: canonical(str(v)) for v in written.dropna().unique()}
    county = written.map(names)
    county = county.where(county.isin(known))
    if "code" in seen and county_by_code:
        county = county.fillna(seen["code"].astype(str).str[:6].map(county_by_code))
    if county.isna().any() and "_file" in seen:
        most = county.dropna().groupby(seen["_file"][county.notna()]).agg(lambda s: s.value_counts().index[0])
        county = county.fillna(seen["_file"].map(most))
    return county.fillna(UNASSIGNED).astype(object)
