"""Validate loaded registers into a frame of valid rows and a list of findings.

Every data row under a header ends in exactly one place:
- skipped: blank, a 合计/小计 row, a note row, or an exact repeat of an earlier row;
- invalid: at least one error finding;
- valid: a row of `Register.frame`.
So `rows = valid + invalid + skipped` for each file, and the checks run column-wise over all rows
of all files at once; only the failing cells are visited one by one to write their findings.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from kuaidi_cli import normalise
from kuaidi_cli.fields import FIELDS, Kind, header_key
from kuaidi_cli.findings import CATALOGUE, Finding, Severity, make, row_ref
from kuaidi_cli.gazetteer import Gazetteer
from kuaidi_cli.loading import RawTable
from kuaidi_cli.normalise import Distinct, first_of, group_ids, row_ids
from kuaidi_cli.rules import Rules

# The numbers the priority rules read. A village row whose only errors are in these is still a village
# the report counts (Register.uncertain): its reach is known, its priority undecided (priority-unknown).
RULE_NUMBERS = frozenset({"population", "distance_km"})

MAX_POPULATION = 100_000
MAX_DISTANCE_KM = 200.0
MAX_NAME_CHARS = 100  # a name or id longer than this is not a name
DATE_MIN, DATE_MAX = pd.Timestamp("2000-01-01"), pd.Timestamp("2049-12-31")

_TOTAL = re.compile(r"^.{0,10}(合计|总计|小计|共计)$|^(合计|总计|小计|共计)\b.*$|^total$", re.IGNORECASE)
_SERIAL_NO = re.compile(r"^\d{1,6}$")
# A row holding one cell of text that starts like a note under a table: 注：…, 填表人：…, 联系电话：…
_NOTE = re.compile(r"^(注|说明|备注|填表|制表|审核|负责人|联系人|联系电话|数据来源|资料来源|单位|数据截至)")


@dataclass
class Counts:
    rows: int = 0
    valid: int = 0
    invalid: int = 0
    blank: int = 0
    total: int = 0
    note: int = 0
    duplicate: int = 0
    not_village: int = 0  # a 居委会/社区 row: reported, left out of the villages

    @property
    def skipped(self) -> int:
        return self.blank + self.total + self.note + self.duplicate + self.not_village


@dataclass
class FileResult:
    table: RawTable
    counts: Counts
    errors: int = 0
    warnings: int = 0


@dataclass
class Register:
    """The valid rows of one or more register files of one kind, and what was found on the way."""

    kind: Kind
    frame: pd.DataFrame  # typed canonical columns + _file, _sheet, _row
    files: list[FileResult]
    findings: list[Finding] = field(default_factory=list)
    # every row that names a village, valid or not (skipped rows left out): what the register mentions
    seen: pd.DataFrame | None = None
    # invalid village rows whose only errors are in 人口 or 距离 (the value left blank): check counts them
    # invalid (they must be fixed), the report counts them as villages whose priority may be undecided
    uncertain: pd.DataFrame | None = None

    def counted(self) -> pd.DataFrame:
        """The rows a report counts: the valid rows, and the uncertain ones after them."""
        if self.uncertain is None or not len(self.uncertain):
            return self.frame
        return pd.concat([self.frame, self.uncertain], ignore_index=True)

    @property
    def errors(self) -> int:
        return sum(1 for f in self.findings if f.severity is Severity.ERROR)

    def records(self) -> list:
        """The valid rows as pydantic models (VillageRow or OutletRow); for small registers and tests."""
        from kuaidi_cli.schema import OutletRow, VillageRow

        model = VillageRow if self.kind is Kind.VILLAGES else OutletRow
        names = [f.name for f in FIELDS[self.kind]]
        out = []
        for rec in self.frame[names].to_dict("records"):
            clean = {k: _plain(v) for k, v in rec.items()}
            out.append(model.model_validate({k: v for k, v in clean.items() if v is not None}))
        return out


def _plain(v: object) -> object:
    """A frame cell as a plain Python value: NaN/NaT/None → None, Timestamp → date, whole float stays float."""
    if isinstance(v, list):
        return v
    if v is None or (not isinstance(v, str) and pd.isna(v)):
        return None
    if isinstance(v, pd.Timestamp):
        return v.date()
    if isinstance(v, np.generic):
        return v.item()
    return v


class Collector:
    """Writes findings for the rows of a mask, naming each cell by its file, sheet, row and header."""

    def __init__(self, meta: pd.DataFrame, tables: list[RawTable], budget: list[int] | None = None) -> None:
        self.meta = meta
        self.tables = tables
        self.labels = [{c.field: c.label for c in t.columns if c.field} for t in tables]
        self.findings: list[Finding] = []
        self._error = np.zeros(len(meta), dtype=bool)
        self._other_error = np.zeros(len(meta), dtype=bool)  # an error in a field that is not a number of the rules
        # [findings that may still be kept, findings dropped]: shared by the collectors of one validation
        self.budget = budget if budget is not None else [1 << 62, 0]

    @property
    def error(self) -> pd.Series:
        """Rows with an error finding."""
        return pd.Series(self._error, index=self.meta.index)

    @property
    def other_error(self) -> pd.Series:
        """Rows with an error finding in a field other than the rules' numbers (人口, 距离)."""
        return pd.Series(self._other_error, index=self.meta.index)

    def add(self, code: str, mask: pd.Series, field_name: str | None, raw: pd.Series | None = None,
            detail_zh: str | pd.Series = "", detail_en: str | pd.Series | None = None) -> None:
        if mask.index is not self.meta.index and not mask.index.equals(self.meta.index):
            mask = mask.reindex(self.meta.index, fill_value=False)  # a mask over some of the rows (stays bool)
        hit = mask.to_numpy(dtype=bool, na_value=False)
        if not hit.any():
            return
        if CATALOGUE[code][0] is Severity.ERROR:
            self._error |= hit
            if field_name not in RULE_NUMBERS:
                self._other_error |= hit
        rows = self.meta.index[hit]
        keep = min(len(rows), self.budget[0])
        self.budget[0] -= keep
        self.budget[1] += len(rows) - keep
        rows = rows[:keep]
        # the values of the kept rows, looked up once per column (not once per finding)
        tables = self.meta["_t"].reindex(rows).tolist()
        numbers = self.meta["_row"].reindex(rows).tolist()
        values = raw.reindex(rows).tolist() if raw is not None else [None] * len(rows)
        zh = detail_zh.reindex(rows).tolist() if isinstance(detail_zh, pd.Series) else [detail_zh] * len(rows)
        en = detail_en.reindex(rows).tolist() if isinstance(detail_en, pd.Series) else [detail_en] * len(rows)
        for t, row, value, dz, de in zip(tables, numbers, values, zh, en, strict=True):
            t = int(t)
            self.findings.append(make(
                code, file=self.tables[t].name, sheet=self.tables[t].sheet, row=int(row),
                column=self.labels[t].get(field_name) if field_name else None, field=field_name,
                value=value, detail_zh=dz, detail_en=de,
            ))


