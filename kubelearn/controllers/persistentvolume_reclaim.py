"""What happens to a volume once its claim is gone: the reclaim policy.

The PV controller's ``reclaimVolume`` and its operations
(``pv_controller.go``), for a volume that is ``Released``:

- ``Retain`` (the default for volumes made by hand): nothing. The volume stays
  ``Released`` with its ``claimRef``, so no new claim binds to it until an
  administrator deletes it or clears ``claimRef``; the data stays.
- ``Delete``: a volume a provisioner made (``pv.kubernetes.io/provisioned-by``
  not in-tree) is left to that provisioner, which deletes its storage and the
  PV (``hostpath_provisioner`` on minikube). A CSI volume likewise waits for its
  driver's provisioner. A hand-made hostPath volume goes through the in-tree
  hostPath deleter, which only deletes paths matching ``/tmp/.+``: anything else
  fails, the volume turns ``Failed`` with ``VolumeFailedDelete`` "host_path
  deleter only supports /tmp/.+ but received provided /data", and stays there.
  When the path is under ``/tmp`` the deleter runs ``rm -rf`` *inside the
  kube-controller-manager container*, so the PV object goes but no node's data
  does — which is what really happens, and why kubelearn calls no storage hook
  for it. Other volume types have no deleter in kube-controller-manager and fail.
- ``Recycle`` (deprecated; the API server warns on create): hostPath and NFS
  volumes are scrubbed (``volume_storage.scrub_volume_storage``) and made
  ``Available`` again with a ``VolumeRecycled`` event. Upstream does the scrub
  in a ``recycler-for-<pv>`` pod; kubelearn scrubs directly and records no
  recycler-pod events. Other types fail with "No recycler plugin found for the
  volume!".
- Anything else: ``Failed``, "Volume has unrecognized PersistentVolumeReclaimPolicy".
"""
from __future__ import annotations

import re

from kubelearn.controllers.pv_util import (ANN_BOUND_BY_CONTROLLER, ANN_DYNAMICALLY_PROVISIONED,
                                           ANN_MIGRATED_TO)
from kubelearn.controllers.volume_storage import scrub_volume_storage

_HOSTPATH_DELETABLE = re.compile("/tmp/.+")
RECYCLABLE_SOURCES = ("hostPath", "nfs")


def reclaim_volume(ctrl, volume: dict) -> None:
    """reclaimVolume: run the volume's reclaim policy."""
    if ANN_MIGRATED_TO in (volume["metadata"].get("annotations") or {}):
        return                      # the CSI driver's provisioner reclaims migrated volumes
    policy = (volume.get("spec") or {}).get("persistentVolumeReclaimPolicy")
    if policy == "Retain":
        return
    if policy == "Recycle":
        recycle_volume_operation(ctrl, volume)
    elif policy == "Delete":
        delete_volume_operation(ctrl, volume)
    else:
        ctrl.update_volume_phase_with_event(volume, "Failed", "Warning",
                                            "VolumeUnknownReclaimPolicy",
                                            "Volume has unrecognized PersistentVolumeReclaimPolicy")


def is_volume_released(ctrl, volume: dict) -> bool:
    """isVolumeReleased: bound once, and its claim is gone or bound to another volume."""
    ref = (volume.get("spec") or {}).get("claimRef")
    if not ref or not ref.get("uid"):
        return False
    claim = ctrl.api.store.get("PersistentVolumeClaim", ref.get("namespace", ""),
                               ref.get("name", ""))
    if claim is not None and claim["metadata"].get("uid") == ref["uid"]:
        name = (claim.get("spec") or {}).get("volumeName")
        return bool(name) and name != volume["metadata"]["name"]
    return True


def delete_volume_operation(ctrl, volume: dict) -> None:
    """deleteVolumeOperation: delete the storage through the volume's deleter, then the PV."""
    current = ctrl.api.store.get("PersistentVolume", "", volume["metadata"]["name"])
    if current is None or not is_volume_released(ctrl, current):
        return
    error = _find_deleter_error(current)
    if error is _EXTERNAL:
        return                      # an external provisioner deletes it
    if error is None:
        error = _hostpath_delete(current)
    if error is not None:
        ctrl.update_volume_phase_with_event(current, "Failed", "Warning", "VolumeFailedDelete",
                                            error)
        return
    ctrl.api.delete("PersistentVolume", current["metadata"]["name"])


