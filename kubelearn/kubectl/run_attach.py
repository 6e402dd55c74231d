"""``kubectl run --attach`` / ``-i`` / ``--rm``, the way a notebook can do it.

Upstream (run.go) waits for the pod to be running and ready, attaches to its
container, then, with ``--restart=Never`` or ``OnFailure``, waits for the pod
to finish and exits with the container's exit code; ``--rm`` deletes what was
created on the way out. Here the waits move simulated time forward event by
event (a watch, as ``watchtools.UntilWithSync``), and "attaching" means: let
the process run to its end and print what it wrote, which is what kubectl
prints when a pod has already finished (``logOpts``). A process still running
after ``--pod-running-timeout`` of simulated time ends the command with an
explanation, since a notebook cell cannot stay attached.
"""
from __future__ import annotations

from kubelearn.api.kinds import kind_info
from kubelearn.api.podutil import is_pod_ready
from kubelearn.apiserver.errors import StatusError
from kubelearn.kubectl.command import Invocation, render_problems
from kubelearn.kubectl.result import KubectlError


def attach_and_wait(inv: Invocation, pod: dict, service: dict | None, restart: str,
                    timeout: float, problems: list) -> None:
    """Run.go's attach branch on simulated time: wait for the pod to run (or finish),
    "attach" until its container exits, print what it wrote, delete what was
    created with --rm, and end with the container's exit code."""
    namespace, name = pod["metadata"].get("namespace") or inv.namespace, pod["metadata"]["name"]
    try:
        message, code = _attached_run(inv, namespace, name, restart, timeout)
    except KubectlError as err:
        message, code = err.message, err.exit_code
    finally:
        if inv.flags["rm"]:
            _remove(inv, [("Pod", pod), ("Service", service)])
    if message:
        inv.error(message.rstrip("\n"))
        inv.exit_code = code or 1
    inv.fail(problems)


def _attached_run(inv: Invocation, namespace: str, name: str, restart: str,
                  timeout: float) -> tuple[str, int]:
    """handleAttachPod, then the wait for the exit code: (error message, exit code)."""
    current = _wait(inv, namespace, name, timeout, _running_ready_or_done)
    if current is None:
        return "error: timed out waiting for the condition", 1
    if _phase(current) not in ("Succeeded", "Failed"):
        # attached: the container's output until its process ends
        current = _wait(inv, namespace, name, timeout, _first_run_done)
        if current is None:
            _print_logs(inv, _get(inv, namespace, name))
            return _still_running(inv, name, timeout), 1
    _print_logs(inv, current)
    if restart not in ("Never", "OnFailure") or inv.flags["leave-stdin-open"]:
        return "", 0
    done = _succeeded if restart == "OnFailure" else _completed
    return _exit_status(_wait(inv, namespace, name, timeout, done), namespace, name)


def _get(inv: Invocation, namespace: str, name: str) -> dict | None:
    return inv.api.store.get("Pod", namespace, name)


def _phase(pod: dict) -> str:
    return (pod.get("status") or {}).get("phase", "")


def _running_ready_or_done(pod: dict) -> bool:
    """podRunningAndReady, where a finished pod ends the wait too (ErrPodCompleted)."""
    phase = _phase(pod)
    return phase in ("Succeeded", "Failed") or (phase == "Running" and is_pod_ready(pod))


def _first_run_done(pod: dict) -> bool:
    """The attached process ended: the container is no longer running."""
    if _phase(pod) in ("Succeeded", "Failed"):
        return True
    statuses = (pod.get("status") or {}).get("containerStatuses") or ()
    return bool(statuses) and "running" not in (statuses[0].get("state") or {})


def _completed(pod: dict) -> bool:
    return _phase(pod) in ("Succeeded", "Failed")


def _succeeded(pod: dict) -> bool:
    return _phase(pod) == "Succeeded"


def _wait(inv: Invocation, namespace: str, name: str, limit: float, condition) -> dict | None:
    """watchtools.UntilWithSync on simulated time: the pod as listed, then every
    change to it, until ``condition(pod)``; None after ``limit`` seconds. The pod
    disappearing is upstream's NotFound."""
    cluster = inv.cluster
    cluster.run_now()
    deadline = cluster.clock.now + limit
    seen: list = []

    def on_event(event) -> None:
        meta = event.obj["metadata"]
        if event.kind == "Pod" and (meta.get("namespace", ""), meta["name"]) == (namespace,
                                                                                 name):
            seen.append(event)

    pod = _get(inv, namespace, name)
    if pod is not None and condition(pod):
        return pod
    cluster.store.watch(on_event)
    try:
        while True:
            while seen:
                event = seen.pop(0)
                if event.type == "DELETED":
                    raise KubectlError(f'Error from server (NotFound): pods "{name}" not found')
                if condition(event.obj):
                    return event.obj
            due = cluster.clock.next_due()
            if due is None or due > deadline:
                cluster.advance(max(0.0, deadline - cluster.clock.now))
                if not seen:
                    return None
                continue
            cluster.advance(max(0.0, due - cluster.clock.now))
    finally:
        cluster.store.unwatch(on_event)


def _print_logs(inv: Invocation, pod: dict | None) -> None:
    """logOpts: the container's output (a finished pod's logs, or what attach showed)."""
    from kubelearn.kubectl.cmd_logs import _logs

    if pod is None:
        return
    name = pod["spec"]["containers"][0]["name"]
    try:
        lines = _logs(inv, pod, name, False)
    except StatusError:
        return
    for _, text in lines:
        inv.print(text)


def _exit_status(pod: dict | None, namespace: str, name: str) -> tuple[str, int]:
    """The end of run.go's attach branch: the exit code with --restart=Never."""
    if pod is None:
        return "error: timed out waiting for the condition", 1
    phase = _phase(pod)
    if phase == "Succeeded":
        return "", 0
    if phase == "Failed":
        unknown = f"error: pod {namespace}/{name} failed with unknown exit code"
        statuses = (pod.get("status") or {}).get("containerStatuses") or ()
        terminated = (statuses[0].get("state") or {}).get("terminated") if statuses else None
        if not terminated or not terminated.get("exitCode"):
            return unknown, 1
        return (f"pod {namespace}/{name} terminated ({terminated.get('reason', '')})\n"
                f"{terminated.get('message', '')}", terminated["exitCode"])
    return f"error: pod {namespace}/{name} left in phase {phase}", 1


def _still_running(inv: Invocation, name: str, timeout: float) -> str:
    later = ("" if inv.flags["rm"] else
             f', or read its output later with "kubectl logs {name}"')
    return (f"error: kubelearn cannot stay attached to pod/{name}: its container was still "
            f"running after {_go_duration(timeout)} of simulated time, and a notebook cell "
            f"cannot wait for it. Raise --pod-running-timeout to wait longer{later}")


def _go_duration(seconds: float) -> str:
    minutes, secs = divmod(int(seconds), 60)
    hours, minutes = divmod(minutes, 60)
    if hours:
        return f"{hours}h{minutes}m{secs}s"
    return f"{minutes}m{secs}s" if minutes else f"{secs}s"


def _remove(inv: Invocation, created: list) -> None:
    """removeCreatedObjects: delete what run created, ignoring NotFound."""
    for kind, obj in created:
        if obj is None:
            continue
        meta = obj["metadata"]
        try:
            inv.api.delete(kind, meta["name"], meta.get("namespace") or inv.namespace)
        except StatusError as err:
            if err.reason != "NotFound":
                inv.error(render_problems([err]))
            continue
        inv.print(f'{kind_info(kind).display} "{meta["name"]}" deleted')
