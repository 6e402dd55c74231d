"""A ``kubectl port-forward`` left running: kubelearn's stand-in for the blocked terminal.

``cmd_port_forward`` starts one and registers its local ports with the learner's
machine (``kube_proxy(cluster).host_ports``). This is the process that then
runs: it accepts each connection to one of its ports (``connect``, called by
kube-proxy's ``route`` for ``localhost``), prints ``Handling connection for
8080`` and opens a stream to the pod's port; ``log`` keeps everything it
printed, in order. ``port_forwards(cluster)`` lists the running ones and
``stop()`` is Ctrl-C.

A connection to a pod that is gone (deleted, or replaced by a new pod of the
same name: the forward follows the pod's uid) or to a port its containers no
longer listen on fails as client-go 1.32's ``handleConnection`` fails: the
runtime's error on the error stream is logged as klog logs it (the simulated
time, kubectl's pid, ``portforward.go:413] "Unhandled Error" err="an error
occurred forwarding 8080 -> 80: error forwarding port 80 to pod <sandbox>, uid
: ..."``), the stream connection closes, kubectl exits with ``error: lost
connection to pod`` and the client's connection is closed without an answer
(curl: ``Empty reply from server``); later connections are refused. The
runtime's words are containerd's (``failed to find sandbox``, ``failed to
connect to localhost:80 inside namespace``) or, on a docker node such as
minikube's, cri-dockerd's (``No such container``, socat's ``Connection
refused``). Sandbox ids and network namespaces are derived from the pod's uid.
"""
from __future__ import annotations

import hashlib
from datetime import timedelta

from kubelearn.api.validation import go_quote
from kubelearn.clock import EPOCH
from kubelearn.network.proxy import EMPTY_REPLY, REFUSED, Backend, Unreachable, kube_proxy

KLOG_LINE = 413              # where client-go's portforward.go logs handleConnection's error
# which bound addresses accept a connection to each loopback name
_ACCEPTS = {"127.0.0.1": ("127.0.0.1", "0.0.0.0"), "::1": ("::1", "::"), "[::1]": ("::1", "::"),
            "localhost": ("127.0.0.1", "::1", "0.0.0.0", "::")}


