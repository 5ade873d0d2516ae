"""Shared helpers: the default rules, and small registers written inline so a reader sees the rows."""

from __future__ import annotations

from pathlib import Path

import pytest

from kuaidi_cli.fields import Kind
from kuaidi_cli.loading import load
from kuaidi_cli.rules import Rules, load_rules
from kuaidi_cli.validation import Register, validate

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).resolve().parent / "fixtures"
SAMPLES = ROOT / "data" / "samples"


@pytest.fixture(scope="session")
def rules() -> Rules:
    return load_rules()[0]


def write(tmp_path: Path, text: str, name: str = "register.csv", encoding: str = "utf-8") -> Path:
    """Write a register; the text's lines are the file's rows (row 1 is the first line)."""
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def run(paths: list[Path] | Path, rules: Rules, kind: Kind = Kind.VILLAGES, **kw) -> Register:
    paths = paths if isinstance(paths, list) else [paths]
    return validate([load(p, kind, **kw) for p in paths], rules)


def found(register: Register, severity: str | None = None) -> set[tuple]:
    """(code, row, column) of each finding, as frictionless-style tests assert them."""
    return {(f.code, f.row, f.column) for f in register.findings if severity is None or f.severity == severity}


HEADER = "县区,乡镇,行政村,区划代码,人口数(人),距乡镇驻地距离(公里),是否驻村设点,设点时间,是否通达,通达时间,合作模式"