class _Rows:
    """Some rows of the raw frame, without copying it: their index, and the whole columns (a finding
    looks a value up by its row label)."""

    def __init__(self, frame: pd.DataFrame, index: pd.Index) -> None:
        self.frame = frame
        self.index = index

    def __getitem__(self, name: str) -> pd.Series:
        return self.frame[name]


def _stack(tables: list[RawTable], kind: Kind) -> tuple[pd.DataFrame, pd.DataFrame]:
    """All rows of all tables as one frame of raw text per canonical field, and their positions."""
    names = [f.name for f in FIELDS[kind]]
    parts, metas = [], []
    for t_index, table in enumerate(tables):
        n = len(table.cells)
        cols = {}
        for name in names:
            col = table.column_of(name)
            cols[name] = (table.cells[col.position].reset_index(drop=True) if col
                          else pd.Series(np.full(n, "", dtype=object), dtype=object))
        parts.append(pd.DataFrame(cols, index=range(n)))
        # a table's file name once (categorical), not a text per row
        one = np.zeros(n, dtype=np.int8)
        metas.append(pd.DataFrame({"_t": np.full(n, t_index), "_row": np.asarray(table.row_numbers, dtype=np.int64),
                                   "_file": pd.Categorical.from_codes(one, [table.name]),
                                   "_sheet": np.full(n, table.sheet, dtype=object)},
                                  index=range(n)))
    raw = pd.concat(parts, ignore_index=True) if len(parts) > 1 else parts[0] if parts else pd.DataFrame(columns=names)
    meta = (pd.concat(metas, ignore_index=True) if len(metas) > 1 else metas[0] if metas
            else pd.DataFrame(columns=["_t", "_row", "_file", "_sheet"]))
    return raw, meta


def _distincts(tables: list[RawTable], raw: pd.DataFrame) -> tuple[dict[str, Distinct], list[dict[int, Distinct]]]:
    """Each field's column of all tables, and each column of each table, as a Distinct: every column is
    factorised once, and a table's mapped column shares its field's (one table: the same object)."""
    fields = dict(zip(raw.columns, _factorised([raw[name] for name in raw.columns]), strict=True))
    per_table: list[dict[int, Distinct]] = []
    for table in tables:
        own = {}
        for c in table.columns:
            if c.position not in table.cells.columns:
                continue
            if c.field in fields and len(tables) == 1:
                own[c.position] = fields[c.field]
            else:
                own[c.position] = Distinct(table.cells[c.position])
        per_table.append(own)
    return fields, per_table


