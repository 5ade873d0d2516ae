"""What changed (本期变化) as people read it: the counts per county and the villages, as CSV, as rows for
the workbook and the page, and as JSON (`kuaidi.changes/1`)."""

from __future__ import annotations

import json

from kuaidi_cli.report.changes import KINDS, Changes
from kuaidi_cli.write.json_csv import changes_header, rows_csv
from kuaidi_cli.write.labels import t


def title(changes: Changes, lang: str) -> str:
    return t("changes", lang, since=changes.since.isoformat(), to=changes.to.isoformat())


def county_lines(changes: Changes, lang: str) -> list[str]:
    """A line for each county that sent nothing at one of the two dates: its villages are first sent (or
    not sent now), none of them a change of the others' kinds."""
    return [t(f"changes.{kind}", lang, county=county, since=changes.since.isoformat(),
              n=changes.counts(county)[kind], reached=changes.reached.get(county, 0))
            for county, kind in changes.counties.items()]


def count_headers(lang: str) -> list[str]:
    return [t("county", lang), *(t(f"change.{k}", lang) for k in KINDS)]


def count_rows(changes: Changes, lang: str, order: list[str] | None = None) -> list[list[object]]:
    """One row per county with a change, or that sent nothing at one of the two dates (in `order`, the
    scope's, where given), then the 合计 row: the sum of the rows above it."""
    counts = changes.by_county()
    rank = {c: i for i, c in enumerate(order or [])}
    names = sorted(counts, key=lambda c: (rank.get(c, len(rank)), c))
    rows: list[list[object]] = [[county, *(counts[county][k] for k in KINDS)] for county in names]
    total = changes.counts()
    return [*rows, [t("total_row", lang), *(total[k] for k in KINDS)]]


def village_headers(lang: str) -> list[str]:
    return [t("change", lang), t("county", lang), t("township", lang), t("village", lang),
            "区划代码" if lang != "en" else "Code"]


def village_rows(changes: Changes, lang: str) -> list[list[object]]:
    return [[t(f"change.{r.change}", lang), *(_text(v) for v in (r.county, r.township, r.village, r.code))]
            for r in changes.villages.itertuples(index=False)]


def _text(value: object) -> str:
    """A name or code as written; a village without one (a register without codes) an empty cell."""
    return "" if value is None or (isinstance(value, float) and value != value) else str(value)


def to_csv(changes: Changes, lang: str) -> bytes:
    """Every village that changed (UTF-8 with BOM)."""
    return rows_csv(changes_header(lang), village_rows(changes, lang))


def to_json(changes: Changes) -> str:
    return json.dumps(changes.to_json_dict(), ensure_ascii=False, indent=2, sort_keys=True) + "\n"
