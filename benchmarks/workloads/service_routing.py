"""Service routing at scale: a Service name to the pod that answers.

``service-routing-1000-services`` builds 1,000 Services with 10 ready endpoints
each (10,000 running nginx pods on enough nodes, created through the API server
and run, then the Services, until the endpoints controller has filled every
Endpoints object), then
times 100,000 resolve-and-route calls: the name a pod would use (``svc-0123``
from its namespace, or ``svc-0123.default.svc.cluster.local``, alternately)
resolved to the cluster IP as the pod's DNS answers it
(``kubelearn.network.http.resolve``), then ``KubeProxy.route(ip, 80)``: the
Service port's rule, the next ready endpoint round-robin, the container that
listens. That is kube-proxy's job on a real node (a lookup in rules programmed
from watches), so it must not grow with the number of Services, endpoints or
pods. The set-up is not timed.

The baseline does the same lookups in bare Python: a dict from names to cluster
IPs, one from ``(ip, port)`` to an endpoint list, a round-robin counter and the
backend tuple.
"""
from __future__ import annotations

from benchmarks.runner import workload
from benchmarks.workloads.scheduling import cluster_of
from kubelearn.network.http import resolve
from kubelearn.network.proxy import kube_proxy

SERVICES, ENDPOINTS, CALLS = 1_000, 10, 100_000
QUICK_SERVICES, QUICK_ENDPOINTS, QUICK_CALLS = 100, 10, 10_000
PODS_PER_NODE = 100        # below the nodes' 110 pods, leaving room for DaemonSet pods
NAMESPACE = "default"


def service(i: int) -> dict:
    return {"apiVersion": "v1", "kind": "Service",
            "metadata": {"name": f"svc-{i:04d}", "namespace": NAMESPACE},
            "spec": {"selector": {"app": f"svc-{i:04d}"},
                     "ports": [{"port": 80, "targetPort": 80}]}}


def pod(i: int, j: int) -> dict:
    return {"apiVersion": "v1", "kind": "Pod",
            "metadata": {"name": f"svc-{i:04d}-{j:02d}", "namespace": NAMESPACE,
                         "labels": {"app": f"svc-{i:04d}"}},
            "spec": {"containers": [{"name": "nginx", "image": "nginx:1.27",
                                     "ports": [{"containerPort": 80}]}]}}


def routing_cluster(services: int, endpoints: int):
    """A booted cluster with ``services`` Services of ``endpoints`` running pods each,
    settled: every Endpoints object lists its pods as ready."""
    c = cluster_of(3 + services * endpoints // PODS_PER_NODE)
    for i in range(services):
        for j in range(endpoints):
            c.api.create(pod(i, j))
    report = c.settle()
    assert report.settled, report
    # Services after their pods are running: each pod event then concerns no Service
    # (the endpoints controller matches pods against every selector), and no container
    # starts with 1,000 Services' link variables. The endpoints are the same.
    for i in range(services):
        c.api.create(service(i))
    report = c.settle()
    assert report.settled, report
    return c


def host_names(services: int, calls: int) -> list[str]:
    """The names the calls resolve: Services spread by a stride, short and FQDN by turns."""
    names = []
    for k in range(calls):
        name = f"svc-{k * 7919 % services:04d}"
        names.append(name if k % 2 else f"{name}.{NAMESPACE}.svc.cluster.local")
    return names


def _sizes(bench) -> tuple[int, int, int]:
    return (bench.size(SERVICES, quick=QUICK_SERVICES),
            bench.size(ENDPOINTS, quick=QUICK_ENDPOINTS), bench.size(CALLS, quick=QUICK_CALLS))


def bare_routing(bench):
    """Name -> IP dict, (ip, port) -> endpoints dict, a round-robin counter, a tuple."""
    services, endpoints, calls = _sizes(bench)
    ips, table = {}, {}
    for i in range(services):
        ip = f"10.96.{i // 250}.{i % 250 + 1}"
        short = f"svc-{i:04d}"
        ips[short] = ips[f"{short}.{NAMESPACE}.svc.cluster.local"] = ip
        table[(ip, 80)] = [(f"{short}-{j:02d}", 80, "node") for j in range(endpoints)]
    hosts = host_names(services, calls)
    positions: dict = {}

    def run():
        for host in hosts:
            ip = ips[host]
            found = table[(ip, 80)]
            at = positions.get(ip, 0)
            name, port, _ = found[at % len(found)]
            positions[ip] = (at + 1) % len(found)
            (NAMESPACE, name, "nginx", port)
    return calls / bench.time(run)


@workload("service-routing-1000-services", unit="calls/s", target=">= 100000",
          baseline=bare_routing)
def service_routing(bench):
    """1,000 Services x 10 endpoints: resolve a Service name from a pod's namespace and
    route a connection to its port 80, 100,000 times."""
    services, endpoints, calls = _sizes(bench)
    c = routing_cluster(services, endpoints)
    proxy = kube_proxy(c)
    hosts = host_names(services, calls)
    route = proxy.route

    def run():
        for host in hosts:
            route(resolve(c, host, NAMESPACE), 80)

    backend = route(resolve(c, hosts[0], NAMESPACE), 80)
    assert (backend.via, backend.container, backend.port) == ("clusterIP", "nginx", 80)
    return calls / bench.time(run)
