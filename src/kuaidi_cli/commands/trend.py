"""`trend` as a library call: the history of exports as a series, each target's projection, the chart."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kuaidi_cli.core.errors import KuaidiError
from kuaidi_cli.core.rules import Rules, Target, canonical_county
from kuaidi_cli.report.trend import Projection, project
from kuaidi_cli.write import history
from kuaidi_cli.write.files import refuse_existing
from kuaidi_cli.write.scope import scoped_label
from kuaidi_cli.write.trend_chart import svg


@dataclass
class Series:
    path: Path  # the history read
    county: str | None  # the county, by its current name; None for the city
    scope: str  # what the series covers, as its title says it
    points: list[dict[str, Any]]
    projections: list[Projection]

    def label(self, rules: Rules, lang: str) -> Callable[[Target], str]:
        """Each target's label for this scope (a county's, never the city's)."""
        return lambda target: scoped_label(target, self.county, rules, lang)

    def chart(self, lang: str) -> bytes:
        return svg(self.points, self.scope, lang).encode("utf-8")


def refuse_chart(target: Path, *, force: bool) -> None:
    """The chart is an SVG: a path that is no .svg, or a file kuaidi did not write (without --force), stops
    the run before anything is printed."""
    if target.suffix.lower() != ".svg":
        raise KuaidiError(f"趋势图是 SVG：--chart 请用 .svg 结尾（不是 {target.name}）",
                          f"the chart is an SVG: end --chart in .svg (not {target.name})")
    if not force:
        refuse_existing(target, own=True, option="--chart")


def load(rules: Rules, path: Path | None, county: str | None) -> Series:
    """The series of the city (or of `county`, old and short names allowed) from the history at `path`
    (default: the user's), with each target's projection; raises KuaidiError when there is none."""
    path = path or history.default_path()
    name = None
    if county:
        name = canonical_county(county, rules)
        known = history.counties(path)
        if name not in known:
            raise KuaidiError(f"历史库中没有县区「{county}」（有：{'、'.join(known)}）",
                              f"no county '{county}' in the history (it has: {', '.join(known)})")
    points = history.series(path, name)
    if not points:
        raise KuaidiError(f"历史库 {path} 中还没有记录：先运行 kuaidi export",
                          f"the history {path} is empty: run kuaidi export")
    gaps = history.gaps(path, name)  # what each run lacked: marked, and never projected from
    for p in points:
        p["unsubmitted"], p["unestablished"] = gaps.get(p["as_of"], ([], []))
    projections = project(points, rules, rates_only=bool(name), statuses=history.latest_statuses(path, name))
    return Series(path=path, county=name, scope=name or rules.city or "", points=points,
                  projections=projections)
