"""Which sheets of a workbook are the register: every sheet whose header is a register of the kind asked
(one sheet per county or township is one register), the others named with why they were left out."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from kuaidi_cli.core.errors import InputError
from kuaidi_cli.core.fields import AliasTable, Kind
from kuaidi_cli.core.findings import Finding, make
from kuaidi_cli.read.header import (
    FIELDS_REQUIRED,
    Header,
    best_header,
    find_header,
    no_register,
    other_kind,
    rival_aliases,
)


class Book(Protocol):
    """What planning needs of an opened workbook (read.workbook._Workbook)."""

    path: Path
    names: list[str]
    tables: list[str]
    visible: list[str]

    def preview(self, name: str) -> list[list[str]]: ...

    def release(self, name: str) -> None: ...


# why a sheet was left out: (finding code, Chinese, English)
_WHY: dict[str, tuple[str, str, str]] = {
    "chart": ("sheet-skipped", "图表，不是表格", "a chart, not a table"),
    "blank": ("sheet-skipped", "空白工作表", "a blank sheet"),
    "no-header": ("sheet-skipped", "没有台账的表头（如说明、汇总表）",
                  "no register header (notes, a summary table, …)"),
    "header-only": ("sheet-skipped", "只有表头，没有数据行", "a header and no data rows"),
    "hidden": ("sheet-hidden", "", ""),
    "other-villages": ("sheet-other-register",
                       "行政村台账，不计入服务点台账；要计入，请用 --villages 给出本文件",
                       "a village register, not counted as outlets; give this file with --villages to "
                       "count it"),
    "other-outlets": ("sheet-other-register",
                      "服务点台账，不计入行政村台账；要计入，请把本文件也用 --outlets 给出",
                      "an outlet register, not counted as villages; give this file with --outlets too to "
                      "count it"),
}


# the instructions sheet of kuaidi's own template (`kuaidi template`): left out without a word, as a filled
# template checks clean
TEMPLATE_HELP_SHEET = "填写说明"


@dataclass
class Plan:
    """The sheets read as the register (with their headers), and those left out with why."""

    chosen: list[tuple[str, Header]]
    left_out: list[tuple[str, str]] = field(default_factory=list)  # (sheet, key of _WHY)

    def findings(self, path: Path) -> list[Finding]:
        out = []
        for name, why in self.left_out:
            if name == TEMPLATE_HELP_SHEET and why == "no-header":
                continue
            code, zh, en = _WHY[why]
            out.append(make(code, file=str(path), sheet=name, value=name, detail_zh=zh, detail_en=en))
        return out


def _is_other_register(rows: list[list[str]], kind: Kind) -> bool:
    """A sheet with the header of the other kind's register, every column that kind requires in it."""
    other = other_kind(kind)
    rival = best_header(rows, other, rival_aliases(other))
    return rival is not None and set(FIELDS_REQUIRED[other]) <= {f for f in rival.fields if f}


def plan(wb: Book, kind: Kind, aliases: AliasTable, sheet: str | None) -> Plan:
    """The register's sheets: `sheet` alone when given; else every visible sheet holding a header of a
    `kind` register (the hidden ones only when no visible sheet holds one). Raises InputError when no
    sheet does."""
    path, names = wb.path, wb.names
    if sheet is not None:
        return Plan([_named(wb, kind, aliases, sheet)])
    if not names:
        raise InputError(f"{path} 中没有工作表，请重新导出台账",
                         f"{path} holds no sheet; export the register again")
    if not wb.tables:
        raise InputError(
            f"{path} 中只有图表工作表（{listed(names)}），没有台账：请给出台账数据所在的工作簿，或把台账所在"
            "的工作表一起另存",
            f"{path} holds only chart sheets ({listed(names, ', ')}), no register: give the workbook that "
            "holds the "
            "register's data, or save the register's sheet with it",
        )
    if not wb.visible:
        raise InputError(
            f"{path} 的工作表全部被隐藏（{listed(wb.tables)}）；请在 Excel 中取消隐藏，或用 --sheet 指定要"
            "检查的工作表",
            f"every sheet of {path} is hidden ({listed(wb.tables, ', ')}); unhide the register or choose it "
            "with --sheet",
        )
    found: list[tuple[str, Header]] = []
    left: dict[str, str] = {}
    previews: list[list[list[str]]] = []
    for name in names:
        if name not in wb.tables:
            left[name] = "chart"
            continue
        rows = wb.preview(name)
        h = find_header(rows, kind, aliases)
        if h is not None:
            found.append((name, h))
            continue
        wb.release(name)  # (a sheet not read: calamine's parsed copy freed)
        previews.append(rows)
        if not any(str(c).strip() for r in rows for c in r):
            left[name] = "blank"
        elif _is_other_register(rows, kind):
            left[name] = "other-outlets" if kind is Kind.VILLAGES else "other-villages"
        else:
            left[name] = "no-header"
    shown = [(n, h) for n, h in found if n in wb.visible]
    if shown:
        left.update({n: "hidden" for n, _ in found if n not in wb.visible})
        found = shown
    if not found:
        other = other_kind(kind)
        rival = next((p for p in previews if best_header(p, other, rival_aliases(other))), None)
        raise no_register(path, kind, f"（工作表：{listed(wb.tables)}）",
                          f" (sheets: {listed(wb.tables, ', ')})", rival,
                          other_sheets=len(wb.tables) > 1)
    return Plan(found, [(n, left[n]) for n in names if n in left])


def _named(wb: Book, kind: Kind, aliases: AliasTable, sheet: str) -> tuple[str, Header]:
    """The sheet `--sheet` names (by name, or by its 1-based number) and its header."""
    path, names = wb.path, wb.names
    if sheet in names:
        chosen = sheet
    elif sheet.isdigit() and 1 <= int(sheet) <= len(names):
        chosen = names[int(sheet) - 1]
    else:
        raise InputError(
            f"{path} 中没有工作表「{sheet}」（有：{listed(names)}）；--sheet 可写名称或序号（从1开始）",
            f"no sheet '{sheet}' in {path} (it has: {listed(names, ', ')}); --sheet takes a name or a "
            "1-based number",
        )
    if chosen not in wb.tables:
        raise InputError(
            f"{path} 的工作表「{chosen}」是图表，不是表格；请用 --sheet 指定台账所在的工作表（有："
            f"{listed(wb.tables)}）",
            f"sheet '{chosen}' of {path} is a chart, not a table; choose the register's sheet with --sheet "
            f"(it has: {listed(wb.tables, ', ')})",
        )
    preview = wb.preview(chosen)
    h = find_header(preview, kind, aliases)
    if h is None:
        raise no_register(path, kind, f" 的工作表「{chosen}」", f", sheet '{chosen}'", preview,
                          other_sheets=len(wb.tables) > 1)
    return chosen, h


def listed(names: list[str], sep: str = "、", most: int = 10) -> str:
    """Sheet names for a one-line message: the first `most`, then how many more (a workbook of 1 024 sheets
    once made a 13 KB line)."""
    shown = sep.join(names[:most])
    if len(names) <= most:
        return shown
    return shown + (f" … (+{len(names) - most})" if sep == ", " else f"……等 {len(names)} 个")

