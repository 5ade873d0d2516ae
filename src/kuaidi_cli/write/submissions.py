"""The submission table (报送情况) as every output shows it: one row per county of the scope."""

from __future__ import annotations

from kuaidi_cli.report import Report
from kuaidi_cli.write.labels import t

HEADS = ("county", "sub.files", "rows", "valid", "invalid", "errors", "sub.latest", "sub.status")


def headers(lang: str) -> list[str]:
    return [t(k, lang) for k in HEADS]


def rows(report: Report, lang: str) -> list[list[object]]:
    """county, files, rows, valid, invalid, errors, the latest date, 已报送 / 未报送."""
    sep = "\n"
    return [[s.county, sep.join(s.files) if s.files else "—", s.rows, s.valid, s.invalid, s.errors,
             s.latest.isoformat() if s.latest else "—", t("sub.sent" if s.submitted else "unsubmitted", lang)]
            for s in report.submissions]
