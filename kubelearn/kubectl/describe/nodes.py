"""``kubectl describe node`` (describeNode and describeNodeResource, describe.go v1.32).

Two things upstream reads that kubelearn does not store as objects:

* the node's Lease in ``kube-node-lease``: the kubelet holds it under the node's
  name, never sets ``acquireTime`` (``<unset>``) and renews it every 10 s (a
  quarter of the 40 s lease). It is derived here: a Ready node renewed it at the
  last 10 s tick since it registered; a node whose kubelet stopped last renewed
  it at its Ready condition's last heartbeat.
* the pods: one list of all pods, keeping those bound to the node that have not
  finished (the field selector upstream sends), in the API's order.

Requests and limits per pod follow kubectl's ``resourcehelper.PodRequestsAndLimits``:
the sum over containers, raised to the largest init container (sidecars, i.e.
restartable init containers, add up), plus the pod overhead.
"""
from __future__ import annotations

import math

from kubelearn.api.quantity import Quantity, QuantityParseError, parse_quantity
from kubelearn.apiserver.tables import node_roles, quantity_text
from kubelearn.clock import parse_rfc3339, rfc1123z
from kubelearn.kubectl.describe.writer import (
    LEVEL_0, LEVEL_1, PrefixWriter, print_annotations_multiline, print_events,
    print_labels_multiline, since, time_text)

LEASE_RENEW_SECONDS = 10
_STANDARD_CONTAINER_RESOURCES = ("cpu", "memory", "ephemeral-storage")


def describe_node(api, node: dict, now: float, show_events: bool = True) -> str:
    meta, spec, status = node["metadata"], node.get("spec") or {}, node.get("status") or {}
    pods = [p for p in api.list("Pod")
            if (p.get("spec") or {}).get("nodeName") == meta["name"]
            and (p.get("status") or {}).get("phase") not in ("Succeeded", "Failed")]
    w = PrefixWriter()
    w.write(LEVEL_0, f"Name:\t{meta['name']}\n")
    w.write(LEVEL_0, f"Roles:\t{','.join(node_roles(node)) or '<none>'}\n")
    print_labels_multiline(w, "Labels", meta.get("labels"))
    print_annotations_multiline(w, "Annotations", meta.get("annotations"))
    w.write(LEVEL_0, f"CreationTimestamp:\t{time_text(meta.get('creationTimestamp'))}\n")
    _taints(w, spec.get("taints"))
    w.write(LEVEL_0, f"Unschedulable:\t{'true' if spec.get('unschedulable') else 'false'}\n")
    _lease(w, node, now)
    conditions = status.get("conditions") or []
    if conditions:
        w.write(LEVEL_0, "Conditions:\n  Type\tStatus\tLastHeartbeatTime\tLastTransitionTime\t"
                         "Reason\tMessage\n")
        w.write(LEVEL_1, "----\t------\t-----------------\t------------------\t------\t-------\n")
        for c in conditions:
            w.write(LEVEL_1, f"{c.get('type', '')} \t{c.get('status', '')} \t"
                             f"{time_text(c.get('lastHeartbeatTime'))} \t"
                             f"{time_text(c.get('lastTransitionTime'))} \t{c.get('reason', '')} \t"
                             f"{c.get('message', '')}\n")
    w.write(LEVEL_0, "Addresses:\n")
    for address in status.get("addresses") or []:
        w.write(LEVEL_1, f"{address.get('type', '')}:\t{address.get('address', '')}\n")
    for field, title in (("capacity", "Capacity"), ("allocatable", "Allocatable")):
        if status.get(field):
            w.write(LEVEL_0, f"{title}:\n")
            for name in sorted(status[field]):
                w.write(LEVEL_0, f"  {name}:\t{quantity_text(status[field][name])}\n")
    info = status.get("nodeInfo") or {}
    w.write(LEVEL_0, "System Info:\n")
    for key, title in (("machineID", "Machine ID"), ("systemUUID", "System UUID"),
                       ("bootID", "Boot ID"), ("kernelVersion", "Kernel Version"),
                       ("osImage", "OS Image"), ("operatingSystem", "Operating System"),
                       ("architecture", "Architecture"),
                       ("containerRuntimeVersion", "Container Runtime Version"),
                       ("kubeletVersion", "Kubelet Version"),
                       ("kubeProxyVersion", "Kube-Proxy Version")):
        w.write(LEVEL_0, f"  {title}:\t{info.get(key, '')}\n")
    if spec.get("podCIDR"):
        w.write(LEVEL_0, f"PodCIDR:\t{spec['podCIDR']}\n")
    if spec.get("podCIDRs"):
        w.write(LEVEL_0, f"PodCIDRs:\t{','.join(spec['podCIDRs'])}\n")
    if spec.get("providerID"):
        w.write(LEVEL_0, f"ProviderID:\t{spec['providerID']}\n")
    _node_resources(w, node, pods, now)
    print_events(w, node_events(api, node) if show_events else None, now)
    return w.text()


