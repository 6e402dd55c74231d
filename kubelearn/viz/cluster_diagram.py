"""The whole cluster as a picture: control plane, nodes, and the pods on each node.

Drawn from live state through the API server, so the diagram after
``kubectl delete pod ...`` is different from the one before. Each node is a
box holding its kubelet, its kube-proxy and its pods; the control-plane
components are the static pods on the control-plane node, and arrows show who
talks to the API server.
"""
from __future__ import annotations

from kubelearn.apiserver.tables import node_roles, node_status_text, pod_status_text
from kubelearn.viz.dot import Diagram, Digraph

# How many pods a node box lists before it summarises the rest.
MAX_PODS_PER_NODE = 12
CONTROL_PLANE = ("kube-apiserver", "etcd", "kube-scheduler", "kube-controller-manager")
STATUS_COLOURS = (
    ("Running", "#d4edda"), ("Completed", "#e2e3e5"), ("Terminating", "#e2e3e5"),
    ("Pending", "#fff3cd"), ("ContainerCreating", "#fff3cd"),
)
FAILING_COLOUR = "#f8d7da"


def pod_colour(status: str) -> str:
    return dict(STATUS_COLOURS).get(status, FAILING_COLOUR)


def cluster_diagram(cluster, namespace: str | None = None) -> Diagram:
    """A diagram of ``cluster``; ``namespace`` limits the pods shown (the
    control plane is always drawn)."""
    api = cluster.api
    g = Digraph("cluster", rankdir="LR", fontname="Helvetica", compound="true",
                node_attr={"shape": "box", "style": "rounded,filled", "fillcolor": "white",
                           "fontname": "Helvetica", "fontsize": 10},
                edge_attr={"fontname": "Helvetica", "fontsize": 9})
    g.node("kubectl", "you\n(kubectl)", shape="oval", fillcolor="#cfe2ff")
    pods_by_node: dict[str, list[dict]] = {}
    for pod in api.list("Pod", namespace):
        pods_by_node.setdefault(pod["spec"].get("nodeName") or "", []).append(pod)
    static = {p["metadata"]["labels"].get("component"): p for p in api.list("Pod", "kube-system")
              if (p["metadata"].get("labels") or {}).get("tier") == "control-plane"}
    for node in api.list("Node"):
        _node_box(g, node, pods_by_node.get(node["metadata"]["name"], []), static)
    unscheduled = pods_by_node.get("", [])
    if unscheduled:
        with g.subgraph("unscheduled", "not scheduled yet", style="dashed") as box:
            for pod in unscheduled:
                _pod(box, pod)
    _edges(g, static, api.list("Node"))
    nodes = api.store.count("Node")
    pods = sum(len(v) for v in pods_by_node.values())
    return Diagram(g, f"Cluster {cluster.name}: {nodes} nodes, {pods} pods")


def _node_box(g, node: dict, pods: list[dict], static: dict) -> None:
    name = node["metadata"]["name"]
    roles = ",".join(node_roles(node)) or "worker"
    label = f"{name} · {roles} · {node_status_text(node)}"
    with g.subgraph(f"node_{name}", label, style="rounded", color="#6c757d", fontsize=11) as box:
        for component in CONTROL_PLANE:
            pod = static.get(component)
            if pod is not None and pod["spec"].get("nodeName") == name:
                box.node(component, component, fillcolor="#cfe2ff")
        box.node(f"kubelet/{name}", "kubelet", shape="component", fillcolor="#e7f1ff")
        box.node(f"kube-proxy/{name}", "kube-proxy", shape="component", fillcolor="#e7f1ff")
        shown = [p for p in pods if not _drawn_as_component(p)]
        for pod in shown[:MAX_PODS_PER_NODE]:
            _pod(box, pod)
        if len(shown) > MAX_PODS_PER_NODE:
            box.node(f"more/{name}", f"+ {len(shown) - MAX_PODS_PER_NODE} more pods",
                     shape="plaintext", style="")


def _drawn_as_component(pod: dict) -> bool:
    """Control-plane static pods and kube-proxy pods are drawn as the components
    they run, not as ordinary pods."""
    labels = pod["metadata"].get("labels") or {}
    return labels.get("tier") == "control-plane" or labels.get("k8s-app") == "kube-proxy"


def _pod(box, pod: dict) -> None:
    ready, total, status, _, _ = pod_status_text(pod)
    meta = pod["metadata"]
    box.node(f"pod/{meta['namespace']}/{meta['name']}",
             f"{meta['name']}\n{meta['namespace']} · {ready}/{total} {status}",
             fillcolor=pod_colour(status))


def _edges(g, static: dict, nodes: list[dict]) -> None:
    if "kube-apiserver" not in static:
        return
    g.edge("kubectl", "kube-apiserver", label="requests")
    if "etcd" in static:
        g.edge("kube-apiserver", "etcd", label="stores")
    for component in ("kube-scheduler", "kube-controller-manager"):
        if component in static:
            g.edge(component, "kube-apiserver", label="watches", style="dashed")
    for node in nodes:
        g.edge(f"kubelet/{node['metadata']['name']}", "kube-apiserver", style="dashed",
               color="#6c757d")
