"""Admission for PersistentVolumes and claims: what the API server adds on create.

Two of kube-apiserver's default admission plugins, and the PV status strategy:

- ``DefaultStorageClass`` (``plugin/pkg/admission/storage/storageclass/setdefault``):
  a claim created without ``storageClassName`` gets the default StorageClass
  (``standard`` on minikube). ``storageClassName: ""`` is an explicit "no
  class" and is left alone; so is a claim when no class is marked default (a
  kubeadm cluster has none).
- ``StorageObjectInUseProtection``: every new claim gets the finalizer
  ``kubernetes.io/pvc-protection`` and every new volume
  ``kubernetes.io/pv-protection``, so deleting one that is in use leaves it
  ``Terminating`` until the protection controllers let it go.
- The PV strategy's warnings: ``spec.persistentVolumeReclaimPolicy: The Recycle
  reclaim policy is deprecated. ...`` on create and update (``kubectl apply``
  prints it as ``Warning: ...``).
- The PV strategy: a new volume starts ``Pending`` with
  ``status.lastPhaseTransitionTime`` set, and every later change of phase
  stamps that time again (PersistentVolumeLastPhaseTransitionTime, GA in 1.31).
"""
from __future__ import annotations

from kubelearn.api.defaults import _put as put_in_go_order
from kubelearn.api.models import core
from kubelearn.api.models.meta import ObjectMeta
from kubelearn.clock import rfc3339
from kubelearn.controllers.pv_util import (PV_PROTECTION_FINALIZER, PVC_PROTECTION_FINALIZER,
                                           claim_has_class, default_class)


def admit(api, kind: str, obj: dict) -> dict:
    """The mutating admission of a new PV or PVC (after decoding and validation)."""
    if kind == "PersistentVolumeClaim":
        obj = _default_storage_class(api, obj)
        return _with_finalizer(obj, PVC_PROTECTION_FINALIZER)
    if kind == "PersistentVolume":
        return _with_finalizer(obj, PV_PROTECTION_FINALIZER)
    return obj


def _default_storage_class(api, pvc: dict) -> dict:
    if claim_has_class(pvc):
        return pvc
    default = default_class(api.store.list("StorageClass"))
    if default is None:
        return pvc
    spec = put_in_go_order(pvc.get("spec") or {}, core.PersistentVolumeClaimSpec,
                           {"storageClassName": default["metadata"]["name"]})
    return {**pvc, "spec": spec}


def _with_finalizer(obj: dict, finalizer: str) -> dict:
    meta = obj["metadata"]
    finalizers = list(meta.get("finalizers") or ())
    if finalizer in finalizers:
        return obj
    meta = put_in_go_order(meta, ObjectMeta, {"finalizers": finalizers + [finalizer]})
    return {**obj, "metadata": meta}


def warnings_for(kind: str, obj: dict) -> list[str]:
    """GetWarningsForPersistentVolume (the part a course meets): the Recycle policy is
    deprecated. kubectl prints each as ``Warning: ...`` before its result line."""
    if kind == "PersistentVolume" and \
            (obj.get("spec") or {}).get("persistentVolumeReclaimPolicy") == "Recycle":
        return ["spec.persistentVolumeReclaimPolicy: The Recycle reclaim policy is deprecated. "
                "Instead, the recommended approach is to use dynamic provisioning."]
    return []


def initial_pv_status(now: float) -> dict:
    """PrepareForCreate: a new volume is Pending since now."""
    return {"phase": "Pending", "lastPhaseTransitionTime": rfc3339(now)}


def pv_status_update(old_status: dict, new_status: dict, now: float) -> dict:
    """The status strategy's PrepareForUpdate: a phase change stamps
    ``lastPhaseTransitionTime`` (unless the writer set a new one); an unchanged phase
    keeps the old stamp."""
    old_time = old_status.get("lastPhaseTransitionTime")
    new_time = new_status.get("lastPhaseTransitionTime")
    if old_status.get("phase") == new_status.get("phase"):
        if new_time is None and old_time is not None:
            return put_in_go_order(new_status, core.PersistentVolumeStatus,
                                   {"lastPhaseTransitionTime": old_time})
        return new_status
    if new_time is None or new_time == old_time:
        return put_in_go_order(new_status, core.PersistentVolumeStatus,
                               {"lastPhaseTransitionTime": rfc3339(now)})
    return new_status