def _factorised(columns: list[pd.Series]) -> list[Distinct]:
    """The columns as Distincts; a large register's on two threads (pyarrow hashes a text column
    without holding the GIL: the 12 columns of 600 000 outlets in ~0.35 s instead of ~0.55 s)."""
    if sum(map(len, columns)) < 1_000_000:
        return [Distinct(c) for c in columns]
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=2, thread_name_prefix="kuaidi-factorise") as pool:
        return list(pool.map(Distinct, columns))


def _totals(texts: np.ndarray) -> np.ndarray:
    """Which distinct texts (in normal form) read as a 合计/小计 row label; a column without any of the
    words (one search over all its texts) has none."""
    joined = "\x00".join(texts)
    if not any(w in joined for w in ("合计", "总计", "小计", "共计")) and "total" not in joined.lower():
        return np.zeros(len(texts), dtype=bool)
    return pd.Series(texts, dtype=object).str.fullmatch(_TOTAL).to_numpy(dtype=bool)


def _skip_masks(tables: list[RawTable], columns: list[dict[int, Distinct]]) -> tuple[pd.Series, pd.Series, pd.Series, pd.Series]:
    """Blank, total and note rows, over all columns of each table (序号 and 备注 included).

    Each test runs once per distinct text of a column; the rows combine the columns' answers."""
    blanks, totals, notes, note_text = [], [], [], []
    for table, dist in zip(tables, columns, strict=True):
        n = len(table.cells)
        if table.cells.empty:
            continue
        positions = list(dist)
        mapped = {c.position for c in table.columns if c.field}

        def spread(d: Distinct, key: str, fn) -> np.ndarray:
            return d.per_value(key, fn)[d.codes]

        empty = np.column_stack([dist[p].empty[dist[p].codes] for p in positions])
        is_total = np.column_stack([spread(dist[p], "total", lambda _u, d=dist[p]: _totals(d.text)) for p in positions])
        serial = np.column_stack([
            spread(dist[p], "serial", lambda u: normalise.text(u).str.fullmatch(_SERIAL_NO).to_numpy(dtype=bool))
            if p not in mapped else np.zeros(n, dtype=bool) for p in positions])
        in_mapped = np.array([p in mapped for p in positions])
        mapped_empty = empty[:, in_mapped].all(axis=1) if in_mapped.any() else np.ones(n, dtype=bool)
        # a 序号 left behind on an otherwise empty row is still a blank row
        other_blank = ((empty | serial)[:, ~in_mapped].all(axis=1) if (~in_mapped).any() else np.ones(n, dtype=bool))
        total = is_total.any(axis=1)
        blank = mapped_empty & other_blank & ~total
        filled = ~empty
        lone = filled.sum(axis=1) == 1
        pick = filled.argmax(axis=1)
        # the first filled cell of a lone-cell row, tested for a note's opening words
        note_open = np.zeros(n, dtype=bool)
        for j, p in enumerate(positions):
            here = lone & (pick == j)
            if here.any():
                starts = spread(dist[p], "note", lambda u: normalise.text(u).str.match(_NOTE).to_numpy(dtype=bool))
                note_open |= here & starts
        note = ((mapped_empty & ~other_blank) | note_open) & ~total & ~blank
        first_text = np.full(n, "", dtype=object)
        for j, p in enumerate(positions):
            here = note & filled[:, j] & (pick == j)
            if here.any():
                first_text[here] = [v.strip() for v in dist[p].uniques[dist[p].codes[here]]]
        blanks.append(pd.Series(blank))
        totals.append(pd.Series(total))
        notes.append(pd.Series(note))
        note_text.append(pd.Series(first_text, dtype=object))
    if not blanks:
        e = pd.Series(dtype=bool)
        return e, e, e, pd.Series(dtype=str)

    def cat(xs: list[pd.Series]) -> pd.Series:
        return pd.concat(xs, ignore_index=True)

    return cat(blanks), cat(totals), cat(notes), cat(note_text)


def _rows(d: Distinct, index: pd.Index, key: str, fn, part: int | None = None) -> pd.Series:
    """fn over the distinct texts of a column (once), as a Series over the rows of `index`."""
    result = d.per_value(key, fn)
    if part is not None:
        result = result[part]
    return d.spread(result, index)


