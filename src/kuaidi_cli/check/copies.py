"""A file sent twice: two files of one register that are copies of one file, of which only the newer counts.

Two files are copies of one when their bytes are identical, or when the rows read from them (blank, total
and note rows aside) name the same places: the same set of villages (县区, 乡镇, 行政村, 区划代码 as written,
after the normal form of text) — or, for outlets, of outlets (编号, 县区, 名称). A county's re-sent register
with some dates or flags updated is such a copy; a register that adds or drops a village is not (its rows
are then checked as two files, and a village in both is a duplicate).

The copy that counts is the newer: the one whose latest date (in its date columns, 2000–2049) is later; on
equal (or no) dates the one modified later (mtime); on equal times the one given first. Never the order
of the names."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from kuaidi_cli.core import normalise
from kuaidi_cli.core.fields import FIELDS, Kind
from kuaidi_cli.core.findings import Finding, make
from kuaidi_cli.core.normalise import Distinct, group_ids
from kuaidi_cli.read.table import RawTable

_IDENTITY = {
    Kind.VILLAGES: ("county", "township", "village", "code"),
    Kind.OUTLETS: ("outlet_id", "county", "name"),
}
_DATE_MIN, _DATE_MAX = np.datetime64("2000-01-01"), np.datetime64("2049-12-31")


@dataclass
class _File:
    name: str
    path: Path
    tables: list[int]
    rows: np.ndarray[Any, Any]  # positions of its rows in the stacked frame
    latest: dt.date | None = None
    mtime: float = 0.0


def copies(tables: list[RawTable], dist: dict[str, Distinct], table_of: np.ndarray[Any, Any],
           skipped: np.ndarray[Any, Any], kind: Kind) -> tuple[np.ndarray[Any, Any], list[Finding], set[str]]:
    """The rows of the copies that do not count (a mask over the stacked rows), one finding per such copy
    naming the copy that counts and why, and the names of the files left out."""
    out = np.zeros(len(table_of), dtype=bool)
    files: dict[str, _File] = {}
    for i, t in enumerate(tables):
        files.setdefault(t.name, _File(t.name, t.path, [], np.empty(0, dtype=np.int64))).tables.append(i)
    if len(files) < 2:
        return out, [], set()
    for f in files.values():
        f.rows = np.flatnonzero(np.isin(table_of, f.tables))
    groups = _groups(list(files.values()), dist, skipped, kind)
    findings: list[Finding] = []
    left: set[str] = set()
    for group, how in groups:
        for f in group:
            f.latest = _latest(f, dist, skipped, kind)
            try:
                f.mtime = f.path.stat().st_mtime
            except OSError:
                f.mtime = 0.0
        order = {id(f): n for n, f in enumerate(group)}
        kept = max(group, key=lambda f: (f.latest or dt.date.min, f.mtime, -order[id(f)]))
        for f in group:
            if f is kept:
                continue
            out[f.rows] = True
            left.add(f.name)
            findings.append(_finding(f, kept, how, kind))
    return out, findings, left


def _groups(files: list[_File], dist: dict[str, Distinct], skipped: np.ndarray[Any, Any],
            kind: Kind) -> list[tuple[list[_File], str]]:
    """Files that are copies of one another, and how they were told (bytes or places): each file in one
    group at most (identical bytes first)."""
    by_bytes: dict[tuple[int, str], list[_File]] = {}
    sizes: dict[int, list[_File]] = {}
    for f in files:
        try:
            sizes.setdefault(f.path.stat().st_size, []).append(f)
        except OSError:
            continue
    for size, same in sizes.items():
        if len(same) > 1:
            for f in same:
                by_bytes.setdefault((size, _sha256(f.path)), []).append(f)
    groups = [(g, "bytes") for g in by_bytes.values() if len(g) > 1]
    grouped = {id(f) for g, _ in groups for f in g}
    names = [n for n in _IDENTITY[kind] if n in dist]
    n = len(skipped)
    ids = group_ids([dist[name].norm_codes() for name in names], n) if names and n else np.zeros(
        n, dtype=np.int64)
    by_places: dict[frozenset[int], list[_File]] = {}
    for f in files:
        rows = f.rows[~skipped[f.rows]]
        if len(rows):
            by_places.setdefault(frozenset(ids[rows].tolist()), []).append(f)
    for same in by_places.values():
        fresh = [f for f in same if id(f) not in grouped]
        if len(same) > 1 and len(fresh) == len(same):
            groups.append((same, "places"))
        elif len(same) > 1 and fresh:  # a byte copy of one of them: the others join its group
            for g, _ in groups:
                if any(f in g for f in same):
                    g += fresh
                    break
    return groups


def _latest(f: _File, dist: dict[str, Distinct], skipped: np.ndarray[Any, Any], kind: Kind) -> dt.date | None:
    """The latest date (2000–2049) in the date columns of a file's rows."""
    rows = f.rows[~skipped[f.rows]]
    best: np.datetime64 | None = None
    for field in FIELDS[kind]:
        if field.type != "date" or field.name not in dist:
            continue
        d = dist[field.name]
        parsed = d.per_value("copies-date", lambda u: normalise.date(u)[0].to_numpy(dtype="datetime64[D]"))
        values = parsed[d.codes[rows]]
        values = values[~np.isnat(values) & (values >= _DATE_MIN) & (values <= _DATE_MAX)]
        if len(values) and (best is None or values.max() > best):
            best = values.max()
    return None if best is None else pd.Timestamp(best).date()


def _finding(f: _File, kept: _File, how: str, kind: Kind) -> Finding:
    what = ("内容完全相同" if how == "bytes" else "所列行政村相同" if kind is Kind.VILLAGES
            else "所列服务点相同",
            "identical bytes" if how == "bytes" else "the same villages" if kind is Kind.VILLAGES
            else "the same outlets")
    if kept.latest and (f.latest is None or kept.latest > f.latest):
        why = (f"其数据中最晚的日期 {kept.latest} 晚于本文件的 {f.latest or '（无日期）'}",
               f"its latest date, {kept.latest}, is after this file's {f.latest or '(none)'}")
    elif kept.mtime > f.mtime:
        why = ("两份数据中最晚的日期相同，其修改时间较晚",
               "the same latest date in both; it was modified later")
    else:
        why = ("日期与修改时间都相同，按先给出的计", "the same dates and times; the one given first counts")
    n = len(f.rows)
    return make("file-copy", file=f.name, value=f.name,
                detail_zh=f"「{kept.name}」是同一份台账（{what[0]}）：只计较新的「{kept.name}」（{why[0]}），"
                          f"本文件 {n} 行未计入",
                detail_en=f"is the same register as '{kept.name}' ({what[1]}): only the newer '{kept.name}' "
                          "counts "
                          f"({why[1]}); this file's {n} rows are not counted")


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    try:
        with path.open("rb") as fh:
            for chunk in iter(lambda: fh.read(1 << 20), b""):
                h.update(chunk)
    except OSError:
        return str(path)
    return h.hexdigest()
