"""The version of Sillage, below everything that names it (``--version``, bug reports)."""

VERSION = "0.1.0"
