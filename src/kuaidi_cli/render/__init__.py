"""Rendering of results: rich tables for a terminal, JSON for machines. Only this package imports rich."""
