"""``kubelearn.controllers.attachdetach``: RWO enforced where upstream enforces it, at attach."""
from __future__ import annotations

import pytest

from kubelearn import Cluster
from kubelearn.controllers.attachdetach import unique_volume_name, volume_attached

EBS = "kubernetes.io/csi/ebs.csi.aws.com^vol-0abc"


def volume_and_claim(modes="[ReadWriteOnce]", source="csi: {driver: ebs.csi.aws.com, "
                                                     "volumeHandle: vol-0abc}"):
    return f"""
apiVersion: v1
kind: PersistentVolume
metadata: {{name: disk}}
spec:
  capacity: {{storage: 5Gi}}
  accessModes: {modes}
  storageClassName: ""
  {source}
---
apiVersion: v1
kind: PersistentVolumeClaim
metadata: {{name: data}}
spec:
  storageClassName: ""
  volumeName: disk
  accessModes: [ReadWriteOnce]
  resources: {{requests: {{storage: 5Gi}}}}
"""


def pod(name, node):
    return f"""
apiVersion: v1
kind: Pod
metadata: {{name: {name}}}
spec:
  nodeSelector: {{kubernetes.io/hostname: {node}}}
  containers: [{{name: db, image: nginx}}]
  volumes: [{{name: d, persistentVolumeClaim: {{claimName: data}}}}]
"""


def attached(c, node):
    return [e["name"] for e in c.api.get("Node", node)["status"].get("volumesAttached") or ()]


def events(c, reason):
    return [(e["involvedObject"]["name"], e["message"]) for e in c.api.list("Event", "default")
            if e["reason"] == reason]


def phase(c, name):
    status = c.api.get("Pod", name, "default")["status"]
    waiting = (status.get("containerStatuses") or [{}])[0].get("state", {}).get("waiting") or {}
    return status["phase"], waiting.get("reason", "")


@pytest.fixture
def c():
    cluster = Cluster()
    cluster.storage.register_csi_driver("ebs.csi.aws.com")
    cluster.apply(volume_and_claim())
    cluster.run_now()
    return cluster


def test_an_rwo_disk_attaches_to_the_first_node_and_refuses_the_second(c):
    c.apply(pod("one", "worker-1"))
    c.advance(2)
    assert attached(c, "worker-1") == [EBS]
    assert events(c, "SuccessfulAttachVolume") == [
        ("one", 'AttachVolume.Attach succeeded for volume "disk" ')]
    c.apply(pod("two", "worker-2"))
    c.advance(30)
    assert attached(c, "worker-2") == []
    assert events(c, "FailedAttachVolume") == [
        ("two", 'Multi-Attach error for volume "disk" Volume is already used by pod(s) one')]
    source = [e["source"] for e in c.api.list("Event", "default")
              if e["reason"] == "FailedAttachVolume"]
    assert source == [{"component": "attachdetach-controller"}]


def test_the_second_node_gets_the_disk_once_the_first_pod_is_gone(c):
    c.apply(pod("one", "worker-1") + "---" + pod("two", "worker-2"))
    c.advance(2)
    c.kubectl("delete pod one")
    c.advance(40)
    assert attached(c, "worker-1") == []
    assert attached(c, "worker-2") == [EBS]
    assert [n for n, _ in events(c, "SuccessfulAttachVolume")] == ["one", "two"]


def test_the_kubelet_mounts_only_what_is_attached_to_its_node(c):
    c.apply(pod("one", "worker-1"))
    c.settle()
    c.apply(pod("two", "worker-2"))
    c.settle()
    c.advance(200)
    assert phase(c, "one") == ("Running", "")
    assert phase(c, "two") == ("Pending", "ContainerCreating")
    c.kubectl("delete pod one")
    c.settle()
    assert attached(c, "worker-2") == [EBS]
    assert phase(c, "two") == ("Running", "")


def test_two_pods_on_one_node_share_the_attachment(c):
    c.apply(pod("one", "worker-1") + "---" + pod("two", "worker-1"))
    c.advance(2)
    assert attached(c, "worker-1") == [EBS]
    assert events(c, "FailedAttachVolume") == []


def test_a_read_write_many_volume_attaches_everywhere():
    c = Cluster()
    c.apply(volume_and_claim(modes="[ReadWriteOnce, ReadWriteMany]"))
    c.apply(pod("one", "worker-1") + "---" + pod("two", "worker-2"))
    c.advance(2)
    assert attached(c, "worker-1") == attached(c, "worker-2") == [EBS]


def test_hostpath_and_efs_volumes_never_attach():
    c = Cluster()
    c.apply(volume_and_claim(source="hostPath: {path: /mnt/disk}"))
    c.apply(pod("one", "worker-1") + "---" + pod("two", "worker-2"))
    c.advance(2)
    assert attached(c, "worker-1") == attached(c, "worker-2") == []
    assert events(c, "FailedAttachVolume") == []
    efs = {"spec": {"csi": {"driver": "efs.csi.aws.com", "volumeHandle": "fs-1"}}}
    assert unique_volume_name(efs) is None
    assert volume_attached(c.api, "worker-1", efs)


def test_unique_names_of_attachable_volumes():
    assert unique_volume_name({"spec": {"awsElasticBlockStore": {"volumeID": "vol-9"}}}) == \
        "kubernetes.io/csi/ebs.csi.aws.com^vol-9"
    assert unique_volume_name({"spec": {"csi": {"driver": "example.com/new",
                                                "volumeHandle": "h"}}}) == \
        "kubernetes.io/csi/example.com/new^h"     # no CSIDriver object: attach is required
    assert unique_volume_name({"spec": {"hostPath": {"path": "/x"}}}) is None
