"""Containers as processes: start, exit, restart, CrashLoopBackOff, logs.

When a container starts, the kubelet gives it a ``ContainerRun``: the process
its image's app and the container spec describe (``apps.plan_process``), the
lines it has written and, for a script, its replayable trace. A process ends
in one of three ways: the script reaches its end (a timer at the exit time),
something crashes it (``container_exited``: an HTTP request to ``/error``), or
the kubelet kills it (a failed liveness or startup probe, pod deletion).

What follows an exit is upstream's ``kuberuntime_manager``: with
``restartPolicy: Always`` (or ``OnFailure`` and a non-zero exit) the container
is restarted, through ``doBackOff``: the first restart is immediate, later ones
wait 10 s, 20 s, 40 s ... capped at 300 s, counted from the exit, and the
back-off is forgotten once a container ran for 10 minutes (``flowcontrol.Backoff``
with ``hasExpired`` at twice the cap). While it waits the container shows
``CrashLoopBackOff`` with ``Back-off restarting failed container`` events,
and ``lastState.terminated`` keeps the previous run's end. ``Kubelet`` mixes
this in.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from kubelearn.node.apps import (ProcessPlan, access_line, http_response, plan_process,
                                 startup_lines, trace)
from kubelearn.node.podstatus import ContainerRecord
from kubelearn.node.runtime import go_duration

if TYPE_CHECKING:
    from kubelearn.node.kubelet import PodWorker

CRASH_BACKOFF_INITIAL = 10.0     # kubelet's backOffPeriod
CRASH_BACKOFF_MAX = 300.0        # MaxContainerBackOff
CRASH_RESYNC = (10.0, 5.0)       # pod worker resync while backing off: 10s, jitter factor 0.5


@dataclass
class ContainerRun:
    """One run of a container's process (a container id's lifetime)."""
    container_id: str
    app: dict
    plan: ProcessPlan
    started_at: float
    values: dict
    lines: list[tuple[float, str]] = field(default_factory=list)
    finished_at: float | None = None

    def logs(self, now: float) -> list[tuple[float, str]]:
        """What ``kubectl logs`` shows for this run: (time, line), oldest first."""
        end = self.finished_at if self.finished_at is not None else now
        lines = [(t, text if isinstance(text, str) else
                  access_line(self.app, t, {**self.values, **text}))
                 for t, text in self.lines if t <= end]
        if self.plan.kind == "server":      # rendered when read: starting stays cheap
            lines = startup_lines(self.app, self.started_at, self.values) + lines
        if self.plan.kind == "script":
            replay = trace(self.plan.argv, end - self.started_at, self.app.get("files") or {},
                           self.values)
            lines += [(self.started_at + t, text) for t, text in replay.lines]
            lines.sort(key=lambda line: line[0])
        return lines

    def files(self, now: float) -> dict[str, str]:
        """The container's own files now (lost when the container restarts)."""
        files = dict(self.app.get("files") or {})
        if self.plan.kind == "script":
            files = trace(self.plan.argv, now - self.started_at, files, self.values).files
        return files


def container_spec(pod: dict, name: str) -> dict:
    for spec in pod["spec"].get("containers") or ():
        if spec.get("name") == name:
            return spec
    return {}


