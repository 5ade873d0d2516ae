"""Without an official list: codes and names checked against each other, by the register's majority.

A county is the name its rows write; its code prefix (code[:6]) is the one most of its coded rows have,
and a prefix's name the one most of the rows with that prefix write (measure.places keys the places the
same way). A row whose code prefix is not its county's (a mistyped code: 祥符区 with 杞县's 410221), or
whose prefix most rows give another name, is a warning: the row counts where its name puts it (the name
is what the majority confirms), and the message names the code and the name it disagrees with. The same
within each county for townships (code[:9]).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from kuaidi_cli.check.collector import Collector, Rows
from kuaidi_cli.core.digits import ascii_digits
from kuaidi_cli.core.normalise import majority

_LEVELS = {"county": (6, "县区", "county"), "township": (9, "乡镇", "township")}


def code_prefixes(c: Collector, raw: Rows, out: dict[str, pd.Series]) -> None:
    """code-prefix-disagrees for each row whose code's county or township part disagrees with the majority."""
    code = ascii_digits(out["code"])
    if not code.notna().any():
        return
    county, county_names = pd.factorize(out["county"].to_numpy(dtype=object))
    township, township_names = pd.factorize(out["township"].to_numpy(dtype=object))
    flagged = _level(c, raw, "county", county, np.asarray(county_names, dtype=object), code,
                     np.zeros(len(code), dtype=bool))
    both = np.where((county >= 0) & (township >= 0), county.astype(np.int64) * max(len(township_names), 1)
                    + township, -1)
    _level(c, raw, "township", *_township_of_pair(both, township, township_names), code, flagged)


def _township_of_pair(pair: np.ndarray, township: np.ndarray, names: Any) -> tuple[np.ndarray, np.ndarray]:
    """The (county, township) pair ids made compact (-1 stays -1), and the township name of each: what a
    message shows of the pair. What must stay true: a pair id is made of one township id, so any of its
    rows gives its name; compacting keeps which rows share a pair."""
    compact = np.full(len(pair), -1, dtype=np.int64)
    at = pair >= 0
    compact[at] = pd.factorize(pair[at])[0]
    shown = np.full(int(compact.max()) + 1 if at.any() else 0, None, dtype=object)
    shown[compact[at]] = np.asarray(names, dtype=object)[township[at]]
    return compact, shown


def prefix_ids(code: np.ndarray, width: int) -> tuple[np.ndarray, np.ndarray]:
    """Each code's first `width` characters as ids into the distinct prefixes (as text). Codes that are all
    twelve ASCII digits (a checked code after ascii_digits) are cut as integers, others as text. What must
    stay true: the same ids, in the same order (first seen among the rows), and the same prefixes as
    factorising the rows' `str(code)[:width]`."""
    if len(code):
        fixed = np.asarray(code, dtype="U")
        # a shorter code ends in NULs: not digits
        digits = fixed.view(np.uint32).reshape(len(code), -1) - ord("0")
        if fixed.dtype.itemsize == 12 * 4 and bool((digits <= 9).all()):
            ids, prefixes = pd.factorize(
                digits[:, :width].astype(np.int64) @ 10 ** np.arange(width - 1, -1, -1)
            )
            return ids, np.array([f"{p:0{width}d}" for p in prefixes.tolist()], dtype=object)
    codes, uniques = pd.factorize(code)
    ids, prefixes = pd.factorize(np.array([str(u)[:width] for u in uniques], dtype=object))
    return ids[codes], np.asarray(prefixes, dtype=object)


def _level(c: Collector, raw: Rows, level: str, group: np.ndarray, shown: np.ndarray, code: pd.Series,
           skip: np.ndarray) -> np.ndarray:
    """`group`: each row's county (or county and township) id, -1 for none; `shown`: the name of each id."""
    width, zh_level, en_level = _LEVELS[level]
    ok = (group >= 0) & code.notna().to_numpy(dtype=bool) & ~skip
    flagged = np.zeros(len(code), dtype=bool)
    if not ok.any():
        return flagged
    at = np.flatnonzero(ok)
    names, name_ids = pd.factorize(group[at])
    prefixes, prefix_uniques = prefix_ids(code.to_numpy(dtype=object)[at], width)
    name_shown = np.array([str(s) for s in shown[name_ids]], dtype=object)
    prefix_of_name = majority(names, prefixes, len(name_ids))
    name_of_prefix = majority(prefixes, names, len(prefix_uniques))
    own = prefixes != prefix_of_name[names]  # the code is not its name's
    # its name's, but most rows with the prefix write another
    other = ~own & (name_of_prefix[prefixes] != names)
    hit = own | other
    if not hit.any():
        return flagged
    # the message depends on the row's name and prefix alone: written once per distinct pair
    hit_at = np.flatnonzero(hit)
    pair, first = np.unique(names[hit_at].astype(np.int64) * len(prefix_uniques) + prefixes[hit_at],
                            return_index=True)
    which = np.searchsorted(pair, names[hit_at].astype(np.int64) * len(prefix_uniques) + prefixes[hit_at])
    zh, en = [], []
    for i in hit_at[first].tolist():
        name, p = name_shown[names[i]], str(prefix_uniques[prefixes[i]])
        usual = str(prefix_uniques[prefix_of_name[names[i]]])
        holder = name_shown[name_of_prefix[prefixes[i]]]
        if own[i] and holder != name:
            zh.append(
                f"（前{width}位 {p} 在台账其余行属于{zh_level}「{holder}」，本行{zh_level}写「{name}」："
                      f"按「{name}」计，请核对代码）")
            en.append(
                f" (its first {width} digits {p} are {en_level} {holder}'s in the register's other rows, but "
                      f"this row's {en_level} is {name}: counted in {name}; check the code)")
        elif own[i]:
            zh.append(
                f"（{zh_level}「{name}」其余行的代码前{width}位是 {usual}：按「{name}」计，请核对代码）")
            en.append(
                f" (the other rows of {en_level} {name} have codes beginning {usual}: counted in {name}; "
                      "check the code)")
        else:
            zh.append(f"（前{width}位 {p} 在台账其余行大多写作{zh_level}「{holder}」，本行写「{name}」："
                      f"按「{holder}」计）")
            en.append(
                f" (most rows with the first {width} digits {p} write {en_level} {holder}, this row {name}: "
                      f"counted in {holder})")
    labels = at[hit_at]
    flagged[labels] = True
    index = code.index
    rows = pd.Series(flagged, index=index)
    detail_zh = pd.Series(np.array(zh, dtype=object)[which], index=index[labels], dtype=object)
    detail_en = pd.Series(np.array(en, dtype=object)[which], index=index[labels], dtype=object)
    c.add("code-prefix-disagrees", rows, "code", raw["code"], detail_zh, detail_en)  # the code as written
    return flagged
