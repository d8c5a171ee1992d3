"""Error kinds shared by every layer (defined at the bottom layer, re-exported by ``app.errors``).

A ``KnownError`` comes from the user or the environment (wrong password, disk
full, refused permission, value outside a vocabulary) and carries a French
message meant for the person in front of the screen. Anything else is a bug and
is shown as "erreur interne" with a reference, never with personal data.
"""

from __future__ import annotations


class KnownError(Exception):
    """An expected failure with a French, user-facing message."""

    #: process exit code used by the command line for this kind of error
    exit_code: int = 1

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class UsageError(KnownError):
    """Bad command-line usage (exit code 2)."""

    exit_code = 2


class ValidationError(KnownError):
    """A value refused by the catalogue (outside the vocabulary, too long...)."""

    def __init__(self, message: str, field_id: str | None = None) -> None:
        super().__init__(message)
        self.field_id = field_id


class PermissionRefused(KnownError):
    """The current profile may not perform this operation."""


class AuthenticationError(KnownError):
    """Login refused (same message whether the login exists or not)."""


class WrongCredentials(AuthenticationError):
    """Unknown login or wrong password: one message for both, so logins cannot be probed (R-3.3)."""

    MESSAGE = "Identifiant ou mot de passe incorrect."

    def __init__(self) -> None:
        super().__init__(self.MESSAGE)


class WorkspaceError(KnownError):
    """The workspace cannot be opened or written (corrupt, foreign, locked, full)."""


class TamperingDetected(KnownError):
    """A protected file or the journal chain was altered."""
