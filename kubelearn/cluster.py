"""Cluster: wires the parts together; the public entry point.

``Cluster()`` is a kubeadm-style cluster (one control-plane node, two workers);
``Cluster.minikube()`` is minikube's single node; ``Cluster.eks()`` is an Amazon
EKS cluster, whose control plane AWS runs out of sight and whose worker nodes a
node group adds (``kubelearn.cloud.eks``). They boot the way a real cluster
does — nodes register, namespaces and system workloads are created through the
API server — and then run on simulated time only.
"""
from __future__ import annotations

import gc
from contextlib import contextmanager
from random import Random  # seeded instances only: never the global generator
from dataclasses import dataclass, field

from kubelearn.apiserver.events import EventRecorder
from kubelearn.apiserver.server import APIServer
from kubelearn.apiserver.store import Store, WatchEvent
from kubelearn.clock import Clock

# A bound on work done at one instant, so a controller loop that never settles
# is reported instead of hanging the notebook.
MAX_STEPS_PER_INSTANT = 200_000


# CPython's oldest-generation threshold while the engine runs a burst: never reached.
NO_FULL_COLLECTIONS = 2**31 - 1


@contextmanager
def full_collections_paused():
    """Hold off CPython's full garbage collections while the engine runs a burst of work.

    A burst (10,000 pods created, bound, started and their events recorded)
    allocates millions of container objects that survive: the store's dicts,
    the kubelets' records. Each time enough have survived, the collector walks
    every object in the process looking for reference cycles, and on a 1,000-node
    cluster those full walks took a third of the run. The engine's objects are
    plain dicts that form no cycles, and the young collections (which see only
    new objects, and still free any cyclic garbage the burst makes) go on as
    usual. When the burst ends the caller's thresholds come back, and the next
    full collection happens when CPython's own rule says so. Nested bursts leave
    it to the outermost one.
    """
    saved = gc.get_threshold()
    if saved[2] == NO_FULL_COLLECTIONS:
        yield
        return
    gc.set_threshold(saved[0], saved[1], NO_FULL_COLLECTIONS)
    try:
        yield
    finally:
        gc.set_threshold(*saved)


def run_controllers(controllers: list) -> None:
    """Process queued keys, one per controller in turn, until every queue is empty."""
    run_queues(work_queues(controllers))


def work_queues(controllers: list) -> list:
    """(controller, its FIFO) pairs for ``run_queues``: made once for a whole ``settle`` or
    ``advance``, which runs the controllers after every timer."""
    return [(ctrl, ctrl.queue.waiting) for ctrl in controllers]


def run_queues(queues: list) -> None:
    """``run_controllers`` over ``work_queues``."""
    for _ in range(MAX_STEPS_PER_INSTANT):
        busy = False
        for ctrl, waiting in queues:
            if waiting:
                ctrl.process_one()
                busy = True
        if not busy:
            return
    raise RuntimeError("controllers did not settle: more than "
                       f"{MAX_STEPS_PER_INSTANT} reconciles at one instant")


@dataclass
class SettleReport:
    """What ``settle()`` did: how far time moved and what, if anything, is still pending."""
    seconds: float
    settled: bool
    pending: list[str] = field(default_factory=list)

    def __repr__(self) -> str:
        if self.settled:
            return f"settled after {self.seconds:g}s of simulated time"
        return (f"not settled after {self.seconds:g}s of simulated time; still pending: "
                + ", ".join(self.pending))


class class_or_instance:
    """A method that is one function on the class and another on an instance.

    ``Cluster.minikube(seed=0)`` must stay the constructor the course starts with,
    while ``c.minikube("service web")`` reads like the ``minikube`` command line
    run against ``c``. Looked up on the class it binds ``on_class`` to the class
    (a classmethod); looked up on an instance it binds ``on_instance`` to it."""

    def __init__(self, on_class, on_instance):
        self.on_class, self.on_instance = on_class, on_instance
        self.__doc__ = on_class.__doc__

    def __get__(self, obj, objtype=None):
        if obj is None:
            return self.on_class.__get__(objtype, type(objtype))
        return self.on_instance.__get__(obj, objtype)


