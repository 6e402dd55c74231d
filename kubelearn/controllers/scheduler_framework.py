"""The scheduling framework's shared types, after upstream's ``framework/types.go``.

``Status`` (a code and reasons), ``NodeInfo`` (a node and what its pods request,
kept up to date from watch events), the ``Plugin`` shape every filter and score
plugin follows, ``Diagnosis`` (upstream's FitError: why a pod fits no node, node
by node, and the aggregated message), how many nodes to look at
(``num_feasible_nodes_to_find``), and kubelearn's ``ShapeQueue``, which ranks the
nodes for pods of one shape on large clusters.
"""
from __future__ import annotations

import heapq
from dataclasses import dataclass, field

from kubelearn.api.podutil import pod_requests
from kubelearn.api.quantity import to_int, to_milli

MAX_NODE_SCORE = 100

# framework.Code
SUCCESS, ERROR, UNSCHEDULABLE, UNSCHEDULABLE_AND_UNRESOLVABLE = 0, 1, 2, 3

TAINT_NOT_READY = "node.kubernetes.io/not-ready"
TAINT_UNREACHABLE = "node.kubernetes.io/unreachable"
TAINT_UNSCHEDULABLE = "node.kubernetes.io/unschedulable"


class Status:
    """framework.Status: a code, the reasons (one per line of the histogram) and who said it."""

    __slots__ = ("code", "reasons", "plugin")

    def __init__(self, code: int, *reasons: str, plugin: str = ""):
        self.code = code
        self.reasons = tuple(reasons)
        self.plugin = plugin

    @property
    def message(self) -> str:
        return ", ".join(self.reasons)

    @property
    def resolvable(self) -> bool:
        """Unschedulable (preemption might help) rather than UnschedulableAndUnresolvable."""
        return self.code == UNSCHEDULABLE

    def __repr__(self) -> str:
        return f"Status({self.plugin}: {self.message})"


class NodeInfo:
    """framework.NodeInfo: a node and what the pods bound to it request, kept incrementally."""

    __slots__ = ("name", "node", "labels", "taints", "unschedulable", "alloc_cpu", "alloc_mem",
                 "alloc_pods", "req_cpu", "req_mem", "nz_cpu", "nz_mem", "pods", "generation",
                 "usage")

    def __init__(self, node: dict):
        self.name = node["metadata"]["name"]
        self.pods: dict[tuple[str, str], tuple[int, int, int, int, int]] = {}
        self.req_cpu = self.req_mem = self.nz_cpu = self.nz_mem = 0
        self.generation = 0      # bumped when what static plugins read changes
        self.usage = 0           # bumped when the pods on the node (or its allocatable) change
        self.set_node(node)

    def set_node(self, node: dict) -> bool:
        """Take a new version of the node; True when what static plugins see changed."""
        spec = node.get("spec") or {}
        allocatable = (node.get("status") or {}).get("allocatable") or {}
        self.alloc_cpu = to_milli(allocatable.get("cpu", 0))
        self.alloc_mem = to_int(allocatable.get("memory", 0))
        self.alloc_pods = to_int(allocatable.get("pods", 110))
        self.usage += 1
        static = (node["metadata"].get("labels") or {}, effective_taints(node),
                  bool(spec.get("unschedulable")))
        changed = not hasattr(self, "labels") or static != (self.labels, self.taints,
                                                            self.unschedulable)
        self.node = node
        self.labels, self.taints, self.unschedulable = static
        if changed:
            self.generation += 1
        return changed

    def add_pod(self, key, pod: dict) -> None:
        spec = pod.get("spec") or {}
        cpu, mem = pod_requests(spec)
        nz_cpu, nz_mem = pod_requests(spec, non_zero=True)
        self.pods[key] = (cpu, mem, nz_cpu, nz_mem, spec.get("priority") or 0)
        self.usage += 1
        self.req_cpu += cpu
        self.req_mem += mem
        self.nz_cpu += nz_cpu
        self.nz_mem += nz_mem

    def remove_pod(self, key) -> bool:
        entry = self.pods.pop(key, None)
        if entry is None:
            return False
        self.usage += 1
        self.req_cpu -= entry[0]
        self.req_mem -= entry[1]
        self.nz_cpu -= entry[2]
        self.nz_mem -= entry[3]
        return True

    def __repr__(self) -> str:
        return (f"<NodeInfo {self.name}: cpu {self.req_cpu}m/{self.alloc_cpu}m, "
                f"memory {self.req_mem}/{self.alloc_mem}, pods {len(self.pods)}/{self.alloc_pods}>")


