"""Cells merged down a column (县区 merged over a county's rows, as registers are often laid out): each
row under the first reads the first cell's value, as a person reads the printed table."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any


class MergedDown:
    """The column-wise merged ranges of a sheet's body, filled in as its rows are streamed.

    `ranges` are python-calamine's `merged_cell_ranges` ((first row, first column), (last row, last column)),
    0-based on the sheet; `first` is the sheet row of the first body row and `col0` the sheet column of the
    rows' first cell. Only ranges one column wide and wholly in the body are filled (a title or a note merged
    across columns stays as it is), only in rows holding a value of their own (a blank row stays blank); a
    cell already holding a value is never overwritten."""

    def __init__(self, ranges: Sequence[tuple[tuple[int, int], tuple[int, int]]] | None, first: int,
                 col0: int) -> None:
        self.ranges = [(r0 - first, r1 - first, c0 - col0) for (r0, c0), (r1, c1) in ranges or ()
                       if c0 == c1 and r1 > r0 and r0 >= first and c0 >= col0]
        # each range's first value (body row, column), across parts
        self.values: dict[tuple[int, int], Any] = {}
        self.filled: dict[tuple[int, int], None] = {}  # ranges filled, in the order first filled

    def apply(self, part: list[list[Any]], n: int) -> None:
        """Fill the rows `part` (body rows n, n+1, …)."""
        end = n + len(part)
        for top, bottom, col in self.ranges:
            if bottom < n or top >= end:
                continue
            if n <= top < end and col < len(part[top - n]):
                self.values[(top, col)] = part[top - n][col]
            value = self.values.get((top, col))
            if value in ("", None):
                continue
            for i in range(max(top + 1, n), min(bottom + 1, end)):
                row = part[i - n]
                # (a blank row inside the merged block stays blank: only a row with a value of its own is
                # filled)
                if col < len(row) and row[col] in ("", None) and any(v not in ("", None) for v in row):
                    row[col] = value
                    self.filled.setdefault((top, col))
