"""Vectorised normalisation of the messy cell forms of docs/INPUTS.md ("Messy cells").

Every function takes a pandas Series of cell text ("" for an empty cell) and returns the parsed
values together with a boolean mask of the cells that were written but could not be parsed. The
original text is never changed: messages quote it.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

import numpy as np
import pandas as pd

R = TypeVar("R")
V = TypeVar("V")


def per_distinct(fn: Callable[..., R]) -> Callable[..., R]:
    """Run a column parser once per distinct cell text and spread the results back.

    A national register repeats its values: 500 000 populations hold ~10 000 distinct texts, dates a
    thousand, yes/no cells a handful. Parsing the distinct values only makes the cost follow them.
    """

    @wraps(fn)
    def wrapper(s: pd.Series, *args: Any) -> R:
        if s.dtype != object:
            s = s.astype(object)
        if len(s) < 64 or s.attrs.get("distinct"):
            return fn(s, *args)
        codes, uniques = pd.factorize(s, use_na_sentinel=False)
        if len(uniques) * 2 > len(s):
            return fn(s, *args)
        # Series, or a tuple of them
        result: Any = fn(distinct_series(np.asarray(uniques, dtype=object)), *args)
        parts = result if isinstance(result, tuple) else (result,)
        spread = tuple(pd.Series(p.to_numpy()[codes], index=s.index, dtype=p.dtype) for p in parts)
        return spread if isinstance(result, tuple) else spread[0]  # type: ignore[return-value]  # R, spread

    return wrapper

def distinct_series(values: np.ndarray) -> pd.Series:
    """A Series of texts known to be distinct (per_distinct need not factorise it again)."""
    s = pd.Series(values, dtype=object)
    s.attrs["distinct"] = True
    return s


# Cells that say "nothing here" although they are not empty.
# ("nan", "null" and friends are not among them: a register that says NaN has a broken number, and says so)
_EMPTY_WORDS = {"", "-", "--", "—", "——", "/", "无数据", "n/a", "#n/a"}

_SPACES = re.compile(r"[\s\u00a0\u2000-\u200b\u3000\ufeff]+")


def _no_spaces(joined: str) -> bool:
    """No character of _SPACES in the text (str.split splits on the same Unicode whitespace as \\s)."""
    return not joined or (joined.split(maxsplit=1) == [joined] and "\u200b" not in joined
                          and "\ufeff" not in joined)


def _untouched(s: pd.Series) -> np.ndarray:
    """Cells that NFKC and the removal of whitespace would leave as they are.

    Most cells of a register are clean: one look at the whole column (its cells joined by NUL, which
    is neither whitespace nor changed by NFKC) settles it in C; only a column with a dirty cell is
    looked at cell by cell."""
    values = s.to_numpy(dtype=object)
    joined = "\x00".join(values)
    if unicodedata.is_normalized("NFKC", joined) and _no_spaces(joined):
        return np.ones(len(values), dtype=bool)
    return np.fromiter((unicodedata.is_normalized("NFKC", v) and _no_spaces(v) for v in values), dtype=bool,
                       count=len(values))


def _dirty_only(s: pd.Series, fn: Callable[[pd.Series], pd.Series]) -> pd.Series:
    clean = _untouched(s)
    if clean.all():
        return s
    out = s.copy()
    out[~clean] = fn(s[~clean].astype(object))
    return out


@per_distinct
def text(s: pd.Series) -> pd.Series:
    """NFKC (full-width letters, digits and brackets become ASCII), all whitespace removed.

    Names of divisions never contain spaces, so "城关 镇" and "城关镇" are the same place.
    """
    return _dirty_only(s, lambda d: d.str.normalize("NFKC").str.replace(_SPACES, "", regex=True))


def by_text(names: dict[str, str]) -> dict[str, str]:
    """A table of names (old division names → current ones) keyed by the names' text(): looked up with
    cells in normal form, "开封 县" and "开封县" find the same entry."""
    keys = text(pd.Series(list(names), dtype=object)).tolist()
    return dict(zip(keys, names.values(), strict=True))


@per_distinct
def free_text(s: pd.Series) -> pd.Series:
    """NFKC with runs of whitespace collapsed to one space and the ends trimmed (outlet names)."""
    return _dirty_only(s, lambda d: d.str.normalize("NFKC").str.replace(_SPACES, " ", regex=True).str.strip())


_EMPTY_LONGEST = max(map(len, _EMPTY_WORDS))


def _lengths(values: np.ndarray) -> np.ndarray:
    return np.fromiter(map(len, values), dtype=np.int64, count=len(values))


def _placeholders(t: pd.Series) -> pd.Series:
    """Which texts already in normal form (text()) say "nothing here"."""
    # casefold never shortens a text: only the short ones can be placeholders
    short = _lengths(t.to_numpy(dtype=object)) <= _EMPTY_LONGEST
    out = pd.Series(False, index=t.index)
    if short.any():
        out[short] = t[short].str.casefold().isin(_EMPTY_WORDS).to_numpy(dtype=bool)
    return out


@per_distinct
def is_empty(s: pd.Series) -> pd.Series:
    """Cells that hold nothing, or only a placeholder such as "-" or "/"."""
    return _placeholders(text(s))


_NUMBER = re.compile(
    r"^(?:约为|大约|约|≈|~)?"
    r"(?P<num>[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:e[+-]?\d+)?)"
    r"(?P<unit>人|口|公里|千米|km|米|m)?"
    r"(?:左右|以上|余)?$",
    re.IGNORECASE,
)

_UNIT_FACTOR = {"people": {"": 1.0, "人": 1.0, "口": 1.0},
                "km": {"": 1.0, "公里": 1.0, "千米": 1.0, "km": 1.0, "米": 0.001, "m": 0.001}}


@per_distinct
def number(s: pd.Series, unit: str) -> tuple[pd.Series, pd.Series]:
    """Parse numbers written as text: "2,500", "2500人", "２５００", "约3000", "5.2公里", "5.2km", "800米".

    `unit` is "people" or "km"; a unit of the other kind ("3公里" for a population) is not a number
    here. Returns (float values with NaN for empty or bad cells, mask of bad cells).
    """
    t = text(s).str.casefold()
    empty = t.isin(_EMPTY_WORDS)
    # thousands separators: ASCII and Chinese commas, apostrophes; then pick the parts apart
    t = t.str.replace(r"[,，'’_]", "", regex=True)
    parts = t.str.extract(_NUMBER)
    values = pd.to_numeric(parts["num"], errors="coerce")
    factors = parts["unit"].fillna("").str.casefold().map(_UNIT_FACTOR[unit])
    values = (values * factors).astype(float)
    bad = ~empty & values.isna()
    values = values.where(~empty)
    return values, bad


_YES = {"是", "有", "√", "✓", "✔", "☑", "y", "yes", "1", "1.0", "true", "t", "对", "已", "已设点", "已设",
        "已通达", "通达", "已进村", "已驻村设点", "设点"}
_NO = {"否", "无", "×", "✗", "✘", "☒", "x", "n", "no", "0", "0.0", "false", "f", "没有", "未", "未设点",
       "未设",
       "未通达", "不通达", "未进村", "未驻村设点"}
_YES_NO = {**dict.fromkeys(_YES, True), **dict.fromkeys(_NO, False)}


@per_distinct
def yes_no(s: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Parse 是/否, 有/无, √/×, Y/N, 1/0, 已设点/未设点 … Returns (object Series of True/False/None, bad
    mask)."""
    t = text(s).str.casefold()
    empty = t.isin(_EMPTY_WORDS) & ~t.isin(_YES_NO)
    values = t.map(_YES_NO)
    bad = ~empty & values.isna()
    return values.astype(object).where(values.notna(), None), bad


