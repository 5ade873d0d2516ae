"""Writing outputs safely: never over an input, never over a file kuaidi did not write (unless forced),
never a half-written file where a good one was."""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import mmap
import os
import secrets
import zipfile
from collections.abc import Mapping
from pathlib import Path

from kuaidi_cli.core.errors import KuaidiError, os_reason

# What kuaidi writes into each of its outputs so that it knows them again (report -o, trend --chart
# may replace them; any other existing file needs --force).
JSON_MARK = b'"schema": "kuaidi.report/1"'
HTML_MARK = '<meta name="generator" content="kuaidi">'
SVG_MARK = "<!-- generator: kuaidi -->"
XLSX_MARK = "kuaidi.report/1"  # the workbook's comments (docProps/core.xml, dc:description)
TEXT_MARKS = ("“快递进村”工作进展", "快递进村 progress")  # the first line of a text report
TEXT_END = "kuaidi.report/1"  # in the last line of a text report (its footer)


# a temporary file as mkstemp opens it (never through a link, never one that exists; binary on Windows)
_NEW = os.O_RDWR | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0)


def _create_beside(path: Path) -> tuple[int, str]:
    """A new temporary file beside `path`, opened with the mode a file opened normally gets (0666 less the
    umask, or the folder's default ACL: the system applies them, nothing asks or changes the process's
    umask, which a thread may be using). (mkstemp's 0600 would hide the report from the others.)"""
    folder = path.parent if str(path.parent) else Path(".")
    for _ in range(100):
        tmp = str(folder / f".{path.name}.{secrets.token_hex(4)}.tmp")
        try:
            return os.open(tmp, _NEW, 0o666), tmp
        except FileExistsError:
            continue
    raise FileExistsError(errno.EEXIST, "no free temporary name", str(folder))


def _mode(path: Path) -> int | None:
    """The mode of the file a write replaces, which its new content keeps; None when there is none."""
    try:
        return path.stat().st_mode & 0o777
    except OSError:
        return None


def _contains(path: Path, needle: bytes, limit: int | None = None) -> bool:
    with path.open("rb") as fh:
        if limit is not None:
            return needle in fh.read(limit)
        try:
            with mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ) as m:
                return m.find(needle) >= 0
        except ValueError:  # an empty file
            return False


def knows_json(path: Path, csv_headers: Mapping[str, bool]) -> bool:
    return _contains(path, JSON_MARK)


def knows_html(path: Path, csv_headers: Mapping[str, bool]) -> bool:
    return _contains(path, HTML_MARK.encode(), 4096)


def knows_svg(path: Path, csv_headers: Mapping[str, bool]) -> bool:
    return _contains(path, SVG_MARK.encode(), 4096)


def knows_xlsx(path: Path, csv_headers: Mapping[str, bool]) -> bool:
    with zipfile.ZipFile(path) as z:
        return XLSX_MARK in z.read("docProps/core.xml").decode("utf-8", "replace")


def _lines(path: Path) -> list[str]:
    if path.stat().st_size > 64 << 20:  # kuaidi's CSV and text reports are far smaller
        return []
    return path.read_bytes().decode("utf-8-sig", "replace").splitlines()


def knows_csv(path: Path, csv_headers: Mapping[str, bool]) -> bool:
    """One of its headers; a table with a total row (the county table) ends with it."""
    lines = _lines(path)
    if not lines or lines[0] not in csv_headers:
        return False
    return not csv_headers[lines[0]] or lines[-1].startswith(("合计,", "Total,"))


def knows_text(path: Path, csv_headers: Mapping[str, bool]) -> bool:
    """A text report: the title first and the contract's mark in the last line."""
    lines = _lines(path)
    return bool(lines) and any(mark in lines[0] for mark in TEXT_MARKS) and TEXT_END in lines[-1]


