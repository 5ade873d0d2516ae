"""Writing outputs safely: never over an input, never a half-written file where a good one was."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

from kuaidi_cli.errors import KuaidiError


def _mode(path: Path) -> int:
    """The mode the file would have if opened normally: its current mode, else 0666 less the umask."""
    try:
        return path.stat().st_mode & 0o777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def write_atomic(path: Path, data: bytes, inputs: list[Path]) -> None:
    """Write to a temporary file beside `path`, then rename it into place."""
    target = path.resolve()
    for p in inputs:
        if p.exists() and p.resolve() == target:
            raise KuaidiError(f"输出文件 {path} 是输入文件之一，已拒绝覆盖；请换一个 -o 路径",
                              f"the output {path} is one of the inputs; refused; choose another -o path")
    if path.is_dir():
        raise KuaidiError(f"{path} 是文件夹，请给出文件名", f"{path} is a directory; give a file name")
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent if str(path.parent) else ".")
    except OSError as e:
        raise KuaidiError(f"无法写入 {path.parent}：{e.strerror}", f"cannot write in {path.parent}: {e.strerror}") from e
    try:
        with os.fdopen(fd, "wb") as fh:
            os.fchmod(fh.fileno(), _mode(path))
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except OSError as e:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise KuaidiError(f"无法写入 {path}：{e.strerror}", f"cannot write {path}: {e.strerror}") from e
