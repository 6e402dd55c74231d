"""``kubectl describe`` for Deployments, ReplicaSets and DaemonSets (describe.go, v1.32).

A Deployment's ``OldReplicaSets``/``NewReplicaSet`` come from kubectl's
``deploymentutil.GetAllReplicaSets``: the ReplicaSets its selector matches
*and* it controls, ordered by creation time (then name); the new one is the
first whose pod template equals the Deployment's once ``pod-template-hash`` is
ignored, every other one is old (also those scaled to 0).
"""
from __future__ import annotations

from kubelearn.api.selector import SelectorError, selector_from_label_selector
from kubelearn.apiserver.events import events_for
from kubelearn.apiserver.tables import format_label_selector
from kubelearn.clock import parse_rfc3339
from kubelearn.kubectl.describe.pods import describe_pod_template
from kubelearn.kubectl.describe.writer import (
    LEVEL_0, LEVEL_1, PrefixWriter, controlled_by, print_annotations_multiline, print_events,
    print_labels_multiline, time_text)
from kubelearn.api.selector import format_labels

POD_TEMPLATE_HASH = "pod-template-hash"


def _selector(obj: dict):
    return selector_from_label_selector((obj.get("spec") or {}).get("selector"))


def _int_or_string(value) -> str:
    """IntOrString.String(); a nil pointer prints ``<nil>``."""
    return "<nil>" if value is None else str(value)


def describe_deployment(api, d: dict, now: float, show_events: bool = True) -> str:
    meta, spec, status = d["metadata"], d.get("spec") or {}, d.get("status") or {}
    selector = _selector(d)  # upstream fails the whole describe on a bad selector, as here
    old_rss, new_rs = replica_sets_of(api, d)
    w = PrefixWriter()
    w.write(LEVEL_0, f"Name:\t{meta['name']}\n")
    w.write(LEVEL_0, f"Namespace:\t{meta.get('namespace', '')}\n")
    w.write(LEVEL_0, f"CreationTimestamp:\t{time_text(meta.get('creationTimestamp'))}\n")
    print_labels_multiline(w, "Labels", meta.get("labels"))
    print_annotations_multiline(w, "Annotations", meta.get("annotations"))
    w.write(LEVEL_0, f"Selector:\t{selector}\n")
    w.write(LEVEL_0, f"Replicas:\t{spec.get('replicas', 1)} desired | "
                     f"{status.get('updatedReplicas', 0)} updated | "
                     f"{status.get('replicas', 0)} total | "
                     f"{status.get('availableReplicas', 0)} available | "
                     f"{status.get('unavailableReplicas', 0)} unavailable\n")
    strategy = spec.get("strategy") or {}
    w.write(LEVEL_0, f"StrategyType:\t{strategy.get('type', '')}\n")
    w.write(LEVEL_0, f"MinReadySeconds:\t{spec.get('minReadySeconds', 0)}\n")
    rolling = strategy.get("rollingUpdate")
    if rolling is not None:
        w.write(LEVEL_0, f"RollingUpdateStrategy:\t{_int_or_string(rolling.get('maxUnavailable'))} "
                         f"max unavailable, {_int_or_string(rolling.get('maxSurge'))} max surge\n")
    describe_pod_template(w, spec.get("template"))
    _conditions(w, status.get("conditions"))
    if old_rss or new_rs is not None:
        w.write(LEVEL_0, f"OldReplicaSets:\t{_replica_sets_text(old_rss)}\n")
        w.write(LEVEL_0, f"NewReplicaSet:\t{_replica_sets_text([new_rs] if new_rs else [])}\n")
    print_events(w, events_for(api, d) if show_events else None, now)
    return w.text()


def _conditions(w, conditions: list[dict] | None) -> None:
    if conditions:
        w.write(LEVEL_0, "Conditions:\n  Type\tStatus\tReason\n")
        w.write(LEVEL_1, "----\t------\t------\n")
        for cond in conditions:
            w.write(LEVEL_1, f"{cond.get('type', '')} \t{cond.get('status', '')}\t"
                             f"{cond.get('reason', '')}\n")


def _replica_sets_text(rss: list[dict]) -> str:
    """printReplicaSetsByLabels: ``name (status.replicas/spec.replicas replicas created)``."""
    return ", ".join(f"{rs['metadata']['name']} ({(rs.get('status') or {}).get('replicas', 0)}/"
                     f"{(rs.get('spec') or {}).get('replicas', 1)} replicas created)"
                     for rs in rss) or "<none>"


def replica_sets_of(api, d: dict) -> tuple[list[dict], dict | None]:
    """GetAllReplicaSets: (all old ReplicaSets, the new one or None)."""
    meta = d["metadata"]
    try:
        selector = _selector(d)
    except SelectorError:
        return [], None
    owned = [rs for rs in api.list("ReplicaSet", meta.get("namespace", ""), selector)
             if _controller_uid(rs) == meta.get("uid")]
    owned.sort(key=lambda rs: (parse_rfc3339(rs["metadata"]["creationTimestamp"])
                               if rs["metadata"].get("creationTimestamp") else 0.0,
                               rs["metadata"]["name"]))
    template = _without_hash((d.get("spec") or {}).get("template"))
    new_rs = next((rs for rs in owned
                   if _without_hash((rs.get("spec") or {}).get("template")) == template), None)
    return [rs for rs in owned if rs is not new_rs], new_rs


