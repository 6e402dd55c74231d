"""minikube's storage-provisioner: makes a hostPath volume for every ``standard`` claim.

The ``storage-provisioner`` pod in ``kube-system`` (minikube's
``pkg/storage/storage_provisioner.go`` on sig-storage-lib-external-provisioner
v5) is an external provisioner named ``k8s.io/minikube-hostpath``. It acts on
claims the PV controller has annotated with
``volume.beta.kubernetes.io/storage-provisioner: k8s.io/minikube-hostpath``
(and, for a WaitForFirstConsumer class, only once the scheduler has set
``volume.kubernetes.io/selected-node``):

- ``Provisioning``: "External provisioner is provisioning volume for claim
  "default/data"", then a directory ``/tmp/hostpath-provisioner/<namespace>/<claim>``
  on the node and a PersistentVolume ``pvc-<claim uid>`` for it: the claim's
  access modes and requested size, the class's reclaim policy, the claim's
  class, ``claimRef`` to the claim, and the annotations
  ``hostPathProvisionerIdentity`` and ``pv.kubernetes.io/provisioned-by``;
  ``ProvisioningSucceeded``: "Successfully provisioned volume pvc-…". The PV
  controller then binds the two.
- When such a volume is ``Released`` with reclaim policy ``Delete``, it removes
  the directory from the node (``volume_storage.delete_hostpath_storage``) and
  deletes the PersistentVolume.

The provisioner only works while its pod is Running: on a kubeadm cluster (no
such pod) or after ``kubectl delete pod storage-provisioner -n kube-system``
claims of a ``k8s.io/minikube-hostpath`` class wait, with the PV controller's
``ExternalProvisioning`` event repeating. The events come from
``k8s.io/minikube-hostpath_<node>_<uuid>``, the provisioner's leader-election
identity; that uuid and ``hostPathProvisionerIdentity`` are drawn from the
cluster's seeded generator the first time the provisioner works.
"""
from __future__ import annotations

from kubelearn.apiserver import errors
from kubelearn.controllers.base import Controller
from kubelearn.controllers.pv_util import (ANN_BETA_STORAGE_PROVISIONER,
                                           ANN_DYNAMICALLY_PROVISIONED, ANN_SELECTED_NODE,
                                           ANN_STORAGE_PROVISIONER, claim_class, claim_reference)
from kubelearn.controllers.volume_storage import create_hostpath_storage, delete_hostpath_storage

PROVISIONER_NAME = "k8s.io/minikube-hostpath"
PV_DIR = "/tmp/hostpath-provisioner"
IDENTITY_ANNOTATION = "hostPathProvisionerIdentity"
POD_NAMESPACE, POD_NAME = "kube-system", "storage-provisioner"


