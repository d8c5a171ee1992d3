"""CSV output that a spreadsheet cannot run as a formula (SPEC §10).

A text cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is
prefixed with ``'``, so that LibreOffice Calc or Excel shows it as text instead of
evaluating it (CSV injection). Numbers are written as they are.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from typing import Any, TextIO

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


class SafeWriter:
    """``csv.writer`` with every text cell neutralised."""

    def __init__(self, out: TextIO) -> None:
        self._writer = csv.writer(out, lineterminator="\n")

    def writerow(self, row: Iterable[Any]) -> None:
        self._writer.writerow([neutralise(cell) for cell in row])
