"""``kubectl describe pv|pvc`` and ``get pv`` on volumes the controllers handled.

The expected texts follow real kubectl 1.32 captures line for line: a hostPath
PV whose Delete reclaim failed (``Failed``, the deleter's message, the
VolumeFailedDelete event) and a claim minikube's provisioner served (its four
annotations and the three provisioning events, the provisioner's identity as
the event source).
"""
from __future__ import annotations

from kubelearn import Cluster

FAILED_PV = """\
Name:            pv-hostpath
Labels:          <none>
Annotations:     pv.kubernetes.io/bound-by-controller: yes
Finalizers:      [kubernetes.io/pv-protection]
StorageClass:    
Status:          Failed
Claim:           default/pvc-hostpath
Reclaim Policy:  Delete
Access Modes:    RWO,ROX
VolumeMode:      Filesystem
Capacity:        500Mi
Node Affinity:   <none>
Message:         host_path deleter only supports /tmp/.+ but received provided /var/local/pvdir
Source:
    Type:          HostPath (bare host directory volume)
    Path:          /var/local/pvdir
    HostPathType:  DirectoryOrCreate
Events:
  Type     Reason              Age   From                         Message
  ----     ------              ----  ----                         -------
  Warning  VolumeFailedDelete  20s   persistentvolume-controller  host_path deleter only supports /tmp/.+ but received provided /var/local/pvdir
"""  # noqa: W291

PROVISIONED_PVC = """\
Name:          data
Namespace:     default
StorageClass:  standard
Status:        Bound
Volume:        {pv}
Labels:        <none>
Annotations:   pv.kubernetes.io/bind-completed: yes
               pv.kubernetes.io/bound-by-controller: yes
               volume.beta.kubernetes.io/storage-provisioner: k8s.io/minikube-hostpath
               volume.kubernetes.io/storage-provisioner: k8s.io/minikube-hostpath
Finalizers:    [kubernetes.io/pvc-protection]
Capacity:      4Gi
Access Modes:  RWO
VolumeMode:    Filesystem
Used By:       <none>
Events:
  Type    Reason                 Age   From                                                                    Message
  ----    ------                 ----  ----                                                                    -------
  Normal  ExternalProvisioning   12m   persistentvolume-controller                                             Waiting for a volume to be created either by the external provisioner 'k8s.io/minikube-hostpath' or manually by the system administrator. If volume creation is delayed, please verify that the provisioner is running and correctly registered.
  Normal  Provisioning           12m   {source}  External provisioner is provisioning volume for claim "default/data"
  Normal  ProvisioningSucceeded  12m   {source}  Successfully provisioned volume {pv}
"""

PROVISIONED_PV = """\
Name:            {pv}
Labels:          <none>
Annotations:     hostPathProvisionerIdentity: {identity}
                 pv.kubernetes.io/provisioned-by: k8s.io/minikube-hostpath
Finalizers:      [kubernetes.io/pv-protection]
StorageClass:    standard
Status:          Bound
Claim:           default/data
Reclaim Policy:  Delete
Access Modes:    RWO
VolumeMode:      Filesystem
Capacity:        4Gi
Node Affinity:   <none>
Message:         
Source:
    Type:          HostPath (bare host directory volume)
    Path:          /tmp/hostpath-provisioner/default/data
    HostPathType:  
Events:            <none>
"""  # noqa: W291


def test_describe_a_hostpath_volume_whose_delete_failed():
    c = Cluster()
    c.apply("""
apiVersion: v1
kind: PersistentVolume
metadata: {name: pv-hostpath}
spec:
  capacity: {storage: 500Mi}
  accessModes: [ReadWriteOnce, ReadOnlyMany]
  persistentVolumeReclaimPolicy: Delete
  hostPath: {path: /var/local/pvdir, type: DirectoryOrCreate}
---
apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: pvc-hostpath}
spec:
  accessModes: [ReadWriteOnce]
  resources: {requests: {storage: 500Mi}}
  storageClassName: ""
""")
    c.advance(60)
    c.kubectl("delete pvc pvc-hostpath")
    c.advance(20)
    assert c.kubectl("describe pv pv-hostpath").stdout == FAILED_PV
    assert c.kubectl("get pv").stdout.splitlines()[1].split() == [
        "pv-hostpath", "500Mi", "RWO,ROX", "Delete", "Failed", "default/pvc-hostpath",
        "<unset>", "80s"]


def test_describe_a_claim_and_volume_minikube_provisioned():
    c = Cluster.minikube()
    c.apply("""
apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: data}
spec:
  accessModes: [ReadWriteOnce]
  resources: {requests: {storage: 4Gi}}
""")
    c.advance(12 * 60)
    pv = c.api.get("PersistentVolumeClaim", "data", "default")["spec"]["volumeName"]
    volume = c.api.get("PersistentVolume", pv)
    source = next(e["source"]["component"] for e in c.api.list("Event", "default")
                  if e["reason"] == "ProvisioningSucceeded")
    assert len(source) == len("k8s.io/minikube-hostpath_minikube_") + 36
    assert c.kubectl("describe pvc data").stdout == PROVISIONED_PVC.format(pv=pv, source=source)
    identity = volume["metadata"]["annotations"]["hostPathProvisionerIdentity"]
    assert c.kubectl(f"describe pv {pv}").stdout == PROVISIONED_PV.format(pv=pv,
                                                                        identity=identity)


def test_get_pv_shows_terminating_and_released():
    c = Cluster()
    c.apply("""
apiVersion: v1
kind: PersistentVolume
metadata: {name: keep}
spec:
  capacity: {storage: 1Gi}
  accessModes: [ReadWriteOnce]
  hostPath: {path: /mnt/keep}
---
apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: data}
spec:
  accessModes: [ReadWriteOnce]
  resources: {requests: {storage: 1Gi}}
  storageClassName: ""
""")
    c.kubectl("delete pvc data")
    c.run_now()
    assert c.kubectl("get pv keep").stdout.splitlines()[1].split()[3:6] == [
        "Retain", "Released", "default/data"]
    c.kubectl("delete pv keep --wait=false")
    c.run_now()
    assert c.kubectl("get pv keep").stderr == \
        'Error from server (NotFound): persistentvolumes "keep" not found\n'
