"""The metrics, each declared once (docs/METRICS.md): its name, its labels, how it is made (a rate: the
village flag it counts over the villages it is about; a count), the scope rows that carry it, and where
it is shown (the scope tables, the CSV and the history; the trend and the charts, in its colour).

Everything else follows from this catalogue: the counts of a scope (measure.metrics), the report's
Summary, County and Township (report.model), the targets a rules file may name (core.rules), the
columns of every table, the history's metrics and the trend (write/).

A rate `among` villages (priority, focus; None: every village) of a `flag` (in_village, reached) reads
these village columns: `flag`, `{flag}_unknown` (an unreadable cell leaves it undecided), `{flag}_missing`
(neither register establishes it), `among` and `{among}_unknown`; and it is made of these counts, named
from its numerator N and denominator D: N, D, `{N}_unknown`, `{N}_missing`, and when it is `among` some
villages `{among}_unknown`, `{among}_unknown_{flag}`, `{among}_unknown_{flag}_unknown` (what
ScopeCounts.bounds reads).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

LEVELS = ("park", "township_station", "village_point")
SCOPES = ("city", "county", "township")  # the rows of the report: Summary, County, Township

Kind = Literal["rate", "count", "outlets"]


@dataclass(frozen=True)
class Metric:
    name: str  # as the JSON, the rules' targets and the history name it
    zh: str  # its label in the tables (write.labels.t finds it by `label_key`)
    en: str
    kind: Kind = "count"  # rate: a fraction in [0, 1]; count: villages; outlets: active outlets of a level
    flag: str | None = None  # rate: the village flag counted (in_village, reached)
    among: str | None = None  # rate: the villages it is over (priority, focus); None: every village
    parts: tuple[str, str] | None = None  # rate: the names of its (numerator, denominator) counts
    scopes: tuple[str, ...] = SCOPES  # the scope rows whose JSON carries it; () → targets only
    column: bool = True  # a column of the scope tables, the CSV and the history
    optional: bool = False  # that column only when some scope of the report is not 0 (priority_unknown)
    trend: bool = False  # shown by `trend` (its table; a rate also as a line of the chart)
    colour: str | None = None  # of its line (trend chart) and bars (the HTML's charts)
    bars: bool = False  # a bar chart by county in the HTML report
    label: str | None = None  # the label key when not its name (outlets.park → parks)

    @property
    def is_rate(self) -> bool:
        return self.kind == "rate"

    @property
    def label_key(self) -> str:
        return self.label or self.name

    @property
    def level(self) -> str:
        """outlets.park → park."""
        return self.name.split(".", 1)[1]


def _rate(name: str, zh: str, en: str, flag: str, among: str | None, parts: tuple[str, str], *,
          scopes: tuple[str, ...] = SCOPES, column: bool = True, trend: bool = False, colour: str
          | None = None,
          bars: bool = False) -> Metric:
    return Metric(name, zh, en, "rate", flag, among, parts, scopes=scopes, column=column, trend=trend,
                  colour=colour, bars=bars)


# In the order of the scope tables' columns.
METRICS: list[Metric] = [
    Metric("villages", "行政村", "Villages"),
    Metric("reached", "通达", "Reached"),
    _rate(
        "reach_rate",
        "通达率",
        "Reach rate",
        "reached",
        None,
        ("reached", "villages"),
        trend=True,
        colour="#2f5597",
        bars=True,
    ),
    Metric("priority_villages", "重点村", "Priority"),
    Metric("priority_unknown", "缺人口/距离", "Priority undecided", optional=True),
    Metric("priority_in_village", "重点村已设点", "Priority w/ outlet"),
    _rate(
        "priority_in_village_rate",
        "重点村设点率",
        "Priority in-village rate",
        "in_village",
        "priority",
        ("priority_in_village", "priority_villages"),
        trend=True,
        colour="#c55a11",
        bars=True,
    ),
    Metric("in_village", "驻村设点", "In-village"),
    _rate(
        "in_village_rate",
        "驻村设点率",
        "In-village rate",
        "in_village",
        None,
        ("in_village", "villages"),
        trend=True,
        colour="#548235",
    ),
    Metric("outlets.park", "园区", "Parks", "outlets", label="parks", trend=True),
    Metric(
        "outlets.township_station", "服务站", "Stations", "outlets", label="township_stations", trend=True
    ),
    Metric("outlets.village_point", "服务点", "Points", "outlets", label="village_points", trend=True),
    _rate(
        "focus_reach_rate",
        "推进重点通达率",
        "Focus reach rate",
        "reached",
        "focus",
        ("focus_reached", "focus"),
        scopes=(),
        column=False,
    ),
]

# Counts of a scope that belong to no rate: villages sent in the registers (not added from the official
# list); villages of parts the outlet register holds no row of.
OTHER_COUNTS = ("registered", "no_outlet_rows")

# Labels of the counts a rate is made of that are no column of their own (the 说明 sheet names them).
PART_LABELS = {
    "focus": ("推进重点村", "Focus villages"),
    "focus_reached": ("推进重点村已通达", "Focus reached"),
}


def rates() -> list[Metric]:
    return [m for m in METRICS if m.is_rate]


def rate(name: str) -> Metric:
    for m in METRICS:
        if m.name == name and m.is_rate:
            return m
    raise KeyError(name)


def target_names() -> tuple[str, ...]:
    """The metrics a target may name: the rates, then the outlet counts."""
    return tuple(m.name for m in METRICS if m.is_rate) + tuple(m.name for m in METRICS if m.kind == "outlets")


def rate_names() -> frozenset[str]:
    return frozenset(m.name for m in METRICS if m.is_rate)


def of_flag(flag: str) -> frozenset[str]:
    """The rates of a village flag: what nothing establishes when nothing establishes the flag."""
    return frozenset(m.name for m in METRICS if m.flag == flag)


def flags() -> tuple[str, ...]:
    return tuple(dict.fromkeys(m.flag for m in METRICS if m.flag))


def columns() -> list[Metric]:
    """The figures of the scope tables, the CSV and the history, in column order."""
    return [m for m in METRICS if m.column]


def in_scope(scope: str) -> list[Metric]:
    """The figures of a scope row's JSON (outlets aside: one `outlets` object)."""
    return [m for m in METRICS if scope in m.scopes and m.kind != "outlets"]


