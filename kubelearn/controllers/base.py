"""The controller pattern, shared by every reconciler in kubelearn.

A controller watches some kinds, turns each watch event into a key (usually
the object's namespace/name), and later calls ``reconcile(key)``, which reads
the current state through the API server and makes one step towards the
desired state. Keys wait in a FIFO with a dirty set (client-go's workqueue:
"fair" and "stingy"), processed single-threaded in a fixed order, so the same
inputs always produce the same writes. ``reconcile`` returns a delay in
seconds to be called again later (requeue after), or None.
"""
from __future__ import annotations

from collections import deque
from typing import Hashable, Iterable

from kubelearn.apiserver.store import WatchEvent


class WorkQueue:
    """FIFO of keys; a key already waiting is not queued twice.

    ``waiting`` is the FIFO itself, for the cluster's run loop to test for work
    without a method call per controller per pass (treat it as read-only)."""

    def __init__(self) -> None:
        self.waiting: deque[Hashable] = deque()
        self._dirty: set[Hashable] = set()

    def add(self, key: Hashable) -> None:
        if key not in self._dirty:
            self._dirty.add(key)
            self.waiting.append(key)

    def pop(self) -> Hashable:
        key = self.waiting.popleft()
        self._dirty.discard(key)
        return key

    def __len__(self) -> int:
        return len(self.waiting)


class Controller:
    """Base class: subclasses set ``name`` and ``watches`` and implement ``reconcile``."""

    name = "controller"
    watches: tuple[str, ...] = ()

    def __init__(self, cluster) -> None:
        self.cluster = cluster
        self.api = cluster.api
        self.clock = cluster.clock
        self.queue = WorkQueue()
        self._requeue_timers: dict[Hashable, object] = {}

    def keys_for(self, event: WatchEvent) -> Iterable[Hashable]:
        """Which keys an event concerns; by default the object itself."""
        meta = event.obj["metadata"]
        return ((meta.get("namespace", ""), meta["name"]),)

    def enqueue(self, key: Hashable) -> None:
        self.queue.add(key)

    def requeue_after(self, key: Hashable, seconds: float) -> None:
        """Reconcile ``key`` again once ``seconds`` of simulated time have passed."""
        old = self._requeue_timers.pop(key, None)
        if old is not None:
            old.cancel()
        self._requeue_timers[key] = self.clock.call_later(seconds, lambda: self.enqueue(key))

    def process_one(self) -> None:
        key = self.queue.pop()
        delay = self.reconcile(key)
        if delay is not None:
            self.requeue_after(key, delay)

    def reconcile(self, key: Hashable) -> float | None:
        raise NotImplementedError
