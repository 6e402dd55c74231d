"""How the PV controller hands a claim to its provisioner (``provisionClaim``).

A claim with a class and no fitting volume goes to whoever provisions that
class (``pv_controller.go``):

- the class does not exist: ``ProvisioningFailed`` ``storageclass.storage.k8s.io
  "fast" not found``;
- an in-tree provisioner (``kubernetes.io/...``): CSI migration (on by default in
  1.32) sends AWS EBS, GCE PD, Azure Disk/File and vSphere classes to their CSI
  driver's provisioner (the claim is also annotated ``pv.kubernetes.io/migrated-to``);
  ``kubernetes.io/host-path`` exists but kube-controller-manager runs without
  ``--enable-hostpath-provisioner`` ("provisioning in volume plugin ... is
  disabled"); any other in-tree name, ``kubernetes.io/no-provisioner`` included,
  has no plugin: "no volume plugin matched name: kubernetes.io/no-provisioner";
- anything else is an external provisioner: the claim is annotated
  ``volume.kubernetes.io/storage-provisioner`` (and the beta twin) with its name,
  and ``ExternalProvisioning`` says the controller waits for it. The annotation
  update makes the controller sync the claim again, so the event is usually
  counted twice (``(x2 over ...)`` in ``describe``), as on a real cluster.
"""
from __future__ import annotations

from kubelearn.controllers.pv_util import (ANN_BETA_STORAGE_PROVISIONER, ANN_MIGRATED_TO,
                                           ANN_STORAGE_PROVISIONER, CSI_MIGRATED_PROVISIONERS,
                                           claim_class)

EXTERNAL_PROVISIONING = ("Waiting for a volume to be created either by the external provisioner "
                         "'{}' or manually by the system administrator. If volume creation is "
                         "delayed, please verify that the provisioner is running and correctly "
                         "registered.")


def provision_claim(ctrl, claim: dict) -> None:
    """provisionClaim: find who provisions the claim's class, and ask."""
    class_name = claim_class(claim)
    sc = ctrl.api.store.get("StorageClass", "", class_name)
    if sc is None:
        ctrl.record(claim, "Warning", "ProvisioningFailed",
                    f'storageclass.storage.k8s.io "{class_name}" not found')
        return
    provisioner = sc.get("provisioner") or ""
    migrated = CSI_MIGRATED_PROVISIONERS.get(provisioner)
    if migrated is None and provisioner == "kubernetes.io/host-path":
        # provisionClaimOperation annotates the claim first, then fails to make a provisioner
        set_claim_provisioner(ctrl, claim, provisioner, None)
        ctrl.record(claim, "Warning", "ProvisioningFailed", "Failed to create provisioner: "
                    'provisioning in volume plugin "kubernetes.io/host-path" is disabled')
        return
    if migrated is None and provisioner.startswith("kubernetes.io/"):
        ctrl.record(claim, "Warning", "ProvisioningFailed",
                    f"no volume plugin matched name: {provisioner}")
        return
    name = migrated or provisioner
    claim = set_claim_provisioner(ctrl, claim, name, migrated)
    ctrl.record(claim, "Normal", "ExternalProvisioning", EXTERNAL_PROVISIONING.format(name))


def set_claim_provisioner(ctrl, claim: dict, provisioner: str, migrated: str | None) -> dict:
    """setClaimProvisioner: the annotations external provisioners wait for."""
    annotations = dict(claim["metadata"].get("annotations") or {})
    if annotations.get(ANN_STORAGE_PROVISIONER) == provisioner:
        return claim
    annotations[ANN_BETA_STORAGE_PROVISIONER] = provisioner
    annotations[ANN_STORAGE_PROVISIONER] = provisioner
    if migrated:
        annotations[ANN_MIGRATED_TO] = migrated
    return ctrl.api.update({**claim, "metadata": {**claim["metadata"],
                                                  "annotations": annotations}})