def _check_text(c: Collector, raw: pd.DataFrame, d: Distinct, out: dict, name: str, required: bool,
                lacking: pd.DataFrame, free: bool) -> None:
    # per distinct text: its normal form, whether it is too long, and the value kept (also what the
    # duplicate tests group by: _typed_ids)
    form = d.free_text if free else d.text
    long_u = np.fromiter(map(len, form), dtype=np.int64, count=len(form)) > MAX_NAME_CHARS
    typed = d.per_value("typed", lambda u: np.where(d.empty | long_u, None, form))
    empty = pd.Series(d.empty[d.codes], index=raw.index)
    if required:
        c.add("missing-value", empty & ~lacking[name], name)
    long = pd.Series(long_u[d.codes], index=raw.index)
    c.add("absurd-value", long, name, raw[name], f"长于 {MAX_NAME_CHARS} 个字", f"longer than {MAX_NAME_CHARS} characters")
    out[name] = d.spread(typed, raw.index)


def _check_number(c: Collector, raw: pd.DataFrame, d: Distinct, out: dict, name: str, unit: str, maximum: float,
                  integer: bool) -> None:
    values = _rows(d, raw.index, f"number:{unit}", lambda u: normalise.number(u, unit), 0)
    bad = _rows(d, raw.index, f"number:{unit}", lambda u: normalise.number(u, unit), 1)
    c.add("bad-number", bad, name, raw[name])
    if integer:
        frac = values.notna() & (values != np.floor(values))
        c.add("bad-number", frac, name, raw[name], "（应为整数）", " (it must be a whole number)")
        values = values.where(~frac)
    neg = values < 0
    c.add("negative-value", neg, name, raw[name])
    big = values > maximum
    c.add("absurd-value", big, name, raw[name], f"不应超过 {maximum:g}", f"at most {maximum:g}")
    out[name] = values.where(~neg & ~big)


def _check_date(c: Collector, raw: pd.DataFrame, d: Distinct, out: dict, name: str) -> None:
    values = _rows(d, raw.index, "date", normalise.date, 0)
    bad = _rows(d, raw.index, "date", normalise.date, 1)
    c.add("bad-date", bad, name, raw[name])
    odd = values.notna() & ((values < DATE_MIN) | (values > DATE_MAX))
    c.add("absurd-value", odd, name, raw[name], "日期应在 2000—2049 年之间", "dates must lie in 2000–2049")
    out[name] = values.where(~odd)


def _check_yes_no(c: Collector, raw: pd.DataFrame, d: Distinct, out: dict, name: str) -> None:
    values = _rows(d, raw.index, "yes_no", normalise.yes_no, 0)
    bad = _rows(d, raw.index, "yes_no", normalise.yes_no, 1)
    c.add("bad-yes-no", bad, name, raw[name])
    out[name] = values


def _scientific(values: pd.Series, bad: pd.Series) -> np.ndarray:
    """Which of the bad codes look like a number Excel wrote in scientific notation (4.10212E+11)."""
    out = np.zeros(len(values), dtype=bool)
    mask = bad.to_numpy(dtype=bool)
    if mask.any():
        out[mask] = normalise.text(values[mask]).str.contains(r"[eE]\+", regex=True).to_numpy(dtype=bool)
    return out


def _check_code(c: Collector, raw: pd.DataFrame, d: Distinct, out: dict, name: str) -> None:
    # from the column's normal forms and placeholders, worked out once for the blank-row test already
    parse = lambda u: normalise.code_of_text(pd.Series(d.text, index=u.index, dtype=object), d.empty)  # noqa: E731
    values = _rows(d, raw.index, "code", parse, 0)
    bad = _rows(d, raw.index, "code", parse, 1)
    sci = bad & _rows(d, raw.index, "sci", lambda u: _scientific(u, d.per_value("code", parse)[1]))
    c.add("bad-code", bad & ~sci, name, raw[name])
    c.add("bad-code", sci, name, raw[name], "（被 Excel 显示成了科学计数法，请把该列设为文本后重新填写）",
          " (Excel turned it into scientific notation; format the column as text and enter it again)")
    out[name] = values
    d.per_value("typed", lambda u: d.per_value("code", parse)[0].to_numpy(dtype=object))


def _check_enum(c: Collector, raw: pd.DataFrame, d: Distinct, out: dict, name: str, lookup: dict[str, str],
                code: str, choices: str, required: bool, lacking: pd.Series) -> None:
    values = _rows(d, raw.index, f"enum:{code}", lambda u: u.map(lambda v: lookup.get(header_key(v))).astype(object))
    empty = pd.Series(d.empty[d.codes], index=raw.index)
    c.add(code, ~empty & values.isna(), name, raw[name], choices, choices)
    if required:
        c.add("missing-value", empty & ~lacking[name], name)
    out[name] = values.where(values.notna(), None)


