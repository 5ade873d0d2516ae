"""What of the registers concerns a part of the city (`--county`, `--township`): the place of every row
the registers sent, and the findings on the rows of that part (with those about no row: a file's)."""

from __future__ import annotations

import pandas as pd

from kuaidi_cli.core.findings import Finding
from kuaidi_cli.report.submissions import UNASSIGNED, Places, places_of_rows

_KEYS = ["_file", "_sheet", "_row"]


def row_places(seen: list[pd.DataFrame], places: Places) -> pd.DataFrame:
    """_file, _sheet, _row, county, township of every row the registers sent (`Register.seen` of each),
    placed as 报送情况 places them (`submissions.places_of_rows`: by the county's name, else its code, else
    its file's majority), so that a part's findings and its 报送情况 count the same rows; county None for a
    row of no county kuaidi can tell (its findings concern every part, as a file's do). One line per row
    (the first register's where two name one)."""
    frames = []
    for frame in seen:
        if not len(frame) or "_file" not in frame:
            continue
        county, township = places_of_rows(frame, places)
        part = pd.DataFrame({
            "_file": frame["_file"].astype(str),
            "_sheet": frame["_sheet"].fillna("").astype(str) if "_sheet" in frame else "",
            "_row": frame["_row"].astype("int64"),
            "county": county.where(county != UNASSIGNED, None),
            "township": township,
        })
        frames.append(part)
    if not frames:
        return pd.DataFrame(columns=[*_KEYS, "county", "township"])
    return pd.concat(frames, ignore_index=True).drop_duplicates(_KEYS)


def findings_in_scope(findings: list[Finding], places: pd.DataFrame, counties: list[str],
                      township: str | None) -> tuple[list[Finding], list[Finding]]:
    """The findings on rows of the counties (and township), and those on no row the registers sent as a
    village or an outlet (a file's header, a total row, a skipped file): each once, in their order; and
    those of the second kind (about a file, not a row of the part)."""
    if not findings:
        return [], []
    asked = pd.DataFrame({
        "_file": [f.file for f in findings],
        "_sheet": [f.sheet or "" for f in findings],
        "_row": [-1 if f.row is None else f.row for f in findings],
    }).astype({"_row": "int64"})
    # (a left merge keeps the order)
    where = asked.merge(places, how="left", on=_KEYS, validate="many_to_one")
    about_file = where["county"].isna()
    inside = where["county"].isin(counties)
    if township is not None:
        inside = inside & (where["township"] == township)
    kept = [(f, a) for f, k, a in zip(findings, (inside | about_file).tolist(), about_file.tolist(),
                                      strict=True) if k]
    return [f for f, _ in kept], [f for f, a in kept if a]
