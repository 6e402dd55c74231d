"""Diagrams of a big cluster: 100 nodes, 1,000 pods, every view built and rendered.

``diagram-100-nodes-1000-pods`` builds a booted cluster of 100 nodes running
10 Deployments of 100 replicas (1,000 pods), each Deployment behind a Service
(LoadBalancer, NodePort and ClusterIP by turns) and mounting a claim bound to a
PersistentVolume of its own, an emptyDir and a ConfigMap. Then, for each view
(``architecture``, ``workloads``, ``network``, ``storage``), it times
``cluster.diagram(view)`` plus rendering the SVG with graphviz-pure (a
subprocess): what a learner waits for after running ``c.diagram(view)`` in a
notebook. The value is the slowest view. The views summarise (12 pods per node
box, 12 node boxes, 12 pods per ReplicaSet, 12 endpoints per Service, 3 pods
per owner in storage), so the graphs stay a few hundred nodes whatever the
cluster's size. Set-up is not timed.

The baseline is rendering alone: the same DOT sources, already built, through
graphviz-pure. ``× baseline`` is then what building the graph in Python adds
on top of the renderer.
"""
from __future__ import annotations

import time

from benchmarks.runner import workload
from benchmarks.workloads.scheduling import cluster_of
from kubelearn.viz.dot import Diagram
from kubelearn.viz.render import render_svg
from kubelearn.viz.views import VIEWS

NODES, DEPLOYMENTS, REPLICAS = 100, 10, 100
QUICK_NODES, QUICK_DEPLOYMENTS, QUICK_REPLICAS = 20, 4, 50
SERVICE_TYPES = ("LoadBalancer", "NodePort", "ClusterIP")
_CLUSTERS: dict = {}


def _objects(i: int, replicas: int) -> list[dict]:
    name = f"app-{i:02d}"
    labels = {"app": name}
    return [
        {"apiVersion": "v1", "kind": "PersistentVolume", "metadata": {"name": f"pv-{name}"},
         "spec": {"capacity": {"storage": "1Gi"}, "accessModes": ["ReadWriteMany"],
                  "storageClassName": "", "hostPath": {"path": f"/data/{name}"}}},
        {"apiVersion": "v1", "kind": "PersistentVolumeClaim",
         "metadata": {"name": f"data-{name}", "namespace": "default"},
         "spec": {"accessModes": ["ReadWriteMany"], "storageClassName": "", "volumeName": f"pv-{name}",
                  "resources": {"requests": {"storage": "1Gi"}}}},
        {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": f"{name}-config", "namespace": "default"},
         "data": {"mode": "production"}},
        {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": name, "namespace": "default"},
         "spec": {"replicas": replicas, "selector": {"matchLabels": labels},
                  "template": {"metadata": {"labels": labels}, "spec": {
                      "containers": [{"name": "web", "image": "nginx:1.27", "ports": [{"containerPort": 80}],
                                      "volumeMounts": [{"name": "data", "mountPath": "/data"},
                                                       {"name": "cache", "mountPath": "/cache"},
                                                       {"name": "config", "mountPath": "/etc/app"}]}],
                      "volumes": [{"name": "data", "persistentVolumeClaim": {"claimName": f"data-{name}"}},
                                  {"name": "cache", "emptyDir": {}},
                                  {"name": "config", "configMap": {"name": f"{name}-config"}}]}}}},
        {"apiVersion": "v1", "kind": "Service", "metadata": {"name": name, "namespace": "default"},
         "spec": {"type": SERVICE_TYPES[i % 3], "selector": labels, "ports": [{"port": 80, "targetPort": 80}]}},
    ]


def diagram_cluster(nodes: int, deployments: int, replicas: int):
    """A settled cluster of ``nodes`` nodes and ``deployments`` x ``replicas`` running pods
    (kept between calls: the views only read it)."""
    key = (nodes, deployments, replicas)
    if key not in _CLUSTERS:
        c = cluster_of(nodes)
        for i in range(deployments):
            for obj in _objects(i, replicas):
                c.api.create(obj)
        report = c.settle()
        assert report.settled, report
        _CLUSTERS[key] = c
    return _CLUSTERS[key]


def _cluster(bench):
    return diagram_cluster(bench.size(NODES, quick=QUICK_NODES), bench.size(DEPLOYMENTS, quick=QUICK_DEPLOYMENTS),
                           bench.size(REPLICAS, quick=QUICK_REPLICAS))


def view_times(cluster, repeat: int = 3) -> dict[str, tuple[float, float]]:
    """``{view: (build ms, render ms)}``, best of ``repeat``, for the report."""
    found = {}
    for view in VIEWS:
        build = render = float("inf")
        for _ in range(repeat):
            start = time.perf_counter()
            d = cluster.diagram(view)
            middle = time.perf_counter()
            d.svg
            end = time.perf_counter()
            build, render = min(build, middle - start), min(render, end - middle)
        found[view] = (build * 1000, render * 1000)
    return found


def render_only(bench):
    """Rendering the views' DOT sources, already built: the slowest view, in ms."""
    c = _cluster(bench)
    sources = [str(c.diagram(view)) for view in VIEWS]
    return max(bench.time(lambda s=s: render_svg(s)) for s in sources) * 1000


@workload("diagram-100-nodes-1000-pods", unit="ms", target="<= 500", baseline=render_only)
def diagrams(bench):
    """Build and render each view of a 100-node, 1,000-pod cluster: the slowest view, in ms."""
    c = _cluster(bench)
    for view in VIEWS:
        assert isinstance(c.diagram(view), Diagram)
    return max(bench.time(lambda v=v: c.diagram(v).svg) for v in VIEWS) * 1000
