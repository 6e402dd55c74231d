"""Kubelets: one per node, running the pods bound to it.

``KubeletManager`` is the one controller the cluster runs for all nodes: it
watches Nodes (a node that registers gets its ``Kubelet``, at boot or later)
and Pods, and hands each pod event to the kubelet of the pod's node, so a pod
event costs one dictionary lookup however many nodes there are.

A ``Kubelet`` does what the real one does for a pod, on the simulated clock:

* accept the pod (``ContainerCreating``), create the sandbox (the pod gets an
  IP from the node's podCIDR; hostNetwork pods use the node's IP);
* for each container: make sure its image is there, honouring
  ``imagePullPolicy`` (``Always`` / ``IfNotPresent`` / ``Never``), pulling
  through the node's runtime (serial pulls, seeded jitter), then create and
  start it;
* report status the way the kubelet's status manager does, and leave the
  events a learner sees in ``kubectl describe pod``;
* when a pull fails: ``ErrImagePull``, then ``ImagePullBackOff`` with the
  image manager's back-off (10s doubling to 5 minutes);
* when the pod is deleted: stop its containers (``Killing``), wait for them to
  exit (SIGTERM, or SIGKILL at the end of the grace period) and remove the pod
  (``finish_deletion``);
* static pods (control-plane components) start at once, and their mirror pods
  come back when deleted, as they do on a real node.

Pulling images lives in ``image_manager``, static and mirror pods in
``mirror_pods`` (both mixed into ``Kubelet``), status shapes in ``podstatus``,
the runtime in ``runtime``, processes, exits, restarts and CrashLoopBackOff in
``containers`` (what each process does comes from its image's app, ``apps``),
probes in ``probes``.

Teammates reach running containers through three functions of this module:
``running_container`` (is there a live process, and what is it),
``serve_http`` (one HTTP request answered by the container's app, logged, a
crash route crashing it) and ``container_exited`` (a process ended); ``kubectl
logs`` reads ``container_logs``.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from kubelearn.clock import Timer
from kubelearn.controllers.base import Controller
from kubelearn.node.containers import ContainerLifecycle
from kubelearn.node.env import ContainerConfig, EnvironmentCache
from kubelearn.node.image_manager import ImageManager
from kubelearn.node.images import KUBEADM_PRELOADED, MINIKUBE_PRELOADED
from kubelearn.node.mirror_pods import MirrorPods, is_static
from kubelearn.node.podstatus import ConditionClock, ContainerRecord, build_status
from kubelearn.node.probes import Prober
from kubelearn.node.runtime import ContainerRuntime, IPAllocator
from kubelearn.node.volume_manager import (MOUNT_SOURCES, VolumeManager, wake_attach_waiters,
                                          wake_mount_waiters)

COMPONENT = "kubelet"


@dataclass
class PodWorker:
    """The kubelet's record of one pod it runs (the pod worker of upstream)."""
    namespace: str
    name: str
    uid: str
    static: bool
    containers: list[ContainerRecord]
    start_time: float
    stage: str = "starting"          # starting | running | terminating | gone
    next_index: int = 0
    sandbox_ready: bool = False
    pod_ip: str | None = None
    conditions: ConditionClock = field(default_factory=ConditionClock)
    timers: list[Timer] = field(default_factory=list)
    backoff: dict[str, tuple[float, float]] = field(default_factory=dict)  # image -> (delay, at)
    failures: int = 0
    failure_write: tuple = ()        # (pod resourceVersion, node IP) after _fail wrote status

    @property
    def key(self) -> tuple[str, str]:
        return self.namespace, self.name


