"""A report's tables as pandas DataFrames (the API's `Report.counties_frame()` and the others): one row per
model of a list, its fields as columns in the model's order, a nested model or mapping flattened into
`<field>_<key>` columns (`outlets_park`, `modes_<mode>`); missing figures are <NA> (nullable dtypes), and so
are the figures of a county or township that sent no village row, as every table shows them (—)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from types import UnionType
from typing import Any, Union, cast, get_args, get_origin

import pandas as pd
from pydantic import BaseModel

from kuaidi_cli.report.columns import ScopeRow, all_columns, values


def table(models: Sequence[BaseModel], model: type[BaseModel], drop: Iterable[str] = (), *,
          scope_rows: bool = False) -> pd.DataFrame:
    """One row per model of `models` (of type `model`), the fields of `model` as columns (less `drop`);
    `scope_rows` (County, Township): the figures as the tables show them (`_as_shown`)."""
    keys = [k for k in model.model_fields if k not in set(drop)]
    nested = {k: sub for k in keys if (sub := _model_in(model, k)) is not None}
    rows = []
    for m in models:
        row: dict[str, Any] = {}
        for key in keys:
            value = getattr(m, key)
            if key in nested:  # (absent: its columns stay <NA>)
                row.update({f"{key}_{sub}": getattr(value, sub, None) for sub in nested[key].model_fields})
            elif isinstance(value, dict):
                row.update({f"{key}_{sub}": v for sub, v in value.items()})
            elif isinstance(value, list):
                row[key] = [v.model_dump(mode="python") if isinstance(v, BaseModel) else v for v in value]
            else:
                row[key] = value
        if scope_rows:
            _as_shown(row, cast("ScopeRow", m))
        rows.append(row)
    if not rows:
        return pd.DataFrame(columns=keys)
    return pd.DataFrame(rows).convert_dtypes(dtype_backend="numpy_nullable")


def _as_shown(row: dict[str, Any], scope: ScopeRow) -> None:
    """A scope row's figures as every table shows them (report.columns.values): none (<NA>, not 0) for a
    part that sent no village row — its outlets only when it has some — and its modes with its villages."""
    columns = list(all_columns())
    for column, value in zip(columns, values(scope, columns), strict=True):
        row[column.metric.replace(".", "_")] = value
    if not scope.villages:
        row.update({k: None for k in row if k.startswith("modes_")})


def _model_in(model: type[BaseModel], key: str) -> type[BaseModel] | None:
    """The model a field holds (`outlets: Outlets`, `outlets: RegisterPart | None`), or None."""
    annotation = model.model_fields[key].annotation
    either = get_args(annotation) if get_origin(annotation) in (Union, UnionType) else ()  # (not a list of models)
    for t in (annotation, *either):
        if isinstance(t, type) and issubclass(t, BaseModel):
            return t
    return None


def targets_table(city: Sequence[BaseModel], counties: Iterable[tuple[str, Sequence[BaseModel]]],
                  model: type[BaseModel]) -> pd.DataFrame:
    """The scope's targets (`county` empty), then each county's, in one table."""
    parts = [table(city, model).assign(county=None)] + [table(targets, model).assign(county=name)
                                                        for name, targets in counties if targets]
    both = pd.concat(parts, ignore_index=True) if len(parts) > 1 else parts[0]
    both["county"] = both["county"].astype("string")
    return both[["county", *[c for c in both.columns if c != "county"]]]
