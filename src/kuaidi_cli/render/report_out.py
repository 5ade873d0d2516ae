"""The report as JSON (the `kuaidi.report/1` contract) and as CSV (the county table, with a BOM)."""

from __future__ import annotations

import csv
import io

from kuaidi_cli.render.labels import t
from kuaidi_cli.render.safety import csv_cell
from kuaidi_cli.report import Report, county_rows


def to_json(report: Report) -> str:
    """The contract as indented UTF-8 JSON, in the model's field order (pydantic's encoder, in Rust: a
    national report of 40 000 townships and 100 000 villages is written in a fraction of a second)."""
    return report.model_dump_json(indent=2, by_alias=True) + "\n"


def to_csv(report: Report, lang: str = "zh") -> bytes:
    """The county table with a 合计 row; UTF-8 with BOM so that Excel opens it; rates as fractions."""
    frame = county_rows(report, total=t("total_row", lang))
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow([t(c, lang) for c in frame.columns])
    for row in frame.itertuples(index=False):
        w.writerow(["" if v is None or v != v else (f"{v:.6f}" if isinstance(v, float) else csv_cell(v)) for v in row])
    return buf.getvalue().encode("utf-8-sig")
