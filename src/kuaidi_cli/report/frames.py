"""A report's tables as pandas DataFrames (the API's `Report.counties_frame()` and the others): one row per
model of a list, its fields as columns in the order docs/API.md gives (`ORDER`), a nested model or mapping
flattened into `<field>_<key>` columns (`outlets_park`, `modes_<mode>`), an empty list as a frame of those
very columns; each column of the dtype its field declares, nullable (Int64, Float64, boolean, string);
missing figures are <NA>, and so are the figures of a county or township that sent no village row, as
every table shows them (—)."""

from __future__ import annotations

import enum
from collections.abc import Iterable, Sequence
from types import UnionType
from typing import Any, Literal, Union, cast, get_args, get_origin

import pandas as pd
from pydantic import BaseModel

from kuaidi_cli.report.columns import ScopeRow, all_columns, values

_FIGURES = ("villages", "reached", "reach_rate", "in_village", "in_village_rate", "priority_villages",
            "priority_in_village", "priority_in_village_rate", "priority_unknown", "modes_*", "outlets_park",
            "outlets_township_station", "outlets_village_point")
_PART = ("sent", "files", "rows", "valid", "invalid", "errors", "latest")  # an outlet register's part
# The columns of each frame in their order (docs/API.md, "The frames"); `x_*`: the columns of the nested
# `x`, in this order where it names them. A field not named here comes last, in the model's order.
ORDER: dict[str, tuple[str, ...]] = {
    "County": ("county", *_FIGURES, "submitted"),
    "Township": ("county", "township", *_FIGURES, "submitted"),
    "TargetOut": ("county", "id", "kind", "metric", "due", "target", "value", "gap", "status", "undecided",
                  "unsubmitted", "outlets_missing"),
    "AttentionVillage": ("county", "township", "village", "code", "file", "row", "reached", "in_village",
                         "priority_reasons", "priority_unknown", "missing", "undecided", "unreadable"),
    "Submission": ("county", "submitted", "files", "rows", "valid", "invalid", "uncertain", "errors",
                   "latest",
                   *(f"outlets_{k}" for k in _PART), "outlets_*"),
}


def table(models: Sequence[BaseModel], model: type[BaseModel], drop: Iterable[str] = (), *,
          scope_rows: bool = False) -> pd.DataFrame:
    """One row per model of `models` (of type `model`), the fields of `model` as columns (less `drop`), in
    the order of ORDER; `scope_rows` (County, Township): the figures as the tables show them (`_as_shown`)."""
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
    # (a mapping's keys are its rows': an empty list has none of them)
    columns = [c for k in keys if not _is_mapping(model, k)
               for c in ([f"{k}_{sub}" for sub in nested[k].model_fields] if k in nested else [k])]
    frame = pd.DataFrame(rows) if rows else pd.DataFrame(columns=columns)
    return typed(frame[ordered(list(frame.columns), model.__name__)], model)


def ordered(columns: list[str], name: str) -> list[str]:
    """`columns` in the order ORDER gives the frame of model `name`, the others after them as they came."""
    out: list[str] = []
    for key in ORDER.get(name, ()):
        if key.endswith("_*"):
            out += [c for c in columns if c.startswith(key[:-1]) and c not in out]
        elif key in columns and key not in out:
            out.append(key)
    return out + [c for c in columns if c not in out]


def typed(frame: pd.DataFrame, model: type[BaseModel]) -> pd.DataFrame:
    """Each column of the nullable dtype its field declares (a column all <NA> too, and an empty frame's):
    Int64, Float64, boolean, string; any other (dates, lists) as convert_dtypes leaves it."""
    frame = frame.convert_dtypes(dtype_backend="numpy_nullable")
    for column in frame.columns:
        dtype = _dtype(_annotation(model, str(column)))
        if dtype is not None and str(frame[column].dtype) != dtype:
            frame[column] = frame[column].astype(object).astype(pd.api.types.pandas_dtype(dtype))
    return frame


def _annotation(model: type[BaseModel], column: str) -> Any:
    """The type of a frame's column: its field's, or of the nested model's field (`outlets_park`), or of the
    mapping's values (`modes_<mode>`)."""
    if column in model.model_fields:
        return model.model_fields[column].annotation
    for key, field in model.model_fields.items():
        if column.startswith(key + "_"):
            sub = _model_in(model, key)
            if sub is not None and column[len(key) + 1:] in sub.model_fields:
                return sub.model_fields[column[len(key) + 1:]].annotation
            if _is_mapping(model, key):
                return get_args(field.annotation)[1]
    return None


def _dtype(annotation: Any) -> str | None:
    either = get_args(annotation) if get_origin(annotation) in (Union, UnionType) else (annotation,)
    kinds = {t for t in either if t is not type(None)}
    if get_origin(annotation) is Literal or any(get_origin(t) is Literal for t in kinds):
        return "string"
    if len(kinds) != 1:
        return None
    kind = kinds.pop()
    if kind is bool:
        return "boolean"
    if kind is int:
        return "Int64"
    if kind is float:
        return "Float64"
    if kind is str or (isinstance(kind, type) and issubclass(kind, enum.Enum) and issubclass(kind, str)):
        return "string"
    return None


def _is_mapping(model: type[BaseModel], key: str) -> bool:
    annotation = model.model_fields[key].annotation
    return annotation is dict or get_origin(annotation) is dict


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
    # (not a list of models)
    either = get_args(annotation) if get_origin(annotation) in (Union, UnionType) else ()
    for t in (annotation, *either):
        if isinstance(t, type) and issubclass(t, BaseModel):
            return t
    return None


def targets_table(city: Sequence[BaseModel], counties: Iterable[tuple[str, Sequence[BaseModel]]],
                  model: type[BaseModel]) -> pd.DataFrame:
    """The scope's targets (`county` <NA>), then each county's, in one table."""
    parts = [table(city, model).assign(county=None)] + [table(targets, model).assign(county=name)
                                                        for name, targets in counties if targets]
    both = pd.concat(parts, ignore_index=True) if len(parts) > 1 else parts[0]
    both["county"] = both["county"].astype("string")
    return typed(both[ordered(list(both.columns), model.__name__)], model)
