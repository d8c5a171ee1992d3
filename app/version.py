"""The version of Sillage, written once, below everything that names it: the package metadata
(pyproject.toml reads it), ``--version``, bug reports, backup manifests. The Windows installer
script repeats it; tests/test_installer.py checks that they agree."""

VERSION = "0.1.0"
