"""Generators of messy registers from the real Kaifeng names, for the guard tests (test_reference.py).

A `Case` is the rows a set of county offices sends (village files, outlet files, an as-of date) and the
kinds of mess applied to them. `generate(rnd, kinds)` builds one from a `random.Random`, so the same
code is a seeded plain-random generator (`generate(random.Random(seed))`) and a hypothesis strategy
(`cases()`: hypothesis draws the kinds of mess and the random stream, and shrinks both). `write` puts
a case on disk twice: as kuaidi is given it (CSV, or one workbook with a sheet per county) and as plain
CSVs for tests/reference.py.

The names, codes, populations and distances are the bundled samples' (real 2021 names and codes of
the five rural units); `/work/shared/reference/kaifeng` gives the rows of an urban district (outside
the rules' scope) when it is there. Statuses, dates and outlets are drawn here.
"""

from __future__ import annotations

import csv
import datetime as dt
import math
import random
from dataclasses import dataclass, field
from pathlib import Path

from hypothesis import strategies as st

ROOT = Path(__file__).resolve().parents[1]
V_HEADER = ["县区", "乡镇", "行政村", "区划代码", "人口数(人)", "距乡镇驻地距离(公里)", "是否驻村设点", "设点时间", "是否通达",
            "通达时间", "合作模式"]
O_HEADER = ["服务点编号", "服务点名称", "层级", "县区", "乡镇", "行政村", "所在村区划代码", "合作模式", "合作企业", "启用日期",
            "停用日期", "辐射村"]
COUNTY_CODES = {"祥符区": "410212", "杞县": "410221", "通许县": "410222", "尉氏县": "410223", "兰考县": "410225"}
LEVELS = {"park": "县级电商快递物流园区", "station": "乡镇电商快递服务站", "point": "村级电商快递服务点"}
MODES = ["邮快合作", "交快合作", "快快合作", "快商合作", "快销合作", "驻村设点"]
AS_OF = [dt.date(2021, 6, 30), dt.date(2021, 12, 31), dt.date(2022, 12, 31)]
UNREADABLE_STATUS = ["推进中", "待定", "正在建设", "？"]
BAD_DATES = ["2021-13-45", "2021-02-30", "待定", "今年"]
# the kinds of mess (issue 20, "What to build" 10)
KINDS = ("unreadable-status", "bad-date", "blank-number", "partial-outlets", "county-missing", "multi-sheet",
         "shared-township", "mistyped-code", "threshold", "file-twice", "other-city", "no-outlets", "total-row",
         "outlet-bad-date", "scoped")


def _samples() -> dict[str, dict[str, list[list[str]]]]:
    """county -> township -> the sample rows (real names and codes)."""
    out: dict[str, dict[str, list[list[str]]]] = {}
    with (ROOT / "data" / "samples" / "villages.csv").open(encoding="utf-8-sig", newline="") as fh:
        for row in csv.reader(fh):
            if row[0] in COUNTY_CODES:
                out.setdefault(row[0], {}).setdefault(row[1], []).append(row)
    return out


SAMPLES = _samples()


def _urban_rows() -> list[list[str]]:
    """A few villages of 龙亭区 (开封市, outside the rules' scope) and of 闽侯县 (福州市, another city)."""
    rows = [["闽侯县", "甘蔗街道", "昙石村", "350121001201", "1800", "2.1", "是", "2021-05-01", "是", "2021-05-01", "邮快合作"]]
    path = Path("/work/shared/reference/kaifeng/villages.csv")
    if path.exists():
        with path.open(encoding="utf-8", newline="") as fh:
            for r in csv.DictReader(fh):
                if r["county_name"] == "龙亭区" and r["committee_type"] == "村委会":
                    rows.append([r["county_name"], r["township_name"], r["name"], r["code"], "900", "1.0", "否", "", "是",
                                 "2021-03-01", "快快合作"])
                    if len(rows) >= 3:
                        break
    return rows


@dataclass
class Case:
    villages: list[list[list[str]]]  # files of rows (V_HEADER order)
    outlets: list[list[str]] | None  # one file's rows (O_HEADER order), None: no outlet register
    as_of: dt.date
    kinds: set[str] = field(default_factory=set)
    divisions_none: bool = False  # names or codes the official list would reject on purpose
    sheets: bool = False  # the village register as one workbook, a sheet per county
    scope: tuple[str, str] | None = None  # ("county", name) or ("township", name): --county / --township

    def describe(self) -> str:
        return f"as of {self.as_of}, kinds {sorted(self.kinds)}, {sum(map(len, self.villages))} village rows"


def _date_before(rnd: random.Random, as_of: dt.date, after: bool = False) -> str:
    """A date on or before as_of (or after it), sometimes blank (undated)."""
    if not after and rnd.random() < 0.15:
        return ""
    days = rnd.randint(0, 300)
    d = as_of + dt.timedelta(days=days + 1) if after else as_of - dt.timedelta(days=days)
    return d.isoformat()