class Cluster:
    """An in-memory Kubernetes cluster driven by simulated time."""

    def __init__(self, *, seed: int = 0, flavour: str = "kubeadm", workers: int = 2,
                 name: str | None = None, boot: bool = True, clock: Clock | None = None,
                 profile=None, register: bool = True):
        """``clock`` shares a simulated clock with something else that lives in time (the
        simulated AWS account of an EKS cluster), so both move together; ``profile``
        (a ``bootstrap.Profile``) replaces the one ``flavour`` names; ``register=False``
        adds no kubeconfig context (an EKS cluster gets one from ``aws eks
        update-kubeconfig``)."""
        from kubelearn import bootstrap, contexts
        from kubelearn.controllers import default_controllers
        from kubelearn.node.registry import Registry
        from kubelearn.node.volumes import ClusterStorage

        self.seed = seed
        self.flavour = flavour
        self.rng = Random(seed)
        self.clock = clock if clock is not None else Clock()
        self.store = Store()
        self.api = APIServer(self.store, self.clock, self.rng)
        self.events = EventRecorder(self.api)
        self.profile = profile if profile is not None else bootstrap.profile(flavour, workers,
                                                                              name)
        self.name = self.profile.cluster_name
        self.ca_bundle = bootstrap.ca_bundle(self.rng)
        self.registry = Registry()      # the images kubelets can pull (registry.push adds one)
        # a cloud's public DNS for names it publishes (EKS: ELB hostnames), or None:
        # (host, port) -> (address, port) kube-proxy knows (network.http.public_address)
        self.public_dns = None
        self.storage = ClusterStorage()  # the bytes behind volumes: node disks, emptyDirs, CSI
        self.stopped_nodes: dict[str, float] = {}   # node -> when it stopped (stop_node)
        self.controllers = default_controllers(self)
        self._routes: dict[str, list] = {}
        for ctrl in self.controllers:
            for kind in ctrl.watches:
                self._routes.setdefault(kind, []).append(ctrl)
        self.store.watch(self._dispatch)
        self.kubeconfig = contexts.kubeconfig()
        if boot:
            bootstrap.boot(self)
        if register:
            self.kubeconfig.register(self)

    def _new_minikube(cls, *, seed: int = 0) -> "Cluster":
        """A single-node cluster named ``minikube``, as ``minikube start`` makes."""
        return cls(seed=seed, flavour="minikube")

    def _run_minikube(self, command: str | None = None):
        """Run a minikube command against this cluster (``c.minikube("service web --url")``):
        a result with ``stdout``, ``stderr`` and ``exit_code`` that prints like a terminal.
        See ``kubelearn.cloud.minikube`` for the commands and the driver they assume."""
        if command is None:
            raise TypeError('c.minikube(command) runs a minikube command on this cluster, e.g. '
                            'c.minikube("service web"); Cluster.minikube() builds a new one')
        from kubelearn.cloud.minikube import run

        return run(self, command)

    # ``Cluster.minikube()`` on the class builds a minikube cluster (``minikube start``);
    # ``c.minikube("ip")`` on a cluster runs a minikube command against it.
    minikube = class_or_instance(_new_minikube, _run_minikube)

    @classmethod
    def eks(cls, name: str = "my-cluster-name", *, region: str = "us-east-2",
            version: str = "1.32", clock: Clock | None = None, register: bool = False,
            seed: int = 0, account_id: str = "123456789012") -> "Cluster":
        """The Kubernetes side of an Amazon EKS cluster: no node of its own (AWS runs the
        control plane), CoreDNS waiting for worker nodes, the ``gp2`` StorageClass, EKS's
        version strings. ``kubelearn.cloud.eks`` adds and removes worker nodes
        (``add_node``, ``remove_node``), gives LoadBalancer Services an ELB hostname and
        gates EFS mounts (``set_efs_gate``). ``clock`` is the simulated AWS account's, so
        both move together; with ``register=False`` no kubeconfig context exists until
        ``aws eks update-kubeconfig`` adds one (``kubelearn.cloud.eks.register_context``)."""
        from kubelearn.cloud.eks import new_cluster

        return new_cluster(cls, name, region=region, version=version, clock=clock,
                           register=register, seed=seed, account_id=account_id)

    def add_controller(self, controller) -> None:
        """Run one more controller (a cloud's, e.g. EKS's load balancers) after the others:
        it hears the events of the kinds it ``watches`` from now on."""
        self.controllers.append(controller)
        for kind in controller.watches:
            self._routes.setdefault(kind, []).append(controller)

    # -- running ---------------------------------------------------------
    def _dispatch(self, event: WatchEvent) -> None:
        for ctrl in self._routes.get(event.kind, ()):
            for key in ctrl.keys_for(event):
                ctrl.queue.add(key)
        for ctrl in self._routes.get("*", ()):
            for key in ctrl.keys_for(event):
                ctrl.queue.add(key)

    def run_now(self) -> None:
        """Let every controller catch up with what just happened, without moving time."""
        with full_collections_paused():
            run_controllers(self.controllers)

    def advance(self, seconds: float) -> None:
        """Move simulated time forward, running everything that falls due."""
        target = self.clock.now + seconds
        queues = work_queues(self.controllers)
        with full_collections_paused():
            run_queues(queues)
            while (timer := self.clock.pop_due(target)) is not None:
                timer.callback()
                run_queues(queues)
        self.clock.now = target

    def settle(self, max_seconds: float = 600) -> SettleReport:
        """Run until nothing but background work (probes, heartbeats) is scheduled."""
        start = self.clock.now
        deadline = start + max_seconds
        queues = work_queues(self.controllers)
        with full_collections_paused():
            run_queues(queues)
            while self.clock.foreground > 0:
                timer = self.clock.pop_due(deadline)
                if timer is None:
                    self.clock.now = deadline
                    return SettleReport(max_seconds, False, self.clock.describe_pending())
                timer.callback()
                run_queues(queues)
        return SettleReport(self.clock.now - start, True)

    @property
    def now(self) -> float:
        return self.clock.now

    # -- learner-facing API ----------------------------------------------
    def kubectl(self, command: str, stdin: str | None = None):
        """Run a kubectl command line against this cluster; returns a result with
        ``stdout``, ``stderr`` and ``exit_code`` that prints like a terminal."""
        from kubelearn.kubectl import run

        result = run(self, command, stdin=stdin)
        self.run_now()
        return result

    def apply(self, manifest: str):
        """Same as ``kubectl apply -f -`` with ``manifest`` on standard input."""
        return self.kubectl("apply -f -", stdin=manifest)

    def get(self, kind: str, name: str, namespace: str = "default"):
        """A copy of one object as a read-only view (raises StatusError NotFound)."""
        from kubelearn.api.kinds import lookup_resource
        from kubelearn.api.view import ObjectView
        from kubelearn.apiserver import errors

        info = lookup_resource(kind)
        if info is None:
            raise errors.StatusError(404, "NotFound",
                                     f'the server doesn\'t have a resource type "{kind}"')
        return ObjectView(self.api.get(info, name, namespace if info.namespaced else ""))

    def http_get(self, url: str, *, from_pod: str | tuple[str, str] | None = None):
        """``GET url`` from the learner's machine: a node port
        (``http://192.168.49.2:31000/``), a cluster IP, a LoadBalancer's EXTERNAL-IP or a
        ``localhost`` port a minikube tunnel or ``kubectl port-forward`` opened. With
        ``from_pod="client"`` (or ``("namespace", "client")``) the request leaves from
        inside that pod instead, so Service names resolve through the cluster's DNS and
        ``localhost`` is the pod's own. Returns a response with ``status``, ``text``,
        ``headers`` and ``pod`` (who answered); raises a ``ConnectionError``
        (``kubelearn.network.http``) when nothing answers, worded as curl words it."""
        from kubelearn.network.http import request

        return request(self, "GET", url, from_pod=self._pod_key(from_pod))

    def http_post(self, url: str, data: str | bytes | dict | None = None, *,
                  from_pod: str | tuple[str, str] | None = None):
        """``POST url`` with ``data`` (text, or a dict sent as JSON); otherwise like
        ``http_get``. ``c.http_post(url + "/story", {"text": "Once upon a time"})``."""
        from kubelearn.network.http import request

        return request(self, "POST", url, data, from_pod=self._pod_key(from_pod))

    def _pod_key(self, pod: str | tuple[str, str] | None) -> tuple[str, str] | None:
        """("namespace", "name") of a pod named as ``name`` (in the current context's
        namespace), ``namespace/name`` or a tuple; NotFound when there is no such pod."""
        if pod is None:
            return None
        if isinstance(pod, str):
            namespace, _, name = pod.rpartition("/")
            if not namespace:
                context = self.kubeconfig.context_of(self)
                namespace = (context.namespace if context else "") or "default"
            pod = (namespace, name)
        self.api.get("Pod", pod[1], pod[0])
        return pod

    def port_forwards(self) -> list:
        """The ``kubectl port-forward`` sessions still open on this cluster; each has
        ``ports``, ``log`` (what kubectl printed since) and ``stop()``, kubelearn's
        stand-in for pressing Ctrl-C in the terminal that runs it."""
        from kubelearn.kubectl.port_forwarding import port_forwards

        return port_forwards(self)

    def stop_node(self, name: str) -> None:
        """Stop a node (power it off): its kubelet stops running pods and posting status.
        The node-lifecycle controller marks it NotReady after the grace period and its
        pods are evicted once their 300 s toleration runs out."""
        from kubelearn.controllers.nodelifecycle import stop_kubelet

        self.api.get("Node", name)          # NotFound for a node that does not exist
        if name in self.stopped_nodes:
            return
        self.stopped_nodes[name] = self.clock.now
        stop_kubelet(self, name)
        self.run_now()

    def start_node(self, name: str) -> None:
        """Start a stopped node again: its kubelet posts Ready, the taints go and the
        deletions of its evicted pods complete."""
        from kubelearn.controllers.nodelifecycle import start_kubelet

        self.api.get("Node", name)
        if self.stopped_nodes.pop(name, None) is None:
            return
        start_kubelet(self, name)
        self.run_now()

    def diagram(self, view: str = "architecture", *, namespace: str | None = None, highlight=()):
        """A graphviz diagram of the cluster: ``view`` is ``"architecture"`` (control
        plane, nodes, pods), ``"workloads"``, ``"network"`` or ``"storage"``;
        ``namespace`` limits what is drawn; ``highlight`` is object keys
        (``"Pod/default/web"``, ``"Node/minikube"``) to mark in red."""
        from kubelearn.viz.views import diagram

        return diagram(self, view, namespace=namespace, highlight=highlight)

    def dashboard(self, namespace: str | None = None, *, all_namespaces: bool = False):
        """An ipywidgets dashboard of this cluster (``kubelearn.widgets.Dashboard``):
        workloads, services, config and storage, nodes and events, with clock
        controls and actions that run kubectl commands."""
        from kubelearn.widgets.dashboard import Dashboard

        return Dashboard(self, namespace, all_namespaces=all_namespaces)

    def __repr__(self) -> str:
        nodes = self.store.count("Node")
        pods = self.store.count("Pod")
        return f"<Cluster {self.name!r}: {nodes} nodes, {pods} pods, t={self.clock.now:g}s>"
