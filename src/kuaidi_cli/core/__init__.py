"""Core: what every layer shares — the failures that stop a run (errors), the findings catalogue, the
register fields and their header aliases, the rules file, the official division list (gazetteer), text
normal forms and grouping helpers, and the two process-level helpers (a thread, the paused collector).

May import: nothing of kuaidi_cli outside core (the bottom layer).
"""
