"""Without an official list: codes and names checked against each other, by the register's majority.

A county is the name its rows write; its code prefix (code[:6]) is the one most of its coded rows have,
and a prefix's name the one most of the rows with that prefix write (measure.places keys the places the
same way). A row whose code prefix is not its county's (a mistyped code: 祥符区 with 杞县's 410221), or
whose prefix most rows give another name, is a warning: the row counts where its name puts it (the name
is what the majority confirms), and the message names the code and the name it disagrees with. The same
within each county for townships (code[:9]).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from kuaidi_cli.check.collector import Collector, Rows
from kuaidi_cli.core.normalise import ascii_digits, majority

_LEVELS = {"county": (6, "县区", "county"), "township": (9, "乡镇", "township")}


def code_prefixes(c: Collector, raw: Rows, out: dict[str, pd.Series]) -> None:
    """code-prefix-disagrees for each row whose code's county or township part disagrees with the majority."""
    code, county, township = ascii_digits(out["code"]), out["county"], out["township"]
    if not code.notna().any():
        return
    flagged = _level(c, raw, "county", county, county, code, np.zeros(len(code), dtype=bool))
    both = county.astype(object).where(county.isna(), county.astype(str) + "\x1f" + township.astype(str))
    _level(c, raw, "township", both.where(township.notna()), township, code, flagged)


def _level(c: Collector, raw: Rows, level: str, group: pd.Series, shown: pd.Series, code: pd.Series,
           skip: np.ndarray) -> np.ndarray:
    width, zh_level, en_level = _LEVELS[level]
    ok = (group.notna() & code.notna()).to_numpy(dtype=bool) & ~skip
    flagged = np.zeros(len(code), dtype=bool)
    if not ok.any():
        return flagged
    at = np.flatnonzero(ok)
    names, name_uniques = pd.factorize(group.to_numpy(dtype=object)[at])
    prefixes, prefix_uniques = pd.factorize(np.array([str(x)[:width] for x in code.to_numpy(dtype=object)[at]],
                                                     dtype=object))
    prefix_of_name = majority(names, prefixes, len(name_uniques))
    name_of_prefix = majority(prefixes, names, len(prefix_uniques))
    own = prefixes != prefix_of_name[names]  # the code is not its name's
    other = ~own & (name_of_prefix[prefixes] != names)  # its name's, but most rows with the prefix write another
    hit = own | other
    if not hit.any():
        return flagged
    shown_at = shown.to_numpy(dtype=object)[at]
    zh, en = {}, {}
    for i in np.flatnonzero(hit).tolist():
        name, p = str(shown_at[i]), str(prefix_uniques[prefixes[i]])
        usual = str(prefix_uniques[prefix_of_name[names[i]]])
        holder = str(name_uniques[name_of_prefix[prefixes[i]]]).split("\x1f")[-1]
        label = at[i]
        if own[i] and holder != name:
            zh[label] = (f"（前{width}位 {p} 在台账其余行属于{zh_level}「{holder}」，本行{zh_level}写「{name}」："
                         f"按「{name}」计，请核对代码）")
            en[label] = (f" (its first {width} digits {p} are {en_level} {holder}'s in the register's other rows, but "
                         f"this row's {en_level} is {name}: counted in {name}; check the code)")
        elif own[i]:
            zh[label] = f"（{zh_level}「{name}」其余行的代码前{width}位是 {usual}：按「{name}」计，请核对代码）"
            en[label] = (f" (the other rows of {en_level} {name} have codes beginning {usual}: counted in {name}; "
                         "check the code)")
        else:
            zh[label] = (f"（前{width}位 {p} 在台账其余行大多写作{zh_level}「{holder}」，本行写「{name}」："
                         f"按「{holder}」计）")
            en[label] = (f" (most rows with the first {width} digits {p} write {en_level} {holder}, this row {name}: "
                         f"counted in {holder})")
        flagged[label] = True
    index = code.index
    rows = pd.Series(flagged, index=index)
    detail_zh = pd.Series({index[k]: v for k, v in zh.items()}, dtype=object)
    detail_en = pd.Series({index[k]: v for k, v in en.items()}, dtype=object)
    c.add("code-prefix-disagrees", rows, "code", raw["code"], detail_zh, detail_en)  # the code as written
    return flagged
