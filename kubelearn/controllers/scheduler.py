"""kube-scheduler: binds each pending pod to a node, or says why it cannot.

One scheduling cycle per pod, as upstream's ``schedulePod``:

1. PreFilter: plugins compute what they need (requests) and may narrow the
   nodes to check (a DaemonSet pod names its node).
2. Filter: nodes are checked from a rotating start index until
   ``numFeasibleNodesToFind`` fit (all nodes below 100; 10% of 5,000), each
   node keeping the verdict of the first plugin that refused it.
3. Score: feasible nodes are scored by each score plugin, normalised, weighted
   and summed; the best wins, ties broken by the cluster's seeded generator.
4. Bind: ``spec.nodeName`` is set through the API's binding verb and the pod
   gets a ``Scheduled`` event from ``default-scheduler``.

A pod that fits nowhere gets ``FailedScheduling`` with upstream's aggregated
message and the condition PodScheduled=False/Unschedulable, and waits among
the unschedulable pods until something changes (a node joins or changes, a pod
leaves a node) or five minutes pass. ``explain(namespace, name)`` answers "why
is my pod Pending?" node by node.

The scheduler never scans pods to decide: each node's requested resources are
kept in a ``NodeInfo`` updated from pod watch events (bind, delete, finish).
"""
from __future__ import annotations

from kubelearn.api.podutil import is_pod_terminal, pod_requests, update_condition
from kubelearn.apiserver import errors
from kubelearn.clock import rfc3339
from kubelearn.controllers.base import Controller
from kubelearn.controllers.scheduler_framework import (
    MIN_FEASIBLE_NODES_TO_FIND, NO_VICTIMS, PREEMPTION_NOT_HELPFUL, UNSCHEDULABLE,
    UNSCHEDULABLE_AND_UNRESOLVABLE, Diagnosis, NodeInfo, Plugin, ShapeQueue, Status,
    fit_error_message, num_feasible_nodes_to_find)
from kubelearn.controllers.scheduler_plugins import default_plugins
from kubelearn.controllers.scheduler_volumes import BIND_POLL_SECONDS

SCHEDULER_NAME = "default-scheduler"
POD_MAX_IN_UNSCHEDULABLE_SECONDS = 300.0
FLUSH_UNSCHEDULABLE_INTERVAL = 30.0
INITIAL_BACKOFF, MAX_BACKOFF = 1.0, 10.0
_STATIC_CACHE_LIMIT = 512
_SHAPE_LIMIT = 8


