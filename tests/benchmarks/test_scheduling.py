"""The scheduling workloads, at toy sizes: they set up what they claim and check it."""
import pytest

from benchmarks.runner import Bench
from benchmarks.workloads import scheduling


@pytest.fixture
def tiny(monkeypatch):
    monkeypatch.setattr(scheduling, "QUICK_NODES", 12)
    monkeypatch.setattr(scheduling, "QUICK_INIT_PODS", 5)
    monkeypatch.setattr(scheduling, "QUICK_MEASURE_PODS", 30)
    monkeypatch.setattr(scheduling, "QUICK_DEPLOY_NODES", 4)
    monkeypatch.setattr(scheduling, "QUICK_DEPLOY_REPLICAS", 6)
    return Bench(quick=True, repeat=1)


def test_scheduling_cluster_queues_the_measured_pods_unscheduled():
    c = scheduling.scheduling_cluster(10, 4, 7)
    pods = c.store.list("Pod", "default")
    assert sum(1 for p in pods if p["spec"].get("nodeName")) == 4
    assert len(c.controllers[0].queue) == 7
    c.run_now()
    events = c.store.list("Event", "default")
    assert len(events) == 11
    assert {e["reason"] for e in events} == {"Scheduled"}


def test_the_scheduler_workload_and_its_baseline_report_pods_per_second(tiny):
    assert scheduling.scheduler_throughput.fn(tiny) > 0
    assert scheduling.bare_schedule(tiny) > 0


def test_cluster_of_grows_a_booted_cluster_to_ready_nodes():
    c = scheduling.cluster_of(5)
    nodes = c.kubectl("get nodes").stdout.splitlines()
    assert len(nodes) == 6 and all(" Ready " in line for line in nodes[1:])
    assert "worker-4" in nodes[-1]


def test_the_deployment_workload_runs_every_replica(tiny):
    assert scheduling.deployment_to_running.fn(tiny) > 0
    assert scheduling.bare_deployment(tiny) > 0
