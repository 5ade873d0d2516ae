"""Evaluate the dated targets of the rules against the metrics of a scope, as of a date.

A figure kuaidi cannot establish is never shown as established. The status of a target at t:
- `no-data` (无数据): its rate is over an empty set, or no column of the registers can establish it
  (an outlet count without an outlet register);
- `incomplete` (数据不全): parts of the scope (counties, or townships of the official list) sent no
  valid village row, so the rate is over part of the scope (a count target: only when it falls short,
  since a count reached stays reached with more rows);
- `pending` before the due date (the value shows the progress);
- then `met` or `missed`; for a rate whose denominator has villages not yet decided (priority with
  population or distance blank), `met` only if it holds whatever the blanks turn out to be, `missed`
  only if it fails whatever they turn out to be, else `unverified` (待核实);
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
from kuaidi_cli.measure.metrics import ScopeCounts

STATUSES = ("met", "missed", "pending", "info", "no-data", "unverified", "incomplete")
# what `--fail-on missed` counts as missed on a due required target: the exit code never says "fine"
# about a figure kuaidi could not establish
NOT_MET = frozenset({"missed", "no-data", "unverified", "incomplete"})


@dataclass(frozen=True)
class TargetResult:
    target: Target
    value: float | None
    status: str  # one of STATUSES
    gap: int | None  # None when the value is not established (no-data, incomplete)
    due: bool = False  # as of the date, the due date has come
    undecided: int = 0  # villages of the denominator whose membership is not decided (blank fields)
    unsubmitted: int = 0  # parts of the scope with no valid village row (counties, townships)

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
    undecided = 0
    if target.is_rate:
        num, den = s.parts(target.metric)
        favourable, unfavourable = s.undecided(target.metric)
        undecided = favourable + unfavourable
        exact = _exact(target.target)
        value = None if den == 0 or target.metric in unknown else num / den
        gap = max(0, math.ceil(exact * den) - num)
        if value is None:
            status = "no-data"
        elif unsubmitted:
            status = "incomplete"
        elif not due:
            status = "pending"
        elif not undecided:
            status = "met" if gap == 0 else "missed"
        elif _holds(exact, num, den + unfavourable):  # every undecided village turns out against it
            status = "met"
        elif not _holds(exact, num + favourable, den + favourable):  # every one turns out for it
            status = "missed"
        else:
            status = "unverified"
    else:
        level = target.metric.split(".", 1)[1]
        count = s.outlets[level]
        value = None if target.metric in unknown else float(count)
        gap = max(0, math.ceil(target.target) - count)
        if value is None:
            status = "no-data"
        elif unsubmitted and gap:
            status = "incomplete"
        elif not due:
            status = "pending"
        else:
            status = "met" if gap == 0 else "missed"
    if target.kind == "info" and status != "no-data":
        status = "info"
    shown_gap = None if status in ("no-data", "incomplete") else gap  # a gap over a figure not established
    return TargetResult(target=target, value=value, status=status, gap=shown_gap, due=due, undecided=undecided,
                        unsubmitted=unsubmitted)


def evaluate_all(targets: list[Target], s: ScopeCounts, as_of: dt.date, *, rates_only: bool = False, unsubmitted: int = 0,
                 unknown: frozenset[str] = frozenset()) -> list[TargetResult]:
    """Every target (or only the rate targets, for a county: count targets are city-wide)."""
    return [evaluate(t, s, as_of, unsubmitted=unsubmitted, unknown=unknown)
            for t in targets if t.is_rate or not rates_only]