class Scheduler(Controller):
    """The default scheduler, as a controller over pending pods."""

    name = SCHEDULER_NAME
    # Claims, volumes and classes too: VolumeBinding's cluster events (a claim bound, a
    # volume or class created) send the pods that failed on their volumes back to try.
    watches = ("Node", "Pod", "PersistentVolumeClaim", "PersistentVolume", "StorageClass")

    def __init__(self, cluster, percentage_of_nodes_to_score: int = 0) -> None:
        super().__init__(cluster)
        self.plugins = default_plugins(cluster.api)
        self.volume_binding = next((p for p in self.plugins if p.name == "VolumeBinding"), None)
        self.filter_plugins = [p for p in self.plugins if type(p).filter is not Plugin.filter]
        self.static_filters = [p for p in self.filter_plugins if p.static]
        self.dynamic_filters = [p for p in self.filter_plugins if not p.static]
        self.score_plugins = [p for p in self.plugins if p.weight]
        self.percentage_of_nodes_to_score = percentage_of_nodes_to_score
        self.nodes: dict[str, NodeInfo] = {}
        self._node_order: list[str] = []
        self._pod_node: dict[tuple[str, str], str] = {}   # charged pod -> node
        self.next_start_node_index = 0
        self.unschedulable: dict[tuple[str, str], float] = {}
        self._attempts: dict[tuple[str, str], int] = {}
        self.diagnoses: dict[tuple[str, str], Diagnosis] = {}
        self._static_cache: dict[str, dict[str, tuple]] = {}
        self._shapes: dict[tuple, ShapeQueue] = {}
        self.dynamic_score_plugins = [p for p in self.score_plugins if not p.static]
        self._flush_timer = None

    # -- cache maintenance (the informer handlers) -------------------------
    def keys_for(self, event):
        if event.kind == "Pod":
            return self._on_pod(event)
        if event.kind == "Node":
            self._on_node(event)
        elif self.unschedulable and event.type != "DELETED":
            self._move_all_to_active()
        return ()

    def _on_node(self, event) -> None:
        name = event.obj["metadata"]["name"]
        if event.type == "DELETED":
            self.nodes.pop(name, None)
            self._node_order = sorted(self.nodes)
            self._shapes.clear()
            return
        info = self.nodes.get(name)
        if info is None:
            self.nodes[name] = NodeInfo(event.obj)
            self._node_order = sorted(self.nodes)
            self._shapes.clear()
            self._move_all_to_active()
            return
        before = (info.alloc_cpu, info.alloc_mem, info.alloc_pods)
        changed = info.set_node(event.obj)
        if changed:
            self._shapes.clear()
        if changed or before != (info.alloc_cpu, info.alloc_mem, info.alloc_pods):
            self._refresh_node(info)
            self._move_all_to_active()

    def _on_pod(self, event):
        pod = event.obj
        meta = pod["metadata"]
        key = (meta.get("namespace", ""), meta["name"])
        node = pod.get("spec", {}).get("nodeName")
        charged = self._pod_node.get(key)
        if event.type == "DELETED" or (node and is_pod_terminal(pod)):
            self.unschedulable.pop(key, None)
            self.diagnoses.pop(key, None)
            self._attempts.pop(key, None)
            if charged is not None:
                self._uncharge(key, charged)
                self._move_all_to_active()
            return ()
        if node:
            if charged != node:
                if charged is not None:
                    self._uncharge(key, charged)
                info = self.nodes.get(node)
                if info is not None:
                    info.add_pod(key, pod)
                    self._pod_node[key] = node
                    self._refresh_node(info)
            self.unschedulable.pop(key, None)
            self.diagnoses.pop(key, None)
            return ()
        if meta.get("deletionTimestamp") or \
                (pod.get("spec", {}).get("schedulerName") or SCHEDULER_NAME) != SCHEDULER_NAME:
            return ()
        if event.type == "MODIFIED" and event.old is not None \
                and event.old.get("spec") == pod.get("spec"):
            return ()       # our own status write, or a label change: nothing new to try
        self.unschedulable.pop(key, None)
        return (key,)

    def _uncharge(self, key, node: str) -> None:
        info = self.nodes.get(node)
        if info is not None:
            info.remove_pod(key)
            self._refresh_node(info)
        self._pod_node.pop(key, None)

    def _refresh_node(self, info: NodeInfo) -> None:
        for queue in self._shapes.values():
            queue.push(info)

    # -- the unschedulable pods ------------------------------------------
    def _move_all_to_active(self) -> None:
        """MoveAllToActiveOrBackoffQueue: something changed, try the unschedulable pods again
        (each after its back-off: 1s, doubling to 10s)."""
        now = self.clock.now
        for key in sorted(self.unschedulable):
            failed_at = self.unschedulable.pop(key)
            backoff = min(INITIAL_BACKOFF * 2 ** (self._attempts.get(key, 1) - 1), MAX_BACKOFF)
            if failed_at + backoff <= now:
                self.enqueue(key)
            else:
                self.clock.call_at(failed_at + backoff, lambda k=key: self.enqueue(k),
                                   label=f"scheduler: back-off for {key[0]}/{key[1]}")

    def _flush_unschedulable(self) -> None:
        """flushUnschedulablePodsLeftover: pods unschedulable for 5 minutes are tried again."""
        self._flush_timer = None
        now = self.clock.now
        for key in sorted(self.unschedulable):
            if now - self.unschedulable[key] >= POD_MAX_IN_UNSCHEDULABLE_SECONDS:
                del self.unschedulable[key]
                self.enqueue(key)
        self._arm_flush()

    def _arm_flush(self) -> None:
        if self.unschedulable and self._flush_timer is None:
            self._flush_timer = self.clock.call_later(
                FLUSH_UNSCHEDULABLE_INTERVAL, self._flush_unschedulable, background=True,
                label="scheduler: flush unschedulable pods")

    # -- one scheduling cycle --------------------------------------------
    def reconcile(self, key):
        namespace, name = key
        pod = self.api.store.get("Pod", namespace, name)
        if pod is None or pod["spec"].get("nodeName") or pod["metadata"].get("deletionTimestamp"):
            if self.volume_binding is not None:
                self.volume_binding.forget(key)
            return None
        waiting = self.volume_binding.waiting_node(key) if self.volume_binding else None
        if waiting is not None:         # PreBind: the pod waits for its claims to bind
            self._bind(pod, key, waiting)
            return None
        node, diagnosis = self.schedule_pod(pod)
        if node is None:
            self._handle_failure(pod, key, diagnosis)
        else:
            self._bind(pod, key, node)
        return None

    def schedule_pod(self, pod: dict) -> tuple[str | None, Diagnosis]:
        """schedulePod: the chosen node, or None and why."""
        diagnosis = Diagnosis(len(self._node_order))
        if not self._node_order:
            return None, diagnosis
        state: dict = {}
        allowed, rejected = self._run_pre_filters(state, pod)
        if rejected is not None:
            diagnosis.pre_filter_msg = rejected.message
            diagnosis.absent_status = rejected
            diagnosis.post_filter_msg = self._post_filter(pod, diagnosis)
            return None, diagnosis
        # Pods whose claims tie them to some nodes skip the shared shape queue: a node their
        # volumes rule out must stay in the queue for the pods of the same shape without.
        if allowed is None and len(self._node_order) >= MIN_FEASIBLE_NODES_TO_FIND \
                and "volume_binding" not in state and "rwop_conflicts" not in state:
            queue = self._shape_queue(state, pod)
            node = queue.best(self.nodes, self.dynamic_filters, state, pod) if queue.usable \
                else None
            if node is not None:
                return node, diagnosis
        candidates = self._node_order
        if allowed is not None:
            candidates = [n for n in sorted(allowed) if n in self.nodes]
            narrowed = ", ".join(sorted(state["narrowed_by"]))
            diagnosis.absent_status = Status(
                UNSCHEDULABLE_AND_UNRESOLVABLE, f"node(s) didn't satisfy plugin(s) [{narrowed}]",
                plugin="PreFilter")
        feasible = self._find_nodes_that_pass_filters(state, pod, candidates, diagnosis)
        if not feasible:
            diagnosis.post_filter_msg = self._post_filter(pod, diagnosis)
            return None, diagnosis
        if len(feasible) == 1:
            return feasible[0].name, diagnosis
        return self._select_host(state, pod, feasible), diagnosis

    def _run_pre_filters(self, state: dict, pod: dict):
        allowed: set[str] | None = None
        state["narrowed_by"] = []
        for plugin in self.plugins:
            names, status = plugin.pre_filter(state, pod)
            if status is not None:
                return None, status
            if names is not None:
                state["narrowed_by"].append(plugin.name)
                allowed = set(names) if allowed is None else allowed & set(names)
        if allowed is not None and not allowed:
            plugins = state["narrowed_by"]
            msg = (f"node(s) didn't satisfy plugin {plugins[0]}" if len(plugins) == 1 else
                   f"node(s) didn't satisfy plugin(s) [{', '.join(plugins)}] simultaneously")
            return None, Status(UNSCHEDULABLE, msg, plugin="PreFilter")
        return allowed, None

    def _find_nodes_that_pass_filters(self, state, pod, candidates: list[str],
                                      diagnosis: Diagnosis) -> list[NodeInfo]:
        total = len(candidates)
        to_find = num_feasible_nodes_to_find(total, self.percentage_of_nodes_to_score)
        static = state.get("static") or self._static_verdicts(state, pod)
        start = self.next_start_node_index % total
        feasible: list[NodeInfo] = []
        statuses = diagnosis.node_statuses
        nodes = self.nodes
        checked = 0
        for i in range(total):
            info = nodes[candidates[(start + i) % total]]
            checked += 1
            entry = static.get(info.name)
            if entry is None or entry[0] != info.generation:
                entry = self._static_entry(state, pod, info)
                static[info.name] = entry
            status = entry[1]
            if status is None:
                for plugin in self.dynamic_filters:
                    status = plugin.filter(state, pod, info)
                    if status is not None:
                        break
            if status is not None:
                statuses[info.name] = status
                continue
            feasible.append(info)
            if len(feasible) >= to_find:
                break
        self.next_start_node_index = (self.next_start_node_index + checked) % len(self._node_order)
        return feasible

    def _static_verdicts(self, state: dict, pod: dict) -> dict[str, tuple]:
        """Cached verdicts of the static plugins for pods shaped like this one."""
        spec = pod["spec"]
        # repr, not sorted JSON: admitted specs list their keys in one order, and a
        # differently ordered twin only costs a cache miss.
        signature = repr((spec.get("nodeName"), spec.get("nodeSelector"),
                          (spec.get("affinity") or {}).get("nodeAffinity"),
                          spec.get("tolerations")))
        cache = self._static_cache.get(signature)
        if cache is None:
            if len(self._static_cache) >= _STATIC_CACHE_LIMIT:
                self._static_cache.clear()
                self._shapes.clear()
            cache = self._static_cache[signature] = {}
        state["signature"], state["static"] = signature, cache
        return cache

    def _shape_queue(self, state: dict, pod: dict) -> ShapeQueue:
        """The ranked nodes for pods of this shape, built on first use."""
        static = self._static_verdicts(state, pod)
        key = (state["signature"], state["requests"], state["non_zero_requests"])
        queue = self._shapes.get(key)
        if queue is not None:
            return queue
        raw, usable = None, True
        for name in self._node_order:
            info = self.nodes[name]
            entry = static.get(name)
            if entry is None or entry[0] != info.generation:
                entry = static[name] = self._static_entry(state, pod, info)
            if entry[1] is None:
                if raw is None:
                    raw = entry[2]
                elif entry[2] != raw:
                    usable = False
        if len(self._shapes) >= _SHAPE_LIMIT:
            del self._shapes[next(iter(self._shapes))]
        queue = self._shapes[key] = ShapeQueue(dict(state), pod, static,
                                               self.dynamic_score_plugins, usable)
        for name in self._node_order:
            queue.push(self.nodes[name])
        return queue

    def _static_entry(self, state, pod, info: NodeInfo) -> tuple:
        """(node generation, first refusing status or None, raw static scores by plugin)."""
        status = None
        for plugin in self.static_filters:
            status = plugin.filter(state, pod, info)
            if status is not None:
                break
        scores = {} if status is not None else {
            p.name: p.score(state, pod, info) for p in self.score_plugins if p.static}
        return info.generation, status, scores

    def _select_host(self, state, pod, feasible: list[NodeInfo]) -> str:
        static = state["static"]
        totals = {info.name: 0 for info in feasible}
        for plugin in self.score_plugins:
            if plugin.static:
                scores = {info.name: static[info.name][2][plugin.name] for info in feasible}
            else:
                scores = {info.name: plugin.score(state, pod, info) for info in feasible}
            plugin.normalize_score(state, pod, scores)
            for name, score in scores.items():
                totals[name] += score * plugin.weight
        best, count = None, 0
        for info in feasible:
            score = totals[info.name]
            if best is None or score > totals[best]:
                best, count = info.name, 1
            elif score == totals[best]:
                count += 1
                if self.cluster.rng.randrange(count) == 0:
                    best = info.name
        return best

    # -- PostFilter: what preemption would say ----------------------------
    def _post_filter(self, pod: dict, diagnosis: Diagnosis) -> str:
        """DefaultPreemption's verdict. kubelearn evicts no one yet; where victims would
        make room it says nothing, as upstream says nothing once it has nominated a node."""
        if pod["spec"].get("preemptionPolicy") == "Never":
            return "preemption: not eligible due to preemptionPolicy=Never."
        priority = pod["spec"].get("priority") or 0
        statuses: dict[str, Status] = {}
        if not diagnosis.pre_filter_msg:
            for name, status in diagnosis.node_statuses.items():
                if not status.resolvable:
                    continue
                info = self.nodes[name]
                victims = [k for k, entry in info.pods.items() if entry[4] < priority]
                if not victims:
                    statuses[name] = Status(UNSCHEDULABLE_AND_UNRESOLVABLE, NO_VICTIMS,
                                            plugin="DefaultPreemption")
                    continue
                if self._fits_without(pod, info, victims):
                    return ""
                statuses[name] = status
        absent = Status(UNSCHEDULABLE_AND_UNRESOLVABLE, PREEMPTION_NOT_HELPFUL,
                        plugin="DefaultPreemption")
        return "preemption: " + fit_error_message(len(self._node_order), statuses, absent)

    def _fits_without(self, pod: dict, info: NodeInfo, victims: list) -> bool:
        cpu, mem = pod_requests(pod["spec"])
        free_cpu = info.alloc_cpu - info.req_cpu + sum(info.pods[v][0] for v in victims)
        free_mem = info.alloc_mem - info.req_mem + sum(info.pods[v][1] for v in victims)
        pods = len(info.pods) - len(victims)
        return (not cpu or cpu <= free_cpu) and (not mem or mem <= free_mem) \
            and pods + 1 <= info.alloc_pods

    # -- results ---------------------------------------------------------
    def _bind(self, pod: dict, key, node: str) -> None:
        if self.volume_binding is not None and self.volume_binding.binds(key):
            ready = self.volume_binding.pre_bind(pod, node, self.clock.now)
            if ready is False:
                self.clock.call_later(BIND_POLL_SECONDS, lambda: self.enqueue(key),
                                      label=f"scheduler: volumes of {key[0]}/{key[1]}")
                return
            if ready is not True:
                self._handle_failure(pod, key, Diagnosis(len(self._node_order)), ready)
                return
        try:
            bound = self.api.bind(key[1], key[0], node)
        except errors.StatusError:
            return
        self._attempts.pop(key, None)
        self.cluster.events.record(bound, "Normal", "Scheduled",
                                   f"Successfully assigned {key[0]}/{key[1]} to {node}",
                                   SCHEDULER_NAME)

    def _handle_failure(self, pod: dict, key, diagnosis: Diagnosis, message: str = "") -> None:
        message = message or diagnosis.message()
        self.diagnoses[key] = diagnosis
        self._attempts[key] = self._attempts.get(key, 0) + 1
        self.cluster.events.record(pod, "Warning", "FailedScheduling", message, SCHEDULER_NAME)
        status = pod.get("status") or {}
        condition = {"lastProbeTime": None, "message": message, "reason": "Unschedulable",
                     "status": "False", "type": "PodScheduled"}
        conditions = update_condition(list(status.get("conditions") or ()), condition,
                                      rfc3339(self.clock.now))
        if conditions != status.get("conditions"):
            self.api.update_status({**pod, "status": {**status, "conditions": conditions}})
        self.unschedulable[key] = self.clock.now
        self._arm_flush()

    # -- explaining ------------------------------------------------------
    def explain(self, namespace: str, name: str) -> Diagnosis:
        """Why is this pod (not) where it is? The last failed attempt for a pending pod,
        otherwise every node checked now, without binding anything."""
        key = (namespace, name)
        if key in self.diagnoses:
            return self.diagnoses[key]
        pod = self.api.get("Pod", name, namespace)
        return self.diagnose(pod)

    def diagnose(self, pod: dict) -> Diagnosis:
        """Run PreFilter and Filter over every node for ``pod``, as if it were pending."""
        key = (pod["metadata"].get("namespace", ""), pod["metadata"]["name"])
        pending = {**pod, "spec": {k: v for k, v in pod["spec"].items() if k != "nodeName"}}
        diagnosis = Diagnosis(len(self._node_order))
        state: dict = {}
        allowed, rejected = self._run_pre_filters(state, pending)
        if rejected is not None:
            diagnosis.pre_filter_msg = rejected.message
            return diagnosis
        for name in self._node_order:
            if allowed is not None and name not in allowed:
                continue
            info = self.nodes[name]
            charged = key in info.pods
            if charged:
                info.remove_pod(key)
            try:
                for plugin in self.filter_plugins:
                    status = plugin.filter(state, pending, info)
                    if status is not None:
                        diagnosis.node_statuses[name] = status
                        break
            finally:
                if charged:
                    info.add_pod(key, pod)
        return diagnosis


def scheduler_for(cluster) -> Scheduler:
    """The scheduler of a cluster: ``scheduler_for(c).explain("default", "web-x")``."""
    for ctrl in cluster.controllers:
        if isinstance(ctrl, Scheduler):
            return ctrl
    raise LookupError("this cluster runs no scheduler")
