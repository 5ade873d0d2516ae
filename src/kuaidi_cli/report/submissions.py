"""Who sent what (报送情况): one row per county of the scope (and, for a county's or a township's report,
one per township), each with the village register's part and the outlet register's part, from the
registers as they came."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from kuaidi_cli.check.register import Register
from kuaidi_cli.core.findings import Finding, Severity
from kuaidi_cli.report.model import RegisterPart, Submission

_DATES = ("in_village_since", "reached_since", "opened", "closed")
_SEP = "\x1f"  # between a county and a township in a place's key

UNASSIGNED = "（未能归属县区）"
# the rows of a county that name no township (a county's park, a blank cell)
NO_TOWNSHIP = "（县级或未填乡镇）"


@dataclass(frozen=True)
class Places:
    """How a row is placed: its county's name (`canonical`: 开封县 → 祥符区) when that is a county (`known`),
    else the county of its code's first six digits (`county_by_code`), else the county most rows of its
    file belong to, else UNASSIGNED; its township by `township_names` ((county, township as written) →
    the name the report's township table shows), else as written."""

    known: frozenset[str]
    canonical: Callable[[str], str] = str
    county_by_code: dict[str, str] | None = None
    township_names: dict[tuple[str, str], str] | None = None
    # `canonical` of many names at once (same answer name by name), when the caller has it: faster
    canonical_all: Callable[[list[str]], list[str]] | None = None


def submissions(counties: list[str], villages: Register, findings: list[Finding], *, places: Places,
                outlets: Register | None = None, as_of: dt.date | None = None) -> list[Submission]:
    """Each county of `counties` (the scope, in its order): of the village register, the files its rows
    came in, its rows (valid, invalid), the error findings on them, the latest date its counted rows
    carry; not submitted when none of its village rows is counted. `outlets`: the same of the outlet
    register, in `Submission.outlets` (None: no outlet register given). A row of no county kuaidi can
    tell is in a last row, UNASSIGNED, so that the table adds up to the rows sent. The latest date: of those
    up to `as_of` (a date after it is not yet known at the report's date)."""
    v = _records(_tally(villages, _county_of_rows(villages.seen, places), findings, as_of))
    o = (_records(_tally(outlets, _county_of_rows(outlets.seen, places), findings, as_of))
         if outlets is not None
         else None)
    out = [_submission(v, o, name, county=name) for name in counties]
    if _has(v, UNASSIGNED) or (o is not None and _has(o, UNASSIGNED)):  # shown, never dropped
        last = _submission(v, o, UNASSIGNED, county=UNASSIGNED)
        out.append(last.model_copy(update={"valid": 0, "invalid": last.rows, "latest": None, "uncertain": 0,
                                           "submitted": bool(last.rows)}))
    return out


def township_submissions(counties: list[str], townships: pd.DataFrame, villages: Register, findings: list[
    Finding],
                         *, places: Places, outlets: Register | None = None,
                         township: str | None = None, as_of: dt.date | None = None) -> list[Submission]:
    """The same by township (`townships`: county, township — the report's township rows, in their order):
    then each place of `counties` some row names that is no row there (a township of invalid rows only,
    the rows naming no township: NO_TOWNSHIP; every place of a county that sent no village row); with
    `township`, only that township's."""
    v_at = _township_of_rows(villages.seen, places)
    o_at = _township_of_rows(outlets.seen, places) if outlets is not None else None
    v = _records(_tally(villages, v_at, findings, as_of))
    o = _records(_tally(outlets, o_at, findings, as_of)) if outlets is not None and o_at is not None else None
    wanted = [
        f"{c}{_SEP}{t}"
        for c, t in zip(townships["county"].astype(str), townships["township"].astype(str), strict=True)
    ]
    if township is None:
        have = set(wanted)
        more = {str(k) for frame in (v, o) if frame is not None for k in frame}
        wanted += sorted((k for k in more if k not in have and k.split(_SEP, 1)[0] in counties),
                         key=lambda k: (counties.index(k.split(_SEP, 1)[0]), k))
    out = []
    for key in wanted:
        county, name = key.split(_SEP, 1)
        out.append(_submission(v, o, key, county=county, township=name))
    return out


def _records(table: pd.DataFrame) -> dict[str, dict[str, Any]]:
    """A tally as one dict per place, made once: a national report asks for ~4 400 places, and a frame
    row looked up one by one costs ~0.4 ms. What must stay true: the same values as table.loc[key]."""
    return {str(k): {str(c): v for c, v in r.items()} for k, r in table.to_dict("index").items()}


def _has(frame: dict[str, dict[str, Any]], key: str) -> bool:
    return bool(frame.get(key, {}).get("rows", 0) > 0)


def _submission(v: dict[str, dict[str, Any]], o: dict[str, dict[str, Any]] | None, key: str, *, county: str,
                township: str | None = None) -> Submission:
    part = _part(v, key)
    return Submission(county=county, township=township, files=part.files, rows=part.rows, valid=part.valid,
                      invalid=part.invalid, errors=part.errors, latest=part.latest, submitted=part.sent,
                      uncertain=int(v.get(key, {}).get("uncertain", 0)),
                      outlets=None if o is None else _part(o, key))


def _part(frame: dict[str, dict[str, Any]], key: str) -> RegisterPart:
    r = frame.get(key)
    if r is None:
        return RegisterPart(errors=0, files=[], invalid=0, latest=None, rows=0, sent=False, valid=0)
    rows, valid = int(r["rows"]), int(r["valid"])
    latest = r["latest"]
    return RegisterPart(errors=int(r["errors"]), files=list(r["files"]), invalid=max(rows - valid, 0),
                        latest=None if pd.isna(latest) else pd.Timestamp(latest).date(), rows=rows,
                        sent=valid > 0, valid=valid)


def _keys(frame: pd.DataFrame) -> pd.DataFrame:
    """_file, _sheet ("" for none), _row of each row: where it came from, as a finding names it."""
    return pd.DataFrame({
        "_file": frame["_file"].astype(str),
        "_sheet": frame["_sheet"].fillna("").astype(str) if "_sheet" in frame else "",
        "_row": frame["_row"].astype("int64"),
    }, index=frame.index)


def _tally(register: Register, place: pd.Series, findings: list[Finding],
           as_of: dt.date | None = None) -> pd.DataFrame:
    """Per place (the index: `place` of each row of `register.seen`): rows, valid (counted), uncertain,
    errors (error findings on its rows, and on its files' headers: `_error_places`), latest (the latest date
    its counted rows carry, up to `as_of`), files."""
    columns = ["rows", "valid", "uncertain", "errors", "latest", "files"]
    seen = register.seen
    if not len(seen) or "_file" not in seen or "_row" not in seen:
        return pd.DataFrame(columns=columns)
    ids, names = pd.factorize(place.to_numpy(dtype=object))
    k = len(names)
    counted = register.counted()
    at, soft = _counted_places(register, ids)
    table = pd.DataFrame({"rows": np.bincount(ids, minlength=k), "valid": np.bincount(at, minlength=k),
                          "uncertain": np.bincount(soft, minlength=k),
                          "errors": np.bincount(_error_places(seen, ids, findings), minlength=k)},
                         index=pd.Index(np.asarray(names, dtype=object), dtype=object))
    dates = [pd.to_datetime(counted[c], errors="coerce") for c in _DATES if c in counted]
    table["latest"] = pd.NaT
    if dates and len(counted) and len(at) == len(counted):
        every = pd.concat(dates, axis=1)
        last = (every.where(every <= pd.Timestamp(as_of)) if as_of is not None else every).max(axis=1)
        table["latest"] = last.groupby(at).max().reindex(range(k)).to_numpy()
    table["files"] = _files_by_place(seen["_file"], ids, names)
    return table[columns]


def _counted_places(register: Register, ids: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The place id of each row of `register.counted()`, and of each uncertain row, taken by the rows'
    positions in `seen` (`Register.counted_at`), else matched by file, sheet and row. What must stay
    true: a counted row is a row of `seen` (the checks keep both), so the two ways place it alike."""
    counted = register.counted()
    n_soft = 0 if register.uncertain is None else len(register.uncertain)
    where = register.counted_at
    if where is None or len(where) != len(counted):
        where = _row_positions(register.seen, counted)
    placed = (
        np.where(where >= 0, ids[np.maximum(where, 0)], -1) if len(where) else np.zeros(0, dtype=np.int64)
    )
    soft = placed[len(placed) - n_soft:] if n_soft else placed[:0]
    # (a row matched to none is not in `seen`: never the case from the checks)
    return placed[placed >= 0], soft[soft >= 0]


def _row_positions(seen: pd.DataFrame, rows: pd.DataFrame) -> np.ndarray:
    """For each of `rows`, the position of the first row of `seen` with its file, sheet and row, or -1."""
    if not len(rows) or "_row" not in rows:
        return np.zeros(0, dtype=np.int64)
    keys = pd.MultiIndex.from_frame(_keys(seen))
    first = ~keys.duplicated(keep="first")
    index = keys[first]
    found = index.get_indexer(pd.MultiIndex.from_frame(_keys(rows)))
    return np.where(found >= 0, np.flatnonzero(first)[found], -1)


def _error_places(seen: pd.DataFrame, ids: np.ndarray, findings: list[Finding]) -> np.ndarray:
    """The place id of each error finding on a row of `seen` (by file, sheet and row; the first such row),
    and of each on no row (a file's header: missing-column) whose file's (sheet's) rows all have one place.
    What must stay true: the same rows as an inner join of the findings on the first row of each (file,
    sheet, row) of `seen`, then those of a file of one place."""
    wrong = [f for f in findings if f.severity is Severity.ERROR and f.row is not None]
    if not wrong:
        return np.zeros(0, dtype=np.int64)
    asked = pd.DataFrame({"_file": [f.file for f in wrong], "_sheet": [f.sheet or "" for f in wrong],
                          "_row": [f.row for f in wrong]}).astype({"_row": "int64"})
    where = _row_positions(seen, asked)
    placed: np.ndarray = ids[where[where >= 0]]
    if (where < 0).any():  # (about a file, not a row: its place when all its rows have the one)
        keys = _keys(seen)
        spans = pd.Series(ids).groupby((keys["_file"] + _SEP + keys["_sheet"]).to_numpy()).agg(["min", "max"])
        one = spans["min"][spans["min"] == spans["max"]]
        lost = asked[where < 0]
        found = (lost["_file"] + _SEP + lost["_sheet"]).map(one).dropna().to_numpy(dtype=np.int64)
        placed = np.concatenate([placed, found])
    return placed


def _files_by_place(files: pd.Series, ids: np.ndarray, names: Any) -> np.ndarray:
    """Per place id, the sorted names of the files its rows came in. The (place, file) pairs are made
    distinct as integers first (a few thousand, not a row each), so the per-place Python work follows the
    places; what must stay true: the same lists as sorting the set of each place's rows' file names."""
    file_ids, file_names = pd.factorize(files.to_numpy(dtype=object))
    n_files = max(len(file_names), 1)
    pairs = np.unique(ids.astype(np.int64) * n_files + file_ids)
    out: list[set[str]] = [set() for _ in range(len(names))]
    shown = [str(f) for f in file_names]
    for place, file in zip((pairs // n_files).tolist(), (pairs % n_files).tolist(), strict=True):
        out[place].add(shown[file])
    lists = np.empty(len(names), dtype=object)
    for i, s in enumerate(out):
        lists[i] = sorted(s)
    return lists


def _county_of_rows(seen: pd.DataFrame, places: Places) -> pd.Series:
    """The county each row of the register belongs to (see `Places`), worked out per distinct name."""
    if not len(seen):
        return pd.Series([], dtype=object)
    written = (
        seen["county"].astype(object) if "county" in seen else pd.Series(None, index=seen.index, dtype=object)
    )
    ids, distinct = pd.factorize(written.to_numpy(dtype=object))
    names = [str(v) for v in distinct]
    canonical = (
        places.canonical_all(names)
        if places.canonical_all is not None
        else [places.canonical(v) for v in names]
    )
    own = np.array([c if c in places.known else None for c in canonical] + [None], dtype=object)
    county = pd.Series(own[ids], index=seen.index, dtype=object)  # -1 (no name) takes the last, None
    code = "code" if "code" in seen else "village_code" if "village_code" in seen else None
    if code is not None and places.county_by_code and county.isna().any():
        lost = county.isna().to_numpy()
        county[lost] = seen[code][lost].astype(str).str[:6].map(places.county_by_code).to_numpy(dtype=object)
    if county.isna().any() and "_file" in seen and county.notna().any():
        most = county.dropna().groupby(seen["_file"][county.notna()]).agg(lambda s: s.value_counts().index[0])
        county = county.fillna(seen["_file"].map(most))
    return county.fillna(UNASSIGNED).astype(object)


def _township_of_rows(seen: pd.DataFrame, places: Places) -> pd.Series:
    """Each row's county and township as one key (county + _SEP + township), the township as the report's
    township table names it (NO_TOWNSHIP for a row naming none)."""
    county = _county_of_rows(seen, places)
    if not len(seen):
        return county
    written = (
        seen["township"].astype(object)
        if "township" in seen
        else pd.Series(None, index=seen.index, dtype=object)
    )
    names = places.township_names or {}
    pairs = pd.DataFrame({"county": county, "township": written.fillna("").astype(str)})
    unique = pairs.drop_duplicates()
    shown = {(c, t): names.get((c, t), t or NO_TOWNSHIP) for c, t in unique.itertuples(index=False)}
    township = pd.Series(
        pd.Series(shown, dtype=object).reindex(pd.MultiIndex.from_frame(pairs)).to_numpy(dtype=object),
        index=seen.index,
    )
    return county.astype(str) + _SEP + township


def township_names(villages: pd.DataFrame, townships: pd.DataFrame) -> dict[tuple[str, str], str]:
    """(county, township as a row writes it) → the name the township table shows (of the coverage's
    villages, keyed: a township written two ways is one row)."""
    if not len(villages) or "township_key" not in villages:
        return {}
    shown = dict(zip(townships["township_key"], townships["township"].astype(str), strict=True))
    county = dict(zip(townships["county_key"], townships["county"].astype(str), strict=True))
    pairs = villages[["county_key", "township", "township_key"]].drop_duplicates()
    return {(county.get(ck, ""), "" if pd.isna(t) else str(t)): shown[tk]
            for ck, t, tk in pairs.itertuples(index=False) if tk in shown and ck in county}


def places_of_rows(seen: pd.DataFrame, places: Places) -> tuple[pd.Series, pd.Series]:
    """Each row's county (UNASSIGNED: none kuaidi can tell) and township (NO_TOWNSHIP: none), as 报送情况
    places it: what a county's or a township's report keeps of the findings places rows the same way."""
    if not len(seen):
        empty = pd.Series([], dtype=object)
        return empty, empty
    county, township = _township_of_rows(seen, places).str.split(_SEP, n=1, expand=True).T.to_numpy()
    return pd.Series(county, index=seen.index, dtype=object), pd.Series(
        township, index=seen.index, dtype=object
    )
