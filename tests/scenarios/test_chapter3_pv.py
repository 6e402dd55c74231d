"""Section 3.2 of the course notes (Persistent Volumes), typed as written, on minikube.

The notes' two manifests each carry a mistake: the volume says ``apiVersion: c1``
and the claim is written as ``kind: PersistentVolume`` (so the server rejects
its claim fields), and the pod snippet is indented one space too far. Each
gives kubectl's real error:

- ``c1``: the RESTMapper finds no such kind: "resource mapping not found ... no
  matches for kind "PersistentVolume" in version "c1"" (apply's mapping error;
  the text is kubectl's ``apply.go``, the CRD hint included).
- the claim as a PersistentVolume: strict server-side field validation (kubectl
  1.32 defaults to ``--validate=strict``) refuses the unknown fields
  ``spec.resources`` and ``spec.volumeName``.
- the pod snippet: a YAML error, checked with the real kubectl 1.32 binary
  (``kubectl apply -f pod.yaml --dry-run=client --validate=false`` prints
  exactly ``error: error parsing pod.yaml: error converting YAML to JSON: yaml:
  line 14: mapping values are not allowed in this context``).

Corrected, the claim binds the volume it names (static binding, ``volumeName:
my-pv``) and ``kubectl get pv`` / ``get pvc`` print what kubectl 1.32 prints:
the claim shows the *volume's* capacity and access modes (4Gi, RWO,ROX,RWX),
not its 1Gi request.
"""
from __future__ import annotations

import pytest

from kubelearn import Cluster

# Lines 314-331 and 338-352 of the notes, character for character.
NOTES_PV = """\
apiVersion: c1
kind: PersistentVolume
metadata:
  name: my-pv
spec:
  capacity:
    storage: 4Gi
  # We can use block storage or file system storage 
  volumeMode: Filesystem
  # Kubernetes lets you define different storage classes, but by default gives you the standard class
  storageClassName: standard
  # How many nodes (one or many) can claim this volume, and can they write or only read?
  accessModes:
    - ReadWriteOnce
    - ReadOnlyMany
    - ReadWriteMany
  hostPath:
    path: /data
    type: DirectoryOrCreate
"""  # noqa: W291 (the notes' trailing space)

NOTES_CLAIM = """\
apiVersion: v1
kind: PersistentVolume
metadata: 
  name: my-pv-claim
spec:
  # Static provisioning is when we specify the exact volume to claim by name
  # We can also do dynamic provisioning where we specify the required properties of the volume and Kubernetes will find an appropriate volume in our cluster
  volumeName: my-pv
  accessModes:
    - ReadWriteOnce
  storageClassName: standard
  # How much storage will this claim use?
  resources:
    requests:
      storage: 1Gi
"""  # noqa: W291

# A pod around the notes' volumes snippet (lines 356-359), indentation as written.
NOTES_POD = """\
apiVersion: v1
kind: Pod
metadata:
  name: my-pod
spec:
  containers:
  - name: app
    image: nginx
    volumeMounts:
    - name: my-persistent-volume
      mountPath: /data
  volumes:
  - name: my-persistent-volume 
     persistentVolumeClaim: 
       claimName: my-pv-claim
"""  # noqa: W291

GET_PV = """\
NAME    CAPACITY   ACCESS MODES   RECLAIM POLICY   STATUS   CLAIM                 STORAGECLASS   VOLUMEATTRIBUTESCLASS   REASON   AGE
my-pv   4Gi        RWO,ROX,RWX    Retain           Bound    default/my-pv-claim   standard       <unset>                          15s
"""
GET_PVC = """\
NAME          STATUS   VOLUME   CAPACITY   ACCESS MODES   STORAGECLASS   VOLUMEATTRIBUTESCLASS   AGE
my-pv-claim   Bound    my-pv    4Gi        RWO,ROX,RWX    standard       <unset>                 10s
"""
GET_PV_PVC = """\
NAME                     CAPACITY   ACCESS MODES   RECLAIM POLICY   STATUS   CLAIM                 STORAGECLASS   VOLUMEATTRIBUTESCLASS   REASON   AGE
persistentvolume/my-pv   4Gi        RWO,ROX,RWX    Retain           Bound    default/my-pv-claim   standard       <unset>                          15s

NAME                                STATUS   VOLUME   CAPACITY   ACCESS MODES   STORAGECLASS   VOLUMEATTRIBUTESCLASS   AGE
persistentvolumeclaim/my-pv-claim   Bound    my-pv    4Gi        RWO,ROX,RWX    standard       <unset>                 10s
"""


@pytest.fixture
def files(tmp_path, monkeypatch):
    """The learner's working directory: pv.yaml, pvc.yaml and pod.yaml as the notes give them."""
    monkeypatch.chdir(tmp_path)
    for name, text in (("pv.yaml", NOTES_PV), ("pvc.yaml", NOTES_CLAIM), ("pod.yaml", NOTES_POD)):
        (tmp_path / name).write_text(text)
    return tmp_path


def fix(files, name, wrong, right):
    path = files / name
    path.write_text(path.read_text().replace(wrong, right, 1))


def test_the_notes_manifests_as_written_give_kubectls_errors(files):
    c = Cluster.minikube()
    pv = c.kubectl("apply -f pv.yaml")
    assert (pv.stdout, pv.exit_code) == ("", 1)
    assert pv.stderr == ('error: resource mapping not found for name: "my-pv" namespace: "" from '
                         '"pv.yaml": no matches for kind "PersistentVolume" in version "c1"\n'
                         'ensure CRDs are installed first\n')
    claim = c.kubectl("apply -f pvc.yaml")
    assert claim.exit_code == 1
    assert claim.stderr == (
        'Error from server (BadRequest): error when creating "pvc.yaml": PersistentVolume in '
        'version "v1" cannot be handled as a PersistentVolume: strict decoding error: unknown '
        'field "spec.resources", unknown field "spec.volumeName"\n')
    pod = c.kubectl("apply -f pod.yaml")
    assert pod.stderr == ("error: error parsing pod.yaml: error converting YAML to JSON: yaml: "
                          "line 14: mapping values are not allowed in this context\n")
    assert c.kubectl("get pv").stderr == "No resources found\n"
    assert c.kubectl("get pvc").stderr == "No resources found in default namespace.\n"


