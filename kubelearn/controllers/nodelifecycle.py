"""Node lifecycle: a node that stops reporting goes NotReady and its pods move away.

After upstream's ``pkg/controller/nodelifecycle`` (the node-lifecycle controller)
and ``pkg/controller/tainteviction`` (the taint-eviction controller, the
"taint manager"), v1.32 defaults:

* A running node's kubelet renews its heartbeat (its Lease) every
  ``NODE_LEASE_RENEW_INTERVAL`` (10 s). kubelearn keeps the liveness in
  cluster state instead of writing a Lease every 10 s per node:
  ``cluster.stopped_nodes`` maps a stopped node to the time it stopped, and
  ``last_heartbeat`` says when the node last renewed.
* Every ``NODE_MONITOR_PERIOD`` (5 s) the controller looks at the heartbeats.
  Once one is older than ``NODE_MONITOR_GRACE_PERIOD`` (50 s since 1.32,
  kubernetes#126287; 40 s before), Ready, MemoryPressure, DiskPressure and
  PIDPressure become ``Unknown`` (``NodeStatusUnknown``, ``Kubelet stopped
  posting node status.``), the node gets the event ``NodeNotReady``, its pods
  get ``Ready=False`` and the event ``NodeNotReady`` ``Node is not ready``
  (MarkPodsNotReady), and the node is tainted
  ``node.kubernetes.io/unreachable:NoExecute`` and ``:NoSchedule``.
* The taint manager evicts each pod on a node with NoExecute taints once its
  tolerations run out: the DefaultTolerationSeconds admission gives every pod
  300 s for ``unreachable``. It records ``TaintManagerEviction`` ``Marking for
  deletion Pod default/x``, adds the pod condition ``DisruptionTarget``
  (``DeletionByTaintManager``) and deletes the pod. With no kubelet to confirm,
  the pod stays ``Terminating``; its ReplicaSet has already made a
  replacement, which the scheduler places on another node.
* When the node starts again (``cluster.start_node``) its kubelet posts Ready,
  the taints go, pending evictions are cancelled (``Cancelling deletion of Pod
  default/x``) and the kubelet finishes the deletions the API server waited for.

``stop_kubelet`` / ``start_kubelet`` are what ``Cluster.stop_node`` and
``Cluster.start_node`` do to the node agent itself.
"""
from __future__ import annotations

import math

from kubelearn.api.podutil import get_condition, is_pod_terminal
from kubelearn.clock import parse_rfc3339, rfc3339
from kubelearn.controllers.base import Controller

COMPONENT = "node-controller"
TAINT_EVICTION_COMPONENT = "taint-eviction-controller"
KUBELET = "kubelet"

NODE_MONITOR_PERIOD = 5.0
NODE_MONITOR_GRACE_PERIOD = 50.0
NODE_LEASE_RENEW_INTERVAL = 10.0

TAINT_UNREACHABLE = "node.kubernetes.io/unreachable"
TAINT_NOT_READY = "node.kubernetes.io/not-ready"
NODE_CONDITIONS = ("Ready", "MemoryPressure", "DiskPressure", "PIDPressure")
KUBELET_CONDITIONS = {
    "MemoryPressure": ("False", "KubeletHasSufficientMemory",
                       "kubelet has sufficient memory available"),
    "DiskPressure": ("False", "KubeletHasNoDiskPressure", "kubelet has no disk pressure"),
    "PIDPressure": ("False", "KubeletHasSufficientPID", "kubelet has sufficient PID available"),
    "Ready": ("True", "KubeletReady", "kubelet is posting ready status"),
}
# The taints the controller manages for a Ready status (doNoExecuteTaintingPass and
# doNodeProcessingPassWorker's taintNodeByCondition), NoExecute first as it lands first.
CONDITION_TAINTS = {"Unknown": TAINT_UNREACHABLE, "False": TAINT_NOT_READY}


# -- heartbeats -------------------------------------------------------------------------
def last_heartbeat(cluster, node: str) -> float:
    """When the node's kubelet last renewed its lease: on its 10 s renew cadence,
    up to now for a running node, up to the moment it stopped for a stopped one."""
    until = (getattr(cluster, "stopped_nodes", None) or {}).get(node, cluster.clock.now)
    obj = cluster.api.store.get("Node", "", node)
    created = (obj or {}).get("metadata", {}).get("creationTimestamp")
    start = parse_rfc3339(created) if created else 0.0
    ticks = max(math.floor((until - start) / NODE_LEASE_RENEW_INTERVAL), 0)
    return start + ticks * NODE_LEASE_RENEW_INTERVAL


