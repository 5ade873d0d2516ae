"""What blanks leave undecided: a metric's column absent or blank in a whole file (one warning), and
a village whose priority the blanks leave undecided (priority-unknown)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from kuaidi_cli.check.collector import Collector, Rows
from kuaidi_cli.core.fields import FIELDS, Kind
from kuaidi_cli.core.findings import Finding, make
from kuaidi_cli.core.normalise import Distinct
from kuaidi_cli.core.rules import Rules
from kuaidi_cli.read.table import RawTable

# The village register's columns that figures are computed from, and what each leaves undecided when it
# is absent or blank in every row of a file (a template sent back unfilled, a column left out).
_METRIC_COLUMNS = ("population", "distance_km", "in_village", "reached", "mode")


def _figures_of(name: str, rules: Rules, lang: str) -> str:
    """What a village column's figures are, for the message that it is blank."""
    zh = lang != "en"
    if name in ("population", "distance_km"):
        parts = []
        used = [c.shown(lang) for c in rules.priority.any if c.field == name]
        if used:
            parts.append(f"无法判定重点村（{'、'.join(used)}），重点村驻村设点率待核实" if zh else
                         f"priority villages ({', '.join(used)}) cannot be decided; the priority "
                         "in-village rate "
                         "is unverified")
        focus = [c.shown(lang) for c in (rules.focus.any if rules.focus else []) if c.field == name]
        if focus:
            parts.append(f"推进重点村（{'、'.join(focus)}）无法判定" if zh else
                         f"focus villages ({', '.join(focus)}) cannot be decided")
        return ("；" if zh else "; ").join(parts) or ("不影响目标" if zh else "no target reads it")
    return {
        "in_village": ("未给服务点台账时，驻村设点率、重点村驻村设点率无法计算",
                       "without an outlet register, the in-village rates cannot be computed"),
        "reached": ("未给服务点台账时，通达率只能按驻村设点计算（全空则无法计算）",
                    "without an outlet register, the reach rate counts only the in-village outlets "
                    "(none at all when that column is blank too)"),
        "mode": ("合作模式分布无法统计（通达村计为“未填写”）", "the mode breakdown cannot be counted"),
    }[name][0 if zh else 1]


@dataclass
class EmptyColumns:
    findings: list[Finding]
    per_table: list[set[str]]  # for each table, the metric fields absent or blank in every row


def empty_columns(tables: list[RawTable], table_of_row: np.ndarray, dist: dict[str, Distinct],
                   rules: Rules) -> EmptyColumns:
    """One file-level warning for each metric column a village file lacks, or leaves blank in every row
    (of its rows that are records): the figures it leaves undecided named."""
    findings: list[Finding] = []
    per_table: list[set[str]] = []
    for t_index, table in enumerate(tables):
        rows = table_of_row == t_index
        empty: set[str] = set()
        if rows.any():
            for name in _METRIC_COLUMNS:
                column = table.column_of(name)
                d = dist[name]
                if column is None or d.empty[d.codes[rows]].all():
                    empty.add(name)
                    f = next(x for x in FIELDS[Kind.VILLAGES] if x.name == name)
                    findings.append(make(
                        "column-empty", file=table.name, sheet=table.sheet, row=table.header_rows[0],
                        column=column.label if column is not None else f.zh, field=name,
                        detail_zh=_figures_of(name, rules, "zh"), detail_en=_figures_of(name, rules, "en")))
        per_table.append(empty)
    return EmptyColumns(findings, per_table)


def undecided_priority(c: Collector, raw: Rows, out: dict[str, pd.Series], dist: dict[str, Distinct],
                       rules: Rules,
                        empty_columns: list[set[str]], table_of_row: np.ndarray, counted: pd.Series) -> None:
    """A warning on each village whose priority cannot be decided (AnyOf.decide): population or distance
    blank or invalid, and what is filled does not already make it a priority village. Only rows a
    report counts (`counted`: valid, or invalid only through those numbers); a column blank in the
    whole file has its one file-level warning instead."""
    _, undecided = rules.priority.decide(lambda name: out[name])
    undecided &= counted.to_numpy(dtype=bool)
    if not undecided.any():
        return
    told = np.zeros(len(undecided), dtype=bool)
    describe = rules.priority.shown("zh"), rules.priority.shown("en")
    for name in rules.priority.fields:
        blank = out[name].isna().to_numpy()
        whole_file = np.isin(table_of_row, [t for t, e in enumerate(empty_columns) if name in e])
        here = undecided & blank & ~told & ~whole_file
        told |= here
        c.add("priority-unknown", pd.Series(here, index=raw.index), name, raw[name], describe[0], describe[1])
