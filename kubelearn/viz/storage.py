"""The ``storage`` view: where a pod's files really live.

Pod -> each volume (mounted where, in which container) -> what backs it: an
``emptyDir`` lives and dies with the pod; a ``hostPath`` is a directory on one
node (two pods see the same files only on the same node); a ConfigMap or
Secret is an API object whose keys become files; a PersistentVolumeClaim ->
the PersistentVolume bound to it -> the real storage (a hostPath directory, a
CSI driver's volume handle, an NFS export) and the StorageClass that made it.

A claim that is not bound is marked ``Pending`` (yellow), with what it waits
for; a claim, ConfigMap or Secret a pod names but that does not exist is drawn
dashed red, "not found" -- the pod stays in ContainerCreating until it exists.
The projected service-account token every pod gets (``kube-api-access-*``) is
left out; pods with no other volume are not drawn. Past ``MAX_PODS_PER_OWNER``
pods of one owner (a ReplicaSet's replicas share a template), the rest are one
``+ N more pods`` line with arrows to what they use.
"""
from __future__ import annotations

from kubelearn.apiserver.tables import access_modes_text, is_default_class, pod_status_text, pv_class, \
    pvc_class, quantity_text
from kubelearn.viz.common import (FAILING_COLOUR, IDLE_COLOUR, MISSING_STYLE, OK_COLOUR, PENDING_COLOUR,
                                  Highlight, controller_of, key_of, more_text, namespaces_shown,
                                  new_graph, object_key, pick, plural, pod_colour)
from kubelearn.viz.dot import Diagram

MAX_PODS_PER_OWNER = 3
MAX_MOUNTS_SHOWN = 3
TOKEN_VOLUME_PREFIX = "kube-api-access-"
CLAIM_COLOUR = "#e7f1ff"
CLASS_COLOUR = "#efe5fb"
BACKING = {"shape": "cylinder", "fillcolor": "#f8f9fa"}
PV_COLOURS = {"Bound": CLAIM_COLOUR, "Available": OK_COLOUR, "Released": IDLE_COLOUR,
              "Failed": FAILING_COLOUR, "Pending": PENDING_COLOUR}
# Where a PersistentVolume's data is, per volume source: (node id, label).
_PV_SOURCES = {
    "hostPath": lambda s: (f"hostPath:{s.get('path', '')}", f"hostPath\n{s.get('path', '')}"),
    "local": lambda s: (f"local:{s.get('path', '')}", f"local disk\n{s.get('path', '')}"),
    "csi": lambda s: (f"csi/{s.get('driver', '')}/{s.get('volumeHandle', '')}",
                      f"CSI {s.get('driver', '')}\n{s.get('volumeHandle', '')}"),
    "nfs": lambda s: (f"nfs/{s.get('server', '')}:{s.get('path', '')}",
                      f"NFS {s.get('server', '')}:{s.get('path', '')}"),
    "awsElasticBlockStore": lambda s: (f"ebs/{s.get('volumeID', '')}", f"EBS volume\n{s.get('volumeID', '')}"),
}


class _Drawing:
    """Nodes go into their boxes as they are found; edges are written last, at the
    top level, once every node has its place."""

    def __init__(self, cluster, marked: Highlight):
        self.cluster, self.marked = cluster, marked
        self.g = new_graph("storage")
        self.edges: list[tuple[str, str, dict]] = []
        self.top: dict[str, tuple[str, dict]] = {}    # top-level nodes: id -> (label, attrs)
        self.classes = {sc["metadata"]["name"]: sc for sc in cluster.api.list("StorageClass")}
        self.used_classes: set[str] = set()
        self.drawn: set[str] = set()       # ConfigMaps, Secrets and claims a volume named

    def edge(self, a: str, b: str, **attrs) -> None:
        self.edges.append((a, b, attrs))

    def top_node(self, node_id: str, label: str, **attrs) -> None:
        self.top.setdefault(node_id, (label, attrs))

    def storage_class(self, name: str, source: str, **attrs) -> None:
        """An edge from ``source`` to the class, or to a "not found" node."""
        if name in self.classes:
            self.used_classes.add(name)
            self.edge(source, key_of("StorageClass", "", name), **attrs)
        else:
            key = key_of("StorageClass", "", name)
            self.top_node(key, f"StorageClass {name}\nnot found", **{**MISSING_STYLE, **self.marked.marks(key)})
            self.edge(source, key, **attrs)


