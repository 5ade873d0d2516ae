"""Who sent what (报送情况): one row per county of the scope, from the registers as they came."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from kuaidi_cli.check.register import Register
from kuaidi_cli.core.findings import Finding, Severity
from kuaidi_cli.report.model import Submission

_DATES = ("in_village_since", "reached_since", "opened", "closed")


def submissions(counties: list[str], villages: Register, outlets: Register | None,
                findings: list[Finding]) -> list[Submission]:
    """Each county of `counties` (the scope, in its order): the files its rows came in, its village rows
    (valid, invalid), the error findings on them, the latest date its rows (village and outlet) carry;
    not submitted when none of its village rows is counted."""
    seen = villages.seen
    counted = villages.counted()
    files_of: dict[str, set[str]] = {}
    for county, file in zip(seen.get("county", pd.Series(dtype=object)), seen.get("_file", pd.Series(dtype=object)),
                            strict=True):
        files_of.setdefault(str(county), set()).add(str(file))
    rows = seen["county"].value_counts().to_dict() if "county" in seen else {}
    valid = counted["county"].value_counts().to_dict() if len(counted) else {}
    # an error finding belongs to the county of the row it is on
    county_of_row = {(str(f), int(r)): str(c) for c, f, r in zip(
        seen.get("county", []), seen.get("_file", []), seen.get("_row", []), strict=True)}
    errors: dict[str, int] = {}
    for f in findings:
        if f.severity is Severity.ERROR and f.row is not None:
            county = county_of_row.get((f.file, f.row))
            if county is not None:
                errors[county] = errors.get(county, 0) + 1
    latest: dict[str, dt.date] = {}
    frames = [counted] + ([outlets.frame] if outlets is not None and len(outlets.frame) else [])
    for frame in frames:
        dates = [frame[c] for c in _DATES if c in frame]
        if not dates or "county" not in frame:
            continue
        last = pd.concat(dates, axis=1).max(axis=1)
        for county, day in last.groupby(frame["county"]).max().dropna().items():
            day = pd.Timestamp(day).date()
            latest[str(county)] = max(latest.get(str(county), day), day)
        if frame is not counted:
            for county, file in zip(frame["county"], frame["_file"], strict=True):
                files_of.setdefault(str(county), set()).add(str(file))
    out = []
    for county in counties:
        n, ok = int(rows.get(county, 0)), int(valid.get(county, 0))
        out.append(Submission(county=county, files=sorted(files_of.get(county, set())), rows=n, valid=ok,
                              invalid=max(n - ok, 0), errors=errors.get(county, 0), latest=latest.get(county),
                              submitted=ok > 0))
    return out
