"""The store and API server hot paths: selective lists and object creation."""
from __future__ import annotations

import random

from benchmarks.runner import workload
from kubelearn.api.selector import parse_selector
from kubelearn.apiserver.server import APIServer
from kubelearn.apiserver.store import Store
from kubelearn.clock import Clock

POD_COUNT = 100_000
MATCH_EVERY = 100          # 1 pod in 100 has app=web: 1,000 matches in 100,000


def _pod(i: int) -> dict:
    app = "web" if i % MATCH_EVERY == 0 else f"app-{i % 97}"
    return {"apiVersion": "v1", "kind": "Pod",
            "metadata": {"name": f"pod-{i:06d}", "namespace": "default",
                         "labels": {"app": app, "tier": "backend" if i % 2 else "frontend"},
                         "uid": f"uid-{i}", "resourceVersion": str(i + 1)},
            "spec": {"containers": [{"name": "c", "image": "nginx:1.25"}]},
            "status": {"phase": "Running"}}


def _filled_store(n: int) -> Store:
    store = Store()
    for i in range(n):
        store.put("Pod", _pod(i))
    return store


def bare_label_scan(bench):
    """A plain list of pods filtered by label: no index."""
    pods = [_pod(i) for i in range(bench.size(POD_COUNT, quick=10_000))]
    return bench.time(lambda: sorted(
        (p for p in pods if p["metadata"]["labels"].get("app") == "web"),
        key=lambda p: p["metadata"]["name"]), number=5) * 1000


@workload("label-selector-100k-pods", unit="ms", target="<= 1", baseline=bare_label_scan)
def label_selector(bench):
    """``kubectl get pods -l app=web`` over 100,000 pods with 1,000 matches,
    through the API server (label index, then exact matching, then etcd order)."""
    n = bench.size(POD_COUNT, quick=10_000)
    api = APIServer(_filled_store(n), Clock(), random.Random(0))
    selector = parse_selector("app=web")
    result = api.list("Pod", "default", selector)
    assert len(result) == n // MATCH_EVERY, len(result)
    return bench.time(lambda: api.list("Pod", "default", selector), number=50) * 1000


CREATE_COUNT = 2_000


def _manifest(i: int) -> dict:
    return {"apiVersion": "v1", "kind": "Pod",
            "metadata": {"name": f"web-{i}", "labels": {"app": "web"}},
            "spec": {"containers": [{"name": "web", "image": "nginx:1.25",
                                     "ports": [{"containerPort": 80}]}]}}


def bare_create(bench):
    """Copy each manifest's metadata, stamp it and put it in a dict."""
    n = bench.size(CREATE_COUNT, quick=200)
    manifests = [_manifest(i) for i in range(n)]

    def run():
        objects = {}
        for i, m in enumerate(manifests):
            meta = {**m["metadata"], "namespace": "default", "uid": str(i),
                    "resourceVersion": str(i)}
            objects[("default", meta["name"])] = {**m, "metadata": meta}
        return objects
    return bench.time(run) * 1e6 / n


@workload("create-pod-through-apiserver", unit="us/object", target="<= 200",
          baseline=bare_create)
def create_objects(bench):
    """``kubectl create`` of a pod, minus kubectl: decode, default, validate,
    stamp metadata, store, notify watchers."""
    n = bench.size(CREATE_COUNT, quick=200)
    manifests = [_manifest(i) for i in range(n)]

    def run():
        store = Store()
        api = APIServer(store, Clock(), random.Random(0))
        api.create({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "default"}})
        api.create({"apiVersion": "v1", "kind": "ServiceAccount",
                    "metadata": {"name": "default", "namespace": "default"}})
        for m in manifests:
            api.create(m)
        return store
    return bench.time(run) * 1e6 / n
