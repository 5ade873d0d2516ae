"""`kuaidi changes` on a terminal: the counts per county, then the villages that changed."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table
from rich.text import Text

from kuaidi_cli.report.changes import Changes
from kuaidi_cli.write import changes as change_table
from kuaidi_cli.write.labels import t

SHOWN = 50


def render(changes: Changes, console: Console, lang: str = "zh", order: list[str] | None = None) -> None:
    """The counts per county (in `order`, the scope's), then every village that changed."""
    console.print(Text(change_table.title(changes, lang), style="bold"))
    for line in change_table.county_lines(changes, lang):
        console.print(Text(line, style="yellow"))
    if changes.villages.empty:
        console.print(t("changes.none", lang, since=changes.since.isoformat()))
        return
    counts = Table(show_footer=False)
    for i, head in enumerate(change_table.count_headers(lang)):
        counts.add_column(head, justify="left" if i == 0 else "right")
    for row in change_table.count_rows(changes, lang, order):
        counts.add_row(*(str(x) for x in row))
    console.print(counts)
    rows = change_table.village_rows(changes, lang)
    villages = Table()
    for head in change_table.village_headers(lang):
        villages.add_column(head)
    for row in rows[:SHOWN]:
        villages.add_row(*("" if x is None else str(x) for x in row))
    console.print(villages)
    if len(rows) > SHOWN:
        console.print(t("more_changes", lang, n=len(rows) - SHOWN))
