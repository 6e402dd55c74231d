"""The workloads view: Deployment -> ReplicaSets by revision -> Pods, by ownerReferences."""
import pytest

from kubelearn import Cluster
from kubelearn.viz.common import IDLE_COLOUR
from kubelearn.viz.workloads import MAX_PODS_PER_OWNER, workloads_diagram

DEPLOYMENT = """
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 2
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers: [{name: web, image: nginx}]
"""
REPLICASET = """
apiVersion: apps/v1
kind: ReplicaSet
metadata: {name: lonely}
spec:
  replicas: 1
  selector: {matchLabels: {app: lonely}}
  template:
    metadata: {labels: {app: lonely}}
    spec:
      containers: [{name: web, image: nginx}]
"""
POD = """
apiVersion: v1
kind: Pod
metadata: {name: bare}
spec:
  containers: [{name: web, image: nginx}]
"""


@pytest.fixture(scope="module")
def two_revisions():
    """Chapter 2: a deployment, then a new image (revision 2)."""
    c = Cluster()
    c.apply(DEPLOYMENT)
    c.settle()
    c.kubectl("set image deployment/web web=nginx:1.27")
    c.settle()
    return c


def replicasets(c):
    rs = sorted(c.api.list("ReplicaSet", "default"),
                key=lambda r: r["metadata"]["annotations"]["deployment.kubernetes.io/revision"])
    return [r["metadata"]["name"] for r in rs]


def test_a_deployment_with_two_revisions(two_revisions, dot):
    c = two_revisions
    old, new = replicasets(c)
    d = dot(str(workloads_diagram(c)))
    assert d.label("Deployment/default/web") == \
        "web\nDeployment · 2/2 ready, 2 up-to-date, 2 available"
    assert d.label(f"ReplicaSet/default/{old}") == f"{old}\nReplicaSet · revision 1 · 0/0 ready"
    assert d.label(f"ReplicaSet/default/{new}") == f"{new}\nReplicaSet · revision 2 · 2/2 ready"
    assert f'fillcolor="{IDLE_COLOUR}"' in d.nodes[f"ReplicaSet/default/{old}"]
    # the current revision is a solid edge, the old one dashed
    assert d.edges[("Deployment/default/web", f"ReplicaSet/default/{new}")] == ""
    assert "style=dashed" in d.edges[("Deployment/default/web", f"ReplicaSet/default/{old}")]
    pods = [p["metadata"]["name"] for p in c.api.list("Pod", "default")]
    assert len(pods) == 2 and all(p.startswith(new) for p in pods)
    for pod in pods:
        assert (f"ReplicaSet/default/{new}", f"Pod/default/{pod}") in d.edges
        assert d.label(f"Pod/default/{pod}").startswith(f"{pod}\n1/1 Running · worker-")
        assert 'fillcolor="#d4edda"' in d.nodes[f"Pod/default/{pod}"]
        assert d.box[f"Pod/default/{pod}"] == "cluster_ns_default"
    assert d.box_label("cluster_ns_default") == "namespace default"


def test_bare_replicasets_and_bare_pods_have_no_owner(dot):
    c = Cluster()
    c.apply(REPLICASET + "---" + POD)
    c.settle()
    d = dot(str(workloads_diagram(c)))
    (lonely_pod,) = [p["metadata"]["name"] for p in c.api.list("Pod", "default")
                     if p["metadata"]["name"].startswith("lonely-")]
    assert d.label("ReplicaSet/default/lonely") == "lonely\nReplicaSet · 1/1 ready"
    assert ("ReplicaSet/default/lonely", f"Pod/default/{lonely_pod}") in d.edges
    assert "Pod/default/bare" in d.nodes
    assert not [e for e in d.edges if e[1] == "Pod/default/bare"]
    assert not [n for n in d.nodes if n.startswith("Deployment/")]


def test_system_namespaces_are_left_out_unless_asked_for(dot):
    c = Cluster()
    d = dot(str(workloads_diagram(c)))
    assert list(d.nodes) == ["nothing"]
    assert d.label("nothing") == "no workloads in namespace default"
    system = dot(str(workloads_diagram(c, namespace="kube-system")))
    assert "Deployment/kube-system/coredns" in system.nodes
    assert system.label("DaemonSet/kube-system/kube-proxy") == "kube-proxy\nDaemonSet · 3/3 ready"
    proxies = [e for e in system.edges if e[0] == "DaemonSet/kube-system/kube-proxy"]
    assert len(proxies) == 3


def test_many_pods_are_summarised_and_a_highlighted_one_is_kept(dot):
    c = Cluster()
    c.apply(DEPLOYMENT.replace("replicas: 2", f"replicas: {MAX_PODS_PER_OWNER + 5}"))
    c.settle()
    (rs,) = replicasets(c)
    pods = [p["metadata"]["name"] for p in c.api.list("Pod", "default")]
    last = f"Pod/default/{pods[-1]}"
    d = dot(str(workloads_diagram(c)))
    shown = [n for n in d.nodes if n.startswith("Pod/")]
    assert len(shown) == MAX_PODS_PER_OWNER and last not in shown
    assert d.label(f"more/ReplicaSet/default/{rs}") == "+ 5 more pods: 5 Running"
    assert "style=dashed" in d.edges[(f"ReplicaSet/default/{rs}", f"more/ReplicaSet/default/{rs}")]
    marked = dot(str(workloads_diagram(c, highlight=[last])))
    assert last in marked.nodes
    assert marked.highlighted() == [last]
    assert len([n for n in marked.nodes if n.startswith("Pod/")]) == MAX_PODS_PER_OWNER


def test_highlight_marks_the_deployment_and_the_namespace(two_revisions, dot):
    d = dot(str(workloads_diagram(two_revisions,
                                  highlight=["Deployment/default/web", "Namespace/default", "Pod/x/y"])))
    assert d.highlighted() == ["Deployment/default/web", "cluster_ns_default"]
    assert 'color=red' in d.nodes["Deployment/default/web"]


def test_the_description_counts(two_revisions):
    assert repr(workloads_diagram(two_revisions)) == \
        "Workloads (all namespaces but kube-*): 1 deployment, 2 replicasets, 0 daemonsets, 2 pods"
