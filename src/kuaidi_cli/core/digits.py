"""Codes written in other decimal digits (Arabic-Indic, full-width) made ASCII, per distinct code."""

from __future__ import annotations

import unicodedata

import numpy as np
import pandas as pd


def ascii_digits(codes: pd.Series) -> pd.Series:
    """Codes (text of decimal digits, or None) with every digit written as ASCII: a code typed in other
    digits (Arabic-Indic) has the same prefix as the same code in 0-9. Worked out per distinct code and
    spread back; what must stay true: the same values as mapping each cell (an object Series, the
    missing cells as they were)."""
    def one(c: object) -> object:
        return (
            c if not isinstance(c, str) or c.isascii() else "".join(str(unicodedata.digit(ch, 0)) for ch in c)
        )
    if not len(codes):
        return codes
    cells = codes.to_numpy(dtype=object)
    if "".join(c for c in cells if isinstance(c, str)).isascii():
        return pd.Series(cells, index=codes.index, name=codes.name, dtype=object)
    ids, uniques = pd.factorize(cells)
    fixed = [one(u) for u in uniques]
    changed = np.array([f is not u for f, u in zip(fixed, uniques, strict=True)], dtype=bool)
    if changed.any():
        cells = cells.copy()
        rows = np.flatnonzero((ids >= 0) & changed[np.maximum(ids, 0)])
        cells[rows] = np.asarray(fixed, dtype=object)[ids[rows]]
    return pd.Series(cells, index=codes.index, name=codes.name, dtype=object)
