"""The history of exports in SQLite: every run, with every metric of every scope.

Safe when two processes write at once: WAL journal, a busy timeout, and one transaction per run.
By default the file lives in the platform's place for a user's data (platformdirs: %LOCALAPPDATA%/kuaidi
on Windows, $XDG_DATA_HOME/kuaidi or ~/.local/share/kuaidi on Linux, ~/Library/Application Support/kuaidi
on macOS); a history an earlier kuaidi kept in ~/.local/share/kuaidi is still used where the new place has
none. `--history` (or KUAIDI_HISTORY) chooses another.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import sqlite3
from contextlib import closing
from pathlib import Path
from typing import Any

import pandas as pd

from kuaidi_cli.core.errors import KuaidiError, os_reason
from kuaidi_cli.report import Report, ScopeRow
from kuaidi_cli.report.columns import Column, all_columns

SCHEMA = """
CREATE TABLE IF NOT EXISTS runs (
    id INTEGER PRIMARY KEY,
    run_at TEXT NOT NULL,
    as_of TEXT NOT NULL,
    rules_name TEXT NOT NULL,
    rules_sha256 TEXT NOT NULL,
    inputs TEXT NOT NULL          -- JSON: [{path, sha256, rows, invalid_rows}]
);
CREATE TABLE IF NOT EXISTS metrics (
    run_id INTEGER NOT NULL REFERENCES runs(id),
    scope TEXT NOT NULL,          -- city | county | township
    county TEXT NOT NULL DEFAULT '',
    township TEXT NOT NULL DEFAULT '',
    metric TEXT NOT NULL,
    value REAL,
    PRIMARY KEY (run_id, scope, county, township, metric)
);
CREATE TABLE IF NOT EXISTS village_states (
    run_id INTEGER PRIMARY KEY REFERENCES runs(id),
    format TEXT NOT NULL,         -- how data is written: parquet-zstd/1 (report.changes.STATE_COLUMNS)
    data BLOB NOT NULL            -- the state of every village at the run's as-of date
);
CREATE TABLE IF NOT EXISTS submissions (
    run_id INTEGER NOT NULL REFERENCES runs(id),
    county TEXT NOT NULL,
    submitted INTEGER NOT NULL,   -- 1: a valid village row of the county came (报送情况 已报送)
    rows INTEGER NOT NULL,        -- its village rows as sent
    valid INTEGER NOT NULL,       -- of them counted
    PRIMARY KEY (run_id, county)
);
CREATE TABLE IF NOT EXISTS targets (
    run_id INTEGER NOT NULL REFERENCES runs(id),
    county TEXT NOT NULL DEFAULT '',
    id TEXT NOT NULL,
    value REAL,
    status TEXT NOT NULL,
    gap INTEGER NOT NULL,
    PRIMARY KEY (run_id, county, id)
);
"""

def default_path() -> Path:
    """The history in the user's data directory of the platform; the one of earlier versions (always
    ~/.local/share/kuaidi, or under $XDG_DATA_HOME) when it exists and the platform's place has none."""
    import platformdirs

    path = platformdirs.user_data_path("kuaidi", appauthor=False) / "history.sqlite"
    earlier = Path(os.environ.get("XDG_DATA_HOME")
                   or Path.home() / ".local" / "share") / "kuaidi" / "history.sqlite"
    return earlier if not path.exists() and earlier.exists() else path