def node_events(api, node: dict) -> list[dict]:
    """Events about the node by uid (controllers), then by name as uid (the kubelet)."""
    meta = node["metadata"]
    mine = [e for e in api.list("Event")
            if (e.get("involvedObject") or {}).get("kind") == "Node"
            and e["involvedObject"].get("name") == meta["name"]]
    by_uid = [e for e in mine if e["involvedObject"].get("uid") == meta.get("uid")]
    by_name = [e for e in mine if e["involvedObject"].get("uid") == meta["name"]]
    return by_uid + by_name


def _taints(w, taints: list[dict] | None) -> None:
    """printNodeTaintsMultiline: sorted by ``effect,key``; ``key=value:Effect``."""
    w.write(LEVEL_0, "Taints:\t")
    if not taints:
        w.write_line("<none>")
        return
    ordered = sorted(taints, key=lambda t: f"{t.get('effect', '')},{t.get('key', '')}")
    for i, taint in enumerate(ordered):
        if i:
            w.write(LEVEL_0, "")
            w.write(LEVEL_0, "\t")
        w.write(LEVEL_0, f"{taint_text(taint)}\n")


def taint_text(taint: dict) -> str:
    """Taint.ToString."""
    key, value, effect = taint.get("key", ""), taint.get("value", ""), taint.get("effect", "")
    if not effect:
        return f"{key}={value}:" if value else key
    return f"{key}={value}:{effect}" if value else f"{key}:{effect}"


def _lease(w, node: dict, now: float) -> None:
    renew = "<unset>"
    ready = next((c for c in (node.get("status") or {}).get("conditions") or []
                  if c.get("type") == "Ready"), None)
    created = node["metadata"].get("creationTimestamp")
    if ready is not None and ready.get("status") == "True" and created:
        start = parse_rfc3339(created)
        ticks = max(math.floor((now - start) / LEASE_RENEW_SECONDS), 0)
        renew = rfc1123z(start + ticks * LEASE_RENEW_SECONDS)
    elif ready is not None and ready.get("lastHeartbeatTime"):
        renew = time_text(ready["lastHeartbeatTime"])
    w.write(LEVEL_0, "Lease:\n")
    w.write(LEVEL_1, f"HolderIdentity:\t{node['metadata']['name']}\n")
    w.write(LEVEL_1, "AcquireTime:\t<unset>\n")
    w.write(LEVEL_1, f"RenewTime:\t{renew}\n")


# --- requests and limits ---------------------------------------------------------------------

def _quantity(value) -> Quantity:
    try:
        return parse_quantity(value)
    except QuantityParseError:
        return Quantity(0)


def _add(total: dict, more: dict) -> None:
    for name, value in more.items():
        total[name] = total[name] + value if name in total else value


def _max(total: dict, more: dict) -> None:
    for name, value in more.items():
        if name not in total or value > total[name]:
            total[name] = value


def _pod_totals(pod: dict, field: str) -> dict[str, Quantity]:
    """podRequests / podLimits of kubectl's resource helper, for ``requests`` or ``limits``."""
    spec = pod.get("spec") or {}

    def of(container: dict) -> dict[str, Quantity]:
        values = (container.get("resources") or {}).get(field) or {}
        return {name: _quantity(values[name]) for name in values}

    total: dict[str, Quantity] = {}
    for container in spec.get("containers") or []:
        _add(total, of(container))
    sidecars: dict[str, Quantity] = {}
    init_max: dict[str, Quantity] = {}
    for container in spec.get("initContainers") or []:
        values = of(container)
        if container.get("restartPolicy") == "Always":
            _add(total, values)
            _add(sidecars, values)
            values = dict(sidecars)
        else:
            combined: dict[str, Quantity] = {}
            _add(combined, values)
            _add(combined, sidecars)
            values = combined
        _max(init_max, values)
    _max(total, init_max)
    if spec.get("overhead"):
        _add(total, {name: _quantity(v) for name, v in spec["overhead"].items()})
    return total


