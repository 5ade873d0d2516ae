"""Chinese text that rich wraps between its characters: for the help of the command line.

rich breaks a line only at spaces; a Chinese sentence has none, so a table cell cut it with "…" and a
paragraph folded it anywhere, a line starting with "，". Within the block, each Chinese character (with
the opening brackets before it and the closing punctuation after it) is a word of its own: a line breaks
between any two characters, never before a "，" or after a "（". A text's narrowest width is measured by the
same words (rich measures it by the runs between spaces: a table holding a Chinese sentence grew wider than
its cell, which then cut it). And the spaces a line ends with are dropped by the cells they take, not by
their count: rich counted characters, so a line holding Chinese kept its closing space one cell past the
cell's width, and the cell cut it ("只读此工作表 / read only thi…").
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterator
from typing import Any

_OPEN = "（「『《〈【“‘"
_CLOSE = "，。；：、）」』》〉】”’！？"
_CJK = "\u2e80-\u2fff\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
WORD = re.compile(
    rf"\s*(?:[{_OPEN}]*[{_CJK}][{_CLOSE}]*|[{_OPEN}]*[^\s{_CJK}{_OPEN}{_CLOSE}]+[{_CLOSE}]*|\S)\s*")


@contextlib.contextmanager
def chinese_breaks() -> Iterator[None]:
    """Within the block, rich wraps Chinese text between characters (see the module's docstring)."""
    from rich import _wrap
    from rich.cells import cell_len
    from rich.measure import Measurement
    from rich.text import Text

    before, measure, rstrip_end = getattr(_wrap, "re_word", None), Text.__rich_measure__, Text.rstrip_end
    if before is None:  # (another rich: it folds long words, as before)
        yield
        return

    def narrowest(self: Text, console: Any, options: Any) -> Measurement:
        widest = measure(self, console, options)
        words = [w.strip() for w in WORD.findall(self.plain)]
        return Measurement(max((cell_len(w) for w in words), default=widest.minimum), widest.maximum)

    def within(self: Text, size: int) -> None:  # (rich's rstrip_end, in cells: 开 is two of them)
        excess = cell_len(self.plain) - size
        if excess > 0:
            self.right_crop(min(len(self.plain) - len(self.plain.rstrip()), excess))

    _wrap.re_word = WORD
    Text.__rich_measure__ = narrowest  # type: ignore[method-assign]
    Text.rstrip_end = within  # type: ignore[method-assign]
    try:
        yield
    finally:
        _wrap.re_word = before
        Text.__rich_measure__ = measure  # type: ignore[method-assign]
        Text.rstrip_end = rstrip_end  # type: ignore[method-assign]
