"""The columns of the county and township tables, declared once for every output (terminal, workbook,
HTML, CSV, the API's frames) from the figures of core.metrics: the label key, whether the value is a rate,
and how to read it off a scope's summary; and which figures a scope row shows (`values`)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

from kuaidi_cli.core.metrics import Metric, columns


# What the columns read of report.model's rows and report (not imported: report.model's frames read the
# columns)
class ScopeRow(Protocol):
    """A scope row (Summary, County, Township): its figures, by the names core.metrics gives them."""

    @property
    def villages(self) -> int: ...

    @property
    def outlets(self) -> Any: ...


class _Summary(Protocol):
    @property
    def priority_unknown(self) -> int: ...


class _Report(Protocol):
    @property
    def summary(self) -> _Summary: ...


@dataclass(frozen=True)
class Column:
    key: str  # the label (write.labels)
    metric: str  # the metric's name in the history and the targets (outlets.park)
    rate: bool  # a fraction in [0, 1], shown as a percentage
    value: Callable[[ScopeRow], int | float | None]
    optional: bool = False  # shown only when some scope of the report has a value other than 0


def _value(m: Metric) -> Callable[[ScopeRow], int | float | None]:
    if m.kind == "outlets":
        level = m.level
        return lambda s: getattr(s.outlets, level)
    name = m.name
    return lambda s: getattr(s, name, None)  # (None in a scope row that does not carry it)


def all_columns() -> tuple[Column, ...]:
    """A column for each figure core.metrics shows in the tables (and the CSV and the history)."""
    return tuple(Column(m.label_key, m.name, m.is_rate, _value(m), optional=m.optional) for m in columns())


def scope_columns(report: _Report | None = None, *, every: bool = False) -> list[Column]:
    """The columns a report's scope tables show: the optional ones only where the report has them (the
    villages whose priority is undecided), or all of them (`every`)."""
    return [c for c in all_columns()
            if every or not c.optional or (report is not None and report.summary.priority_unknown)]


def values(s: ScopeRow, columns: list[Column]) -> list[int | float | None]:
    """A scope's row: its values, or nothing at all when it holds no village (a part that sent nothing
    has no figures, not zeros)."""
    # its outlets, when it has any (an outlet register may hold a place no village row names)
    if not s.villages:
        outlets = [c.metric.startswith("outlets.") for c in columns]
        shown = any(c.value(s) for c, o in zip(columns, outlets, strict=True) if o)
        return [c.value(s) if o and shown else None for c, o in zip(columns, outlets, strict=True)]
    return [c.value(s) for c in columns]
