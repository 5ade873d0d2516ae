"""The submission table (报送情况) as every output shows it: per county of the scope (or per township of a
county's report), the village register's row and, when an outlet register was given, the outlet
register's row, under one status that names what did not come (服务点未报送)."""

from __future__ import annotations

from pathlib import PurePath

from kuaidi_cli.report import Report
from kuaidi_cli.report.model import RegisterPart, Submission
from kuaidi_cli.report.submissions import NO_TOWNSHIP, UNASSIGNED
from kuaidi_cli.write.labels import t

_FIGURES = ("sub.files", "rows", "valid", "invalid", "errors", "sub.latest", "sub.status")
NUMBERS = ("rows", "valid", "invalid", "errors")  # the right-aligned columns

Group = list[list[object]]  # the rows of one county (or township): its village row, then its outlet row


def with_outlets(report: Report) -> bool:
    """Whether an outlet register was given (each row then has an outlet part)."""
    return any(s.outlets is not None for s in report.submissions)


def _one_county(report: Report, townships: bool) -> bool:
    """By township, of one county: the county column is left out (the title names the county)."""
    return townships and len({s.county for s in report.township_submissions}) == 1


def heads(report: Report, *, townships: bool = False) -> tuple[str, ...]:
    """The label keys of the columns: county and/or township, the register when there are two, then the
    figures and the status (always last)."""
    place = ("township",) if _one_county(report, townships) else ("county", "township") if townships else (
        "county",)
    return (*place, *(("sub.register",) if with_outlets(report) else ()), *_FIGURES)


def headers(report: Report, lang: str, *, townships: bool = False) -> list[str]:
    return [t(k, lang) for k in heads(report, townships=townships)]


def groups(report: Report, lang: str, *, townships: bool = False, names: bool = False) -> list[Group]:
    """Per county (or township): the columns of `heads` — county and/or township, [register], files, rows,
    valid, invalid, errors, the latest date, the status (the same on each row of the group, for a
    spreadsheet's filter). `names`: the files by name, without their folder."""
    both = with_outlets(report)
    one = _one_county(report, townships)
    out: list[Group] = []
    for s in report.township_submissions if townships else report.submissions:
        place: list[object] = [] if one else [t("sub.unassigned", lang) if s.county == UNASSIGNED
                                              else s.county]
        if townships:
            place.append(t("sub.no_township", lang) if s.township == NO_TOWNSHIP else s.township)
        status = _status(s, lang)
        village = RegisterPart(errors=s.errors, files=s.files, invalid=s.invalid, latest=s.latest,
                               rows=s.rows,
                               sent=s.submitted, valid=s.valid)
        parts = [("sub.villages", village), *((("sub.outlets", s.outlets),) if both and s.outlets else ())]
        # a county's park: no village row to miss
        if len(parts) > 1 and s.township == NO_TOWNSHIP and not s.rows:
            parts = parts[1:]
        out.append([[*place, *([t(key, lang)] if both else []), *_figures(part, names), status]
                    for key, part in parts])
    return out


def rows(report: Report, lang: str, *, townships: bool = False) -> list[list[object]]:
    """Every row of `groups`, one after the other."""
    return [row for group in groups(report, lang, townships=townships) for row in group]


def title(report: Report, lang: str, *, townships: bool = False) -> str:
    """报送情况, or 分乡镇报送情况 (of one county: 祥符区分乡镇报送情况)."""
    if not townships:
        return t("submissions", lang)
    one = report.township_submissions[0].county if _one_county(report, townships) else ""
    return (f"{one}{t('sub.by_township', lang)}" if lang != "en" or not one
            else f"{t('sub.by_township', lang)}: {one}")


def note(report: Report, lang: str) -> str | None:
    """Said once under the table: that no outlet register was given (its part is not in the rows)."""
    return t("sub.no_outlet_register", lang) if report.submissions and not with_outlets(report) else None


def is_sent(status: object, lang: str) -> bool:
    """Whether a status says nothing is missing (已报送, or — of a county's rows naming no township)."""
    return status in (t("sub.sent", lang), "—")


def _figures(p: RegisterPart, names: bool) -> list[object]:
    files = [PurePath(f).name for f in p.files] if names else p.files
    return ["\n".join(files) if files else "—", p.rows, p.valid, p.invalid, p.errors,
            p.latest.isoformat() if p.latest else "—"]


def _status(s: Submission, lang: str) -> str:
    """已报送 when every register given sent valid rows; — for the rows of a county naming no township;
    未报送 (no row) or 无有效行 (rows, none valid) when none did; else what did not come, by register
    (服务点未报送, 行政村无有效行); 未能归属 for rows of no county kuaidi can tell."""
    if s.county == UNASSIGNED:
        return t("sub.unassigned_status", lang)
    if s.township == NO_TOWNSHIP:  # a county's own rows (its park): no township to have sent anything
        return "—"
    village = "sent" if s.submitted else "no_valid" if s.rows else "unsent"
    if s.outlets is None:  # no outlet register given
        return t({"sent": "sub.sent", "no_valid": "sub.no_valid", "unsent": "unsubmitted"}[village], lang)
    outlet = "sent" if s.outlets.sent else "no_valid" if s.outlets.rows else "unsent"
    if village == outlet == "sent":
        return t("sub.sent", lang)
    if village != "sent" and outlet != "sent":
        return t("unsubmitted" if village == outlet == "unsent" else "sub.no_valid", lang)
    missing = ("sub.villages_" if village != "sent" else "sub.outlets_") + (
        "unsent" if "unsent" in (village, outlet) else "no_valid")
    return t(missing, lang)
