"""Validate loaded registers into a frame of valid rows and a list of findings.

Every data row under a header ends in exactly one place:
- skipped: blank, a 合计/小计 row, a note row, or an exact repeat of an earlier row;
- invalid: an error finding in a cell that leaves no village (outlet) to count: a name, a code, a
  required cell, a repeat of a village (collector.FIGURE_CELLS says which cells are not such);
- uncertain: error findings only in cells that leave some figures undecided (a 是否通达 of 推进中, a bad
  date, a bad population): counted by the report, with those figures undecided (`Register.uncertain`,
  its unreadable cells in the column `_unreadable`);
- valid: a row of `Register.frame`.
So `rows = valid + uncertain + invalid + skipped` for each file, and the checks run column-wise over all rows
of all files at once; only the failing cells are visited one by one to write their findings.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd

from kuaidi_cli.check import units
from kuaidi_cli.check.blanks import empty_columns, undecided_priority
from kuaidi_cli.check.collector import FIGURE_CELLS, Collector, Rows
from kuaidi_cli.check.copies import copies
from kuaidi_cli.check.duplicates import duplicates, first_rows, repeats, typed_ids
from kuaidi_cli.check.register import Counts, FileResult, Register
from kuaidi_cli.check.rows import distincts, skip_masks, stack
from kuaidi_cli.check.scope import other_city, places_outside
from kuaidi_cli.core.fields import FIELDS, Field, Kind
from kuaidi_cli.core.findings import Finding, Severity, make
from kuaidi_cli.core.gazetteer import Gazetteer
from kuaidi_cli.core.normalise import row_ids
from kuaidi_cli.core.rules import Rules
from kuaidi_cli.read.table import RawTable


def validate(tables: list[RawTable], rules: Rules, gazetteer: Gazetteer | None = None,
             max_findings: int = 200_000) -> Register:
    """Check every row of the tables (all of one kind) and keep the valid ones; with a gazetteer, also
    check division names and codes against the official list."""
    kind = tables[0].kind if tables else Kind.VILLAGES
    fields = FIELDS[kind]
    raw, meta = stack(tables, kind)
    dist, per_table = distincts(tables, raw)
    budget = [max_findings, 0]
    c = Collector(meta, tables, budget)
    findings: list[Finding] = [f for t in tables for f in t.findings]

    # file-level problems: a required column absent, or nothing under the header
    lacking = pd.DataFrame(False, index=raw.index, columns=[f.name for f in fields])
    for t_index, table in enumerate(tables):
        if _no_data(table.cells):
            # an empty outlet register (a template's outlet sheet, no outlet yet) is a warning: the counts
            # have no data; an empty village register is an error (there is nothing to check)
            code = "empty-outlets" if kind is Kind.OUTLETS else "empty-register"
            findings.append(make(code, file=table.name, sheet=table.sheet, row=table.header_rows[-1]))
        for f in fields:
            if f.required and table.column_of(f.name) is None:
                accepted = "、".join(f.aliases[:4])
                findings.append(make("missing-column", file=table.name, sheet=table.sheet,
                                     row=table.header_rows[0],
                                     column=f.zh, field=f.name, detail_zh=accepted, detail_en=", ".join(
                                         f.aliases[:4])))
                lacking.loc[meta["_t"] == t_index, f.name] = True

    # rows that are not records: blank, totals, notes; then exact repeats of earlier rows
    blank, total, note, note_text = skip_masks(tables, per_table)
    if len(raw):
        blank.index = total.index = note.index = note_text.index = raw.index
    # a file sent twice: the rows of the copy that does not count are skipped, one finding names both
    copy_rows, copy_findings, left_out = copies(tables, dist, meta["_t"].to_numpy(), (
        blank | total | note).to_numpy(), kind)
    copy = pd.Series(copy_rows, index=raw.index)
    if left_out:
        blank, total, note = blank & ~copy, total & ~copy, note & ~copy
        findings = [f for f in findings if f.file not in left_out] + copy_findings
    c.add("total-row", total, None)
    c.add("note-row", note, None, note_text)
    skipped = blank | total | note | copy
    findings += [f for f in _only_totals_and_notes(tables, meta, skipped, kind, findings)
                 if f.file not in left_out]
    # an exact repeat: the same text (after NFKC and spaces) in every field
    fingerprint = row_ids([d.norm_codes() for d in dist.values()], len(raw))
    if left_out:  # a left-out copy's rows repeat no row and are repeated by none
        fingerprint[copy_rows] = int(fingerprint.max()) + 1 + np.arange(int(copy_rows.sum()))
    repeat = pd.Series(repeats(fingerprint), index=raw.index) & ~skipped
    dz, de = first_rows(meta, repeat, fingerprint)
    c.add("duplicate-row", repeat, None, None, *_compared(tables, fields, meta["_t"], dz, de))
    skipped |= repeat

    keep_rows = ~skipped.to_numpy()
    live = Rows(raw, raw.index[keep_rows])
    live_dist = {name: d.take(keep_rows) for name, d in dist.items()}
    sub = Collector(meta.loc[live.index], tables, budget, soft=FIGURE_CELLS[kind.value])
    out: dict[str, pd.Series] = {}
    lack = lacking.loc[live.index]
    checked: dict[str, units.Checked] = {}
    for f in fields:  # one unit per column, by the field's type (check.units)
        checked[f.name] = units.check_column(units.Column(field=f, collector=sub, raw=live,
                                                          distinct=live_dist[f.name],
                                                          rules=rules, lacking=lack[f.name]))
        out[f.name] = checked[f.name].values
    replaced = units.division_aliases(sub, live, live_dist, out, rules)
    not_village = pd.Series(False, index=live.index)
    outside = pd.Series(False, index=live.index)
    if kind is Kind.VILLAGES:
        contradiction = (out["in_village"] == True) & (out["reached"] == False)  # noqa: E712 (object dtype)
        sub.add("inconsistent-flags", contradiction, "reached", live["reached"])
        blank_columns = empty_columns(tables, meta.loc[live.index, "_t"].to_numpy(), live_dist, rules)
        findings += blank_columns.findings
        if gazetteer is not None:
            from kuaidi_cli.check.official import check_villages

            not_village, outside = check_villages(sub, live, out, gazetteer)
        else:
            from kuaidi_cli.check.prefixes import code_prefixes

            code_prefixes(sub, live, out)
            outside = other_city(out, rules)
        findings += places_outside(sub, live, out, outside, rules, tables)
    else:
        units.outlet_rules(sub, live, out)

    # a 居委会/社区 row is not an administrative village: skipped (with its warning), never invalid
    invalid = (sub.error | lack.any(axis=1)) & ~not_village
    # rows invalid only through cells that leave figures undecided: still villages (outlets) for the report
    uncertain = invalid & ~sub.other_error & ~lack.any(axis=1)
    if kind is Kind.VILLAGES:
        undecided_priority(sub, live, out, live_dist, rules, blank_columns.per_table,
                            meta.loc[live.index, "_t"].to_numpy(), counted=~invalid | uncertain)
    typed = pd.DataFrame(out, index=live.index)
    typed["_unreadable"] = _unreadable(sub, live, meta.loc[live.index, "_t"].to_numpy(), fields)
    typed = pd.concat([typed, meta.loc[live.index, ["_file", "_sheet", "_row"]]], axis=1)

    # the same village (or outlet) twice: the first valid row counts, the others are invalid
    # a column still as its per-distinct values (no alias replaced, no gazetteer correction) is grouped
    # by its distinct values; the others are factorised row by row
    changed = {"county", "township", "village",
               "code"} if gazetteer is not None and kind is Kind.VILLAGES else set()
    changed |= replaced
    ids: dict[str, np.ndarray[Any, Any]] = {}
    for name in ("code", "county", "township", "village", "outlet_id"):
        kept = checked[name].distinct_values if name in checked and name not in changed else None
        if kept is not None:
            ids[name] = typed_ids(live_dist[name], kept)
    # the uncertain rows take part: the same village twice is a duplicate, whichever row is uncertain
    dup = duplicates(sub, typed, (invalid & ~uncertain) | not_village, meta, kind, ids)
    invalid |= dup
    uncertain &= ~dup
    findings += _not_on_skipped_rows(c.findings + sub.findings, typed, not_village)
    findings.sort(key=_position_key(tables))
    if budget[1]:
        first = tables[0]
        findings.append(make("findings-truncated", file=first.name, sheet=first.sheet, value=budget[1],
                             detail_zh=str(max_findings), detail_en=str(max_findings)))

    keep = ~invalid & ~not_village
    frame = typed[keep].reset_index(drop=True)
    soft = typed[uncertain.to_numpy() & ~not_village.to_numpy()].reset_index(drop=True)
    valid_t = meta.loc[typed.index[keep.to_numpy()], "_t"]
    not_village_t = meta.loc[typed.index[not_village.to_numpy()], "_t"]
    files = _count(tables, meta, valid_t, blank, total, note, repeat | copy, invalid & ~uncertain, findings,
                   not_village_t, meta.loc[typed.index[(uncertain & ~not_village).to_numpy()], "_t"])
    # every row that names a village (valid or not), with where it is: the register's rows as sent
    named = ("county", "township", "village", "code", "_file", "_sheet", "_row")
    seen = typed.loc[~not_village, [c for c in named if c in typed]]
    named_rows = ~not_village.to_numpy()
    counted_at = _positions_in_seen(named_rows, keep.to_numpy(), uncertain.to_numpy() & named_rows)
    return Register(kind=kind, frame=frame, files=files, findings=findings, seen=seen.reset_index(drop=True),
                    uncertain=soft, counted_at=counted_at)


def _positions_in_seen(seen: np.ndarray, *parts: np.ndarray) -> np.ndarray:
    """The positions, among the rows of `seen` (a mask of the checked rows), of the rows of each mask of
    `parts` in turn. What must stay true: every part lies within `seen`, and the parts are stacked in the
    order Register.counted() stacks them (frame, then uncertain)."""
    position = np.cumsum(seen) - 1
    return np.concatenate([position[part] for part in parts]).astype(np.int64)


def _unreadable(sub: Collector, live: Rows, table_of: np.ndarray, fields: tuple[Field, ...]) -> np.ndarray:
    """For each row, its cells of figures that cannot be read, as (field, column label, cell text) in the
    order of the fields, or None: what the report says of an uncertain row (待整改村) and what decides
    which of its figures are undecided."""
    out = np.full(len(live.index), None, dtype=object)
    if not sub.bad:
        return out
    cells: dict[int, list[tuple[str, str, str]]] = {}
    for f in fields:
        hit = sub.bad.get(f.name)
        if hit is None:
            continue
        texts = live[f.name].reindex(live.index[hit]).tolist()
        for at, text in zip(np.flatnonzero(hit).tolist(), texts, strict=True):
            label = sub.labels[int(table_of[at])].get(f.name) or f.zh
            cells.setdefault(at, []).append((f.name, label, "" if text is None else str(text)))
    for at, found in cells.items():
        out[at] = tuple(found)
    return out


def _position_key(tables: list[RawTable]) -> Callable[[Finding], tuple[int, int, int, str]]:
    """Sort findings as a reader scans the files: file by file, row by row, column by column."""
    files = {t.name: i for i, t in reversed(list(enumerate(tables)))}
    # a workbook's sheets in order
    sheets = {(t.name, t.sheet): i for i, t in reversed(list(enumerate(tables)))}
    columns = {(t.name, c.label): c.position for t in tables for c in reversed(t.columns)}

    def key(f: Finding) -> tuple[int, int, int, str]:
        at = sheets.get((f.file, f.sheet), files.get(f.file, len(tables)))
        return (at, f.row or 0, columns.get((f.file, f.column or ""), -1), f.code)

    return key


def _count(tables: list[RawTable], meta: pd.DataFrame, valid_t: pd.Series, blank: pd.Series, total: pd.Series,
           note: pd.Series, repeat: pd.Series, invalid: pd.Series, findings: list[Finding],
           not_village_t: pd.Series, uncertain_t: pd.Series) -> list[FileResult]:
    results = []
    for t_index, table in enumerate(tables):
        mine = meta["_t"] == t_index
        inv = invalid.reindex(meta.index, fill_value=False)
        counts = Counts(
            rows=len(table.cells),
            blank=int((blank & mine).sum()),
            total=int((total & mine).sum()),
            note=int((note & mine).sum()),
            duplicate=int((repeat & mine).sum()),
            invalid=int((inv & mine).sum()),
            valid=int((valid_t == t_index).sum()),
            uncertain=int((uncertain_t == t_index).sum()),
            not_village=int((not_village_t == t_index).sum()),
        )
        own = [f for f in findings if f.file == table.name and f.sheet == table.sheet]
        results.append(FileResult(
            table=table, counts=counts,
            errors=sum(f.severity is Severity.ERROR for f in own),
            warnings=sum(f.severity is Severity.WARNING for f in own),
        ))
    return results


def _only_totals_and_notes(tables: list[RawTable], meta: pd.DataFrame, skipped: pd.Series, kind: Kind,
                           found: list[Finding]) -> list[Finding]:
    """A table whose rows are all totals, notes or blank (a 合计 row under the header, a template's 填表说明)
    has no data either: empty-register (empty-outlets), as a header alone has — never a pass of 0 rows."""
    said = {(f.file, f.sheet) for f in found if f.code in ("empty-register", "empty-outlets")}
    which = meta["_t"].to_numpy()  # each row's table: rows and rows kept, per table, in one pass each
    rows = np.bincount(which, minlength=len(tables))
    kept = np.bincount(which, weights=~skipped.to_numpy(dtype=bool), minlength=len(tables))
    out = []
    for t_index, table in enumerate(tables):
        if rows[t_index] and not kept[t_index] and (table.name, table.sheet) not in said:
            code = "empty-outlets" if kind is Kind.OUTLETS else "empty-register"
            out.append(make(code, file=table.name, sheet=table.sheet, row=table.header_rows[-1],
                            detail_zh="（只有合计、说明或空行）",
                            detail_en=" (only total, note or blank rows)"))
    return out


def _no_data(cells: pd.DataFrame) -> bool:
    """Nothing under the header: no row, or rows of empty cells only (a template's blank lines). The
    whole table is looked at only when its first row is empty."""
    if cells.empty:
        return True
    first = cells.iloc[:1].astype(str).apply(lambda c: c.str.strip())
    if not (first == "").all(axis=None):
        return False
    return bool((cells.astype(str).apply(lambda c: c.str.strip()) == "").all(axis=None))


def _not_on_skipped_rows(found: list[Finding], typed: pd.DataFrame, not_village: pd.Series) -> list[Finding]:
    """The findings of the rows' cells, less those on a row kuaidi skips as no village (a 居委会 with a
    bad 人口 is neither an error to fix nor counted): its not-a-village warning alone stays."""
    if not not_village.any():
        return found
    skipped = set(zip(typed.loc[not_village, "_file"].astype(str), typed.loc[not_village, "_sheet"],
                      typed.loc[not_village, "_row"].astype(int), strict=True))
    return [
        f
        for f in found
        if f.code == "not-a-village" or f.row is None or (f.file, f.sheet, f.row) not in skipped
    ]


def _compared(tables: list[RawTable], fields: tuple[Field, ...], table_of: pd.Series, zh: pd.Series,
              en: pd.Series) -> tuple[pd.Series, pd.Series]:
    """How a repeated row's message names its first row and what was compared, in the repeated row's own file
    (`table_of`: each row's table): the number of its columns kuaidi reads, and its columns kuaidi does not
    read (a 备注 in which the two rows may differ)."""
    said_zh, said_en = [], []
    for t in tables:
        read = sum(t.column_of(f.name) is not None for f in fields)
        other = list(dict.fromkeys(c.label for c in t.columns if c.field is None and c.label.strip()))
        shown = "、".join(other[:5]) + ("等" if len(other) > 5 else "")
        shown_en = ", ".join(other[:5]) + (", …" if len(other) > 5 else "")
        said_zh.append(f"在 kuaidi 读取的{read}列上" + (f"（未比较：{shown}）" if other else ""))
        said_en.append(
            f" in the {read} columns kuaidi reads" + (f" (not compared: {shown_en})" if other else "")
        )
    which = table_of.reindex(zh.index).to_numpy()
    return (zh + pd.Series([said_zh[i] for i in which], index=zh.index, dtype=object),
            en + pd.Series([said_en[i] for i in which], index=en.index, dtype=object))
