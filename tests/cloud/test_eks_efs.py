"""``kubelearn.cloud.eks_efs``: EFS behind ``efs.csi.aws.com`` — shared across nodes, the
driver's errors, and the gate through which the AWS side decides each mount."""
from __future__ import annotations

from kubelearn.cloud import eks
from tests.cloud.conftest import NODE_A, NODE_B


EFS = """
apiVersion: v1
kind: PersistentVolume
metadata: {name: efs-pv}
spec:
  capacity: {storage: 5Gi}
  volumeMode: Filesystem
  accessModes: [ReadWriteMany]
  persistentVolumeReclaimPolicy: Retain
  storageClassName: efs-sc
  csi: {driver: efs.csi.aws.com, volumeHandle: HANDLE}
---
apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: efs-claim}
spec:
  accessModes: [ReadWriteMany]
  storageClassName: efs-sc
  resources: {requests: {storage: 5Gi}}
"""

POD = """
apiVersion: v1
kind: Pod
metadata: {name: NAME}
spec:
  nodeName: NODE
  containers:
  - name: app
    image: busybox:1.36
    command: [sh, -c, "sleep 3600"]
    volumeMounts: [{name: data, mountPath: /data}]
  volumes: [{name: data, persistentVolumeClaim: {claimName: efs-claim}}]
"""


# -- EFS -----------------------------------------------------------------------------------------
def efs_pods(c, handle="fs-0123456789abcdef0"):
    c.apply(EFS.replace("HANDLE", handle))
    for name, node in (("app1", NODE_A), ("app2", NODE_B)):
        c.apply(POD.replace("NAME", name).replace("NODE", node))


def test_without_the_csi_driver_the_mount_fails_as_the_kubelet_says(eks_two_nodes):
    c = eks_two_nodes
    efs_pods(c)
    c.settle()
    assert c.get("pod", "app1").status.containerStatuses[0].state.waiting.reason == \
        "ContainerCreating"
    events = c.kubectl("describe pod app1").stdout
    assert ('MountVolume.MountDevice failed for volume "efs-pv" : kubernetes.io/csi: '
            "attacher.MountDevice failed to create newCsiDriverClient: driver name "
            "efs.csi.aws.com not found in the list of registered CSI drivers") in events


def test_two_pods_on_two_nodes_share_one_efs_file_system(eks_two_nodes):
    c = eks_two_nodes
    eks.install_efs_csi_driver(c)
    efs_pods(c)
    c.settle()
    assert c.get("pod", "app1").status.phase == "Running"
    assert c.get("pod", "app2").status.phase == "Running"
    assert c.get("pod", "app1").spec.nodeName != c.get("pod", "app2").spec.nodeName
    assert c.kubectl("exec app1 -- sh -c 'echo shared story > /data/story.txt'").exit_code == 0
    assert c.kubectl("exec app2 -- cat /data/story.txt").stdout == "shared story\n"


def test_a_closed_gate_keeps_the_pod_creating_with_the_drivers_error_until_it_opens(eks_two_nodes):
    c = eks_two_nodes
    eks.install_efs_csi_driver(c)
    blocked = {NODE_B}
    asked = []

    def gate(node, handle):
        asked.append((node, handle))
        return eks.EFS_TIMED_OUT if node in blocked else None

    eks.set_efs_gate(c, gate)
    efs_pods(c)
    c.advance(120)
    assert c.get("pod", "app1").status.phase == "Running"
    app2 = c.get("pod", "app2")
    assert app2.status.phase == "Pending"
    assert app2.status.containerStatuses[0].state.waiting.reason == "ContainerCreating"
    uid = app2.metadata.uid
    target = f"/var/lib/kubelet/pods/{uid}/volumes/kubernetes.io~csi/efs-pv/mount"
    message = (f'MountVolume.SetUp failed for volume "efs-pv" : rpc error: code = Internal '
               f'desc = Could not mount "fs-0123456789abcdef0:/" at "{target}": mount failed: '
               f"exit status 32\nMounting command: mount\nMounting arguments: -t efs -o tls "
               f"fs-0123456789abcdef0:/ {target}\nOutput: mount.nfs4: Connection timed out")
    failed = [e for e in c.api.list("Event", "default")
              if e["reason"] == "FailedMount" and e["involvedObject"]["name"] == "app2"]
    assert [e["message"] for e in failed] == [message]
    assert failed[0]["type"] == "Warning" and failed[0]["count"] > 2     # retried, backing off
    assert (NODE_B, "fs-0123456789abcdef0") in asked
    blocked.clear()
    eks.set_efs_gate(c, gate)            # the AWS side: the NFS rule was added
    report = c.settle()
    assert report.settled
    assert c.get("pod", "app2").status.phase == "Running"


def test_an_unknown_file_system_is_the_gates_call(eks_two_nodes):
    c = eks_two_nodes
    eks.install_efs_csi_driver(c)
    known = {"fs-0123456789abcdef0"}
    eks.set_efs_gate(c, lambda node, handle: None if handle.split(":")[0] in known
                     else eks.efs_dns_failure(handle.split(":")[0], "us-east-2"))
    efs_pods(c, handle="fs-0badbadbadbadbad0::fsap-0aaaaaaaaaaaaaaa1")
    c.advance(30)
    events = c.kubectl("describe pod app1").stdout
    assert ("-t efs -o accesspoint=fsap-0aaaaaaaaaaaaaaa1,tls fs-0badbadbadbadbad0:/ "
            in events)
    assert ('Output: Failed to resolve "fs-0badbadbadbadbad0.efs.us-east-2.amazonaws.com" - '
            "check that your file system ID is correct") in events


def test_a_volume_handle_that_is_not_a_file_system_id_is_invalid(eks_two_nodes):
    c = eks_two_nodes
    eks.install_efs_csi_driver(c)
    efs_pods(c, handle="vol-12345")
    c.advance(5)
    assert ("rpc error: code = InvalidArgument desc = volume ID 'vol-12345' is invalid: "
            "Expected a file system ID of the form 'fs-...'") in c.kubectl(
                "describe pod app1").stdout
