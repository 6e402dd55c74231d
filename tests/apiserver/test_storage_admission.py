"""``kubelearn.apiserver.storage_admission``: DefaultStorageClass, in-use protection, PV status."""
from __future__ import annotations

from kubelearn import Cluster
from kubelearn.apiserver.storage_admission import pv_status_update

CLAIM = """
apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: %s}
spec:
  accessModes: [ReadWriteOnce]
  resources: {requests: {storage: 1Gi}}
"""


def stored(c, name):
    return c.api.get("PersistentVolumeClaim", name, "default")


def test_a_claim_without_class_gets_the_default_class_on_minikube():
    c = Cluster.minikube()
    c.apply(CLAIM % "data")
    assert stored(c, "data")["spec"]["storageClassName"] == "standard"
    # in Go's PersistentVolumeClaimSpec order (-o json shows it): after volumeName
    assert list(stored(c, "data")["spec"]) == ["accessModes", "resources", "volumeName",
                                               "storageClassName", "volumeMode"]


def test_an_explicit_empty_class_is_kept():
    c = Cluster.minikube()
    c.apply(CLAIM % "data" + "  storageClassName: \"\"\n")
    assert stored(c, "data")["spec"]["storageClassName"] == ""
    assert stored(c, "data")["status"] == {"phase": "Pending"}


def test_no_default_class_no_class_and_dry_run_server_shows_the_default():
    k = Cluster()
    k.apply(CLAIM % "data")
    assert "storageClassName" not in stored(k, "data")["spec"]
    m = Cluster.minikube()
    out = m.kubectl("apply --dry-run=server -o jsonpath={.spec.storageClassName} -f -",
                    stdin=CLAIM % "dry")
    assert out.stdout == "standard"
    assert m.api.store.get("PersistentVolumeClaim", "default", "dry") is None


def test_the_newest_default_class_wins():
    c = Cluster.minikube()
    c.advance(10)
    c.apply("""
apiVersion: storage.k8s.io/v1
kind: StorageClass
metadata:
  name: fast
  annotations: {storageclass.kubernetes.io/is-default-class: "true"}
provisioner: k8s.io/minikube-hostpath
""")
    assert "fast (default)" in c.kubectl("get sc").stdout
    c.apply(CLAIM % "data")
    assert stored(c, "data")["spec"]["storageClassName"] == "fast"


def test_new_claims_and_volumes_get_the_protection_finalizers():
    c = Cluster()
    c.apply(CLAIM % "data")
    assert stored(c, "data")["metadata"]["finalizers"] == ["kubernetes.io/pvc-protection"]
    c.apply("""
apiVersion: v1
kind: PersistentVolume
metadata: {name: v, finalizers: [example.com/keep]}
spec:
  capacity: {storage: 1Gi}
  accessModes: [ReadWriteOnce]
  hostPath: {path: /mnt/v}
""")
    assert c.api.get("PersistentVolume", "v")["metadata"]["finalizers"] == [
        "example.com/keep", "kubernetes.io/pv-protection"]


def test_a_pv_status_update_stamps_the_phase_transition_time_only_on_a_change():
    old = {"phase": "Available", "lastPhaseTransitionTime": "2025-06-02T09:00:00Z"}
    assert pv_status_update(old, {"phase": "Available"}, 30) == old
    assert pv_status_update(old, {"phase": "Bound"}, 30) == {
        "phase": "Bound", "lastPhaseTransitionTime": "2025-06-02T09:00:30Z"}
    own = {"phase": "Bound", "lastPhaseTransitionTime": "2025-06-02T09:00:07Z"}
    assert pv_status_update(old, own, 30) == own


RECYCLE_PV = """
apiVersion: v1
kind: PersistentVolume
metadata: {name: safari-pv}
spec:
  capacity: {storage: 2Gi}
  accessModes: [ReadWriteOnce]
  hostPath: {path: /Volumes/Data}
  persistentVolumeReclaimPolicy: %s
  storageClassName: ""
"""


def test_apply_prints_the_recycle_deprecation_warning_before_its_result():
    c = Cluster()
    r = c.apply(RECYCLE_PV % "Recycle")
    assert str(r) == (
        "Warning: spec.persistentVolumeReclaimPolicy: The Recycle reclaim policy is deprecated. "
        "Instead, the recommended approach is to use dynamic provisioning.\n"
        "persistentvolume/safari-pv created")
    assert c.apply((RECYCLE_PV % "Recycle").replace("2Gi", "3Gi")).stderr.startswith("Warning:")
    assert c.apply((RECYCLE_PV % "Retain")).stderr == ""
    assert c.api.pop_warnings() == []
