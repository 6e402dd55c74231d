"""The pod status a kubelet reports, built from what it knows about the pod.

A port of the shape of ``generateAPIPodStatus`` + the status manager's
``mergePodStatus`` (kubelet v1.32): phase from the container states, the
kubelet-owned conditions in the kubelet's order (PodReadyToStartContainers,
Initialized, Ready, ContainersReady, PodScheduled) after any condition other
components own, container statuses shaped as a CRI runtime fills them, host
and pod IPs, start time. ``lastTransitionTime`` only moves when a condition's
status changes.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

from kubelearn.clock import rfc3339 as _rfc3339


@lru_cache(maxsize=1024)
def _stamp_whole(seconds: int) -> str:
    return _rfc3339(seconds)


def rfc3339(t: float) -> str:
    """clock.rfc3339, memoised per whole second (status writes format the same few times)."""
    return _stamp_whole(int(t))

KUBELET_CONDITIONS = ("PodReadyToStartContainers", "Initialized", "Ready", "ContainersReady",
                      "PodScheduled")


@dataclass
class ContainerRecord:
    """What the kubelet knows of one container of a pod."""
    name: str
    image: str                      # as the spec names it
    state: str = "waiting"          # waiting | running | terminated
    reason: str = "ContainerCreating"
    message: str = ""
    container_id: str = ""
    image_shown: str = ""           # status.image once the runtime has the container
    image_id: str = ""
    started_at: float | None = None
    finished_at: float | None = None
    exit_code: int | None = None
    ready: bool = False
    restart_count: int = 0
    volume_mounts: list = field(default_factory=list)
    started: bool | None = None     # None: no startup probe, started once running
    last_terminated: dict | None = None   # lastState.terminated after a restart
    run: object = None              # the live process (containers.ContainerRun)
    previous_run: object = None     # the one before it (kubectl logs --previous)
    env: object = None              # env.ContainerEnv built when last created (the next run's)
    backoff: tuple[float, float] = (0.0, 0.0)   # crash-loop back-off: (delay, last exit)
    timers: dict = field(default_factory=dict)  # name -> Timer (exit, restart, probes)
    probes: dict = field(default_factory=dict)  # probe type -> probes.ProbeState

    def serving(self, stage: str, now: float) -> bool:
        """Whether this container's process accepts connections, its pod worker being at
        ``stage``: it runs, and the pod is starting or running, or is shutting down and
        the process has not stopped yet. SIGTERM only starts the shutdown: an app that
        ignores it (Node.js as PID 1) serves until the kubelet kills it when the grace
        period ends (``finished_at``); one that exits on it (nginx) stops at once."""
        if self.state != "running" or self.run is None:
            return False
        if stage in ("starting", "running"):
            return True
        return stage == "terminating" and (self.finished_at is None or now < self.finished_at)

    def status(self) -> dict:
        """One entry of ``status.containerStatuses``."""
        out: dict = {}
        if self.container_id:
            out["containerID"] = self.container_id
        out["image"] = self.image_shown or self.image
        out["imageID"] = self.image_id
        out["lastState"] = ({"terminated": dict(self.last_terminated)}
                            if self.last_terminated else {})
        out["name"] = self.name
        out["ready"] = self.ready
        out["restartCount"] = self.restart_count
        out["started"] = self.state == "running" and self.started is not False
        out["state"] = self._state()
        mounts = [_mount_status(m) for m in self.volume_mounts]
        if mounts:
            out["volumeMounts"] = mounts
        return out

    def _state(self) -> dict:
        if self.state == "running":
            return {"running": {"startedAt": rfc3339(self.started_at or 0)}}
        if self.state == "terminated":
            term = {"containerID": self.container_id, "exitCode": self.exit_code or 0,
                    "finishedAt": rfc3339(self.finished_at or 0)}
            if self.message:
                term["message"] = self.message
            term["reason"] = self.reason or ("Completed" if not self.exit_code else "Error")
            if self.started_at is not None:
                term["startedAt"] = rfc3339(self.started_at)
            if not self.container_id:
                del term["containerID"]
            return {"terminated": term}
        waiting = {"reason": self.reason}
        if self.message:
            waiting["message"] = self.message
        return {"waiting": waiting}


def _mount_status(mount: dict) -> dict:
    out = {"mountPath": mount.get("mountPath", ""), "name": mount.get("name", "")}
    if mount.get("readOnly"):
        out["readOnly"] = True
        out["recursiveReadOnly"] = "Disabled"
    return out


def pod_phase(containers: list[ContainerRecord], terminal: bool,
              restart_policy: str = "Always") -> str:
    """getPhase (kubelet_pods.go): Pending while a container waits for its first start,
    Running while any runs (or will be restarted), Succeeded/Failed once all have stopped
    for good. A container waiting to be restarted counts as stopped."""
    running = stopped = succeeded = waiting = 0
    for c in containers:
        if c.state == "running":
            running += 1
        elif c.state == "terminated":
            stopped += 1
            succeeded += not c.exit_code
        elif c.last_terminated is not None:
            stopped += 1
            succeeded += not c.last_terminated.get("exitCode")
        else:
            waiting += 1
    if waiting:
        return "Pending"
    if running:
        return "Running"
    if terminal or restart_policy == "Never":
        return "Succeeded" if stopped == succeeded else "Failed"
    if restart_policy == "Always":
        return "Running"
    return "Succeeded" if stopped == succeeded else "Running"


class ConditionClock:
    """Remembers when each kubelet condition last changed status."""

    def __init__(self) -> None:
        self._since: dict[str, tuple[str, str]] = {}

    def stamp(self, type_: str, status: str, now: float, previous: dict | None = None) -> str:
        known = self._since.get(type_)
        if known is None and previous is not None and previous.get("status") == status \
                and previous.get("lastTransitionTime"):
            known = (status, previous["lastTransitionTime"])
        if known is None or known[0] != status:
            known = (status, rfc3339(now))
        self._since[type_] = known
        return known[1]


def build_status(current: dict, *, containers: list[ContainerRecord], sandbox_ready: bool,
                 terminal: bool, start_time: float, host_ip: str, pod_ip: str | None,
                 clock: ConditionClock, now: float) -> dict:
    """The whole ``status`` the kubelet would write for this pod now."""
    old = current.get("status") or {}
    old_conds = {c.get("type"): c for c in old.get("conditions") or ()}
    phase = pod_phase(containers, terminal, (current.get("spec") or {}).get("restartPolicy",
                                                                            "Always"))
    unready = [c.name for c in containers if not c.ready]

    def cond(type_: str, ok: bool, reason: str = "", message: str = "") -> dict:
        status = "True" if ok else "False"
        out = {"lastProbeTime": None,
               "lastTransitionTime": clock.stamp(type_, status, now, old_conds.get(type_))}
        if not ok and message:
            out["message"] = message
        if not ok and reason:
            out["reason"] = reason
        out["status"] = status
        out["type"] = type_
        return out

    done = phase in ("Succeeded", "Failed")
    ready_reason = "PodCompleted" if done else "ContainersNotReady"
    ready_msg = "" if done else f"containers with unready status: [{' '.join(unready)}]"
    conditions = [c for t, c in old_conds.items() if t not in KUBELET_CONDITIONS]
    conditions += [
        cond("PodReadyToStartContainers", sandbox_ready and not done),
        cond("Initialized", True),
        cond("Ready", not unready and not done, ready_reason, ready_msg),
        cond("ContainersReady", not unready and not done, ready_reason, ready_msg),
    ]
    scheduled = old_conds.get("PodScheduled")
    conditions.append({"lastProbeTime": None,
                       "lastTransitionTime": (scheduled or {}).get("lastTransitionTime")
                       or rfc3339(start_time),
                       "status": "True", "type": "PodScheduled"})

    status = {k: v for k, v in old.items() if k not in _KUBELET_FIELDS}
    status["conditions"] = conditions
    status["containerStatuses"] = [c.status() for c in containers]
    status["hostIP"] = host_ip
    status["hostIPs"] = [{"ip": host_ip}]
    status["phase"] = phase
    if pod_ip:
        status["podIP"] = pod_ip
        status["podIPs"] = [{"ip": pod_ip}]
    status["startTime"] = rfc3339(start_time)
    return status


_KUBELET_FIELDS = frozenset({"conditions", "containerStatuses", "hostIP", "hostIPs", "phase",
                             "podIP", "podIPs", "startTime"})