def _without_hash(template: dict | None) -> dict:
    template = dict(template or {})
    meta = dict(template.get("metadata") or {})
    labels = {k: v for k, v in (meta.get("labels") or {}).items() if k != POD_TEMPLATE_HASH}
    meta["labels"] = labels
    template["metadata"] = meta
    return template


def _controller_uid(obj: dict) -> str | None:
    for ref in obj["metadata"].get("ownerReferences") or []:
        if ref.get("controller"):
            return ref.get("uid")
    return None


def pod_phase_counts(api, obj: dict) -> tuple[int, int, int, int]:
    """getPodStatusForController: Running / Waiting (Pending) / Succeeded / Failed among the
    pods the selector matches that ``obj`` controls."""
    counts = {"Running": 0, "Pending": 0, "Succeeded": 0, "Failed": 0}
    uid = obj["metadata"].get("uid")
    for pod in api.list("Pod", obj["metadata"].get("namespace", ""), _selector(obj)):
        phase = (pod.get("status") or {}).get("phase")
        if _controller_uid(pod) == uid and phase in counts:
            counts[phase] += 1
    return counts["Running"], counts["Pending"], counts["Succeeded"], counts["Failed"]


def describe_replica_set(api, rs: dict, now: float, show_events: bool = True) -> str:
    meta, spec, status = rs["metadata"], rs.get("spec") or {}, rs.get("status") or {}
    running, waiting, succeeded, failed = pod_phase_counts(api, rs)
    w = PrefixWriter()
    w.write(LEVEL_0, f"Name:\t{meta['name']}\n")
    w.write(LEVEL_0, f"Namespace:\t{meta.get('namespace', '')}\n")
    w.write(LEVEL_0, f"Selector:\t{format_label_selector(spec.get('selector'))}\n")
    print_labels_multiline(w, "Labels", meta.get("labels"))
    print_annotations_multiline(w, "Annotations", meta.get("annotations"))
    if controlled_by(rs):
        w.write(LEVEL_0, f"Controlled By:\t{controlled_by(rs)}\n")
    w.write(LEVEL_0, f"Replicas:\t{status.get('replicas', 0)} current / "
                     f"{spec.get('replicas', 1)} desired\n")
    w.write(LEVEL_0, "Pods Status:\t")
    w.write(LEVEL_0, f"{running} Running / {waiting} Waiting / {succeeded} Succeeded / "
                     f"{failed} Failed\n")
    describe_pod_template(w, spec.get("template"))
    _conditions(w, status.get("conditions"))
    print_events(w, events_for(api, rs) if show_events else None, now)
    return w.text()


def describe_daemon_set(api, ds: dict, now: float, show_events: bool = True) -> str:
    meta, spec, status = ds["metadata"], ds.get("spec") or {}, ds.get("status") or {}
    selector = _selector(ds)
    running, waiting, succeeded, failed = pod_phase_counts(api, ds)
    node_selector = ((spec.get("template") or {}).get("spec") or {}).get("nodeSelector")
    w = PrefixWriter()
    w.write(LEVEL_0, f"Name:\t{meta['name']}\n")
    w.write(LEVEL_0, f"Namespace:\t{meta.get('namespace', '')}\n")
    w.write(LEVEL_0, f"Selector:\t{selector}\n")
    w.write(LEVEL_0, f"Node-Selector:\t{format_labels(node_selector)}\n")
    print_labels_multiline(w, "Labels", meta.get("labels"))
    print_annotations_multiline(w, "Annotations", meta.get("annotations"))
    w.write(LEVEL_0, "Desired Number of Nodes Scheduled: "
                     f"{status.get('desiredNumberScheduled', 0)}\n")
    w.write(LEVEL_0, "Current Number of Nodes Scheduled: "
                     f"{status.get('currentNumberScheduled', 0)}\n")
    w.write(LEVEL_0, "Number of Nodes Scheduled with Up-to-date Pods: "
                     f"{status.get('updatedNumberScheduled', 0)}\n")
    w.write(LEVEL_0, "Number of Nodes Scheduled with Available Pods: "
                     f"{status.get('numberAvailable', 0)}\n")
    w.write(LEVEL_0, f"Number of Nodes Misscheduled: {status.get('numberMisscheduled', 0)}\n")
    w.write(LEVEL_0, f"Pods Status:\t{running} Running / {waiting} Waiting / "
                     f"{succeeded} Succeeded / {failed} Failed\n")
    describe_pod_template(w, spec.get("template"))
    print_events(w, events_for(api, ds) if show_events else None, now)
    return w.text()
