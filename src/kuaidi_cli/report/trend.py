"""`trend`: the history as a series, and when each unmet target would be reached at the recent pace.

The pace is the least-squares slope of the metric over the last three points (per day). A target is
projected only from at least MIN_POINTS as-of dates spanning at least MIN_SPAN_DAYS days (two exports a
day apart say nothing of a pace: 数据不足), when the latest value is below it and the pace is positive;
otherwise "not at this pace".

A point whose run was partial — a county sent nothing (`unsubmitted`), or the target itself was not
established (`unestablished`: incomplete, unverified) — is shown, marked, and never used: neither as the
latest value, nor for the pace, nor among the MIN_POINTS.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from typing import Any

from kuaidi_cli.core import metrics
from kuaidi_cli.core.rules import Rules, Target
from kuaidi_cli.core.statuses import unestablished

PACE_POINTS = 3
MIN_POINTS = 3  # as-of dates needed before a projection is made
MIN_SPAN_DAYS = 28  # days they must span


@dataclass(frozen=True)
class Projection:
    target: Target
    latest: float | None
    reached_on: dt.date | None  # the projected date, None when not at this pace
    met: bool  # already met at the latest point
    insufficient: bool = False  # too few as-of dates, or too short a span, to project
    # the latest export's status when it established nothing (no-data, unverified, incomplete)
    status: str | None = None


def _slope(points: list[tuple[dt.date, float]]) -> float:
    xs = [p[0].toordinal() for p in points]
    ys = [p[1] for p in points]
    mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
    den = sum((x - mx) ** 2 for x in xs)
    return 0.0 if den == 0 else sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / den


UNESTABLISHED = frozenset(s.value for s in unestablished())  # (core.statuses)


def partial(point: dict[str, Any], target: str | None = None) -> bool:
    """Whether a point of the series is partial: a county sent nothing, or (for `target`, else for any
    target) the run could not establish the target."""
    unestablished = point.get("unestablished") or []
    return bool(point.get("unsubmitted")) or (target in unestablished if target else bool(unestablished))


def project(series: list[dict[str, Any]], rules: Rules, *, rates_only: bool = False,
            statuses: dict[str, str] | None = None) -> list[Projection]:
    """`statuses`: each target's status in the latest export (history.latest_statuses). A target the
    latest export could not establish keeps that status: trend never calls it met, nor projects it."""
    out = []
    kept = {m.name for m in metrics.columns()}
    for target in rules.targets:
        if target.kind == "info" or (rates_only and not target.is_rate):
            continue
        if target.metric not in kept:
            continue  # not kept in the history (focus_reach_rate)
        points = [(p["as_of"], p[target.metric]) for p in series
                  if p.get(target.metric) is not None and not partial(p, target.id)]
        latest = (statuses or {}).get(target.id)
        if latest in UNESTABLISHED or not points:
            value = points[-1][1] if points and series and points[-1][0] == series[-1]["as_of"] else None
            out.append(Projection(target, value, None, False, status=latest if latest in UNESTABLISHED
                                  else "no-data"))
            continue
        last_day, last = points[-1]
        if last >= target.target - 1e-12:
            out.append(Projection(target, last, None, True))
            continue
        if len(points) < MIN_POINTS or (last_day - points[0][0]).days < MIN_SPAN_DAYS:
            out.append(Projection(target, last, None, False, insufficient=True))
            continue
        recent = points[-PACE_POINTS:]
        pace = _slope(recent) if len(recent) >= 2 else 0.0
        when = None
        if pace > 0:
            # rounded first: 0.3 / 0.001 is 300.00000000000006 in floating point, and that is 300 days
            try:
                when = last_day + dt.timedelta(days=math.ceil(round((target.target - last) / pace, 6)))
            except OverflowError:  # beyond year 9999: not at any pace that matters
                when = None
        out.append(Projection(target, last, when, False))
    return out
