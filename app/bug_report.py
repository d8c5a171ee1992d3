"""Bug reports of unexpected errors (R-9.4).

An error that is not a ``KnownError`` is a bug. The person sees a short reference and what to
do; support gets a report written under that reference in the per-user log folder. The report
holds the exception *types* and the stack frames (file, line, function) only: never an exception
message, an argument, a local variable, a path outside Sillage's own files or anything else
that could carry a password or a name.
"""

from __future__ import annotations

import datetime as dt
import errno
import os
import platform
import secrets
import sys
import traceback
from dataclasses import dataclass
from pathlib import Path

import platformdirs

from app.version import VERSION

ENV_LOG_DIR = "SILLAGE_LOG_DIR"
#: the folders of Sillage's own code: frames there are named relative to them
_PACKAGES = ("app", "cli", "storage", "reports", "ui", "resources")
_MAX_FRAMES = 60
_MAX_CHAIN = 5


def log_dir() -> Path:
    """The per-user log folder ($SILLAGE_LOG_DIR in tests)."""
    env = os.environ.get(ENV_LOG_DIR)
    if env:
        return Path(env)
    if sys.platform == "win32":
        # user_log_dir would be %LOCALAPPDATA%\Sillage\Logs: inside the default workspace
        return Path(platformdirs.user_data_dir("Sillage-rapports", appauthor=False))
    return Path(platformdirs.user_log_dir("Sillage", appauthor=False))


@dataclass(frozen=True)
class BugReport:
    reference: str
    path: Path | None  # None: the report could not be written (full disk, read-only folder)


def _frame_file(filename: str) -> str:
    """A frame's file named without the folders around it (a home folder can carry a name):
    ``cli/main.py`` for Sillage's code, ``site-packages/x/y.py`` for a library, else the bare name."""
    parts = Path(filename).parts
    for index in range(len(parts) - 1, -1, -1):
        if parts[index] in ("site-packages", "dist-packages"):
            return "/".join(parts[index:])
        if parts[index] in _PACKAGES and index < len(parts) - 1:
            return "/".join(parts[index:])
    return Path(filename).name


def _type_name(exc: BaseException) -> str:
    kind = type(exc)
    module = kind.__module__
    return kind.__qualname__ if module in ("builtins", "__main__") else f"{module}.{kind.__qualname__}"


def report_text(exc: BaseException, reference: str, when: dt.datetime | None = None) -> str:
    """The report: types and frames only (see the module docstring)."""
    when = when or dt.datetime.now(dt.UTC)
    lines = [
        f"Rapport d'erreur Sillage — référence {reference}",
        f"date : {when:%Y-%m-%d %H:%M:%S} UTC",
        f"version : Sillage {VERSION}, Python {platform.python_version()}, {platform.system()}",
        "Contenu : le type de l'erreur et les lignes du programme en cause, sans aucun message, "
        "valeur, mot de passe ni donnée personnelle.",
        "",
    ]
    current: BaseException | None = exc
    seen: set[int] = set()
    depth = 0
    while current is not None and id(current) not in seen and depth < _MAX_CHAIN:
        seen.add(id(current))
        if depth:
            lines.append("à la suite de :")
        lines.append(f"type : {_type_name(current)}")
        if isinstance(current, OSError) and current.errno:
            lines.append(f"errno : {errno.errorcode.get(current.errno, current.errno)}")
        frames = traceback.extract_tb(current.__traceback__)[-_MAX_FRAMES:]
        for frame in frames:
            lines.append(f"  {_frame_file(frame.filename)}:{frame.lineno} dans {frame.name}")
        nxt = current.__cause__ or (None if current.__suppress_context__ else current.__context__)
        current = nxt
        depth += 1
    return "\n".join(lines) + "\n"


def write_bug_report(exc: BaseException) -> BugReport:
    """Write the report of ``exc`` under a new reference; never raises (a report that cannot be
    written is said so in the message, the error itself is what matters)."""
    reference = secrets.token_hex(4).upper()
    folder = log_dir()
    path = folder / f"sillage-erreur-{reference}.txt"
    try:
        text = report_text(exc, reference)
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
    except (OSError, RecursionError, MemoryError):
        return BugReport(reference, None)
    return BugReport(reference, path)


def internal_error_message(report: BugReport) -> str:
    """What the person reads: the reference, that nothing was lost, what to do."""
    if report.path is not None:
        where = (f"Un rapport d'erreur a été enregistré dans « {report.path} » ; il ne contient "
                 "ni mot de passe ni donnée personnelle.")
    else:
        where = f"Le rapport d'erreur n'a pas pu être enregistré dans « {log_dir()} »."
    return (
        f"Erreur interne (référence {report.reference}). Rien n'a été perdu. "
        "Que faire : réessayez ; si l'erreur revient, notez cette référence et transmettez-la à "
        f"votre support informatique avec le rapport. {where}"
    )


def report_and_describe(exc: BaseException) -> tuple[BugReport, str]:
    report = write_bug_report(exc)
    return report, internal_error_message(report)


__all__ = ["BugReport", "ENV_LOG_DIR", "internal_error_message", "log_dir", "report_and_describe",
           "report_text", "write_bug_report"]
