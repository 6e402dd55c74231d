"""The whole cluster as a picture: control plane, nodes, and the pods on each node.

This is the ``architecture`` view of ``Cluster.diagram()``. Drawn from live
state through the API server, so the diagram after ``kubectl delete pod ...``
is different from the one before. Each node is a box holding its kubelet, its
kube-proxy and its pods; the control-plane components are the static pods on
the control-plane node, and arrows show who talks to the API server.

When the picture is small (at most ``CONTAINER_DETAIL_MAX_PODS`` pods), a pod
with more than one container is itself a box listing its containers and their
states (a sidecar next to its app); a one-container pod stays one node, as the
pod and its container are the same picture. Big clusters are summarised: a node
lists ``MAX_PODS_PER_NODE`` pods and ``+ N more pods: ...`` by status, and past
``MAX_NODES`` nodes the rest are one ``+ N more nodes`` line. Whatever
``highlight`` names is always drawn, with a red border.
"""
from __future__ import annotations

from kubelearn.apiserver.tables import node_roles, node_status_text, pod_status_text
from kubelearn.viz.common import (FAILING_COLOUR, OK_COLOUR, PENDING_COLOUR, STATUS_COLOURS,
                                  Highlight, count_text, key_of, more_text, new_graph, pick,
                                  plural, pod_colour)
from kubelearn.viz.dot import Diagram

__all__ = ["CONTROL_PLANE", "FAILING_COLOUR", "MAX_NODES", "MAX_PODS_PER_NODE", "STATUS_COLOURS",
           "cluster_diagram", "pod_colour"]

# How many pods a node box lists before it summarises the rest.
MAX_PODS_PER_NODE = 12
# How many node boxes are drawn before the rest become one summary line.
MAX_NODES = 12
# Pods with several containers are drawn as boxes of containers up to this many pods.
CONTAINER_DETAIL_MAX_PODS = 30
CONTROL_PLANE = ("kube-apiserver", "etcd", "kube-scheduler", "kube-controller-manager")


def cluster_diagram(cluster, namespace: str | None = None, highlight=()) -> Diagram:
    """A diagram of ``cluster``; ``namespace`` limits the pods shown (the
    control plane is always drawn); ``highlight`` is object keys to mark."""
    api = cluster.api
    marked = highlight if isinstance(highlight, Highlight) else Highlight(highlight)
    g = new_graph("cluster")
    g.node("kubectl", "you\n(kubectl)", shape="oval", fillcolor="#cfe2ff")
    pods_by_node: dict[str, list[dict]] = {}
    for pod in api.list("Pod", namespace):
        pods_by_node.setdefault(pod["spec"].get("nodeName") or "", []).append(pod)
    static = {p["metadata"]["labels"].get("component"): p for p in api.list("Pod", "kube-system")
              if (p["metadata"].get("labels") or {}).get("tier") == "control-plane"}
    hosts = {p["spec"].get("nodeName") for p in static.values()}
    nodes = api.list("Node")
    shown, hidden = pick(nodes, MAX_NODES, lambda n: key_of("Node", "", n["metadata"]["name"]),
                         marked, keep=lambda n: n["metadata"]["name"] in hosts)
    detail = sum(len(v) for v in pods_by_node.values()) <= CONTAINER_DETAIL_MAX_PODS
    for node in shown:
        _node_box(g, node, pods_by_node.get(node["metadata"]["name"], []), static, marked, detail)
    if hidden:
        _more_nodes(g, hidden, pods_by_node)
    unscheduled = pods_by_node.get("", [])
    if unscheduled:
        with g.subgraph("unscheduled", "not scheduled yet", style="dashed") as box:
            _pods(box, "unscheduled", unscheduled, marked, detail)
    _edges(g, static, shown, len(hidden))
    pods = sum(len(v) for v in pods_by_node.values())
    return Diagram(g, f"Cluster {cluster.name}: {len(nodes)} nodes, {pods} pods")


def _node_box(g, node: dict, pods: list[dict], static: dict, marked: Highlight, detail: bool) -> None:
    name = node["metadata"]["name"]
    roles = ",".join(node_roles(node)) or "worker"
    label = f"{name} · {roles} · {node_status_text(node)}"
    attrs = {"style": "rounded", "color": "#6c757d", "fontsize": 11, **marked.marks(key_of("Node", "", name))}
    with g.subgraph(f"node_{name}", label, **attrs) as box:
        for component in CONTROL_PLANE:
            pod = static.get(component)
            if pod is not None and pod["spec"].get("nodeName") == name:
                box.node(component, component, fillcolor="#cfe2ff", **marked.marks(_pod_key(pod)))
        proxy = [p for p in pods if _labels(p).get("k8s-app") == "kube-proxy"]
        box.node(f"kubelet/{name}", "kubelet", shape="component", fillcolor="#e7f1ff")
        box.node(f"kube-proxy/{name}", "kube-proxy", shape="component", fillcolor="#e7f1ff",
                 **(marked.marks(_pod_key(proxy[0])) if proxy else {}))
        _pods(box, name, [p for p in pods if not _drawn_as_component(p)], marked, detail)


