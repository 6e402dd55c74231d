"""Tests for kubelearn.node.volumes and volume_manager: where volume data lives, how
long, and what the kubelet says when a volume cannot be set up."""
import pytest

from kubelearn import Cluster
from kubelearn.node.filesystem import FileTree
from kubelearn.node.kubelet import container_exited
from kubelearn.node.volumes import (ClusterStorage, DeferredMounts, PodVolumes, VolumeError,
                                    check_host_path, set_up_on_read)

SLEEPER = """\
apiVersion: v1
kind: Pod
metadata: {name: NAME}
spec:
  NODE
  containers:
  - name: app
    image: busybox:1.36
    command: ["sleep", "3600"]
    volumeMounts: [{name: data, mountPath: /data}]
  volumes:
  - name: data
    SOURCE
"""


def pod(name: str, source: str, node: str | None = None) -> str:
    return (SLEEPER.replace("NAME", name).replace("SOURCE", source)
            .replace("NODE", f"nodeName: {node}" if node else ""))


def sh(c, pod_name: str, script: str, container: str | None = None):
    flag = f"-c {container} " if container else ""
    return c.kubectl(f"exec {pod_name} {flag}-- sh -c {script!r}")


def phase_and_reason(c, name: str) -> tuple[str, str]:
    status = c.api.get("Pod", name, "default")["status"]
    waiting = status["containerStatuses"][0]["state"].get("waiting") or {}
    return status["phase"], waiting.get("reason", "")


def failed_mounts(c, name: str) -> list[str]:
    return [e["message"] for e in c.api.list("Event", "default")
            if e["involvedObject"]["name"] == name and e["reason"] == "FailedMount"]


@pytest.fixture
def mk():
    return Cluster.minikube()


# -- hostPath type checks (upstream's checkTypeInternal) ----------------------------------
@pytest.mark.parametrize("kind,setup,message", [
    ("Directory", None, "hostPath type check failed: /data is not a directory"),
    ("Directory", "file", "hostPath type check failed: /data is not a directory"),
    ("File", None, "hostPath type check failed: /data is not a file"),
    ("File", "dir", "hostPath type check failed: /data is not a file"),
    ("DirectoryOrCreate", "file", "hostPath type check failed: /data is not a directory"),
    ("Socket", "dir", "hostPath type check failed: /data is not a socket file"),
])
def test_host_path_type_checks(kind, setup, message):
    disk = FileTree()
    if setup == "file":
        disk.write("/data", "x")
    elif setup == "dir":
        disk.make_dir("/data")
    with pytest.raises(VolumeError) as err:
        check_host_path("vol", disk, "/data", kind)
    assert err.value.event == f'MountVolume.SetUp failed for volume "vol" : {message}'


def test_host_path_create_types():
    disk = FileTree()
    check_host_path("v", disk, "/a/b", "DirectoryOrCreate")
    check_host_path("v", disk, "/a/f", "FileOrCreate")
    check_host_path("v", disk, "/plain", "")
    assert disk.kind("/a/b") == "dir" and disk.files["/a/f"] == "" and disk.kind("/plain") == "dir"
    with pytest.raises(VolumeError) as err:
        check_host_path("v", disk, "/no/parent/f", "FileOrCreate")
    assert err.value.event.endswith(": open /no/parent/f: no such file or directory")


def test_failed_mount_keeps_the_pod_container_creating_and_retries(mk):
    mk.apply(pod("p", "hostPath: {path: /data, type: Directory}"))
    mk.settle()
    mk.advance(60)
    assert phase_and_reason(mk, "p") == ("Pending", "ContainerCreating")
    assert "podIP" not in mk.api.get("Pod", "p", "default")["status"]
    event = next(e for e in mk.api.list("Event", "default") if e["reason"] == "FailedMount")
    assert (event["type"], event["source"]["component"], event["message"]) == (
        "Warning", "kubelet",
        'MountVolume.SetUp failed for volume "data" : hostPath type check failed: /data is not '
        "a directory")
    assert event["count"] == 7                 # 0.5 s doubling: 7 attempts in the first minute
    mk.storage.disk("minikube").make_dir("/data")
    mk.advance(130)
    assert mk.api.get("Pod", "p", "default")["status"]["phase"] == "Running"