def generate(rnd: random.Random, kinds: set[str] | None = None, big: bool = False) -> Case:
    """One case. `big`: every sample village (2137), for rates a village short of a threshold."""
    kinds = set(kinds if kinds is not None else (k for k in KINDS if rnd.random() < 0.25))
    as_of = dt.date(2021, 12, 31) if ("threshold" in kinds or big) else rnd.choice(AS_OF)
    if big:
        rows = [list(r) for c in SAMPLES.values() for t in c.values() for r in t]
    else:
        counties = rnd.sample(sorted(SAMPLES), rnd.randint(1, 5))
        rows = []
        for c in counties:
            for t in rnd.sample(sorted(SAMPLES[c]), rnd.randint(1, 2)):
                rows += [list(r) for r in rnd.sample(SAMPLES[c][t], min(len(SAMPLES[c][t]), rnd.randint(2, 6)))]
    n = len(rows)
    if "threshold" in kinds or big:  # reached exactly at a target's edge, ± 1 village
        goal = rnd.choice([0.80, 0.85, 1.0]) if not big else 0.80
        k = min(n, max(0, math.ceil(goal * n) + (rnd.choice([-1, 0, 1]) if not big else -1)))
    else:
        k = rnd.randint(0, n)
    reached = set(rnd.sample(range(n), k))
    inside = {i for i in reached if rnd.random() < 0.6}
    threshold = "threshold" in kinds or big
    for i, r in enumerate(rows):
        if i in inside and rnd.random() < 0.05 and not threshold:
            r[6], r[7] = "是", _date_before(rnd, as_of, after=True)  # a point that opens after the date
            inside.discard(i)
            reached.discard(i)
        else:
            r[6], r[7] = ("是", _date_before(rnd, as_of)) if i in inside else ("否", "")
        r[8], r[9] = ("是", _date_before(rnd, as_of)) if i in reached else ("否", "")
        r[10] = rnd.choice([*MODES, ""]) if i in reached else ""
    # the outlet register: a park per county, a station per township (serving some of its reached
    # villages), a point per in-village village (by code, or by name only)
    outlets: list[list[str]] = []
    towns = sorted({(r[0], r[1]) for r in rows})
    for c in sorted({r[0] for r in rows}):
        if rnd.random() < 0.7:
            outlets.append([f"P{c}", f"{c}园区", LEVELS["park"], c, "", "", "", "快快合作", "", "2021-03-01", "", ""])
    for j, (c, t) in enumerate(towns):
        serves = [r[2] for i, r in enumerate(rows) if (r[0], r[1]) == (c, t) and i in reached - inside
                  and rnd.random() < 0.3]
        outlets.append([f"S{j}", f"{t}服务站", LEVELS["station"], c, t, "", "", rnd.choice(MODES), "",
                        _date_before(rnd, as_of), "", "、".join(serves)])
    for i, r in enumerate(rows):
        if r[6] == "是":
            code = r[3] if rnd.random() < 0.8 else ""
            opened = r[7] or _date_before(rnd, as_of)
            outlets.append([f"V{i}", f"{r[2]}服务点", LEVELS["point"], r[0], r[1], r[2], code, r[10] or "驻村设点", "",
                            opened, "", ""])
    if rnd.random() < 0.1 and outlets:  # an outlet closed on or before the date
        outlets[rnd.randrange(len(outlets))][10] = (as_of - dt.timedelta(days=3)).isoformat()
    case = Case([rows], outlets, as_of, kinds, divisions_none=rnd.random() < 0.5)
    _mess(case, rnd)
    return case


def _cells(rnd: random.Random, rows: list[list[str]], col: int, values: list[str], share: float) -> None:
    for r in rnd.sample(rows, max(1, int(len(rows) * share))) if rows else []:
        r[col] = rnd.choice(values)


