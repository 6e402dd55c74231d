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
from functools import partial
from typing import TYPE_CHECKING, Callable

from kubelearn.network.dns import pod_files
from kubelearn.node.apps import (ExecResult, ProcessPlan, access_line, http_response,
                                 image_binaries, plan_process, process_argv, run_command,
                                 script_values, startup_lines)
from kubelearn.node.filesystem import ContainerFS, image_layer
from kubelearn.node.nettools import PodNetwork
from kubelearn.node.shell import ScriptProcess, flavour_of
from kubelearn.node.volumes import pod_reference, storage_of
from kubelearn.node.podstatus import ContainerRecord
from kubelearn.node.runtime import go_duration

if TYPE_CHECKING:
    from kubelearn.node.kubelet import PodWorker

CRASH_BACKOFF_INITIAL = 10.0     # kubelet's backOffPeriod
CRASH_BACKOFF_MAX = 300.0        # MaxContainerBackOff
CRASH_RESYNC = (10.0, 5.0)       # pod worker resync while backing off: 10s, jitter factor 0.5


@dataclass
class ContainerRun:
    """One run of a container's process (a container id's lifetime).

    ``fs`` is what the process sees: a fresh layer from the image with the pod's
    volumes mounted (``volumes.ClusterStorage.container_fs``), made on first use;
    a script's ``process`` runs against it a step at a time (``sync``)."""
    container_id: str
    app: dict
    plan: ProcessPlan
    started_at: float
    values: dict
    lines: list[tuple[float, str]] = field(default_factory=list)
    finished_at: float | None = None
    env: object = None          # env.ContainerEnv: the variables this run started with
    net: object = None          # nettools.PodNetwork: the pod's network (curl, wget, nslookup)
    make_fs: Callable[[], ContainerFS] | None = field(default=None, repr=False)
    process: ScriptProcess | None = field(default=None, repr=False)
    _fs: ContainerFS | None = field(default=None, repr=False)

    @property
    def fs(self) -> ContainerFS:
        if self._fs is None:
            self._fs = self.make_fs() if self.make_fs is not None else ContainerFS(
                image_layer(self.app, self.values.get("hostname", "")))
        return self._fs

    @property
    def variables(self) -> list[tuple[str, str]]:
        """The process's environment, in ``env`` order."""
        if self.env is not None:
            return list(self.env.variables)
        return list((self.values.get("env") or {}).items())

    @property
    def workdir(self) -> str:
        return self.app.get("workdir") or "/"

    def start_script(self) -> None:
        """Start the script: its first steps run now (``touch /tmp/healthy`` is there at
        once); it then goes on as it is observed (``sync``)."""
        self.process = ScriptProcess(self.plan.argv, self.fs, self.variables,
                                     script_values(self.app, self.values), flavour_of(self.app),
                                     cwd=self.workdir, net=self.net,
                                     binaries=image_binaries(self.app))
        for tree in self._written_trees():
            tree.writers.append(self)
        if not self.plan.live:           # a live script takes its first step from a timer
            sync_runs(self, self.started_at)

    def _written_trees(self):
        fs = self.fs
        return [fs.layer] + [m.tree for m in fs.mounts if not m.read_only]

    def limit(self, now: float) -> float:
        """How far the process may have run by ``now`` (its end, once it stopped)."""
        return min(now, self.finished_at) if self.finished_at is not None else now

    def sync(self, now: float) -> None:
        """Bring this run's filesystem up to ``now``: every script that writes to any of
        its trees (and those they share trees with) runs up to ``now``, in time order."""
        sync_runs(self, now)

    def logs(self, now: float) -> list[tuple[float, str]]:
        """What ``kubectl logs`` shows for this run: (time, line), oldest first."""
        end = self.finished_at if self.finished_at is not None else now
        lines = [(t, text if isinstance(text, str) else
                  access_line(self.app, t, {**self.values, **text}))
                 for t, text in self.lines if t <= end]
        if self.plan.kind == "server":      # rendered when read: starting stays cheap
            lines = startup_lines(self.app, self.started_at, self.values) + lines
        if self.process is not None:
            self.sync(min(end, now))
            lines += [(self.started_at + t, text)
                      for t, text in self.process.lines(end - self.started_at)]
            lines.sort(key=lambda line: line[0])
        return lines

    def files(self, now: float) -> dict[str, str]:
        """The container's own files now (lost when the container restarts)."""
        self.sync(now)
        return dict(self.fs.layer.files)

    def exec(self, argv: list[str], now: float, stdin: str | None = None) -> ExecResult:
        """Run a command in this container now (``kubectl exec``, an exec probe)."""
        self.sync(now)
        return run_command(self.app, list(argv), self.fs, self.variables,
                           {**self.values, "start": now}, stdin=stdin, net=self.net)


