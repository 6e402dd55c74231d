"""The diagram workload, at toy sizes: it sets up what it claims and measures every view."""
import pytest

from benchmarks.runner import Bench
from benchmarks.workloads import diagrams
from kubelearn.viz.render import find_graphviz_pure

needs_graphviz_pure = pytest.mark.skipif(find_graphviz_pure() is None, reason="graphviz-pure is not installed")


@pytest.fixture
def tiny(monkeypatch):
    monkeypatch.setattr(diagrams, "QUICK_NODES", 4)
    monkeypatch.setattr(diagrams, "QUICK_DEPLOYMENTS", 3)
    monkeypatch.setattr(diagrams, "QUICK_REPLICAS", 2)
    return Bench(quick=True, repeat=1)


def test_the_cluster_has_its_deployments_services_and_claims():
    c = diagrams.diagram_cluster(4, 3, 2)
    assert c.store.count("Node") == 4
    assert len(c.api.list("Pod", "default")) == 6
    assert all(p["status"]["phase"] == "Running" for p in c.api.list("Pod", "default"))
    assert [s["spec"]["type"] for s in c.api.list("Service", "default") if s["metadata"]["name"] != "kubernetes"] \
        == ["LoadBalancer", "NodePort", "ClusterIP"]
    assert {pvc["status"]["phase"] for pvc in c.api.list("PersistentVolumeClaim", "default")} == {"Bound"}
    assert diagrams.diagram_cluster(4, 3, 2) is c          # built once, only read


@needs_graphviz_pure
def test_the_workload_and_its_baseline_report_milliseconds(tiny):
    assert diagrams.diagrams.fn(tiny) > 0
    assert diagrams.render_only(tiny) > 0


@needs_graphviz_pure
def test_view_times_cover_every_view():
    times = diagrams.view_times(diagrams.diagram_cluster(4, 3, 2), repeat=1)
    assert list(times) == ["architecture", "workloads", "network", "storage"]
    assert all(build > 0 and render > 0 for build, render in times.values())