class Kubelet(ImageManager, MirrorPods, ContainerLifecycle, ContainerConfig, VolumeManager,
              Prober):
    """The node agent of one node."""

    def __init__(self, manager: "KubeletManager", node: dict):
        self.manager = manager
        self.api = manager.api
        self.clock = manager.clock
        self.events = manager.cluster.events
        self.name = node["metadata"]["name"]
        self.workers: dict[tuple[str, str], PodWorker] = {}
        self.static_manifests: dict[tuple[str, str], dict] = {}
        self._seen: dict[tuple[str, str], str] = {}     # when each static manifest was read
        runtime_version = (node.get("status", {}).get("nodeInfo", {})
                           .get("containerRuntimeVersion", "containerd://"))
        self.runtime = ContainerRuntime(runtime_version.split("://")[0] or "containerd",
                                        manager.registry, manager.cluster.rng,
                                        _preloaded_images(node))
        spec = node.get("spec") or {}
        self.ipam = IPAllocator(spec["podCIDR"]) if spec.get("podCIDR") else None
        self.gateway_ip = _gateway(spec.get("podCIDR"))   # where probes come from
        self.node_ip = _internal_ip(node)

    def update_node(self, node: dict) -> None:
        self.node_ip = _internal_ip(node) or self.node_ip

    # -- entry point -----------------------------------------------------
    def sync_pod(self, namespace: str, name: str) -> None:
        """Bring what runs on this node in line with the pod as stored (one pod worker sync)."""
        pod = self.api.store.get("Pod", namespace, name)
        worker = self.workers.get((namespace, name))
        if pod is None or pod.get("spec", {}).get("nodeName") != self.name:
            if worker is not None and not worker.static:
                self._stop_worker(worker)
            if pod is None and (namespace, name) in self.static_manifests:
                self._recreate_mirror_pod(namespace, name)
            return
        uid = pod["metadata"]["uid"]
        if worker is not None and worker.uid != uid:
            if worker.static and is_static(pod):
                worker.uid = uid          # a new mirror pod for a static pod still running
            else:
                self._stop_worker(worker)
                worker = None
        if pod["metadata"].get("deletionTimestamp"):
            self._delete(pod, worker)
            return
        if worker is None:
            if pod.get("status", {}).get("phase") in ("Succeeded", "Failed"):
                return
            if is_static(pod):
                self._run_static_pod(pod)
            else:
                self._accept(pod)
        elif worker.static:
            self._ensure_mirror_metadata(pod)
            self._write_status(worker)

    # -- starting a pod --------------------------------------------------
    def _new_worker(self, pod: dict, static: bool) -> PodWorker:
        containers = [ContainerRecord(c["name"], c.get("image", ""),
                                      volume_mounts=list(c.get("volumeMounts") or ()))
                      for c in pod["spec"].get("containers") or ()]
        meta = pod["metadata"]
        worker = PodWorker(meta.get("namespace", ""), meta["name"], meta["uid"], static,
                           containers, self.clock.now)
        self.workers[worker.key] = worker
        return worker

    def _accept(self, pod: dict) -> None:
        """SyncPod, first pass: the pod is admitted, its volumes are set up
        (volume_manager) and it waits for its sandbox."""
        worker = self._new_worker(pod, static=False)
        self._write_status(worker)
        if self._mount_volumes(worker, pod):
            self._after(worker, self.runtime.delay("sandbox"), self._sandbox_ready,
                        "create sandbox")

    def _sandbox_ready(self, worker: PodWorker) -> None:
        pod = self._pod(worker)
        if pod is None:
            return
        worker.sandbox_ready = True
        worker.pod_ip = self._pod_ip(pod)
        self._write_status(worker)
        self._next_container(worker)

    def _next_container(self, worker: PodWorker) -> None:
        """Start the containers in spec order; each waits for its image."""
        if worker.stage != "starting":
            return
        if worker.next_index >= len(worker.containers):
            worker.stage = "running"
            self._write_status(worker)
            return
        pod = self._pod(worker)
        if pod is None:
            return
        record = worker.containers[worker.next_index]
        spec = pod["spec"]["containers"][worker.next_index]
        self._ensure_image(worker, pod, record, spec)
    # -- containers ------------------------------------------------------
    def _create_container(self, worker: PodWorker, record: ContainerRecord) -> None:
        if not self._prepare_config(worker, record):     # env: CreateContainerConfigError
            return
        delay = self.runtime.delay("create") + self.runtime.delay("start")
        self._after(worker, delay, lambda w: self._started(w, record), f"start {record.name}")

    def _started(self, worker: PodWorker, record: ContainerRecord) -> None:
        pod = self._pod(worker)
        if pod is None or worker.stage == "terminating":
            return
        restart = record.run is not None
        record.container_id = self.runtime.container_id()
        record.image_shown, record.image_id = self.runtime.image_fields(record.image)
        self._event(pod, record, "Normal", "Created", f"Created container: {record.name}")
        self._event(pod, record, "Normal", "Started", f"Started container {record.name}")
        record.state, record.reason, record.message = "running", "", ""
        record.started_at, record.finished_at, record.exit_code = self.clock.now, None, None
        if restart:
            record.restart_count += 1
        self._run_process(worker, pod, record)
        if restart or worker.stage != "starting":
            self._write_status(worker)
            return
        worker.next_index += 1
        if worker.next_index < len(worker.containers):
            self._write_status(worker)
        self._next_container(worker)
    # -- deleting a pod --------------------------------------------------
    def _delete(self, pod: dict, worker: PodWorker | None) -> None:
        meta = pod["metadata"]
        if worker is not None and worker.static or (worker is None and is_static(pod)):
            # Deleting a mirror pod does not stop the static pod; the kubelet posts it again.
            self.api.finish_deletion("Pod", meta["name"], meta.get("namespace", ""))
            return
        if worker is None or not any(c.state == "running" for c in worker.containers):
            if worker is not None:
                self._stop_worker(worker)
            self.api.finish_deletion("Pod", meta["name"], meta.get("namespace", ""))
            return
        if worker.stage == "terminating":
            return
        self._terminate(worker, pod)

    def _terminate(self, worker: PodWorker, pod: dict) -> None:
        """killPod: SIGTERM each running container, SIGKILL what is left at the deadline."""
        for timer in worker.timers:
            timer.cancel()
        worker.timers = []
        worker.stage = "terminating"
        grace = pod["metadata"].get("deletionGracePeriodSeconds")
        if grace is None:
            grace = pod["spec"].get("terminationGracePeriodSeconds", 30)
        last = 0.0
        for record in worker.containers:
            record.timers = {}
            if record.state != "running":
                continue
            self._event(pod, record, "Normal", "Killing", f"Stopping container {record.name}")
            image = self.manager.registry.resolve(record.image)
            stop, code = self._stop_time(image.app if image is not None else {}, grace)
            record.finished_at, record.exit_code = self.clock.now + stop, code
            if record.run is not None:
                record.run.finished_at = record.finished_at
            last = max(last, stop)
        self._after(worker, last, self._terminated, "stop containers")

    def _terminated(self, worker: PodWorker) -> None:
        for record in worker.containers:
            if record.state == "running":
                record.state = "terminated"
                record.reason = "Completed" if not record.exit_code else "Error"
            elif record.state == "waiting":      # never started: nothing left to find
                record.state, record.reason, record.exit_code = ("terminated",
                                                                 "ContainerStatusUnknown", 137)
                record.message = "The container could not be located when the pod was terminated"
                record.finished_at = self.clock.now
            record.ready = False
        pod = self._pod(worker)
        if pod is not None:
            self._write_status(worker, terminal=True)
            self.api.finish_deletion("Pod", worker.name, worker.namespace)
        self._stop_worker(worker)

    def _stop_worker(self, worker: PodWorker) -> None:
        for timer in worker.timers:
            timer.cancel()
        worker.timers = []
        worker.stage = "gone"
        self._forget_mounts(worker)          # emptyDirs go with the pod
        if worker.pod_ip and worker.pod_ip != self.node_ip and self.ipam is not None:
            self.ipam.release(worker.pod_ip)
        if self.workers.get(worker.key) is worker:
            del self.workers[worker.key]

    # -- helpers ---------------------------------------------------------
    def _pod(self, worker: PodWorker) -> dict | None:
        """The stored pod this worker runs, or None once it is gone or replaced."""
        if worker.stage == "gone":
            return None
        pod = self.api.store.get("Pod", worker.namespace, worker.name)
        if pod is None or pod["metadata"]["uid"] != worker.uid:
            return None
        return pod

    def _pod_ip(self, pod: dict) -> str | None:
        if pod["spec"].get("hostNetwork"):
            return self.node_ip
        return self.ipam.allocate() if self.ipam is not None else None

    def _write_status(self, worker: PodWorker, terminal: bool = False) -> None:
        pod = self._pod(worker)
        if pod is None:
            return
        status = build_status(pod, containers=worker.containers,
                              sandbox_ready=worker.sandbox_ready, terminal=terminal,
                              start_time=worker.start_time, host_ip=self.node_ip,
                              pod_ip=worker.pod_ip, clock=worker.conditions, now=self.clock.now)
        if status != pod.get("status"):
            self.api.update_status({**pod, "status": status})

    def _event(self, pod: dict, record: ContainerRecord, type_: str, reason: str,
               message: str) -> None:
        self.events.record(pod, type_, reason, message, COMPONENT, host=self.name,
                           field_path=f"spec.containers{{{record.name}}}")

    def _after(self, worker: PodWorker, delay: float, step, what: str, *,
               background: bool = False) -> Timer:
        return self._at(worker, round(self.clock.now + delay, 3), step, what,
                        background=background)

    def _at(self, worker: PodWorker, when: float, step, what: str, *,
            background: bool = False) -> Timer:
        def fire() -> None:
            if worker.stage != "gone":
                worker.timers = [t for t in worker.timers if t.pending]
                step(worker)

        timer = self.clock.call_at(when, fire, background=background,
                                   label=f"kubelet {self.name}: {what} for "
                                         f"{worker.namespace}/{worker.name}")
        worker.timers.append(timer)
        return timer

    def __repr__(self) -> str:
        return f"<Kubelet {self.name}: {len(self.workers)} pods>"