def sync_runs(run: ContainerRun, now: float) -> None:
    """Run the scripts that share trees with ``run`` up to ``now``, the earliest step
    first, so two containers appending to one volume interleave as they would."""
    group, seen, todo = [], set(), [run]
    while todo:
        current = todo.pop()
        if id(current) in seen:
            continue
        seen.add(id(current))
        group.append(current)
        trees = [current.fs.layer] + [m.tree for m in current.fs.mounts] \
            if current._fs is not None else []
        for tree in trees:
            todo.extend(w for w in tree.writers if id(w) not in seen)
    runners = [r for r in group if r.process is not None]
    while True:
        best, best_at = None, None
        for candidate in runners:
            process = candidate.process
            if not process.runnable:
                continue
            at = candidate.started_at + process.wake
            if at <= candidate.limit(now) + 1e-9 and (best_at is None or at < best_at):
                best, best_at = candidate, at
        if best is None:
            break
        best.process.step()
    for candidate in runners:           # ended, or stopped for good: writes no more
        done = not candidate.process.runnable or (
            candidate.finished_at is not None and candidate.finished_at <= now)
        if done:
            for tree in candidate._written_trees():
                if candidate in tree.writers:
                    tree.writers.remove(candidate)


# A run's plan until plan_process has made it (plans are frozen: one serves every run).
_UNPLANNED = ProcessPlan("server")


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
        env = record.env
        values = {"hostname": pod["metadata"]["name"], "version": app.get("version", ""),
                  "start": now, "env": env.as_dict() if env is not None else {}}
        if env is not None and (spec.get("command") or spec.get("args")):
            spec = {**spec, "command": env.expand(spec.get("command")),
                    "args": env.expand(spec.get("args"))}
        storage = storage_of(self.manager.cluster)
        run = ContainerRun(record.container_id, app, _UNPLANNED, now, values, env=env,
                           net=PodNetwork(self.manager.cluster, worker.namespace, worker.name),
                           make_fs=partial(storage.container_fs, pod_reference(pod), spec, app,
                                           etc=pod_files(pod, worker.pod_ip or "",
                                                         self.runtime.scheme)))
        # a script's exit comes from a dry run against a copy of its filesystem
        plan = plan_process(app, spec, values["env"], fs=run.fs
                            if process_argv(app, spec)[0] == "script" else None, values=values)
        run.plan = plan
        if record.run is not None:
            record.previous_run = record.run
        record.run = run
        if plan.kind == "script":
            run.start_script()
        if plan.live:
            self._container_timer(worker, record, "step", now,
                                  lambda w: self._step_live(w, record))
        if plan.exit_after is not None:
            code = plan.exit_code
            self._container_timer(worker, record, "exit", now + plan.exit_after,
                                  lambda w: self._process_exited(w, record, code),
                                  background=plan.exit_after > 0)
        self._start_probes(worker, pod, record, spec)

    def _step_live(self, worker: PodWorker, record: ContainerRecord) -> None:
        """Run a script that uses the network up to now, at the instant its requests are
        due (what a request finds depends on the cluster then), and wake it again at its
        next step, or end the container when the script ended."""
        run = record.run
        if run is None or run.process is None or record.state != "running":
            return
        sync_runs(run, self.clock.now)
        process = run.process
        if process.exit is not None:
            self._process_exited(worker, record, process.exit[1])
        elif process.runnable:
            self._container_timer(worker, record, "step", run.started_at + process.wake,
                                  lambda w: self._step_live(w, record), background=True)

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
                      port: int | None = None, body=None) -> dict | None:
        """The container's answer to one HTTP request, logged as its app logs requests.
        None when nothing listens (not running, or another port): connection refused.
        A crash route ends the process (exit code from the route) and answers
        ``{"crash": True, ...}``."""
        run = record.run
        if not record.serving(worker.stage, self.clock.now):
            return None
        if port is not None and port not in run.plan.listens or not run.plan.listens:
            return None
        now = self.clock.now
        http = run.app.get("http") or {}
        if http.get("uses_files"):           # the app reads or writes its files
            run.sync(now)
            response = http_response(run.app, path, run.values, method=method, body=body,
                                     fs=run.fs, env=run.variables)
        else:
            response = http_response(run.app, path, run.values, method=method, body=body,
                                     env=run.variables,
                                     call=partial(self._call_out, worker))
        if response.get("crash"):
            self._process_exited(worker, record, response["exit_code"], log=response["log"])
            return response
        if (run.app.get("logs") or {}).get("access"):
            # rendered when read (probes answer every 10 s; few logs are ever read)
            run.lines.append((now, {"method": method, "path": path, "client": client,
                                    "status": response["status"], "user_agent": user_agent,
                                    "bytes": len(response["body"])}))
        return response

    def _call_out(self, worker: PodWorker, method: str, url: str) -> tuple[int, str]:
        """A request the app sends while it answers one (``users-api`` asking
        ``auth-api``): from this pod, through its DNS and kube-proxy, as axios sends it.
        Raises the ``ConnectionError`` the connection ends in."""
        from kubelearn.network.http import request

        answer = request(self.manager.cluster, method, url,
                         from_pod=(worker.namespace, worker.name), user_agent="axios/1.7.9")
        return answer.status, answer.text