def effective_taints(node: dict) -> list[dict]:
    """The node's taints, plus those the node-lifecycle controller adds for its conditions
    (TaintNodesByCondition): a NotReady node is tainted ``not-ready:NoSchedule``, an
    unreachable one ``unreachable:NoSchedule``, a cordoned one ``unschedulable:NoSchedule``."""
    taints = list((node.get("spec") or {}).get("taints") or ())
    have = {(t.get("key"), t.get("effect")) for t in taints}
    implied = []
    for cond in (node.get("status") or {}).get("conditions") or ():
        kind, status = cond.get("type"), cond.get("status")
        if kind == "Ready" and status == "False":
            implied.append(TAINT_NOT_READY)
        elif kind == "Ready" and status == "Unknown":
            implied.append(TAINT_UNREACHABLE)
        elif kind in _PRESSURE_TAINTS and status == "True":
            implied.append(_PRESSURE_TAINTS[kind])
    if (node.get("spec") or {}).get("unschedulable"):
        implied.append(TAINT_UNSCHEDULABLE)
    for key in implied:
        if (key, "NoSchedule") not in have:
            taints.append({"key": key, "effect": "NoSchedule"})
    return taints


_PRESSURE_TAINTS = {"MemoryPressure": "node.kubernetes.io/memory-pressure",
                    "DiskPressure": "node.kubernetes.io/disk-pressure",
                    "PIDPressure": "node.kubernetes.io/pid-pressure",
                    "NetworkUnavailable": "node.kubernetes.io/network-unavailable"}


def default_normalize(scores: dict[str, int], reverse: bool) -> None:
    """helper.DefaultNormalizeScore: scale to 0..100 by the highest score (reversed or not)."""
    top = max(scores.values(), default=0)
    if top == 0:
        if reverse:
            for name in scores:
                scores[name] = MAX_NODE_SCORE
        return
    for name, score in scores.items():
        score = MAX_NODE_SCORE * score // top
        scores[name] = MAX_NODE_SCORE - score if reverse else score


class Plugin:
    name = ""
    static = False
    weight = 0   # 0: not a score plugin

    def pre_filter(self, state: dict, pod: dict):
        """(PreFilterResult node names or None for all, Status or None)."""
        return None, None

    def filter(self, state: dict, pod: dict, node_info: NodeInfo) -> Status | None:
        return None

    def score(self, state: dict, pod: dict, node_info: NodeInfo) -> int:
        return 0

    def normalize_score(self, state: dict, pod: dict, scores: dict[str, int]) -> None:
        return None


NO_NODE_AVAILABLE_MSG = "0/{} nodes are available"
MIN_FEASIBLE_NODES_TO_FIND = 100
MIN_FEASIBLE_NODES_PERCENTAGE_TO_FIND = 5
PREEMPTION_NOT_HELPFUL = "Preemption is not helpful for scheduling"
NO_VICTIMS = "No preemption victims found for incoming pod"


@dataclass
class Diagnosis:
    """Why a pod fits no node: each node's refusing status, as upstream's FitError keeps it."""
    num_all_nodes: int
    node_statuses: dict[str, Status] = field(default_factory=dict)
    absent_status: Status | None = None     # for nodes PreFilter ruled out as a group
    pre_filter_msg: str = ""
    post_filter_msg: str = ""

    def message(self) -> str:
        """FitError.Error(): ``0/3 nodes are available: 1 ..., 2 Insufficient cpu. preemption:
        ...``"""
        if self.num_all_nodes == 0:
            return "no nodes available to schedule pods"
        return fit_error_message(self.num_all_nodes, self.node_statuses, self.absent_status,
                                 self.pre_filter_msg, self.post_filter_msg)

    def __str__(self) -> str:
        """The message, then one line per node that was ruled out and why."""
        lines = [self.message()]
        rows = [(name, st.plugin, st.message) for name, st in sorted(self.node_statuses.items())]
        if self.absent_status is not None and len(rows) < self.num_all_nodes:
            rows.append((f"({self.num_all_nodes - len(rows)} other nodes)",
                         self.absent_status.plugin, self.absent_status.message))
        if rows:
            widths = [max(len(r[i]) for r in rows + [("NODE", "PLUGIN", "")]) for i in (0, 1)]
            lines.append(f"{'NODE':<{widths[0]}}   {'PLUGIN':<{widths[1]}}   REASON")
            lines += [f"{n:<{widths[0]}}   {p:<{widths[1]}}   {m}" for n, p, m in rows]
        return "\n".join(lines)

    def verdicts(self) -> dict[str, str]:
        """Node name -> ``Plugin: reason, reason`` (``absent`` nodes under ``*``)."""
        out = {name: f"{st.plugin}: {st.message}"
               for name, st in sorted(self.node_statuses.items())}
        if self.absent_status is not None:
            out["*"] = f"{self.absent_status.plugin}: {self.absent_status.message}"
        return out