# -- emptyDir ----------------------------------------------------------------------------
EMPTYDIR_TWO = """\
apiVersion: v1
kind: Pod
metadata: {name: two}
spec:
  containers:
  - name: writer
    image: busybox:1.36
    command: ["sh", "-c", "while true; do date >> /shared/log; sleep 10; done"]
    volumeMounts: [{name: shared, mountPath: /shared}]
  - name: reader
    image: busybox:1.36
    command: ["sleep", "3600"]
    volumeMounts: [{name: shared, mountPath: /shared}]
  volumes:
  - {name: shared, emptyDir: {}}
"""


def test_empty_dir_is_shared_by_the_pods_containers(mk):
    mk.apply(EMPTYDIR_TWO)
    mk.settle()
    mk.advance(25)
    out = mk.kubectl("exec two -c reader -- cat /shared/log").stdout
    assert out.count("\n") == 3
    uid = mk.api.get("Pod", "two", "default")["metadata"]["uid"]
    assert mk.storage.pods[uid].private["shared"].files["/log"] == out


def test_empty_dir_survives_a_container_restart_but_not_the_pod(mk):
    mk.apply(pod("p", "emptyDir: {}"))
    mk.settle()
    assert sh(mk, "p", "echo kept > /data/f; echo lost > /tmp/f").exit_code == 0
    uid = mk.api.get("Pod", "p", "default")["metadata"]["uid"]
    assert container_exited(mk, "default", "p", "app", 1)
    mk.advance(5)
    assert mk.kubectl("exec p -- cat /data/f").stdout == "kept\n"
    assert mk.kubectl("exec p -- cat /tmp/f").stderr.startswith("cat: can't open '/tmp/f'")
    mk.kubectl("delete pod p --wait=false")
    mk.settle()
    assert uid not in mk.storage.pods


# -- hostPath is per node ---------------------------------------------------------------------
def test_host_path_is_shared_on_a_node_and_private_to_it():
    c = Cluster()
    source = "hostPath: {path: /data, type: DirectoryOrCreate}"
    for name, node in (("a", "worker-1"), ("b", "worker-1"), ("c", "worker-2")):
        c.apply(pod(name, source, node))
    c.settle()
    assert sh(c, "a", "echo from-a > /data/f").exit_code == 0
    assert c.kubectl("exec b -- cat /data/f").stdout == "from-a\n"
    assert c.kubectl("exec c -- ls /data").stdout == ""
    assert c.storage.disk("worker-1").files["/data/f"] == "from-a\n"


# -- configMap and secret volumes ------------------------------------------------------------
CFG_POD = """\
apiVersion: v1
kind: Pod
metadata: {name: cfg}
spec:
  containers:
  - name: app
    image: busybox:1.36
    command: ["sleep", "3600"]
    volumeMounts:
    - {name: cfg, mountPath: /etc/config}
    - {name: creds, mountPath: /etc/creds, readOnly: true}
  volumes:
  - name: cfg
    configMap: {name: app-config}
  - name: creds
    secret:
      secretName: db
      items: [{key: password, path: db/password}]
"""