def unknown_at(heartbeat: float) -> float:
    """The monitor pass that first finds a heartbeat older than the grace period: the
    renewal is seen at the next pass, and Unknown set at the first pass after
    ``seen + grace``."""
    seen = math.ceil(heartbeat / NODE_MONITOR_PERIOD) * NODE_MONITOR_PERIOD
    return seen + NODE_MONITOR_GRACE_PERIOD + NODE_MONITOR_PERIOD


# -- the kubelet side of stop / start ------------------------------------------------------
def _kubelet_manager(cluster):
    from kubelearn.node.kubelet import KubeletManager

    return next((c for c in cluster.controllers if isinstance(c, KubeletManager)), None)


def _controller(cluster) -> "NodeLifecycleController | None":
    return next((c for c in cluster.controllers if isinstance(c, NodeLifecycleController)),
                None)


def stop_kubelet(cluster, node: str) -> None:
    """The node's kubelet stops: its timers (container starts, probes, restarts) are
    cancelled and it no longer hears of pods. What it last reported stays as it was."""
    manager, ctrl = _kubelet_manager(cluster), _controller(cluster)
    kubelet = manager.kubelets.pop(node, None) if manager is not None else None
    if kubelet is not None:
        for worker in sorted(kubelet.workers.values(), key=lambda w: w.key):
            kubelet._stop_worker(worker)
        if ctrl is not None:
            ctrl.parked[node] = kubelet
    if ctrl is not None:
        ctrl.enqueue(("node", node))


def start_kubelet(cluster, node: str) -> None:
    """The node's kubelet starts again: it posts Ready and syncs every pod bound to it
    (deleted ones are finished, the others started afresh)."""
    from kubelearn.node.kubelet import Kubelet

    manager, ctrl = _kubelet_manager(cluster), _controller(cluster)
    obj = cluster.api.store.get("Node", "", node)
    if obj is None:
        return
    post_ready_status(cluster, obj)
    if manager is None:
        return
    kubelet = ctrl.parked.pop(node, None) if ctrl is not None else None
    manager.kubelets[node] = kubelet if kubelet is not None else Kubelet(manager, obj)
    pods = ctrl.pods_on(node) if ctrl is not None else sorted(
        (p["metadata"]["namespace"], p["metadata"]["name"])
        for p in cluster.api.list("Pod") if p["spec"].get("nodeName") == node)
    for namespace, name in pods:
        manager.enqueue((node, namespace, name))


def post_ready_status(cluster, node: dict) -> None:
    """The kubelet's first node status after a start: its conditions as it sees them,
    with the events a restarted kubelet leaves on its node."""
    now = rfc3339(cluster.clock.now)
    name = node["metadata"]["name"]
    conditions, changed = [], []
    for cond in (node.get("status") or {}).get("conditions") or ():
        want = KUBELET_CONDITIONS.get(cond.get("type"))
        if want is None:
            conditions.append(cond)
            continue
        status, reason, message = want
        new = {**cond, "status": status, "reason": reason, "message": message,
               "lastHeartbeatTime": now}
        if cond.get("status") != status:
            new["lastTransitionTime"] = now
            changed.append(cond["type"])
        conditions.append(new)
    cluster.api.update_status({**node, "status": {**node["status"], "conditions": conditions}})
    node = cluster.api.store.get("Node", "", name)
    events = cluster.events
    events.record(node, "Normal", "Starting", "Starting kubelet.", KUBELET, host=name)
    events.record(node, "Normal", "NodeAllocatableEnforced",
                  "Updated Node Allocatable limit across pods", KUBELET, host=name)
    for kind in ("MemoryPressure", "DiskPressure", "PIDPressure", "Ready"):
        if kind in changed:
            reason = KUBELET_CONDITIONS[kind][1] if kind != "Ready" else "NodeReady"
            reason = {"KubeletHasSufficientMemory": "NodeHasSufficientMemory",
                      "KubeletHasNoDiskPressure": "NodeHasNoDiskPressure",
                      "KubeletHasSufficientPID": "NodeHasSufficientPID"}.get(reason, reason)
            events.record(node, "Normal", reason, f"Node {name} status is now: {reason}",
                          KUBELET, host=name)


