"""Measure: the valid rows of the registers into coverage at a date — which villages are reached, which
have an outlet of their own, which are priority villages — and the metrics of every scope. Pure: no
I/O, no clock (the as-of date is a parameter).

May import: kuaidi_cli.core (it takes frames that kuaidi_cli.check made, never the check code itself).
"""
