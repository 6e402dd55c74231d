"""kube-scheduler's default filter and score plugins, one small class each.

Every plugin has upstream's shape: ``pre_filter(state, pod)``,
``filter(state, pod, node_info) -> Status | None`` (None is Success),
``score(state, pod, node_info) -> int`` and ``normalize_score``. Failure reasons
are constants in upstream's words, because they end up, counted per node, in
the ``FailedScheduling`` event a learner reads:
``0/3 nodes are available: 1 node(s) had untolerated taint
{node-role.kubernetes.io/control-plane: }, 2 Insufficient cpu.``

A plugin marked ``static`` decides from the pod's constraints and the node's
own properties only (labels, taints, unschedulable), never from other pods;
the scheduler caches those verdicts per pod shape and node, which is what lets
it place 10,000 identical replicas without re-checking every taint each time.
"""
from __future__ import annotations

from kubelearn.api.podutil import pod_requests
from kubelearn.api.selector import node_selector_term_matches
from kubelearn.controllers.scheduler_framework import (
    MAX_NODE_SCORE, UNSCHEDULABLE, UNSCHEDULABLE_AND_UNRESOLVABLE, TAINT_UNSCHEDULABLE, NodeInfo,
    Plugin, Status, default_normalize)


def tolerates(toleration: dict, taint: dict) -> bool:
    """Toleration.ToleratesTaint."""
    if toleration.get("effect") and toleration["effect"] != taint.get("effect"):
        return False
    if toleration.get("key") and toleration["key"] != taint.get("key"):
        return False
    op = toleration.get("operator") or "Equal"
    if op == "Exists":
        return True
    return op == "Equal" and (toleration.get("value") or "") == (taint.get("value") or "")


class NodeUnschedulable(Plugin):
    """A cordoned node takes no new pods, unless they tolerate ``unschedulable:NoSchedule``."""
    name = "NodeUnschedulable"
    static = True
    ERR_REASON_UNSCHEDULABLE = "node(s) were unschedulable"

    def filter(self, state, pod, node_info):
        if not node_info.unschedulable:
            return None
        taint = {"key": TAINT_UNSCHEDULABLE, "effect": "NoSchedule"}
        if any(tolerates(t, taint) for t in pod["spec"].get("tolerations") or ()):
            return None
        return Status(UNSCHEDULABLE_AND_UNRESOLVABLE, self.ERR_REASON_UNSCHEDULABLE,
                      plugin=self.name)


class NodeName(Plugin):
    """A pod that names a node fits only that node."""
    name = "NodeName"
    static = True
    ERR_REASON = "node(s) didn't match the requested node name"

    def filter(self, state, pod, node_info):
        wanted = pod["spec"].get("nodeName")
        if not wanted or wanted == node_info.name:
            return None
        return Status(UNSCHEDULABLE_AND_UNRESOLVABLE, self.ERR_REASON, plugin=self.name)


class TaintToleration(Plugin):
    """A pod must tolerate every NoSchedule/NoExecute taint; PreferNoSchedule lowers the score."""
    name = "TaintToleration"
    static = True
    weight = 3

    def filter(self, state, pod, node_info):
        tolerations = pod["spec"].get("tolerations") or ()
        for taint in node_info.taints:
            if taint.get("effect") not in ("NoSchedule", "NoExecute"):
                continue
            if not any(tolerates(t, taint) for t in tolerations):
                return Status(UNSCHEDULABLE_AND_UNRESOLVABLE,
                              f"node(s) had untolerated taint {{{taint.get('key', '')}: "
                              f"{taint.get('value', '')}}}", plugin=self.name)
        return None

    def score(self, state, pod, node_info):
        tolerations = [t for t in pod["spec"].get("tolerations") or ()
                       if t.get("effect") in (None, "", "PreferNoSchedule")]
        return sum(1 for taint in node_info.taints if taint.get("effect") == "PreferNoSchedule"
                   and not any(tolerates(t, taint) for t in tolerations))

    def normalize_score(self, state, pod, scores):
        default_normalize(scores, reverse=True)


