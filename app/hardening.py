"""Best-effort process hardening (R-3.9): no core dumps, private files, no tracebacks with data."""

from __future__ import annotations

import contextlib
import os
import sys
from types import TracebackType


def harden_process() -> None:
    os.umask(0o077)
    with contextlib.suppress(ImportError, ValueError, OSError):
        import resource

        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):
            import ctypes

            libc = ctypes.CDLL(None)
            pr_set_dumpable = 4
            libc.prctl(pr_set_dumpable, 0, 0, 0, 0)
    sys.excepthook = _quiet_excepthook


def _quiet_excepthook(kind: type[BaseException], value: BaseException,
                      tb: TracebackType | None) -> None:
    """A bug is reported with a reference; its report holds types and frames only: messages may
    hold personal data (R-9.4)."""
    from app.bug_report import report_and_describe

    print(report_and_describe(value)[1], file=sys.stderr)
