"""What the workload controllers share, after upstream's ``pkg/controller/controller_utils.go``.

* ``get_pod_from_template``: the pod a ReplicaSet or DaemonSet creates.
* ``PodControl``: create and delete pods through the API, leaving the
  ``SuccessfulCreate`` / ``SuccessfulDelete`` (or ``FailedCreate``) events.
* ``slow_start_batch``: create 1, then 2, 4, ... so a failing create (a quota,
  a terminating namespace) fails once, not a thousand times.
* ``ActivePodsWithRanks`` ordering (``rank_pods_for_deletion``): which pods a
  scale-down removes first.
* ``claim``: ControllerRefManager's adopt-or-release of objects by selector.
"""
from __future__ import annotations

import heapq
import math
from functools import cmp_to_key, lru_cache

from kubelearn.api.podutil import (controller_ref, get_condition, is_pod_active, is_pod_ready,
                                   new_controller_ref)
from kubelearn.apiserver import errors
from kubelearn.clock import parse_rfc3339

SLOW_START_INITIAL_BATCH_SIZE = 1

_PHASE_ORDINAL = {"Pending": 0, "Unknown": 1, "Running": 2}


def get_pod_from_template(template: dict, parent: dict, owner_ref: dict | None) -> dict:
    """GetPodFromTemplate: the template's labels, annotations, finalizers and spec, a
    ``generateName`` of ``<parent>-`` and the parent as controller."""
    tmeta = template.get("metadata") or {}
    meta: dict = {"generateName": parent["metadata"]["name"] + "-",
                  "namespace": parent["metadata"].get("namespace", "")}
    if tmeta.get("labels"):
        meta["labels"] = dict(tmeta["labels"])
    if tmeta.get("annotations"):
        meta["annotations"] = dict(tmeta["annotations"])
    if tmeta.get("finalizers"):
        meta["finalizers"] = list(tmeta["finalizers"])
    if owner_ref is not None:
        meta["ownerReferences"] = [owner_ref]
    return {"apiVersion": "v1", "kind": "Pod", "metadata": meta, "spec": template.get("spec") or {}}


class PodControl:
    """RealPodControl: pod writes plus the events that explain them."""

    def __init__(self, controller) -> None:
        self.api = controller.api
        self.events = controller.cluster.events
        self.component = controller.name

    def create_pod(self, pod: dict, owner: dict) -> dict:
        try:
            created = self.api.create(pod)
        except errors.StatusError as err:
            self.events.record(owner, "Warning", "FailedCreate", f"Error creating: {err.message}",
                               self.component)
            raise
        self.events.record(owner, "Normal", "SuccessfulCreate",
                           f"Created pod: {created['metadata']['name']}", self.component)
        return created

    def delete_pod(self, namespace: str, name: str, owner: dict) -> None:
        try:
            self.api.delete("Pod", name, namespace)
        except errors.StatusError as err:
            if err.reason == "NotFound":
                return
            self.events.record(owner, "Warning", "FailedDelete", f"Error deleting: {err.message}",
                               self.component)
            raise
        self.events.record(owner, "Normal", "SuccessfulDelete", f"Deleted pod: {name}",
                           self.component)


def slow_start_batch(count: int, initial_batch_size: int, fn) -> tuple[int, Exception | None]:
    """Call ``fn`` ``count`` times in batches of 1, 2, 4, ...; stop after a batch with an error.
    Returns (successes, first error)."""
    remaining, successes, batch = count, 0, min(count, initial_batch_size)
    while batch > 0:
        error = None
        for _ in range(batch):
            try:
                fn()
                successes += 1
            except errors.StatusError as err:
                error = error or err
        if error is not None:
            return successes, error
        remaining -= batch
        batch = min(2 * batch, remaining)
    return successes, None


@lru_cache(maxsize=4096)
def _parse(stamp: str) -> float:
    """parse_rfc3339, remembered: pods of one rollout share their (second) timestamps."""
    return parse_rfc3339(stamp)


def _ready_time(pod: dict) -> float | None:
    cond = get_condition(pod.get("status"), "Ready")
    if cond is None or cond.get("status") != "True" or not cond.get("lastTransitionTime"):
        return None
    return _parse(cond["lastTransitionTime"])


def _created(pod: dict) -> float | None:
    stamp = pod["metadata"].get("creationTimestamp")
    return _parse(stamp) if stamp else None


def _max_restarts(pod: dict) -> int:
    return max((c.get("restartCount", 0) for c in
                (pod.get("status") or {}).get("containerStatuses") or ()), default=0)


def _log_rank_diff(t1: float, t2: float, now: float) -> int:
    """logarithmicRankDiff: compare ages on a log2 scale of nanoseconds."""
    d1, d2 = (now - t1) * 1e9, (now - t2) * 1e9
    r1 = int(math.log2(d1)) if d1 > 0 else -1
    r2 = int(math.log2(d2)) if d2 > 0 else -1
    return r1 - r2


def _after_or_zero(t1: float | None, t2: float | None) -> bool:
    if t1 is None or t2 is None:
        return t1 is None
    return t1 > t2


