"""Write and show: the report and the check result as people and programs read them — the terminal
(rich, only here), xlsx, html, csv, json, the trend chart, the register template — and the files they go
to (atomically, never over an input or a file kuaidi did not write) and the history database.

May import: kuaidi_cli.report, kuaidi_cli.measure, kuaidi_cli.check, kuaidi_cli.read, kuaidi_cli.core.
"""
