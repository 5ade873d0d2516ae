"""`template` as a library call: a register workbook pre-filled with the official names and codes."""

from __future__ import annotations

from pathlib import Path

from kuaidi_cli.core import gazetteer
from kuaidi_cli.core.errors import KuaidiError
from kuaidi_cli.core.rules import Rules, canonical_county
from kuaidi_cli.write.files import refuse_existing, write_atomic
from kuaidi_cli.write.template import to_template


def write_template(output: Path, counties: list[str], rules: Rules, divisions: str | None, *,
                   with_outlets: bool = False, force: bool = False) -> int:
    """Write the template of `counties` (default: the rules' scope) to `output`, an .xlsx that must not
    exist unless `force` (a filled register must never be replaced by a blank template); returns the
    number of administrative villages it holds."""
    if output.suffix.lower() != ".xlsx":
        raise KuaidiError(f"模板是 Excel 工作簿：-o 请用 .xlsx 结尾（不是 {output.name}）",
                          f"the template is an Excel workbook: end -o in .xlsx (not {output.name})")
    if not force:
        refuse_existing(output)
    official = gazetteer.load(rules, divisions)
    chosen = [canonical_county(c, rules) for c in counties] or list(rules.scope.counties)
    if official is not None:
        unknown = [c for c in chosen if c not in official.county_names]
        if unknown:
            raise KuaidiError(f"官方区划中没有县区「{unknown[0]}」",
                              f"no county '{unknown[0]}' in the official list")
    write_atomic(output, to_template(rules, official, chosen, with_outlets=with_outlets), [])
    return len(official.administrative_villages(chosen or None)) if official is not None else 0