def storage_diagram(cluster, namespace: str | None = None, highlight=()) -> Diagram:
    """Pods' volumes, claims, persistent volumes, their backing storage and classes,
    for ``namespace`` (default: every namespace but Kubernetes' own)."""
    marked = highlight if isinstance(highlight, Highlight) else Highlight(highlight)
    namespaces = namespaces_shown(cluster, namespace)
    d = _Drawing(cluster, marked)
    pods = claims = 0
    for ns in namespaces:
        with_volumes = [p for p in cluster.api.list("Pod", ns) if _volumes(p)]
        ns_claims = cluster.api.list("PersistentVolumeClaim", ns)
        if with_volumes or ns_claims:
            _namespace_box(d, ns, with_volumes, ns_claims)
        pods, claims = pods + len(with_volumes), claims + len(ns_claims)
    shown_ns = set(namespaces)
    volumes = [pv for pv in cluster.api.list("PersistentVolume") if _claimed_in(pv, shown_ns)]
    for pv in volumes:
        _persistent_volume(d, pv)
    for name, sc in sorted(d.classes.items()):
        if name in d.used_classes or is_default_class(sc) or key_of("StorageClass", "", name) in marked:
            _storage_class(d, sc)
    for node_id in sorted(d.top):
        label, attrs = d.top[node_id]
        d.g.node(node_id, label, **attrs)
    if not (pods or claims or volumes):
        d.g.node("nothing", f"no volumes in namespace {', '.join(namespaces) or '(none)'}",
                 shape="plaintext", style="")
    for a, b, attrs in d.edges:
        d.g.edge(a, b, **attrs)
    where = namespace if namespace is not None else "all namespaces but kube-*"
    return Diagram(d.g, f"Storage ({where}): {plural(pods, 'pod')} with volumes, "
                        f"{plural(claims, 'claim')}, {plural(len(volumes), 'persistent volume')}")


def _claimed_in(pv: dict, namespaces: set[str]) -> bool:
    """A volume is shown with the namespace of its claim; an unclaimed one always."""
    claim = (pv.get("spec") or {}).get("claimRef")
    return not claim or claim.get("namespace", "") in namespaces


def _volumes(pod: dict) -> list[dict]:
    """The pod's volumes but the service-account token Kubernetes adds to every pod."""
    return [v for v in pod["spec"].get("volumes") or ()
            if not (v.get("name", "").startswith(TOKEN_VOLUME_PREFIX) and "projected" in v)]


def _namespace_box(d: _Drawing, ns: str, pods: list[dict], claims: list[dict]) -> None:
    groups: dict[str, list[dict]] = {}
    for pod in pods:
        ref = controller_of(pod)
        groups.setdefault(f"{ref.get('kind')}/{ns}/{ref.get('name')}" if ref else "", []).append(pod)
    attrs = {"style": "rounded", "color": "#6c757d", "fontsize": 11,
             **d.marked.marks(key_of("Namespace", "", ns))}
    with d.g.subgraph(f"ns_{ns}", f"namespace {ns}", **attrs) as box:
        for owner in sorted(groups):
            shown, hidden = pick(groups[owner], MAX_PODS_PER_OWNER, object_key, d.marked)
            for pod in shown:
                _pod(d, box, pod)
            if hidden:
                more = f"more/{owner or 'bare/' + ns}"
                box.node(more, more_text([pod_status_text(p)[2] for p in hidden])
                         + (f"\nof {owner.split('/')[0]} {owner.split('/')[-1]}, same volumes" if owner else ""),
                         style="dashed,rounded")
                targets = sorted({t for p in hidden for v in _volumes(p) for t in _targets(d, box, p, v)})
                for target in targets:
                    d.edge(more, target, style="dashed")
        for claim in claims:
            _claim(d, box, claim)


