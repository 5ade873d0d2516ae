"""The terminal examples of the README and docs/EXAMPLES.md, made by running them, so they cannot drift.

An example is a fenced block whose first line is `$ kuaidi ARGS` where every file ARGS names exists in
the checkout (a block about a file made elsewhere, or with a `#` comment, is an illustration and left
alone). The rest of the block is the command's standard output as a terminal 110 columns wide shows
it. A block may show a part: lines up to a line beginning `│ …` or `…` are the output's first lines,
and the lines after it that do not begin so are its last lines.

    python scripts/examples.py           # list the examples that differ from what the commands print
    python scripts/examples.py --write   # rewrite them from what the commands print

tests/test_docs.py runs the check.
"""

from __future__ import annotations

import functools
import os
import re
import shlex
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FILES = (ROOT / "README.md", ROOT / "docs" / "EXAMPLES.md")
WIDTH = "110"
_TIME = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00")


@dataclass
class Example:
    path: Path
    start: int  # index of the `$ kuaidi` line in the file's lines
    end: int  # index of the closing fence
    args: list[str]


def _cut(line: str) -> bool:
    return line.startswith(("│ …", "…"))


def examples(path: Path) -> list[Example]:
    lines = path.read_text(encoding="utf-8").split("\n")
    found = []
    for i, line in enumerate(lines):
        if line.startswith("$ kuaidi ") and i > 0 and lines[i - 1].startswith("```") and "#" not in line:
            args = shlex.split(line[len("$ kuaidi "):])
            files = [a for a in args if not a.startswith("-") and "/" in a]
            if (files and all((ROOT / a).exists() for a in files)) or "--samples" in args:
                end = next(j for j in range(i + 1, len(lines)) if lines[j].startswith("```"))
                found.append(Example(path, i, end, args))
    return found


@functools.cache
def output(args: tuple[str, ...]) -> list[str]:
    """What the command prints, as the block shows it: no trailing spaces, no final empty line. Run in this
    process (typer's CliRunner: standard output alone, to a pipe, as with `| cat`) from the checkout's root,
    once for examples that repeat a command."""
    from typer.testing import CliRunner

    from kuaidi_cli.cli import app

    here = os.getcwd()
    os.chdir(ROOT)
    try:
        run = CliRunner().invoke(app, list(args), env={"COLUMNS": WIDTH, "KUAIDI_LANG": None})
    finally:
        os.chdir(here)
    return [line.rstrip() for line in run.stdout.rstrip("\n").split("\n")]


def expected(block: list[str], out: list[str]) -> list[str]:
    """The block as the command's output makes it: whole, or its first and last lines around a cut."""
    cut = next((k for k, line in enumerate(block) if _cut(line)), None)
    if cut is None:
        return out
    tail = len(block) - cut - 1 - sum(1 for line in block[cut + 1:] if _cut(line))
    return out[:cut] + [line for line in block[cut:] if _cut(line)] + (out[len(out) - tail:] if tail else [])


def differing(write: bool = False) -> list[str]:
    """The examples that differ from what their commands print (`write`: rewritten to match)."""
    wrong = []
    for path in FILES:
        lines = path.read_text(encoding="utf-8").split("\n")
        for ex in reversed(examples(path)):  # from the end: rewriting a block keeps the earlier indexes
            block = [line.rstrip() for line in lines[ex.start + 1: ex.end]]
            want = expected(block, output(tuple(ex.args)))
            if [_TIME.sub("…", x) for x in block] != [_TIME.sub("…", x) for x in want]:
                wrong.append(f"{path.relative_to(ROOT)}:{ex.start + 1}: $ kuaidi {' '.join(ex.args)}")
                lines[ex.start + 1: ex.end] = want
        if write:
            path.write_text("\n".join(lines), encoding="utf-8")
    return wrong


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT / "src"))  # the checkout's kuaidi, installed or not
    stale = differing(write="--write" in sys.argv)
    print("\n".join(stale) if stale else "every example is what its command prints")
