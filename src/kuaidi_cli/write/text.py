"""Text of the report shared by every output (terminal, workbook, HTML, CSV): rates as percentages, a
target's value, a date as a reader writes it, why a village needs attention. No rich here."""

from __future__ import annotations

import datetime as dt
import heapq
import math
import unicodedata
from collections.abc import Callable, Iterable
from typing import Any

from kuaidi_cli.core.rules import Rules
from kuaidi_cli.report.model import AttentionVillage
from kuaidi_cli.write.labels import t, yes_no

Marks = tuple[float, ...]


def rate_marks(targets: Iterable[Any]) -> Marks:
    """The rates a display must never round across: every rate target of the rules (or of a report's
    targets) and 100%."""
    from kuaidi_cli.core.metrics import rate_names

    rates = rate_names()
    return tuple(sorted({float(x.target) for x in targets if x.metric in rates} | {1.0}))


def shown_rate(x: float, marks: Marks) -> float:
    """A rate rounded (half up) to the one decimal of a percent every output shows, except that it never
    crosses a mark (a rate target, 100%): a rate below a mark shows as the largest one-decimal value below
    it (1709 of 2137, 79.97%, shows 79.9% beside a target of 80%; 99.97% shows 99.9%), and a rate at or
    above a mark never shows below it, so that no figure claims a target its status denies. (The rounding
    to 9 places first keeps 0.8445, stored as 0.84449…, at 84.5%.)"""
    shown = math.floor(round(x * 1000, 9) + 0.5) / 1000
    for mark in marks:
        if x < mark <= shown:
            shown = (math.ceil(round(mark * 1000, 6)) - 1) / 1000
        elif shown < mark <= x:
            shown = math.ceil(round(mark * 1000, 6)) / 1000
    return shown


def crossed_mark(x: float, marks: Marks) -> float | None:
    """The mark that rounding half up would carry `x` across (from below), or None: where a display that
    rounds by itself (a spreadsheet's number format) needs telling."""
    rounded = math.floor(round(x * 1000, 9) + 0.5) / 1000
    return next((m for m in marks if x < m <= rounded), None)


def pct(x: float | None, marks: Marks) -> str:
    return "—" if x is None else f"{shown_rate(x, marks) * 100:.1f}%"


def value_text(metric_is_rate: bool, x: float | None, marks: Marks) -> str:
    if x is None:
        return "—"
    return pct(x, marks) if metric_is_rate else f"{x:g}"


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

    undecided = {"in_village": t("reason.undecided_in_village", lang), "reached": t(
        "reason.undecided_reached", lang)}

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


def fitted_width(texts: Iterable[str], *, least: int, most: int) -> int:
    """A column's width (in characters) that shows the longest of `texts` whole, a Chinese character
    counting as 1.7 (as wrapped_lines), between `least` and `most` (a longer text is cut at the page).
    Only the 50 texts of most characters are measured (20 000 messages of a national workbook stay cheap)."""
    longest = max((sum(1.7 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)
                   for text in heapq.nlargest(50, texts, key=len)), default=0)
    return max(least, min(most, math.ceil(longest) + 2))


def attention_cells(a: AttentionVillage, why: Callable[[AttentionVillage], str],
                    lang: str) -> tuple[object, ...]:
    """A village needing attention as the CSV and the workbook list it: county, township, village, code,
    the reasons (`why`: reason_text), in-village and reached in words, the file and the row."""
    return (a.county, a.township, a.village, a.code, why(a), yes_no(a.in_village, lang),
            yes_no(a.reached, lang), a.file or "", a.row)
