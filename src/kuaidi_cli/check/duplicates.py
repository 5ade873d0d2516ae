"""The same village (or outlet) twice, and exact repeats of a row."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from kuaidi_cli.check.collector import Collector
from kuaidi_cli.core.fields import Kind
from kuaidi_cli.core.findings import row_ref
from kuaidi_cli.core.normalise import Distinct, first_of, group_ids


def repeats(ids: np.ndarray) -> np.ndarray:
    """Rows whose id appeared on an earlier row."""
    return pd.Series(ids).duplicated(keep="first").to_numpy()


def first_rows(meta: pd.DataFrame, dup: pd.Series, ids: np.ndarray) -> tuple[pd.Series, pd.Series]:
    """For each duplicated row of `dup`, how to name the first row with the same id (zh, en); `ids` is
    aligned with `dup`."""
    rows = np.flatnonzero(dup.to_numpy())
    if not len(rows):
        return pd.Series(dtype=object), pd.Series(dtype=object)
    first = first_of(ids, np.arange(len(ids)), int(ids.max()) + 1)[ids[rows]]  # ids: below 2n (row_ids)
    labels = dup.index
    at, first_at = meta.index.get_indexer(labels[rows]), meta.index.get_indexer(labels[first])
    files = meta["_file"]  # only the rows named are taken (not the whole column as objects)
    numbers = meta["_row"].to_numpy()[first_at].tolist()
    # the first row's file when it is another one, its sheet when it is another one
    places = list(zip(files.iloc[first_at].tolist(), meta["_sheet"].iloc[first_at].tolist(), strict=True))
    here = list(zip(files.iloc[at].tolist(), meta["_sheet"].iloc[at].tolist(), strict=True))
    others = [(f if f != g else None, s if (f, s) != (g, t) else None)
              for (f, s), (g, t) in zip(places, here, strict=True)]
    index = labels[rows]
    return (pd.Series([row_ref(r, o, "zh", sh) for r, (o, sh) in zip(numbers, others, strict=True)],
                      index=index,
                      dtype=object),
            pd.Series([row_ref(r, o, "en", sh) for r, (o, sh) in zip(numbers, others, strict=True)],
                      index=index,
                      dtype=object))


def typed_ids(d: Distinct, typed: np.ndarray) -> np.ndarray:
    """Ids of the rows by their typed value, given per distinct text (`typed`, what a column check kept:
    units.Checked.distinct_values): equal values (two texts with the same normal form, or two empty
    cells) share an id.

    Usually every kept value is its text unchanged (distinct texts, so distinct values): then the
    ids are the column's own codes, with every cell that kept no value (None) under one more id."""
    kept = pd.notna(typed)
    if np.array_equal(typed[kept], d.uniques[kept]):
        ids = np.arange(len(typed))
        ids[~kept] = len(typed)
    else:
        ids, _ = pd.factorize(pd.Series(typed, dtype=object), use_na_sentinel=False)
    row_ids: np.ndarray[Any, Any] = ids[d.codes]
    return row_ids


def _key_ids(keys: pd.DataFrame) -> np.ndarray:
    return group_ids([pd.factorize(keys[c].astype(object), use_na_sentinel=False)[0] for c in keys.columns],
                      len(keys))


def duplicates(c: Collector, typed: pd.DataFrame, invalid: pd.Series, meta: pd.DataFrame, kind: Kind,
                known_ids: dict[str, np.ndarray] | None = None) -> pd.Series:
    """The second and later valid rows of the same village (same code, or same county, township and
    name) or outlet (same id); each key is factorised once and serves both the test and the message."""
    ok_rows = ~invalid.to_numpy()
    dup = pd.Series(False, index=typed.index)
    index = typed.index[ok_rows]

    def repeated(cols: list[str], known: pd.Series | None) -> tuple[pd.Series, np.ndarray]:
        if known_ids and all(col in known_ids for col in cols):
            ids = group_ids([known_ids[col][ok_rows] for col in cols], int(ok_rows.sum()))
        else:
            ids = _key_ids(typed.loc[ok_rows, cols])
        mask = pd.Series(repeats(ids), index=index)
        return (mask & known if known is not None else mask), ids

    if kind is Kind.VILLAGES:
        by_code, code_ids = repeated(["code"], typed.loc[ok_rows, "code"].notna())
        by_name, name_ids = repeated(["county", "township", "village"], None)
        by_name &= ~by_code
        for mask, ids, how_zh, how_en in (
            (by_code, code_ids, "（区划代码相同）", " (same code)"),
            (by_name, name_ids, "（县区、乡镇、村名相同）", " (same county, township and name)"),
        ):
            if mask.any():
                zh, en = first_rows(meta, mask, ids)
                c.add("duplicate-village", mask, "village", typed["village"], zh + how_zh, en + how_en)
                dup |= mask.reindex(dup.index, fill_value=False)
    else:
        by_id, ids = repeated(["outlet_id"], typed.loc[ok_rows, "outlet_id"].notna())
        if by_id.any():
            zh, en = first_rows(meta, by_id, ids)
            c.add("duplicate-outlet", by_id, "outlet_id", typed["outlet_id"], zh, en)
            dup |= by_id.reindex(dup.index, fill_value=False)
    return dup
