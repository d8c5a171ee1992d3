"""The error kinds of every layer: defined in ``storage.errors`` so that dependencies stay
one-way (ui → app → storage), used everywhere under this name."""

from storage.errors import (
    AuthenticationError,
    KnownError,
    PermissionRefused,
    TamperingDetected,
    UsageError,
    ValidationError,
    WorkspaceError,
    WrongCredentials,
    os_reason,
)

__all__ = [
    "AuthenticationError", "KnownError", "PermissionRefused", "TamperingDetected", "UsageError",
    "ValidationError", "WorkspaceError", "WrongCredentials", "os_reason",
]
