"""The as-of date a user types: the forms a register accepts for a full date."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

from kuaidi_cli.core.errors import KuaidiError

# the programme's years, with room: no year 1 or 9999
FIRST, LAST = dt.date(2000, 1, 1), dt.date(2099, 12, 31)
_FORMS = (
    re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$"),  # 2021-12-31, 2021/12/31, 2021.12.31, 2021/9/30
    re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})[日号]?$"),  # 2021年12月31日
    re.compile(r"^(\d{4})(\d{2})(\d{2})$"),  # 20211231
)
_MONTHS = (  # a month stands for its last day: the end-of-month round
    re.compile(r"^(\d{4})[-/.](\d{1,2})$"),  # 2021-12, 2021/12, 2021.12
    re.compile(r"^(\d{4})年(\d{1,2})月(?:底|末)?$"),  # 2021年12月, 2021年12月底
)


def _month_end(year: int, month: int) -> dt.date:
    if not 1 <= month <= 12:
        raise ValueError(month)
    return dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1)


def parse(value: str, option: str = "--as-of") -> dt.date:
    """A date written 2021-12-31, 2021/12/31, 2021.12.31, 2021年12月31日 or 20211231, or a month (2021-12,
    2021年12月) for its last day (full-width digits and spaces allowed); raises KuaidiError for anything
    else."""
    text = "".join(unicodedata.normalize("NFKC", value).split())
    for form, day in [(f, True) for f in _FORMS] + [(f, False) for f in _MONTHS]:
        m = form.match(text)
        if m:
            try:
                parts = [int(g) for g in m.groups()]
                when = dt.date(*parts) if day else _month_end(*parts)
            except ValueError:
                break
            if not FIRST <= when <= LAST:
                raise KuaidiError(f"{option} 应在 {FIRST.year}—{LAST.year} 年之间，不是「{value}」",
                                  f"{option} must lie in {FIRST.year}–{LAST.year}, not '{value}'")
            return when
    raise KuaidiError(
        f"{option} 不是有效日期：「{value}」（可写 2021-12-31、2021/12/31、2021年12月31日、20211231，或月份 "
        "2021-12、2021年12月）",
        f"{option} is not a valid date: '{value}' (write 2021-12-31, 2021/12/31, 2021年12月31日, 20211231, "
        "or a month: 2021-12, 2021年12月)")


def future_warning(when: dt.date, today: dt.date, lang: str) -> str | None:
    """One line to say a date lies after today (the figures then are those known today), or None."""
    if when <= today:
        return None
    if lang == "en":
        return f"note: the as-of date {when.isoformat()} is after today ({today.isoformat()}); " \
               "the registers can only say what is known today"
    return f"注意：截至日期 {when.isoformat()} 晚于今天（{today.isoformat()}），台账只能反映今天已知的情况"


def as_of(value: str | None, today: dt.date, lang: str) -> tuple[dt.date, str | None]:
    """The as-of date of `--as-of` (today when not given), and a warning when it lies after today."""
    if value is None:
        return today, None
    when = parse(value)
    return when, future_warning(when, today, lang)
