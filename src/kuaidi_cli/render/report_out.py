"""The report as JSON (the `kuaidi.report/1` contract) and as CSV (the county table, with a BOM), and
the two long lists as CSV (every village needing attention, every data finding): the workbook caps
its detail sheets, these files never do."""

from __future__ import annotations

import csv
import io

from kuaidi_cli.findings import Finding
from kuaidi_cli.render.labels import t
from kuaidi_cli.render.scope import scope_name_cell
from kuaidi_cli.render.safety import csv_cell
from kuaidi_cli.report import Report, county_rows
from kuaidi_cli.rules import Rules


def to_json(report: Report) -> str:
    """The contract as indented UTF-8 JSON with sorted keys (SPEC: stable, sorted), written by
    pydantic-core straight from the model: the models declare their fields in sorted order and the
    mode counts are built sorted (json.dumps with an indent runs in Python and took seconds for a
    national report of 40 000 townships and 100 000 villages)."""
    return report.model_dump_json(indent=2, by_alias=True) + "\n"


def csv_headers() -> tuple[str, ...]:
    """The header rows of the county CSV in each language (how `report -o` knows its own CSV again)."""
    return tuple(",".join(t(c, lang) for c in county_rows_columns()) for lang in ("zh", "en"))


def county_rows_columns() -> list[str]:
    return ["county", "villages", "reached", "reach_rate", "priority_villages", "priority_in_village",
            "priority_in_village_rate", "in_village", "in_village_rate", "parks", "township_stations",
            "village_points"]


def to_csv(report: Report, lang: str = "zh") -> bytes:
    """The county table with a 合计 row; UTF-8 with BOM so that Excel opens it; rates as fractions. A
    county that sent nothing is named so (未报送), its figures empty, not zeros."""
    frame = county_rows(report, total=t("total_row", lang))
    assert list(frame.columns) == county_rows_columns()
    names = [scope_name_cell(c.county, c.submitted, lang) for c in report.counties] + [t("total_row", lang)]
    empty = [not c.villages for c in report.counties] + [not report.summary.villages]
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow([t(c, lang) for c in frame.columns])
    for name, blank, row in zip(names, empty, frame.itertuples(index=False), strict=True):
        cells = ["" if blank or v is None or v != v else (f"{v:.6f}" if isinstance(v, float) else csv_cell(v))
                 for v in row[1:]]
        w.writerow([csv_cell(name), *cells])
    return buf.getvalue().encode("utf-8-sig")


def _csv(header: list[str], rows) -> bytes:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(header)
    for row in rows:
        w.writerow(["" if v is None else csv_cell(v) for v in row])
    return buf.getvalue().encode("utf-8-sig")


def attention_csv(report: Report, rules: Rules, lang: str = "zh") -> bytes:
    """Every village needing attention (the 待整改村 sheet, uncapped)."""
    from kuaidi_cli.render.report_table import reason_text

    why = reason_text(rules, lang)
    yes, no = ("是", "否") if lang != "en" else ("yes", "no")
    header = [t("county", lang), t("township", lang), t("village", lang), "区划代码" if lang != "en" else "Code",
              t("reasons", lang), t("in_village", lang), t("reached", lang)]
    return _csv(header, ((a.county, a.township, a.village, a.code, why(a), yes if a.in_village else no,
                          yes if a.reached else no) for a in report.attention))


def findings_csv(findings: list[Finding], lang: str = "zh") -> bytes:
    """Every data finding (the 数据问题 sheet, uncapped)."""
    header = (["File", "Sheet", "Row", "Column", "Value", "Code", "Severity", "Message"] if lang == "en" else
              ["文件", "工作表", "行号", "列", "值", "代码", "级别", "说明"])
    return _csv(header, ((f.file, f.sheet, f.row, f.column, f.value, f.code, t(str(f.severity), lang), f.message(lang))
                         for f in findings))
