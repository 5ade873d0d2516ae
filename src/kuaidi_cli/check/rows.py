"""The rows of the files as one frame of cell text per field, and the rows that are not records:
blank rows, 合计/小计 rows, notes under the table."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd

from kuaidi_cli.core import normalise
from kuaidi_cli.core.fields import FIELDS, Kind
from kuaidi_cli.core.normalise import Distinct
from kuaidi_cli.read.table import RawTable

_TOTAL = re.compile(r"^.{0,10}(合计|总计|小计|共计)$|^(合计|总计|小计|共计)\b.*$|^total$", re.IGNORECASE)


_SERIAL_NO = re.compile(r"^\d{1,6}$")


# A row holding one cell of text that starts like a note under a table: 注：…, 填表人：…, 联系电话：…
_NOTE = re.compile(r"^(注|说明|备注|填表|制表|审核|负责人|联系人|联系电话|数据来源|资料来源|单位|数据截至)")


def stack(tables: list[RawTable], kind: Kind) -> tuple[pd.DataFrame, pd.DataFrame]:
    """All rows of all tables as one frame of raw text per canonical field, and their positions."""
    names = [f.name for f in FIELDS[kind]]
    parts, metas = [], []
    for t_index, table in enumerate(tables):
        n = len(table.cells)
        cols = {}
        for name in names:
            col = table.column_of(name)
            cols[name] = (table.cells[col.position].reset_index(drop=True) if col
                          else pd.Series(np.full(n, "", dtype=object), dtype=object))
        parts.append(pd.DataFrame(cols, index=range(n)))
        # a table's file name once (categorical), not a text per row
        one = np.zeros(n, dtype=np.int8)
        metas.append(
            pd.DataFrame(
                {
                    "_t": np.full(n, t_index),
                    "_row": np.asarray(table.row_numbers, dtype=np.int64),
                    "_file": pd.Categorical.from_codes(one, categories=pd.Index([table.name])),
                    "_sheet": np.full(n, table.sheet, dtype=object),
                },
                index=range(n),
            )
        )
    raw = pd.concat(parts, ignore_index=True) if len(parts) > 1 else parts[0] if parts else pd.DataFrame(
        columns=names)
    meta = (pd.concat(metas, ignore_index=True) if len(metas) > 1 else metas[0] if metas
            else pd.DataFrame(columns=["_t", "_row", "_file", "_sheet"]))
    return raw, meta


def distincts(
    tables: list[RawTable], raw: pd.DataFrame
) -> tuple[dict[str, Distinct], list[dict[int, Distinct]]]:
    """Each field's column of all tables, and each column of each table, as a Distinct: every column is
    factorised once, and a table's mapped column shares its field's (one table: the same object)."""
    fields = dict(zip(raw.columns, _factorised([raw[name] for name in raw.columns]), strict=True))
    per_table: list[dict[int, Distinct]] = []
    for table in tables:
        own = {}
        for c in table.columns:
            if c.position not in table.cells.columns:
                continue
            if c.field in fields and len(tables) == 1:
                own[c.position] = fields[c.field]
            else:
                own[c.position] = Distinct(table.cells[c.position])
        per_table.append(own)
    return fields, per_table


def _factorised(columns: list[pd.Series]) -> list[Distinct]:
    """The columns as Distincts; a large register's on two threads (pyarrow hashes a text column
    without holding the GIL: the 12 columns of 600 000 outlets in ~0.35 s instead of ~0.55 s)."""
    if sum(map(len, columns)) < 1_000_000:
        return [Distinct(c) for c in columns]
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=2, thread_name_prefix="kuaidi-factorise") as pool:
        return list(pool.map(Distinct, columns))


def _totals(texts: np.ndarray) -> np.ndarray:
    """Which distinct texts (in normal form) read as a 合计/小计 row label; a column without any of the
    words (one search over all its texts) has none."""
    joined = "\x00".join(texts)
    if not any(w in joined for w in ("合计", "总计", "小计", "共计")) and "total" not in joined.lower():
        return np.zeros(len(texts), dtype=bool)
    return pd.Series(texts, dtype=object).str.fullmatch(_TOTAL).to_numpy(dtype=bool)


def skip_masks(
    tables: list[RawTable], columns: list[dict[int, Distinct]]
) -> tuple[pd.Series, pd.Series, pd.Series, pd.Series]:
    """Blank, total and note rows, over all columns of each table (序号 and 备注 included).

    Each test runs once per distinct text of a column; the rows combine the columns' answers."""
    blanks, totals, notes, note_text = [], [], [], []
    for table, dist in zip(tables, columns, strict=True):
        n = len(table.cells)
        if table.cells.empty:
            continue
        positions = list(dist)
        mapped = {c.position for c in table.columns if c.field}

        def spread(
            d: Distinct, key: str, fn: Callable[[pd.Series], np.ndarray[Any, Any]]
        ) -> np.ndarray[Any, Any]:
            per_value: np.ndarray[Any, Any] = d.per_value(key, fn)
            spread_out: np.ndarray[Any, Any] = per_value[d.codes]
            return spread_out

        def totals_of(d: Distinct) -> Callable[[pd.Series], np.ndarray[Any, Any]]:
            return lambda _u: _totals(d.text)

        empty = np.column_stack([dist[p].empty[dist[p].codes] for p in positions])
        is_total = np.column_stack([spread(dist[p], "total", totals_of(dist[p])) for p in positions])
        serial = np.column_stack([
            spread(dist[p], "serial", lambda u: normalise.text(u).str.fullmatch(_SERIAL_NO).to_numpy(
                dtype=bool))
            if p not in mapped else np.zeros(n, dtype=bool) for p in positions])
        in_mapped = np.array([p in mapped for p in positions])
        mapped_empty = empty[:, in_mapped].all(axis=1) if in_mapped.any() else np.ones(n, dtype=bool)
        # a 序号 left behind on an otherwise empty row is still a blank row
        other_blank = ((empty | serial)[:, ~in_mapped].all(axis=1) if (~in_mapped).any() else np.ones(
            n, dtype=bool))
        total = is_total.any(axis=1)
        blank = mapped_empty & other_blank & ~total
        filled = ~empty
        lone = filled.sum(axis=1) == 1
        pick = filled.argmax(axis=1)
        # the first filled cell of a lone-cell row, tested for a note's opening words
        note_open = np.zeros(n, dtype=bool)
        for j, p in enumerate(positions):
            here = lone & (pick == j)
            if here.any():
                starts = spread(dist[p], "note", lambda u: normalise.text(u).str.match(_NOTE).to_numpy(
                    dtype=bool))
                note_open |= here & starts
        note = ((mapped_empty & ~other_blank) | note_open) & ~total & ~blank
        first_text = np.full(n, "", dtype=object)
        for j, p in enumerate(positions):
            here = note & filled[:, j] & (pick == j)
            if here.any():
                first_text[here] = [v.strip() for v in dist[p].uniques[dist[p].codes[here]]]
        blanks.append(pd.Series(blank))
        totals.append(pd.Series(total))
        notes.append(pd.Series(note))
        note_text.append(pd.Series(first_text, dtype=object))
    if not blanks:
        e = pd.Series(dtype=bool)
        return e, e, e, pd.Series(dtype=str)

    def cat(xs: list[pd.Series]) -> pd.Series:
        return pd.concat(xs, ignore_index=True)

    return cat(blanks), cat(totals), cat(notes), cat(note_text)