def _problem(path: Path, e: Exception) -> KuaidiError:
    text = str(e)
    if "locked" in text or "busy" in text:
        return KuaidiError(f"历史库 {path} 被另一个进程锁住，请稍后再试",
                           f"the history {path} is locked by another process; try again later")
    if "not a database" in text or "malformed" in text:
        return KuaidiError(f"历史库 {path} 已损坏，请改名备份后重跑，或用 --history 指定新文件",
                           f"the history {path} is corrupt ({text}); move it aside and run again, or choose "
                           "--history")
    if "readonly" in text or "read-only" in text:
        return KuaidiError(f"历史库 {path} 只读：请检查文件权限，或用 --history 指定可写的文件",
                           f"the history {path} is read-only ({text}); check its permissions, or choose "
                           "--history")
    if isinstance(e, OSError):
        zh, en = os_reason(e)
        return KuaidiError(f"无法使用历史库 {path}：{zh}", f"cannot use the history {path}: {en}")
    # (SQLite's own words are English: they stay in the English line)
    return KuaidiError(f"无法使用历史库 {path}：请用 --history 指定另一个文件，或加 --no-history",
                       f"cannot use the history {path}: {text}")


def connect(path: Path, timeout: float = 30.0) -> sqlite3.Connection:
    """Open (and create) the history database."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(path, timeout=timeout, isolation_level=None)
        conn.execute(f"PRAGMA busy_timeout = {int(timeout * 1000)}")
        conn.execute("PRAGMA journal_mode = WAL")
        conn.executescript(SCHEMA)
        return conn
    except (sqlite3.Error, OSError) as e:
        raise _problem(path, e) from e


def _values(s: ScopeRow, columns: tuple[Column, ...]) -> dict[str, float | None]:
    """A scope's figures by metric name: the columns of its table (report.columns), all of them."""
    return {c.metric: c.value(s) for c in columns}


def _distinct_names(names: list[str]) -> list[str]:
    """The names as the history keys them, each once: a name a second place of the country also bears
    (two 朝阳区, two 城关镇 of one county's name) is kept as 朝阳区（2）, in the order of the report."""
    seen: dict[str, int] = {}
    out = []
    for name in names:
        seen[name] = seen.get(name, 0) + 1
        out.append(name if seen[name] == 1 else f"{name}（{seen[name]}）")
    return out


def _gap(gap: int | None) -> int:
    return -1 if gap is None else gap


STATES_FORMAT = "parquet-zstd/1"


