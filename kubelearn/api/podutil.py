"""Small read-only questions about pods, as upstream's ``pkg/api/v1/pod/util.go`` asks them.

The scheduler, the kubelet and the workload controllers all need the same few
answers: is this pod ready, available, active, whose is it, how much does it
request, which port does a Service's ``targetPort`` name. Keeping them in one
place keeps their answers identical everywhere, as upstream does.

Everything here reads stored dicts and never changes them.
"""
from __future__ import annotations

from functools import lru_cache

from kubelearn.api.quantity import to_int, to_milli
from kubelearn.clock import parse_rfc3339

# The scheduler's stand-ins for a container that requests nothing, used only
# to spread pods when scoring (schedutil.DefaultMilliCPURequest / DefaultMemoryRequest).
DEFAULT_MILLI_CPU_REQUEST = 100
DEFAULT_MEMORY_REQUEST = 200 * 1024 * 1024

TERMINAL_PHASES = ("Succeeded", "Failed")


def get_condition(status: dict | None, type_: str) -> dict | None:
    """The condition of ``type_`` in a status, or None."""
    for cond in (status or {}).get("conditions") or ():
        if cond.get("type") == type_:
            return cond
    return None


def is_pod_ready(pod: dict) -> bool:
    """IsPodReady: the Ready condition is True."""
    cond = get_condition(pod.get("status"), "Ready")
    return cond is not None and cond.get("status") == "True"


def is_pod_available(pod: dict, min_ready_seconds: int, now: float) -> bool:
    """IsPodAvailable: ready for at least ``minReadySeconds`` (strictly longer, as upstream)."""
    cond = get_condition(pod.get("status"), "Ready")
    if cond is None or cond.get("status") != "True":
        return False
    if not min_ready_seconds:
        return True
    since = cond.get("lastTransitionTime")
    return bool(since) and parse_rfc3339(since) + min_ready_seconds < now


def is_pod_terminal(pod: dict) -> bool:
    return (pod.get("status") or {}).get("phase") in TERMINAL_PHASES


def is_pod_active(pod: dict) -> bool:
    """controller.IsPodActive: not Succeeded/Failed and not being deleted."""
    return not is_pod_terminal(pod) and not pod["metadata"].get("deletionTimestamp")


def controller_ref(obj: dict) -> dict | None:
    """metav1.GetControllerOf: the ownerReference with ``controller: true``."""
    for ref in obj["metadata"].get("ownerReferences") or ():
        if ref.get("controller"):
            return ref
    return None


def new_controller_ref(owner: dict) -> dict:
    """metav1.NewControllerRef, with the key order the API server prints."""
    meta = owner["metadata"]
    return {"apiVersion": owner["apiVersion"], "blockOwnerDeletion": True, "controller": True,
            "kind": owner["kind"], "name": meta["name"], "uid": meta["uid"]}


@lru_cache(maxsize=4096)
def _quantity(value, milli: bool) -> int:
    """A request as an integer (milli-units or whole units); the same few strings recur."""
    try:
        return to_milli(value) if milli else to_int(value)
    except (ValueError, TypeError):
        return 0


def container_requests(container: dict) -> tuple[int, int, bool, bool]:
    """(milliCPU, memory bytes, cpu set?, memory set?) of one container.

    A limit without a request counts as the request, as API defaulting makes it.
    """
    resources = container.get("resources") or {}
    requests = resources.get("requests") or {}
    limits = resources.get("limits") or {}
    cpu = requests.get("cpu", limits.get("cpu"))
    mem = requests.get("memory", limits.get("memory"))
    return (_quantity(cpu, True) if cpu is not None else 0,
            _quantity(mem, False) if mem is not None else 0,
            cpu is not None, mem is not None)


def pod_requests(spec: dict, *, non_zero: bool = False) -> tuple[int, int]:
    """resourcehelper.PodRequests: (milliCPU, memory) the scheduler charges a node.

    The sum over containers, at least the largest init container, plus
    ``overhead``. With ``non_zero`` a container that requests nothing counts as
    100m / 200Mi, which is how the scorer spreads BestEffort pods.
    """
    cpu = mem = 0
    for c in spec.get("containers") or ():
        c_cpu, c_mem, has_cpu, has_mem = container_requests(c)
        if non_zero:
            c_cpu = c_cpu if has_cpu else DEFAULT_MILLI_CPU_REQUEST
            c_mem = c_mem if has_mem else DEFAULT_MEMORY_REQUEST
        cpu += c_cpu
        mem += c_mem
    for c in spec.get("initContainers") or ():
        c_cpu, c_mem, _, _ = container_requests(c)
        cpu, mem = max(cpu, c_cpu), max(mem, c_mem)
    overhead = spec.get("overhead") or {}
    if "cpu" in overhead:
        cpu += _quantity(overhead["cpu"], True)
    if "memory" in overhead:
        mem += _quantity(overhead["memory"], False)
    return cpu, mem


def find_port(pod: dict, service_port: dict) -> int | None:
    """podutil.FindPort: the container port a Service port's ``targetPort`` means.

    A number is used as it is; a name is looked up among the pod's container
    ports with the same protocol. None when a named port is not found.
    """
    target = service_port.get("targetPort", service_port.get("port"))
    if isinstance(target, int):
        return target
    if isinstance(target, str) and target.isdigit():
        return int(target)
    protocol = service_port.get("protocol", "TCP")
    for container in pod.get("spec", {}).get("containers") or ():
        for port in container.get("ports") or ():
            if port.get("name") == target and port.get("protocol", "TCP") == protocol:
                return port.get("containerPort")
    return None


def update_condition(conditions: list[dict], new: dict, now_text: str) -> list[dict]:
    """podutil.UpdatePodCondition: replace the condition of the same type, keeping its
    ``lastTransitionTime`` when the status did not change. Returns a new list."""
    out, found = [], False
    for cond in conditions:
        if cond.get("type") != new["type"]:
            out.append(cond)
            continue
        found = True
        merged = {**new}
        if cond.get("status") == new.get("status") and cond.get("lastTransitionTime"):
            merged["lastTransitionTime"] = cond["lastTransitionTime"]
        else:
            merged.setdefault("lastTransitionTime", now_text)
        out.append(dict(sorted(merged.items())))
    if not found:
        merged = {**new, "lastTransitionTime": new.get("lastTransitionTime") or now_text}
        out.append(dict(sorted(merged.items())))
    return out
