"""Error kinds shared by every layer (defined at the bottom layer, re-exported by ``app.errors``).

A ``KnownError`` comes from the user or the environment (wrong password, disk
full, refused permission, value outside a vocabulary) and carries a French
message meant for the person in front of the screen. Anything else is a bug and
is shown as "erreur interne" with a reference, never with personal data.
"""

from __future__ import annotations

import errno


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


class DamagedFile(WorkspaceError):
    """A database file that does not decrypt or authenticate: foreign, truncated or altered."""


class TamperingDetected(KnownError):
    """A protected file or the journal chain was altered."""


#: what an operating-system error means, in French (``strerror`` is in the system's language)
_OS_REASONS = {
    errno.EACCES: "accès refusé",
    errno.EPERM: "opération non permise",
    errno.ENOENT: "fichier ou dossier introuvable",
    errno.EEXIST: "existe déjà",
    errno.ENOTDIR: "un élément du chemin est un fichier, pas un dossier",
    errno.EISDIR: "c'est un dossier",
    errno.ENAMETOOLONG: "nom trop long",
    errno.ENOSPC: "disque plein",
    errno.EDQUOT: "quota du disque dépassé",
    errno.EROFS: "support en lecture seule",
    errno.EBUSY: "utilisé par un autre programme",
    errno.ETXTBSY: "utilisé par un autre programme",
    errno.ELOOP: "trop de liens symboliques",
    errno.EIO: "erreur du disque",
    errno.EMFILE: "trop de fichiers ouverts",
    errno.ENFILE: "trop de fichiers ouverts",
    errno.EXDEV: "autre disque",
    errno.ENOTEMPTY: "dossier non vide",
    errno.EINVAL: "nom ou opération invalide",
}


def os_reason(exc: OSError) -> str:
    """The French reason of an operating-system error (never its English ``strerror``)."""
    reason = _OS_REASONS.get(exc.errno or 0)
    if reason is not None:
        return reason
    code = errno.errorcode.get(exc.errno or 0)
    return f"erreur système {code}" if code else "erreur système"