# -- the controller -------------------------------------------------------------------------
class NodeLifecycleController(Controller):
    """The node-lifecycle controller and the taint manager, on keys ("node", name) and
    ("pod", namespace, name)."""

    name = COMPONENT
    watches = ("Node", "Pod")

    def __init__(self, cluster) -> None:
        super().__init__(cluster)
        self.parked: dict[str, object] = {}                 # kubelets of stopped nodes
        self._pods_by_node: dict[str, set[tuple[str, str]]] = {}
        self._pod_node: dict[tuple[str, str], str] = {}
        self._no_execute: dict[str, list[dict]] = {}         # node -> its NoExecute taints
        self._evictions: dict[tuple[str, str], float] = {}  # pod -> when it is evicted

    # -- events ------------------------------------------------------------
    def keys_for(self, event):
        obj = event.obj
        meta = obj["metadata"]
        if event.kind == "Node":
            name = meta["name"]
            if event.type == "DELETED":
                self._no_execute.pop(name, None)
                return ()
            taints = [t for t in (obj.get("spec") or {}).get("taints") or ()
                      if t.get("effect") == "NoExecute"]
            before = self._no_execute.get(name, [])
            if taints:
                self._no_execute[name] = taints
            else:
                self._no_execute.pop(name, None)
            keys = [("node", name)]
            if taints != before:
                keys += [("pod", ns, pod) for ns, pod in self.pods_on(name)]
            return keys
        key = (meta.get("namespace", ""), meta["name"])
        node = (obj.get("spec") or {}).get("nodeName") or ""
        old_node = self._pod_node.get(key)
        if event.type == "DELETED" or not node:
            node = ""
        if old_node != node:
            if old_node:
                self._pods_by_node.get(old_node, set()).discard(key)
                self._pod_node.pop(key, None)
            if node:
                self._pods_by_node.setdefault(node, set()).add(key)
                self._pod_node[key] = node
        if node in self._no_execute or key in self._evictions:
            return (("pod",) + key,)
        return ()

    def pods_on(self, node: str) -> list[tuple[str, str]]:
        return sorted(self._pods_by_node.get(node, ()))

    def reconcile(self, key):
        if key[0] == "node":
            return self.monitor_node_health(key[1])
        return self.process_pod_on_node(key[1], key[2])

    # -- node health -------------------------------------------------------------
    def monitor_node_health(self, name: str) -> float | None:
        """monitorNodeHealth for one node: Unknown after the grace period, then the taints
        that match the Ready condition (added or removed)."""
        node = self.api.store.get("Node", "", name)
        if node is None:
            return None
        delay = None
        ready = get_condition(node.get("status"), "Ready")
        stopped = name in (getattr(self.cluster, "stopped_nodes", None) or {})
        if stopped and (ready is None or ready.get("status") != "Unknown"):
            when = unknown_at(last_heartbeat(self.cluster, name))
            if self.clock.now < when:
                return when - self.clock.now
            node = self.try_update_node_health(node)
            ready = get_condition(node.get("status"), "Ready")
        self.sync_taints(node, ready.get("status") if ready else None)
        return delay

    def try_update_node_health(self, node: dict) -> dict:
        """Ready and the pressure conditions to Unknown; NodeNotReady; MarkPodsNotReady."""
        now = rfc3339(self.clock.now)
        conditions = []
        for cond in (node.get("status") or {}).get("conditions") or ():
            if cond.get("type") in NODE_CONDITIONS and cond.get("status") != "Unknown":
                cond = {**cond, "status": "Unknown", "reason": "NodeStatusUnknown",
                        "message": "Kubelet stopped posting node status.",
                        "lastTransitionTime": now}
            conditions.append(cond)
        node = self.api.update_status({**node, "status": {**node["status"],
                                                          "conditions": conditions}})
        name = node["metadata"]["name"]
        self.cluster.events.record(node, "Normal", "NodeNotReady",
                                   f"Node {name} status is now: NodeNotReady", COMPONENT)
        self.mark_pods_not_ready(name, now)
        return node

    def mark_pods_not_ready(self, node: str, now: str) -> None:
        """MarkPodsNotReady: each pod's Ready condition to False, and a warning event."""
        for namespace, name in self.pods_on(node):
            pod = self.api.store.get("Pod", namespace, name)
            if pod is None or pod["spec"].get("nodeName") != node:
                continue
            status = pod.get("status") or {}
            conditions = list(status.get("conditions") or ())
            for i, cond in enumerate(conditions):
                if cond.get("type") != "Ready":
                    continue
                if cond.get("status") == "False":
                    break
                conditions[i] = {**cond, "status": "False", "lastTransitionTime": now}
                self.api.update_status({**pod, "status": {**status, "conditions": conditions}})
                self.cluster.events.record(pod, "Warning", "NodeNotReady", "Node is not ready",
                                           COMPONENT)
                break

    def sync_taints(self, node: dict, ready: str | None) -> None:
        """The unreachable / not-ready taints (NoExecute with timeAdded, and NoSchedule)
        exactly when the Ready condition is Unknown / False."""
        want_key = CONDITION_TAINTS.get(ready or "")
        managed = {TAINT_UNREACHABLE, TAINT_NOT_READY}
        taints = list((node.get("spec") or {}).get("taints") or ())
        kept = [t for t in taints if t.get("key") not in managed or t.get("key") == want_key]
        have = {(t.get("key"), t.get("effect")) for t in kept}
        if want_key is not None:
            for effect in ("NoExecute", "NoSchedule"):
                if (want_key, effect) not in have:
                    taint = {"key": want_key, "effect": effect}
                    if effect == "NoExecute":
                        taint["timeAdded"] = rfc3339(self.clock.now)
                    kept.append(taint)
        if kept == taints:
            return
        spec = {**node["spec"], "taints": kept}
        if not kept:
            del spec["taints"]
        self.api.update({**node, "spec": spec})

    # -- the taint manager ------------------------------------------------------------
    def process_pod_on_node(self, namespace: str, name: str) -> float | None:
        """processPodOnNode: when this pod's tolerations of its node's NoExecute taints run
        out, evict it; cancel a planned eviction once the taints are gone."""
        key = (namespace, name)
        pod = self.api.store.get("Pod", namespace, name)
        node = (pod or {}).get("spec", {}).get("nodeName") or ""
        taints = self._no_execute.get(node, [])
        if pod is None or pod["metadata"].get("deletionTimestamp") or is_pod_terminal(pod):
            self._evictions.pop(key, None)
            return None
        if not taints:
            if self._evictions.pop(key, None) is not None:
                self._event(namespace, name, f"Cancelling deletion of Pod {namespace}/{name}")
            return None
        when = self._eviction_time(pod, taints)
        if when is None:
            self._evictions.pop(key, None)
            return None
        self._evictions[key] = when
        if self.clock.now < when:
            return when - self.clock.now
        del self._evictions[key]
        self._evict(pod)
        return None

    def _eviction_time(self, pod: dict, taints: list[dict]) -> float | None:
        """The taints' time plus the shortest matching tolerationSeconds; now when a taint
        is not tolerated; None when every taint is tolerated for ever."""
        from kubelearn.controllers.scheduler_plugins import tolerates

        tolerations = pod["spec"].get("tolerations") or ()
        when = None
        for taint in taints:
            matching = [t for t in tolerations if tolerates(t, taint)]
            if not matching:
                return self.clock.now
            seconds = [t["tolerationSeconds"] for t in matching
                       if t.get("tolerationSeconds") is not None]
            if not seconds:
                continue
            added = parse_rfc3339(taint["timeAdded"]) if taint.get("timeAdded") \
                else self.clock.now
            at = added + max(min(seconds), 0)
            when = at if when is None else min(when, at)
        return when

    def _evict(self, pod: dict) -> None:
        """The event, the DisruptionTarget condition, then a graceful delete."""
        from kubelearn.apiserver import errors

        meta = pod["metadata"]
        namespace, name = meta.get("namespace", ""), meta["name"]
        self._event(namespace, name, f"Marking for deletion Pod {namespace}/{name}")
        status = pod.get("status") or {}
        conditions = [c for c in status.get("conditions") or ()
                      if c.get("type") != "DisruptionTarget"]
        conditions.append({"lastProbeTime": None, "lastTransitionTime": rfc3339(self.clock.now),
                           "message": "Taint manager: deleting due to NoExecute taint",
                           "reason": "DeletionByTaintManager", "status": "True",
                           "type": "DisruptionTarget"})
        try:
            self.api.update_status({**pod, "status": {**status, "conditions": conditions}})
            self.api.delete("Pod", name, namespace)
        except errors.StatusError:
            pass

    def _event(self, namespace: str, name: str, message: str) -> None:
        """emitPodDeletionEvent / emitCancelPodDeletionEvent: about the pod by reference."""
        ref = {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": name,
                                                               "namespace": namespace}}
        self.cluster.events.record(ref, "Normal", "TaintManagerEviction", message,
                                   TAINT_EVICTION_COMPONENT)