def _pod(d: _Drawing, box, pod: dict) -> None:
    meta = pod["metadata"]
    ready, total, status, _, _ = pod_status_text(pod)
    node = pod["spec"].get("nodeName")
    key = object_key(pod)
    attrs = {"style": "rounded,filled", "fillcolor": pod_colour(status), "color": "#6c757d",
             **d.marked.marks(key)}
    label = f"Pod {meta['name']}\n{ready}/{total} {status}" + (f" · {node}" if node else " · not scheduled")
    with box.subgraph(f"pod_{meta['namespace']}_{meta['name']}", label, **attrs) as inner:
        for volume in _volumes(pod):
            volume_id = f"volume/{meta['namespace']}/{meta['name']}/{volume['name']}"
            inner.node(volume_id, _volume_label(pod, volume), fillcolor="white")
            for target in _targets(d, box, pod, volume):
                d.edge(volume_id, target)


def _volume_type(volume: dict) -> str:
    return next((k for k in sorted(volume) if k != "name"), "emptyDir")


def _volume_label(pod: dict, volume: dict) -> str:
    kind = _volume_type(volume)
    source = volume.get(kind) or {}
    text = kind + (f" ({source['medium']})" if kind == "emptyDir" and source.get("medium") else "")
    if kind == "emptyDir":
        text += ", deleted with the pod"
    mounts = [(c["name"], m) for c in pod["spec"].get("containers") or ()
              for m in c.get("volumeMounts") or () if m.get("name") == volume["name"]]
    lines = [f"{volume['name']} · {text}"]
    for container, mount in mounts[:MAX_MOUNTS_SHOWN]:
        read_only = " (read-only)" if mount.get("readOnly") else ""
        lines.append(f"{container}: {mount.get('mountPath', '')}{read_only}")
    if len(mounts) > MAX_MOUNTS_SHOWN:
        lines.append(f"+ {len(mounts) - MAX_MOUNTS_SHOWN} more mounts")
    if not mounts:
        lines.append("not mounted")
    return "\n".join(lines)


def _targets(d: _Drawing, box, pod: dict, volume: dict) -> list[str]:
    """The node ids a volume points to, creating nodes for hostPath directories and
    for ConfigMaps, Secrets and claims (missing ones dashed red)."""
    ns = pod["metadata"]["namespace"]
    kind = _volume_type(volume)
    source = volume.get(kind) or {}
    if kind == "hostPath":
        node = pod["spec"].get("nodeName") or "(not scheduled)"
        path = source.get("path", "")
        node_id = f"hostPath:{node}:{path}"
        d.top_node(node_id, f"{path}\non node {node}", **BACKING)
        return [node_id]
    if kind == "persistentVolumeClaim":
        return [_object(d, box, "PersistentVolumeClaim", ns, source.get("claimName", ""))]
    if kind == "configMap":
        return [_object(d, box, "ConfigMap", ns, source.get("name", ""))]
    if kind == "secret":
        return [_object(d, box, "Secret", ns, source.get("secretName", ""))]
    if kind == "projected":
        found = []
        for part in source.get("sources") or ():
            if "configMap" in part:
                found.append(_object(d, box, "ConfigMap", ns, part["configMap"].get("name", "")))
            elif "secret" in part:
                found.append(_object(d, box, "Secret", ns, part["secret"].get("name", "")))
        return found
    if kind in _PV_SOURCES:
        node_id, label = _PV_SOURCES[kind](source)
        d.top_node(node_id, label, **BACKING)
        return [node_id]
    return []


def _object(d: _Drawing, box, kind: str, ns: str, name: str) -> str:
    """A ConfigMap, Secret or claim a volume names; drawn once (claims are drawn by
    ``_claim``), "not found" in dashed red when it does not exist."""
    key = key_of(kind, ns, name)
    if key in d.drawn:
        return key
    d.drawn.add(key)
    exists = d.cluster.api.store.get(kind, ns, name) is not None
    if kind == "PersistentVolumeClaim" and exists:
        return key                      # drawn with the namespace's claims
    if exists:
        box.node(key, f"{kind} {name}", shape="note", fillcolor="#fff8e1", **d.marked.marks(key))
    else:
        box.node(key, f"{kind} {name}\nnot found", **{**MISSING_STYLE, **d.marked.marks(key)})
    return key


