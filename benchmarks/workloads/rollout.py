"""A RollingUpdate of 1,000 replicas, its bounds checked at every store state.

The cluster has enough workers for ``replicas + maxSurge`` pods (110 pods a
node). Set-up (nodes, the Deployment, its first 1,000 pods) is not timed; the
timed operation is ``set image`` followed by ``settle()`` until the rollout is
complete, alternating between two images so every repeat is a full rollout
(the second onwards reuses the old ReplicaSet, as a rollback does).

A watch on the store checks, after every write, that at most ``replicas +
maxSurge`` pods are asked for and active and at least ``replicas -
maxUnavailable`` are ready; a broken bound fails the benchmark. The baseline
is the same rollout in bare Python: the step arithmetic of ``rollout_rolling``
over two counters and one small dict per pod created, made ready and deleted.
"""
from __future__ import annotations

import math

from benchmarks.runner import workload
from kubelearn import Cluster
from kubelearn.api.podutil import is_pod_active, is_pod_ready

REPLICAS = 1_000
SURGE, UNAVAILABLE = 250, 250          # 25% / 25% of 1,000
PODS_PER_NODE = 110


class BoundsWatch:
    """Counts from watch events (an informer's view): active and ready pods of the app,
    and the ReplicaSets' sizes; asserts the bounds at every state."""

    def __init__(self, cluster, replicas: int, surge: int, unavailable: int):
        self.max_total, self.min_ready = replicas + surge, replicas - unavailable
        self.pods: dict[str, bool] = {}
        self.sizes: dict[str, int] = {}
        self.asked = self.ready = 0
        self.states = 0
        self.armed = False
        from kubelearn.apiserver.store import WatchEvent

        for kind in ("ReplicaSet", "Pod"):
            for obj in cluster.api.list(kind, "default"):
                self(WatchEvent("ADDED", kind, obj, None))
        cluster.store.watch(self)

    def __call__(self, event) -> None:
        obj = event.obj
        if event.kind == "Pod":
            if (obj["metadata"].get("labels") or {}).get("app") != "web":
                return
            name = obj["metadata"]["name"]
            old = self.pods.pop(name, None)
            if old:
                self.ready -= 1
            if event.type != "DELETED" and is_pod_active(obj):
                now = is_pod_ready(obj)
                self.pods[name] = now
                self.ready += now
        elif event.kind == "ReplicaSet":
            name = obj["metadata"]["name"]
            self.asked -= self.sizes.pop(name, 0)
            if event.type != "DELETED":
                self.sizes[name] = obj["spec"].get("replicas", 1)
                self.asked += self.sizes[name]
        else:
            return
        if not self.armed:
            return
        self.states += 1
        if len(self.pods) > self.max_total or self.asked > self.max_total:
            raise AssertionError(f"surge bound broken: {len(self.pods)} pods, "
                                 f"{self.asked} asked for, max {self.max_total}")
        if self.ready < self.min_ready:
            raise AssertionError(f"unavailable bound broken: {self.ready} ready, "
                                 f"min {self.min_ready}")


def _deployment(replicas: int) -> dict:
    return {"apiVersion": "apps/v1", "kind": "Deployment",
            "metadata": {"name": "web", "namespace": "default"},
            "spec": {"replicas": replicas, "selector": {"matchLabels": {"app": "web"}},
                     "template": {"metadata": {"labels": {"app": "web"}},
                                  "spec": {"containers": [{"name": "nginx",
                                                           "image": "nginx:1.25"}]}}}}


def bare_rollout(bench):
    """The same rollout as plain arithmetic: each step scales the new set up to the surge
    bound, its pods become ready, then the old set goes down to the availability bound."""
    n = bench.size(REPLICAS, quick=100)
    surge, unavailable = math.ceil(n * 0.25), math.floor(n * 0.25)

    def rollout() -> int:
        old = {f"old-{i}": {"ready": True} for i in range(n)}
        new: dict[str, dict] = {}
        steps = created = 0
        while old or len(new) < n:
            steps += 1
            up = min(n + surge - len(old) - len(new), n - len(new))
            for _ in range(max(up, 0)):
                new[f"new-{created}"] = {"ready": False}
                created += 1
            assert len(old) + len(new) <= n + surge
            for pod in new.values():
                pod["ready"] = True
            down = min(len(old), len(old) + len(new) - (n - unavailable))
            for _ in range(max(down, 0)):
                old.popitem()
            assert len(old) + len(new) >= n - unavailable
        return steps

    return bench.time(rollout)


@workload("rolling-update-1k-replicas", unit="s", target="<= 10", baseline=bare_rollout)
def rolling_update(bench):
    """``kubectl set image`` on a 1,000-replica Deployment (25%/25%) and the whole
    rollout to complete, every intermediate state checked against the bounds."""
    n = bench.size(REPLICAS, quick=100)
    surge, unavailable = math.ceil(n * 0.25), math.floor(n * 0.25)
    workers = math.ceil((n + surge) / (PODS_PER_NODE - 5)) + 1
    cluster = Cluster(workers=workers)
    cluster.api.create(_deployment(n))
    cluster.run_now()
    assert cluster.settle(max_seconds=3600).settled
    watch = BoundsWatch(cluster, n, surge, unavailable)
    watch.armed = True
    images = iter(["nginx:1.26", "nginx:1.25"] * 50)

    def rollout() -> None:
        cluster.api.patch("Deployment", "web", "default", {"spec": {"template": {"spec": {
            "containers": [{"name": "nginx", "image": next(images)}]}}}})
        cluster.run_now()
        report = cluster.settle(max_seconds=3600)
        assert report.settled, report
        d = cluster.api.get("Deployment", "web", "default")
        assert d["status"].get("updatedReplicas") == n == d["status"].get("availableReplicas")

    seconds = bench.time(rollout)
    steps = [e for e in cluster.api.list("Event", "default") if e["reason"] == "ScalingReplicaSet"]
    print(f"  rolling-update: {n} replicas on {workers} workers, {watch.states:,} store states "
          f"checked over {bench.repeat} rollouts, {sum(e.get('count', 1) for e in steps)} "
          f"scaling steps, {len(cluster.api.list('Pod', 'default'))} pods at the end")
    return seconds
