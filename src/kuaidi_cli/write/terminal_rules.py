"""`kuaidi rules`: the effective rules as tables."""

from __future__ import annotations

from pathlib import Path

from rich.console import Console
from rich.table import Table
from rich.text import Text

from kuaidi_cli.core.rules import Rules
from kuaidi_cli.write.labels import t


def render(rules: Rules, path: Path, sha: str, console: Console, *, lang: str = "zh") -> None:
    en = lang == "en"
    console.print(Text(rules.name, style="bold"))
    console.print(f"[dim]{path} · sha256 {sha[:12]}[/dim]")
    scope = "、".join(rules.scope.counties) if rules.scope.counties else ("all" if en else "全部")
    console.print(("scope: " if en else "范围：") + scope)
    console.print(("priority village: " if en else "重点村：") + rules.priority.describe(lang))
    if rules.focus:
        console.print(("focus: " if en else "推进重点：") + rules.focus.describe(lang))
    table = Table(title=t("targets", lang), title_justify="left")
    for head in (
        "id",
        t("target_label", lang),
        t("kind", lang),
        "metric",
        t("target_value", lang),
        t("due", lang),
        "source" if en else "依据",
    ):
        table.add_column(head, overflow="fold")
    for x in rules.targets:
        value = f"{x.target * 100:g}%" if x.is_rate else f"{x.target:g}"
        table.add_row(x.id, (x.label_en or x.label) if en else x.label, t(f"kind.{x.kind}", lang), x.metric,
                      value,
                      x.due.isoformat(), x.source or "")
    console.print(table)
    modes = Table(title="modes" if en else "合作模式", title_justify="left")
    modes.add_column("id")
    modes.add_column("aliases" if en else "别称")
    for m in rules.modes:
        modes.add_row(m.id, "、".join(m.aliases))
    console.print(modes)
    levels = Table(title="outlet levels" if en else "服务点层级", title_justify="left")
    levels.add_column("id")
    levels.add_column("label" if en else "名称")
    levels.add_column("aliases" if en else "别称")
    for level_id, level in rules.outlet_levels.items():
        levels.add_row(level_id, level.label, "、".join(level.aliases))
    console.print(levels)
    if rules.aliases.counties:
        console.print(("old or short county names: " if en else "县区旧称/简称：")
                      + "，".join(f"{k}→{v}" for k, v in rules.aliases.counties.items()))
