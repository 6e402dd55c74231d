"""The storage view: Pod -> volume -> PVC -> PV -> backing storage, and StorageClasses."""
import pytest

from kubelearn import Cluster
from kubelearn.viz.common import PENDING_COLOUR
from kubelearn.viz.storage import MAX_PODS_PER_OWNER, storage_diagram

STATIC = """
apiVersion: v1
kind: PersistentVolume
metadata: {name: my-pv}
spec:
  capacity: {storage: 4Gi}
  volumeMode: Filesystem
  storageClassName: standard
  accessModes: [ReadWriteOnce]
  hostPath: {path: /data, type: DirectoryOrCreate}
---
apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: my-pv-claim}
spec:
  volumeName: my-pv
  accessModes: [ReadWriteOnce]
  storageClassName: standard
  resources: {requests: {storage: 1Gi}}
---
apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: waiting}
spec:
  volumeName: no-such-pv
  accessModes: [ReadWriteOnce]
  storageClassName: standard
  resources: {requests: {storage: 1Gi}}
---
apiVersion: v1
kind: Pod
metadata: {name: story}
spec:
  containers:
  - name: story
    image: kubelearn/story:1
    volumeMounts:
    - {mountPath: /app/story, name: my-persistent-volume}
    - {mountPath: /tmp/cache, name: cache}
    - {mountPath: /etc/secret, name: secret-volume, readOnly: true}
    - {mountPath: /etc/settings, name: settings}
  volumes:
  - {name: my-persistent-volume, persistentVolumeClaim: {claimName: my-pv-claim}}
  - {name: cache, emptyDir: {}}
  - {name: secret-volume, secret: {secretName: story-secret}}
  - {name: settings, configMap: {name: no-such-config}}
---
apiVersion: v1
kind: Secret
metadata: {name: story-secret}
stringData: {password: once-upon-a-time}
"""


@pytest.fixture(scope="module")
def c():
    cluster = Cluster()
    cluster.apply(STATIC)
    cluster.settle()
    return cluster


def test_a_claim_bound_to_a_volume_and_one_pending(c, dot):
    d = dot(str(storage_diagram(c)))
    assert d.label("PersistentVolumeClaim/default/my-pv-claim") == \
        "my-pv-claim\nPVC · Bound · 4Gi RWO\nclass standard"
    assert d.edges[("PersistentVolumeClaim/default/my-pv-claim", "PersistentVolume/my-pv")] == \
        "[label=bound]"
    assert d.label("PersistentVolume/my-pv") == "my-pv\nPV · Bound · 4Gi RWO\nreclaim Retain"
    assert d.box["PersistentVolume/my-pv"] == ""                    # cluster-scoped: outside the namespace
    assert ("PersistentVolume/my-pv", "hostPath:/data") in d.edges
    assert d.label("hostPath:/data") == "hostPath\n/data"
    assert "shape=cylinder" in d.nodes["hostPath:/data"]

    assert d.label("PersistentVolumeClaim/default/waiting") == \
        "waiting\nPVC · Pending · 1Gi RWO\nclass standard\nwaits for volume no-such-pv (not found)"
    assert f'fillcolor="{PENDING_COLOUR}"' in d.nodes["PersistentVolumeClaim/default/waiting"]
    assert d.label("PersistentVolume/no-such-pv") == "PersistentVolume no-such-pv\nnot found"
    assert "dashed" in d.edges[("PersistentVolumeClaim/default/waiting", "PersistentVolume/no-such-pv")]


def test_a_pods_volumes_and_what_backs_them(c, dot):
    d = dot(str(storage_diagram(c)))
    assert d.box_label("cluster_pod_default_story").startswith("Pod story\n0/1 ContainerCreating · worker-")
    for volume in ("my-persistent-volume", "cache", "secret-volume", "settings"):
        assert d.box[f"volume/default/story/{volume}"] == "cluster_pod_default_story"
    assert d.label("volume/default/story/cache") == \
        "cache · emptyDir, deleted with the pod\nstory: /tmp/cache"
    assert d.label("volume/default/story/secret-volume") == \
        "secret-volume · secret\nstory: /etc/secret (read-only)"
    assert ("volume/default/story/my-persistent-volume",
            "PersistentVolumeClaim/default/my-pv-claim") in d.edges
    assert ("volume/default/story/secret-volume", "Secret/default/story-secret") in d.edges
    assert d.label("Secret/default/story-secret") == "Secret story-secret"
    assert d.label("ConfigMap/default/no-such-config") == "ConfigMap no-such-config\nnot found"
    assert "dashed" in d.nodes["ConfigMap/default/no-such-config"]
    # the service-account token every pod gets is left out
    assert not [n for n in d.nodes if "kube-api-access" in n]