def _claim(d: _Drawing, box, pvc: dict) -> None:
    key = object_key(pvc)
    spec, status = pvc.get("spec") or {}, pvc.get("status") or {}
    phase = "Terminating" if pvc["metadata"].get("deletionTimestamp") else status.get("phase") or "Pending"
    size = quantity_text((status.get("capacity") or {}).get("storage")) if phase == "Bound" else \
        quantity_text(((spec.get("resources") or {}).get("requests") or {}).get("storage"))
    modes = access_modes_text(status.get("accessModes") if phase == "Bound" else spec.get("accessModes"))
    cls = pvc_class(pvc)
    lines = [pvc["metadata"]["name"], f"PVC · {phase} · {size} {modes}".rstrip()]
    if cls:
        lines.append(f"class {cls}")
    volume_name = spec.get("volumeName")
    pv = d.cluster.api.store.get("PersistentVolume", "", volume_name) if volume_name else None
    if phase != "Bound":
        lines.append(_waits_for(d, spec, volume_name, pv, cls))
    box.node(key, "\n".join(lines), fillcolor=CLAIM_COLOUR if phase == "Bound" else PENDING_COLOUR,
             **d.marked.marks(key))
    if volume_name:
        pv_key = key_of("PersistentVolume", "", volume_name)
        if pv is None:
            d.top_node(pv_key, f"PersistentVolume {volume_name}\nnot found",
                       **{**MISSING_STYLE, **d.marked.marks(pv_key)})
        d.edge(key, pv_key, **({"label": "bound"} if phase == "Bound" else {"style": "dashed", "label": "wants"}))
    elif cls and phase != "Bound":
        d.storage_class(cls, key, style="dashed", label="waits for")


def _waits_for(d: _Drawing, spec: dict, volume_name: str | None, pv: dict | None, cls: str) -> str:
    if volume_name:
        return f"waits for volume {volume_name}" + ("" if pv else " (not found)")
    if not cls:
        return "waits for a matching volume (no class)"
    sc = d.classes.get(cls)
    if sc is None:
        return f"StorageClass {cls} does not exist"
    if sc.get("volumeBindingMode") == "WaitForFirstConsumer":
        return "waits for a pod to use it (WaitForFirstConsumer)"
    return f"waits for {sc.get('provisioner', '')} to provision it"


def _persistent_volume(d: _Drawing, pv: dict) -> None:
    key = object_key(pv)
    spec, status = pv.get("spec") or {}, pv.get("status") or {}
    phase = "Terminating" if pv["metadata"].get("deletionTimestamp") else status.get("phase") or "Pending"
    size = quantity_text((spec.get("capacity") or {}).get("storage"))
    lines = [pv["metadata"]["name"], f"PV · {phase} · {size} {access_modes_text(spec.get('accessModes'))}",
             f"reclaim {spec.get('persistentVolumeReclaimPolicy', 'Retain')}"]
    claim = spec.get("claimRef")
    if claim and phase != "Bound":
        lines.append(f"claim {claim.get('namespace', '')}/{claim.get('name', '')}")
    d.top_node(key, "\n".join(lines), fillcolor=PV_COLOURS.get(phase, IDLE_COLOUR), **d.marked.marks(key))
    kind = next((k for k in _PV_SOURCES if k in spec), None)
    if kind is not None:
        node_id, label = _PV_SOURCES[kind](spec[kind] or {})
        d.top_node(node_id, label, **BACKING)
        d.edge(key, node_id)
    else:
        other = next((k for k in sorted(spec) if k.endswith(("Disk", "Store", "Volume", "fs", "FS"))), None)
        if other:
            node_id = f"{other}/{pv['metadata']['name']}"
            d.top_node(node_id, other, **BACKING)
            d.edge(key, node_id)
    cls = pv_class(pv)
    if cls:
        d.storage_class(cls, key, style="dashed", label="class", color="#6c757d")


def _storage_class(d: _Drawing, sc: dict) -> None:
    name = sc["metadata"]["name"]
    key = object_key(sc)
    label = (f"{name}{' (default)' if is_default_class(sc) else ''}\nStorageClass · {sc.get('provisioner', '')}\n"
             f"{sc.get('reclaimPolicy') or 'Delete'} · {sc.get('volumeBindingMode') or 'Immediate'}")
    d.top_node(key, label, shape="box", fillcolor=CLASS_COLOUR, **d.marked.marks(key))
