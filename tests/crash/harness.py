"""Killing a real child process at chosen points of an operation (R-9.2).

The child runs the operation under ``sys.setprofile`` and counts every call and return, of
Python functions and of C functions (``os.replace``, ``os.fsync``, a SQLite ``execute``...).
A first run counts the events and notes where the file-system and database calls are; then
one child per chosen point is killed with SIGKILL exactly at that event. Nothing of our code
is replaced: the kill is real, only its moment is chosen.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

#: Calls around which a kill is most telling: every write, rename, sync, delete, commit.
#: C functions are named "owner.name" (owner: the module, or the type of the bound object),
#: Python functions by their bare name.
WATCHED = {
    "posix.replace", "posix.rename", "posix.fsync", "posix.unlink", "posix.rmdir", "posix.mkdir",
    "posix.write", "posix.ftruncate", "BufferedWriter.write", "FileIO.write",
    "Connection.execute", "Connection.executemany", "Connection.backup", "Connection.close",
    "rmtree", "copyfile", "mkstemp", "atomic_write",
}

PRELUDE = textwrap.dedent(
    """
    import json, os, signal, sys
    sys.path.insert(0, {root!r})
    KILL_AT = int(sys.argv[1])
    SIGNAL = getattr(signal, sys.argv[2]) if len(sys.argv) > 2 else signal.SIGKILL
    # A child started from a background job inherits SIGINT ignored: give it a terminal's Ctrl+C.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    _count = 0
    _marks = []
    _watched = {watched!r}

    def _name(frame, event, arg):
        if event in ("call", "return"):
            return frame.f_code.co_name
        owner = getattr(arg, "__self__", None)
        owner = owner.__name__ if type(owner).__name__ == "module" else type(owner).__name__
        return owner + "." + getattr(arg, "__name__", "")

    _pending = False

    def _profile(frame, event, arg):
        global _count, _pending
        _count += 1
        if _count == KILL_AT:
            _pending = True
        # CPython itself swallows an exception raised in the weakref callback of an import lock
        # ("Exception ignored in ... _get_module_lock"): a Ctrl+C is sent at the next event
        # outside the import machinery, where Sillage can see it (a SIGKILL is sent at once).
        if _pending and (SIGNAL == signal.SIGKILL or not frame.f_code.co_filename.startswith("<frozen importlib")):
            _pending = False
            os.kill(os.getpid(), SIGNAL)
        if KILL_AT == 0:
            name = _name(frame, event, arg)
            if name in _watched:
                _marks.append((_count, event, name))

    def start():
        sys.setprofile(_profile)

    def stop():
        sys.setprofile(None)
        if KILL_AT == 0:
            print("COUNT " + json.dumps({{"total": _count, "marks": _marks}}), flush=True)
    """
)


@dataclass(frozen=True)
class Census:
    total: int
    marks: list[tuple[int, str, str]]


def run_child(body: str, kill_at: int, timeout: float = 300, signal_name: str = "SIGKILL",
              stdin: str = "") -> subprocess.CompletedProcess[str]:
    """Run ``body`` and send it ``signal_name`` at event ``kill_at`` (0: never)."""
    script = PRELUDE.format(root=str(ROOT), watched=sorted(WATCHED)) + textwrap.dedent(body)
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    return subprocess.run([sys.executable, "-c", script, str(kill_at), signal_name], capture_output=True,
                          text=True, timeout=timeout, env=env, cwd=ROOT, input=stdin)


def census(body: str) -> Census:
    """Run the operation to its end once, counting the events."""
    result = run_child(body, 0)
    assert result.returncode == 0, result.stderr[-3000:]
    line = next(x for x in result.stdout.splitlines() if x.startswith("COUNT "))
    data = json.loads(line[6:])
    return Census(int(data["total"]), [tuple(m) for m in data["marks"]])  # type: ignore[misc]


ALWAYS = frozenset({"posix.replace", "posix.rename"})


def kill_points(found: Census, names: set[str], count: int) -> list[int]:
    """Points at the watched calls in ``names`` (at most ``count`` of them, or
    $SILLAGE_KILL_POINTS), plus ``count`` evenly spread ones, plus just before and just after
    every rename (the moments a state changes), plus the first and last events."""
    count = int(os.environ.get("SILLAGE_KILL_POINTS", count))
    renames = {m[0] for m in found.marks if m[2] in ALWAYS}
    watched = sorted({m[0] for m in found.marks if m[2] in names} - renames)
    spread = [1 + (found.total - 1) * i // max(count - 1, 1) for i in range(count)]
    if len(watched) > count:
        step = len(watched) / count
        watched = [watched[int(i * step)] for i in range(count)]
    points = sorted(set(spread) | set(watched) | renames | {1, found.total})
    return [p for p in points if 1 <= p <= found.total]


def killed(result: subprocess.CompletedProcess[str]) -> bool:
    return result.returncode == -9
