"""Cyclic garbage is collected on the GUI thread, never in a background job (ui/gc_guard.py)."""

from __future__ import annotations

import gc
import weakref

from ui.gc_guard import GuiThreadCollector


class Node:
    def __init__(self) -> None:
        self.me = self


def test_collection_happens_when_the_gui_thread_checks(qtbot) -> None:  # type: ignore[no-untyped-def]
    collector = GuiThreadCollector()
    try:
        assert not gc.isenabled()
        gc.collect()
        node = Node()
        ref = weakref.ref(node)
        del node
        keep = [[] for _ in range(collector.thresholds[0] + 10)]  # enough for a young collection
        assert ref() is not None  # nothing collected behind the GUI thread's back
        collector.check()
        assert ref() is None
        assert keep
    finally:
        collector.stop()
    assert gc.isenabled()
