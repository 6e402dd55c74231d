"""500 pods whose image does not exist, backing off for 15 minutes.

Every pod's kubelet pulls, fails (``ErrImagePull``), and then syncs again every
10-18 s while the image back-off (10 s doubling to 300 s) runs, pulling again
when it ends. Each sync in back-off records ``BackOff`` and ``Failed`` events,
which the event recorder counts again (two Event writes), and leaves the pod's
status as it is. Set-up (nodes, the Deployment, its pods up to their first
failed pull) is not timed; the timed operation is ``advance(900)``. Repeats go
on from where the last one stopped, so after the first every pod is at the
300 s cap: the same syncs, fewer pulls.

The baseline is the same schedule in bare Python: a heap of per-pod sync times,
two counters bumped per sync, a pull when the back-off is over, and the next
sync drawn from a seeded generator.
"""
from __future__ import annotations

import heapq
import math
import random

from benchmarks.runner import workload
from kubelearn import Cluster

REPLICAS, QUICK_REPLICAS = 500, 100
PODS_PER_NODE = 110
SECONDS = 900.0


def _deployment(replicas: int) -> dict:
    return {"apiVersion": "apps/v1", "kind": "Deployment",
            "metadata": {"name": "bad", "namespace": "default"},
            "spec": {"replicas": replicas, "selector": {"matchLabels": {"app": "bad"}},
                     "template": {"metadata": {"labels": {"app": "bad"}},
                                  "spec": {"containers": [{"name": "c",
                                                           "image": "nginx:doesnotexist"}]}}}}


def backoff_cluster(replicas: int) -> Cluster:
    """A cluster with ``replicas`` pods of a missing image, each past its first failure."""
    workers = math.ceil(replicas / (PODS_PER_NODE - 5)) + 1
    cluster = Cluster(workers=workers)
    cluster.api.create(_deployment(replicas))
    cluster.run_now()
    assert cluster.settle(max_seconds=3600).settled     # retries are background work
    return cluster


def bare_backoff(bench):
    """The back-off schedule of ``replicas`` pods over 15 minutes, as plain arithmetic."""
    n = bench.size(REPLICAS, quick=QUICK_REPLICAS)
    rng = random.Random(0)

    def run() -> int:
        counts = {}
        backoff = {i: (10.0, 0.0) for i in range(n)}
        heap = [(rng.uniform(0.8, 1.4), i) for i in range(n)]
        heapq.heapify(heap)
        syncs = 0
        while heap[0][0] <= SECONDS:
            now, pod = heapq.heappop(heap)
            syncs += 1
            delay, since = backoff[pod]
            ready = round(since + delay, 3)
            if now < ready:
                counts[(pod, "BackOff")] = counts.get((pod, "BackOff"), 0) + 1
                counts[(pod, "Failed")] = counts.get((pod, "Failed"), 0) + 1
                when = min(now + round(10 + rng.random() * 8, 3), ready)
            else:
                finished = now + round(0.6 + rng.random() * 0.9, 3)
                backoff[pod] = (min(delay * 2, 300.0), finished)
                counts[(pod, "Pulling")] = counts.get((pod, "Pulling"), 0) + 1
                when = finished + round(10 + rng.random() * 8, 3)
            heapq.heappush(heap, (round(when, 3), pod))
        return syncs

    return bench.time(run)


@workload("image-pull-backoff-500-pods", unit="s", target="<= 3", baseline=bare_backoff)
def image_pull_backoff(bench):
    """15 simulated minutes of 500 pods in ImagePullBackOff (syncs every 10-18 s,
    pulls after 10, 20, 40 ... 300 s of back-off)."""
    n = bench.size(REPLICAS, quick=QUICK_REPLICAS)
    cluster = backoff_cluster(n)
    seconds = bench.time(lambda: cluster.advance(SECONDS))
    events = [e for e in cluster.api.list("Event", "default") if e["reason"] == "BackOff"]
    assert len(events) == n
    print(f"  image-pull-backoff: {n} pods, {sum(e['count'] for e in events):,} back-off syncs "
          f"over {bench.repeat} x {SECONDS:g} s")
    return seconds