_DATE = re.compile(
    r"^(?P<y>\d{4})\s*(?:[-/.年]\s*(?P<m>\d{1,2})\s*(?:[-/.月]\s*(?P<d>\d{1,2})\s*日?|月)?)"
    r"(?:[ t]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$"
)
_COMPACT = re.compile(r"^(?P<y>\d{4})(?P<m>\d{2})(?P<d>\d{2})$")
_SERIAL = re.compile(r"^\d{5}(?:\.\d+)?$")
_EXCEL_EPOCH = pd.Timestamp("1899-12-30")
# Excel serial numbers of 1955-01-01 .. 2118-12-31: a five-digit number in a date column is a serial.
_SERIAL_MIN, _SERIAL_MAX = 20090, 79988


@per_distinct
def date(s: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Parse 2021-09-30, 2021/9/30, 2021.09.30, 2021年9月30日, 20210930, Excel serials and 2021年9月.

    A date given to the month only ("2021年9月") is read as the last day of that month: the outlet
    existed by then, and kuaidi does not count it earlier than the register can show.
    Returns (datetime64 Series with NaT for empty or bad cells, bad mask).
    """
    t = text(s).str.casefold()
    empty = t.isin(_EMPTY_WORDS)
    # A date written with letters in it ("2021-09-30t00:00:00") is fine; spaces were removed by text().
    spaced = (
        s.astype(str).str.normalize("NFKC").str.strip().str.casefold().str.replace(r"\s+", " ", regex=True)
    )
    parts = spaced.str.extract(_DATE)
    compact = t.str.extract(_COMPACT)
    parts = parts.fillna(compact) if not compact.empty else parts
    y = pd.to_numeric(parts["y"], errors="coerce")
    # pandas timestamps span 1677–2262 (nanoseconds): a year outside is not a date here (found by fuzzing)
    y = y.where(y.between(1678, 2261))
    m = pd.to_numeric(parts["m"], errors="coerce")
    d = pd.to_numeric(parts["d"], errors="coerce")
    month_only = m.notna() & d.isna()
    first = pd.to_datetime(
        pd.DataFrame({"year": y, "month": m, "day": d.fillna(1)}), errors="coerce"
    )
    values = first.where(~month_only, first + pd.offsets.MonthEnd(0))
    serial = t.str.fullmatch(_SERIAL)
    if serial.any():
        n = pd.to_numeric(t.where(serial), errors="coerce")
        ok = serial & n.between(_SERIAL_MIN, _SERIAL_MAX)
        days = pd.to_timedelta(np.floor(n.where(ok)), unit="D")
        values = values.where(~ok, _EXCEL_EPOCH + days)
    values = pd.to_datetime(values).astype("datetime64[ns]")
    bad = ~empty & values.isna()
    return values, bad


_LIST_SEP = re.compile(r"[、，,/;；|\n]+")


@per_distinct
def items(s: pd.Series) -> pd.Series:
    """Split a list cell ("中通、圆通/韵达") into a list of trimmed, non-empty strings."""
    split: pd.Series = free_text(s).map(lambda v: [x.strip() for x in _LIST_SEP.split(v) if x.strip()] if v
                                        else [])
    return split




@per_distinct
def code(s: pd.Series) -> tuple[pd.Series, pd.Series]:
    """A 12-digit division code. "410212100201.0" (a number cell) is accepted; "4.10212E+11" is not."""
    return code_of_text(text(s))


def code_of_text(t: pd.Series, empty: np.ndarray[Any, Any] | None = None) -> tuple[pd.Series, pd.Series]:
    """code() of texts already in normal form (text()); `empty`: their is_empty(), when it is known."""
    if "." in "".join(t.to_numpy(dtype=object)):
        dotted = t.str.contains(".", regex=False).to_numpy(dtype=bool)
        t = t.copy()
        t[dotted] = t[dotted].str.replace(r"\.0+$", "", regex=True)
        empty = None  # "-.0" is a placeholder once its ".0" is gone
    blank = is_empty(t) if empty is None else pd.Series(empty, index=t.index)
    # \d{12}: twelve characters of Unicode category Nd, which is what str.isdecimal tests; a column of
    # such codes only is told at once by its lengths and its joined text
    values = t.to_numpy(dtype=object)
    ok = _lengths(values) == 12
    # the twelve-character texts are usually all digits: one test of them joined, else one by one
    if ok.any() and not "".join(values[ok]).isdecimal():
        ok[ok] = np.fromiter((v.isdecimal() for v in values[ok]), dtype=bool, count=int(ok.sum()))
    found = pd.Series(ok, index=t.index)
    bad = ~blank & ~found
    return t.where(found & ~blank, None), bad


def group_ids(codes: list[np.ndarray], n: int) -> np.ndarray:
    """One id per distinct combination of the columns' codes (rows with equal codes in every column
    share an id). The codes are folded pairwise into one integer, renumbered before it could overflow."""
    ids = np.zeros(n, dtype=np.int64)
    for c in codes:
        width = int(c.max()) + 1 if len(c) else 1
        if ids.size and int(ids.max()) >= (1 << 62) // max(width, 1):
            ids = pd.factorize(ids)[0].astype(np.int64)
        ids = ids * width + c
    return pd.factorize(ids)[0] if n else ids


def row_ids(codes: list[np.ndarray], n: int) -> np.ndarray:
    """Ids under which rows equal in every column (the same codes) share an id, as group_ids gives,
    but not dense (each is below 2n): only the rows whose most varied column repeats are grouped; a
    row whose value there is unique is unlike every other row and keeps an id of its own. A register's
    rows are mostly unlike each other: a few hundred rows are grouped, not all of them."""
    if not codes or n == 0:
        return group_ids(codes, n)
    widest = max(codes, key=lambda c: int(c.max()))
    maybe = pd.Series(widest).duplicated(keep=False).to_numpy()
    ids = np.arange(n, 2 * n, dtype=np.int64)
    if maybe.any():
        ids[maybe] = group_ids([c[maybe] for c in codes], int(maybe.sum()))
    return ids


def first_of(ids: np.ndarray, rows: np.ndarray, k: int) -> np.ndarray:
    """For each id 0..k-1, the first of `rows` (ascending positions) that has it, or -1."""
    first = np.full(k, -1, dtype=np.int64)
    if len(rows):
        # the first time each id is seen, by hashing (no sort: 1 million rows in 0.04 s, not 0.16 s)
        seen = ids[rows]
        new = ~pd.Series(seen).duplicated(keep="first").to_numpy()
        first[seen[new]] = rows[new]
    return first


class Distinct:
    """A column of cell text as codes into its distinct values.

    What is worked out once per distinct value (its normal form, whether it is empty, a parse) is
    cached here and spread back to the rows by the codes: a register column of 500 000 cells holds a
    few thousand distinct texts, and the cost follows them. `take` keeps some rows and shares the
    cache."""

    def __init__(self, values: pd.Series | np.ndarray[Any, Any]) -> None:
        codes, uniques = pd.factorize(values, use_na_sentinel=False)
        self.codes: np.ndarray[Any, Any] = codes
        self.uniques: np.ndarray[Any, Any] = np.asarray(uniques, dtype=object)
        self._cache: dict[str, Any] = {}

    def take(self, rows: np.ndarray[Any, Any]) -> Distinct:
        """The same column for some rows (a boolean mask or positions): the same distinct values and what
        was worked out for them, shared."""
        part = Distinct.__new__(Distinct)
        part.codes, part.uniques, part._cache = self.codes[rows], self.uniques, self._cache
        return part

    def per_value(self, key: str, fn: Callable[[pd.Series], V]) -> V:
        """fn over the distinct values (a Series of them), once for this column (and the parts of it
        `take` made), kept under `key`: the normal forms below, the skip tests of check.rows."""
        if key not in self._cache:
            self._cache[key] = fn(distinct_series(self.uniques))
        value: V = self._cache[key]
        return value

    def spread(self, values: pd.Series | np.ndarray[Any, Any], index: pd.Index | None = None) -> pd.Series:
        """Values of the distinct texts (in their order) as values of the rows."""
        arr = values.to_numpy() if isinstance(values, pd.Series) else values
        # never inferred: object stays object
        dtype = values.dtype if isinstance(values, pd.Series) else arr.dtype
        return pd.Series(arr[self.codes], index=index, dtype=dtype)

    @property
    def text(self) -> np.ndarray[Any, Any]:
        """text() of each distinct value."""
        return self.per_value("text", lambda u: text(u).to_numpy(dtype=object))

    @property
    def free_text(self) -> np.ndarray[Any, Any]:
        """free_text() of each distinct value."""
        return self.per_value("free_text", lambda u: free_text(u).to_numpy(dtype=object))

    @property
    def empty(self) -> np.ndarray[Any, Any]:
        """Which distinct values are empty or a placeholder (from their text, worked out once)."""
        return self.per_value("empty", lambda u: _placeholders(pd.Series(self.text, dtype=object)).to_numpy(
            dtype=bool))

    def norm_codes(self) -> np.ndarray[Any, Any]:
        """Codes of the rows by their normal form (text): two cells that differ only in width or spaces
        get the same code. A column whose texts are all in normal form keeps its own codes."""
        def fn(u: pd.Series) -> np.ndarray[Any, Any] | None:
            if _untouched(u).all():
                return None
            codes, _u = pd.factorize(self.text)
            return codes
        renumbered = self.per_value("norm_codes", fn)
        return self.codes if renumbered is None else renumbered[self.codes]


def majority(groups: np.ndarray, values: np.ndarray, k: int) -> np.ndarray:
    """For each group 0..k-1, the value (a non-negative integer code) most of its rows have; of values held
    by equally many rows, the one seen first; -1 for a group without rows. How a place's code prefix (and a
    code prefix's name) is decided: by the majority of the register's rows, whatever their order."""
    out = np.full(k, -1, dtype=np.int64)
    if not len(groups):
        return out
    width = int(values.max()) + 1
    pairs, uniques = pd.factorize(groups.astype(np.int64) * width + values)  # in the order first seen
    counts = np.bincount(pairs)
    group, value = np.asarray(uniques) // width, np.asarray(uniques) % width
    order = np.lexsort((np.arange(len(uniques)), -counts, group))  # by group, most rows, first seen
    first = order[np.r_[True, group[order][1:] != group[order][:-1]]]
    out[group[first]] = value[first]
    return out