def _divisions(c: Collector, raw: pd.DataFrame, dists: dict[str, Distinct], out: dict, rules: Rules) -> set[str]:
    """Old or short division names replaced by the rules' aliases (looked up once per distinct name);
    returns the fields where a name was replaced."""
    replaced = set()
    for name, aliases in (("county", rules.aliases.counties), ("township", rules.aliases.townships)):
        if out.get(name) is None or not aliases:
            continue
        d = dists[name]
        table = normalise.by_text(aliases)
        new_u = pd.Series(d.text, dtype=object).map(table).to_numpy(dtype=object)
        hit = pd.Series(pd.notna(new_u)[d.codes], index=out[name].index) & out[name].notna()
        if not hit.any():
            continue
        values = out[name].where(~hit, d.spread(new_u, out[name].index))
        c.add("old-division-name", hit, name, raw[name], values.fillna(""), values.fillna(""))
        out[name] = values
        replaced.add(name)
    return replaced


def _repeats(ids: np.ndarray) -> np.ndarray:
    """Rows whose id appeared on an earlier row."""
    return pd.Series(ids).duplicated(keep="first").to_numpy()


def _first_rows(meta: pd.DataFrame, dup: pd.Series, ids: np.ndarray) -> tuple[pd.Series, pd.Series]:
    """For each duplicated row of `dup`, how to name the first row with the same id (zh, en); `ids` is
    aligned with `dup`."""
    rows = np.flatnonzero(dup.to_numpy())
    if not len(rows):
        return pd.Series(dtype=object), pd.Series(dtype=object)
    first = first_of(ids, np.arange(len(ids)), int(ids.max()) + 1)[ids[rows]]  # ids: below 2n (row_ids)
    labels = dup.index
    at, first_at = meta.index.get_indexer(labels[rows]), meta.index.get_indexer(labels[first])
    files = meta["_file"]  # only the rows named are taken (not the whole column as objects)
    numbers = meta["_row"].to_numpy()[first_at].tolist()
    others = [f if f != g else None for f, g in zip(files.iloc[first_at].tolist(), files.iloc[at].tolist(), strict=True)]
    index = labels[rows]
    return (pd.Series([row_ref(r, o, "zh") for r, o in zip(numbers, others, strict=True)], index=index, dtype=object),
            pd.Series([row_ref(r, o, "en") for r, o in zip(numbers, others, strict=True)], index=index, dtype=object))


def _typed_ids(d: Distinct) -> np.ndarray:
    """Ids of the rows by their typed value, worked out on the distinct texts: equal values (two texts
    with the same normal form, or two empty cells) share an id.

    Usually every kept value is its text unchanged (distinct texts, so distinct values): then the
    ids are the column's own codes, with every cell that kept no value (None) under one more id."""
    typed = d.cached("typed")
    kept = pd.notna(typed)
    if np.array_equal(typed[kept], d.uniques[kept]):
        ids = np.arange(len(typed))
        ids[~kept] = len(typed)
    else:
        ids, _ = pd.factorize(pd.Series(typed, dtype=object), use_na_sentinel=False)
    return ids[d.codes]


def _key_ids(keys: pd.DataFrame) -> np.ndarray:
    return group_ids([pd.factorize(keys[c].astype(object), use_na_sentinel=False)[0] for c in keys.columns],
                      len(keys))


