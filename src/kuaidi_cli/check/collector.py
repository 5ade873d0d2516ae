"""Writing findings for the rows of a mask, each named by its file, sheet, row and header."""

from __future__ import annotations

import numpy as np
import pandas as pd

from kuaidi_cli.core.findings import CATALOGUE, Finding, Severity, make
from kuaidi_cli.read.table import RawTable

# The numbers the priority rules read.
RULE_NUMBERS = frozenset({"population", "distance_km"})
# The cells that only make figures undecided: a row whose only errors are in these is still a village
# (an outlet) the report counts (Register.uncertain), each unreadable cell leaving what it decides
# undecided (docs/METRICS.md, "Unreadable cells"). An error anywhere else (a name, a code, a required
# cell) leaves no village (outlet) to count: the row is invalid.
FIGURE_CELLS = {
    "villages": RULE_NUMBERS | {"in_village", "in_village_since", "reached", "reached_since", "mode"},
    "outlets": frozenset({"name", "level", "mode", "opened", "closed"}),
}


class Collector:
    """Writes findings for the rows of a mask, naming each cell by its file, sheet, row and header."""

    def __init__(self, meta: pd.DataFrame, tables: list[RawTable], budget: list[int] | None = None,
                 soft: frozenset[str] = RULE_NUMBERS) -> None:
        self.meta = meta
        self.tables = tables
        self.labels = [{c.field: c.label for c in t.columns if c.field} for t in tables]
        self.findings: list[Finding] = []
        self._error = np.zeros(len(meta), dtype=bool)
        self._other_error = np.zeros(len(meta), dtype=bool)  # an error in a field that is not `soft`
        self.soft = soft
        self.bad: dict[str, np.ndarray] = {}  # soft field → rows with an error in its cell
        # [findings that may still be kept, findings dropped]: shared by the collectors of one validation
        self.budget = budget if budget is not None else [1 << 62, 0]

    @property
    def error(self) -> pd.Series:
        """Rows with an error finding."""
        return pd.Series(self._error, index=self.meta.index)

    @property
    def other_error(self) -> pd.Series:
        """Rows with an error finding in a field other than the soft ones (the cells that only leave
        figures undecided), or in no field."""
        return pd.Series(self._other_error, index=self.meta.index)

    def add(self, code: str, mask: pd.Series, field_name: str | None, raw: pd.Series | None = None,
            detail_zh: str | pd.Series = "", detail_en: str | pd.Series | None = None,
            silent: pd.Series | None = None) -> None:
        """A finding on each row of `mask`; an error marks its rows invalid, and those of `silent` too (rows
        that one finding of `mask` speaks for: 闽侯县's rows, said once per file)."""
        if silent is not None and CATALOGUE[code][0] is Severity.ERROR:
            quiet = silent.reindex(self.meta.index, fill_value=False).to_numpy(dtype=bool, na_value=False)
            self._error |= quiet
            if field_name not in RULE_NUMBERS:
                self._other_error |= quiet
        if mask.index is not self.meta.index and not mask.index.equals(self.meta.index):
            # a mask over some of the rows (stays bool)
            mask = mask.reindex(self.meta.index, fill_value=False)
        hit = mask.to_numpy(dtype=bool, na_value=False)
        if not hit.any():
            return
        if CATALOGUE[code][0] is Severity.ERROR:
            self._error |= hit
            if field_name in self.soft:
                self.mark_bad(field_name, hit)
            else:
                self._other_error |= hit
        rows = self.meta.index[hit]
        keep = min(len(rows), self.budget[0])
        self.budget[0] -= keep
        self.budget[1] += len(rows) - keep
        rows = rows[:keep]
        # the values of the kept rows, looked up once per column (not once per finding)
        tables = self.meta["_t"].reindex(rows).tolist()
        numbers = self.meta["_row"].reindex(rows).tolist()
        values = raw.reindex(rows).tolist() if raw is not None else [None] * len(rows)
        zh = detail_zh.reindex(rows).tolist() if isinstance(detail_zh, pd.Series) else [detail_zh] * len(rows)
        en = detail_en.reindex(rows).tolist() if isinstance(detail_en, pd.Series) else [detail_en] * len(rows)
        for t, row, value, dz, de in zip(tables, numbers, values, zh, en, strict=True):
            t = int(t)
            self.findings.append(make(
                code, file=self.tables[t].name, sheet=self.tables[t].sheet, row=int(row),
                column=self.labels[t].get(field_name) if field_name else None, field=field_name,
                value=value, detail_zh=dz, detail_en=de,
            ))


    def mark_bad(self, field_name: str, hit: np.ndarray) -> None:
        """Rows whose cell of a soft field cannot be read (its figures undecided)."""
        was = self.bad.get(field_name)
        self.bad[field_name] = hit.copy() if was is None else was | hit


class Rows:
    """Some rows of the raw frame, without copying it: their index, and the whole columns (a finding
    looks a value up by its row label)."""

    def __init__(self, frame: pd.DataFrame, index: pd.Index) -> None:
        self.frame = frame
        self.index = index

    def __getitem__(self, name: str) -> pd.Series:
        return self.frame[name]
