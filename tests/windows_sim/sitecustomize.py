"""Windows, as far as a Linux Python can pretend: what Windows' Python lacks is taken away before kuaidi
starts (tests/test_windows.py runs kuaidi with this folder on PYTHONPATH, and PYTHONIOENCODING=gbk as a
Chinese Windows gives a redirected output or a scheduled task's log).

Taken away: the POSIX-only modules (fcntl, resource, termios, pwd, grp), the POSIX-only calls of `os`
(fchmod before Python 3.13, the user and group ids, …) and the POSIX-only signals. Kept, because
Python's own POSIX machinery underneath needs them and Windows' has its equivalents: subprocess's
SIGKILL/SIGPIPE and os.fork, and platformdirs' Linux half (imported first). What this cannot show: msvcrt's locks, Windows paths and drive letters,
the console's own API — see README, "Windows".
"""

import contextlib
import os
import signal
import sys

with contextlib.suppress(ImportError):  # (platformdirs' Linux half asks the uid as it loads; Windows' never)
    import platformdirs  # noqa: F401

for _module in ("fcntl", "resource", "termios", "pwd", "grp"):
    sys.modules[_module] = None  # type: ignore[assignment]  # (`import fcntl` → ModuleNotFoundError)

for _name in ("fchmod", "fchown", "chown", "lchown", "getuid", "geteuid", "getgid", "getegid", "getgroups",
              "setuid", "seteuid", "setgid", "getpgid", "setsid", "killpg", "sync", "statvfs", "fstatvfs",
              "nice", "getloadavg", "sched_getaffinity", "sched_setaffinity", "mkfifo", "getpriority"):
    if hasattr(os, _name):
        delattr(os, _name)

for _name in ("SIGALRM", "SIGHUP", "SIGQUIT", "SIGUSR1", "SIGUSR2", "SIGCHLD", "alarm", "setitimer", "pause",
              "siginterrupt"):
    if hasattr(signal, _name):
        delattr(signal, _name)

os.environ["KUAIDI_WINDOWS_SIM"] = "1"  # (a test's check that the simulation is on)