class PortForward:
    """One ``kubectl port-forward`` still running: the pod it reaches, its ``ports``
    (local -> container port), everything it printed (``log``, ``output``), ``stop()``."""

    def __init__(self, cluster, pod: dict, addresses: list[str], pid: int) -> None:
        meta = pod["metadata"]
        self.cluster = cluster
        self.namespace, self.pod, self.uid = meta.get("namespace", ""), meta["name"], meta["uid"]
        self.node = pod["spec"].get("nodeName", "")
        self.addresses = addresses
        self.pid = pid
        self.ports: dict[int, int] = {}           # local port -> container port
        self.bound: list[tuple[str, int]] = []     # (address, local port) listening
        self.log: list[tuple[str, str]] = []       # (stdout | stderr, text), in order
        self.running = True

    @property
    def output(self) -> str:
        return "".join(text for _, text in self.log)

    def say(self, stream: str, text: str, inv=None) -> None:
        self.log.append((stream, text))
        if inv is None:
            return
        if stream == "stdout":
            inv.write(text)
        else:
            inv.err.append(text)
            inv.chunks.append((stream, text))

    def stop(self) -> None:
        """Ctrl-C: the listeners close; the local ports are free again."""
        if not self.running:
            return
        self.running = False
        proxy = kube_proxy(self.cluster)
        for local in self.ports:
            if getattr(proxy.host_ports.get(local), "session", None) is self:
                del proxy.host_ports[local]

    # -- a connection to one of the local ports ----------------------------------------
    def connect(self, local: int, host: str) -> Backend:
        """Accept a connection to ``host:local`` and open a stream to the pod's port."""
        if not any(a in self.addresses for a in _ACCEPTS.get(host, ())):
            raise Unreachable(REFUSED)
        remote = self.ports[local]
        self.say("stdout", f"Handling connection for {local}\n")
        pod = self.cluster.api.store.get("Pod", self.namespace, self.pod)
        if pod is None or pod["metadata"].get("uid") != self.uid:
            raise self._lost(local, remote, gone=True)
        container = kube_proxy(self.cluster).listener(pod, remote)
        if container is None:
            raise self._lost(local, remote, gone=False)
        return Backend(self.namespace, self.pod, container, remote, "", "portForward",
                       "127.0.0.1")

    def _lost(self, local: int, remote: int, gone: bool) -> Unreachable:
        """The runtime's error on the stream: kubectl logs it and exits; the client's
        connection closes without an answer."""
        sandbox = hashlib.sha256(f"{self.uid}/sandbox".encode()).hexdigest()
        why = self._runtime_error(sandbox, remote, gone)
        message = (f"an error occurred forwarding {local} -> {remote}: error forwarding port "
                   f"{remote} to pod {sandbox}, uid : {why}")
        self.say("stderr", f'{_klog_header(self.cluster, self.pid)} portforward.go:{KLOG_LINE}] '
                           f'"Unhandled Error" err={go_quote(message)}\n')
        self.say("stderr", "error: lost connection to pod\n")
        self.stop()
        return Unreachable(EMPTY_REPLY)

    def _runtime_error(self, sandbox: str, remote: int, gone: bool) -> str:
        node = self.cluster.api.store.get("Node", "", self.node) or {}
        runtime = ((node.get("status") or {}).get("nodeInfo") or {}).get(
            "containerRuntimeVersion", "containerd://")
        if runtime.startswith("docker"):        # cri-dockerd: socat in the sandbox's netns
            if gone:
                return f"Error: No such container: {sandbox}"
            stamp = (EPOCH + timedelta(seconds=self.cluster.clock.now)).strftime(
                "%Y/%m/%d %H:%M:%S")
            return (f"exit status 1: {stamp} socat[{self.pid + 1}] E connect(5, AF=2 "
                    f"127.0.0.1:{remote}, 16): Connection refused\n")
        if gone:
            return f'failed to find sandbox "{sandbox}" in store: not found'
        netns = hashlib.sha256(f"{self.uid}/netns".encode()).hexdigest()
        netns = f"{netns[:8]}-{netns[8:12]}-{netns[12:16]}-{netns[16:20]}-{netns[20:32]}"
        return (f'failed to execute portforward in network namespace "/var/run/netns/cni-'
                f'{netns}": failed to connect to localhost:{remote} inside namespace '
                f'"{sandbox}", IPv4: dial tcp4 127.0.0.1:{remote}: connect: connection refused '
                f"IPv6 dial tcp6 [::1]:{remote}: connect: connection refused ")

    def __repr__(self) -> str:
        ports = ", ".join(f"{local} -> {remote}" for local, remote in self.ports.items())
        state = "running" if self.running else "stopped"
        return f"<PortForward pod/{self.pod} -n {self.namespace} [{ports}] {state}>"

    def __str__(self) -> str:
        return self.output


def _klog_header(cluster, pid: int) -> str:
    """klog's ``Lmmdd hh:mm:ss.uuuuuu threadid`` at the cluster's simulated time."""
    t = EPOCH + timedelta(seconds=cluster.clock.now)
    return f"E{t:%m%d %H:%M:%S}.{t.microsecond:06d} {pid:7d}"


def forwards_of(cluster) -> list[PortForward]:
    """Every port-forward a cluster has had, in the order they started."""
    return cluster.__dict__.setdefault("_port_forwards", [])


def port_forwards(cluster) -> list[PortForward]:
    """The port-forwards still running (``forward.stop()`` is Ctrl-C for one)."""
    return [forward for forward in forwards_of(cluster) if forward.running]