def test_host_path_is_per_node(dot):
    """Chapter 3: pods on worker-1 share /data; a pod on worker-2 sees another /data."""
    c = Cluster()
    for name, node in (("writer", "worker-1"), ("reader", "worker-2"), ("writer2", "worker-1")):
        c.apply(f"""
apiVersion: v1
kind: Pod
metadata: {{name: {name}}}
spec:
  nodeName: {node}
  containers:
  - {{name: story, image: kubelearn/story:1, volumeMounts: [{{mountPath: /app/story, name: v}}]}}
  volumes:
  - {{name: v, hostPath: {{path: /data, type: DirectoryOrCreate}}}}
""")
    c.settle()
    d = dot(str(storage_diagram(c)))
    assert d.edges.keys() >= {("volume/default/writer/v", "hostPath:worker-1:/data"),
                              ("volume/default/writer2/v", "hostPath:worker-1:/data"),
                              ("volume/default/reader/v", "hostPath:worker-2:/data")}
    assert d.label("hostPath:worker-2:/data") == "/data\non node worker-2"


def test_dynamic_provisioning_on_minikube(dot):
    m = Cluster.minikube()
    m.apply("""
apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: story-claim}
spec:
  accessModes: [ReadWriteOnce]
  resources: {requests: {storage: 1Gi}}
""")
    m.settle()
    pv = m.api.get("PersistentVolumeClaim", "story-claim", "default")["spec"]["volumeName"]
    d = dot(str(storage_diagram(m)))
    assert ("PersistentVolumeClaim/default/story-claim", f"PersistentVolume/{pv}") in d.edges
    assert d.label("StorageClass/standard") == \
        "standard (default)\nStorageClass · k8s.io/minikube-hostpath\nDelete · Immediate"
    assert "dashed" in d.edges[(f"PersistentVolume/{pv}", "StorageClass/standard")]
    assert d.label("hostPath:/tmp/hostpath-provisioner/default/story-claim") == \
        "hostPath\n/tmp/hostpath-provisioner/default/story-claim"


def test_a_claim_waiting_for_a_class_that_does_not_exist(dot):
    c = Cluster()
    c.apply("""
apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: fast}
spec:
  storageClassName: fast
  accessModes: [ReadWriteOnce]
  resources: {requests: {storage: 1Gi}}
""")
    c.settle()
    d = dot(str(storage_diagram(c)))
    assert d.label("PersistentVolumeClaim/default/fast").endswith("StorageClass fast does not exist")
    assert d.label("StorageClass/fast") == "StorageClass fast\nnot found"
    assert ("PersistentVolumeClaim/default/fast", "StorageClass/fast") in d.edges


def test_a_csi_volume_shows_its_driver_and_handle(dot):
    c = Cluster()
    c.apply("""
apiVersion: v1
kind: PersistentVolume
metadata: {name: efs-pv}
spec:
  capacity: {storage: 5Gi}
  accessModes: [ReadWriteMany]
  persistentVolumeReclaimPolicy: Retain
  storageClassName: ""
  csi: {driver: efs.csi.aws.com, volumeHandle: fs-0123456789abcdef0}
""")
    c.settle()
    d = dot(str(storage_diagram(c)))
    handle = "csi/efs.csi.aws.com/fs-0123456789abcdef0"
    assert d.label(handle) == "CSI efs.csi.aws.com\nfs-0123456789abcdef0"
    assert ("PersistentVolume/efs-pv", handle) in d.edges
    assert d.label("PersistentVolume/efs-pv") == "efs-pv\nPV · Available · 5Gi RWX\nreclaim Retain"


def test_many_replicas_are_summarised(dot):
    c = Cluster()
    c.apply(f"""
apiVersion: apps/v1
kind: Deployment
metadata: {{name: web}}
spec:
  replicas: {MAX_PODS_PER_OWNER + 2}
  selector: {{matchLabels: {{app: web}}}}
  template:
    metadata: {{labels: {{app: web}}}}
    spec:
      containers: [{{name: web, image: nginx, volumeMounts: [{{name: cfg, mountPath: /etc/web}}]}}]
      volumes: [{{name: cfg, configMap: {{name: web-config}}}}]
""")
    c.settle()
    (rs,) = [r["metadata"]["name"] for r in c.api.list("ReplicaSet", "default")]
    pods = [p["metadata"]["name"] for p in c.api.list("Pod", "default")]
    d = dot(str(storage_diagram(c)))
    boxes = [b for b in d.boxes if b.startswith("cluster_pod_")]
    assert len(boxes) == MAX_PODS_PER_OWNER
    more = f"more/ReplicaSet/default/{rs}"
    assert d.label(more) == f"+ 2 more pods: 2 ContainerCreating\nof ReplicaSet {rs}, same volumes"
    assert (more, "ConfigMap/default/web-config") in d.edges
    last = f"Pod/default/{pods[-1]}"
    marked = dot(str(storage_diagram(c, highlight=[last, "ConfigMap/default/web-config"])))
    assert marked.highlighted() == ["ConfigMap/default/web-config",
                                    f"cluster_pod_default_{pods[-1]}"]


def test_highlight_a_persistent_volume(c, dot):
    d = dot(str(storage_diagram(c, highlight="PersistentVolume/my-pv")))
    assert d.highlighted() == ["PersistentVolume/my-pv"]


def test_nothing_to_show(dot):
    d = dot(str(storage_diagram(Cluster())))
    assert d.label("nothing") == "no volumes in namespace default"
