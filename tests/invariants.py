"""Invariants every report must keep, whatever its registers (issue 20: every row ends in exactly one
place, every total is the sum of its parts, a missed target never shows its own value).

`report_problems(data)` lists what a `kuaidi.report/1` JSON breaks; `assert_report_invariants(data)`
fails on any. `display_problems(text)` reads a terminal report's target table. Both read only the
outputs: nothing here calls kuaidi's code.
"""

from __future__ import annotations

import re
from fractions import Fraction

COUNTS = ("villages", "reached", "in_village", "priority_villages", "priority_in_village", "priority_unknown")
RATES = {"reach_rate": ("reached", "villages"), "in_village_rate": ("in_village", "villages"),
         "priority_in_village_rate": ("priority_in_village", "priority_villages")}
ROW_PARTS = ("counted", "uncertain", "invalid", "skipped")


def _close(a: float | None, b: Fraction | None) -> bool:
    return (a is None and b is None) or (a is not None and b is not None and abs(Fraction(a) - b) < Fraction(1, 10**9))


def _sum_problems(label: str, whole: dict, parts: list[dict], extra: dict | None) -> list[str]:
    problems = []
    for key in COUNTS:
        if key not in whole or whole[key] is None:
            continue
        total = sum(p.get(key) or 0 for p in parts) + ((extra or {}).get(key) or 0)
        if total != whole[key]:
            problems.append(f"{label}: {key} {whole[key]} ≠ Σ parts {total}")
    for family in ("outlets", "modes"):
        for k, v in (whole.get(family) or {}).items():
            total = sum((p.get(family) or {}).get(k) or 0 for p in parts) + (((extra or {}).get(family) or {}).get(k) or 0)
            if v is not None and total != v:
                problems.append(f"{label}: {family}.{k} {v} ≠ Σ parts {total}")
    return problems


