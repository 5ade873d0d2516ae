"""Whole outputs (JSON, CSV, a summary line) written to stdout, and kuaidi's one-line messages to stderr,
without rich (`kuaidi check --format json` does not load the terminal's library)."""

from __future__ import annotations

import os
import sys


def quiet_stdout() -> None:
    """Point file descriptor 1 at the null device: what is left to print goes nowhere."""
    _quiet(sys.stdout)


def _quiet(stream: object) -> None:
    devnull = os.open(os.devnull, os.O_WRONLY)
    fileno = getattr(stream, "fileno", None)
    os.dup2(devnull, fileno() if fileno is not None else 1)
    os.close(devnull)


def emit(data: str | bytes) -> None:
    """Write a whole output (JSON, CSV…) to stdout. A reader that stopped reading (`kuaidi check --format json
    | head -1`) is no failure: the rest goes to /dev/null, and the command ends with its own exit code."""
    try:
        if isinstance(data, bytes):
            sys.stdout.buffer.write(data)
        else:
            sys.stdout.write(data)
        sys.stdout.flush()
    except BrokenPipeError:
        quiet_stdout()


def say(line: str) -> None:
    """One line on stderr (a note, what --fail-on failed on, why kuaidi cannot run). stderr may be the pipe
    of a reader that stopped reading (`kuaidi report --fail-on missed 2>&1 | head -1`): the line then goes
    nowhere, and the command still ends with its own exit code (`set -o pipefail` sees it)."""
    try:
        sys.stderr.write(line + "\n")
        sys.stderr.flush()
    except BrokenPipeError:
        _quiet(sys.stderr)


# What a character the output's encoding lacks is written as, the first the encoding has (GBK has √ and ×;
# ASCII neither); anything else becomes "?". Chinese text stays itself in GBK/GB18030.
_DEGRADED: dict[str, tuple[str, ...]] = {
    "✓": ("√", "OK"), "✔": ("√", "OK"), "✗": ("×", "x"), "✘": ("×", "x"), "⚠": ("!",), "•": ("·", "*"),
    "—": ("-",), "–": ("-",), "…": ("...",), "·": (".",), "×": ("x",), "√": ("OK",), "→": ("->",),
    "←": ("<-",), "≥": (">=",), "≤": ("<=",), "「": ('"',), "」": ('"',), "“": ('"',), "”": ('"',),
    "‘": ("'",), "’": ("'",), "　": (" ",), "，": (",",), "：": (":",), "；": (";",), "（": ("(",), "）": (
        ")",),
    "。": (".",), "、": (",",),
}
ERRORS = "kuaidi-degrade"


def _degrade(e: UnicodeError) -> tuple[str, int]:
    if not isinstance(e, UnicodeEncodeError):
        raise e
    out = []
    for ch in e.object[e.start:e.end]:
        for alt in (*_DEGRADED.get(ch, ()), "?"):
            try:
                alt.encode(e.encoding)
            except UnicodeEncodeError:
                continue
            out.append(alt)
            break
    return "".join(out), e.end


def degrade_unencodable() -> None:
    """Let stdout and stderr write what their encoding cannot (a GBK console or file on Windows, a
    scheduled task's log): ✓ → √, ✗ → ×, ⚠ → !, anything else → "?", instead of a UnicodeEncodeError
    halfway through a report. A UTF-8 stream is left as it is."""
    import codecs
    import io

    codecs.register_error(ERRORS, _degrade)
    for stream in (sys.stdout, sys.stderr):
        if isinstance(stream, io.TextIOWrapper) and not stream.encoding.lower().replace("-", "").startswith(
            "utf"):
            stream.reconfigure(errors=ERRORS)
