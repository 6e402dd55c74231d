"""``kubectl describe`` for PersistentVolume, PersistentVolumeClaim and StorageClass (v1.32)."""
from __future__ import annotations

from kubelearn.api.selector import format_labels
from kubelearn.apiserver.events import events_for
from kubelearn.apiserver.tables import (access_modes_text, is_default_class, pv_class, pvc_class,
                                        quantity_text)
from kubelearn.kubectl.describe.volumes import describe_volume_source
from kubelearn.kubectl.describe.writer import (
    LEVEL_0, LEVEL_1, LEVEL_2, PrefixWriter, go_slice, print_annotations_multiline,
    print_bool_ptr, print_events, print_labels_multiline, since, time_text)


def describe_persistent_volume(api, pv: dict, now: float, show_events: bool = True) -> str:
    meta, spec, status = pv["metadata"], pv.get("spec") or {}, pv.get("status") or {}
    w = PrefixWriter()
    w.write(LEVEL_0, f"Name:\t{meta['name']}\n")
    print_labels_multiline(w, "Labels", meta.get("labels"))
    print_annotations_multiline(w, "Annotations", meta.get("annotations"))
    w.write(LEVEL_0, f"Finalizers:\t{go_slice(meta.get('finalizers'))}\n")
    w.write(LEVEL_0, f"StorageClass:\t{pv_class(pv)}\n")
    if meta.get("deletionTimestamp"):
        w.write(LEVEL_0, f"Status:\tTerminating (lasts {since(meta['deletionTimestamp'], now)})\n")
    else:
        w.write(LEVEL_0, f"Status:\t{status.get('phase', '')}\n")
    claim = spec.get("claimRef")
    claim_text = f"{claim.get('namespace', '')}/{claim.get('name', '')}" if claim else ""
    w.write(LEVEL_0, f"Claim:\t{claim_text}\n")
    w.write(LEVEL_0, f"Reclaim Policy:\t{spec.get('persistentVolumeReclaimPolicy', '')}\n")
    w.write(LEVEL_0, f"Access Modes:\t{access_modes_text(spec.get('accessModes'))}\n")
    if spec.get("volumeMode") is not None:
        w.write(LEVEL_0, f"VolumeMode:\t{spec['volumeMode']}\n")
    w.write(LEVEL_0, f"Capacity:\t{quantity_text((spec.get('capacity') or {}).get('storage'))}\n")
    _node_affinity(w, spec.get("nodeAffinity"))
    w.write(LEVEL_0, f"Message:\t{status.get('message', '')}\n")
    w.write(LEVEL_0, "Source:\n")
    describe_volume_source(w, spec)
    print_events(w, events_for(api, pv) if show_events else None, now)
    return w.text()


def _node_affinity(w, affinity: dict | None) -> None:
    """printVolumeNodeAffinity: ``Required Terms`` with ``key op [values]`` expressions."""
    w.write(LEVEL_0, "Node Affinity:\t")
    required = (affinity or {}).get("required")
    if required is None:
        w.write_line("<none>")
        return
    w.write_line("")
    w.write(LEVEL_1, "Required Terms:\t")
    terms = required.get("nodeSelectorTerms") or []
    if not terms:
        w.write_line("<none>")
        return
    w.write_line("")
    for i, term in enumerate(terms):
        w.write(LEVEL_2, f"Term {i}:\t")
        exprs = term.get("matchExpressions") or []
        if not exprs:
            w.write_line("<none>")
            continue
        for j, req in enumerate(exprs):
            if j:
                w.write(LEVEL_2, "\t")
            text = f"{req.get('key', '')} {(req.get('operator') or '').lower()}"
            if req.get("values"):
                text += f" [{', '.join(req['values'])}]"
            w.write(LEVEL_0, f"{text}\n")


