"""``kubectl logs``: what a container wrote, from the kubelet of its node.

As upstream: kubectl picks the pod (``POD``, ``TYPE/NAME`` through the
object's selector and ``podutils.ByLogging``, or ``-l``) and the container
(``-c``, the ``kubectl.kubernetes.io/default-container`` annotation, else the
first, with ``Defaulted container "a" out of: a, b`` on stderr); the kubelet
then checks the container's status (``validateContainerLogStatus``: waiting to
start, ``--previous`` not found) and streams the run's lines. The lines come
from the container's simulated process (``kubelearn.node.containers``), stamped
with the simulated clock. ``-f`` cannot stream in a notebook and says so.
"""
from __future__ import annotations

from kubelearn.api.podutil import is_pod_ready
from kubelearn.api.selector import SelectorError, selector_from_label_selector, selector_from_set
from kubelearn.apiserver.errors import StatusError, bad_request
from kubelearn.clock import EPOCH, parse_rfc3339
from kubelearn.kubectl.command import Invocation
from kubelearn.kubectl.flags import Flag
from kubelearn.kubectl.resources import parse_resource_args, select
from kubelearn.kubectl.result import KubectlError

FLAGS = (
    Flag("container", "c"),
    Flag("previous", "p", "bool", False),
    Flag("tail", kind="int", default=-1),
    Flag("timestamps", kind="bool", default=False),
    Flag("follow", "f", "bool", False),
    Flag("selector", "l"),
    Flag("all-containers", kind="bool", default=False),
    Flag("prefix", kind="bool", default=False),
    Flag("max-log-requests", kind="int", default=5),
    Flag("pod-running-timeout", default="20s"),
)

USAGE = ("error: expected 'logs [-f] [-p] (POD | TYPE/NAME) [-c CONTAINER]'.\n"
         "POD or TYPE/NAME is a required argument for the logs command\n"
         "See 'kubectl logs -h' for help and examples")
DEFAULT_CONTAINER = "kubectl.kubernetes.io/default-container"
FOLLOW = ("error: kubelearn cannot follow logs (-f/--follow): a notebook cell has no live "
          "stream. Run the command again after cluster.advance(seconds) to see new lines.")


def run(inv: Invocation) -> None:
    args, flags = inv.args, inv.flags
    selector = flags["selector"]
    if len(args) == 0 and not selector or len(args) > 2:
        raise KubectlError(USAGE)
    if len(args) == 1 and selector:
        raise KubectlError("error: only a selector (-l) or a POD name is allowed\n"
                           "See 'kubectl logs -h' for help and examples")
    if flags["follow"]:
        raise KubectlError(FOLLOW)
    container = flags["container"] or (args[1] if len(args) == 2 else "")
    try:
        pods = _pods(inv, args[0] if args else None, selector)
    except StatusError as err:
        inv.fail([err])
        return
    for pod in pods:
        names = ([c["name"] for c in pod["spec"].get("containers") or ()]
                 if flags["all-containers"] else [_container(inv, pod, container)])
        for name in names:
            try:
                lines = _logs(inv, pod, name, flags["previous"])
            except StatusError as err:
                inv.fail([err])
                return
            _print(inv, pod, name, lines)


# -- which pods --------------------------------------------------------------
def _pods(inv: Invocation, arg: str | None, selector: str | None) -> list[dict]:
    if arg is None:
        info = parse_resource_args(["pods"])[0].info
        return select(inv.api, info, inv.namespace, selector)
    if "/" not in arg:
        return [inv.api.get("Pod", arg, inv.namespace)]
    request = parse_resource_args([arg])[0]
    obj = inv.api.get(request.info, request.names[0], inv.namespace)
    if request.info.kind == "Pod":
        return [obj]
    pods = _selected_pods(inv, obj)
    if not pods:
        raise KubectlError("error: timed out waiting for the condition")
    pods.sort(key=lambda p: p["metadata"]["name"])
    pods = _by_logging(pods)
    if len(pods) > 1:
        inv.warn(f"Found {len(pods)} pods, using pod/{pods[0]['metadata']['name']}")
    return pods[:1]


def _selected_pods(inv: Invocation, obj: dict) -> list[dict]:
    spec = obj.get("spec") or {}
    raw = spec.get("selector")
    try:
        if obj["kind"] == "Service" or obj["kind"] == "ReplicationController":
            if not raw:
                raise KubectlError(f"error: cannot attach to {obj['kind']}: selector for "
                                   f"{obj['kind'].lower()}s not implemented")
            selector = selector_from_set(raw)
        elif raw is not None:
            selector = selector_from_label_selector(raw)
        else:
            raise KubectlError(f"error: cannot get the logs from {obj['kind'].lower()}: "
                               "selector not implemented")
    except SelectorError as err:
        raise KubectlError(f"error: {err}") from err
    return [p for p in inv.api.list("Pod", inv.namespace)
            if selector.matches(p["metadata"].get("labels"))]


