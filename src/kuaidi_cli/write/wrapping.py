"""Chinese text that rich wraps between its characters: for the help of the command line.

rich breaks a line only at spaces; a Chinese sentence has none, so a table cell cut it with "…" and a
paragraph folded it anywhere, a line starting with "，". Within the block, each Chinese character (with
the opening brackets before it and the closing punctuation after it) is a word of its own: a line breaks
between any two characters, never before a "，" or after a "（". A text's narrowest width is measured by the
same words (rich measures it by the runs between spaces: a table holding a Chinese sentence grew wider than
its cell, which then cut it).
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterator
from typing import Any

_OPEN = "（「『《〈【“‘"
_CLOSE = "，。；：、）」』》〉】”’！？"
_CJK = "\u2e80-\u2fff\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
WORD = re.compile(rf"\s*(?:[{_OPEN}]*[{_CJK}][{_CLOSE}]*|[{_OPEN}]*[^\s{_CJK}{_OPEN}{_CLOSE}]+[{_CLOSE}]*|\S)\s*")


@contextlib.contextmanager
def chinese_breaks() -> Iterator[None]:
    """Within the block, rich wraps Chinese text between characters (see the module's docstring)."""
    from rich import _wrap
    from rich.cells import cell_len
    from rich.measure import Measurement
    from rich.text import Text

    before, measure = getattr(_wrap, "re_word", None), Text.__rich_measure__
    if before is None:  # (another rich: it folds long words, as before)
        yield
        return

    def narrowest(self: Text, console: Any, options: Any) -> Measurement:
        widest = measure(self, console, options)
        words = [w.strip() for w in WORD.findall(self.plain)]
        return Measurement(max((cell_len(w) for w in words), default=widest.minimum), widest.maximum)

    _wrap.re_word = WORD
    Text.__rich_measure__ = narrowest  # type: ignore[method-assign]
    try:
        yield
    finally:
        _wrap.re_word = before
        Text.__rich_measure__ = measure  # type: ignore[method-assign]
