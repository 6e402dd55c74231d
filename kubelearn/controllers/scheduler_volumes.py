"""kube-scheduler's volume plugins: a pod only goes where its claims can follow.

``VolumeRestrictions`` (``framework/plugins/volumerestrictions``) and
``VolumeBinding`` (``framework/plugins/volumebinding``), with upstream's
messages, which end up in the pod's ``FailedScheduling`` event:

- PreFilter, for every claim a pod's volumes name: a missing claim is
  ``persistentvolumeclaim "data" not found``, a claim being deleted
  ``persistentvolumeclaim "data" is being deleted``, a ``Lost`` one
  ``persistentvolumeclaim "data" bound to non-existent persistentvolume "pv1"``;
  a claim that is not bound yet and is not WaitForFirstConsumer stops the pod
  with ``pod has unbound immediate PersistentVolumeClaims`` until the PV
  controller binds it. These rule out every node at once: "0/1 nodes are
  available: pod has unbound immediate PersistentVolumeClaims. preemption: 0/1
  nodes are available: 1 Preemption is not helpful for scheduling."
- Filter, node by node: a bound claim's volume must exist (``node(s) unavailable
  due to one or more pvc(s) bound to non-existent pv(s)``) and its node
  affinity must match the node (``node(s) had volume node affinity conflict``:
  a ``local`` volume, or a hostPath volume pinned to one node); a
  WaitForFirstConsumer claim needs a matching Available volume on the node, or
  a class that can provision there (``node(s) didn't find available persistent
  volumes to bind``: ``kubernetes.io/no-provisioner``, ``allowedTopologies``).
  A ReadWriteOncePod claim already used by another scheduled pod fails with
  ``node has pod using PersistentVolumeClaim with the same name and
  ReadWriteOncePod access mode``.
- PreBind (``pre_bind``), once a node is chosen: WaitForFirstConsumer claims are
  bound to the chosen volumes (the PV's ``claimRef``) or marked for provisioning
  on the node (``volume.kubernetes.io/selected-node``); the pod is bound only when
  the PV controller (and the provisioner) have bound every claim. The scheduler
  checks every second, for up to 600 seconds (``bindTimeoutSeconds``), then
  fails with ``running PreBind plugin "VolumeBinding": binding volumes: context
  deadline exceeded``.

ReadWriteOnce is *not* a scheduling constraint: two pods on two nodes may
share an RWO claim as far as the scheduler is concerned. Upstream only stops
that at attach time, for volumes that attach to a node
(``attachdetach``: the Multi-Attach error); a hostPath volume never attaches,
so nothing stops it, and each node sees its own directory.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from kubelearn.controllers.pv_util import (
    ANN_BOUND_BY_CONTROLLER, ANN_SELECTED_NODE, NOT_SUPPORTED_PROVISIONER, check_node_affinity,
    claim_class, claim_reference, find_matching_volume, is_delay_binding, is_fully_bound,
    is_volume_bound_to_claim, pod_claim_names, storage_request)
from kubelearn.controllers.scheduler_framework import (UNSCHEDULABLE,
                                                       UNSCHEDULABLE_AND_UNRESOLVABLE, Plugin,
                                                       Status)

BIND_TIMEOUT_SECONDS = 600.0
BIND_POLL_SECONDS = 1.0


def _claims_of(store, pod: dict):
    """(claims in volume order, or the PreFilter Status that stops the pod)."""
    namespace = pod["metadata"].get("namespace", "")
    claims = []
    for name in pod_claim_names(pod):
        pvc = store.get("PersistentVolumeClaim", namespace, name)
        if pvc is None:
            return None, f'persistentvolumeclaim "{name}" not found'
        claims.append(pvc)
    return claims, None


class VolumeRestrictions(Plugin):
    """ReadWriteOncePod: one pod at a time, cluster-wide."""
    name = "VolumeRestrictions"
    ERR_REASON_RWOP_CONFLICT = ("node has pod using PersistentVolumeClaim with the same name and "
                                "ReadWriteOncePod access mode")

    def __init__(self, api) -> None:
        self.api = api

    def pre_filter(self, state, pod):
        if not pod_claim_names(pod):
            return None, None
        claims, missing = _claims_of(self.api.store, pod)
        if missing is not None:
            return None, Status(UNSCHEDULABLE_AND_UNRESOLVABLE, missing, plugin=self.name)
        conflicts = 0
        for pvc in claims:
            if "ReadWriteOncePod" in ((pvc.get("spec") or {}).get("accessModes") or ()) and \
                    self._used_by_other_pods(pvc, pod):
                conflicts += 1
        if conflicts:
            state["rwop_conflicts"] = conflicts
        return None, None

    def _used_by_other_pods(self, pvc: dict, pod: dict) -> bool:
        namespace, claim = pvc["metadata"].get("namespace", ""), pvc["metadata"]["name"]
        for other in self.api.store.list("Pod", namespace):
            if other["metadata"]["name"] == pod["metadata"]["name"]:
                continue
            spec = other.get("spec") or {}
            if spec.get("nodeName") and claim in pod_claim_names(other) and \
                    (other.get("status") or {}).get("phase") not in ("Succeeded", "Failed"):
                return True
        return False

    def filter(self, state, pod, node_info):
        if state.get("rwop_conflicts"):
            return Status(UNSCHEDULABLE, self.ERR_REASON_RWOP_CONFLICT, plugin=self.name)
        return None


@dataclass
class PodVolumes:
    """What PreFilter learned about a pod's claims, and Filter's choices per node."""
    bound: list[tuple[dict, dict | None]]            # (claim, its volume or None)
    delayed: list[dict]                              # WaitForFirstConsumer claims
    by_node: dict[str, tuple[list, list]] = field(default_factory=dict)  # static, provision


class VolumeBinding(Plugin):
    name = "VolumeBinding"
    ERR_REASON_BIND_CONFLICT = "node(s) didn't find available persistent volumes to bind"
    ERR_REASON_NODE_CONFLICT = "node(s) had volume node affinity conflict"
    ERR_REASON_PV_NOT_EXIST = ("node(s) unavailable due to one or more pvc(s) bound to "
                               "non-existent pv(s)")
    ERR_UNBOUND_IMMEDIATE = "pod has unbound immediate PersistentVolumeClaims"

    def __init__(self, api) -> None:
        self.api = api
        self._decisions: dict[tuple[str, str], PodVolumes] = {}
        self._waiting: dict[tuple[str, str], tuple[str, float]] = {}   # pod -> (node, deadline)

    # -- PreFilter / Filter ------------------------------------------------------
    def pre_filter(self, state, pod):
        if not pod_claim_names(pod):
            return None, None
        store = self.api.store
        claims, missing = _claims_of(store, pod)
        if missing is not None:
            return None, Status(UNSCHEDULABLE_AND_UNRESOLVABLE, missing, plugin=self.name)
        bound, delayed, immediate = [], [], False
        for pvc in claims:
            name = pvc["metadata"]["name"]
            volume_name = (pvc.get("spec") or {}).get("volumeName") or ""
            if (pvc.get("status") or {}).get("phase") == "Lost":
                return None, self._stop(f'persistentvolumeclaim "{name}" bound to non-existent '
                                        f'persistentvolume "{volume_name}"')
            if pvc["metadata"].get("deletionTimestamp"):
                return None, self._stop(f'persistentvolumeclaim "{name}" is being deleted')
            if is_fully_bound(pvc):
                bound.append((pvc, store.get("PersistentVolume", "", volume_name)))
            elif is_delay_binding(pvc, store):
                delayed.append(pvc)
            else:
                immediate = True
        if immediate:
            return None, self._stop(self.ERR_UNBOUND_IMMEDIATE)
        volumes = PodVolumes(bound, sorted(delayed, key=storage_request))
        state["volume_binding"] = volumes
        self._decisions[_key(pod)] = volumes
        return None, None

    def _stop(self, message: str) -> Status:
        return Status(UNSCHEDULABLE_AND_UNRESOLVABLE, message, plugin=self.name)

    def filter(self, state, pod, node_info):
        volumes = state.get("volume_binding")
        if volumes is None:
            return None
        node = node_info.node
        labels = node["metadata"].get("labels") or {}
        found, satisfied = True, True
        for _, pv in volumes.bound:
            if pv is None:
                found = False
            elif not check_node_affinity(pv, labels, node_info.name):
                satisfied = False
        unbound_ok = True
        if volumes.delayed:
            unbound_ok = self._find_pod_volumes(volumes, node)
        reasons = []
        if not satisfied:
            reasons.append(self.ERR_REASON_NODE_CONFLICT)
        if not unbound_ok:
            reasons.append(self.ERR_REASON_BIND_CONFLICT)
        if not found:
            reasons.append(self.ERR_REASON_PV_NOT_EXIST)
        return Status(UNSCHEDULABLE_AND_UNRESOLVABLE, *reasons, plugin=self.name) if reasons \
            else None

    def _find_pod_volumes(self, volumes: PodVolumes, node: dict) -> bool:
        """The WaitForFirstConsumer claims on this node: a matching volume each, or provisioning."""
        name = node["metadata"]["name"]
        to_match, to_provision = [], []
        for pvc in volumes.delayed:
            selected = (pvc["metadata"].get("annotations") or {}).get(ANN_SELECTED_NODE)
            if selected is not None:
                if selected != name:
                    return False
                to_provision.append(pvc)
            else:
                to_match.append(pvc)
        static, chosen = [], set()
        all_volumes = self.api.store.list("PersistentVolume")
        for pvc in to_match:
            pv = find_matching_volume(pvc, all_volumes, node=node, excluded=chosen,
                                      delay_binding=True)
            if pv is None:
                to_provision.append(pvc)
                continue
            chosen.add(pv["metadata"]["name"])
            static.append((pvc, pv))
        for pvc in to_provision:
            sc = self.api.store.get("StorageClass", "", claim_class(pvc))
            provisioner = (sc or {}).get("provisioner") or ""
            if not provisioner or provisioner == NOT_SUPPORTED_PROVISIONER:
                return False
            if not _matches_topology(sc.get("allowedTopologies"), node["metadata"].get("labels")):
                return False
        volumes.by_node[name] = (static, to_provision)
        return True

    # -- PreBind ---------------------------------------------------------------------
    def waiting_node(self, pod_key: tuple[str, str]) -> str | None:
        """The node a pod waits on while its claims bind, if it waits."""
        entry = self._waiting.get(pod_key)
        return entry[0] if entry else None

    def binds(self, pod_key: tuple[str, str]) -> bool:
        """Whether PreBind has work for the pod: claims PreFilter found, or a wait for them
        to bind. Without, ``pre_bind`` would only say True (most pods: no claims)."""
        return pod_key in self._decisions or pod_key in self._waiting

    def pre_bind(self, pod: dict, node: str, now: float) -> bool | str:
        """True once every claim is bound (bind the pod now); False while waiting; an error
        message when waiting timed out."""
        key = _key(pod)
        if key not in self._waiting:
            volumes = self._decisions.pop(key, None)
            if volumes is None or not volumes.delayed:
                return True
            if node not in volumes.by_node:
                node_obj = self.api.store.get("Node", "", node)
                if node_obj is None or not self._find_pod_volumes(volumes, node_obj):
                    return True         # nothing it can do here; the kubelet will say more
            static, provision = volumes.by_node[node]
            self._bind_api_update(static, provision, node)
            self._waiting[key] = (node, now + BIND_TIMEOUT_SECONDS)
        if self._all_bound(pod):
            del self._waiting[key]
            return True
        if now >= self._waiting[key][1]:
            del self._waiting[key]
            return ('running PreBind plugin "VolumeBinding": binding volumes: context deadline '
                    'exceeded')
        return False

    def forget(self, pod_key: tuple[str, str]) -> None:
        self._waiting.pop(pod_key, None)
        self._decisions.pop(pod_key, None)

    def _bind_api_update(self, static: list, provision: list, node: str) -> None:
        """bindAPIUpdate: claimRef on the chosen volumes, selected-node on claims to provision."""
        for pvc, pv in static:
            current = self.api.store.get("PersistentVolume", "", pv["metadata"]["name"])
            claim = self.api.store.get("PersistentVolumeClaim", pvc["metadata"]["namespace"],
                                       pvc["metadata"]["name"])
            if current is None or claim is None or is_volume_bound_to_claim(current, claim):
                continue
            annotations = dict(current["metadata"].get("annotations") or {})
            annotations.setdefault(ANN_BOUND_BY_CONTROLLER, "yes")
            self.api.update({**current, "metadata": {**current["metadata"],
                                                     "annotations": annotations},
                             "spec": {**current["spec"], "claimRef": claim_reference(claim)}})
        for pvc in provision:
            claim = self.api.store.get("PersistentVolumeClaim", pvc["metadata"]["namespace"],
                                       pvc["metadata"]["name"])
            if claim is None:
                continue
            annotations = dict(claim["metadata"].get("annotations") or {})
            if annotations.get(ANN_SELECTED_NODE) == node:
                continue
            annotations[ANN_SELECTED_NODE] = node
            self.api.update({**claim, "metadata": {**claim["metadata"],
                                                   "annotations": annotations}})

    def _all_bound(self, pod: dict) -> bool:
        claims, missing = _claims_of(self.api.store, pod)
        return missing is None and all(is_fully_bound(pvc) for pvc in claims)


def _key(pod: dict) -> tuple[str, str]:
    return pod["metadata"].get("namespace", ""), pod["metadata"]["name"]


def _matches_topology(terms, labels) -> bool:
    """MatchTopologySelectorTerms: no terms match everything; a term's expressions all hold."""
    if not terms:
        return True
    labels = labels or {}
    for term in terms:
        exprs = term.get("matchLabelExpressions") or ()
        if all(labels.get(e.get("key")) in (e.get("values") or ()) for e in exprs):
            return True
    return False


def volume_plugins(api) -> list[Plugin]:
    return [VolumeRestrictions(api), VolumeBinding(api)]
