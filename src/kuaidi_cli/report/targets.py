"""Evaluate the dated targets of the rules against the metrics of a scope, as of a date.

A figure kuaidi cannot establish is never shown as established. The status of a target at t:
- `no-data` (无数据): its rate is over an empty set, or no column of the registers can establish it
  (an outlet count without an outlet register);
- `incomplete` (数据不全): parts of the scope (counties, or townships of the official list) sent no
  valid village row, so the rate is over part of the scope (a count target: only when it falls short,
  since a count reached stays reached with more rows); or villages of the rate's denominator lie in
  parts the outlet register holds no row of and the village register's column does not establish
  their flag either (a count target: any village of the scope in such a part, when it falls short);
- `pending` before the due date (the value shows the progress);
- then `met` or `missed`; for a rate with villages not yet decided (priority with population or
  distance blank; a flag or a date that cannot be read: ScopeCounts.bounds), `met` only if it holds
  whatever they turn out to be, `missed` only if it fails whatever they turn out to be, else
  `unverified` (待核实); for a count with outlets an unreadable date or 层级 leaves undecided, the same;
- targets of kind `info` are always `info` (or `no-data`).
The gap of a rate target is the number of further villages needed over the decided villages,
max(0, ceil(target × denominator) − numerator), computed exactly; of a count target,
max(0, target − count).
"""

from __future__ import annotations

import datetime as dt
import functools
import math
from dataclasses import dataclass
from fractions import Fraction

from kuaidi_cli.core.rules import Target
from kuaidi_cli.core.statuses import Status, unestablished
from kuaidi_cli.measure.metrics import ScopeCounts

# what `--fail-on missed` counts as missed on a due required target: the exit code never says "fine"
# about a figure kuaidi could not establish
NOT_MET = frozenset({Status.MISSED, *unestablished()})


@dataclass(frozen=True)
class TargetResult:
    target: Target
    value: float | None
    status: Status
    gap: int | None  # None when the value is not established (no-data, incomplete)
    due: bool = False  # as of the date, the due date has come
    undecided: int = 0  # villages (of a count: outlets) the blanks or unreadable cells leave undecided
    unsubmitted: int = 0  # parts of the scope with no valid village row (counties, townships)
    outlets_missing: int = 0  # villages of parts the outlet register holds no row of, figure not established

    @property
    def due_missed(self) -> bool:
        """A required target that is due and not established as met: what `--fail-on missed` fails on."""
        return self.target.kind == "required" and self.due and self.status in NOT_MET


@functools.lru_cache(maxsize=256)
def _exact(value: float) -> Fraction:
    """A target as the decimal it was written as (0.85, not the float nearest to it); once per value
    (a national report evaluates each rate target for 2 800 counties)."""
    return Fraction(str(value))


def _holds(target: Fraction, num: int, den: int) -> bool:
    return den > 0 and num >= math.ceil(target * den)


def evaluate(target: Target, s: ScopeCounts, as_of: dt.date, *, unsubmitted: int = 0,
             unknown: frozenset[str] = frozenset()) -> TargetResult:
    """One target against one scope's summary. `unsubmitted`: parts of the scope that sent nothing
    (counted as incomplete); `unknown`: metrics no column of the registers establishes."""
    due = as_of >= target.due
    status: Status
    if target.is_rate:
        num, den = s.parts(target.metric)
        (least, least_of), (most, most_of), undecided = s.bounds(target.metric)
        missing = s.missing(target.metric)
        exact = _exact(target.target)
        value = None if den == 0 or target.metric in unknown else num / den
        gap = max(0, math.ceil(exact * den) - num)
        if value is None:
            status = Status.NO_DATA
        elif unsubmitted or missing:
            status = Status.INCOMPLETE
        elif not due:
            status = Status.PENDING
        elif not undecided:
            status = Status.MET if gap == 0 else Status.MISSED
        elif _holds(exact, least, least_of):  # every undecided village turns out against it
            status = Status.MET
        elif not _holds(exact, most, most_of):  # every one turns out for it
            status = Status.MISSED
        else:
            status = Status.UNVERIFIED
    else:
        level = target.metric.split(".", 1)[1]
        count = s.outlets[level]
        undecided = s.outlets_unknown.get(level, 0)
        missing = s.no_outlet_rows
        value = None if target.metric in unknown else float(count)
        gap = max(0, math.ceil(target.target) - count)
        if value is None:
            status = Status.NO_DATA
        elif (unsubmitted or missing) and gap:
            status = Status.INCOMPLETE
        elif not due:
            status = Status.PENDING
        elif gap == 0:
            status = Status.MET
        else:  # short: missed unless the undecided outlets could make it up
            status = Status.UNVERIFIED if count + undecided >= math.ceil(target.target) else Status.MISSED
    if target.kind == "info" and status != Status.NO_DATA:
        status = Status.INFO
    # a gap over a figure not established
    shown_gap = None if status in (Status.NO_DATA, Status.INCOMPLETE) else gap
    return TargetResult(target=target, value=value, status=status, gap=shown_gap, due=due,
                        undecided=undecided,
                        unsubmitted=unsubmitted, outlets_missing=missing)


def evaluate_all(targets: list[Target], s: ScopeCounts, as_of: dt.date, *, rates_only: bool = False,
                 unsubmitted: int = 0,
                 unknown: frozenset[str] = frozenset()) -> list[TargetResult]:
    """Every target (or only the rate targets, for a county: count targets are city-wide)."""
    return [evaluate(t, s, as_of, unsubmitted=unsubmitted, unknown=unknown)
            for t in targets if t.is_rate or not rates_only]
