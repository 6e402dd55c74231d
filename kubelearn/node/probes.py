"""Liveness, readiness and startup probes, after upstream's ``kubelet/prober``.

One timer per probe of a running container (never a scan of all pods): the
first run at ``initialDelaySeconds`` after the container started, then every
``periodSeconds``. Probes act against the container's simulated process:

* ``httpGet`` asks the app (``apps.http_response``) at ``http://<podIP>:<port><path>``;
  a port nothing listens on is ``connection refused``, a status outside
  200-399 is ``HTTP probe failed with statuscode: N`` (an app with no route
  for the path answers 404), and a crash route crashes the container;
* ``tcpSocket`` succeeds when the process listens on the port;
* ``exec`` runs the command in the container (``cat /tmp/healthy`` against its
  filesystem: the files its script made, its volumes).

``successThreshold``/``failureThreshold`` (defaults 1 and 3, as the API server
fills them) decide the result. A failed readiness probe makes the container
unready (so the pod leaves Service endpoints and stops counting as
available); a failed liveness or startup probe kills it with upstream's
``Killing`` event; liveness and readiness wait for the startup probe.
Every failure is a ``Warning Unhealthy`` event (``Liveness probe failed: ...``).
The first readiness and startup runs are foreground timers, so ``settle()``
sees a pod become ready; the periodic runs are background work.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from kubelearn.node.apps import exec_command
from kubelearn.node.containers import container_spec
from kubelearn.node.podstatus import ContainerRecord

if TYPE_CHECKING:
    from kubelearn.node.kubelet import PodWorker

PROBE_TYPES = {"startupProbe": "Startup", "livenessProbe": "Liveness",
               "readinessProbe": "Readiness"}
USER_AGENT = "kube-probe/1.32"
FIRST_PROBE = (0.05, 0.45)       # the prober worker's first tick after the container starts


@dataclass
class ProbeState:
    successes: int = 0
    failures: int = 0
    result: bool | None = None


class Prober:
    """Probe steps of a kubelet's pod worker."""

    def _start_probes(self, worker: PodWorker, pod: dict, record: ContainerRecord,
                      spec: dict) -> None:
        record.probes = {}
        startup = spec.get("startupProbe")
        record.started = False if startup else None
        record.ready = not startup and not spec.get("readinessProbe")
        if startup:
            self._schedule_probe(worker, record, "startupProbe", startup, first=True)
        else:
            self._start_main_probes(worker, record, spec)

    def _start_main_probes(self, worker: PodWorker, record: ContainerRecord,
                           spec: dict) -> None:
        for field in ("livenessProbe", "readinessProbe"):
            if spec.get(field):
                self._schedule_probe(worker, record, field, spec[field], first=True)

    def _schedule_probe(self, worker: PodWorker, record: ContainerRecord, field: str,
                        probe: dict, first: bool) -> None:
        now = self.clock.now
        if first:
            start = record.run.started_at if record.run is not None else now
            when = max(now, start + probe.get("initialDelaySeconds", 0)) \
                + self.runtime.delay("probe", FIRST_PROBE)
        else:
            when = now + probe.get("periodSeconds", 10)
        self._container_timer(worker, record, field, when,
                              lambda w: self._probe_tick(w, record, field),
                              background=not first or field == "livenessProbe")

    def _probe_tick(self, worker: PodWorker, record: ContainerRecord, field: str) -> None:
        pod = self._pod(worker)
        if pod is None or record.state != "running" or worker.stage != "running" \
                and worker.stage != "starting":
            return
        spec = container_spec(pod, record.name)
        probe = spec.get(field)
        if not probe:
            return
        ok, output = self._run_probe(worker, pod, record, spec, probe)
        if record.state != "running":          # the probe itself crashed the container
            return
        state = record.probes.setdefault(field, ProbeState())
        kind = PROBE_TYPES[field]
        if ok:
            state.failures, state.successes = 0, state.successes + 1
            if state.successes >= probe.get("successThreshold", 1) and state.result is not True:
                state.result = True
                if field == "startupProbe":
                    record.started = True
                    record.ready = not spec.get("readinessProbe")
                    self._write_status(worker)
                    self._start_main_probes(worker, record, spec)
                    return
                if field == "readinessProbe":
                    record.ready = True
                    self._write_status(worker)
        else:
            state.successes, state.failures = 0, state.failures + 1
            self._event(pod, record, "Warning", "Unhealthy", f"{kind} probe failed: {output}")
            if state.failures >= probe.get("failureThreshold", 3):
                if field != "readinessProbe":
                    self._kill_container(worker, pod, record, probe,
                                         f"Container {record.name} failed {kind.lower()} "
                                         "probe, will be restarted")
                    return
                if state.result is not False:
                    state.result = False
                    if record.ready:
                        record.ready = False
                        self._write_status(worker)
        self._schedule_probe(worker, record, field, probe, first=False)

    # -- running one probe -----------------------------------------------
    def _run_probe(self, worker: PodWorker, pod: dict, record: ContainerRecord, spec: dict,
                   probe: dict) -> tuple[bool, str]:
        run = record.run
        ip = worker.pod_ip or ""
        if "exec" in probe:
            argv = list((probe["exec"] or {}).get("command") or ())
            code, output = exec_command(run.app, argv, _synced_fs(run, self.clock.now),
                                        {**run.values, "start": self.clock.now},
                                        run.variables)
            return code == 0, output
        if "httpGet" in probe:
            get = probe["httpGet"]
            port = resolve_port(get.get("port"), spec)
            host = get.get("host") or ip
            path = get.get("path") or "/"
            url = f"{get.get('scheme', 'HTTP').lower()}://{host}:{port}{path}"
            if port is None:
                return False, f"unable to find port {get.get('port')!r}"
            response = self.serve_request(worker, record, path, client=self.gateway_ip,
                                          user_agent=USER_AGENT, port=port)
            if response is None:
                return False, f'Get "{url}": dial tcp {host}:{port}: connect: connection refused'
            if response.get("crash"):
                return False, f'Get "{url}": EOF'
            status = response["status"]
            if 200 <= status < 400:
                return True, ""
            return False, f"HTTP probe failed with statuscode: {status}"
        if "tcpSocket" in probe:
            port = resolve_port(probe["tcpSocket"].get("port"), spec)
            host = probe["tcpSocket"].get("host") or ip
            if port is not None and run is not None and port in run.plan.listens:
                return True, ""
            return False, f"dial tcp {host}:{port}: connect: connection refused"
        return True, ""                      # grpc: the course's apps all answer SERVING


def _synced_fs(run, now: float):
    """The container's filesystem, its scripts run up to ``now``."""
    run.sync(now)
    return run.fs


def resolve_port(port, spec: dict) -> int | None:
    """A probe's port: a number, or the name of one of the container's ports."""
    if isinstance(port, int):
        return port
    if isinstance(port, str) and port.isdigit():
        return int(port)
    for p in spec.get("ports") or ():
        if p.get("name") == port:
            return p.get("containerPort")
    return None