def report_problems(data: dict) -> list[str]:
    problems: list[str] = []
    # every row under the header ends in exactly one place (per file, and in total when given)
    for entry in [*data.get("inputs", []), *([data["rows"]] if isinstance(data.get("rows"), dict) else [])]:
        if all(k in entry for k in ROW_PARTS):
            parts = sum(entry[k] for k in ROW_PARTS)
            if entry["rows"] != parts:
                problems.append(f"rows {entry['rows']} ≠ counted + uncertain + invalid + skipped {parts}: {entry}")
        if "invalid_rows" in entry and not 0 <= entry["invalid_rows"] <= entry["rows"]:
            problems.append(f"invalid rows {entry['invalid_rows']} outside 0..{entry['rows']}: {entry.get('path')}")
    for s in [*data.get("submissions", []), *data.get("township_submissions", [])]:
        for label, part in (("", s), (" outlets", s.get("outlets") or {})):
            if part.get("rows") is not None and part.get("valid") is not None \
                    and part["rows"] != part["valid"] + (part.get("invalid") or 0):
                problems.append(f"报送情况 {s['county']}{s.get('township') or ''}{label}: rows {part['rows']} ≠ valid "
                                f"{part['valid']} + invalid {part.get('invalid')}")
    # a county's report: its townships' 报送情况 add up to its own, register by register
    if data.get("scope", {}).get("level") == "county" and data.get("township_submissions"):
        for s in data.get("submissions", []):
            mine = [x for x in data["township_submissions"] if x["county"] == s["county"]]
            for label, get in (("villages", lambda x: x), ("outlets", lambda x: x.get("outlets"))):
                if get(s) is None:
                    continue
                for key in ("rows", "valid", "errors"):
                    if sum(get(x)[key] for x in mine) != get(s)[key]:
                        problems.append(f"报送情况 {s['county']} {label} {key}: {get(s)[key]} ≠ Σ townships "
                                        f"{sum(get(x)[key] for x in mine)}")
    counties = data.get("counties", [])
    names = [c["county"] for c in counties]
    if len(names) != len(set(names)):
        problems.append(f"a county is more than one row: {names}")
    towns = [(t["county"], t["township"]) for t in data.get("townships", [])]
    if len(towns) != len(set(towns)):
        problems.append(f"a township is more than one row: {sorted(t for t in towns if towns.count(t) > 1)}")
    submitted = [c for c in counties if c.get("submitted", True)]
    # the city is the sum of its counties (a county not submitted shows nothing, or what it contributes:
    # over the official list, its villages; + an explicit part belonging to none), a county of its townships
    if data.get("scope", {}).get("level", "city") == "city" and counties:
        problems += _sum_problems("合计 vs counties", data["summary"], counties, data.get("counties_unassigned"))
    for c in submitted:
        mine = [t for t in data.get("townships", []) if t["county"] == c["county"]]
        if mine:
            problems += [p for p in _sum_problems(f"{c['county']} vs its townships", {k: c.get(k) for k in COUNTS},
                                                  mine, None)]
    by_county = {s["county"]: s for s in data.get("submissions", [])}
    for c in counties:
        s = by_county.get(c["county"])
        if s is not None and "submitted" in c and bool(s["submitted"]) != bool(c["submitted"]):
            problems.append(f"{c['county']}: submitted {c['submitted']} in the table, {s['submitted']} in 报送情况")
    # each rate is its own numerator over its own denominator; a status agrees with its value
    for label, scope in [("summary", data.get("summary", {})), *((c["county"], c) for c in submitted),
                         *((f"{t['county']}{t['township']}", t) for t in data.get("townships", []))]:
        for rate, (num, den) in RATES.items():
            if rate in scope and isinstance(scope.get(den), int) and isinstance(scope.get(num), int):
                want = Fraction(scope[num], scope[den]) if scope[den] else None
                if not _close(scope[rate], want):
                    problems.append(f"{label}: {rate} {scope[rate]} ≠ {scope[num]}/{scope[den]}")
    for label, targets in [("city", data.get("targets", [])), *((c["county"], c.get("targets") or []) for c in counties)]:
        for t in targets:
            if not isinstance(t.get("value"), (int, float)):
                if t["status"] in ("met", "missed"):
                    problems.append(f"{label} {t['id']}: {t['status']} without a value")
                continue
            goal = Fraction(str(t["target"]))
            if t["status"] == "met" and not t.get("undecided") and Fraction(t["value"]) < goal - Fraction(1, 10**9):
                problems.append(f"{label} {t['id']}: met at {t['value']} < {t['target']}")
            if t["status"] == "missed" and not t.get("undecided") and Fraction(t["value"]) >= goal - Fraction(1, 10**12):
                problems.append(f"{label} {t['id']}: missed at {t['value']} ≥ {t['target']}")
            if t["status"] == "met" and t.get("gap"):
                problems.append(f"{label} {t['id']}: met with a gap of {t['gap']}")
            if t["status"] == "missed" and t.get("gap") == 0:
                problems.append(f"{label} {t['id']}: missed with no gap")
    return problems


def assert_report_invariants(data: dict) -> None:
    problems = report_problems(data)
    assert not problems, "\n".join(problems)


_CELL = re.compile(r"^\s*([\d.]+)(%?)\s*$")


def display_problems(text: str) -> list[str]:
    """A target shown as 未达标 / missed whose current value, as displayed, is not below its target value as
    displayed (79.97% of an 80% target shown as 80.0%), in a terminal report's target table."""
    problems = []
    for line in text.splitlines():
        cells = [c.strip() for c in line.split("│")]
        if len(cells) < 8 or cells[6] not in ("未达标", "missed"):
            continue
        goal, now = _CELL.match(cells[3]), _CELL.match(cells[4])
        if goal and now and float(now.group(1)) >= float(goal.group(1)):
            problems.append(f"a missed target shows its own value: {line.strip()}")
    return problems


def assert_totals_add_up(report: dict) -> None:
    """The county rows (and the row of what belongs to no county) add up to the summary, and so do the
    township rows (and theirs), count by count, outlet level by outlet level (a figure nothing
    establishes, null in the summary, is left aside)."""
    problems = [p for table, rest in (("counties", "counties_unassigned"), ("townships", "townships_unassigned"))
                for p in _sum_problems(table, report["summary"], report[table], report.get(rest))]
    assert not problems, "\n".join(problems)
