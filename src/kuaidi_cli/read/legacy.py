"""The pre-flight of an old .xls (Excel 97-2003) file: opened first in a child process, so that a file
that would crash or hang the native reader costs a clear error, not the run."""

from __future__ import annotations

from pathlib import Path

from kuaidi_cli.core.errors import InputError
from kuaidi_cli.read.table import Limits

_PREFLIGHT = """
import resource, sys
resource.setrlimit(resource.RLIMIT_AS, (int(sys.argv[2]), int(sys.argv[2])))
import python_calamine as pc
try:
    with open(sys.argv[1], "rb") as fh:  # (by its bytes, whatever its name)
        wb = pc.CalamineWorkbook.from_filelike(fh)
    for name in wb.sheet_names:
        wb.get_sheet_by_name(name).to_python()
except BaseException:
    pass  # an error the parent reports properly; only a dead process matters here
"""


def preflight_legacy(path: Path, limits: Limits) -> None:
    """Open an .xls in a child process under a memory limit first.

    calamine trusts sizes written inside the old binary format: fuzzing found 6 KB files that make it
    allocate gigabytes and abort the whole process. Such a file kills only the child; the user gets one
    line. (xlsx and ods are guarded by the zip-bomb check instead.)"""
    import subprocess
    import sys

    budget = max(512 << 20, 64 * path.stat().st_size) + (256 << 20)  # the interpreter itself needs ~200 MiB
    try:
        proc = subprocess.run([sys.executable, "-c", _PREFLIGHT, str(path), str(budget)], capture_output=True,
                              timeout=120)
    except subprocess.TimeoutExpired as e:
        raise InputError(f"{path} 读取超时，文件可能已损坏；请用 Excel 另存为 .xlsx 后再查",
                         f"{path} took too long to read; it may be corrupt; save it again as .xlsx") from e
    if proc.returncode != 0:
        raise InputError(
            f"{path} 读取时需要的内存远超台账应有的大小，文件可能已损坏；请用 Excel 另存为 .xlsx 后再查",
            f"{path} asks for far more memory than a register needs; it may be corrupt; save it again as .xlsx",
        )
