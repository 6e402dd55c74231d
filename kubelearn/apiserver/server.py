"""The API server: the one write path into the cluster.

kubectl, controllers, the scheduler, kubelets, widgets and the cloud layer all
read and write objects through these verbs, as they do through
kube-apiserver. Each request is admitted once at this boundary (decode,
default, validate: ``admission.admit``), then stamped with server-owned
metadata (uid, resourceVersion, generation, creationTimestamp) and stored.
"""
from __future__ import annotations

from random import Random  # seeded instances only: never the global generator

from kubelearn.api.kinds import KindInfo, kind_info, lookup_kind
from kubelearn.api.quantity import Quantity, parse_quantity
from kubelearn.apiserver import admission, errors, serviceaccount, storage_admission
from kubelearn.apiserver.patch import json_merge_patch, strategic_merge_patch
from kubelearn.apiserver.store import Store
from kubelearn.clock import Clock, rfc3339
from kubelearn.network import ipam

# Alphabet of generated names and hashes (apimachinery util/rand): no vowels,
# no digits that read like letters, so generated names never spell words.
NAME_ALPHABET = "bcdfghjklmnpqrstvwxz2456789"

# Kinds whose spec changes bump metadata.generation (the others do not carry one).
GENERATION_KINDS = frozenset({"Deployment", "ReplicaSet", "DaemonSet"})

# Kinds whose status is a subresource: create and update leave it to the
# controllers; only update_status writes it.
STATUS_KINDS = frozenset({"Pod", "Node", "Namespace", "Service", "PersistentVolume",
                          "PersistentVolumeClaim", "Deployment", "ReplicaSet", "DaemonSet"})

SERVER_METADATA = ("uid", "resourceVersion", "creationTimestamp", "generation",
                   "deletionTimestamp", "deletionGracePeriodSeconds")


def initial_status(kind: str, obj: dict) -> dict | None:
    """The status a freshly created object starts with, as upstream strategies set it."""
    if kind == "Pod":
        return {"phase": "Pending", "qosClass": qos_class(obj["spec"])}
    if kind == "Namespace":
        return {"phase": "Active"}
    if kind in ("PersistentVolumeClaim", "PersistentVolume"):
        return {"phase": "Pending"}
    if kind == "Service":
        return {"loadBalancer": {}}
    if kind in ("Deployment", "ReplicaSet", "DaemonSet"):
        return {}
    return None


QOS_RESOURCES = ("cpu", "memory")


def qos_class(pod_spec: dict) -> str:
    """BestEffort, Burstable or Guaranteed, as upstream's ``ComputePodQOS``: only
    positive cpu and memory amounts of containers and init containers count, and
    quantities compare by value (``1`` equals ``1000m``)."""
    requests: dict[str, Quantity] = {}
    limits: dict[str, Quantity] = {}
    guaranteed = True
    for container in [*(pod_spec.get("containers") or []),
                      *(pod_spec.get("initContainers") or [])]:
        resources = container.get("resources") or {}
        _add_positive(requests, resources.get("requests"))
        if set(_add_positive(limits, resources.get("limits"))) != set(QOS_RESOURCES):
            guaranteed = False
    if not requests and not limits:
        return "BestEffort"
    if guaranteed and all(limits.get(k) == v for k, v in requests.items()) \
            and len(requests) == len(limits):
        return "Guaranteed"
    return "Burstable"


def _add_positive(totals: dict, amounts: dict | None) -> list[str]:
    """Add the positive cpu/memory amounts to ``totals``; returns the names added."""
    found = []
    for name, value in (amounts or {}).items():
        if name in QOS_RESOURCES and value is not None:
            quantity = parse_quantity(value)
            if quantity.sign() > 0:
                totals[name] = totals[name] + quantity if name in totals else quantity
                found.append(name)
    return found