class KubeletManager(Controller):
    """Routes pod events to the kubelet of each pod's node; creates kubelets as nodes register."""

    name = "kubelet"
    watches = ("Node", "Pod", "ConfigMap", "Secret", "PersistentVolumeClaim", "PersistentVolume",
               "Service")

    def __init__(self, cluster) -> None:
        super().__init__(cluster)
        self.registry = cluster.registry
        self.kubelets: dict[str, Kubelet] = {}
        # namespace -> {(node, pod)} with a container in CreateContainerConfigError
        self.config_waiting: dict[str, set[tuple[str, str]]] = {}
        self.environments = EnvironmentCache(cluster.api)  # containers' env, shared

    def keys_for(self, event):
        if event.kind == "Pod":
            return self._pod_keys(event)
        if event.kind == "Service":
            self.environments.services_changed()
            return ()
        if event.kind in MOUNT_SOURCES:      # pods waiting for their volumes (FailedMount)
            wake_mount_waiters(self.kubelets, event)
            if event.kind not in ("ConfigMap", "Secret"):
                return ()
        if event.kind in ("ConfigMap", "Secret"):
            namespace = event.obj["metadata"].get("namespace", "")
            waiting = self.config_waiting.get(namespace, set())
            for node, pod in sorted(waiting):
                kubelet = self.kubelets.get(node)
                if kubelet is None or not kubelet.config_changed(namespace, pod):
                    waiting.discard((node, pod))
            return ()
        if event.kind == "Node":
            name = event.obj["metadata"]["name"]
            if event.type == "DELETED":
                self.kubelets.pop(name, None)
            elif name in getattr(self.cluster, "stopped_nodes", ()):
                pass        # a stopped node's kubelet stays down (Cluster.stop_node)
            elif name not in self.kubelets:
                self.kubelets[name] = Kubelet(self, event.obj)
            else:
                self.kubelets[name].update_node(event.obj)
                wake_attach_waiters(self.kubelets[name], event)   # a disk was attached
        return ()

    def _pod_keys(self, event):
        obj, old = event.obj, event.old
        node = obj.get("spec", {}).get("nodeName")
        if not node or node not in self.kubelets:
            return ()
        if event.type == "MODIFIED" and not _matters_to_kubelet(old, obj):
            return ()
        meta = obj["metadata"]
        return ((node, meta.get("namespace", ""), meta["name"]),)

    def reconcile(self, key):
        node, namespace, name = key
        kubelet = self.kubelets.get(node)
        if kubelet is not None:
            kubelet.sync_pod(namespace, name)
        return None

    def kubelet(self, node: str) -> Kubelet:
        return self.kubelets[node]


