"""What of the registers concerns a part of the city (`--county`, `--township`): the place of every row
the registers sent, and the findings on the rows of that part (with those about no row: a file's)."""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd

from kuaidi_cli.core.findings import Finding

_KEYS = ["_file", "_sheet", "_row"]


def row_places(seen: list[pd.DataFrame], canonical: Callable[[str], str] = str) -> pd.DataFrame:
    """_file, _sheet, _row, county, township of every row the registers sent (`Register.seen` of each),
    the county by its canonical name; one line per row (the first register's where two name one)."""
    frames = []
    for frame in seen:
        if not len(frame) or "_file" not in frame:
            continue
        part = pd.DataFrame({
            "_file": frame["_file"].astype(str),
            "_sheet": frame["_sheet"].fillna("").astype(str) if "_sheet" in frame else "",
            "_row": frame["_row"].astype("int64"),
            "county": frame["county"].astype(object) if "county" in frame else None,
            "township": frame["township"].astype(object) if "township" in frame else None,
        })
        frames.append(part)
    if not frames:
        return pd.DataFrame(columns=[*_KEYS, "county", "township"])
    places = pd.concat(frames, ignore_index=True).drop_duplicates(_KEYS)
    names = {v: canonical(str(v)) for v in places["county"].dropna().unique()}
    places["county"] = places["county"].map(names)
    return places


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
    where = asked.merge(places, how="left", on=_KEYS, validate="many_to_one")  # (a left merge keeps the order)
    about_file = where["county"].isna()
    inside = where["county"].isin(counties)
    if township is not None:
        inside = inside & (where["township"] == township)
    kept = [(f, a) for f, k, a in zip(findings, (inside | about_file).tolist(), about_file.tolist(), strict=True) if k]
    return [f for f, _ in kept], [f for f, a in kept if a]