def test_corrected_the_claim_binds_the_volume_it_names(files):
    c = Cluster.minikube()
    fix(files, "pv.yaml", "apiVersion: c1", "apiVersion: v1")
    fix(files, "pvc.yaml", "kind: PersistentVolume", "kind: PersistentVolumeClaim")
    assert c.kubectl("apply -f pv.yaml").stdout == "persistentvolume/my-pv created\n"
    c.advance(5)
    assert c.kubectl("apply -f pvc.yaml").stdout == "persistentvolumeclaim/my-pv-claim created\n"
    c.advance(10)
    assert c.kubectl("get pv").stdout == GET_PV
    assert c.kubectl("get pvc").stdout == GET_PVC
    assert c.kubectl("get pv,pvc").stdout == GET_PV_PVC
    # static binding: nothing was provisioned, no event was needed
    assert c.kubectl("get events --field-selector involvedObject.name=my-pv-claim").stderr == \
        "No resources found in default namespace.\n"


def test_the_pod_mounts_the_claim_once_its_snippet_is_indented_right(files):
    c = Cluster.minikube()
    fix(files, "pv.yaml", "apiVersion: c1", "apiVersion: v1")
    fix(files, "pvc.yaml", "kind: PersistentVolume", "kind: PersistentVolumeClaim")
    fix(files, "pod.yaml", "     persistentVolumeClaim: \n       claimName",
        "    persistentVolumeClaim:\n      claimName")
    for name in ("pv.yaml", "pvc.yaml", "pod.yaml"):
        assert c.kubectl(f"apply -f {name}").exit_code == 0
    c.advance(30)
    assert c.kubectl("get pod my-pod").stdout.splitlines()[1].split()[2] == "Running"
    described = c.kubectl("describe pvc my-pv-claim").stdout
    assert "Used By:       my-pod\n" in described
    assert "Finalizers:    [kubernetes.io/pvc-protection]\n" in described


def test_the_claim_applied_before_its_volume_binds_at_the_next_resync(files):
    c = Cluster.minikube()
    fix(files, "pv.yaml", "apiVersion: c1", "apiVersion: v1")
    fix(files, "pvc.yaml", "kind: PersistentVolume", "kind: PersistentVolumeClaim")
    c.kubectl("apply -f pvc.yaml")
    c.kubectl("apply -f pv.yaml")
    rows = c.kubectl("get pvc").stdout.splitlines()[1].split()
    assert rows[:2] == ["my-pv-claim", "Pending"]
    c.advance(15)
    assert c.kubectl("get pvc").stdout.splitlines()[1].split()[:3] == [
        "my-pv-claim", "Bound", "my-pv"]


def test_without_the_volume_name_the_claim_gets_a_provisioned_volume_instead(files):
    """The notes' other road: dynamic provisioning. With ``my-pv`` taken, a second claim
    of class ``standard`` gets a fresh ``pvc-<uid>`` volume from minikube's provisioner."""
    c = Cluster.minikube()
    fix(files, "pv.yaml", "apiVersion: c1", "apiVersion: v1")
    fix(files, "pvc.yaml", "kind: PersistentVolume", "kind: PersistentVolumeClaim")
    c.kubectl("apply -f pv.yaml")
    c.kubectl("apply -f pvc.yaml")
    fix(files, "pvc.yaml", "  volumeName: my-pv\n", "")
    fix(files, "pvc.yaml", "name: my-pv-claim", "name: other-claim")
    assert c.kubectl("apply -f pvc.yaml").exit_code == 0
    row = c.kubectl("get pvc other-claim").stdout.splitlines()[1].split()
    assert row[1] == "Bound" and row[2].startswith("pvc-") and row[3:5] == ["1Gi", "RWO"]


def storage_lesson(seed: int) -> str:
    """Dynamic and static volumes, a pod, a deletion: everything kubectl printed, and every
    stored PV, PVC and Event."""
    c = Cluster.minikube(seed=seed)
    out = []
    for line, stdin in (
            ("apply -f -", NOTES_PV.replace("c1", "v1") + "---\n"
             + NOTES_CLAIM.replace("kind: PersistentVolume", "kind: PersistentVolumeClaim")),
            ("apply -f -", NOTES_POD.replace("     persistentVolumeClaim: \n       claimName",
                                             "    persistentVolumeClaim:\n      claimName")),
            ("create -f -", NOTES_CLAIM.replace("kind: PersistentVolume",
                                                "kind: PersistentVolumeClaim")
             .replace("  volumeName: my-pv\n", "").replace("my-pv-claim", "dynamic")),
            ("get pv,pvc,pods -o wide", None), ("describe pvc", None),
            ("delete pvc dynamic", None), ("get pv,pvc", None), ("get events", None)):
        r = c.kubectl(line, stdin=stdin)
        out.append(f"$ kubectl {line}\n{r.stdout}{r.stderr}")
        c.advance(7)
    for kind in ("PersistentVolume", "PersistentVolumeClaim", "Event"):
        out.append(repr(c.api.list(kind)))
    return "\n".join(out)


def test_two_runs_with_one_seed_are_identical():
    assert storage_lesson(3) == storage_lesson(3)
