"""Booting a cluster: what ``kubeadm init`` (or ``minikube start``) leaves behind.

Everything is created through the API server, as the real tools do: the
nodes register, the four namespaces appear, the ``kubernetes`` and
``kube-dns`` services are made, the control-plane components run as static
pods on the control-plane node, CoreDNS runs as a Deployment and kube-proxy as
a DaemonSet. Each of those pods stands for the engine part it names, so a
lesson can point at ``kube-scheduler-minikube`` and say "that is the scheduler".
"""
from __future__ import annotations

import base64
from random import Random  # seeded instances only: never the global generator
from dataclasses import dataclass, field

from kubelearn._version import KUBERNETES_VERSION as _MINOR

KUBERNETES_VERSION = f"{_MINOR}.0"
SERVICE_CIDR_FIRST = "10.96.0.1"
DNS_SERVICE_IP = "10.96.0.10"
BOOT_SECONDS = 60


@dataclass(frozen=True)
class NodeProfile:
    name: str
    ip: str
    pod_cidr: str
    control_plane: bool


@dataclass(frozen=True)
class Profile:
    """The shape of one kind of cluster: names, addresses, versions, add-ons."""
    flavour: str
    cluster_name: str
    context: str
    user: str
    api_port: int
    nodes: tuple[NodeProfile, ...]
    container_runtime: str
    os_image: str
    kernel_version: str
    coredns_replicas: int
    control_plane_schedulable: bool
    addons: tuple[str, ...] = field(default=())
    context_namespace: str = ""   # minikube's context names "default"; kubeadm's names none
    endpoint: str = ""            # the API server's URL, when it is not a node's address (EKS)
    server_version: tuple = ()    # /version fields as (key, value) pairs, when not upstream's

    @property
    def control_plane_node(self) -> NodeProfile:
        return next(n for n in self.nodes if n.control_plane)

    @property
    def server_url(self) -> str:
        return self.endpoint or f"https://{self.control_plane_node.ip}:{self.api_port}"


def profile(flavour: str, workers: int = 2, name: str | None = None) -> Profile:
    if flavour == "minikube":
        node = NodeProfile(name or "minikube", "192.168.49.2", "10.244.0.0/24", True)
        return Profile("minikube", name or "minikube", name or "minikube", name or "minikube",
                       8443, (node,), "docker://27.4.1", "Ubuntu 22.04.5 LTS",
                       "5.15.0-1074-gcp", 1, True, ("storage-provisioner", "default-storageclass"),
                       context_namespace="default")
    if flavour != "kubeadm":
        raise ValueError(f"unknown cluster flavour {flavour!r} (use 'kubeadm' or 'minikube')")
    nodes = [NodeProfile("control-plane", "192.168.49.2", "10.244.0.0/24", True)]
    nodes += [NodeProfile(f"worker-{i}", f"192.168.49.{i + 2}", f"10.244.{i}.0/24", False)
              for i in range(1, workers + 1)]
    cluster = name or "kubernetes"
    return Profile("kubeadm", cluster, f"kubernetes-admin@{cluster}", "kubernetes-admin", 6443,
                   tuple(nodes), "containerd://1.7.24", "Ubuntu 24.04.1 LTS",
                   "6.8.0-51-generic", 2, False)


def ca_bundle(rng: Random) -> str:
    """A PEM-framed CA bundle, drawn from the cluster's seed (same seed, same bytes)."""
    body = base64.b64encode(bytes(rng.getrandbits(8) for _ in range(789))).decode()
    lines = [body[i:i + 64] for i in range(0, len(body), 64)]
    return "-----BEGIN CERTIFICATE-----\n" + "\n".join(lines) + "\n-----END CERTIFICATE-----\n"


def boot(cluster) -> None:
    """Create the cluster's first objects and run until they are up."""
    from kubelearn.bootstrap_objects import system_objects

    for obj in system_objects(cluster.profile, cluster.rng):
        cluster.api.create(obj)
        cluster.run_now()
    cluster.settle()
    if cluster.clock.now < BOOT_SECONDS:
        cluster.advance(BOOT_SECONDS - cluster.clock.now)