def validate(tables: list[RawTable], rules: Rules, gazetteer: Gazetteer | None = None,
             max_findings: int = 200_000) -> Register:
    """Check every row of the tables (all of one kind) and keep the valid ones; with a gazetteer, also
    check division names and codes against the official list."""
    kind = tables[0].kind if tables else Kind.VILLAGES
    fields = FIELDS[kind]
    raw, meta = _stack(tables, kind)
    dist, per_table = _distincts(tables, raw)
    budget = [max_findings, 0]
    c = Collector(meta, tables, budget)
    findings: list[Finding] = [f for t in tables for f in t.findings]

    # file-level problems: a required column absent, or nothing under the header
    lacking = pd.DataFrame(False, index=raw.index, columns=[f.name for f in fields])
    for t_index, table in enumerate(tables):
        if table.cells.empty:
            # an empty outlet register (a template's outlet sheet, no outlet yet) is a warning: the counts
            # have no data; an empty village register is an error (there is nothing to check)
            code = "empty-outlets" if kind is Kind.OUTLETS else "empty-register"
            findings.append(make(code, file=table.name, sheet=table.sheet, row=table.header_rows[-1]))
        for f in fields:
            if f.required and table.column_of(f.name) is None:
                accepted = "、".join(f.aliases[:4])
                findings.append(make("missing-column", file=table.name, sheet=table.sheet, row=table.header_rows[0],
                                     column=f.zh, field=f.name, detail_zh=accepted, detail_en=", ".join(f.aliases[:4])))
                lacking.loc[meta["_t"] == t_index, f.name] = True

    # rows that are not records: blank, totals, notes; then exact repeats of earlier rows
    blank, total, note, note_text = _skip_masks(tables, per_table)
    if len(raw):
        blank.index = total.index = note.index = note_text.index = raw.index
    c.add("total-row", total, None)
    c.add("note-row", note, None, note_text)
    skipped = blank | total | note
    # an exact repeat: the same text (after NFKC and spaces) in every field
    fingerprint = row_ids([d.norm_codes() for d in dist.values()], len(raw))
    repeat = pd.Series(_repeats(fingerprint), index=raw.index) & ~skipped
    dz, de = _first_rows(meta, repeat, fingerprint)
    c.add("duplicate-row", repeat, None, None, dz, de)
    skipped |= repeat

    keep_rows = ~skipped.to_numpy()
    live = _Rows(raw, raw.index[keep_rows])
    live_dist = {name: d.take(keep_rows) for name, d in dist.items()}
    sub = Collector(meta.loc[live.index], tables, budget)
    out: dict[str, pd.Series] = {}
    lack = lacking.loc[live.index]
    for f in fields:
        d = live_dist[f.name]
        if f.type == "text":
            # outlet names keep their inner spaces; division names and ids lose them
            _check_text(sub, live, d, out, f.name, f.required, lack, free=f.name == "name")
        elif f.type == "code":
            _check_code(sub, live, d, out, f.name)
        elif f.type == "int":
            _check_number(sub, live, d, out, f.name, "people", MAX_POPULATION, integer=True)
        elif f.type == "number":
            _check_number(sub, live, d, out, f.name, "km", MAX_DISTANCE_KM, integer=False)
        elif f.type == "yesno":
            _check_yes_no(sub, live, d, out, f.name)
        elif f.type == "date":
            _check_date(sub, live, d, out, f.name)
        elif f.type == "mode":
            choices = "、".join(m.id for m in rules.modes)
            _check_enum(sub, live, d, out, f.name, rules.mode_lookup, "bad-mode", choices, False, lack)
        elif f.type == "level":
            choices = "、".join(lv.label for lv in rules.outlet_levels.values())
            _check_enum(sub, live, d, out, f.name, rules.level_lookup, "bad-level", choices, f.required, lack)
        elif f.type == "list":
            out[f.name] = _rows(d, live.index, "items", lambda u: normalise.items(u).to_numpy(dtype=object))
    replaced = _divisions(sub, live, live_dist, out, rules)
    not_village = pd.Series(False, index=live.index)
    if kind is Kind.VILLAGES:
        contradiction = (out["in_village"] == True) & (out["reached"] == False)  # noqa: E712 (object dtype)
        sub.add("inconsistent-flags", contradiction, "reached", live["reached"])
        blank_columns = _empty_columns(tables, meta.loc[live.index, "_t"].to_numpy(), live_dist, rules)
        findings += blank_columns.findings
        if gazetteer is not None:
            from kuaidi_cli.official import check_villages

            not_village = check_villages(sub, live, out, gazetteer)
    else:
        _outlet_rules(sub, live, out)

    # a 居委会/社区 row is not an administrative village: skipped (with its warning), never invalid
    invalid = (sub.error | lack.any(axis=1)) & ~not_village
    # rows invalid only through 人口/距离: still villages for the report (their priority maybe undecided)
    uncertain = (invalid & ~sub.other_error & ~lack.any(axis=1)) if kind is Kind.VILLAGES \
        else pd.Series(False, index=live.index)
    if kind is Kind.VILLAGES:
        _undecided_priority(sub, live, out, live_dist, rules, blank_columns.per_table,
                            meta.loc[live.index, "_t"].to_numpy(), counted=~invalid | uncertain)
    typed = pd.DataFrame(out, index=live.index)
    typed = pd.concat([typed, meta.loc[live.index, ["_file", "_sheet", "_row"]]], axis=1)

    # the same village (or outlet) twice: the first valid row counts, the others are invalid
    # a column still as its per-distinct values (no alias replaced, no gazetteer correction) is grouped
    # by its distinct values; the others are factorised row by row
    changed = {"county", "township", "village", "code"} if gazetteer is not None and kind is Kind.VILLAGES else set()
    changed |= replaced
    ids = {name: _typed_ids(live_dist[name]) for name in ("code", "county", "township", "village", "outlet_id")
           if name in live_dist and name not in changed and live_dist[name].cached("typed") is not None}
    # the uncertain rows take part: the same village twice is a duplicate, whichever row is uncertain
    dup = _duplicates(sub, typed, (invalid & ~uncertain) | not_village, meta, kind, ids)
    invalid |= dup
    uncertain &= ~dup
    findings += c.findings + sub.findings
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
    files = _count(tables, meta, valid_t, blank, total, note, repeat, invalid, findings, not_village_t)
    seen = typed.loc[~not_village, [c for c in ("county", "township", "village", "code") if c in typed]]
    return Register(kind=kind, frame=frame, files=files, findings=findings, seen=seen.reset_index(drop=True),
                    uncertain=soft)