def _by_logging(pods: list[dict]) -> list[dict]:
    """podutils.ByLogging: assigned, Running before Unknown before Pending, ready, ready
    longest, more restarts, older first."""
    phase_rank = {"Running": 0, "Unknown": 1, "Pending": 2}

    def key(pod: dict):
        status = pod.get("status") or {}
        ready = is_pod_ready(pod)
        since = _ready_since(status) if ready else 0.0
        restarts = max((c.get("restartCount", 0) for c in status.get("containerStatuses") or ()),
                       default=0)
        created = parse_rfc3339(pod["metadata"]["creationTimestamp"])
        return (not pod["spec"].get("nodeName"), phase_rank.get(status.get("phase"), 3),
                not ready, since, -restarts, created)

    return sorted(pods, key=key)


def _ready_since(status: dict) -> float:
    for cond in status.get("conditions") or ():
        if cond.get("type") == "Ready" and cond.get("lastTransitionTime"):
            return parse_rfc3339(cond["lastTransitionTime"])
    return float("inf")


# -- which container ---------------------------------------------------------
def _container(inv: Invocation, pod: dict, name: str) -> str:
    containers = [c["name"] for c in pod["spec"].get("containers") or ()]
    init = [c["name"] for c in pod["spec"].get("initContainers") or ()]
    if not name:
        default = (pod["metadata"].get("annotations") or {}).get(DEFAULT_CONTAINER)
        if default:
            if default in containers + init:
                name = default
            else:
                inv.warn(f'Default container name "{default}" not found in pod '
                         f"{pod['metadata']['name']}")
    if not name:
        name = containers[0]
        if len(containers) > 1 or init:
            everyone = ", ".join(containers + [f"{c} (init)" for c in init])
            inv.warn(f'Defaulted container "{name}" out of: {everyone}')
    if name not in containers + init:
        raise KubectlError(f"error: container {name} is not valid for pod "
                           f"{pod['metadata']['name']}")
    return name


# -- the kubelet's side -------------------------------------------------------
def _logs(inv: Invocation, pod: dict, name: str, previous: bool) -> list[tuple[float, str]]:
    from kubelearn.node.kubelet import container_runs

    if not pod["spec"].get("nodeName"):
        return []                    # LogLocation: no host yet, an empty stream
    pod_name = pod["metadata"]["name"]
    status = next((c for c in (pod.get("status") or {}).get("containerStatuses") or ()
                   if c.get("name") == name), None)
    if status is None:
        raise bad_request(f'container "{name}" in pod "{pod_name}" is not available')
    container_id = _log_container_id(status, name, pod_name, previous)
    runs = container_runs(inv.cluster, pod["metadata"].get("namespace", ""), pod_name, name)
    for run in runs:
        if run.container_id == container_id:
            return run.logs(inv.api.clock.now)
    return []


def _log_container_id(status: dict, name: str, pod: str, previous: bool) -> str:
    """validateContainerLogStatus (kubelet_pods.go)."""
    last = (status.get("lastState") or {}).get("terminated")
    state = status.get("state") or {}
    waiting, running, terminated = state.get("waiting"), state.get("running"), \
        state.get("terminated")
    if previous:
        if not last or not last.get("containerID"):
            raise bad_request(f'previous terminated container "{name}" in pod "{pod}" not found')
        return last["containerID"]
    if running is not None:
        return status.get("containerID", "")
    if terminated is not None:
        if terminated.get("containerID"):
            return terminated["containerID"]
        if last and last.get("containerID"):
            return last["containerID"]
        raise bad_request(f'container "{name}" in pod "{pod}" is terminated')
    if last is not None:
        if not last.get("containerID"):
            raise bad_request(f'container "{name}" in pod "{pod}" is terminated')
        return last["containerID"]
    if waiting is not None:
        reason = waiting.get("reason", "")
        if reason == "ErrImagePull":
            detail = "image can't be pulled"
        elif reason == "ImagePullBackOff":
            detail = "trying and failing to pull image"
        else:
            detail = reason
        raise bad_request(f'container "{name}" in pod "{pod}" is waiting to start: {detail}')
    raise bad_request(f'container "{name}" in pod "{pod}" is waiting to start - no logs yet')


def _print(inv: Invocation, pod: dict, name: str, lines: list[tuple[float, str]]) -> None:
    tail = inv.flags["tail"]
    if tail is not None and tail >= 0:
        lines = lines[-tail:] if tail else []
    prefix = f"[pod/{pod['metadata']['name']}/{name}] " if inv.flags["prefix"] else ""
    for t, text in lines:
        stamp = _stamp(t) + " " if inv.flags["timestamps"] else ""
        inv.print(f"{prefix}{stamp}{text}")


def _stamp(t: float) -> str:
    """RFC3339NanoFixed, as the kubelet writes log timestamps."""
    from datetime import timedelta

    moment = EPOCH + timedelta(seconds=int(t))
    nanos = int(round((t - int(t)) * 1_000_000)) * 1000
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{nanos:09d}Z"
