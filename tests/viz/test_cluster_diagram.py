"""The cluster diagram, tested through its DOT source (not the picture)."""
import re

import pytest

from kubelearn import Cluster
from kubelearn.viz.cluster_diagram import (CONTROL_PLANE, FAILING_COLOUR, MAX_NODES, MAX_PODS_PER_NODE,
                                           cluster_diagram, pod_colour)

POD = """
apiVersion: v1
kind: Pod
metadata: {{name: {name}}}
spec:
  {extra}
  containers: [{{name: web, image: nginx}}]
"""
_ID = r'"(?:[^"\\]|\\.)*"|[A-Za-z0-9_.-]+'


def parse(source: str) -> dict:
    """{subgraph name or "": [node ids]}, plus the graph labels and the edges."""
    where, nodes, labels, edges = [""], {"": []}, {}, []
    for line in source.splitlines():
        line = line.strip()
        if m := re.fullmatch(rf"subgraph ({_ID}) {{", line):
            where.append(m.group(1).strip('"'))
            nodes[where[-1]] = []
        elif line == "}":
            where.pop()
        elif m := re.match(r'graph \[label="((?:[^"\\]|\\.)*)"', line):
            labels[where[-1]] = m.group(1)
        elif m := re.fullmatch(rf"({_ID}) -> ({_ID})(?: \[.*\])?;", line):
            edges.append((m.group(1).strip('"'), m.group(2).strip('"')))
        elif (m := re.fullmatch(rf"({_ID})(?: \[.*\])?;", line)) and \
                m.group(1) not in ("graph", "node", "edge"):
            nodes[where[-1]].append(m.group(1).strip('"'))
    return {"nodes": nodes, "labels": labels, "edges": edges}


def box_of(parsed, node_id):
    boxes = [box for box, ids in parsed["nodes"].items() if node_id in ids]
    assert len(boxes) <= 1, boxes
    return boxes[0] if boxes else None


@pytest.fixture
def c():
    return Cluster()


def source(cluster, **kwargs):
    return str(cluster_diagram(cluster, **kwargs))


def test_each_node_is_a_subgraph(c):
    parsed = parse(source(c))
    boxes = [b for b in parsed["nodes"] if b]
    assert boxes == ["cluster_node_control-plane", "cluster_node_worker-1",
                     "cluster_node_worker-2"]
    assert parsed["labels"]["cluster_node_control-plane"] == \
        "control-plane · control-plane · Ready"
    assert parsed["labels"]["cluster_node_worker-1"] == "worker-1 · worker · Ready"
    for node in ("control-plane", "worker-1", "worker-2"):
        assert box_of(parsed, f"kubelet/{node}") == f"cluster_node_{node}"
        assert box_of(parsed, f"kube-proxy/{node}") == f"cluster_node_{node}"


def test_control_plane_components_sit_on_the_control_plane_node(c):
    parsed = parse(source(c))
    for component in CONTROL_PLANE:
        assert box_of(parsed, component) == "cluster_node_control-plane"
    # drawn as components, not again as pods
    assert not [n for n in parsed["nodes"]["cluster_node_control-plane"]
                if n.startswith("pod/kube-system/kube-")]


def test_who_talks_to_the_api_server(c):
    edges = parse(source(c))["edges"]
    assert ("kubectl", "kube-apiserver") in edges
    assert ("kube-apiserver", "etcd") in edges
    assert ("kube-scheduler", "kube-apiserver") in edges
    assert ("kube-controller-manager", "kube-apiserver") in edges
    for node in ("control-plane", "worker-1", "worker-2"):
        assert (f"kubelet/{node}", "kube-apiserver") in edges


def test_a_bare_pod_appears_on_its_node_and_disappears_after_delete(c):
    assert box_of(parse(source(c)), "pod/default/web") is None
    c.apply(POD.format(name="web", extra=""))
    c.settle()
    node = c.api.get("Pod", "web", "default")["spec"]["nodeName"]
    text = source(c)
    assert box_of(parse(text), "pod/default/web") == f"cluster_node_{node}"
    assert '[label="web\\ndefault · 1/1 Running", fillcolor="#d4edda"]' in text
    c.kubectl("delete pod web")
    c.settle()
    assert box_of(parse(source(c)), "pod/default/web") is None


def test_unscheduled_pods_are_in_their_own_box(c):
    assert "cluster_unscheduled" not in parse(source(c))["nodes"]
    c.apply(POD.format(name="stuck", extra="nodeSelector: {disk: ssd}"))
    c.settle()
    text = source(c)
    parsed = parse(text)
    assert box_of(parsed, "pod/default/stuck") == "cluster_unscheduled"
    assert parsed["labels"]["cluster_unscheduled"] == "not scheduled yet"
    assert '"pod/default/stuck" [label="stuck\\ndefault · 0/1 Pending", fillcolor="#fff3cd"]' \
        in text


def test_a_namespace_limits_the_pods_not_the_control_plane(c):
    c.apply(POD.format(name="web", extra=""))
    c.settle()
    parsed = parse(source(c, namespace="default"))
    pods = [n for ids in parsed["nodes"].values() for n in ids if n.startswith("pod/")]
    assert pods == ["pod/default/web"]
    assert box_of(parsed, "kube-apiserver") == "cluster_node_control-plane"