class HostPathProvisioner(Controller):
    name = PROVISIONER_NAME
    watches = ("PersistentVolumeClaim", "PersistentVolume", "Pod")

    def __init__(self, cluster) -> None:
        super().__init__(cluster)
        self.pod_key: tuple[str, str] | None = (POD_NAMESPACE, POD_NAME)
        self._identity: str | None = None
        self._component: str | None = None
        self._was_running = False

    def keys_for(self, event):
        meta = event.obj["metadata"]
        if event.kind == "Pod":
            if (meta.get("namespace"), meta["name"]) != self.pod_key:
                return ()
            running = self.running()
            came_up, self._was_running = running and not self._was_running, running
            if not came_up:
                return ()
            claims = self.api.store.list("PersistentVolumeClaim")
            volumes = self.api.store.list("PersistentVolume")
            return [("claim", c["metadata"]["namespace"], c["metadata"]["name"]) for c in claims] \
                + [("volume", v["metadata"]["name"]) for v in volumes]
        if event.type == "DELETED":
            return ()
        if event.kind == "PersistentVolumeClaim":
            return (("claim", meta.get("namespace", ""), meta["name"]),)
        return (("volume", meta["name"]),)

    def running(self) -> bool:
        """Whether the storage-provisioner pod runs (always, when ``pod_key`` is None)."""
        if self.pod_key is None:
            return True
        pod = self.api.store.get("Pod", *self.pod_key)
        return pod is not None and (pod.get("status") or {}).get("phase") == "Running" \
            and not pod["metadata"].get("deletionTimestamp")

    def reconcile(self, key):
        if not self.running():
            return None
        try:
            if key[0] == "claim":
                claim = self.api.store.get("PersistentVolumeClaim", key[1], key[2])
                if claim is not None and self.should_provision(claim):
                    self.provision_claim_operation(claim)
            else:
                volume = self.api.store.get("PersistentVolume", "", key[1])
                if volume is not None and self.should_delete(volume):
                    self.delete_volume_operation(volume)
        except errors.StatusError:
            return 1.0
        return None

    # -- identity ----------------------------------------------------------------
    def node_name(self) -> str:
        pod = self.api.store.get("Pod", *self.pod_key) if self.pod_key else None
        return (pod or {}).get("spec", {}).get("nodeName") or "minikube"

    def identity(self) -> str:
        if self._identity is None:
            self._identity = self.api.new_uid()
            self._component = f"{PROVISIONER_NAME}_{self.node_name()}_{self.api.new_uid()}"
        return self._identity

    def record(self, obj: dict, type_: str, reason: str, message: str) -> None:
        self.identity()
        self.cluster.events.record(obj, type_, reason, message, self._component)

    # -- provisioning ------------------------------------------------------------
    def should_provision(self, claim: dict) -> bool:
        """shouldProvision: unbound, annotated for us, and (WaitForFirstConsumer) a node chosen."""
        if (claim.get("spec") or {}).get("volumeName"):
            return False
        annotations = claim["metadata"].get("annotations") or {}
        wanted = annotations.get(ANN_BETA_STORAGE_PROVISIONER,
                                 annotations.get(ANN_STORAGE_PROVISIONER))
        if wanted != PROVISIONER_NAME:
            return False
        sc = self.api.store.get("StorageClass", "", claim_class(claim))
        if sc is None or sc.get("provisioner") != PROVISIONER_NAME:
            return False
        if sc.get("volumeBindingMode") == "WaitForFirstConsumer":
            return bool(annotations.get(ANN_SELECTED_NODE))
        return True

    def provision_claim_operation(self, claim: dict) -> None:
        meta = claim["metadata"]
        pv_name = f"pvc-{meta['uid']}"
        if self.api.store.get("PersistentVolume", "", pv_name) is not None:
            return                  # provisioned already
        sc = self.api.store.get("StorageClass", "", claim_class(claim))
        namespace = meta.get("namespace", "")
        self.record(claim, "Normal", "Provisioning", "External provisioner is provisioning "
                    f'volume for claim "{namespace}/{meta["name"]}"')
        spec = claim.get("spec") or {}
        requested = ((spec.get("resources") or {}).get("requests") or {}).get("storage")
        volume_spec = {
            "capacity": {"storage": requested},
            "hostPath": {"path": f"{PV_DIR}/{namespace}/{meta['name']}"},
            "accessModes": list(spec.get("accessModes") or ()),
            "claimRef": claim_reference(claim),
            "persistentVolumeReclaimPolicy": sc.get("reclaimPolicy") or "Delete",
            "storageClassName": claim_class(claim),
        }
        if sc.get("mountOptions"):
            volume_spec["mountOptions"] = list(sc["mountOptions"])
        if spec.get("volumeMode"):
            volume_spec["volumeMode"] = spec["volumeMode"]
        volume = {"apiVersion": "v1", "kind": "PersistentVolume",
                  "metadata": {"name": pv_name, "annotations": {
                      IDENTITY_ANNOTATION: self.identity(),
                      ANN_DYNAMICALLY_PROVISIONED: PROVISIONER_NAME}},
                  "spec": volume_spec}
        create_hostpath_storage(self.cluster, self.node_name(), volume_spec["hostPath"]["path"])
        self.api.create(volume)
        self.record(claim, "Normal", "ProvisioningSucceeded",
                    f"Successfully provisioned volume {pv_name}")

    # -- deleting ------------------------------------------------------------------
    def should_delete(self, volume: dict) -> bool:
        """shouldDelete: Released, reclaim policy Delete, provisioned by us, not being deleted."""
        if volume["metadata"].get("deletionTimestamp"):
            return False
        if (volume.get("status") or {}).get("phase") != "Released":
            return False
        if (volume.get("spec") or {}).get("persistentVolumeReclaimPolicy") != "Delete":
            return False
        annotations = volume["metadata"].get("annotations") or {}
        return annotations.get(ANN_DYNAMICALLY_PROVISIONED) == PROVISIONER_NAME

    def delete_volume_operation(self, volume: dict) -> None:
        """Delete: only volumes carrying this provisioner's identity (another run's volumes
        are ignored, as minikube's provisioner does after a restart)."""
        annotations = volume["metadata"].get("annotations") or {}
        if annotations.get(IDENTITY_ANNOTATION) != self.identity():
            return
        path = ((volume.get("spec") or {}).get("hostPath") or {}).get("path")
        if path:
            delete_hostpath_storage(self.cluster, self.node_name(), path)
        self.api.delete("PersistentVolume", volume["metadata"]["name"])