class APIServer:
    """create / get / list / update / update_status / patch / delete over the store."""

    def __init__(self, store: Store, clock: Clock, rng: Random):
        self.store = store
        self.clock = clock
        self.rng = rng
        # Warnings the last requests earned (the API's ``Warning:`` response headers);
        # kubectl prints and clears them. Bounded: nobody reads the controllers' ones.
        self.warnings: list[str] = []

    # -- helpers ---------------------------------------------------------
    def info_for(self, obj: dict) -> KindInfo:
        info = lookup_kind(obj.get("apiVersion", ""), obj.get("kind", ""))
        if info is None:
            raise errors.StatusError(
                404, "NotFound", f'no matches for kind "{obj.get("kind", "")}" in version '
                f'"{obj.get("apiVersion", "")}"')
        return info

    def warn(self, messages: list[str]) -> None:
        if len(self.warnings) < 100:
            self.warnings.extend(messages)

    def pop_warnings(self) -> list[str]:
        """The warnings since the last call, in order (kubectl prints them)."""
        out, self.warnings = self.warnings, []
        return out

    def new_uid(self) -> str:
        """A version-4-shaped UUID drawn from the cluster's seeded generator."""
        bits = self.rng.getrandbits(128)
        bits = (bits & ~(0xF000 << 64)) | (0x4000 << 64)   # version 4
        bits = (bits & ~(0xC000 << 48)) | (0x8000 << 48)   # RFC 4122 variant
        h = f"{bits:032x}"
        return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"

    def random_suffix(self, length: int = 5) -> str:
        return "".join(self.rng.choice(NAME_ALPHABET) for _ in range(length))

    def _namespace_of(self, info: KindInfo, obj: dict, namespace: str | None) -> str:
        if not info.namespaced:
            return ""
        declared = obj.get("metadata", {}).get("namespace")
        if namespace and declared and declared != namespace:
            raise errors.bad_request("the namespace of the provided object does not match the "
                                     "namespace sent on the request")
        return declared or namespace or "default"

    def _require_namespace(self, namespace: str, info: KindInfo, name: str) -> None:
        """The NamespaceLifecycle admission plugin."""
        ns = self.store.get("Namespace", "", namespace)
        if ns is None:
            raise errors.not_found("namespaces", namespace)
        if ns["metadata"].get("deletionTimestamp"):
            raise errors.forbidden(f'{info.resource_ref} "{name}" is forbidden: unable to create '
                                   f"new content in namespace {namespace} because it is being "
                                   "terminated")

    # -- verbs -----------------------------------------------------------
    def create(self, obj: dict, namespace: str | None = None, *, dry_run: bool = False) -> dict:
        """Admit and store a new object; returns the stored object."""
        info = self.info_for(obj)
        ns = self._namespace_of(info, obj, namespace)
        meta = dict(obj.get("metadata") or {})
        if ns:
            meta["namespace"] = ns
        if not meta.get("name") and meta.get("generateName"):
            meta["name"] = self._generate_name(info, ns, meta["generateName"])
        for field in SERVER_METADATA:
            meta.pop(field, None)
        admitted = admission.admit(info, {**obj, "metadata": meta})
        if ns:
            self._require_namespace(ns, info, admitted["metadata"]["name"])
        if info.kind == "Service":
            admitted = ipam.allocate(self, admitted)
        elif info.kind == "Pod":
            admitted = serviceaccount.admit_pod(self, admitted)
        elif info.kind in ("PersistentVolumeClaim", "PersistentVolume"):
            admitted = storage_admission.admit(self, info.kind, admitted)
            self.warn(storage_admission.warnings_for(info.kind, admitted))
        name = admitted["metadata"]["name"]
        if self.store.get(info.kind, ns, name) is not None:
            raise errors.already_exists(info.resource_ref, name)
        stored = self._stamp_new(info, admitted)
        if not dry_run:
            self.store.put(info.kind, stored)
        return stored

    def create_built(self, info: KindInfo, obj: dict) -> dict:
        """Store a new object that a system component built itself, already in the
        shape admission gives it (keys in Go order, defaults and zero fields written,
        valid): the trusted internal write path, used for the Events the engine records.

        Decode, defaulting and validation are skipped, nothing else: the namespace
        must exist and not be terminating (Forbidden otherwise), the name must be free,
        and the server stamps uid, resourceVersion and creationTimestamp as ``create``
        does, so the stored object is exactly what ``create(obj)`` would store."""
        meta = obj["metadata"]
        ns = meta.get("namespace", "") if info.namespaced else ""
        name = meta["name"]
        if ns:
            self._require_namespace(ns, info, name)
        if self.store.get(info.kind, ns, name) is not None:
            raise errors.already_exists(info.resource_ref, name)
        stored = self._stamp_new(info, obj)
        self.store.put(info.kind, stored)
        return stored

    def update_built(self, current: dict, changes: dict) -> dict:
        """Replace top-level fields of a stored object with values a system component
        built in their admitted shape (an Event counted again): the trusted internal
        path of ``update``, storing exactly what ``update({**current, **changes})`` would."""
        info = self.info_for(current)
        return self._write_if_changed(info, current, {**current, **changes}, False)

    def _generate_name(self, info: KindInfo, ns: str, prefix: str) -> str:
        while True:
            name = prefix + self.random_suffix()
            if self.store.get(info.kind, ns, name) is None:
                return name

    def _stamp_new(self, info: KindInfo, obj: dict) -> dict:
        meta = dict(obj["metadata"])
        meta["uid"] = self.new_uid()
        meta["resourceVersion"] = self.store.next_resource_version()
        meta["creationTimestamp"] = rfc3339(self.clock.now)
        if info.kind in GENERATION_KINDS:
            meta["generation"] = 1
        stored = {**obj, "metadata": meta}
        status = initial_status(info.kind, stored)
        if info.kind == "PersistentVolume":
            status = storage_admission.initial_pv_status(self.clock.now)
        if status is not None and info.kind != "Node":
            stored["status"] = status
        return stored

    def get(self, kind: str | KindInfo, name: str, namespace: str = "") -> dict:
        """The stored object (treat it as read-only) or NotFound."""
        info = kind if isinstance(kind, KindInfo) else kind_info(kind)
        obj = self.store.get(info.kind, namespace if info.namespaced else "", name)
        if obj is None:
            raise errors.not_found(info.resource_ref, name)
        return obj

    def list(self, kind: str | KindInfo, namespace: str | None = None, selector=None) -> list[dict]:
        info = kind if isinstance(kind, KindInfo) else kind_info(kind)
        return self.store.list(info.kind, namespace if info.namespaced else None, selector)

    def update(self, obj: dict, *, dry_run: bool = False) -> dict:
        """Replace an object's spec/metadata; status stays as the controllers left it.
        A stale ``resourceVersion`` is a Conflict; an update that changes nothing
        writes nothing (resourceVersion unchanged)."""
        info = self.info_for(obj)
        meta = obj.get("metadata") or {}
        ns = self._namespace_of(info, obj, meta.get("namespace"))
        current = self.get(info, meta.get("name", ""), ns)
        sent_rv = meta.get("resourceVersion")
        if sent_rv and sent_rv != current["metadata"]["resourceVersion"]:
            raise errors.conflict(info.resource_ref, current["metadata"]["name"])
        new_meta = {**meta, "namespace": ns} if ns else dict(meta)
        for field in SERVER_METADATA:
            new_meta.pop(field, None)
            if field in current["metadata"]:
                new_meta[field] = current["metadata"][field]
        body = {**obj, "metadata": new_meta}
        if info.kind in STATUS_KINDS:
            body.pop("status", None)
        admitted = admission.admit(info, body, old=current)
        if info.kind == "PersistentVolume":
            self.warn(storage_admission.warnings_for(info.kind, admitted))
        if info.kind == "Service":
            admitted = ipam.allocate(self, admitted, old=current)
        if info.kind in STATUS_KINDS and "status" in current:
            admitted["status"] = current["status"]
        written = self._write_if_changed(info, current, admitted, dry_run)
        if not dry_run:
            self._finish_deletion_if_released(info, written)
        return written

    def patch(self, kind: str | KindInfo, name: str, namespace: str, body: dict, *,
              patch_type: str = "strategic", dry_run: bool = False) -> dict:
        """Apply a strategic-merge (kubectl's default) or JSON merge patch."""
        info = kind if isinstance(kind, KindInfo) else kind_info(kind)
        current = self.get(info, name, namespace if info.namespaced else "")
        merge = strategic_merge_patch if patch_type == "strategic" else json_merge_patch
        merged = merge(current, body)
        merged["metadata"] = {k: v for k, v in merged["metadata"].items() if k != "resourceVersion"}
        return self.update(merged, dry_run=dry_run)

    def update_status(self, obj: dict) -> dict:
        """Write only ``status`` (the status subresource controllers and kubelets use)."""
        info = self.info_for(obj)
        meta = obj["metadata"]
        current = self.get(info, meta["name"], meta.get("namespace", ""))
        status = obj.get("status", {})
        if info.kind == "PersistentVolume":
            status = storage_admission.pv_status_update(current.get("status") or {}, status,
                                                        self.clock.now)
        return self._write_if_changed(info, current, {**current, "status": status}, False)

    def bind(self, name: str, namespace: str, node_name: str) -> dict:
        """``POST pods/{name}/binding``: how the scheduler places a pod.

        Like the binding subresource, this sets ``spec.nodeName`` (otherwise
        immutable) and the condition PodScheduled=True in one write, and refuses
        a pod that is being deleted or already has a node.
        """
        from kubelearn.api.podutil import update_condition

        current = self.get("Pod", name, namespace)
        if current["metadata"].get("deletionTimestamp"):
            raise errors.StatusError(409, "Conflict", f"pod {name} is being deleted, cannot be "
                                     "assigned to a host", kind="pods", name=name)
        assigned = (current.get("spec") or {}).get("nodeName")
        if assigned:
            raise errors.StatusError(409, "Conflict", f'pod {name} is already assigned to node '
                                     f'"{assigned}"', kind="pods", name=name)
        status = dict(current.get("status") or {})
        status["conditions"] = update_condition(
            list(status.get("conditions") or ()),
            {"lastProbeTime": None, "status": "True", "type": "PodScheduled"},
            rfc3339(self.clock.now))
        bound = {**current, "spec": {**current["spec"], "nodeName": node_name}, "status": status}
        return self._write_if_changed(kind_info("Pod"), current, bound, False)

    def write_metadata(self, current: dict, metadata: dict) -> dict:
        """Controllers' metadata-only writes (finalizers, ownerReferences, annotations)
        that skip re-admission of the spec."""
        info = self.info_for(current)
        merged = dict(metadata)
        for field in SERVER_METADATA:
            if field in current["metadata"]:
                merged[field] = current["metadata"][field]
        obj = self._write_if_changed(info, current, {**current, "metadata": merged}, False)
        self._finish_deletion_if_released(info, obj)
        return obj

    def _write_if_changed(self, info: KindInfo, current: dict, new: dict, dry_run: bool) -> dict:
        if _equal_but_rv(new, current):
            return current
        meta = dict(new["metadata"])
        if info.kind in GENERATION_KINDS and new.get("spec") != current.get("spec"):
            meta["generation"] = current["metadata"].get("generation", 0) + 1
        meta["resourceVersion"] = (current["metadata"]["resourceVersion"] if dry_run
                                   else self.store.next_resource_version())
        stored = {**new, "metadata": meta}
        if not dry_run:
            self.store.put(info.kind, stored)
        return stored

    def delete(self, kind: str | KindInfo, name: str, namespace: str = "", *,
               grace_period: int | None = None, propagation: str = "Background",
               dry_run: bool = False) -> dict:
        """Delete an object, or mark it for deletion when something must finish first:
        finalizers, a namespace's contents, a pod's graceful termination on its node.
        Returns the object as it was (or as marked)."""
        info = kind if isinstance(kind, KindInfo) else kind_info(kind)
        ns = namespace if info.namespaced else ""
        current = self.get(info, name, ns)
        if dry_run:
            return current
        if current["metadata"].get("deletionTimestamp"):
            return current
        grace = self._grace_period(info, current, grace_period)
        meta = current["metadata"]
        if propagation == "Orphan":
            self._orphan_dependents(meta["uid"])
        if meta.get("finalizers") or grace or info.kind == "Namespace":
            marked = {**meta, "deletionTimestamp": rfc3339(self.clock.now + (grace or 0)),
                      "deletionGracePeriodSeconds": grace or 0}
            if info.kind == "Namespace":
                obj = {**current, "metadata": marked,
                       "status": {**current.get("status", {}), "phase": "Terminating"}}
            else:
                obj = {**current, "metadata": marked}
            marked["resourceVersion"] = self.store.next_resource_version()
            self.store.put(info.kind, obj)
            return obj
        self.store.remove(info.kind, ns, name)
        return current

    def _grace_period(self, info: KindInfo, obj: dict, requested: int | None) -> int:
        """Only pods on a node terminate gracefully; an unscheduled pod goes at once."""
        if info.kind != "Pod" or not obj.get("spec", {}).get("nodeName"):
            return 0
        if obj.get("status", {}).get("phase") in ("Succeeded", "Failed"):
            return 0
        if requested is not None:
            return max(requested, 0)
        return int(obj["spec"].get("terminationGracePeriodSeconds", 30))

    def finish_deletion(self, kind: str, name: str, namespace: str = "") -> None:
        """Remove an object already marked for deletion (kubelet after termination,
        the namespace controller once the namespace is empty)."""
        info = kind_info(kind)
        if self.store.get(info.kind, namespace if info.namespaced else "", name) is not None:
            self.store.remove(info.kind, namespace if info.namespaced else "", name)

    def _finish_deletion_if_released(self, info: KindInfo, obj: dict) -> None:
        meta = obj["metadata"]
        # An object marked for deletion goes when its last finalizer does (whoever
        # removes it: a controller, or a learner's ``kubectl patch``), except a pod
        # terminating on a node (its kubelet removes it) and a namespace (the
        # namespace controller removes it once it is empty).
        if meta.get("deletionTimestamp") and not meta.get("finalizers") \
                and info.kind != "Namespace" \
                and (info.kind != "Pod" or not meta.get("deletionGracePeriodSeconds")):
            self.store.remove(info.kind, meta.get("namespace", ""), meta["name"])

    def _orphan_dependents(self, owner_uid: str) -> None:
        for kind, ns, name in self.store.dependents(owner_uid):
            obj = self.store.get(kind, ns, name)
            refs = [r for r in obj["metadata"].get("ownerReferences", []) if r.get("uid") != owner_uid]
            meta = {**obj["metadata"], "ownerReferences": refs}
            if not refs:
                del meta["ownerReferences"]
            self.write_metadata(obj, meta)


def _equal_but_rv(a: dict, b: dict) -> bool:
    """``a == b`` with ``metadata.resourceVersion`` left out, without copying either.
    Values shared by both (the usual case: writes rebuild only what they change) are
    not compared at all."""
    if a is b:
        return True
    if len(a) != len(b):
        return False
    for key, value in a.items():
        if key not in b:
            return False
        other = b[key]
        if value is other:
            continue
        if key == "metadata":
            if not _equal_meta_but_rv(value, other):
                return False
        elif value != other:
            return False
    return True


def _equal_meta_but_rv(a: dict, b: dict) -> bool:
    if len(a) - ("resourceVersion" in a) != len(b) - ("resourceVersion" in b):
        return False
    for key, value in a.items():
        if key == "resourceVersion":
            continue
        if key not in b:
            return False
        other = b[key]
        if value is not other and value != other:
            return False
    return True
