"""A report's tables as pandas DataFrames (the API's `Report.counties_frame()` and the others): one row per
model of a list, its fields as columns in the model's order, a nested model or mapping flattened into
`<field>_<key>` columns (`outlets_park`, `modes_<mode>`); missing figures are <NA> (nullable dtypes)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from types import UnionType
from typing import Any, Union, get_args, get_origin

import pandas as pd
from pydantic import BaseModel

from kuaidi_cli.report.model import Report


def _frame(models: Sequence[BaseModel], model: type[BaseModel], drop: Iterable[str] = ()) -> pd.DataFrame:
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
        rows.append(row)
    if not rows:
        return pd.DataFrame(columns=keys)
    return pd.DataFrame(rows).convert_dtypes(dtype_backend="numpy_nullable", convert_string=False)


def _model_in(model: type[BaseModel], key: str) -> type[BaseModel] | None:
    """The model a field holds (`outlets: Outlets`, `outlets: RegisterPart | None`), or None."""
    annotation = model.model_fields[key].annotation
    either = get_args(annotation) if get_origin(annotation) in (Union, UnionType) else ()  # (not a list of models)
    for t in (annotation, *either):
        if isinstance(t, type) and issubclass(t, BaseModel):
            return t
    return None


def counties_frame(report: Report) -> pd.DataFrame:
    from kuaidi_cli.report.model import County

    return _frame(report.counties, County, drop=("targets",))


def townships_frame(report: Report) -> pd.DataFrame:
    from kuaidi_cli.report.model import Township

    return _frame(report.townships, Township)


def targets_frame(report: Report) -> pd.DataFrame:
    from kuaidi_cli.report.model import TargetOut

    city = _frame(report.targets, TargetOut)
    parts = [city.assign(county=None)] + [_frame(c.targets, TargetOut).assign(county=c.county)
                                           for c in report.counties if c.targets]
    both = pd.concat(parts, ignore_index=True) if len(parts) > 1 else parts[0]
    both["county"] = both["county"].astype("string")
    return both[["county", *[c for c in both.columns if c != "county"]]]


def attention_frame(report: Report) -> pd.DataFrame:
    from kuaidi_cli.report.model import AttentionVillage

    return _frame(report.attention, AttentionVillage)


def submissions_frame(report: Report) -> pd.DataFrame:
    from kuaidi_cli.report.model import Submission

    return _frame(report.submissions, Submission)