def _mess(case: Case, rnd: random.Random) -> None:
    rows, outlets, kinds = case.villages[0], case.outlets or [], case.kinds
    if "unreadable-status" in kinds:
        _cells(rnd, rows, rnd.choice([6, 8]), UNREADABLE_STATUS, 0.2)
    if "bad-date" in kinds:
        _cells(rnd, [r for r in rows if r[8] == "是" or r[6] == "是"] or rows, rnd.choice([7, 9]), BAD_DATES, 0.2)
    if "blank-number" in kinds:
        _cells(rnd, rows, 4, ["", "不详"], 0.2)
        if rnd.random() < 0.5:
            _cells(rnd, rows, 5, [""], 0.1)
    if "outlet-bad-date" in kinds and outlets:
        for o in rnd.sample(outlets, min(2, len(outlets))):
            o[9] = rnd.choice(BAD_DATES)
    if "shared-township" in kinds:  # a township of another county renamed to the first county's township
        counties = sorted({r[0] for r in rows})
        if len(counties) >= 2:
            name = next(r[1] for r in rows if r[0] == counties[0])
            old = next(r[1] for r in rows if r[0] == counties[1])
            for r in rows:
                if (r[0], r[1]) == (counties[1], old):
                    r[1] = name
            for o in outlets:
                if (o[3], o[4]) == (counties[1], old):
                    o[4] = name
            case.divisions_none = True
    if "mistyped-code" in kinds and rows:  # one village's code carries another county's prefix
        r = rnd.choice([r for r in rows if r[3]] or rows)
        other = rnd.choice([c for c in COUNTY_CODES.values() if c != COUNTY_CODES[r[0]]])
        r[3] = other + r[3][6:] if r[3] else ""
        if r[3] and sum(x[3] == r[3] for x in rows) > 1:  # (it became another village's code: a duplicate,
            r[3] = r[3][:9] + "999"  # an error kuaidi rightly does not count; keep it a mistyped code only)
        case.divisions_none = True
    if "partial-outlets" in kinds:  # a county that sent villages is absent from the outlet register
        gone = rnd.choice(sorted({r[0] for r in rows}))
        outlets[:] = [o for o in outlets if o[3] != gone]
    if "county-missing" in kinds:  # a county that sent outlets is absent from the village register
        counties = sorted({r[0] for r in rows})
        if len(counties) >= 2:
            gone = rnd.choice(counties)
            rows[:] = [r for r in rows if r[0] != gone]
    if "other-city" in kinds:
        for r in _urban_rows():
            rows.insert(rnd.randint(0, len(rows)), list(r))
    if "total-row" in kinds:
        rows.append(["合计", "", "", "", "", "", "", "", "", "", ""])
        rows.insert(rnd.randint(0, len(rows)), [""] * len(V_HEADER))
    if "no-outlets" in kinds:
        case.outlets = None
    if "multi-sheet" in kinds:
        case.sheets = True
    if "file-twice" in kinds:
        case.villages.append([list(r) for r in rows])
    if "scoped" in kinds and rows:  # the report of one county, or of one township (maybe a shared name)
        r = rnd.choice([r for r in rows if r[0] in COUNTY_CODES] or rows)
        case.scope = ("county", r[0]) if rnd.random() < 0.5 else ("township", r[1])


def cases(big: bool = False) -> st.SearchStrategy[Case]:
    """The hypothesis strategy: the kinds of mess, then the random stream."""
    return st.builds(lambda kinds, rnd: generate(rnd, set(kinds), big=big),
                     st.sets(st.sampled_from(KINDS), max_size=5), st.randoms(use_true_random=False))


def _write_csv(path: Path, header: list[str], rows: list[list[str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(header)
        w.writerows(rows)
    return path


def write(case: Case, folder: Path) -> tuple[list[str], list[Path], list[Path] | None]:
    """(kuaidi's arguments, the reference's village CSVs, its outlet CSVs) of a case written in `folder`."""
    folder.mkdir(parents=True, exist_ok=True)
    ref_v = [_write_csv(folder / f"ref-villages-{i}.csv", V_HEADER, rows) for i, rows in enumerate(case.villages)]
    ref_o = [_write_csv(folder / "ref-outlets.csv", O_HEADER, case.outlets)] if case.outlets is not None else None
    args: list[str] = []
    for i, rows in enumerate(case.villages):
        if case.sheets:
            args += ["--villages", str(_write_sheets(folder / f"villages-{i}.xlsx", rows))]
        else:
            args += ["--villages", str(_write_csv(folder / f"villages-{i}.csv", V_HEADER, rows))]
    if case.outlets is not None:
        args += ["--outlets", str(_write_csv(folder / "outlets.csv", O_HEADER, case.outlets))]
    args += ["--as-of", case.as_of.isoformat()]
    if case.divisions_none:
        args += ["--divisions", "none"]
    if case.scope:
        args += [f"--{case.scope[0]}", case.scope[1]]
    return args, ref_v, ref_o


def _write_sheets(path: Path, rows: list[list[str]]) -> Path:
    """One workbook, one sheet per county (same header), as a city office merges what counties send."""
    import xlsxwriter

    wb = xlsxwriter.Workbook(str(path))
    groups: dict[str, list[list[str]]] = {}
    for r in rows:  # a row of no county of the scope (合计, blank, another city) stays on the current sheet
        key = r[0] if r[0] in COUNTY_CODES or not groups else list(groups)[-1]
        groups.setdefault(key, []).append(r)
    for name, part in groups.items():
        ws = wb.add_worksheet(name[:31])
        ws.write_row(0, 0, V_HEADER)
        for k, r in enumerate(part, start=1):
            ws.write_row(k, 0, r)  # every cell text, as a register typed in by hand
    wb.close()
    return path
