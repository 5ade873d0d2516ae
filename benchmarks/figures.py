"""The figures of a `kuaidi report --format json` file that benchmarks/engine_polars.py also computes, in
that implementation's shape, so the two can be compared field by field (benchmarks/side_by_side.py).

Compared: the input files' rows, invalid_rows and uncertain_rows; for the summary, every county and every
township: villages, reached, in_village, priority_villages, priority_in_village, priority_unknown,
reach_rate, in_village_rate, priority_in_village_rate, the modes (non-zero counts) and the outlets by
level; for the summary's targets and each county's: id, value, status, gap and undecided. Counties are
matched by name, townships by county and name.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

SCOPE_FIELDS = ("villages", "reached", "in_village", "priority_villages", "priority_in_village", "priority_unknown",
                "reach_rate", "in_village_rate", "priority_in_village_rate")
TARGET_FIELDS = ("id", "value", "status", "gap", "undecided")


def _scope(row: dict[str, Any]) -> dict[str, Any]:
    out = {k: row[k] for k in SCOPE_FIELDS}
    out["modes"] = {k: n for k, n in sorted(row["modes"].items()) if n}
    out["outlets"] = row["outlets"]
    return out


def _targets(targets: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{k: t[k] for k in TARGET_FIELDS} for t in targets]


def of_kuaidi(path: Path) -> dict[str, Any]:
    """The compared figures of kuaidi's report JSON."""
    d = json.loads(path.read_text(encoding="utf-8"))
    counties = {}
    for c in d["counties"]:
        row = _scope(c)
        row["targets"] = _targets(c["targets"])
        counties[c["county"]] = row
    return {"inputs": [{k: i[k] for k in ("rows", "invalid_rows", "uncertain_rows")} for i in d["inputs"]],
            "summary": _scope(d["summary"]), "targets": _targets(d["targets"]), "counties": counties,
            "townships": {f"{t['county']}/{t['township']}": _scope(t) for t in d["townships"]}}


def of_engine(path: Path) -> dict[str, Any]:
    """The same figures of engine_polars.py's JSON."""
    d = json.loads(path.read_text(encoding="utf-8"))
    for row in [d["summary"], *d["counties"].values(), *d["townships"].values()]:
        for k in list(row):
            if k not in (*SCOPE_FIELDS, "modes", "outlets", "targets"):
                del row[k]
    d["targets"] = _targets(d["targets"])
    for c in d["counties"].values():
        c["targets"] = _targets(c["targets"])
    return d


def differences(a: Any, b: Any, where: str = "", limit: int = 20) -> list[str]:
    """Where two figure trees differ (at most `limit` places)."""
    out: list[str] = []
    if isinstance(a, dict) and isinstance(b, dict):
        for k in sorted(set(a) | set(b), key=str):
            if k not in a or k not in b:
                out.append(f"{where}/{k}: only in {'kuaidi' if k in a else 'polars'}")
            else:
                out += differences(a[k], b[k], f"{where}/{k}", limit - len(out))
            if len(out) >= limit:
                break
    elif isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
        for i, (x, y) in enumerate(zip(a, b, strict=True)):
            out += differences(x, y, f"{where}[{i}]", limit - len(out))
    elif isinstance(a, float) and isinstance(b, float):
        if abs(a - b) > 1e-12:
            out.append(f"{where}: {a!r} != {b!r}")
    elif a != b:
        out.append(f"{where}: {a!r} != {b!r}")
    return out[:limit]