_EXTERNAL = object()


def _find_deleter_error(volume: dict):
    """findDeletablePlugin: _EXTERNAL when an external deleter is expected, None for the
    hostPath deleter, otherwise the error upstream reports."""
    provisioned_by = (volume["metadata"].get("annotations") or {}).get(
        ANN_DYNAMICALLY_PROVISIONED)
    spec = volume.get("spec") or {}
    name = volume["metadata"]["name"]
    if provisioned_by and not provisioned_by.startswith("kubernetes.io/"):
        return _EXTERNAL
    if spec.get("csi") is not None:
        return _EXTERNAL            # HonorPVReclaimPolicy (beta, on in 1.32)
    if spec.get("hostPath") is not None:
        return None
    kind = "no deletable volume plugin matched" if spec.get("nfs") is not None \
        else "no volume plugin matched"
    return f'error getting deleter volume plugin for volume "{name}": {kind}'


def _hostpath_delete(volume: dict) -> str | None:
    """hostPathDeleter.Delete: only paths matching ``/tmp/.+`` (searched anywhere in the path,
    as Go's MatchString does). The ``rm -rf`` runs in kube-controller-manager's own container."""
    path = ((volume.get("spec") or {}).get("hostPath") or {}).get("path") or ""
    if not _HOSTPATH_DELETABLE.search(path):
        return f"host_path deleter only supports /tmp/.+ but received provided {path}"
    return None


def recycle_volume_operation(ctrl, volume: dict) -> None:
    """recycleVolumeOperation: scrub the volume and make it Available again."""
    current = ctrl.api.store.get("PersistentVolume", "", volume["metadata"]["name"])
    if current is None or not is_volume_released(ctrl, current):
        return
    ref = current["spec"]["claimRef"]
    namespace = ref.get("namespace", "")
    users = []
    for pod_name in ctrl.pods.pods(namespace, ref.get("name", "")):
        pod = ctrl.api.store.get("Pod", namespace, pod_name)
        if pod is not None and (pod.get("status") or {}).get("phase") not in ("Succeeded",
                                                                               "Failed"):
            users.append(f"{namespace}/{pod_name}")
    claim_exists = ctrl.api.store.get("PersistentVolumeClaim", namespace,
                                      ref.get("name", "")) is not None
    if users and not claim_exists:
        ctrl.record(current, "Normal", "VolumeFailedRecycle",
                    f"Volume is used by pods: {','.join(users)}")
        return
    spec = current.get("spec") or {}
    if not any(spec.get(source) is not None for source in RECYCLABLE_SOURCES):
        ctrl.update_volume_phase_with_event(current, "Failed", "Warning", "VolumeFailedRecycle",
                                            "No recycler plugin found for the volume!")
        return
    scrub_volume_storage(ctrl.cluster, current)
    ctrl.record(current, "Normal", "VolumeRecycled", "Volume recycled")
    unbind_volume(ctrl, current)


def unbind_volume(ctrl, volume: dict) -> None:
    """unbindVolume: forget the claim (all of claimRef when the controller bound it, only
    its uid when a user pre-bound it), then Available."""
    meta, spec = volume["metadata"], dict(volume.get("spec") or {})
    annotations = dict(meta.get("annotations") or {})
    if ANN_BOUND_BY_CONTROLLER in annotations:
        spec.pop("claimRef", None)
        del annotations[ANN_BOUND_BY_CONTROLLER]
        meta = {k: v for k, v in meta.items() if k != "annotations"}
        if annotations:
            meta["annotations"] = annotations
    else:
        spec["claimRef"] = {k: v for k, v in spec["claimRef"].items() if k != "uid"}
    updated = ctrl.api.update({**volume, "metadata": meta, "spec": spec})
    ctrl.update_volume_phase(updated, "Available")
