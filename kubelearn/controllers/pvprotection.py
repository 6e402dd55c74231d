"""Storage object in-use protection: a claim or volume in use is not deleted under a pod.

Admission gives every new claim the finalizer ``kubernetes.io/pvc-protection``
and every new volume ``kubernetes.io/pv-protection``
(``storage_admission``). Deleting one only marks it (``Terminating`` in
``kubectl get``); these two controllers decide when the finalizer goes:

- ``PVCProtectionController`` (``pkg/controller/volume/pvcprotection``): a
  claim stays while any pod that was scheduled to a node still names it in its
  volumes, whatever that pod's phase (a finished Job pod holds it too, until
  the pod is deleted). Pods that never reached a node do not count: the kubelet
  refuses to start a pod whose claim is being deleted.
- ``PVProtectionController`` (``pkg/controller/volume/pvprotection``): a volume
  stays while its phase is ``Bound``.

Both also put the finalizer back on an object that lacks it and is not being
deleted (objects created before the admission plugin, in upstream's words).
"""
from __future__ import annotations

from kubelearn.apiserver import errors
from kubelearn.controllers.base import Controller
from kubelearn.controllers.pod_claims import PodClaimFollower
from kubelearn.controllers.pv_util import (PV_PROTECTION_FINALIZER, PVC_PROTECTION_FINALIZER,
                                           PodClaimIndex)


def _needs_finalizer(obj: dict, finalizer: str) -> bool:
    """protectionutil.NeedToAddFinalizer."""
    meta = obj["metadata"]
    return not meta.get("deletionTimestamp") and finalizer not in (meta.get("finalizers") or ())


def _is_deletion_candidate(obj: dict, finalizer: str) -> bool:
    """protectionutil.IsDeletionCandidate."""
    meta = obj["metadata"]
    return bool(meta.get("deletionTimestamp")) and finalizer in (meta.get("finalizers") or ())


def _with_finalizers(api, obj: dict, finalizers: list[str]) -> dict:
    meta = {k: v for k, v in obj["metadata"].items() if k != "finalizers"}
    if finalizers:
        meta["finalizers"] = finalizers
    return api.write_metadata(obj, meta)


class PVCProtectionController(PodClaimFollower, Controller):
    name = "pvc-protection-controller"
    watches = ("PersistentVolumeClaim", "Pod")

    def __init__(self, cluster) -> None:
        super().__init__(cluster)
        self.pods = PodClaimIndex()

    def keys_for(self, event):
        obj = event.obj
        meta = obj["metadata"]
        if event.kind == "Pod":
            return self.pod_keys(event)
        if event.type == "DELETED":
            return ()
        if _needs_finalizer(obj, PVC_PROTECTION_FINALIZER) or \
                _is_deletion_candidate(obj, PVC_PROTECTION_FINALIZER):
            return ((meta.get("namespace", ""), meta["name"]),)
        return ()

    def pod_claim_keys(self, event, old, claims):
        obj = event.obj
        spec, status = obj.get("spec") or {}, obj.get("status") or {}
        # enqueuePVCs: only a pod that is gone, finished or unscheduled can free a claim
        if event.type != "DELETED" and spec.get("nodeName") and \
                status.get("phase") not in ("Succeeded", "Failed"):
            return ()
        namespace = obj["metadata"].get("namespace", "")
        return [(namespace, name) for name in sorted(set(old) | set(claims))]

    def reconcile(self, key):
        namespace, name = key
        pvc = self.api.store.get("PersistentVolumeClaim", namespace, name)
        if pvc is None:
            return None
        finalizers = list(pvc["metadata"].get("finalizers") or ())
        try:
            if _is_deletion_candidate(pvc, PVC_PROTECTION_FINALIZER):
                if not self.is_being_used(pvc):
                    finalizers.remove(PVC_PROTECTION_FINALIZER)
                    _with_finalizers(self.api, pvc, finalizers)
                return None
            if _needs_finalizer(pvc, PVC_PROTECTION_FINALIZER):
                _with_finalizers(self.api, pvc, finalizers + [PVC_PROTECTION_FINALIZER])
        except errors.StatusError:
            return 1.0
        return None

    def is_being_used(self, pvc: dict) -> bool:
        """podUsesPVC over the pods naming the claim: scheduled ones hold it."""
        namespace = pvc["metadata"].get("namespace", "")
        for pod_name in self.pods.pods(namespace, pvc["metadata"]["name"]):
            pod = self.api.store.get("Pod", namespace, pod_name)
            if pod is not None and (pod.get("spec") or {}).get("nodeName"):
                return True
        return False


class PVProtectionController(Controller):
    name = "pv-protection-controller"
    watches = ("PersistentVolume",)

    def keys_for(self, event):
        obj = event.obj
        if event.type == "DELETED":
            return ()
        if _needs_finalizer(obj, PV_PROTECTION_FINALIZER) or \
                _is_deletion_candidate(obj, PV_PROTECTION_FINALIZER):
            return (obj["metadata"]["name"],)
        return ()

    def reconcile(self, key):
        pv = self.api.store.get("PersistentVolume", "", key)
        if pv is None:
            return None
        finalizers = list(pv["metadata"].get("finalizers") or ())
        try:
            if _is_deletion_candidate(pv, PV_PROTECTION_FINALIZER):
                if (pv.get("status") or {}).get("phase") != "Bound":
                    finalizers.remove(PV_PROTECTION_FINALIZER)
                    _with_finalizers(self.api, pv, finalizers)
                return None
            if _needs_finalizer(pv, PV_PROTECTION_FINALIZER):
                _with_finalizers(self.api, pv, finalizers + [PV_PROTECTION_FINALIZER])
        except errors.StatusError:
            return 1.0
        return None
