"""The report as JSON (the `kuaidi.report/1` contract) and as CSV (the county table, with a BOM), and
the two long lists as CSV (every village needing attention, every data finding): the workbook caps
its detail sheets, these files never do."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence

from kuaidi_cli.core.findings import Finding
from kuaidi_cli.core.rules import Rules
from kuaidi_cli.report import Report
from kuaidi_cli.report.columns import scope_columns, values
from kuaidi_cli.write.labels import t
from kuaidi_cli.write.safety import csv_cell
from kuaidi_cli.write.scope import county_rows, township_rows
from kuaidi_cli.write.text import pct, rate_marks


def to_json(report: Report) -> str:
    """The contract as indented UTF-8 JSON with sorted keys (docs/EXPORTS.md: stable, sorted), written by
    pydantic-core straight from the model: the models declare their fields in sorted order and the
    mode counts are built sorted (json.dumps with an indent runs in Python and took seconds for a
    national report of 40 000 townships and 100 000 villages)."""
    return report.model_dump_json(indent=2, by_alias=True) + "\n"


def csv_headers() -> dict[str, bool]:
    """The header rows of the CSV files kuaidi writes, in each language (how `report -o` and `export` know
    their own CSV again), each with whether its table ends with a 合计 row: the county table (with and
    without its optional columns) does; the two long lists do not."""
    heads: dict[str, bool] = {}
    for lang in ("zh", "en"):
        for every in (False, True):
            for first in ([t("county", lang)], [t("county", lang), t("township", lang)]):
                heads[",".join([*first, *(t(c.key, lang) for c in scope_columns(every=every))])] = True
        heads[",".join(_attention_header(lang))] = False
        heads[",".join(_attention_header(lang)[:7])] = False  # (as kuaidi wrote it before the file and row)
        heads[",".join(_findings_header(lang))] = False
        heads[",".join(changes_header(lang))] = False
    return heads


def to_csv(report: Report, lang: str = "zh") -> bytes:
    """The county table with a 合计 row — for a county's (or a township's) report, its townships; UTF-8
    with BOM so that Excel opens it; rates as the other outputs show them (`83.6%`, which a spreadsheet
    opens as the number 0.836 formatted as a percentage; the counts beside each rate give it exactly, and
    the JSON carries the fractions). A county or township that sent nothing is named so (未报送), its
    figures empty, not zeros."""
    columns = scope_columns(report)
    marks = rate_marks(report.targets)
    rows: list[tuple[tuple[str, ...], list[int | float | None]]]
    if report.scope.level == "city":
        names = [t("county", lang)]
        rows = [(tuple(first), values(s, columns)) for first, s in county_rows(report, lang)]
        rows.append(((t("total_row", lang),), values(report.summary, columns)))
    else:
        names = [t("county", lang), t("township", lang)]
        rows = [(tuple(first), values(s, columns)) for first, s in township_rows(report, lang)]
        rows.append(((t("total_row", lang), ""), values(report.summary, columns)))
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    if report.samples:
        w.writerow([samples_line(lang)])
    w.writerow([*names, *(t(c.key, lang) for c in columns)])
    for first, cells in rows:
        w.writerow([*(csv_cell(x) for x in first), *("" if v is None else pct(v, marks) if c.rate else str(v)
                                                    for c, v in zip(columns, cells, strict=True))])
    return buf.getvalue().encode("utf-8-sig")


def samples_line(lang: str) -> str:
    """The first line of a CSV made from the bundled samples: its figures are synthetic (write.marks knows
    the CSV under it)."""
    return t("samples_mark", lang).strip() + t("footer.samples", lang)


def _csv(header: list[str], rows: Iterable[Sequence[object]], *, samples: str | None = None) -> bytes:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    if samples is not None:
        w.writerow([samples_line(samples)])
    w.writerow(header)
    for row in rows:
        w.writerow(["" if v is None else csv_cell(v) for v in row])
    return buf.getvalue().encode("utf-8-sig")


def _attention_header(lang: str) -> list[str]:
    return [t("county", lang), t("township", lang), t("village", lang), "区划代码" if lang != "en"
            else "Code",
            t("reasons", lang), t("in_village", lang), t("reached", lang), t("file", lang), t("row_no", lang)]


def changes_header(lang: str) -> list[str]:
    return [t("change", lang), t("county", lang), t("township", lang), t("village", lang),
            "区划代码" if lang != "en" else "Code"]


def rows_csv(header: list[str], rows: Iterable[Sequence[object]]) -> bytes:
    """Rows under a header as CSV: UTF-8 with BOM, cells neutralised."""
    return _csv(header, rows)


def _findings_header(lang: str) -> list[str]:
    return (["File", "Sheet", "Row", "Column", "Value", "Code", "Severity", "Message"] if lang == "en" else
            ["文件", "工作表", "行号", "列", "值", "代码", "级别", "说明"])


def attention_csv(report: Report, rules: Rules, lang: str = "zh") -> bytes:
    """Every village needing attention (the 待整改村 sheet, uncapped)."""
    from kuaidi_cli.write.text import attention_cells, reason_text

    why = reason_text(rules, lang)
    return _csv(_attention_header(lang), samples=lang if report.samples else None,
                rows=(attention_cells(a, why, lang) for a in report.attention))


def findings_csv(findings: list[Finding], lang: str = "zh", *, samples: bool = False) -> bytes:
    """Every data finding (the 数据问题 sheet, uncapped); `samples`: of the bundled samples, so marked."""
    return _csv(
        _findings_header(lang),
        samples=lang if samples else None,
        rows=(
            (f.file, f.sheet, f.row, f.column, f.value, f.code, t(str(f.severity), lang), f.message(lang))
            for f in findings
        ),
    )
