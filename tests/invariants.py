"""Invariants every report must keep, for any test to assert on the JSON it produced (issue 20)."""

from __future__ import annotations

COUNTS = ("villages", "reached", "priority_villages", "priority_in_village", "in_village", "priority_unknown")
LEVELS = ("park", "township_station", "village_point")


def assert_totals_add_up(report: dict) -> None:
    """The county rows (and the row of what belongs to no county) add up to the summary, and so do the
    township rows (and theirs), count by count, outlet level by outlet level (a figure nothing
    establishes, null in the summary, is left aside)."""
    total = report["summary"]
    for table, rest in (("counties", "counties_unassigned"), ("townships", "townships_unassigned")):
        rows = [*report[table], *([report[rest]] if report.get(rest) else [])]
        for key in COUNTS:
            if total[key] is not None:
                assert sum(r[key] or 0 for r in rows) == total[key], (table, key)
        for level in LEVELS:
            if total["outlets"][level] is not None:
                assert sum(r["outlets"][level] or 0 for r in rows) == total["outlets"][level], (table, level)
