"""Faults in the middle of an export: the previous good files stay intact, the message is clear, the
exit is non-zero, and the next run recovers."""

import errno
import json
import os
import sqlite3
import subprocess
import sys
import textwrap
import time

from conftest import SAMPLES
from typer.testing import CliRunner

from kuaidi_cli.cli import app
from kuaidi_cli.write.files import write_atomic

runner = CliRunner()
ARGS = ["--villages", str(SAMPLES / "villages.csv"), "--outlets", str(SAMPLES / "outlets.csv"), "--formats", "json"]


def export(out, *extra):
    return runner.invoke(app, ["export", "--out", str(out), *ARGS, *map(str, extra)])


def good_export(tmp_path):
    first = export(tmp_path, "--as-of", "2021-06-30", "--no-history")
    assert first.exit_code == 0
    path = tmp_path / "kuaidi-report-2021-06-30.json"
    return path, path.read_bytes()


def test_killed_between_writing_and_renaming(tmp_path):
    path, before = good_export(tmp_path)
    script = textwrap.dedent(f"""
        import os, signal, sys
        import kuaidi_cli.write.files
        kuaidi_cli.write.files.os.replace = lambda src, dst: os.kill(os.getpid(), signal.SIGKILL)
        from kuaidi_cli.cli import main
        sys.argv = ["kuaidi", "export", "--out", {str(tmp_path)!r}, *{ARGS!r}, "--as-of", "2021-06-30", "--no-history"]
        main()
    """)
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, timeout=120)
    assert proc.returncode == -9  # killed
    assert path.read_bytes() == before  # the good report is untouched
    assert list(tmp_path.glob(".kuaidi-report-*.tmp"))  # the half-written file is only a temp file
    again = export(tmp_path, "--as-of", "2021-06-30", "--no-history")
    assert again.exit_code == 0
    assert json.loads(path.read_text(encoding="utf-8"))["as_of"] == "2021-06-30"
    assert not list(tmp_path.glob(".kuaidi-report-*.tmp"))  # the next run cleaned up


def test_read_only_output_folder(tmp_path, monkeypatch):
    path, before = good_export(tmp_path)

    def refuse(*args, **kwargs):
        raise PermissionError(errno.EACCES, "Permission denied")

    # root ignores directory modes, so the refusal is simulated where the file would be created
    monkeypatch.setattr("kuaidi_cli.write.files._create_beside", refuse)
    result = export(tmp_path, "--as-of", "2021-06-30", "--no-history")
    assert result.exit_code == 2 and "无法写入" in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert path.read_bytes() == before
    monkeypatch.undo()
    assert export(tmp_path, "--as-of", "2021-06-30", "--no-history").exit_code == 0


def test_a_new_output_has_the_mode_of_a_file_opened_normally_and_the_umask_is_never_touched(tmp_path, monkeypatch):
    """Another thread may create files meanwhile: the process's umask is neither changed nor asked."""
    touched = []
    real_umask = os.umask

    def record(mask):
        touched.append(mask)
        return 0
    for umask, mode in ((0o027, 0o640), (0o002, 0o664), (0o077, 0o600)):
        before = real_umask(umask)
        try:
            monkeypatch.setattr(os, "umask", record)
            write_atomic(tmp_path / f"new-{umask:o}.json", b"{}", [])
        finally:
            monkeypatch.undo()
            real_umask(before)
        assert (tmp_path / f"new-{umask:o}.json").stat().st_mode & 0o777 == mode
    assert touched == []
    replaced = tmp_path / "replaced.json"
    replaced.write_bytes(b"[]")
    replaced.chmod(0o604)  # a file replaced keeps its mode, whatever the umask
    write_atomic(replaced, b"{}", [])
    assert replaced.stat().st_mode & 0o777 == 0o604 and replaced.read_bytes() == b"{}"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["new-2.json", "new-27.json", "new-77.json", "replaced.json"]


def test_full_disk(tmp_path, monkeypatch):
    path, before = good_export(tmp_path)
    import os as real_os

    real_fdopen = real_os.fdopen

    class Full:
        def __init__(self, fd, mode):
            self.fh = real_fdopen(fd, mode)

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            self.fh.close()

        def fileno(self):
            return self.fh.fileno()

        def write(self, data):
            raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr("kuaidi_cli.write.files.os.fdopen", Full)
    result = export(tmp_path, "--as-of", "2021-06-30", "--no-history")
    assert result.exit_code == 2 and "磁盘已满" in result.stderr  # (the system's "No space left" in English)
    assert path.read_bytes() == before
    assert not list(tmp_path.glob(".kuaidi-report-*.tmp"))
    monkeypatch.undo()
    assert export(tmp_path, "--as-of", "2021-06-30", "--no-history").exit_code == 0


def test_history_locked_by_another_process(tmp_path):
    history = tmp_path / "h.sqlite"
    assert export(tmp_path, "--as-of", "2021-06-30", "--history", history).exit_code == 0
    holder = subprocess.Popen([sys.executable, "-c", textwrap.dedent(f"""
        import sqlite3, sys, time
        conn = sqlite3.connect({str(history)!r}, isolation_level=None)
        conn.execute("BEGIN EXCLUSIVE")
        print("locked", flush=True)
        time.sleep(30)
    """)], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
        t = time.monotonic()
        result = export(tmp_path, "--as-of", "2021-12-31", "--history", history, "--wait", "0.5")
        assert time.monotonic() - t < 20
        assert result.exit_code == 2 and "锁住" in result.stderr
    finally:
        holder.kill()
        holder.wait()
    assert export(tmp_path, "--as-of", "2021-12-31", "--history", history).exit_code == 0
    with sqlite3.connect(history) as conn:
        assert sorted(r[0] for r in conn.execute("SELECT as_of FROM runs")) == ["2021-06-30", "2021-12-31"]