def _pack(states: pd.DataFrame) -> bytes:
    """The villages' states as one compressed Parquet file (500 000 villages: a few MB, well under a
    second)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    buf = io.BytesIO()
    pq.write_table(pa.Table.from_pandas(states, preserve_index=False), buf, compression="zstd")
    return buf.getvalue()


def _unpack(data: bytes) -> pd.DataFrame:
    import pyarrow.parquet as pq

    frame: pd.DataFrame = pq.read_table(io.BytesIO(data)).to_pandas()
    return frame


def record(path: Path, report: Report, run_at: dt.datetime, timeout: float = 30.0,
           states: pd.DataFrame | None = None) -> int:
    """Record one export in one transaction (with the state of every village, when given, for `changes`);
    returns the run id. A history written so is still read by an older kuaidi: the states are a table
    of their own, which it never reads."""
    packed = _pack(states) if states is not None else None
    try:
        with closing(connect(path, timeout)) as conn:
            conn.execute("BEGIN IMMEDIATE")
            try:
                cur = conn.execute(
                    "INSERT INTO runs (run_at, as_of, rules_name, rules_sha256, inputs) VALUES (?, ?, "
                    "?, ?, ?)",
                    (run_at.isoformat(), report.as_of.isoformat(), report.rules.name, report.rules.sha256,
                     json.dumps([i.model_dump() for i in report.inputs], ensure_ascii=False)),
                )
                run_id = cur.lastrowid
                counties = _distinct_names([c.county for c in report.counties])
                townships = _distinct_names([f"{w.county}\x1f{w.township}" for w in report.townships])
                columns = all_columns()
                rows = [(run_id, "city", "", "", k, v) for k, v in _values(report.summary, columns).items()]
                for c, name in zip(report.counties, counties, strict=True):
                    rows += [(run_id, "county", name, "", k, v) for k, v in _values(c, columns).items()]
                for w, key in zip(report.townships, townships, strict=True):
                    county, township = key.split("\x1f", 1)
                    rows += [(run_id, "township", county, township, k, v) for k, v in _values(
                        w, columns).items()]
                conn.executemany("INSERT INTO metrics VALUES (?, ?, ?, ?, ?, ?)", rows)
                # gap -1: not established (status no-data or incomplete); the column is NOT NULL in every
                # history
                targets = [(run_id, "", x.id, x.value, x.status, _gap(x.gap)) for x in report.targets]
                for c, name in zip(report.counties, counties, strict=True):
                    targets += [(run_id, name, x.id, x.value, x.status, _gap(x.gap)) for x in c.targets]
                conn.executemany("INSERT INTO targets VALUES (?, ?, ?, ?, ?, ?)", targets)
                if packed is not None:
                    conn.execute(
                        "INSERT INTO village_states VALUES (?, ?, ?)", (run_id, STATES_FORMAT, packed)
                    )
                conn.executemany("INSERT OR REPLACE INTO submissions VALUES (?, ?, ?, ?, ?)",
                                 [(run_id, x.county, int(x.submitted), x.rows, x.valid)
                                  for x in report.submissions])
                conn.execute("COMMIT")
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            assert run_id is not None  # an INSERT's row id
            return run_id
    except sqlite3.Error as e:
        raise _problem(path, e) from e


def series(path: Path, county: str | None = None) -> list[dict[str, Any]]:
    """One point per as-of date (its latest run): {as_of, run_at, <metric>: value}, oldest first."""
    if not path.exists():
        raise KuaidiError(f"还没有历史库 {path}：先运行 kuaidi export",
                          f"no history at {path} yet: run kuaidi export first")
    try:
        with closing(connect(path)) as conn:
            scope, name = ("county", county) if county else ("city", "")
            rows = conn.execute(
                """
                SELECT r.as_of, r.run_at, m.metric, m.value FROM metrics m JOIN runs r ON r.id = m.run_id
                WHERE m.scope = ? AND m.county = ? AND m.township = ''
                  AND r.id = (SELECT id FROM runs r2 WHERE r2.as_of = r.as_of
                              ORDER BY run_at DESC, id DESC LIMIT 1)
                ORDER BY r.as_of
                """,
                (scope, name),
            ).fetchall()
    except sqlite3.Error as e:
        raise _problem(path, e) from e
    points: dict[str, dict[str, Any]] = {}
    for as_of, run_at, metric, value in rows:
        points.setdefault(as_of, {"as_of": dt.date.fromisoformat(as_of), "run_at": run_at})[metric] = value
    return list(points.values())


def counties(path: Path) -> list[str]:
    try:
        with closing(connect(path)) as conn:
            return [r[0] for r in conn.execute(
                "SELECT DISTINCT county FROM metrics WHERE scope = 'county' ORDER BY county")]
    except sqlite3.Error as e:
        raise _problem(path, e) from e


def latest_statuses(path: Path, county: str | None = None) -> dict[str, str]:
    """The status each target had in the latest run of the latest as-of date (of the city, or of a
    county): what `trend` says of a target before any pace (no-data, unverified, incomplete stay so)."""
    try:
        with closing(connect(path)) as conn:
            row = conn.execute(
                "SELECT id FROM runs ORDER BY as_of DESC, run_at DESC, id DESC LIMIT 1").fetchone()
            if row is None:
                return {}
            return dict(conn.execute("SELECT id, status FROM targets WHERE run_id = ? AND county = ?",
                                     (row[0], county or "")).fetchall())
    except sqlite3.Error as e:
        raise _problem(path, e) from e


def state_dates(path: Path) -> list[dt.date]:
    """The as-of dates whose latest run kept the state of every village, oldest first."""
    try:
        with closing(connect(path)) as conn:
            rows = conn.execute("""
                SELECT DISTINCT r.as_of FROM runs r JOIN village_states s ON s.run_id = r.id
                WHERE r.id = (SELECT id FROM runs r2 WHERE r2.as_of = r.as_of
                              ORDER BY run_at DESC, id DESC LIMIT 1)
                ORDER BY r.as_of""").fetchall()
    except sqlite3.Error as e:
        raise _problem(path, e) from e
    return [dt.date.fromisoformat(r[0]) for r in rows]


def states_at(path: Path, as_of: dt.date) -> pd.DataFrame | None:
    """The villages' states of the latest run as of `as_of`, or None when that run kept none."""
    try:
        with closing(connect(path)) as conn:
            row = conn.execute("""
                SELECT s.format, s.data FROM runs r LEFT JOIN village_states s ON s.run_id = r.id
                WHERE r.as_of = ? ORDER BY r.run_at DESC, r.id DESC LIMIT 1""",
                               (as_of.isoformat(),)).fetchone()
    except sqlite3.Error as e:
        raise _problem(path, e) from e
    if row is None or row[1] is None or row[0] != STATES_FORMAT:
        return None
    return _unpack(row[1])


