"""``kubelearn.controllers.pvprotection``: a claim in use, or a bound volume, is not deleted.

Admission puts the finalizers on; deleting marks the object ``Terminating``;
the protection controllers take the finalizer off once nothing uses it.
"""
from __future__ import annotations

from kubelearn import Cluster
from kubelearn.controllers.pvprotection import PVCProtectionController, PVProtectionController

CLAIM = """
apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: data}
spec:
  accessModes: [ReadWriteOnce]
  resources: {requests: {storage: 1Gi}}
"""
POD = """
apiVersion: v1
kind: Pod
metadata: {name: web}
spec:
  containers: [{name: web, image: nginx}]
  volumes: [{name: d, persistentVolumeClaim: {claimName: data}}]
"""


def status_of(c, kind, name):
    """The STATUS column of ``kubectl get``, or kubectl's error."""
    out = c.kubectl(f"get {kind} {name}")
    if out.exit_code:
        return out.stderr.strip()
    header, row = out.stdout.splitlines()
    return row[header.index("STATUS"):].split()[0]


def test_admission_puts_the_finalizers_on(mini):
    c = mini([])
    claim = c.create({"apiVersion": "v1", "kind": "PersistentVolumeClaim",
                      "metadata": {"name": "c", "namespace": "default"},
                      "spec": {"accessModes": ["ReadWriteOnce"],
                               "resources": {"requests": {"storage": "1Gi"}}}})
    volume = c.create({"apiVersion": "v1", "kind": "PersistentVolume", "metadata": {"name": "v"},
                       "spec": {"capacity": {"storage": "1Gi"}, "accessModes": ["ReadWriteOnce"],
                                "hostPath": {"path": "/x"}}})
    assert claim["metadata"]["finalizers"] == ["kubernetes.io/pvc-protection"]
    assert volume["metadata"]["finalizers"] == ["kubernetes.io/pv-protection"]


def test_the_controllers_put_a_missing_finalizer_back(mini):
    c = mini([PVCProtectionController, PVProtectionController])
    c.create({"apiVersion": "v1", "kind": "PersistentVolume", "metadata": {"name": "v"},
              "spec": {"capacity": {"storage": "1Gi"}, "accessModes": ["ReadWriteOnce"],
                       "hostPath": {"path": "/x"}}})
    c.api.write_metadata(c.api.get("PersistentVolume", "v"), {"name": "v"})
    c.run_now()
    assert c.api.get("PersistentVolume", "v")["metadata"]["finalizers"] == [
        "kubernetes.io/pv-protection"]


def test_a_claim_in_use_stays_terminating_until_its_pod_is_gone():
    c = Cluster.minikube()
    c.apply(CLAIM + "---" + POD)
    c.advance(20)
    assert status_of(c, "pod", "web") == "Running"
    c.kubectl("delete pvc data --wait=false")
    c.advance(60)
    assert status_of(c, "pvc", "data") == "Terminating"
    described = c.kubectl("describe pvc data").stdout
    assert "Status:        Terminating (lasts 60s)" in described
    assert "Used By:       web" in described
    assert status_of(c, "pv", c.api.get("PersistentVolumeClaim", "data",
                                        "default")["spec"]["volumeName"]) == "Bound"
    c.kubectl("delete pod web")
    c.advance(40)
    assert status_of(c, "pvc", "data") == ('Error from server (NotFound): '
                                           'persistentvolumeclaims "data" not found')
    assert c.kubectl("get pv").stderr == "No resources found\n"    # Delete policy: gone


def test_an_unscheduled_pod_does_not_hold_a_claim():
    c = Cluster.minikube()
    c.apply(CLAIM + "---" + POD.replace("containers:", "nodeSelector: {disk: none}\n  containers:"))
    c.advance(5)
    assert status_of(c, "pod", "web") == "Pending"
    c.kubectl("delete pvc data --wait=false")
    c.run_now()
    assert c.api.store.get("PersistentVolumeClaim", "default", "data") is None


def test_a_bound_volume_stays_terminating_until_released():
    c = Cluster()
    c.apply("""
apiVersion: v1
kind: PersistentVolume
metadata: {name: v}
spec:
  capacity: {storage: 1Gi}
  accessModes: [ReadWriteOnce]
  hostPath: {path: /mnt/v}
---
apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: data}
spec:
  storageClassName: ""
  accessModes: [ReadWriteOnce]
  resources: {requests: {storage: 1Gi}}
""")
    assert status_of(c, "pv", "v") == "Bound"
    c.kubectl("delete pv v --wait=false")
    c.advance(30)
    assert status_of(c, "pv", "v") == "Terminating"
    c.kubectl("delete pvc data")
    c.run_now()
    assert c.api.store.get("PersistentVolume", "", "v") is None