# The village register's columns that figures are computed from, and what each leaves undecided when it
# is absent or blank in every row of a file (a template sent back unfilled, a column left out).
_METRIC_COLUMNS = ("population", "distance_km", "in_village", "reached", "mode")


def _figures_of(name: str, rules: Rules, lang: str) -> str:
    """What a village column's figures are, for the message that it is blank."""
    zh = lang != "en"
    if name in ("population", "distance_km"):
        parts = []
        used = [c.shown(lang) for c in rules.priority.any if c.field == name]
        if used:
            parts.append(f"无法判定重点村（{'、'.join(used)}），重点村驻村设点率待核实" if zh else
                         f"priority villages ({', '.join(used)}) cannot be decided; the priority in-village rate "
                         "is unverified")
        focus = [c.shown(lang) for c in (rules.focus.any if rules.focus else []) if c.field == name]
        if focus:
            parts.append(f"推进重点村（{'、'.join(focus)}）无法判定" if zh else
                         f"focus villages ({', '.join(focus)}) cannot be decided")
        return ("；" if zh else "; ").join(parts) or ("不影响目标" if zh else "no target reads it")
    return {
        "in_village": ("未给服务点台账时，驻村设点率、重点村驻村设点率无法计算",
                       "without an outlet register, the in-village rates cannot be computed"),
        "reached": ("未给服务点台账时，通达率只能按驻村设点计算（全空则无法计算）",
                    "without an outlet register, the reach rate counts only the in-village outlets "
                    "(none at all when that column is blank too)"),
        "mode": ("合作模式分布无法统计（通达村计为“未填写”）", "the mode breakdown cannot be counted"),
    }[name][0 if zh else 1]


@dataclass
class _EmptyColumns:
    findings: list[Finding]
    per_table: list[set[str]]  # for each table, the metric fields absent or blank in every row


def _empty_columns(tables: list[RawTable], table_of_row: np.ndarray, dist: dict[str, Distinct],
                   rules: Rules) -> _EmptyColumns:
    """One file-level warning for each metric column a village file lacks, or leaves blank in every row
    (of its rows that are records): the figures it leaves undecided named."""
    findings: list[Finding] = []
    per_table: list[set[str]] = []
    for t_index, table in enumerate(tables):
        rows = table_of_row == t_index
        empty: set[str] = set()
        if rows.any():
            for name in _METRIC_COLUMNS:
                column = table.column_of(name)
                d = dist[name]
                if column is None or d.empty[d.codes[rows]].all():
                    empty.add(name)
                    f = next(x for x in FIELDS[Kind.VILLAGES] if x.name == name)
                    findings.append(make(
                        "column-empty", file=table.name, sheet=table.sheet, row=table.header_rows[0],
                        column=column.label if column is not None else f.zh, field=name,
                        detail_zh=_figures_of(name, rules, "zh"), detail_en=_figures_of(name, rules, "en")))
        per_table.append(empty)
    return _EmptyColumns(findings, per_table)


def _undecided_priority(c: Collector, raw: _Rows, out: dict, dist: dict[str, Distinct], rules: Rules,
                        empty_columns: list[set[str]], table_of_row: np.ndarray, counted: pd.Series) -> None:
    """A warning on each village whose priority cannot be decided (AnyOf.decide): population or distance
    blank or invalid, and what is filled does not already make it a priority village. Only rows a
    report counts (`counted`: valid, or invalid only through those numbers); a column blank in the
    whole file has its one file-level warning instead."""
    _, undecided = rules.priority.decide(lambda name: out[name])
    undecided &= counted.to_numpy(dtype=bool)
    if not undecided.any():
        return
    told = np.zeros(len(undecided), dtype=bool)
    describe = rules.priority.shown("zh"), rules.priority.shown("en")
    for name in rules.priority.fields:
        blank = out[name].isna().to_numpy()
        whole_file = np.array([name in empty_columns[t] for t in table_of_row.tolist()], dtype=bool) \
            if any(name in e for e in empty_columns) else np.zeros(len(blank), dtype=bool)
        here = undecided & blank & ~told & ~whole_file
        told |= here
        c.add("priority-unknown", pd.Series(here, index=raw.index), name, raw[name], describe[0], describe[1])


