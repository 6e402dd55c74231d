"""One refresh signal per cluster, coalesced: widgets redraw once per step, not per event.

Scaling a Deployment to 1,000 replicas writes tens of thousands of objects
(pods created, bound, started, their events recorded), each a store watch
event. A widget that rebuilt its HTML on every event would spend the whole
step drawing tables nobody sees. So a cluster has one :class:`RefreshHub`:
its store watcher only notes *which kinds* changed (a set insert), and the
widgets are told once, when the hub is flushed:

* after each clock tick or step (``ClockControls``) and after each action a
  widget runs through ``cluster.kubectl`` (they call :meth:`RefreshHub.flush`);
* after a notebook cell changed the cluster (``c.advance(30)`` in a cell): the
  first event schedules one flush on the kernel's running asyncio loop, which
  runs when the cell is done, and IPython's ``post_run_cell`` hook flushes too;
* in tests and scripts (no running loop), whenever the caller calls ``flush``.

A flush with nothing new (no event, clock unchanged) tells nobody. Listeners
are held weakly, so a widget that is gone stops being called.
"""
from __future__ import annotations

import asyncio
import weakref
from typing import Callable

_HUB_ATTRIBUTE = "_kubelearn_widget_hub"


class RefreshHub:
    """Remembers what changed in one cluster since the last flush."""

    def __init__(self, cluster):
        self.cluster = cluster
        self.dirty_kinds: set[str] = set()
        self.flushes = 0                    # flushes that told the listeners something
        self._seen_now = cluster.clock.now
        self._listeners: list[weakref.ref] = []
        self._pending = None     # the loop a flush is scheduled on, False: none runs
        cluster.store.watch(self._on_event)
        _register_cell_hook(self)

    # -- watch side: as cheap as possible ------------------------------------------------
    def _on_event(self, event) -> None:
        self.dirty_kinds.add(event.kind)
        if self._pending is None:
            self._pending = self._schedule()

    def _schedule(self):
        """One flush on the running loop (a notebook kernel's), after the current cell.
        Asked once per flush cycle: False when no loop runs (the caller flushes)."""
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            return False
        loop.call_soon(self.flush)
        return loop

    # -- listener side ------------------------------------------------------------------
    def subscribe(self, callback: Callable[[frozenset], None]) -> None:
        """Call ``callback(changed_kinds)`` on each flush that has news. A bound method is
        held weakly (its widget may go away); a plain function strongly."""
        ref = weakref.WeakMethod(callback) if hasattr(callback, "__self__") \
            else (lambda cb=callback: cb)
        self._listeners.append(ref)

    def unsubscribe(self, callback) -> None:
        self._listeners = [r for r in self._listeners if r() not in (None, callback)]

    @property
    def changed(self) -> bool:
        return bool(self.dirty_kinds) or self.cluster.clock.now != self._seen_now

    def flush(self, force: bool = False) -> bool:
        """Tell every listener what changed since the last flush; False when nothing did."""
        if not (force or self.changed):
            self._pending = None
            return False
        kinds = frozenset(self.dirty_kinds)
        self.dirty_kinds.clear()
        self._pending = None
        self._seen_now = self.cluster.clock.now
        self.flushes += 1
        live = []
        for ref in self._listeners:
            callback = ref()
            if callback is not None:
                live.append(ref)
                callback(kinds)
        self._listeners = live
        return True


def hub(cluster) -> RefreshHub:
    """The cluster's hub (made on first use; one store watcher per cluster)."""
    found = cluster.__dict__.get(_HUB_ATTRIBUTE)
    if found is None:
        found = cluster.__dict__[_HUB_ATTRIBUTE] = RefreshHub(cluster)
    return found


def _register_cell_hook(target: RefreshHub) -> None:
    """Flush after every notebook cell (when running under IPython)."""
    try:
        from IPython import get_ipython
    except ImportError:             # pragma: no cover - IPython is a dependency
        return
    shell = get_ipython()
    if shell is None:
        return
    ref = weakref.ref(target)

    def after_cell(*_args) -> None:
        found = ref()
        if found is not None:
            found.flush()

    shell.events.register("post_run_cell", after_cell)
