"""The columns of the county and township tables, declared once for every output (terminal, workbook,
HTML, CSV): the label key, whether the value is a rate, and how to read it off a scope's summary."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from kuaidi_cli.report import Report, ScopeRow


@dataclass(frozen=True)
class Column:
    key: str  # the label (write.labels)
    metric: str  # the metric's name in the history and the targets (outlets.park)
    rate: bool  # a fraction in [0, 1], shown as a percentage
    value: Callable[[ScopeRow], int | float | None]
    optional: bool = False  # shown only when some scope of the report has a value other than 0


SCOPE_COLUMNS: tuple[Column, ...] = (
    Column("villages", "villages", False, lambda s: s.villages),
    Column("reached", "reached", False, lambda s: s.reached),
    Column("reach_rate", "reach_rate", True, lambda s: s.reach_rate),
    Column("priority_villages", "priority_villages", False, lambda s: s.priority_villages),
    Column("priority_unknown", "priority_unknown", False, lambda s: s.priority_unknown, optional=True),
    Column("priority_in_village", "priority_in_village", False, lambda s: s.priority_in_village),
    Column("priority_in_village_rate", "priority_in_village_rate", True, lambda s: s.priority_in_village_rate),
    Column("in_village", "in_village", False, lambda s: s.in_village),
    Column("in_village_rate", "in_village_rate", True, lambda s: s.in_village_rate),
    Column("parks", "outlets.park", False, lambda s: s.outlets.park),
    Column("township_stations", "outlets.township_station", False, lambda s: s.outlets.township_station),
    Column("village_points", "outlets.village_point", False, lambda s: s.outlets.village_point),
)


def scope_columns(report: Report | None = None, *, every: bool = False) -> list[Column]:
    """The columns a report's scope tables show: the optional ones only where the report has them (the
    villages whose priority is undecided), or all of them (`every`)."""
    return [c for c in SCOPE_COLUMNS
            if every or not c.optional or (report is not None and report.summary.priority_unknown)]


def values(s: ScopeRow, columns: list[Column]) -> list[int | float | None]:
    """A scope's row: its values, or nothing at all when it holds no village (a part that sent nothing
    has no figures, not zeros)."""
    if not s.villages:  # its outlets, when it has any (an outlet register may hold a place no village row names)
        outlets = [c.metric.startswith("outlets.") for c in columns]
        shown = any(c.value(s) for c, o in zip(columns, outlets, strict=True) if o)
        return [c.value(s) if o and shown else None for c, o in zip(columns, outlets, strict=True)]
    return [c.value(s) for c in columns]
