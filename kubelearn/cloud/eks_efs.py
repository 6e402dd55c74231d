"""EFS on EKS: the ``efs.csi.aws.com`` driver and the network between nodes and EFS.

The data side is ``kubelearn.node.volumes.EFSCSIDriver``: one shared tree per
file system id, so pods on different nodes see the same files. This module is
what the EKS simulation does around it:

* ``install_efs_csi_driver`` is the ``aws-efs-csi-driver`` add-on as the
  kubelets see it (the node plugin registers ``efs.csi.aws.com``). Before it, a
  pod with an EFS volume waits in ContainerCreating with the kubelet's
  ``driver name efs.csi.aws.com not found in the list of registered CSI drivers``;
* ``set_efs_gate(cluster, gate)``: ``gate(node_name, volume_handle)`` returns
  None when the node reaches the file system (a mount target in its AZ whose
  security group allows TCP 2049 from it) or the mount helper's output
  otherwise (``EFS_TIMED_OUT``, ``efs_dns_failure``). A failed mount is the
  driver's ``rpc error: code = Internal desc = Could not mount "fs-...:/" at
  "/var/lib/kubelet/pods/<uid>/volumes/kubernetes.io~csi/<pv>/mount": mount
  failed: exit status 32`` with the ``Mounting command``, ``Mounting arguments``
  and ``Output`` lines of mount-utils; the pod stays ContainerCreating and the
  kubelet retries with its back-off (0.5 s doubling to 2m2s). When the gate
  lets the mount through, it succeeds at the next retry;
* a ``volumeHandle`` naming a file system that does not exist is the gate's
  call: only the AWS side knows which ``fs-`` ids exist, so a mount the gate
  lets through creates the file system's tree, and the AWS side answers an
  unknown id with ``efs_dns_failure`` (amazon-efs-utils cannot resolve
  ``fs-....efs.<region>.amazonaws.com``). A handle that is not ``fs-...`` fails
  in the driver itself (``InvalidArgument``).
"""
from __future__ import annotations

EFS_TIMED_OUT = "mount.nfs4: Connection timed out"


def install_efs_csi_driver(cluster):
    """What the ``aws-efs-csi-driver`` add-on installs, as far as the kubelets see it: the
    ``efs.csi.aws.com`` node plugin on every node. Returns the driver (its
    ``file_systems`` hold each file system's files)."""
    from kubelearn.node.volumes import EFS_CSI, storage_of

    driver = storage_of(cluster).register_csi_driver(EFS_CSI)
    wake_mount_retries(cluster)
    return driver


def set_efs_gate(cluster, gate) -> None:
    """Let ``gate(node_name, volume_handle) -> str | None`` decide each EFS mount: None
    mounts the file system (creating its tree if new), a string fails the mount with the
    EFS CSI driver's error and that string as the mount helper's output. ``None`` as the
    gate removes it. Pods waiting for a mount retry when the kubelet's back-off says."""
    from kubelearn.node.volumes import EFS_CSI, storage_of

    gates = storage_of(cluster).mount_gates
    if gate is None:
        gates.pop(EFS_CSI, None)
    else:
        gates[EFS_CSI] = gate
    wake_mount_retries(cluster)


def efs_dns_failure(fs_id: str, region: str) -> str:
    """amazon-efs-utils' output when the file system's DNS name does not resolve (no such
    file system, or no mount target in the VPC)."""
    return (f'Failed to resolve "{fs_id}.efs.{region}.amazonaws.com" - check that your file '
            "system ID is correct, and ensure that the VPC has an EFS mount target for this "
            "file system ID.\nSee https://docs.aws.amazon.com/console/efs/mount-dns-name for "
            "more detail.")


def wake_mount_retries(cluster) -> None:
    """Something the mounts depend on changed (a security group rule, a mount target, the
    driver): the next retry of every pod waiting for its volumes becomes foreground work,
    so ``settle()`` waits for it (it still comes when the back-off says)."""
    from kubelearn.node.kubelet import KubeletManager

    for ctrl in cluster.controllers:
        if isinstance(ctrl, KubeletManager):
            for name in sorted(ctrl.kubelets):
                kubelet = ctrl.kubelets[name]
                waits = kubelet.__dict__.get("_mount_waits")
                if not waits:
                    continue
                for worker in list(kubelet.workers.values()):
                    if worker.uid in waits:
                        kubelet._mount_source_changed(worker)
