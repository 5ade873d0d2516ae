"""Writing outputs safely: never over an input, never over a file kuaidi did not write (unless forced),
never a half-written file where a good one was."""

from __future__ import annotations

import contextlib
import errno
import os
import secrets
import zipfile
from collections.abc import Mapping
from pathlib import Path

from kuaidi_cli.core.errors import KuaidiError, os_reason
from kuaidi_cli.write import formats
from kuaidi_cli.write.marks import CSV_LISTS as CSV_LISTS
from kuaidi_cli.write.marks import file_name as file_name
from kuaidi_cli.write.marks import knows_svg, knows_text

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


def written_by_kuaidi(path: Path, csv_headers: Mapping[str, bool] | None = None) -> bool:
    """Whether an existing file is one of kuaidi's own outputs: by the mark each format carries
    (write.formats; a CSV by its header row, one of `csv_headers`: header → whether that table ends with
    a 合计 row), the trend's chart by its own; a file of any other suffix as a text report."""
    fmt = formats.by_suffix(path.suffix)
    knows = knows_svg if path.suffix.lower() == ".svg" else fmt.knows if fmt else knows_text
    try:
        return knows(path, csv_headers or {})
    except (OSError, KeyError, zipfile.BadZipFile, ValueError):
        return False


def refuse_existing(path: Path, *, own: bool = False, csv_headers: Mapping[str, bool] | None = None,
                    option: str = "-o",
                    force: bool = True, api: bool = False) -> None:
    """Raise unless `path` may be written: it does not exist, or (with `own`) it is kuaidi's own output.
    The message names the `option` to change, and --force when the command has it (`api`: the library's
    words, another path or force=True)."""
    if not path.exists() or path.is_dir():
        return  # a folder is refused by write_atomic, with its own message
    if own and written_by_kuaidi(path, csv_headers):
        return
    what = "不是 kuaidi 生成的文件，" if own else ""
    what_en = " and was not written by kuaidi" if own else ""
    how = (f"换一个 {option} 路径，或加 --force 覆盖",
           f"choose another {option} path, or add --force") if force else \
        (f"请移走它，或换一个 {option}", f"move it away, or choose another {option}")
    if api:
        how = ("换一个路径，或用 force=True 覆盖", "choose another path, or pass force=True")
    raise KuaidiError(f"{path} 已存在，{what}不会覆盖；{how[0]}",
                      f"{path} exists{what_en}; not overwritten: {how[1]}")


def refuse_input(path: Path, inputs: list[Path], *, api: bool = False) -> None:
    """Raise when `path` is one of the inputs (whatever --force says: an input is never overwritten); the
    message names -o (`api`: the path)."""
    target = path.resolve()
    option = "" if api else "-o "
    for p in inputs:
        if p.exists() and p.resolve() == target:
            raise KuaidiError(f"输出文件 {path} 是输入文件之一，已拒绝覆盖；请换一个 {option}路径",
                              f"the output {path} is one of the inputs; refused; choose another {option}path")


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
                              f"the file '{path}' is open in another program (Excel, WPS…); close it and "
                              "try again") from e
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
