"""Text of the report shared by every output (terminal, workbook, HTML, CSV): rates as percentages, a
target's value, a date as a reader writes it, why a village needs attention. No rich here."""

from __future__ import annotations

import datetime as dt
import math
import unicodedata
from collections.abc import Callable

from kuaidi_cli.core.rules import Rules
from kuaidi_cli.report.model import AttentionVillage
from kuaidi_cli.write.labels import t


def shown_rate(x: float) -> float:
    """A rate rounded (half up) to the one decimal of a percent every output shows, except that a rate below
    100% never shows as 100.0%: 99.97% shows as 99.9%, so that no figure claims a complete coverage its
    target's status denies. (The rounding to 9 places first keeps 0.8445, stored as 0.84449…, at 84.5%.)"""
    shown = math.floor(round(x * 1000, 9) + 0.5) / 1000
    return 0.999 if shown >= 1 > x else shown


def pct(x: float | None) -> str:
    return "—" if x is None else f"{shown_rate(x) * 100:.1f}%"


def value_text(metric_is_rate: bool, x: float | None) -> str:
    if x is None:
        return "—"
    return pct(x) if metric_is_rate else f"{x:g}"


def date_text(d: dt.date, lang: str) -> str:
    return d.isoformat() if lang == "en" else f"{d.year}年{d.month}月{d.day}日"


def as_of_text(d: dt.date, lang: str) -> str:
    """截至2021年12月31日 / as of 2021-12-31: a sheet's subtitle, and its page header."""
    return ("as of " if lang == "en" else "截至") + date_text(d, lang)


def reason_text(rules: Rules, lang: str) -> Callable[[AttentionVillage], str]:
    """Why a village needs attention — 人口≥2500 / 距离>5km (from the rules), 未驻村设点, 未通达 — as one
    string. The labels are worked out once, not once per village of a long list."""
    names = {c.reason: c.describe(lang).replace(">=", "≥").replace("<=", "≤") for c in rules.priority.any}
    not_in_village, not_reached = t("reason.not_in_village", lang), t("reason.not_reached", lang)
    sep = ", " if lang == "en" else "、"
    fields = {f: t(f"field.{f}", lang) for f in ("population", "distance_km")}

    undecided = {"in_village": t("reason.undecided_in_village", lang), "reached": t("reason.undecided_reached", lang)}

    def text(a: AttentionVillage) -> str:
        why = [t("reason.unreadable", lang, column=c.column, value=c.value) for c in a.unreadable]
        why += [names.get(r, r) for r in a.priority_reasons]
        if a.priority_unknown:
            why.append(t("reason.missing", lang, fields="/".join(fields.get(f, f) for f in a.missing)))
        if a.priority_reasons and a.in_village is False:
            why.append(not_in_village)
        if a.reached is False:
            why.append(not_reached)
        why += [undecided[f] for f in a.undecided if f in undecided]
        return sep.join(why)

    return text


def wrapped_lines(text: str, width: int) -> int:
    """How many lines a wrapped cell of `width` characters takes for `text`, a Chinese character counting
    as 1.7 (等线 11 as LibreOffice draws it: an estimate, leaning to one line too many)."""
    cells = sum(1.7 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)
    return max(1, math.ceil(cells / max(1, width - 1)))