def _facts(pod: dict, rank: int) -> tuple:
    """What ActivePodsWithRanks.Less looks at, worked out once per pod (parsing a
    timestamp in every comparison made ranking 1,000 pods cost seconds)."""
    node = pod["spec"].get("nodeName") or ""
    phase = _PHASE_ORDINAL.get((pod.get("status") or {}).get("phase"), 0)
    ready = is_pod_ready(pod)
    return (node, phase, ready, _deletion_cost(pod), rank, pod["metadata"].get("uid", ""),
            _ready_time(pod) if ready else None, _max_restarts(pod), _created(pod))


def _compare(a: tuple, b: tuple, now: float) -> int:
    """ActivePodsWithRanks.Less as a cmp function (LogarithmicScaleDown on, as in 1.32),
    over the ``_facts`` of two pods."""
    na, oa, ready_a, cost_a, ra, uid_a, ta, restarts_a, ca = a
    nb, ob, ready_b, cost_b, rb, uid_b, tb, restarts_b, cb = b
    if na != nb and (not na or not nb):
        return -1 if not na else 1
    if oa != ob:
        return -1 if oa < ob else 1
    if ready_a != ready_b:
        return -1 if not ready_a else 1
    if cost_a != cost_b:
        return -1 if cost_a < cost_b else 1
    if ra != rb:
        return -1 if ra > rb else 1
    if ready_a and ready_b and ta != tb:
        result = _time_order(ta, tb, now, uid_a, uid_b)
        if result:
            return result
    if restarts_a != restarts_b:
        return -1 if restarts_a > restarts_b else 1
    if ca != cb:
        result = _time_order(ca, cb, now, uid_a, uid_b)
        if result:
            return result
    return (uid_a > uid_b) - (uid_a < uid_b)   # upstream leaves this order to chance


def _time_order(ta, tb, now, uid_a, uid_b) -> int:
    """Newer first; on the log scale, equal buckets fall back to uid order."""
    if ta is None or tb is None:
        return -1 if _after_or_zero(ta, tb) else 1
    diff = _log_rank_diff(ta, tb, now)
    if diff == 0:
        return -1 if uid_a < uid_b else 1
    return -1 if diff < 0 else 1


def _deletion_cost(pod: dict) -> int:
    value = (pod["metadata"].get("annotations") or {}).get(
        "controller.kubernetes.io/pod-deletion-cost")
    try:
        return int(value) if value is not None else 0
    except ValueError:
        return 0


def rank_pods_for_deletion(pods: list[dict], related: list[dict], now: float) -> list[dict]:
    """getPodsRankedByRelatedPodsOnSameNode + sort: the pods a scale-down should remove
    first come first. ``related`` are all active pods of the same owner family."""
    on_node: dict[str, int] = {}
    for pod in related:
        if is_pod_active(pod):
            node = pod["spec"].get("nodeName") or ""
            on_node[node] = on_node.get(node, 0) + 1
    ranked = [(_facts(pod, on_node.get(pod["spec"].get("nodeName") or "", 0)), i)
              for i, pod in enumerate(pods)]
    ranked.sort(key=cmp_to_key(lambda a, b: _compare(a[0], b[0], now)))
    return [pods[i] for _, i in ranked]


def pods_to_delete(pods: list[dict], related: list[dict], now: float, count: int) -> list[dict]:
    """The first ``count`` of ``rank_pods_for_deletion`` without sorting them all
    (a rollout takes a few pods at a time from a ReplicaSet of a thousand)."""
    if count * 8 >= len(pods):
        return rank_pods_for_deletion(pods, related, now)[:count]
    on_node: dict[str, int] = {}
    for pod in related:
        if is_pod_active(pod):
            node = pod["spec"].get("nodeName") or ""
            on_node[node] = on_node.get(node, 0) + 1
    ranked = [(_facts(pod, on_node.get(pod["spec"].get("nodeName") or "", 0)), i)
              for i, pod in enumerate(pods)]
    key = cmp_to_key(lambda a, b: _compare(a[0], b[0], now))
    return [pods[i] for _, i in heapq.nsmallest(count, ranked, key=key)]


def claim(api, owner: dict, candidates: list[dict], matches) -> list[dict]:
    """ClaimObjects: keep what the owner controls and still matches, adopt matching
    orphans, release what no longer matches. Returns the objects now owned."""
    uid = owner["metadata"]["uid"]
    deleting = bool(owner["metadata"].get("deletionTimestamp"))
    owned = []
    for obj in candidates:
        ref = controller_ref(obj)
        labels = obj["metadata"].get("labels") or {}
        if ref is not None:
            if ref.get("uid") != uid:
                continue
            if matches(labels):
                owned.append(obj)
            elif not deleting:
                _release(api, obj, uid)
            continue
        if deleting or not matches(labels) or obj["metadata"].get("deletionTimestamp"):
            continue
        refs = list(obj["metadata"].get("ownerReferences") or ()) + [new_controller_ref(owner)]
        try:
            owned.append(api.write_metadata(obj, {**obj["metadata"], "ownerReferences": refs}))
        except errors.StatusError:
            continue
    return owned


def _release(api, obj: dict, uid: str) -> None:
    refs = [r for r in obj["metadata"].get("ownerReferences") or () if r.get("uid") != uid]
    meta = {**obj["metadata"], "ownerReferences": refs}
    if not refs:
        del meta["ownerReferences"]
    try:
        api.write_metadata(obj, meta)
    except errors.StatusError:
        pass