def kubelet_for(cluster, node: str) -> Kubelet:
    """The kubelet of one node of a cluster."""
    for ctrl in cluster.controllers:
        if isinstance(ctrl, KubeletManager):
            return ctrl.kubelet(node)
    raise LookupError("this cluster runs no kubelets")


def _matters_to_kubelet(old: dict | None, new: dict) -> bool:
    """Only binding and deletion change what a kubelet must do; status writes do not."""
    if old is None:
        return True
    old_spec, new_spec = old.get("spec", {}), new.get("spec", {})
    return (old_spec.get("nodeName") != new_spec.get("nodeName")
            or bool(old["metadata"].get("deletionTimestamp"))
            != bool(new["metadata"].get("deletionTimestamp")))


def _locate(cluster, namespace: str, pod: str, container: str):
    """(kubelet, worker, record) of a container the kubelets run, or None."""
    obj = cluster.api.store.get("Pod", namespace, pod)
    node = (obj or {}).get("spec", {}).get("nodeName")
    if not node:
        return None
    try:
        kubelet = kubelet_for(cluster, node)
    except (LookupError, KeyError):
        return None
    worker = kubelet.workers.get((namespace, pod))
    if worker is None or worker.uid != obj["metadata"]["uid"]:
        return None
    for record in worker.containers:
        if record.name == container:
            return kubelet, worker, record
    return None