class ContainerLifecycle:
    """Process steps of a kubelet's pod worker."""

    # -- a process starts ------------------------------------------------
    def _run_process(self, worker: PodWorker, pod: dict, record: ContainerRecord) -> None:
        spec = container_spec(pod, record.name)
        image = self.manager.registry.resolve(record.image)
        app = image.app if image is not None else {}
        now = self.clock.now
        values = {"hostname": pod["metadata"]["name"], "version": app.get("version", ""),
                  "start": now}
        plan = plan_process(app, spec)
        run = ContainerRun(record.container_id, app, plan, now, values)
        if record.run is not None:
            record.previous_run = record.run
        record.run = run
        if plan.exit_after is not None:
            code = plan.exit_code
            self._container_timer(worker, record, "exit", now + plan.exit_after,
                                  lambda w: self._process_exited(w, record, code),
                                  background=plan.exit_after > 0)
        self._start_probes(worker, pod, record, spec)

    # -- a process ends --------------------------------------------------
    def _process_exited(self, worker: PodWorker, record: ContainerRecord, exit_code: int,
                        reason: str | None = None, log: str | None = None) -> bool:
        """The container's process ended with ``exit_code``; restart it per restartPolicy."""
        pod = self._pod(worker)
        if pod is None or record.state != "running" or worker.stage == "terminating":
            return False
        now = self.clock.now
        self._cancel_container_timers(record)
        if record.run is not None:
            if log:
                record.run.lines.append((now, log))
            record.run.finished_at = now
        record.state, record.exit_code, record.finished_at = "terminated", exit_code, now
        record.reason = reason or ("Completed" if exit_code == 0 else "Error")
        record.message, record.ready = "", False
        self._write_status(worker)
        policy = pod["spec"].get("restartPolicy", "Always")
        if policy == "Always" or (policy == "OnFailure" and exit_code != 0):
            self._container_timer(worker, record, "restart",
                                  now + self.runtime.delay("pod_resync"),
                                  lambda w: self._sync_restart(w, record))
        return True

    def _kill_container(self, worker: PodWorker, pod: dict, record: ContainerRecord,
                        probe: dict, message: str) -> None:
        """killContainer for a failed liveness/startup probe: SIGTERM, then SIGKILL at
        the probe's (or the pod's) grace period; the restart follows the exit."""
        self._event(pod, record, "Normal", "Killing", message)
        self._cancel_container_timers(record)
        grace = probe.get("terminationGracePeriodSeconds")
        if grace is None:
            grace = pod["spec"].get("terminationGracePeriodSeconds", 30)
        stop, code = self._stop_time(record.run.app if record.run else {}, grace)
        self._container_timer(worker, record, "kill", self.clock.now + stop,
                              lambda w: self._process_exited(w, record, code))

    def _stop_time(self, app: dict, grace: float) -> tuple[float, int]:
        """How long a process takes to stop on SIGTERM, and its exit code."""
        if app.get("on_sigterm") == "ignore":
            return float(grace), 137
        span = app.get("stop_seconds")
        stop = self.runtime.delay("stop", (span[0], span[1] - span[0]) if span else None)
        return (stop, 0) if stop <= grace else (float(grace), 137)

    # -- restarts --------------------------------------------------------
    def _sync_restart(self, worker: PodWorker, record: ContainerRecord) -> None:
        """The pod worker's sync after an exit: restart now, or wait in back-off."""
        pod = self._pod(worker)
        if pod is None or record.state == "running" or worker.stage == "terminating":
            return
        now = self.clock.now
        finished = record.finished_at if record.finished_at is not None else now
        delay, last = record.backoff
        expired = finished - last > 2 * CRASH_BACKOFF_MAX
        if record.state == "terminated":
            record.last_terminated = record._state()["terminated"]
        # On the millisecond grid timers run on, as the restart timer below is:
        # ``now - finished < delay`` can still hold at ``round(finished + delay, 3)``.
        ready = round(finished + delay, 3)
        if delay and not expired and now < ready:
            meta = pod["metadata"]
            who = f"{meta['name']}_{meta.get('namespace', '')}({meta['uid']})"
            record.state, record.reason = "waiting", "CrashLoopBackOff"
            record.message = (f"back-off {go_duration(delay)} restarting failed "
                              f"container={record.name} pod={who}")
            self._event(pod, record, "Warning", "BackOff",
                        f"Back-off restarting failed container {record.name} in pod {who}")
            self._write_status(worker)
            # The pod worker resyncs every 10-15 s and restarts at the first sync after
            # the back-off: jump straight to that sync (the syncs between change nothing).
            when = now
            while when < ready:
                when = round(when + self.runtime.delay("crash_resync", CRASH_RESYNC), 3)
            self._container_timer(worker, record, "restart", when,
                                  lambda w: self._sync_restart(w, record), background=True)
            return
        record.backoff = (CRASH_BACKOFF_INITIAL if not delay or expired
                          else min(delay * 2, CRASH_BACKOFF_MAX), finished)
        self._ensure_image(worker, pod, record, container_spec(pod, record.name))

    # -- timers ----------------------------------------------------------
    def _container_timer(self, worker: PodWorker, record: ContainerRecord, name: str,
                         when: float, step, background: bool = False) -> None:
        old = record.timers.pop(name, None)
        if old is not None:
            old.cancel()
        record.timers[name] = self._at(worker, round(when, 3), step,
                                       f"{name} {record.name}", background=background)

    def _cancel_container_timers(self, record: ContainerRecord) -> None:
        for timer in record.timers.values():
            timer.cancel()
        record.timers = {}

    # -- what teammates ask of a running container ------------------------
    def serve_request(self, worker: PodWorker, record: ContainerRecord, path: str, *,
                      method: str = "GET", client: str = "", user_agent: str = "curl/8.5.0",
                      port: int | None = None) -> dict | None:
        """The container's answer to one HTTP request, logged as its app logs requests.
        None when nothing listens (not running, or another port): connection refused.
        A crash route ends the process (exit code from the route) and answers
        ``{"crash": True, ...}``."""
        run = record.run
        if record.state != "running" or run is None or worker.stage not in ("starting", "running"):
            return None
        if port is not None and port not in run.plan.listens or not run.plan.listens:
            return None
        now = self.clock.now
        response = http_response(run.app, path, run.values)
        if response.get("crash"):
            self._process_exited(worker, record, response["exit_code"], log=response["log"])
            return response
        if (run.app.get("logs") or {}).get("access"):
            # rendered when read (probes answer every 10 s; few logs are ever read)
            run.lines.append((now, {"method": method, "path": path, "client": client,
                                    "status": response["status"], "user_agent": user_agent,
                                    "bytes": len(response["body"])}))
        return response
