"""Findings as a pandas DataFrame (the API's `CheckResult.findings_frame()`), one row per finding."""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from kuaidi_cli.core.findings import Finding

FINDING_COLUMNS = ("file", "sheet", "row", "column", "field", "value", "code", "severity", "message")


def findings_frame(findings: Iterable[Finding], lang: str = "zh") -> pd.DataFrame:
    """file, sheet, row (as the spreadsheet shows it; empty for a finding about a file), column (the header as
    written), field (kuaidi's name of it), value, code (docs/FINDINGS.md), severity (error, warning, info),
    message in `lang` (zh or en)."""
    rows = [(f.file, f.sheet, f.row, f.column, f.field, f.value, f.code, str(f.severity), f.message(lang))
            for f in findings]
    frame = pd.DataFrame(rows, columns=list(FINDING_COLUMNS), dtype=object)
    # the nullable dtypes of the report's frames (docs/API.md): text as `string`, a missing one <NA>
    return frame.astype({c: "Int64" if c == "row" else "string" for c in FINDING_COLUMNS})
