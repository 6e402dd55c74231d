"""``kubelearn.controllers.scheduler_volumes``: VolumeRestrictions and VolumeBinding.

The FailedScheduling messages are upstream's FitError text; the PreFilter ones
rule out every node at once, so preemption says it cannot help.
"""
from __future__ import annotations

from kubelearn import Cluster
from kubelearn.controllers.scheduler import Scheduler
from kubelearn.controllers.scheduler_framework import NodeInfo
from kubelearn.controllers.scheduler_volumes import PodVolumes, VolumeBinding

NOT_HELPFUL = "preemption: 0/{n} nodes are available: {n} Preemption is not helpful for scheduling."


def pod(name="web", claim="data", extra=""):
    return f"""
apiVersion: v1
kind: Pod
metadata: {{name: {name}}}
spec:{extra}
  containers: [{{name: web, image: nginx}}]
  volumes: [{{name: d, persistentVolumeClaim: {{claimName: {claim}}}}}]
"""


def claim(name="data", sc=None, modes="[ReadWriteOnce]", size="1Gi"):
    line = "" if sc is None else f"\n  storageClassName: \"{sc}\""
    return f"""
apiVersion: v1
kind: PersistentVolumeClaim
metadata: {{name: {name}}}
spec:{line}
  accessModes: {modes}
  resources: {{requests: {{storage: {size}}}}}
"""


def local_pv(name, node, sc="local-storage", size="5Gi"):
    return f"""
apiVersion: v1
kind: PersistentVolume
metadata: {{name: {name}}}
spec:
  capacity: {{storage: {size}}}
  accessModes: [ReadWriteOnce]
  storageClassName: {sc}
  local: {{path: /mnt/disks/{name}}}
  nodeAffinity:
    required:
      nodeSelectorTerms:
      - matchExpressions: [{{key: kubernetes.io/hostname, operator: In, values: [{node}]}}]
"""


LOCAL_CLASS = """
apiVersion: storage.k8s.io/v1
kind: StorageClass
metadata: {name: local-storage}
provisioner: kubernetes.io/no-provisioner
volumeBindingMode: WaitForFirstConsumer
"""


def failed_scheduling(c, name="web"):
    return [e["message"] for e in c.api.list("Event", "default")
            if e["involvedObject"]["name"] == name and e["reason"] == "FailedScheduling"]


def node_of(c, name="web"):
    return c.api.get("Pod", name, "default")["spec"].get("nodeName")


def test_a_missing_claim_stops_the_pod_until_it_is_created():
    c = Cluster.minikube()
    c.apply(pod())
    assert failed_scheduling(c) == [
        '0/1 nodes are available: persistentvolumeclaim "data" not found. '
        + NOT_HELPFUL.format(n=1)]
    c.apply(claim())
    c.advance(1)
    assert node_of(c) == "minikube"


def test_a_missing_claim_on_a_three_node_cluster():
    c = Cluster()
    c.apply(pod())
    assert failed_scheduling(c) == [
        '0/3 nodes are available: persistentvolumeclaim "data" not found. '
        + NOT_HELPFUL.format(n=3)]


def test_an_unbound_immediate_claim_stops_the_pod():
    c = Cluster()
    c.apply(claim(sc="") + "---" + pod())
    c.advance(5)
    assert node_of(c) is None
    assert failed_scheduling(c)[0] == ("0/3 nodes are available: pod has unbound immediate "
                                       "PersistentVolumeClaims. " + NOT_HELPFUL.format(n=3))
    c.apply("""
apiVersion: v1
kind: PersistentVolume
metadata: {name: v}
spec:
  capacity: {storage: 1Gi}
  accessModes: [ReadWriteOnce]
  hostPath: {path: /mnt/v}
""")
    c.advance(16)                 # the claim binds at the PV controller's resync, then the pod
    assert node_of(c) in ("worker-1", "worker-2")


def test_a_claim_being_deleted_stops_new_pods():
    c = Cluster.minikube()
    c.apply(claim() + "---" + pod("first"))
    c.advance(10)
    c.kubectl("delete pvc data --wait=false")
    c.apply(pod("second"))
    assert failed_scheduling(c, "second") == [
        '0/1 nodes are available: persistentvolumeclaim "data" is being deleted. '
        + NOT_HELPFUL.format(n=1)]


def test_volume_node_affinity_pins_the_pod_to_the_volume_node():
    c = Cluster()
    c.apply(LOCAL_CLASS + "---" + local_pv("disk-1", "worker-2") + "---"
            + claim(sc="local-storage") + "---"
            + pod(extra="\n  nodeSelector: {kubernetes.io/hostname: worker-1}"))
    c.advance(2)
    assert node_of(c) is None
    assert failed_scheduling(c)[-1] == (
        "0/3 nodes are available: 1 node(s) didn't find available persistent volumes to bind, "
        "1 node(s) didn't match Pod's node affinity/selector, 1 node(s) had untolerated taint "
        "{node-role.kubernetes.io/control-plane: }. " + NOT_HELPFUL.format(n=3))
    c.apply(pod("free"))
    c.advance(2)
    assert node_of(c, "free") == "worker-2"
    volume = c.api.get("PersistentVolume", "disk-1")
    assert volume["spec"]["claimRef"]["name"] == "data"
    assert volume["metadata"]["annotations"]["pv.kubernetes.io/bound-by-controller"] == "yes"
    assert c.api.get("PersistentVolumeClaim", "data", "default")["status"]["phase"] == "Bound"
    # now bound: the claim's volume is on worker-2, so a pod pinned elsewhere conflicts
    c.kubectl("delete pod web")
    c.apply(pod("pinned", extra="\n  nodeSelector: {kubernetes.io/hostname: worker-1}"))
    c.advance(2)
    assert failed_scheduling(c, "pinned")[-1] == (
        "0/3 nodes are available: 1 node(s) didn't match Pod's node affinity/selector, "
        "1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, "
        "1 node(s) had volume node affinity conflict. " + NOT_HELPFUL.format(n=3))