def test_a_crowded_node_summarises_the_rest(c):
    for i in range(MAX_PODS_PER_NODE + 3):
        c.apply(POD.format(name=f"p{i:02d}", extra="nodeName: worker-2"))
    c.settle()
    parsed = parse(source(c, namespace="default"))
    box = parsed["nodes"]["cluster_node_worker-2"]
    assert len([n for n in box if n.startswith("pod/")]) == MAX_PODS_PER_NODE
    assert box[-1] == "more/worker-2"
    assert '"more/worker-2" [label="+ 3 more pods: 3 Running"' in source(c, namespace="default")


def test_a_highlighted_pod_is_never_summarised_away(c):
    for i in range(MAX_PODS_PER_NODE + 3):
        c.apply(POD.format(name=f"p{i:02d}", extra="nodeName: worker-2"))
    c.settle()
    text = source(c, namespace="default", highlight=["Pod/default/p14"])
    box = parse(text)["nodes"]["cluster_node_worker-2"]
    pods = [n for n in box if n.startswith("pod/")]
    assert len(pods) == MAX_PODS_PER_NODE and "pod/default/p14" in pods
    assert '"pod/default/p14" [label="p14\\ndefault · 1/1 Running", color=red, fillcolor="#d4edda", penwidth=3]' \
        in text


def test_highlight_a_node_a_component_and_kube_proxy(c):
    proxy = next(p for p in c.api.list("Pod", "kube-system")
                 if p["metadata"]["name"].startswith("kube-proxy-") and p["spec"]["nodeName"] == "worker-1")
    apiserver = "Pod/kube-system/kube-apiserver-control-plane"
    text = source(c, highlight=["Node/worker-2", apiserver, f"Pod/kube-system/{proxy['metadata']['name']}",
                                "Node/nowhere"])
    assert 'graph [label="worker-2 · worker · Ready", color=red, fontsize=11, penwidth=3, style=rounded];' in text
    assert '"kube-apiserver" [label="kube-apiserver", color=red, fillcolor="#cfe2ff", penwidth=3];' in text
    assert '"kube-proxy/worker-1" [label="kube-proxy", color=red, fillcolor="#e7f1ff", penwidth=3, ' \
        'shape=component];' in text
    assert text.count("color=red") == 3
    assert source(c, highlight=["Node/nowhere"]) == source(c)


def test_a_pod_with_several_containers_is_a_box_of_containers(c):
    c.apply("""
apiVersion: v1
kind: Pod
metadata: {name: two}
spec:
  nodeName: worker-1
  containers:
  - {name: web, image: nginx}
  - {name: broken, image: nginx:doesnotexist}
""")
    c.settle()
    text = source(c)
    parsed = parse(text)
    assert box_of(parsed, "pod/default/two/web") == "cluster_pod_default_two"
    assert parsed["labels"]["cluster_pod_default_two"] == "two\\ndefault · 1/2 ImagePullBackOff"
    assert '"pod/default/two/web" [label="web\\nnginx · running", fillcolor="#d4edda"];' in text
    assert '"pod/default/two/broken" [label="broken\\nnginx:doesnotexist · ImagePullBackOff", ' \
        f'fillcolor="{FAILING_COLOUR}"];' in text
    assert "pod/default/two" not in [n for ids in parsed["nodes"].values() for n in ids]


def test_a_big_cluster_summarises_nodes_past_the_limit():
    big = Cluster(workers=MAX_NODES + 2)
    parsed = parse(source(big))
    node_boxes = [b for b in parsed["nodes"] if b.startswith("cluster_node_")]
    assert len(node_boxes) == MAX_NODES
    assert "cluster_node_control-plane" in node_boxes        # holds the control plane: always drawn
    text = source(big)
    assert '"more-nodes" [label="+ 3 more nodes: 3 Ready"' in text
    assert '"more-nodes" -> "kube-apiserver" [label="3 kubelets"' in text
    assert repr(cluster_diagram(big)).startswith(f"Cluster kubernetes: {MAX_NODES + 3} nodes, ")


def test_the_description_counts_nodes_and_pods(c):
    pods = c.store.count("Pod")
    assert repr(cluster_diagram(c)) == f"Cluster kubernetes: 3 nodes, {pods} pods"
    assert repr(cluster_diagram(c, namespace="default")) == "Cluster kubernetes: 3 nodes, 0 pods"


def test_the_source_is_deterministic_for_a_seed():
    def run(seed):
        cluster = Cluster(seed=seed)
        cluster.apply(POD.format(name="web", extra=""))
        cluster.settle()
        return source(cluster)

    assert run(0) == run(0)
    assert run(0) != run(1)            # generated pod names come from the seed


def test_minikube_has_one_node_holding_everything():
    m = Cluster.minikube()
    parsed = parse(source(m))
    assert [b for b in parsed["nodes"] if b] == ["cluster_node_minikube"]
    for component in CONTROL_PLANE:
        assert box_of(parsed, component) == "cluster_node_minikube"
    assert box_of(parsed, "pod/kube-system/storage-provisioner") == "cluster_node_minikube"


@pytest.mark.parametrize("status, colour", [
    ("Running", "#d4edda"), ("Completed", "#e2e3e5"), ("Terminating", "#e2e3e5"),
    ("Pending", "#fff3cd"), ("ContainerCreating", "#fff3cd"),
    ("CrashLoopBackOff", FAILING_COLOUR), ("ImagePullBackOff", FAILING_COLOUR),
])
def test_pod_colours(status, colour):
    assert pod_colour(status) == colour