def running_container(cluster, namespace: str, pod: str, container: str) -> dict | None:
    """The live process of a container, or None when it is not running: ``app`` (the
    image's app data), ``image``, ``container_id``, ``started_at`` (simulated seconds),
    ``restart_count``, ``ready``, ``pod_ip``, ``listens`` (TCP ports it accepts), ``env``
    (the ``[(name, value)]`` it started with, as ``env.container_env`` gives it)."""
    found = _locate(cluster, namespace, pod, container)
    if found is None:
        return None
    kubelet, worker, record = found
    run = record.run
    if not record.serving(worker.stage, kubelet.clock.now):
        return None
    return {"namespace": namespace, "pod": pod, "container": container, "image": record.image,
            "app": run.app, "container_id": record.container_id, "started_at": run.started_at,
            "restart_count": record.restart_count, "ready": record.ready,
            "pod_ip": worker.pod_ip, "listens": list(run.plan.listens),
            "env": list(run.env.variables) if run.env is not None else []}


def container_exited(cluster, namespace: str, pod: str, container: str, exit_code: int,
                     reason: str | None = "Error", log: str | None = None) -> bool:
    """Record that a container's process ended (the kubelet then restarts it per
    restartPolicy). ``reason`` defaults to Error, Completed for exit code 0; ``log`` is a
    last line the process wrote. False when the container was not running."""
    found = _locate(cluster, namespace, pod, container)
    if found is None:
        return False
    kubelet, worker, record = found
    if reason == "Error" and exit_code == 0:
        reason = "Completed"
    done = kubelet._process_exited(worker, record, exit_code, reason, log)
    cluster.run_now()
    return done


def serve_http(cluster, namespace: str, pod: str, container: str, path: str, *,
               method: str = "GET", client: str = "", port: int | None = None,
               user_agent: str = "curl/8.5.0", body=None) -> dict | None:
    """One HTTP request answered by the container's app: ``status``, ``content_type``,
    ``body``; or ``{"crash": True, "exit_code": N}`` when the route crashed it; or None
    when nothing listens there (connection refused). The app logs the request. ``body``
    is the request's body (a POST's data)."""
    found = _locate(cluster, namespace, pod, container)
    if found is None:
        return None
    kubelet, worker, record = found
    response = kubelet.serve_request(worker, record, path, method=method,
                                     client=client or kubelet.gateway_ip,
                                     user_agent=user_agent, port=port, body=body)
    if response is not None and response.get("crash"):
        cluster.run_now()
    return response


def container_logs(cluster, namespace: str, pod: str, container: str,
                   previous: bool = False) -> list[tuple[float, str]] | None:
    """The lines a container's current (or previous) run wrote, as (time, text); None
    when the kubelet has no such run."""
    found = _locate(cluster, namespace, pod, container)
    if found is None:
        return None
    kubelet, _, record = found
    run = record.previous_run if previous else record.run
    return None if run is None else run.logs(kubelet.clock.now)


def container_runs(cluster, namespace: str, pod: str, container: str) -> list:
    """The runs of a container the kubelet still has logs of (current, then previous)."""
    found = _locate(cluster, namespace, pod, container)
    if found is None:
        return []
    record = found[2]
    return [run for run in (record.run, record.previous_run) if run is not None]


def _gateway(cidr: str | None) -> str:
    if not cidr:
        return ""
    import ipaddress
    return str(ipaddress.ip_network(cidr, strict=False).network_address + 1)


def _internal_ip(node: dict) -> str:
    for address in (node.get("status") or {}).get("addresses") or ():
        if address.get("type") == "InternalIP":
            return address.get("address", "")
    return ""


def _preloaded_images(node: dict) -> list[str]:
    labels = node["metadata"].get("labels") or {}
    if "minikube.k8s.io/name" in labels:
        return list(MINIKUBE_PRELOADED)
    if "node-role.kubernetes.io/control-plane" in labels:
        return list(KUBEADM_PRELOADED)
    return []
