"""The WHERE of a query whose conditions are optional: each added with its values, or left out."""

from __future__ import annotations

from collections.abc import Iterable


class Where:
    """Conditions joined by AND, with their values in order (bind them after any earlier ``?``)."""

    def __init__(self) -> None:
        self.clauses: list[str] = []
        self.params: list[object] = []

    def add(self, clause: str, *values: object) -> None:
        self.clauses.append(clause)
        self.params.extend(values)

    def equals(self, column: str, value: object) -> None:
        """``column = value``, unless ``value`` is None (no condition)."""
        if value is not None:
            self.add(f"{column} = ?", value)

    def within(self, column: str, values: Iterable[object] | None) -> None:
        """``column IN (values)`` (none of them: nothing matches), unless ``values`` is None."""
        if values is not None:
            found = list(values)
            self.add(f"{column} IN ({','.join('?' * len(found)) or 'NULL'})", *found)

    def text(self) -> str:
        """The conditions alone, "" when there are none."""
        return " AND ".join(self.clauses)

    def sql(self) -> str:
        """`` WHERE …`` to append to a query, "" when there are no conditions."""
        return f" WHERE {self.text()}" if self.clauses else ""