def test_wait_for_first_consumer_without_a_matching_volume_cannot_be_placed():
    c = Cluster()
    c.apply(LOCAL_CLASS + "---" + claim(sc="local-storage") + "---" + pod())
    c.advance(2)
    assert failed_scheduling(c)[-1] == (
        "0/3 nodes are available: 1 node(s) had untolerated taint "
        "{node-role.kubernetes.io/control-plane: }, 2 node(s) didn't find available persistent "
        "volumes to bind. " + NOT_HELPFUL.format(n=3))
    described = c.kubectl("describe pvc data").stdout
    assert "WaitForFirstConsumer" in described or "WaitForPodScheduled" in described


def test_wait_for_first_consumer_provisions_on_the_chosen_node():
    c = Cluster.minikube()
    c.apply("""
apiVersion: storage.k8s.io/v1
kind: StorageClass
metadata: {name: later}
provisioner: k8s.io/minikube-hostpath
volumeBindingMode: WaitForFirstConsumer
""" + "---" + claim(sc="later"))
    c.advance(1)
    assert c.kubectl("get pvc data").stdout.splitlines()[1].split()[1] == "Pending"
    reasons = [e["reason"] for e in c.api.list("Event", "default")]
    assert reasons == ["WaitForFirstConsumer"]
    c.apply(pod())
    annotations = c.api.get("PersistentVolumeClaim", "data", "default")["metadata"]["annotations"]
    assert annotations["volume.kubernetes.io/selected-node"] == "minikube"
    assert node_of(c) is None                   # PreBind waits for the claim to be bound
    c.advance(1)
    assert node_of(c) == "minikube"
    assert failed_scheduling(c) == []


def test_a_claim_nobody_provisions_times_out_in_prebind():
    c = Cluster()
    c.apply("""
apiVersion: storage.k8s.io/v1
kind: StorageClass
metadata: {name: later}
provisioner: example.com/nobody
volumeBindingMode: WaitForFirstConsumer
""" + "---" + claim(sc="later") + "---" + pod())
    c.advance(599)
    assert node_of(c) is None and failed_scheduling(c) == []
    c.advance(2)
    assert failed_scheduling(c)[0] == ('running PreBind plugin "VolumeBinding": binding volumes: '
                                       'context deadline exceeded')


def test_read_write_once_pod_allows_one_pod():
    c = Cluster.minikube()
    c.apply(claim(modes="[ReadWriteOncePod]") + "---" + pod("one"))
    c.advance(5)
    assert node_of(c, "one") == "minikube"
    c.apply(pod("two"))
    assert failed_scheduling(c, "two") == [
        "0/1 nodes are available: 1 node has pod using PersistentVolumeClaim with the same name "
        "and ReadWriteOncePod access mode. preemption: 0/1 nodes are available: 1 No preemption "
        "victims found for incoming pod."]


def test_read_write_once_is_no_scheduling_constraint_for_hostpath_volumes():
    c = Cluster()
    c.apply(claim(sc="") + """---
apiVersion: v1
kind: PersistentVolume
metadata: {name: v}
spec:
  capacity: {storage: 1Gi}
  accessModes: [ReadWriteOnce]
  hostPath: {path: /mnt/v}
""")
    c.advance(16)
    c.apply(pod("a", extra="\n  nodeSelector: {kubernetes.io/hostname: worker-1}") + "---"
            + pod("b", extra="\n  nodeSelector: {kubernetes.io/hostname: worker-2}"))
    c.advance(30)
    assert (node_of(c, "a"), node_of(c, "b")) == ("worker-1", "worker-2")
    assert c.api.get("Pod", "b", "default")["status"]["phase"] == "Running"


def test_a_bound_claim_whose_volume_is_missing_fits_no_node():
    plugin = VolumeBinding(api=None)
    info = NodeInfo({"metadata": {"name": "n1", "labels": {}}, "status": {}})
    state = {"volume_binding": PodVolumes(bound=[({"metadata": {"name": "c"}}, None)],
                                          delayed=[])}
    status = plugin.filter(state, {}, info)
    assert status.reasons == ("node(s) unavailable due to one or more pvc(s) bound to "
                              "non-existent pv(s)",)
    assert plugin.filter({}, {}, info) is None


def test_prebind_has_work_only_for_pods_whose_claims_wait():
    c = Cluster.minikube()
    c.apply("""
apiVersion: storage.k8s.io/v1
kind: StorageClass
metadata: {name: later}
provisioner: k8s.io/minikube-hostpath
volumeBindingMode: WaitForFirstConsumer
""" + "---" + claim(sc="later") + "---" + pod())
    c.kubectl("run plain --image=nginx:1.25")
    binding = next(x for x in c.controllers if isinstance(x, Scheduler)).volume_binding
    assert binding.binds(("default", "web"))          # waiting for its claim to be bound
    assert not binding.binds(("default", "plain"))    # no claims: PreBind would say go
    c.advance(1)
    assert node_of(c) == "minikube" and not binding.binds(("default", "web"))
