"""The ``workloads`` view: who owns which pod.

Deployment -> its ReplicaSets, one per revision (the
``deployment.kubernetes.io/revision`` annotation, READY as ``ready/desired``)
-> their Pods, coloured by STATUS. DaemonSets own their pods directly; a
ReplicaSet with no Deployment and a pod with no controller (a "bare" pod) are
drawn on their own. Edges follow ``ownerReferences`` (the one with
``controller: true``), exactly what the garbage collector follows, so a pod
whose owner is gone shows up bare.

An old revision's ReplicaSet, scaled to zero, stays in the picture (greyed): it
is what ``kubectl rollout undo`` goes back to. Past ``MAX_PODS_PER_OWNER`` pods,
an owner's other pods are one ``+ N more pods: ...`` line.
"""
from __future__ import annotations

from kubelearn.apiserver.tables import pod_status_text
from kubelearn.viz.common import (IDLE_COLOUR, OBJECT_COLOUR, Highlight, controller_of, key_of,
                                  more_text, namespaces_shown, new_graph, object_key, pick, plural,
                                  pod_colour)
from kubelearn.viz.dot import Diagram

MAX_PODS_PER_OWNER = 12
REVISION_ANNOTATION = "deployment.kubernetes.io/revision"
RS_COLOUR = "#e7f1ff"


def workloads_diagram(cluster, namespace: str | None = None, highlight=()) -> Diagram:
    """Deployments, ReplicaSets, DaemonSets and Pods of ``namespace`` (default:
    every namespace but Kubernetes' own), joined by their owner references."""
    marked = highlight if isinstance(highlight, Highlight) else Highlight(highlight)
    namespaces = namespaces_shown(cluster, namespace)
    g = new_graph("workloads")
    totals = {"Deployment": 0, "ReplicaSet": 0, "DaemonSet": 0, "Pod": 0}
    for ns in namespaces:
        objects = {kind: cluster.api.list(kind, ns) for kind in totals}
        if not any(objects.values()) and namespace is None:
            continue
        for kind, found in objects.items():
            totals[kind] += len(found)
        _namespace_box(g, ns, objects, marked)
    if not any(totals.values()):
        g.node("nothing", f"no workloads in namespace {', '.join(namespaces) or '(none)'}",
               shape="plaintext", style="")
    where = namespace if namespace is not None else "all namespaces but kube-*"
    counts = ", ".join(plural(n, kind.lower()) for kind, n in totals.items())
    return Diagram(g, f"Workloads ({where}): {counts}")


def _namespace_box(g, ns: str, objects: dict[str, list[dict]], marked: Highlight) -> None:
    by_uid = {o["metadata"]["uid"]: o for kind in ("Deployment", "ReplicaSet", "DaemonSet")
              for o in objects[kind]}
    children: dict[str, list[dict]] = {}       # owner key -> owned objects, in store order
    bare: dict[str, list[dict]] = {"ReplicaSet": [], "Pod": []}
    for kind in ("ReplicaSet", "Pod"):
        for obj in objects[kind]:
            ref = controller_of(obj)
            owner = by_uid.get(ref.get("uid")) if ref else None
            if owner is None:
                bare[kind].append(obj)
            else:
                children.setdefault(object_key(owner), []).append(obj)
    attrs = {"style": "rounded", "color": "#6c757d", "fontsize": 11,
             **marked.marks(key_of("Namespace", "", ns))}
    with g.subgraph(f"ns_{ns}", f"namespace {ns}", **attrs) as box:
        for deployment in objects["Deployment"]:
            key = object_key(deployment)
            box.node(key, _deployment_label(deployment), fillcolor=OBJECT_COLOUR, **marked.marks(key))
            replicasets = sorted(children.get(key, []), key=lambda rs: (_revision(rs), rs["metadata"]["name"]))
            newest = replicasets[-1] if replicasets else None
            for rs in replicasets:
                _replicaset(box, rs, children, marked)
                box.edge(key, object_key(rs), **({} if rs is newest else {"style": "dashed", "color": "#6c757d"}))
        for daemonset in objects["DaemonSet"]:
            key = object_key(daemonset)
            box.node(key, _daemonset_label(daemonset), fillcolor=OBJECT_COLOUR, **marked.marks(key))
            _owned_pods(box, key, children.get(key, []), marked)
        for rs in bare["ReplicaSet"]:
            _replicaset(box, rs, children, marked)
        _owned_pods(box, f"bare/{ns}", bare["Pod"], marked, owner_drawn=False)


def _replicaset(box, rs: dict, children: dict, marked: Highlight) -> None:
    key = object_key(rs)
    spec, status = rs.get("spec") or {}, rs.get("status") or {}
    desired, ready = spec.get("replicas", 1), status.get("readyReplicas", 0)
    revision = (rs["metadata"].get("annotations") or {}).get(REVISION_ANNOTATION)
    label = rs["metadata"]["name"] + "\nReplicaSet · "
    label += (f"revision {revision} · " if revision else "") + f"{ready}/{desired} ready"
    idle = {"fillcolor": IDLE_COLOUR, "fontcolor": "#6c757d"} if desired == 0 else {"fillcolor": RS_COLOUR}
    box.node(key, label, **idle, **marked.marks(key))
    _owned_pods(box, key, children.get(key, []), marked)


def _owned_pods(box, owner: str, pods: list[dict], marked: Highlight, *, owner_drawn: bool = True) -> None:
    shown, hidden = pick(pods, MAX_PODS_PER_OWNER, object_key, marked)
    for pod in shown:
        key = object_key(pod)
        ready, total, status, _, _ = pod_status_text(pod)
        node = pod["spec"].get("nodeName")
        label = f"{pod['metadata']['name']}\n{ready}/{total} {status}" + (f" · {node}" if node else "")
        box.node(key, label, fillcolor=pod_colour(status), **marked.marks(key))
        if owner_drawn:
            box.edge(owner, key)
    if hidden:
        more = f"more/{owner}"
        box.node(more, more_text([pod_status_text(p)[2] for p in hidden]), style="dashed,rounded")
        if owner_drawn:
            box.edge(owner, more, style="dashed")


def _revision(rs: dict) -> int:
    text = (rs["metadata"].get("annotations") or {}).get(REVISION_ANNOTATION, "")
    return int(text) if text.isdigit() else 0


def _deployment_label(d: dict) -> str:
    spec, status = d.get("spec") or {}, d.get("status") or {}
    desired = spec.get("replicas", 1)
    return (f"{d['metadata']['name']}\nDeployment · {status.get('readyReplicas', 0)}/{desired} ready, "
            f"{status.get('updatedReplicas', 0)} up-to-date, {status.get('availableReplicas', 0)} available")


def _daemonset_label(ds: dict) -> str:
    status = ds.get("status") or {}
    return (f"{ds['metadata']['name']}\nDaemonSet · "
            f"{status.get('numberReady', 0)}/{status.get('desiredNumberScheduled', 0)} ready")
