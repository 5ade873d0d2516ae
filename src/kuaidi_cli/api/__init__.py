"""The API: kuaidi as a Python library (`import kuaidi_cli as kuaidi`; docs/API.md). Registers in as
paths, folders, patterns or pandas DataFrames; results out as the `kuaidi.report/1` model, findings and
DataFrames; failures to run as KuaidiError, never an exit or a printed line. The command line is built on
these very functions.

May import: every layer below (commands, write, report, measure, check, read, core); never typer.
"""

from kuaidi_cli.api.history import changes, history, trend
from kuaidi_cli.api.run import check, report, write
from kuaidi_cli.api.sources import load_rules

__all__ = ["changes", "check", "history", "load_rules", "report", "trend", "write"]