def with_outlet_register(register: Register) -> Register:
    """A village register checked beside an outlet register: its 驻村设点 and 通达 columns decide nothing
    then (the outlets do), so their column-empty warnings are dropped."""
    drop = [f for f in register.findings if f.code == "column-empty" and f.field in ("in_village", "reached")]
    if not drop:
        return register
    register.findings = [f for f in register.findings if f not in drop]
    for f in drop:
        for fr in register.files:
            if fr.table.name == f.file and fr.table.sheet == f.sheet:
                fr.warnings -= 1
                break
    return register


def _outlet_rules(c: Collector, raw: pd.DataFrame, out: dict) -> None:
    level = out["level"]
    needs_township = level.isin(["township_station", "village_point"])
    c.add("missing-value", needs_township & out["township"].isna(), "township")
    point = level == "village_point"
    c.add("missing-value", point & out["village"].isna() & out["village_code"].isna(), "village")
    reversed_dates = out["opened"].notna() & out["closed"].notna() & (out["closed"] < out["opened"])
    if reversed_dates.any():
        opened_text = raw["opened"].reindex(reversed_dates.index[reversed_dates.to_numpy()]).astype(object)
        c.add("bad-date-order", reversed_dates, "closed", raw["closed"], "「" + opened_text + "」",
              " '" + opened_text + "'")


def _duplicates(c: Collector, typed: pd.DataFrame, invalid: pd.Series, meta: pd.DataFrame, kind: Kind,
                known_ids: dict[str, np.ndarray] | None = None) -> pd.Series:
    """The second and later valid rows of the same village (same code, or same county, township and
    name) or outlet (same id); each key is factorised once and serves both the test and the message."""
    ok_rows = ~invalid.to_numpy()
    dup = pd.Series(False, index=typed.index)
    index = typed.index[ok_rows]

    def repeated(cols: list[str], known: pd.Series | None) -> tuple[pd.Series, np.ndarray]:
        if known_ids and all(col in known_ids for col in cols):
            ids = group_ids([known_ids[col][ok_rows] for col in cols], int(ok_rows.sum()))
        else:
            ids = _key_ids(typed.loc[ok_rows, cols])
        mask = pd.Series(_repeats(ids), index=index)
        return (mask & known if known is not None else mask), ids

    if kind is Kind.VILLAGES:
        by_code, code_ids = repeated(["code"], typed.loc[ok_rows, "code"].notna())
        by_name, name_ids = repeated(["county", "township", "village"], None)
        by_name &= ~by_code
        for mask, ids, how_zh, how_en in (
            (by_code, code_ids, "（区划代码相同）", " (same code)"),
            (by_name, name_ids, "（县区、乡镇、村名相同）", " (same county, township and name)"),
        ):
            if mask.any():
                zh, en = _first_rows(meta, mask, ids)
                c.add("duplicate-village", mask, "village", typed["village"], zh + how_zh, en + how_en)
                dup |= mask.reindex(dup.index, fill_value=False)
    else:
        by_id, ids = repeated(["outlet_id"], typed.loc[ok_rows, "outlet_id"].notna())
        if by_id.any():
            zh, en = _first_rows(meta, by_id, ids)
            c.add("duplicate-outlet", by_id, "outlet_id", typed["outlet_id"], zh, en)
            dup |= by_id.reindex(dup.index, fill_value=False)
    return dup


def _position_key(tables: list[RawTable]):
    """Sort findings as a reader scans the files: file by file, row by row, column by column."""
    files = {t.name: i for i, t in reversed(list(enumerate(tables)))}
    columns = {(t.name, c.label): c.position for t in tables for c in reversed(t.columns)}

    def key(f: Finding) -> tuple:
        return (files.get(f.file, len(tables)), f.row or 0, columns.get((f.file, f.column), -1), f.code)

    return key


def _count(tables, meta, valid_t, blank, total, note, repeat, invalid, findings, not_village_t) -> list[FileResult]:
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
            not_village=int((not_village_t == t_index).sum()),
        )
        own = [f for f in findings if f.file == table.name and f.sheet == table.sheet]
        results.append(FileResult(
            table=table, counts=counts,
            errors=sum(f.severity is Severity.ERROR for f in own),
            warnings=sum(f.severity is Severity.WARNING for f in own),
        ))
    return results
