"""changes, history and trend: what the history of exports says, as `kuaidi changes` and `kuaidi trend`
say it (the command line calls these very functions)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd

from kuaidi_cli.api.sources import PathLike, RulesLike, date_of, rules_of
from kuaidi_cli.commands.trend import Series
from kuaidi_cli.report.changes import Changes


def changes(path: PathLike | None = None, *, since: dt.date | str | None = None, to: dt.date | str
            | None = None,
            county: str | None = None, rules: RulesLike = None) -> Changes:
    """The villages that changed between two as-of dates recorded by `kuaidi export` (default: the latest
    and the one before it), of the city or of one county: `.villages` (change, county, township, village,
    code), `.counts()`, `.by_county()`. `path` is the history (default: the user's, as `kuaidi export`
    keeps it). Raises KuaidiError when the history lacks either date."""
    from kuaidi_cli.commands import changes as changes_of

    loaded, _ = rules_of(rules)
    return changes_of.load(loaded, None if path is None else Path(path),
                           None if since is None else date_of(since, "since"),
                           None if to is None else date_of(to, "to"), county)


def trend(path: PathLike | None = None, *, county: str | None = None, rules: RulesLike = None) -> Series:
    """The history as a series (`.points`: one per as-of date), each unmet target's projected date at the
    recent pace (`.projections`) and the chart (`.chart(lang)`: SVG bytes), of the city or of one county.
    Raises KuaidiError when the history holds nothing."""
    from kuaidi_cli.commands import trend as trends

    loaded, _ = rules_of(rules)
    return trends.load(loaded, None if path is None else Path(path), county)


def history(path: PathLike | None = None, *, county: str | None = None,
            rules: RulesLike = None) -> pd.DataFrame:
    """The series of `trend` as a DataFrame: one row per as-of date (its latest export), oldest first —
    as_of, run_at, each metric recorded, and what the run lacked (unsubmitted, unestablished)."""
    return pd.DataFrame(trend(path, county=county, rules=rules).points)