def test_config_map_and_secret_volumes_are_files(mk):
    mk.kubectl("create configmap app-config --from-literal=color=blue --from-literal=size=L")
    mk.apply("apiVersion: v1\nkind: Secret\nmetadata: {name: db}\n"
             "data: {password: czNjcjN0, user: YWRtaW4=}\n")
    mk.apply(CFG_POD)
    mk.settle()
    assert mk.kubectl("exec cfg -- ls /etc/config").stdout == "color\nsize\n"
    assert mk.kubectl("exec cfg -- cat /etc/config/color").stdout == "blue"
    assert mk.kubectl("exec cfg -- cat /etc/creds/db/password").stdout == "s3cr3t"
    assert mk.kubectl("exec cfg -- ls /etc/creds").stdout == "db\n"
    written = sh(mk, "cfg", "echo red > /etc/config/color")
    assert written.stderr == ("sh: can't create /etc/config/color: Read-only file system\n"
                              "command terminated with exit code 1\n")
    mk.apply("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: app-config}\n"
             "data: {color: green}\n")
    assert mk.kubectl("exec cfg -- cat /etc/config/color").stdout == "green"   # updated in place


def test_a_missing_config_map_waits_and_starts_once_it_exists(mk):
    mk.apply(CFG_POD.replace("  - name: creds\n    secret:\n      secretName: db\n"
                             "      items: [{key: password, path: db/password}]\n", "")
             .replace("    - {name: creds, mountPath: /etc/creds, readOnly: true}\n", ""))
    mk.settle()
    mk.advance(10)
    assert phase_and_reason(mk, "cfg") == ("Pending", "ContainerCreating")
    assert set(failed_mounts(mk, "cfg")) == {
        'MountVolume.SetUp failed for volume "cfg" : configmap "app-config" not found'}
    assert mk.kubectl("get pods cfg").stdout.split("\n")[1].split()[2] == "ContainerCreating"
    mk.kubectl("create configmap app-config --from-literal=color=blue")
    mk.settle()
    assert mk.api.get("Pod", "cfg", "default")["status"]["phase"] == "Running"
    assert mk.kubectl("exec cfg -- cat /etc/config/color").stdout == "blue"


def test_missing_keys_and_optional_sources(mk):
    mk.kubectl("create configmap app-config --from-literal=color=blue")
    mk.apply(pod("keys", "configMap: {name: app-config, items: [{key: nope, path: x}]}"))
    mk.apply(pod("opt", "configMap: {name: absent, optional: true}"))
    mk.apply(pod("sec", "secret: {secretName: absent}"))
    mk.settle()
    mk.advance(5)
    assert failed_mounts(mk, "keys") == [
        'MountVolume.SetUp failed for volume "data" : configmap references non-existent config '
        "key: nope"]
    assert failed_mounts(mk, "sec") == [
        'MountVolume.SetUp failed for volume "data" : secret "absent" not found']
    assert mk.api.get("Pod", "opt", "default")["status"]["phase"] == "Running"
    assert mk.kubectl("exec opt -- ls /data").stdout == ""


def test_service_account_token_volume(mk):
    mk.apply(pod("p", "emptyDir: {}"))
    mk.settle()
    base = "/var/run/secrets/kubernetes.io/serviceaccount"
    assert mk.kubectl(f"exec p -- ls {base}").stdout == "ca.crt\nnamespace\ntoken\n"
    assert mk.kubectl(f"exec p -- cat {base}/namespace").stdout == "default"
    assert mk.kubectl(f"exec p -- cat {base}/ca.crt").stdout == mk.ca_bundle


def test_volumes_that_cannot_fail_are_set_up_when_first_read(mk):
    """A pod whose only volume is the service-account token's is not mounted at once: its
    volume is set up when a container's filesystem is first made, from the pod as the
    kubelet accepted it, and goes with the pod."""
    mk.kubectl("run web --image=nginx:1.25 --labels=app=web")
    mk.settle()
    uid = mk.api.get("Pod", "web", "default")["metadata"]["uid"]
    assert isinstance(mk.storage.pods[uid], DeferredMounts)
    mk.kubectl("label pod web tier=front")           # later versions change nothing here
    base = "/var/run/secrets/kubernetes.io/serviceaccount"
    assert mk.kubectl(f"exec web -- ls {base}").stdout == "ca.crt\nnamespace\ntoken\n"
    assert mk.kubectl(f"exec web -- cat {base}/namespace").stdout == "default"
    assert isinstance(mk.storage.pods[uid], PodVolumes)
    mk.kubectl("delete pod web")
    mk.settle()
    assert uid not in mk.storage.pods