def nullable(name: str) -> bool:
    """A count a rate is made of that nothing may establish (its rate's numerator): null then."""
    return any(m.parts and m.parts[0] == name for m in METRICS if m.is_rate and m.scopes)


def label(key: str) -> tuple[str, str] | None:
    """(zh, en) of a metric by its label key or name, or None."""
    for m in METRICS:
        if key in (m.label_key, m.name):
            return m.zh, m.en
    return PART_LABELS.get(key)


@dataclass(frozen=True)
class Undecided:
    """The count names ScopeCounts.bounds and missing read for a rate (see the module's docstring)."""

    numerator: str
    denominator: str
    numerator_unknown: str
    missing: str
    among_unknown: str | None
    among_unknown_flag: str | None
    among_unknown_flag_unknown: str | None


def undecided(m: Metric) -> Undecided:
    assert m.parts is not None and m.flag is not None
    num, den = m.parts
    a = m.among
    return Undecided(num, den, f"{num}_unknown", f"{num}_missing", a and f"{a}_unknown",
                     a and f"{a}_unknown_{m.flag}", a and f"{a}_unknown_{m.flag}_unknown")


def count_names() -> tuple[str, ...]:
    """Every count of a scope, each once."""
    names: list[str] = []
    for m in rates():
        u = undecided(m)
        names += [u.denominator, u.numerator, u.numerator_unknown, u.missing]
        names += [n for n in (u.among_unknown, u.among_unknown_flag, u.among_unknown_flag_unknown) if n]
    names += [m.name for m in METRICS if m.kind == "count"]
    return tuple(dict.fromkeys([*names, *OTHER_COUNTS]))
