"""Finding the header row under title and note rows, and mapping its cells to fields."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from kuaidi_cli.core.errors import InputError
from kuaidi_cli.core.fields import FIELDS, AliasTable, Kind, field_of
from kuaidi_cli.core.findings import Finding, make
from kuaidi_cli.read.table import HEADER_SEARCH_ROWS, Column


@dataclass
class Header:
    start: int  # index of the first header row within the rows given
    height: int  # 1 or 2 (and a 栏次 row under it)
    labels: list[str]
    fields: list[str | None]

    @property
    def score(self) -> int:
        return len({f for f in self.fields if f})


def _identity_fields(kind: Kind) -> set[str]:
    return {"village"} if kind is Kind.VILLAGES else {"outlet_id", "name"}


def _single(rows: list[list[str]], i: int, aliases: AliasTable) -> Header:
    labels = [str(c).strip() for c in rows[i]]
    return Header(i, 1, labels, [aliases.match(c) for c in labels])


def _joined(rows: list[list[str]], i: int, aliases: AliasTable) -> Header:
    """Rows i and i+1 as one header: the upper row holds group cells merged over the lower ones."""
    top = [str(c).strip() for c in rows[i]]
    low = [str(c).strip() for c in rows[i + 1]] if i + 1 < len(rows) else []
    width = max(len(top), len(low))
    top += [""] * (width - len(top))
    low += [""] * (width - len(low))
    labels: list[str] = []
    fields: list[str | None] = []
    group = ""
    # A real lower header row names a field under a cell that names none (a group cell, or the empty
    # continuation of a merged one); a data row under a header does not.
    if not any(aliases.match(b) and not aliases.match(t) for t, b in zip(top, low, strict=True)):
        return Header(i, 2, top, [None] * width)
    for t, b in zip(top, low, strict=True):
        # a merged group cell is written in its first column only: carry it over the columns below it
        group = t if t else (group if b else "")
        if b and group:
            label = f"{group}/{b}"
            f = aliases.match(b) or aliases.match(group + b) or aliases.match(group)
        else:
            label = group or b
            f = aliases.match(label)
        labels.append(label)
        fields.append(f)
    return Header(i, 2, labels, fields)


def find_header(rows: list[list[str]], kind: Kind, aliases: AliasTable) -> Header | None:
    """The header among the first rows: the row naming most fields (a register's identity field
    among them), joined with the row above or below when that names more.

    A header that names more fields of the other register kind is not this kind's header: an outlet
    register has 县区/乡镇/行政村 columns too, but it is not a village register.
    """
    own = best_header(rows, kind, aliases)
    if own is None:
        return None
    other = other_kind(kind)
    rival = best_header(rows, other, rival_aliases(other))
    if rival is not None and rival.score > own.score:
        return None
    below = own.start + own.height
    # a 栏次 row (1, 2, 3 … under the columns) is the header's
    if below < len(rows) and _numbering(rows[below]):
        return Header(own.start, own.height + 1, own.labels, own.fields)
    return own


def _numbering(row: list[str]) -> bool:
    """A row numbering the columns, as statistical forms print under their header: 1, 2, 3 … in order (at
    least three), after at most four short words (栏次, 甲, 乙, 丙)."""
    cells = [c.strip() for c in row if c and c.strip()]
    words = 0
    while words < len(cells) and not cells[words].removesuffix(".0").isdigit():
        words += 1
    numbers = [c.removesuffix(".0") for c in cells[words:]]
    return (
        words <= 4
        and all(len(w) <= 3 for w in cells[:words])
        and len(numbers) >= 3
        and all(n.isdigit() for n in numbers)
        and [int(n) for n in numbers] == list(range(1, len(numbers) + 1))
    )


def other_kind(kind: Kind) -> Kind:
    return Kind.OUTLETS if kind is Kind.VILLAGES else Kind.VILLAGES


_RIVALS: dict[Kind, AliasTable] = {}


def rival_aliases(kind: Kind) -> AliasTable:
    if kind not in _RIVALS:
        _RIVALS[kind] = AliasTable.build(kind)
    return _RIVALS[kind]


def best_header(rows: list[list[str]], kind: Kind, aliases: AliasTable) -> Header | None:
    best: Header | None = None
    for i in range(min(len(rows), HEADER_SEARCH_ROWS)):
        h = _single(rows, i, aliases)
        if best is None or h.score > best.score:
            best = h
    if best is None or best.score < 2:
        return None
    candidates = [best]
    if best.start > 0:
        candidates.append(_joined(rows, best.start - 1, aliases))
    if best.start + 1 < len(rows):
        candidates.append(_joined(rows, best.start, aliases))
    chosen = max(candidates, key=lambda h: h.score)  # first wins on ties: the single row
    if not _identity_fields(kind) & set(chosen.fields):
        return None
    return chosen


def header_columns(header: Header, kind: Kind, file: str, sheet: str | None, row: int) -> tuple[list[
    Column], list[Finding]]:
    columns: list[Column] = []
    findings: list[Finding] = []
    seen: dict[str, str] = {}
    for pos, (label, f) in enumerate(zip(header.labels, header.fields, strict=True)):
        if f and f in seen:
            findings.append(make("duplicate-column", file=file, sheet=sheet, row=row, column=label, field=f,
                                 detail_zh=seen[f]))
            f = None
        elif f:
            seen[f] = label
        elif label:
            findings.append(make("unmapped-column", file=file, sheet=sheet, row=row, column=label))
        columns.append(Column(pos, label, f))
    return columns, findings


def no_register(path: Path, kind: Kind, where: str = "", where_en: str = "", rows: list[list[str]]
                | None = None,
                *, other_sheets: bool = False) -> InputError:
    """No header of a `kind` register was found; `--sheet` is suggested only when the workbook has
    `other_sheets` to choose."""
    other = other_kind(kind)
    rival = best_header(rows, other, rival_aliases(other)) if rows is not None else None
    # the other kind's register only when its header has every column that kind requires (COUNTY and NAME
    # alone are no outlet register)
    if rival is not None and set(FIELDS_REQUIRED[other]) <= set(f for f in rival.fields if f):
        if kind is Kind.VILLAGES:
            return InputError(f"{path}{where} 像是服务点台账，请用 --outlets 给出",
                              f"{path}{where_en} looks like an outlet register; pass it with --outlets")
        return InputError(f"{path}{where} 像是行政村台账，不是服务点台账",
                          f"{path}{where_en} looks like a village register, not an outlet register")
    need = "、".join(field_of(kind, f).zh for f in FIELDS_REQUIRED[kind])
    what = "行政村台账" if kind is Kind.VILLAGES else "服务点台账"
    what_en = "village register" if kind is Kind.VILLAGES else "outlet register"
    return InputError(
        f"{path}{where} 中找不到{what}的表头（至少要有 {need} 等列），请检查文件"
        + ("或用 --sheet 指定工作表" if other_sheets else ""),
        f"no {what_en} header found in {path}{where_en} (it needs columns such as "
        f"{', '.join(FIELDS_REQUIRED[kind])}); check the file"
        + (" or choose the sheet with --sheet" if other_sheets else ""),
    )


FIELDS_REQUIRED = {k: [f.name for f in fs if f.required] for k, fs in FIELDS.items()}