def _latest_run(conn: sqlite3.Connection, as_of: str) -> int | None:
    row = conn.execute("SELECT id FROM runs WHERE as_of = ? ORDER BY run_at DESC, id DESC LIMIT 1", (
        as_of,)).fetchone()
    return None if row is None else int(row[0])


def _sent(conn: sqlite3.Connection, run_id: int) -> dict[str, bool]:
    """Whether each county of a run sent a register. A run recorded before the history kept it (no row in
    `submissions`: an earlier kuaidi, or an earlier export into this file): a county sent one when its
    villages were more than none (in an export's figures, a county counts only the villages it sent)."""
    rows = conn.execute("SELECT county, submitted FROM submissions WHERE run_id = ? ORDER BY rowid",
                        (run_id,)).fetchall()
    if not rows:
        rows = conn.execute("SELECT county, value > 0 FROM metrics WHERE run_id = ? AND scope = 'county' "
                            "AND township = '' AND metric = 'villages' ORDER BY rowid", (run_id,)).fetchall()
    return {str(c): bool(s) for c, s in rows}


def submitted_at(path: Path, as_of: dt.date) -> set[str] | None:
    """The counties that sent a register in the latest run as of `as_of` (None when there is no such run)."""
    try:
        with closing(connect(path)) as conn:
            run_id = _latest_run(conn, as_of.isoformat())
            return None if run_id is None else {c for c, sent in _sent(conn, run_id).items() if sent}
    except sqlite3.Error as e:
        raise _problem(path, e) from e


UNESTABLISHED = ("incomplete", "unverified")  # a target's status that says the run's figures are partial


def gaps(path: Path, county: str | None = None) -> dict[dt.date, tuple[list[str], list[str]]]:
    """What each as-of date's latest run lacked: the counties that sent nothing (of the city, or the county
    itself), and the targets (of the city, or of the county) it could not establish (incomplete,
    unverified); nothing for a run that lacked neither."""
    out: dict[dt.date, tuple[list[str], list[str]]] = {}
    try:
        with closing(connect(path)) as conn:
            for (as_of,) in conn.execute("SELECT DISTINCT as_of FROM runs ORDER BY as_of").fetchall():
                run_id = _latest_run(conn, as_of)
                assert run_id is not None
                sent = _sent(conn, run_id)
                unsent = [c for c, ok in sent.items() if not ok and (county is None or c == county)]
                marks = ",".join("?" * len(UNESTABLISHED))
                targets = [r[0] for r in conn.execute(
                    f"SELECT id FROM targets WHERE run_id = ? AND county = ? AND status IN ({marks}) "
                    "ORDER BY id",
                    (run_id, county or "", *UNESTABLISHED)).fetchall()]
                if unsent or targets:
                    out[dt.date.fromisoformat(as_of)] = (unsent, targets)
    except sqlite3.Error as e:
        raise _problem(path, e) from e
    return out
