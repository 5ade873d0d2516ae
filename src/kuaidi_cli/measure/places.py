"""County and township keys of villages and outlets: a place is its name within its parent, keyed by the
code prefix most of its rows have: two places with the same name are never merged, one county is never
split by a mistyped code."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd

from kuaidi_cli.core.normalise import first_of, group_ids, majority


class Places:
    """County and township keys of villages and outlets, from one factorisation of both registers'
    names (so that a name is looked up by its integer group, never by building a text key per row).

    A county is its name: all rows that write it are one county, keyed by the code prefix (code[:6]) most
    of its coded villages have, else "n:" and the name; two names whose rows' codes share a prefix are one
    county (shown under the name most of the rows write). A township is its name within its county's key,
    keyed by the code[:9] most of its coded villages have, else "n:", the county's key and the name: two
    townships of one name in two counties are two places. A row's own code, where it disagrees with the
    majority, does not move it (check reports it: code-prefix-disagrees); a row without a name is keyed by
    its code."""

    def __init__(self, v: pd.DataFrame, o: pd.DataFrame | None) -> None:
        self.n = len(v)

        def both(col: str) -> np.ndarray:
            values = v[col].to_numpy(dtype=object)
            values = np.concatenate([values, o[col].to_numpy(
                dtype=object)]) if o is not None else values.copy()
            values[pd.isna(values)] = ""
            return values

        self.county, self.township = both("county"), both("township")
        codes = [pd.factorize(self.county)[0]]
        self.c_ids = group_ids(codes, len(self.county))
        codes.append(pd.factorize(self.township)[0])
        self.t_ids = group_ids(codes, len(self.county))
        self._village = (lambda: both("village")) if o is not None else None
        self._names: tuple[np.ndarray, pd.Index] | None = None
        code = v["code"].to_numpy(dtype=object)
        if o is not None:
            code = np.concatenate([code, o["village_code"].to_numpy(dtype=object)])
        self.code = code
        self.has = pd.notna(code)
        self.numbers = code_numbers(code, self.has)
        self.c6 = code_prefix(code, self.has, 6, self.numbers)
        self.t9 = code_prefix(code, self.has, 9, self.numbers)
        self._county_keys: np.ndarray | None = None

    def _by_majority(self, ids: np.ndarray, prefix: np.ndarray, fallback: Callable[[int], str]) -> np.ndarray:
        """Per group: the prefix most of its coded villages have, else its "n:" key (`fallback` of the
        group's first row)."""
        k = int(ids.max()) + 1 if len(ids) else 0
        coded = np.flatnonzero(self.has[: self.n])
        coded_outlets = self.n + np.flatnonzero(self.has[self.n:])
        p_codes, p_uniques = pd.factorize(prefix[np.concatenate([coded, coded_outlets])])
        best = _majority(ids[coded], p_codes[: len(coded)], k)
        if len(coded_outlets):
            # a name no coded village has (a county or township that sent no village row): the prefix most
            # of its coded outlets have, so that its outlets with and without a code are one place, not two
            by_outlets = _majority(ids[coded_outlets], p_codes[len(coded):], k)
            best = np.where(best >= 0, best, by_outlets)
        first = first_of(ids, np.arange(len(ids)), k)  # every row of a group has the same names
        prefixes = np.asarray(p_uniques, dtype=object)
        return np.array(
            [
                prefixes[b] if b >= 0 else fallback(int(i))
                for b, i in zip(best.tolist(), first.tolist(), strict=True)
            ],
            dtype=object,
        )

    def county_keys(self) -> np.ndarray:
        if self._county_keys is None:
            keys = self._by_majority(self.c_ids, self.c6, lambda i: "n:" + str(self.county[i]))[self.c_ids]
            self._county_keys = np.where((self.county == "") & self.has, self.c6, keys)
        return self._county_keys

    def township_keys(self, township_given: np.ndarray) -> np.ndarray:
        county_keys = self.county_keys()
        ids = group_ids([pd.factorize(county_keys)[0], pd.factorize(self.township)[0]], len(county_keys))
        keys = self._by_majority(ids, self.t9, lambda i: "n:" + str(county_keys[i]) + "\x1f" + str(
            self.township[i]))
        named = self.township != ""
        out = np.full(len(ids), None, dtype=object)
        own = ~named & self.has  # no name, a code: the code's township
        out[own] = self.t9[own]
        given = named & township_given
        out[given] = keys[ids[given]]
        return out

    def village_names(self) -> tuple[np.ndarray, pd.Index]:
        """The village names of villages and outlets as codes into their distinct names (once)."""
        if self._names is None:
            if self._village is None:
                raise ValueError("village names are grouped only beside an outlet register")
            codes, uniques = pd.factorize(self._village())
            self._names = (codes, pd.Index(uniques))
        return self._names

    def village_match(self) -> np.ndarray:
        """For each outlet, the position of the village it stands in (by code, else by names), or -1."""
        n = self.n
        m = len(self.code) - n
        result = np.full(m, -1, dtype=np.int64)
        if m == 0:
            return result
        if self.numbers is not None:  # the codes as integers: factorised as such, much faster than text
            code_ids = np.where(self.has, pd.factorize(np.where(self.has, self.numbers, -1))[0], -1)
        else:
            code_ids = pd.factorize(pd.Series(self.code, dtype=object))[0]  # None → -1
        vids = group_ids([self.t_ids, self.village_names()[0]], len(self.code))
        for ids, usable in ((vids, np.ones(len(vids), dtype=bool)), (code_ids, code_ids >= 0)):
            first = first_of(ids, np.flatnonzero(usable[:n]), max(int(ids.max()) + 1, 1))
            hit = np.where(usable[n:], first[np.maximum(ids[n:], 0)], -1)
            result = np.where(hit >= 0, hit, result)  # the code wins: it is looked up last
        return result


def code_numbers(code: np.ndarray, has: np.ndarray) -> np.ndarray | None:
    """The codes as integers (-1 where there is none) when every code is twelve ASCII digits, as
    validated codes are (else None: the callers then work on the text)."""
    if not has.any():
        return None
    values = twelve_digit_numbers(code[has])
    if (values < 0).any():  # e.g. Arabic-Indic digits
        return None
    numbers = np.full(len(code), -1, dtype=np.int64)
    numbers[has] = values
    return numbers


def code_prefix(code: np.ndarray, has: np.ndarray, width: int, numbers: np.ndarray
                | None = None) -> np.ndarray:
    """The first `width` characters of the codes (None where there is none): from the codes as integers
    when there are (each distinct prefix written once), else sliced one by one."""
    out = np.full(len(code), None, dtype=object)
    if not has.any():
        return out
    if numbers is not None:
        which, distinct = pd.factorize(numbers[has] // 10 ** (12 - width))  # by hashing, not sorting
        out[has] = np.array([str(x).zfill(width) for x in distinct.tolist()], dtype=object)[which]
    else:
        which, distinct = pd.factorize(code[has])  # each distinct code cut once
        out[has] = np.array([c[:width] for c in distinct.tolist()], dtype=object)[which]
    return out


def code_positions(places: Places, entries: np.ndarray) -> np.ndarray:
    """For each entry, the village whose code it is, or -1 (valid codes are unique among the villages):
    as integers when the codes are, else as text."""
    n = places.n
    has = places.has[:n]
    if not has.any():
        return np.full(len(entries), -1, dtype=np.int64)
    coded = np.flatnonzero(has)
    # a coded village's number is never -1, what an entry that is no code gets
    codes = pd.Index(places.numbers[:n][coded] if places.numbers is not None else places.code[:n][coded])
    if not codes.is_unique:  # not after validation; the first village with the code, as in village_match
        first = ~codes.duplicated(keep="first")
        codes, coded = codes[first], coded[first]
    pos = codes.get_indexer(twelve_digit_numbers(entries) if places.numbers is not None else entries)
    return np.where(pos >= 0, coded[np.maximum(pos, 0)], -1)


def twelve_digit_numbers(texts: np.ndarray) -> np.ndarray:
    """Each text that is twelve ASCII digits as an integer, else -1."""
    import pyarrow as pa
    import pyarrow.compute as pc

    arr = pa.array(texts, type=pa.string())
    ok = pc.fill_null(pc.match_substring_regex(arr, "^[0-9]{12}$"), False).to_numpy(zero_copy_only=False)
    if ok.all():  # validated codes: the whole column at once
        numbers: np.ndarray[Any, Any] = pc.cast(arr, pa.int64()).to_numpy()
        return numbers
    out = np.full(len(texts), -1, dtype=np.int64)
    if ok.any():
        out[ok] = pc.cast(pc.filter(arr, pa.array(ok)), pa.int64()).to_numpy()
    return out


def _majority(groups: np.ndarray, values: np.ndarray, k: int) -> np.ndarray:
    """For each group 0..k-1, the value (prefix code) most of its rows have, or -1 for a group without rows.
    Of values held by equally many of its rows (a tie: 2 rows of 祥符区 with 410212, 2 mistyped with 410222),
    one that no other group has as its clear majority, so that a tie never hands a county the key of another
    (通许县's 410222) and merges the two; else the first seen (as `majority`). Works on the distinct
    (group, value) pairs, not the rows."""
    best = majority(groups, values, k)
    if not len(groups):
        return best
    pairs = pd.DataFrame({"g": groups, "v": values}).groupby(["g", "v"], sort=False).size().reset_index(
        name="n")
    top = pairs[pairs["n"] == pairs.groupby("g")["n"].transform("max")]
    tied = top["g"].duplicated(keep=False).to_numpy()
    if not tied.any():
        return best
    claimed = set(top.loc[~tied, "v"].tolist())  # the clear majorities of the groups without a tie
    free = top[tied & ~top["v"].isin(claimed).to_numpy()].drop_duplicates("g")  # first seen of the free ones
    best[free["g"].to_numpy()] = free["v"].to_numpy()
    return best
