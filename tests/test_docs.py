"""The README documents what the code does, and CI runs the README's test command."""

from conftest import ROOT

from kuaidi_cli.core.fields import FIELDS
from kuaidi_cli.core.findings import CATALOGUE

README = (ROOT / "README.md").read_text(encoding="utf-8")
FINDINGS = (ROOT / "docs" / "FINDINGS.md").read_text(encoding="utf-8")  # the catalogue, linked from the README


def test_every_finding_code_is_documented():
    assert "docs/FINDINGS.md" in README
    for code in CATALOGUE:
        assert f"`{code}`" in FINDINGS, code


def test_every_field_is_documented():
    for fields in FIELDS.values():
        for f in fields:
            assert f"`{f.name}`" in README, f.name


def test_the_source_cites_the_repository_s_own_docs_and_never_an_outside_spec():
    import re

    cited = set()
    for path in sorted((ROOT / "src").rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"\bSPEC\b", text), f"{path.relative_to(ROOT)} cites SPEC: cite docs/ instead"
        cited |= set(re.findall(r"docs/[A-Z]+\.md", text))
    assert {"docs/METRICS.md", "docs/EXPORTS.md", "docs/INPUTS.md", "docs/PERFORMANCE.md"} <= cited
    for doc in cited:
        assert (ROOT / doc).is_file(), doc
    exports = (ROOT / "docs" / "EXPORTS.md").read_text(encoding="utf-8")
    assert "**The JSON report**" in exports and "`kuaidi.report/1`" in exports


def test_quick_start_and_ci_use_the_same_command():
    assert "make demo" in README and "make test" in README
    ci = [line for line in (ROOT / ".ci" / "run").read_text().splitlines() if line and not line.startswith(("#", "set ", "cd "))]
    assert ci == ["make test", "make test-wheel"] and "make test-wheel" in README


def test_the_terminal_examples_are_what_the_commands_print():
    """scripts/examples.py runs every `$ kuaidi …` example of the README and docs/EXAMPLES.md on the
    checkout's own files; `python scripts/examples.py --write` brings them up to date."""
    import importlib.util
    import sys

    spec = importlib.util.spec_from_file_location("examples", ROOT / "scripts" / "examples.py")
    assert spec is not None and spec.loader is not None
    examples = importlib.util.module_from_spec(spec)
    sys.modules["examples"] = examples  # (its dataclass looks its module up there)
    spec.loader.exec_module(examples)
    assert len([e for f in examples.FILES for e in examples.examples(f)]) >= 5
    assert examples.differing() == []


def test_the_screenshots_the_readme_shows_are_there():
    """docs/screens holds the page (city, county) and a printed page of each workbook sheet (city, county), as
    scripts/screenshot.sh makes them; every picture the README and docs/EXPORTS.md name exists."""
    import re

    root = ROOT
    named = re.findall(r"\((docs/screens/[^)]+\.png)\)", (root / "README.md").read_text(encoding="utf-8"))
    named += ["docs/" + p for p in re.findall(r"\((screens/[^)]+\.png)\)",
                                              (root / "docs" / "EXPORTS.md").read_text(encoding="utf-8"))]
    assert len(named) >= 17
    assert all((root / p).is_file() for p in named), [p for p in named if not (root / p).is_file()]
    for scope in ("city", "county"):
        assert (root / "docs" / "screens" / f"page-{scope}.png").is_file()
        for sheet in ("targets", "counties", "townships", "submissions", "attention", "findings", "about"):
            assert list((root / "docs" / "screens").glob(f"workbook-{scope}-*-{sheet}.png")), (scope, sheet)