def test_a_pod_with_a_volume_that_can_fail_is_mounted_before_its_sandbox(mk):
    mk.apply(pod("p", "emptyDir: {}"))
    uid = mk.api.get("Pod", "p", "default")["metadata"]["uid"]
    mk.advance(0.1)
    state = mk.storage.pods[uid]
    assert isinstance(state, PodVolumes) and set(state.volumes) == {
        "data", mk.api.get("Pod", "p", "default")["spec"]["volumes"][1]["name"]}


def test_deferring_needs_every_volume_to_be_one_that_cannot_fail():
    storage = ClusterStorage()
    token = {"name": "kube-api-access-x", "projected": {"sources": []}}
    labels = {"name": "labels", "downwardAPI": {"items": []}}
    assert all(set_up_on_read(v) for v in (token, labels))
    assert not any(set_up_on_read(v) for v in ({"name": "d", "emptyDir": {}},
                                               {"name": "c", "configMap": {"name": "x"}}))
    meta = {"name": "p", "namespace": "default", "uid": "u-1"}
    assert storage.defer_pod(None, {"metadata": meta, "spec": {"volumes": [token, labels]}}, "n")
    assert not storage.defer_pod(None, {"metadata": meta, "spec": {"volumes": [token]}}, "n")
    other = {**meta, "uid": "u-2"}
    assert not storage.defer_pod(None, {"metadata": other, "spec": {
        "volumes": [token, {"name": "d", "emptyDir": {}}]}}, "n")
    assert "u-2" not in storage.pods


# -- persistentVolumeClaim -------------------------------------------------------------------
PV_AND_CLAIM = """\
apiVersion: v1
kind: PersistentVolume
metadata: {name: my-pv}
spec:
  capacity: {storage: 4Gi}
  accessModes: [ReadWriteOnce]
  storageClassName: manual
  SOURCE
---
apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: my-claim}
spec:
  volumeName: my-pv
  accessModes: [ReadWriteOnce]
  storageClassName: manual
  resources: {requests: {storage: 1Gi}}
"""


def test_a_claim_reaches_its_volumes_storage(mk):
    mk.apply(PV_AND_CLAIM.replace("SOURCE", "hostPath: {path: /pv-data, type: DirectoryOrCreate}"))
    mk.apply(pod("p", "persistentVolumeClaim: {claimName: my-claim}"))
    mk.settle()
    assert sh(mk, "p", "echo persisted > /data/f").exit_code == 0
    assert mk.storage.disk("minikube").files["/pv-data/f"] == "persisted\n"


def test_a_pod_placed_on_a_node_with_an_unbound_claim_does_not_start(mk):
    mk.apply("apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata: {name: pending}\n"
             "spec: {accessModes: [ReadWriteOnce], storageClassName: nothing, "
             "resources: {requests: {storage: 1Gi}}}\n")
    mk.apply(pod("p", "persistentVolumeClaim: {claimName: pending}", node="minikube"))
    mk.apply(pod("q", "persistentVolumeClaim: {claimName: missing}", node="minikube"))
    mk.settle()
    mk.advance(5)
    assert phase_and_reason(mk, "p") == ("Pending", "ContainerCreating")
    assert failed_mounts(mk, "p")[0] == (
        "Unable to attach or mount volumes: unmounted volumes=[data], unattached volumes=[], "
        "failed to process volumes=[data]: error processing PVC default/pending: PVC "
        'default/pending has non-bound phase ("Pending") or empty pvc.Spec.VolumeName ("")')
    assert failed_mounts(mk, "q")[0].endswith(
        "error processing PVC default/missing: failed to fetch PVC from API server: "
        'persistentvolumeclaims "missing" not found')


