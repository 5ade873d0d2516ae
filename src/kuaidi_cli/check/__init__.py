"""Check: loaded tables into a register of valid rows and a list of findings. Every row ends in exactly
one place (valid, invalid, skipped); every column is checked by one unit of `check.units`; division
names and codes are checked against the official list (`check.official`).

May import: kuaidi_cli.read, kuaidi_cli.core.
"""

from kuaidi_cli.check.register import CheckResult, Counts, FileResult, Register, with_outlet_register
from kuaidi_cli.check.validate import validate

__all__ = ["CheckResult", "Counts", "FileResult", "Register", "validate", "with_outlet_register"]
