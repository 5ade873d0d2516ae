"""kuaidi: coverage calculator for the 快递进村 programme."""

__version__ = "0.1.0"