class NodeAffinity(Plugin):
    """``nodeSelector`` and required/preferred node affinity."""
    name = "NodeAffinity"
    static = True
    weight = 2
    ERR_REASON_POD = "node(s) didn't match Pod's node affinity/selector"
    ERR_REASON_CONFLICT = "pod affinity terms conflict"

    def pre_filter(self, state, pod):
        """Pods pinned with ``matchFields metadata.name In [...]`` (DaemonSet pods) need
        only those nodes checked."""
        required = _required_terms(pod)
        if required is None:
            return None, None
        names: set[str] | None = None
        for term in required:
            term_names = None
            for req in term.get("matchFields") or ():
                if req.get("key") == "metadata.name" and req.get("operator") == "In":
                    values = set(req.get("values") or ())
                    term_names = values if term_names is None else term_names & values
            if term_names is None:
                return None, None
            names = term_names if names is None else names | term_names
        if names is not None and not names:
            return None, Status(UNSCHEDULABLE_AND_UNRESOLVABLE, self.ERR_REASON_CONFLICT,
                                plugin=self.name)
        return names, None

    def filter(self, state, pod, node_info):
        selector = pod["spec"].get("nodeSelector") or {}
        labels = node_info.labels
        if any(labels.get(k) != v for k, v in selector.items()):
            return Status(UNSCHEDULABLE_AND_UNRESOLVABLE, self.ERR_REASON_POD, plugin=self.name)
        required = _required_terms(pod)
        if required is not None and not any(term_matches(t, node_info) for t in required):
            return Status(UNSCHEDULABLE_AND_UNRESOLVABLE, self.ERR_REASON_POD, plugin=self.name)
        return None

    def score(self, state, pod, node_info):
        affinity = (pod["spec"].get("affinity") or {}).get("nodeAffinity") or {}
        preferred = affinity.get("preferredDuringSchedulingIgnoredDuringExecution") or ()
        return sum(p.get("weight", 0) for p in preferred
                   if term_matches(p.get("preference") or {}, node_info))

    def normalize_score(self, state, pod, scores):
        default_normalize(scores, reverse=False)


def _required_terms(pod: dict) -> list[dict] | None:
    affinity = (pod["spec"].get("affinity") or {}).get("nodeAffinity") or {}
    required = affinity.get("requiredDuringSchedulingIgnoredDuringExecution")
    return None if required is None else list(required.get("nodeSelectorTerms") or ())


def term_matches(term: dict, node_info: NodeInfo) -> bool:
    """A NodeSelectorTerm: all its expressions and fields; an empty term matches nothing."""
    return node_selector_term_matches(term, node_info.labels, node_info.name)


class NodeResourcesFit(Plugin):
    """Requests must fit what the node has left; the score prefers the least allocated node."""
    name = "NodeResourcesFit"
    weight = 1

    def pre_filter(self, state, pod):
        state["requests"] = pod_requests(pod["spec"])
        state["non_zero_requests"] = pod_requests(pod["spec"], non_zero=True)
        return None, None

    def filter(self, state, pod, node_info):
        cpu, mem = state["requests"]
        reasons, unresolvable = [], False
        if len(node_info.pods) + 1 > node_info.alloc_pods:
            reasons.append("Too many pods")
            unresolvable = node_info.alloc_pods < 1
        if cpu and cpu > node_info.alloc_cpu - node_info.req_cpu:
            reasons.append("Insufficient cpu")
            unresolvable = unresolvable or cpu > node_info.alloc_cpu
        if mem and mem > node_info.alloc_mem - node_info.req_mem:
            reasons.append("Insufficient memory")
            unresolvable = unresolvable or mem > node_info.alloc_mem
        if not reasons:
            return None
        return Status(UNSCHEDULABLE_AND_UNRESOLVABLE if unresolvable else UNSCHEDULABLE,
                      *reasons, plugin=self.name)

    def score(self, state, pod, node_info):
        """LeastAllocated over cpu and memory (weights 1), on non-zero requests."""
        cpu, mem = state["non_zero_requests"]
        total = weights = 0
        for requested, capacity in ((node_info.nz_cpu + cpu, node_info.alloc_cpu),
                                    (node_info.nz_mem + mem, node_info.alloc_mem)):
            if capacity == 0:
                continue
            total += 0 if requested > capacity else (capacity - requested) * MAX_NODE_SCORE \
                // capacity
            weights += 1
        return total // weights if weights else 0


class NodeResourcesBalancedAllocation(Plugin):
    """Prefers nodes whose cpu and memory would be used in the same proportion."""
    name = "NodeResourcesBalancedAllocation"
    weight = 1

    def score(self, state, pod, node_info):
        cpu, mem = state["requests"]
        fractions = [min((used + req) / capacity, 1.0)
                     for used, req, capacity in ((node_info.req_cpu, cpu, node_info.alloc_cpu),
                                                 (node_info.req_mem, mem, node_info.alloc_mem))
                     if capacity]
        std = abs(fractions[0] - fractions[1]) / 2 if len(fractions) == 2 else 0.0
        return int((1 - std) * MAX_NODE_SCORE)


def default_plugins(api=None) -> list[Plugin]:
    """The default profile's plugins that kubelearn models, in upstream's filter order.
    With the API server to read claims from, the volume plugins (VolumeRestrictions,
    VolumeBinding: ``scheduler_volumes``) come after NodeResourcesFit, as upstream."""
    volume = []
    if api is not None:
        from kubelearn.controllers.scheduler_volumes import volume_plugins
        volume = volume_plugins(api)
    return [NodeUnschedulable(), NodeName(), TaintToleration(), NodeAffinity(),
            NodeResourcesFit(), *volume, NodeResourcesBalancedAllocation()]
