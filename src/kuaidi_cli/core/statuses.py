"""The statuses of a target (docs/METRICS.md, "status"), each declared once with its labels and colours:
what report.targets.evaluate decides, the report's JSON carries (the value), and every output shows."""

from __future__ import annotations

from enum import StrEnum


class Status(StrEnum):
    """A target's status. Each member: its JSON value, its label (zh, en), its colours (the cell's fill
    and font in the workbook and the HTML, bold in the HTML; its style on a terminal), and whether its
    value is established (no-data, unverified, incomplete: never shown as met, nor projected)."""

    zh: str
    en: str
    fill: str
    font: str
    bold: bool
    style: str
    established: bool

    def __new__(cls, value: str, zh: str, en: str, fill: str, font: str, bold: bool, style: str,
                established: bool = True) -> Status:
        member = str.__new__(cls, value)
        member._value_ = value
        member.zh, member.en, member.fill, member.font = zh, en, fill, font
        member.bold, member.style, member.established = bold, style, established
        return member

    MET = "met", "达标", "met", "#C6EFCE", "#006100", True, "bold green"
    MISSED = "missed", "未达标", "missed", "#FFC7CE", "#9C0006", True, "bold red"
    PENDING = "pending", "进行中", "pending", "#FFEB9C", "#9C5700", False, "yellow"
    INFO = "info", "进度", "info", "#DDEBF7", "#1F4E78", False, "cyan"
    NO_DATA = "no-data", "无数据", "no data", "#E4DFEC", "#5B2C6F", True, "bold magenta", False
    UNVERIFIED = "unverified", "待核实", "unverified", "#E4DFEC", "#5B2C6F", True, "bold magenta", False
    INCOMPLETE = "incomplete", "数据不全", "incomplete", "#E4DFEC", "#5B2C6F", True, "bold magenta", False


def unestablished() -> frozenset[Status]:
    """The statuses that establish no value (no-data, unverified, incomplete)."""
    return frozenset(s for s in Status if not s.established)


def label(key: str) -> tuple[str, str] | None:
    """(zh, en) of `status.<value>`, or None."""
    if not key.startswith("status."):
        return None
    value = key[len("status."):]
    for s in Status:
        if s.value == value:
            return s.zh, s.en
    return None


def css() -> str:
    """The statuses' rules of the HTML's style sheet (a cell's class is its status): a line per set of
    statuses that look alike."""
    groups: dict[tuple[str, str, bool], list[str]] = {}
    for s in Status:
        groups.setdefault((s.fill, s.font, s.bold), []).append(s.value)
    rules = "\n".join(",".join(f".{v}" for v in names) + f"{{background:{fill.lower()};color:{font.lower()}"
                    + (";font-weight:bold}" if bold else "}") for (fill, font, bold), names in groups.items())
    return rules
