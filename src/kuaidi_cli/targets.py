"""Evaluate the dated targets of the rules against the metrics of a scope, as of a date.

Status at t: `pending` before the due date (the value shows the progress), then `met` or `missed`;
targets of kind `info` are always `info`. The gap of a rate target is the number of further villages
needed, max(0, ceil(target × denominator) − numerator), computed exactly; of a count target,
max(0, target − count). A rate over an empty set is null; its target is met (nothing is missing).
"""

from __future__ import annotations

import datetime as dt
import functools
import math
from dataclasses import dataclass
from fractions import Fraction

from kuaidi_cli.rules import Target

# rate metric → (numerator, denominator) keys of a summary
_RATE_PARTS = {
    "reach_rate": ("reached", "villages"),
    "priority_in_village_rate": ("priority_in_village", "priority_villages"),
    "in_village_rate": ("in_village", "villages"),
}


@dataclass(frozen=True)
class TargetResult:
    target: Target
    value: float | None
    status: str  # met | missed | pending | info
    gap: int

    @property
    def due_missed(self) -> bool:
        """A required target that is due and missed: what `--fail-on missed` fails on."""
        return self.target.kind == "required" and self.status == "missed"


def _parts(metric: str, s: dict) -> tuple[int, int]:
    if metric == "focus_reach_rate":
        return s["_focus"]
    num, den = _RATE_PARTS[metric]
    return s[num], s[den]


@functools.lru_cache(maxsize=256)
def _exact(value: float) -> Fraction:
    """A target as the decimal it was written as (0.85, not the float nearest to it); once per value
    (a national report evaluates each rate target for 2 800 counties)."""
    return Fraction(str(value))


def evaluate(target: Target, s: dict, as_of: dt.date) -> TargetResult:
    """One target against one scope's summary."""
    if target.is_rate:
        num, den = _parts(target.metric, s)
        value = None if den == 0 else num / den
        needed = math.ceil(_exact(target.target) * den)
        gap = max(0, needed - num)
    else:
        level = target.metric.split(".", 1)[1]
        count = s["outlets"][level]
        value = float(count)
        gap = max(0, math.ceil(target.target) - count)
    if target.kind == "info":
        status = "info"
    elif as_of < target.due:
        status = "pending"
    else:
        status = "met" if gap == 0 else "missed"
    return TargetResult(target=target, value=value, status=status, gap=gap)


def evaluate_all(targets: list[Target], s: dict, as_of: dt.date, *, rates_only: bool = False) -> list[TargetResult]:
    """Every target (or only the rate targets, for a county: count targets are city-wide)."""
    return [evaluate(t, s, as_of) for t in targets if t.is_rate or not rates_only]