def _pods(box, where: str, pods: list[dict], marked: Highlight, detail: bool) -> None:
    shown, hidden = pick(pods, MAX_PODS_PER_NODE, _pod_key, marked)
    for pod in shown:
        if detail and len(pod["spec"].get("containers") or ()) > 1:
            _pod_box(box, pod, marked)
        else:
            _pod(box, pod, marked)
    if hidden:
        box.node(f"more/{where}", more_text([pod_status_text(p)[2] for p in hidden]),
                 shape="plaintext", style="")


def _more_nodes(g, hidden: list[dict], pods_by_node: dict[str, list[dict]]) -> None:
    pods = [p for n in hidden for p in pods_by_node.get(n["metadata"]["name"], [])
            if not _drawn_as_component(p)]
    label = more_text([node_status_text(n) for n in hidden], "nodes")
    if pods:
        label += f"\n{plural(len(pods), 'pod')}: {count_text(pod_status_text(p)[2] for p in pods)}"
    with g.subgraph("more_nodes", None, style="dashed", color="#6c757d") as box:
        box.node("more-nodes", label, shape="box", style="rounded", fontsize=11)


def _labels(pod: dict) -> dict:
    return pod["metadata"].get("labels") or {}


def _drawn_as_component(pod: dict) -> bool:
    """Control-plane static pods and kube-proxy pods are drawn as the components
    they run, not as ordinary pods."""
    labels = _labels(pod)
    return labels.get("tier") == "control-plane" or labels.get("k8s-app") == "kube-proxy"


def _pod_key(pod: dict) -> str:
    meta = pod["metadata"]
    return key_of("Pod", meta["namespace"], meta["name"])


def _pod(box, pod: dict, marked: Highlight) -> None:
    ready, total, status, _, _ = pod_status_text(pod)
    meta = pod["metadata"]
    box.node(f"pod/{meta['namespace']}/{meta['name']}",
             f"{meta['name']}\n{meta['namespace']} · {ready}/{total} {status}",
             fillcolor=pod_colour(status), **marked.marks(_pod_key(pod)))


def _pod_box(box, pod: dict, marked: Highlight) -> None:
    """A pod with several containers: a box (filled with the pod's status colour)
    listing each container, its image and its state."""
    ready, total, status, _, _ = pod_status_text(pod)
    meta = pod["metadata"]
    states = {s.get("name"): s for s in (pod.get("status") or {}).get("containerStatuses") or ()}
    attrs = {"style": "rounded,filled", "fillcolor": pod_colour(status), "color": "#6c757d",
             **marked.marks(_pod_key(pod))}
    with box.subgraph(f"pod_{meta['namespace']}_{meta['name']}",
                      f"{meta['name']}\n{meta['namespace']} · {ready}/{total} {status}", **attrs) as inner:
        for container in pod["spec"]["containers"]:
            state, colour = container_state(states.get(container["name"]))
            inner.node(f"pod/{meta['namespace']}/{meta['name']}/{container['name']}",
                       f"{container['name']}\n{container.get('image', '')} · {state}", fillcolor=colour)


def container_state(status: dict | None) -> tuple[str, str]:
    """A container's state as ``kubectl describe`` names it, and its colour:
    ``running`` (green when ready), the waiting or terminated reason otherwise."""
    if not status:
        return "waiting", PENDING_COLOUR
    state = status.get("state") or {}
    if "running" in state:
        return ("running", OK_COLOUR) if status.get("ready") else ("running, not ready", PENDING_COLOUR)
    if "terminated" in state:
        reason = state["terminated"].get("reason") or "Terminated"
        return reason, ("#e2e3e5" if reason == "Completed" else FAILING_COLOUR)
    reason = (state.get("waiting") or {}).get("reason") or "waiting"
    return reason, (PENDING_COLOUR if reason in ("ContainerCreating", "PodInitializing", "waiting")
                    else FAILING_COLOUR)


def _edges(g, static: dict, nodes: list[dict], more_nodes: int) -> None:
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
    if more_nodes:
        g.edge("more-nodes", "kube-apiserver", label=plural(more_nodes, "kubelet"), style="dashed",
               color="#6c757d")