def test_a_local_volume_needs_its_path(mk):
    affinity = ("\n  nodeAffinity:\n    required:\n      nodeSelectorTerms:\n"
                "      - matchExpressions:\n        - {key: kubernetes.io/hostname, "
                "operator: In, values: [minikube]}")
    mk.apply(PV_AND_CLAIM.replace("SOURCE", "local: {path: /mnt/disks/ssd1}" + affinity))
    mk.apply(pod("p", "persistentVolumeClaim: {claimName: my-claim}"))
    mk.settle()
    mk.advance(5)
    assert failed_mounts(mk, "p")[0] == ('MountVolume.NewMounter initialization failed for volume '
                                         '"my-pv" : path "/mnt/disks/ssd1" does not exist')


# -- CSI -----------------------------------------------------------------------------------------
def test_efs_volumes_are_shared_across_nodes_and_host_path_csi_is_not():
    c = Cluster()
    efs = c.storage.register_csi_driver("efs.csi.aws.com")
    c.apply(PV_AND_CLAIM.replace("SOURCE", "csi: {driver: efs.csi.aws.com, volumeHandle: "
                                 "fs-12345678}").replace("ReadWriteOnce", "ReadWriteMany"))
    c.apply(pod("a", "persistentVolumeClaim: {claimName: my-claim}", "worker-1"))
    c.apply(pod("b", "persistentVolumeClaim: {claimName: my-claim}", "worker-2"))
    c.settle()
    assert sh(c, "a", "echo shared > /data/f").exit_code == 0
    assert c.kubectl("exec b -- cat /data/f").stdout == "shared\n"
    assert efs.file_systems["fs-12345678"].files == {"/f": "shared\n"}
    storage = ClusterStorage()
    host_path = storage.register_csi_driver("hostpath.csi.k8s.io")
    one, path = host_path.volume(storage, "worker-1", "vol-1", {})
    two, _ = host_path.volume(storage, "worker-2", "vol-1", {})
    assert one is not two and path == "/var/lib/csi-hostpath-data/vol-1"


def test_a_cluster_starts_with_no_csi_drivers_and_registers_them_by_name():
    storage = Cluster().storage
    assert storage.csi == {}
    efs = storage.register_csi_driver("efs.csi.aws.com")
    assert storage.register_csi_driver("efs.csi.aws.com") is efs      # installed once
    assert sorted(storage.csi) == ["efs.csi.aws.com"]
    with pytest.raises(ValueError, match="simulates no CSI driver 'x.example.com'"):
        storage.register_csi_driver("x.example.com")
    storage.unregister_csi_driver("efs.csi.aws.com")
    assert storage.csi == {}


def test_a_csi_volume_of_a_driver_not_installed_fails_to_mount(mk):
    mk.apply(PV_AND_CLAIM.replace("SOURCE", "csi: {driver: hostpath.csi.k8s.io, volumeHandle: "
                                  "vol-1}"))
    mk.apply(pod("p", "persistentVolumeClaim: {claimName: my-claim}"))
    mk.settle()
    assert phase_and_reason(mk, "p") == ("Pending", "ContainerCreating")
    assert failed_mounts(mk, "p")[0] == (
        'MountVolume.MountDevice failed for volume "my-pv" : kubernetes.io/csi: '
        "attacher.MountDevice failed to create newCsiDriverClient: driver name "
        "hostpath.csi.k8s.io not found in the list of registered CSI drivers")
    mk.storage.register_csi_driver("hostpath.csi.k8s.io")     # the addon, installed late
    mk.advance(130)
    assert phase_and_reason(mk, "p") == ("Running", "")
    assert sh(mk, "p", "echo x > /data/f").exit_code == 0
    assert mk.storage.disk("minikube").read("/var/lib/csi-hostpath-data/vol-1/f") == "x\n"