def fit_error_message(num_all_nodes: int, statuses: dict[str, Status], absent: Status | None,
                      pre_filter_msg: str = "", post_filter_msg: str = "") -> str:
    message = NO_NODE_AVAILABLE_MSG.format(num_all_nodes) + ":"
    if pre_filter_msg:
        message += f" {pre_filter_msg}."
    else:
        counts: dict[str, int] = {}
        for status in statuses.values():
            for reason in status.reasons:
                counts[reason] = counts.get(reason, 0) + 1
        if absent is not None and len(statuses) < num_all_nodes:
            for reason in absent.reasons:
                counts[reason] = counts.get(reason, 0) + num_all_nodes - len(statuses)
        histogram = sorted(f"{n} {reason}" for reason, n in counts.items())
        if histogram:
            message += " " + ", ".join(histogram) + "."
    if post_filter_msg:
        message += " " + post_filter_msg
    return message


def num_feasible_nodes_to_find(num_all_nodes: int, percentage: int = 0) -> int:
    """How many fitting nodes to look for before scoring (percentageOfNodesToScore)."""
    if num_all_nodes < MIN_FEASIBLE_NODES_TO_FIND:
        return num_all_nodes
    if percentage == 0:
        percentage = max(50 - num_all_nodes // 125, MIN_FEASIBLE_NODES_PERCENTAGE_TO_FIND)
    return max(num_all_nodes * percentage // 100, MIN_FEASIBLE_NODES_TO_FIND)


class ShapeQueue:
    """The nodes ranked for pods of one shape (same constraints, same requests).

    On clusters of 100+ nodes, where upstream scores only a sample of the nodes,
    kubelearn keeps, per pod shape, a heap of every statically fitting node by
    its score, refreshed when a node's pods change. The best node of the whole
    cluster is then found in O(log n) instead of scoring hundreds of nodes per
    pod. It only serves shapes whose static scores are the same on every node
    (the usual case): the remaining scores (least allocated, balanced
    allocation) need no normalisation, so a node's score depends on that node
    alone. Ties go to the node whose name sorts first.
    """

    __slots__ = ("heap", "state", "pod", "usable", "static", "score_plugins")

    def __init__(self, state: dict, pod: dict, static: dict, score_plugins: list[Plugin],
                 usable: bool):
        self.heap: list[tuple[int, str, int]] = []
        self.state, self.pod, self.static = state, pod, static
        self.score_plugins = score_plugins
        self.usable = usable

    def push(self, info: NodeInfo) -> None:
        entry = self.static.get(info.name)
        if not self.usable or entry is None or entry[0] != info.generation or entry[1] is not None:
            return
        score = 0
        for plugin in self.score_plugins:
            score += plugin.weight * plugin.score(self.state, self.pod, info)
        heapq.heappush(self.heap, (-score, info.name, info.usage))

    def best(self, nodes: dict[str, NodeInfo], filters: list[Plugin], state: dict,
             pod: dict) -> str | None:
        """The best node that still fits, dropping entries made stale by later changes."""
        heap = self.heap
        while heap:
            _, name, usage = heap[0]
            info = nodes.get(name)
            if info is None or info.usage != usage or any(
                    f.filter(state, pod, info) is not None for f in filters):
                heapq.heappop(heap)     # a fresher entry exists, or it fits no more
                continue
            return name
        return None
