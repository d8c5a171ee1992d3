"""What the application injects into a workspace: its clock, the key-derivation cost, and the
progress callback of long work. Tests give a ``FixedClock`` and a cheap KDF setting."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from app.clock import Clock, SystemClock
from storage.keyslots import DEFAULT_POLICY, KdfPolicy


@dataclass
class AppContext:
    clock: Clock = field(default_factory=SystemClock)
    kdf_policy: KdfPolicy = DEFAULT_POLICY
    #: called with (done, total) during long work; returning False asks to stop
    progress: Callable[[int, int], bool] | None = None