def describe_persistent_volume_claim(api, pvc: dict, now: float, show_events: bool = True) -> str:
    meta, spec, status = pvc["metadata"], pvc.get("spec") or {}, pvc.get("status") or {}
    w = PrefixWriter()
    w.write(LEVEL_0, f"Name:\t{meta['name']}\n")
    w.write(LEVEL_0, f"Namespace:\t{meta.get('namespace', '')}\n")
    w.write(LEVEL_0, f"StorageClass:\t{pvc_class(pvc)}\n")
    if meta.get("deletionTimestamp"):
        w.write(LEVEL_0, f"Status:\tTerminating (lasts {since(meta['deletionTimestamp'], now)})\n")
    else:
        w.write(LEVEL_0, f"Status:\t{status.get('phase', '')}\n")
    w.write(LEVEL_0, f"Volume:\t{spec.get('volumeName', '')}\n")
    print_labels_multiline(w, "Labels", meta.get("labels"))
    print_annotations_multiline(w, "Annotations", meta.get("annotations"))
    w.write(LEVEL_0, f"Finalizers:\t{go_slice(meta.get('finalizers'))}\n")
    capacity = modes = ""
    if spec.get("volumeName"):
        modes = access_modes_text(status.get("accessModes"))
        capacity = quantity_text((status.get("capacity") or {}).get("storage"))
    w.write(LEVEL_0, f"Capacity:\t{capacity}\n")
    w.write(LEVEL_0, f"Access Modes:\t{modes}\n")
    if spec.get("volumeMode") is not None:
        w.write(LEVEL_0, f"VolumeMode:\t{spec['volumeMode']}\n")
    source = spec.get("dataSource")
    if source is not None:
        w.write(LEVEL_0, "DataSource:\n")
        if source.get("apiGroup") is not None:
            w.write(LEVEL_1, f"APIGroup:\t{source['apiGroup']}\n")
        w.write(LEVEL_1, f"Kind:\t{source.get('kind', '')}\n")
        w.write(LEVEL_1, f"Name:\t{source.get('name', '')}\n")
    _used_by(w, _pods_using(api, pvc))
    conditions = status.get("conditions") or []
    if conditions:
        w.write(LEVEL_0, "Conditions:\n")
        w.write(LEVEL_1, "Type\tStatus\tLastProbeTime\tLastTransitionTime\tReason\tMessage\n")
        w.write(LEVEL_1, "----\t------\t-----------------\t------------------\t------\t-------\n")
        for c in conditions:
            w.write(LEVEL_1, f"{c.get('type', '')} \t{c.get('status', '')} \t"
                             f"{time_text(c.get('lastProbeTime'))} \t"
                             f"{time_text(c.get('lastTransitionTime'))} \t{c.get('reason', '')} \t"
                             f"{c.get('message', '')}\n")
    print_events(w, events_for(api, pvc) if show_events else None, now)
    return w.text()


def _pods_using(api, pvc: dict) -> list[dict]:
    """getPodsForPVC: pods mounting the claim (once per volume that names it), then owner pods."""
    meta = pvc["metadata"]
    pods_in_ns = api.list("Pod", meta.get("namespace", ""))
    using = [pod for pod in pods_in_ns for volume in (pod.get("spec") or {}).get("volumes") or []
             if (volume.get("persistentVolumeClaim") or {}).get("claimName") == meta["name"]]
    for ref in meta.get("ownerReferences") or []:
        if ref.get("kind") != "Pod":
            continue
        owner = next((p for p in pods_in_ns if p["metadata"].get("uid") == ref.get("uid")), None)
        if owner is not None and all(p["metadata"].get("uid") != ref.get("uid") for p in using):
            using.append(owner)
    return using


def _used_by(w, pods: list[dict]) -> None:
    w.write(LEVEL_0, "Used By:\t")
    if not pods:
        w.write_line("<none>")
        return
    for i, pod in enumerate(sorted(pods, key=lambda p: p["metadata"]["name"])):
        if i:
            w.write(LEVEL_0, "")
            w.write(LEVEL_0, "\t")
        w.write(LEVEL_0, f"{pod['metadata']['name']}\n")


def describe_storage_class(api, sc: dict, now: float, show_events: bool = True) -> str:
    meta = sc["metadata"]
    w = PrefixWriter()
    w.write(LEVEL_0, f"Name:\t{meta['name']}\n")
    w.write(LEVEL_0, f"IsDefaultClass:\t{'Yes' if is_default_class(sc) else 'No'}\n")
    w.write(LEVEL_0, f"Annotations:\t{format_labels(meta.get('annotations'))}\n")
    w.write(LEVEL_0, f"Provisioner:\t{sc.get('provisioner', '')}\n")
    w.write(LEVEL_0, f"Parameters:\t{format_labels(sc.get('parameters'))}\n")
    w.write(LEVEL_0, f"AllowVolumeExpansion:\t{print_bool_ptr(sc.get('allowVolumeExpansion'))}\n")
    if not sc.get("mountOptions"):
        w.write(LEVEL_0, "MountOptions:\t<none>\n")
    else:
        w.write(LEVEL_0, "MountOptions:\n")
        for option in sc["mountOptions"]:
            w.write(LEVEL_1, f"{option}\n")
    if sc.get("reclaimPolicy") is not None:
        w.write(LEVEL_0, f"ReclaimPolicy:\t{sc['reclaimPolicy']}\n")
    if sc.get("volumeBindingMode") is not None:
        w.write(LEVEL_0, f"VolumeBindingMode:\t{sc['volumeBindingMode']}\n")
    topologies = sc.get("allowedTopologies")
    if topologies is not None:
        w.write(LEVEL_0, "AllowedTopologies:\t")
        if not topologies:
            w.write_line("<none>")
        else:
            w.write_line("")
            for i, term in enumerate(topologies):
                w.write(LEVEL_1, f"Term {i}:\t")
                exprs = term.get("matchLabelExpressions") or []
                if not exprs:
                    w.write_line("<none>")
                for j, req in enumerate(exprs):
                    if j:
                        w.write(LEVEL_1, "\t")
                    text = f"{req.get('key', '')} in"
                    if req.get("values"):
                        text += f" [{', '.join(req['values'])}]"
                    w.write(LEVEL_0, f"{text}\n")
    print_events(w, events_for(api, sc) if show_events else None, now)
    return w.text()