def test_inline_csi_volumes_and_unknown_drivers(mk):
    mk.storage.register_csi_driver("hostpath.csi.k8s.io")
    mk.storage.register_csi_driver("efs.csi.aws.com")
    mk.apply(pod("eph", "csi: {driver: hostpath.csi.k8s.io}"))
    mk.apply(pod("unknown", "csi: {driver: foo.csi.example.com}"))
    mk.apply(pod("efs", "csi: {driver: efs.csi.aws.com}"))
    mk.settle()
    mk.advance(5)
    assert mk.api.get("Pod", "eph", "default")["status"]["phase"] == "Running"
    assert failed_mounts(mk, "unknown") == [
        'MountVolume.SetUp failed for volume "data" : kubernetes.io/csi: mounter.SetUpAt failed '
        "to get CSI client: driver name foo.csi.example.com not found in the list of registered "
        "CSI drivers"]
    assert "not supported by driver efs.csi.aws.com" in failed_mounts(mk, "efs")[0]


def test_efs_hook_for_known_file_systems_only(mk):
    efs = mk.storage.register_csi_driver("efs.csi.aws.com")
    efs.auto_create = False
    efs.create_file_system("fs-aaaa1111")
    mk.apply(PV_AND_CLAIM.replace("SOURCE", "csi: {driver: efs.csi.aws.com, volumeHandle: "
                                  "fs-bbbb2222}"))
    mk.apply(pod("p", "persistentVolumeClaim: {claimName: my-claim}"))
    mk.settle()
    mk.advance(5)
    assert failed_mounts(mk, "p")[0].startswith('MountVolume.SetUp failed for volume "my-pv" : ')


# -- attachable volumes: an RWO disk on one node at a time -----------------------------------
def test_an_ebs_disk_used_from_a_second_node_waits_until_the_first_pod_is_gone():
    c = Cluster()
    ebs = c.storage.register_csi_driver("ebs.csi.aws.com")
    c.apply(PV_AND_CLAIM.replace("SOURCE", "csi: {driver: ebs.csi.aws.com, volumeHandle: "
                                 "vol-0abc}"))
    c.apply(pod("a", "persistentVolumeClaim: {claimName: my-claim}", "worker-1"))
    c.settle()
    assert sh(c, "a", "echo kept > /data/f").exit_code == 0
    c.apply(pod("b", "persistentVolumeClaim: {claimName: my-claim}", "worker-2"))
    c.settle()
    c.advance(300)
    assert phase_and_reason(c, "b") == ("Pending", "ContainerCreating")
    events = [(e["reason"], e["source"].get("component"), e["message"])
              for e in c.api.list("Event", "default") if e["involvedObject"]["name"] == "b"]
    assert ("FailedAttachVolume", "attachdetach-controller",
            'Multi-Attach error for volume "my-pv" Volume is already used by pod(s) a') in events
    assert failed_mounts(c, "b") == []       # the 1.32 kubelet records no event of its own
    c.kubectl("delete pod a")
    c.settle()
    assert phase_and_reason(c, "b") == ("Running", "")
    assert c.kubectl("exec b -- cat /data/f").stdout == "kept\n"   # the data went with the disk
    assert ebs.volumes["vol-0abc"].files == {"/f": "kept\n"}


def test_a_host_path_rwo_volume_is_not_enforced_across_nodes():
    """Upstream enforces ReadWriteOnce only when attaching: a hostPath PV never attaches, so
    pods on two nodes both start (each on its own node's directory)."""
    c = Cluster()
    c.apply(PV_AND_CLAIM.replace("SOURCE", "hostPath: {path: /pv-data}"))
    c.apply(pod("a", "persistentVolumeClaim: {claimName: my-claim}", "worker-1"))
    c.apply(pod("b", "persistentVolumeClaim: {claimName: my-claim}", "worker-2"))
    c.settle()
    assert phase_and_reason(c, "a") == phase_and_reason(c, "b") == ("Running", "")
    assert sh(c, "a", "echo one > /data/f").exit_code == 0
    assert c.kubectl("exec b -- ls /data").stdout == ""
