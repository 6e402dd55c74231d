"""``kubelearn.controllers.hostpath_provisioner``: minikube's storage-provisioner."""
from __future__ import annotations

from kubelearn import Cluster
from kubelearn.node.volumes import storage_of

CLAIM = """
apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: %s}
spec:
  accessModes: [ReadWriteOnce]
  resources: {requests: {storage: 2Gi}}
"""


def volume_for(c, claim):
    name = c.api.get("PersistentVolumeClaim", claim, "default")["spec"].get("volumeName")
    return c.api.get("PersistentVolume", name) if name else None


def test_the_volume_is_a_directory_on_the_node_named_after_the_claim():
    c = Cluster.minikube()
    c.apply(CLAIM % "data")
    volume = volume_for(c, "data")
    assert volume["metadata"]["name"] == "pvc-" + c.api.get(
        "PersistentVolumeClaim", "data", "default")["metadata"]["uid"]
    assert storage_of(c).disk("minikube").kind("/tmp/hostpath-provisioner/default/data") == "dir"
    assert set(volume["metadata"]["annotations"]) == {"hostPathProvisionerIdentity",
                                                      "pv.kubernetes.io/provisioned-by"}
    assert volume["spec"]["claimRef"]["name"] == "data"


def test_deleting_the_claim_deletes_the_volume_and_its_data():
    c = Cluster.minikube()
    c.apply(CLAIM % "data")
    disk = storage_of(c).disk("minikube")
    disk.write("/tmp/hostpath-provisioner/default/data/story.txt", "once upon a time")
    name = volume_for(c, "data")["metadata"]["name"]
    assert c.kubectl("delete pvc data").stdout == 'persistentvolumeclaim "data" deleted\n'
    c.run_now()
    assert c.api.store.get("PersistentVolume", "", name) is None
    assert disk.kind("/tmp/hostpath-provisioner/default/data") is None
    assert disk.kind("/tmp/hostpath-provisioner/default") == "dir"


def test_retain_class_keeps_the_volume_released_with_its_data():
    c = Cluster.minikube()
    c.apply("""
apiVersion: storage.k8s.io/v1
kind: StorageClass
metadata: {name: keep}
provisioner: k8s.io/minikube-hostpath
reclaimPolicy: Retain
""" + "---" + CLAIM % "data" + "  storageClassName: keep\n")
    volume = volume_for(c, "data")
    assert volume["spec"]["persistentVolumeReclaimPolicy"] == "Retain"
    storage_of(c).disk("minikube").write("/tmp/hostpath-provisioner/default/data/x", "kept")
    c.kubectl("delete pvc data")
    c.run_now()
    volume = c.api.get("PersistentVolume", volume["metadata"]["name"])
    assert volume["status"]["phase"] == "Released"
    assert storage_of(c).disk("minikube").read("/tmp/hostpath-provisioner/default/data/x") == \
        "kept"


def test_without_its_pod_nothing_is_provisioned():
    c = Cluster.minikube()
    c.kubectl("delete pod storage-provisioner -n kube-system")
    c.advance(40)
    c.apply(CLAIM % "data")
    c.advance(60)
    assert volume_for(c, "data") is None
    described = c.kubectl("describe pvc data").stdout
    assert "ExternalProvisioning" in described and "ProvisioningSucceeded" not in described


def test_a_kubeadm_cluster_has_no_minikube_provisioner():
    c = Cluster()
    c.apply("""
apiVersion: storage.k8s.io/v1
kind: StorageClass
metadata: {name: standard}
provisioner: k8s.io/minikube-hostpath
""" + "---" + CLAIM % "data" + "  storageClassName: standard\n")
    c.advance(30)
    assert volume_for(c, "data") is None
