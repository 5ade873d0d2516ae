"""The submission table (报送情况) as every output shows it: one row per county of the scope."""

from __future__ import annotations

from kuaidi_cli.report import Report
from kuaidi_cli.report.model import Submission
from kuaidi_cli.report.submissions import UNASSIGNED
from kuaidi_cli.write.labels import t

HEADS = ("county", "sub.files", "rows", "valid", "invalid", "errors", "sub.latest", "sub.status")


def headers(lang: str) -> list[str]:
    return [t(k, lang) for k in HEADS]


def rows(report: Report, lang: str) -> list[list[object]]:
    """county, files, rows, valid, invalid, errors, the latest date, 已报送 / 未报送."""
    sep = "\n"
    return [[t("sub.unassigned", lang) if s.county == UNASSIGNED else s.county, sep.join(s.files) if s.files else "—",
             s.rows, s.valid, s.invalid, s.errors, s.latest.isoformat() if s.latest else "—", _status(s, lang)]
            for s in report.submissions]


def _status(s: Submission, lang: str) -> str:
    """已报送; 未报送 (no row); 无有效行 (rows, none valid); 未能归属 (rows of no county kuaidi can tell)."""
    if s.county == UNASSIGNED:
        return t("sub.unassigned_status", lang)
    if s.submitted:
        return t("sub.sent", lang)
    return t("sub.no_valid", lang) if s.rows else t("unsubmitted", lang)
