"""Commands: each command of the CLI as one library call (check, report, export, the inputs they read),
importable without typer — the CLI only parses options and renders.

May import: every layer below (write, report, measure, check, read, core); never typer.
"""
