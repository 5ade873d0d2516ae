"""The pre-flight of an old .xls (Excel 97-2003) file: opened first in a child process, so that a file
that would crash or hang the native reader costs a clear error, not the run."""

from __future__ import annotations

from pathlib import Path

from kuaidi_cli.core.errors import InputError
from kuaidi_cli.read.table import Limits

# The child: first a memory limit where the platform has one (POSIX: resource; Windows: a job object,
# through ctypes), saying on its first line whether it has one; then the whole workbook read.
_PREFLIGHT = """
import sys
budget = int(sys.argv[2])
capped = False
try:
    import resource
    resource.setrlimit(resource.RLIMIT_AS, (budget, budget))
    capped = True
except (ImportError, ValueError, OSError):
    if sys.platform == "win32":
        try:
            import ctypes
            from ctypes import wintypes
            class Basic(ctypes.Structure):
                _fields_ = [("user_time", ctypes.c_int64), ("job_user_time", ctypes.c_int64),
                            ("flags", wintypes.DWORD), ("min_ws", ctypes.c_size_t),
                            ("max_ws", ctypes.c_size_t), ("processes", wintypes.DWORD),
                            ("affinity", ctypes.c_size_t),
                            ("priority", wintypes.DWORD), ("scheduling", wintypes.DWORD)]
            class Extended(ctypes.Structure):
                _fields_ = [("basic", Basic), ("io", ctypes.c_uint64 * 6),
                            ("process_memory", ctypes.c_size_t), ("job_memory", ctypes.c_size_t),
                            ("peak_process", ctypes.c_size_t), ("peak_job", ctypes.c_size_t)]
            k = ctypes.WinDLL("kernel32")
            k.CreateJobObjectW.restype = k.GetCurrentProcess.restype = wintypes.HANDLE
            k.CreateJobObjectW.argtypes = [ctypes.c_void_p, ctypes.c_wchar_p]
            k.SetInformationJobObject.argtypes = [wintypes.HANDLE, ctypes.c_int, ctypes.c_void_p,
                                                  wintypes.DWORD]
            k.AssignProcessToJobObject.argtypes = [wintypes.HANDLE, wintypes.HANDLE]
            info = Extended()
            info.basic.flags = 0x100  # JOB_OBJECT_LIMIT_PROCESS_MEMORY
            info.process_memory = budget
            job = k.CreateJobObjectW(None, None)
            capped = bool(job and k.SetInformationJobObject(job, 9, ctypes.byref(info), ctypes.sizeof(info))
                          and k.AssignProcessToJobObject(job, k.GetCurrentProcess()))
        except Exception:
            capped = False
print("capped" if capped else "uncapped", flush=True)
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
    line. (xlsx and ods are guarded by the zip-bomb check instead.) The limit is the platform's: where
    none can be set, the child still reads the file (a crash costs only the child), and only a child that
    had a limit is said to have wanted too much memory."""
    import subprocess
    import sys

    budget = max(512 << 20, 64 * path.stat().st_size) + (256 << 20)  # the interpreter itself needs ~200 MiB
    try:
        proc = subprocess.run([sys.executable, "-c", _PREFLIGHT, str(path), str(budget)], capture_output=True,
                              timeout=120)
    except subprocess.TimeoutExpired as e:
        raise InputError(f"{path} 读取超时，文件可能已损坏；请用 Excel 另存为 .xlsx 后再查",
                         f"{path} took too long to read; it may be corrupt; save it again as .xlsx") from e
    if proc.returncode == 0:
        return
    if proc.stdout.startswith(b"capped"):
        raise InputError(
            f"{path} 读取时需要的内存远超台账应有的大小，文件可能已损坏；请用 Excel 另存为 .xlsx 后再查",
            f"{path} asks for far more memory than a register needs; it may be corrupt; save it again "
            "as .xlsx",
        )
    if proc.stdout.startswith(b"uncapped"):  # no limit on this platform: a crash, not a claim about memory
        raise InputError(
            f"{path} 读取时读取程序意外退出（退出码 {proc.returncode}），文件可能已损坏；请用 Excel 另存为 "
            ".xlsx 后再查",
            f"reading {path} stopped the reader unexpectedly (exit code {proc.returncode}); it may be "
            "corrupt; "
            "save it again as .xlsx",
        )
    last = (proc.stderr.decode("utf-8", "replace").strip().splitlines() or [""])[-1][:200]
    raise InputError(  # it died before opening the file: the file is not to blame
        f"无法启动读取 .xls 的进程（退出码 {proc.returncode}）：{last}；请加 --debug 重跑并把输出报告给我们",
        f"the process reading .xls files could not start (exit code {proc.returncode}): {last}; "
        "run again with --debug and report it",
    )
