"""The work queue and the Controller base class."""
import pytest

from kubelearn.apiserver.store import WatchEvent
from kubelearn.clock import Clock
from kubelearn.controllers.base import Controller, WorkQueue


def test_queue_is_fifo():
    q = WorkQueue()
    for key in ("a", "b", "c"):
        q.add(key)
    assert [q.pop(), q.pop(), q.pop()] == ["a", "b", "c"]


def test_queue_is_stingy_a_waiting_key_is_queued_once():
    q = WorkQueue()
    for key in ("a", "b", "a", "a", "c", "b"):
        q.add(key)
    assert len(q) == 3
    assert [q.pop() for _ in range(3)] == ["a", "b", "c"]


def test_queue_is_fair_a_key_added_again_after_pop_goes_to_the_back():
    q = WorkQueue()
    q.add("a")
    q.add("b")
    assert q.pop() == "a"
    q.add("a")
    assert [q.pop(), q.pop()] == ["b", "a"]


def test_queue_length_and_emptiness():
    q = WorkQueue()
    assert len(q) == 0 and not q
    q.add(("default", "web"))
    assert len(q) == 1 and q
    q.pop()
    with pytest.raises(IndexError):
        q.pop()


class FakeCluster:
    def __init__(self):
        self.api = object()
        self.clock = Clock()


class Recorder(Controller):
    name = "recorder"
    watches = ("ConfigMap",)

    def __init__(self, cluster, delays=()):
        super().__init__(cluster)
        self.seen = []
        self.delays = list(delays)

    def reconcile(self, key):
        self.seen.append((self.clock.now, key))
        return self.delays.pop(0) if self.delays else None


def fire_due(clock, until):
    while (timer := clock.pop_due(until)) is not None:
        timer.callback()


def test_default_keys_are_namespace_and_name():
    ctrl = Recorder(FakeCluster())
    pod = {"metadata": {"name": "web", "namespace": "dev"}}
    node = {"metadata": {"name": "n1"}}
    assert list(ctrl.keys_for(WatchEvent("ADDED", "Pod", pod, None))) == [("dev", "web")]
    assert list(ctrl.keys_for(WatchEvent("DELETED", "Node", node, node))) == [("", "n1")]


def test_controller_wires_the_cluster_parts():
    cluster = FakeCluster()
    ctrl = Recorder(cluster)
    assert ctrl.api is cluster.api and ctrl.clock is cluster.clock
    assert isinstance(ctrl.queue, WorkQueue)


def test_process_one_reconciles_the_next_key():
    ctrl = Recorder(FakeCluster())
    ctrl.enqueue("a")
    ctrl.enqueue("b")
    ctrl.enqueue("a")
    ctrl.process_one()
    ctrl.process_one()
    assert [k for _, k in ctrl.seen] == ["a", "b"]
    assert len(ctrl.queue) == 0


def test_a_returned_delay_requeues_the_key_after_that_much_simulated_time():
    cluster = FakeCluster()
    ctrl = Recorder(cluster, delays=[5.0])
    ctrl.enqueue("a")
    ctrl.process_one()
    assert len(ctrl.queue) == 0
    assert cluster.clock.describe_pending() == ["task at 5s"]   # settle waits for it
    fire_due(cluster.clock, 4.9)
    assert len(ctrl.queue) == 0
    fire_due(cluster.clock, 5)
    assert len(ctrl.queue) == 1
    ctrl.process_one()
    assert ctrl.seen == [(0.0, "a"), (5.0, "a")]


def test_requeue_after_replaces_the_previous_timer_for_the_key():
    cluster = FakeCluster()
    ctrl = Recorder(cluster)
    ctrl.requeue_after("a", 10)
    ctrl.requeue_after("a", 3)
    ctrl.requeue_after("b", 7)
    assert cluster.clock.foreground == 2
    fire_due(cluster.clock, 100)
    assert [ctrl.queue.pop(), ctrl.queue.pop()] == ["a", "b"]
    assert len(ctrl.queue) == 0          # the 10s timer for "a" was cancelled


def test_none_means_no_requeue():
    cluster = FakeCluster()
    ctrl = Recorder(cluster)
    ctrl.enqueue("a")
    ctrl.process_one()
    assert cluster.clock.next_due() is None


def test_reconcile_must_be_implemented():
    ctrl = Controller(FakeCluster())
    ctrl.enqueue("a")
    with pytest.raises(NotImplementedError):
        ctrl.process_one()