def _percent(part: int, whole: int) -> int:
    """int64(float64(part) / float64(whole) * 100), as Go truncates it."""
    return int(float(part) / float(whole) * 100) if whole else 0


def _node_resources(w, node: dict, pods: list[dict], now: float) -> None:
    status = node.get("status") or {}
    allocatable = {n: _quantity(v) for n, v in
                   (status.get("allocatable") or status.get("capacity") or {}).items()}
    zero = Quantity(0)
    cpu_alloc = allocatable.get("cpu", zero).to_milli()
    mem_alloc = allocatable.get("memory", zero).to_int()
    w.write(LEVEL_0, f"Non-terminated Pods:\t({len(pods)} in total)\n")
    w.write(LEVEL_1, "Namespace\tName\t\tCPU Requests\tCPU Limits\tMemory Requests\t"
                     "Memory Limits\tAge\n")
    w.write(LEVEL_1, "---------\t----\t\t------------\t----------\t---------------\t"
                     "-------------\t---\n")
    reqs_total: dict[str, Quantity] = {}
    limits_total: dict[str, Quantity] = {}
    for pod in pods:
        reqs, limits = _pod_totals(pod, "requests"), _pod_totals(pod, "limits")
        _add(reqs_total, reqs)
        _add(limits_total, limits)
        cpu_r, cpu_l = reqs.get("cpu", zero), limits.get("cpu", zero)
        mem_r, mem_l = reqs.get("memory", zero), limits.get("memory", zero)
        meta = pod["metadata"]
        w.write(LEVEL_1, f"{meta.get('namespace', '')}\t{meta['name']}\t\t"
                         f"{cpu_r} ({_percent(cpu_r.to_milli(), cpu_alloc)}%)\t"
                         f"{cpu_l} ({_percent(cpu_l.to_milli(), cpu_alloc)}%)\t"
                         f"{mem_r} ({_percent(mem_r.to_int(), mem_alloc)}%)\t"
                         f"{mem_l} ({_percent(mem_l.to_int(), mem_alloc)}%)\t"
                         f"{since(meta.get('creationTimestamp'), now)}\n")
    w.write(LEVEL_0, "Allocated resources:\n  (Total limits may be over 100 percent, i.e., "
                     "overcommitted.)\n")
    w.write(LEVEL_1, "Resource\tRequests\tLimits\n")
    w.write(LEVEL_1, "--------\t--------\t------\n")
    for name, milli in (("cpu", True), ("memory", False), ("ephemeral-storage", False)):
        req, lim = reqs_total.get(name, zero), limits_total.get(name, zero)
        whole = allocatable.get(name, zero)
        scale = (lambda q: q.to_milli()) if milli else (lambda q: q.to_int())
        w.write(LEVEL_1, f"{name}\t{req} ({_percent(scale(req), scale(whole))}%)\t"
                         f"{lim} ({_percent(scale(lim), scale(whole))}%)\n")
    huge = sorted(n for n in allocatable if n.startswith("hugepages-"))
    extended = sorted(n for n in allocatable if not n.startswith("hugepages-")
                      and n not in _STANDARD_CONTAINER_RESOURCES and n != "pods")
    for name in huge:
        req, lim = reqs_total.get(name, zero), limits_total.get(name, zero)
        whole = allocatable[name]
        w.write(LEVEL_1, f"{name}\t{req} ({_percent(req.to_int(), whole.to_int())}%)\t"
                         f"{lim} ({_percent(lim.to_int(), whole.to_int())}%)\n")
    for name in extended:
        w.write(LEVEL_1, f"{name}\t{reqs_total.get(name, zero)}\t{limits_total.get(name, zero)}\n")
