"""Two runs with the same seed are byte-identical: what kubectl prints and what the
store holds. That is what lets the course notebooks be checked without sanitisers."""
import json

from kubelearn import Cluster

MANIFEST = """
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, labels: {app: web}}
spec:
  replicas: 3
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
        - name: web
          image: nginx:1.27
          ports: [{containerPort: 80}]
---
apiVersion: v1
kind: Service
metadata: {name: web}
spec:
  type: NodePort
  selector: {app: web}
  ports: [{port: 80, targetPort: 80}]
"""


def lesson(seed: int) -> tuple[str, Cluster]:
    """A short lesson: every kubectl line and what it printed, in order."""
    c = Cluster(seed=seed)
    transcript = []

    def kubectl(line, stdin=None):
        r = c.kubectl(line, stdin=stdin)
        transcript.append(f"$ kubectl {line}\n{r.stdout}{r.stderr}[exit {r.exit_code}]\n")
        return r

    kubectl("create namespace dev")
    kubectl("create configmap cfg --from-literal=colour=blue -n dev")
    kubectl("apply -f -", MANIFEST)
    transcript.append(repr(c.settle()) + "\n")
    kubectl("get pods -o wide")
    kubectl("get all -A")
    kubectl("get svc web -o yaml")
    kubectl("describe deployment web")
    first_pod = kubectl("get pods -o name").stdout.split()[0]
    kubectl(f"describe {first_pod}")
    kubectl(f"label {first_pod} tier=frontend")
    kubectl(f"delete {first_pod}")
    c.advance(45)
    transcript.append(repr(c.settle()) + "\n")
    kubectl("get pods -l app=web --show-labels")
    kubectl("apply -f -", MANIFEST.replace("replicas: 3", "replicas: 1"))
    transcript.append(repr(c.settle()) + "\n")
    kubectl("get deploy,rs,pods")
    kubectl("delete namespace dev")
    transcript.append(repr(c.settle()) + "\n")
    kubectl("get events -A")
    kubectl("get ns")
    return "".join(transcript), c


def store_dump(c: Cluster) -> str:
    """Every stored object of every kind, as canonical JSON."""
    return json.dumps({kind: c.store.list(kind) for kind in c.store.kinds()}, sort_keys=True)


def test_same_seed_same_output_and_same_store():
    out_a, a = lesson(0)
    out_b, b = lesson(0)
    assert out_a == out_b
    assert store_dump(a) == store_dump(b)
    assert (a.now, a.store.resource_version) == (b.now, b.store.resource_version)


def test_the_lesson_really_ran():
    out, c = lesson(0)
    assert "deployment.apps/web created" in out and "service/web created" in out
    assert "deployment.apps/web configured" in out
    assert "[exit 1]" not in out
    assert len(c.api.list("Pod", "default")) == 1
    assert c.store.get("Namespace", "", "dev") is None


def test_another_seed_changes_generated_names_and_addresses():
    _, a = lesson(0)
    _, b = lesson(1)

    def pod_names(c):
        return [p["metadata"]["name"] for p in c.api.list("Pod")]

    assert pod_names(a) != pod_names(b)
    assert a.get("svc", "web").spec.clusterIP != b.get("svc", "web").spec.clusterIP
    assert a.get("svc", "web").metadata.uid != b.get("svc", "web").metadata.uid
    # the ReplicaSet name is a hash of the pod template, not a random draw
    assert [r["metadata"]["name"] for r in a.api.list("ReplicaSet", "default")] == \
        [r["metadata"]["name"] for r in b.api.list("ReplicaSet", "default")]
