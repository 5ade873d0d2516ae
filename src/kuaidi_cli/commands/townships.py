"""The township `--township` names: written in full or without its 镇/乡/街道, and within one county."""

from __future__ import annotations

import pandas as pd

from kuaidi_cli.core.errors import InputError

_TOWNSHIP_SUFFIXES = ("街道办事处", "办事处", "街道", "镇", "乡")


def township_named(asked: str, towns: list[str], *, within: bool = False) -> str:
    """The township `--township` means: its name as written, or without its 镇/乡/街道 (陈留 → 陈留镇) when
    that names one township; else InputError with the nearest names (`within`: --county was given, so
    the message lists the townships, when they are few enough to read, rather than asking for it)."""
    from kuaidi_cli.core.gazetteer import suggest

    def bare(name: str) -> str:
        for suffix in _TOWNSHIP_SUFFIXES:
            if name.endswith(suffix) and len(name) > len(suffix):
                return name[: -len(suffix)]
        return name

    asked = asked.strip()
    if asked in towns:
        return asked
    same = sorted({t for t in towns if bare(t) == bare(asked)})
    if len(same) == 1:
        return same[0]
    near = same or suggest(asked, sorted(set(towns)))
    names = sorted(set(towns))
    n = len(names)
    if near:
        zh, en = f"（是否指：{'、'.join(near)}？）", f" (did you mean: {', '.join(near)}?)"
    elif within and n <= 40:
        zh, en = f"（可选：{'、'.join(names)}）", f" (choose from: {', '.join(names)})"
    elif within:
        zh, en = f"（该县区共 {n} 个乡镇）", f" ({n} townships in the county)"
    else:
        zh, en = f"（共 {n} 个乡镇；可用 --county 缩小范围）", f" ({n} townships; narrow with --county)"
    raise InputError(f"没有乡镇「{asked}」{zh}", f"no township '{asked}'{en}")


def one_county(township: str, towns: pd.DataFrame) -> None:
    """A township name is resolved within its county: when counties of the selection each have a township
    of that name (城关镇), InputError naming them and asking for --county."""
    hits = towns[towns["township"] == township]
    counties = list(dict.fromkeys(hits["county"].astype(str)))
    if hits["county_key"].nunique() > 1:
        names = "、".join(counties)
        raise InputError(f"乡镇「{township}」在多个县区都有：{names}；请加 --county 指定其中一个",
                         f"township '{township}' is in several counties: {', '.join(counties)}; "
                         "add --county to pick one")