def written_by_kuaidi(path: Path, csv_headers: Mapping[str, bool] | None = None) -> bool:
    """Whether an existing file is one of kuaidi's own outputs: by the mark each format carries
    (write.formats; a CSV by its header row, one of `csv_headers`: header → whether that table ends with
    a 合计 row), the trend's chart by its own; a file of any other suffix as a text report."""
    from kuaidi_cli.write import formats

    fmt = formats.by_suffix(path.suffix)
    knows = knows_svg if path.suffix.lower() == ".svg" else fmt.knows if fmt else knows_text
    try:
        return knows(path, csv_headers or {})
    except (OSError, KeyError, zipfile.BadZipFile, ValueError):
        return False


def refuse_existing(path: Path, *, own: bool = False, csv_headers: Mapping[str, bool] | None = None, option: str = "-o",
                    force: bool = True) -> None:
    """Raise unless `path` may be written: it does not exist, or (with `own`) it is kuaidi's own output.
    The message names the `option` to change, and --force when the command has it."""
    if not path.exists() or path.is_dir():
        return  # a folder is refused by write_atomic, with its own message
    if own and written_by_kuaidi(path, csv_headers):
        return
    what = "不是 kuaidi 生成的文件，" if own else ""
    what_en = " and was not written by kuaidi" if own else ""
    how = (f"换一个 {option} 路径，或加 --force 覆盖", f"choose another {option} path, or add --force") if force else \
        (f"请移走它，或换一个 {option}", f"move it away, or choose another {option}")
    raise KuaidiError(f"{path} 已存在，{what}不会覆盖；{how[0]}", f"{path} exists{what_en}; not overwritten: {how[1]}")


def refuse_input(path: Path, inputs: list[Path]) -> None:
    """Raise when `path` is one of the inputs (whatever --force says: an input is never overwritten)."""
    target = path.resolve()
    for p in inputs:
        if p.exists() and p.resolve() == target:
            raise KuaidiError(f"输出文件 {path} 是输入文件之一，已拒绝覆盖；请换一个 -o 路径",
                              f"the output {path} is one of the inputs; refused; choose another -o path")


def write_atomic(path: Path, data: bytes, inputs: list[Path]) -> None:
    """Write to a temporary file beside `path`, then rename it into place."""
    refuse_input(path, inputs)
    if path.is_dir():
        raise KuaidiError(f"{path} 是文件夹，请给出文件名", f"{path} is a directory; give a file name")
    try:
        fd, tmp = _create_beside(path)
    except OSError as e:
        zh, en = os_reason(e)
        raise KuaidiError(f"无法写入 {path.parent}：{zh}", f"cannot write in {path.parent}: {en}") from e
    try:
        with os.fdopen(fd, "wb") as fh:
            replaced = _mode(path)
            if replaced is not None and hasattr(os, "fchmod"):  # (POSIX; Windows has ACLs instead)
                os.fchmod(fh.fileno(), replaced)
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except OSError as e:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        if held_open(e, path):
            raise KuaidiError(f"文件「{path}」正被其他程序（如 Excel/WPS）打开，请关闭后重试",
                              f"the file '{path}' is open in another program (Excel, WPS…); close it and try again") from e
        zh, en = os_reason(e)
        raise KuaidiError(f"无法写入 {path}：{zh}", f"cannot write {path}: {en}") from e


# Windows' errors for a file another program has open: access denied (Excel holds it without sharing
# delete, which a rename over it needs), sharing violation, lock violation.
_HELD_OPEN = (5, 32, 33)


def held_open(e: OSError, path: Path) -> bool:
    """Whether a failed write over `path` means another program has it open (Windows; POSIX lets a file
    be replaced whoever reads it): the error says so and the file itself is not read-only."""
    return isinstance(e, PermissionError) and getattr(e, "winerror", None) in _HELD_OPEN and \
        path.exists() and os.access(path, os.W_OK)


def file_name(as_of: dt.date, fmt: str, part: str | None = None) -> str:
    """kuaidi-report-2021-12-31.xlsx; a part of the CSV export: kuaidi-report-2021-12-31-attention.csv."""
    return f"kuaidi-report-{as_of.isoformat()}{'-' + part if part else ''}.{fmt}"


CSV_LISTS = ("attention", "findings")  # written beside the county CSV: the workbook's capped lists, whole
