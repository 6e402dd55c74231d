"""The refresh hub: one store watcher per cluster, listeners told once per flush."""
from __future__ import annotations

import asyncio
import gc

from kubelearn.widgets.refresh import hub


class Listener:
    def __init__(self):
        self.calls = []

    def __call__(self, kinds):
        self.calls.append(kinds)

    def on_refresh(self, kinds):
        self.calls.append(kinds)


def test_one_hub_per_cluster(minikube):
    assert hub(minikube) is hub(minikube)


def test_events_are_coalesced_until_flush(web):
    found = Listener()
    h = hub(web)
    h.subscribe(found.on_refresh)
    h.flush()
    found.calls.clear()
    events = []
    web.store.watch(events.append)
    web.kubectl("scale deployment web --replicas=40")
    web.advance(30)
    assert len(events) > 200          # pods created, bound, started, events recorded
    assert found.calls == []          # nothing told yet
    assert h.flush() is True
    assert len(found.calls) == 1
    assert {"Pod", "ReplicaSet", "Deployment", "Event"} <= found.calls[0]
    assert h.flush() is False         # nothing new
    assert len(found.calls) == 1


def test_clock_change_alone_is_news(minikube):
    found = Listener()
    h = hub(minikube)
    h.flush(force=True)
    h.subscribe(found.on_refresh)
    minikube.clock.now += 5           # time moved, nothing written
    assert h.flush() is True
    assert found.calls == [frozenset()]


def test_bound_method_listeners_are_weak(minikube):
    h = hub(minikube)
    found = Listener()
    h.subscribe(found.on_refresh)
    del found
    gc.collect()
    minikube.clock.now += 1
    assert h.flush() is True
    assert h._listeners == []


def test_unsubscribe(minikube):
    h = hub(minikube)
    found = Listener()
    h.subscribe(found.on_refresh)
    h.unsubscribe(found.on_refresh)
    h.flush(force=True)
    assert found.calls == []


def test_running_loop_gets_one_flush_after_the_work(web):
    h = hub(web)
    found = Listener()
    h.subscribe(found.on_refresh)
    h.flush()
    found.calls.clear()

    async def cell():
        web.kubectl("scale deployment web --replicas=10")
        web.advance(20)
        assert found.calls == []      # nothing while the "cell" runs
        await asyncio.sleep(0)        # the cell ends: the loop runs the scheduled flush
        await asyncio.sleep(0)
        return len(found.calls)

    assert asyncio.run(cell()) == 1
