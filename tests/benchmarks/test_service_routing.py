"""The service-routing workload, at toy sizes: it sets up what it claims and checks it."""
import pytest

from benchmarks.runner import Bench
from benchmarks.workloads import service_routing
from kubelearn.network.http import resolve
from kubelearn.network.proxy import kube_proxy


@pytest.fixture
def tiny(monkeypatch):
    monkeypatch.setattr(service_routing, "QUICK_SERVICES", 4)
    monkeypatch.setattr(service_routing, "QUICK_ENDPOINTS", 3)
    monkeypatch.setattr(service_routing, "QUICK_CALLS", 40)
    return Bench(quick=True, repeat=1)


def test_every_service_has_its_endpoints_ready_after_set_up():
    c = service_routing.routing_cluster(4, 3)
    for i in range(4):
        endpoints = c.api.store.get("Endpoints", "default", f"svc-{i:04d}")
        assert len(endpoints["subsets"][0]["addresses"]) == 3
    proxy = kube_proxy(c)
    names = service_routing.host_names(4, 8)
    assert names[:2] == ["svc-0000.default.svc.cluster.local", "svc-0003"]
    seen = [proxy.route(resolve(c, name, "default"), 80).pod for name in names]
    assert all(pod.startswith(name.split(".")[0] + "-") for pod, name in zip(seen, names))
    assert len(set(seen)) == 8           # round-robin moved on within each Service


def test_the_workload_and_its_baseline_report_calls_per_second(tiny):
    assert service_routing.service_routing.fn(tiny) > 0
    assert service_routing.bare_routing(tiny) > 0
