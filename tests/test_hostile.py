"""The hostile-input corpus: each file gets a clear finding (exit 1) or one clear line (exit 2), within
bounded time and memory, and never a traceback. Each runs as a real process under resource limits: `python -m
kuaidi_cli check FILE`, forked from a process that has imported kuaidi (so that the 23 files do not each pay
Python's and pandas' start, half a second), with a bare environment, its own stdout and stderr, and the
limits set in it before it runs."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

HOSTILE = Path(__file__).resolve().parent / "hostile"
sys.path.insert(0, str(HOSTILE))
import make_corpus  # noqa: E402  (the corpus script, for the large files it makes at test time)

MEMORY = 3 << 30  # address space: pandas and calamine fit with room; a bomb would not
CPU_SECONDS = 60

# file → (exit code, what stdout or stderr must say)
EXPECTED = {
    "empty.csv": (2, "空文件"),
    "header_only.csv": (1, "empty-register"),
    "zero_rows.xlsx": (1, "empty-register"),
    "junk.csv": (2, "不是文本表格"),
    "junk.xlsx": (2, "不是文本表格"),
    "truncated.xlsx": (2, "已损坏"),
    "encrypted.xlsx": (2, "密码"),
    "billion_laughs.xlsx": (2, "无法作为表格打开"),
    "mixed_encodings.csv": (2, "第 3 行起却是另一种编码"),
    "nul_bytes.csv": (2, "不是文本表格"),
    "cr_only.csv": (1, "第3行"),  # the bad row is row 3: CR-only line ends are read as rows
    "formulas_errors.xlsx": (1, "「#DIV/0!」不是有效的数值"),
    "dates_1899_2099.csv": (1, "absurd-value"),
    "negative_nan.csv": (1, "「NaN」不是有效的数值"),
    "all_hidden.xlsx": (2, "全部被隐藏"),
    "fuzz_calamine_cfb_panic.xlsx": (2, "无法作为表格打开"),
    "fuzz_csv_newline_in_field.csv": (1, "bad-date"),  # a CR inside a cell: now read, and its broken cells reported
    "fuzz_year_1260.csv": (1, "bad-date"),  # a year pandas cannot hold: a bad date, not a crash
    "fuzz_zip_bad_name.xlsx": (2, "已损坏"),  # a zip member name that is not UTF-8
    "fuzz_xls_memory_bomb.xls": (2, "内存"),  # 6 KB that made calamine allocate gigabytes and abort
    # made at test time
    "zip_bomb.xlsx": (2, "解压后"),
    "wide_row.csv": (2, "100000 个单元格"),
    "big_cell.csv": (1, "absurd-value"),
}

MADE = {"zip_bomb.xlsx": make_corpus.zip_bomb, "wide_row.csv": make_corpus.wide_row, "big_cell.csv": make_corpus.big_cell}


ENV = {"PATH": "/usr/bin:/bin", "COLUMNS": "200", "RUST_BACKTRACE": "1"}

# Reads one request a line (the arguments, and the files for stdout and stderr), forks, and answers the
# child's exit status. The child is `python -m kuaidi_cli ARGS` as the interpreter runs it: SystemExit, an
# uncaught exception and the interpreter's exit are Python's own; SIGALRM ends a child that hangs.
FORKS = f"""
import json, os, resource, runpy, signal, sys
import kuaidi_cli.api, kuaidi_cli.cli, kuaidi_cli.commands.check  # what a check imports, once
for line in sys.stdin:
    job = json.loads(line)
    sys.stdout.flush()
    child = os.fork()
    if child == 0:
        for fd, name, flags in ((0, os.devnull, os.O_RDONLY), (1, job["stdout"], os.O_WRONLY | os.O_CREAT),
                                (2, job["stderr"], os.O_WRONLY | os.O_CREAT)):
            os.dup2(os.open(name, flags, 0o600), fd)
        resource.setrlimit(resource.RLIMIT_AS, ({MEMORY}, {MEMORY}))
        resource.setrlimit(resource.RLIMIT_CPU, ({CPU_SECONDS}, {CPU_SECONDS}))
        signal.alarm(120)
        sys.argv = ["kuaidi_cli", *job["args"]]
        runpy.run_module("kuaidi_cli", run_name="__main__", alter_sys=True)
        sys.exit(0)
    print(json.dumps(os.waitstatus_to_exitcode(os.waitpid(child, 0)[1])), flush=True)
"""


@pytest.fixture(scope="module")
def kuaidi():
    """Runs `python -m kuaidi_cli ARGS` as a process of its own; returns (exit code, stdout, stderr)."""
    forks = subprocess.Popen([sys.executable, "-c", FORKS], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
                             env=ENV)
    asks, answers = forks.stdin, forks.stdout
    assert asks is not None and answers is not None

    def run(args: list[str], folder: Path) -> tuple[int, str, str]:
        out, err = folder / "stdout", folder / "stderr"
        asks.write(json.dumps({"args": args, "stdout": str(out), "stderr": str(err)}) + "\n")
        asks.flush()
        answer = answers.readline()
        assert answer, f"the process that forks the checks has ended (exit {forks.poll()})"
        return json.loads(answer), out.read_text(encoding="utf-8"), err.read_text(encoding="utf-8")

    yield run
    asks.close()
    forks.wait(timeout=60)


def test_every_corpus_file_is_listed():
    on_disk = {p.name for p in HOSTILE.iterdir() if p.suffix in (".csv", ".xlsx", ".xls", ".txt")}
    assert on_disk == set(EXPECTED) - set(MADE)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_hostile_file(name, tmp_path, kuaidi):
    path = MADE[name](tmp_path / name) if name in MADE else HOSTILE / name
    code, words = EXPECTED[name]
    returncode, stdout, stderr = kuaidi(["check", str(path), "--divisions", "none", "--max-findings", "5"], tmp_path)
    assert returncode == code, (returncode, stdout[-500:], stderr[-500:])
    assert "Traceback" not in stdout + stderr
    assert "panicked" not in stderr
    if code == 2:
        assert stdout == ""
        assert len(stderr.strip().splitlines()) == 1
        assert words in stderr
    else:
        assert words in stdout


@pytest.mark.parametrize("chunk", [1, 2, 3, 4, 5, 6, 7, 64])
def test_error_cells_are_found_whatever_the_scan_chunk(monkeypatch, chunk):
    # the sheet XML is looked through in chunks for an error cell's mark (t="e", 5 bytes); a mark cut by a
    # chunk's end must still be found (chunks of 1-4 bytes always cut it)
    from kuaidi_cli.read import error_cells

    monkeypatch.setattr(error_cells, "SCAN_CHUNK", chunk)
    cells = error_cells.xlsx_error_cells(HOSTILE / "formulas_errors.xlsx", "台账")
    assert "#DIV/0!" in cells.values()
