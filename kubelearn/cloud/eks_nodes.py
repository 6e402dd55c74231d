"""EKS worker nodes: what a managed node group's EC2 instances look like to Kubernetes.

``add_node`` registers one instance as a Node the way the EKS AMI's kubelet and
the AWS cloud provider leave it (values checked against ``kubectl describe node``
of real EKS nodes):

* the name the caller gives (``ip-192-168-12-34.us-east-2.compute.internal``,
  the instance's private DNS name);
* labels ``eks.amazonaws.com/nodegroup``, ``eks.amazonaws.com/nodegroup-image``
  (the AMI), ``eks.amazonaws.com/capacityType``,
  ``eks.amazonaws.com/sourceLaunchTemplateId`` / ``...Version``, the
  instance type, zone and region (current and ``beta``/``failure-domain``
  forms), ``topology.k8s.aws/zone-id``, ``k8s.io/cloud-provider-aws``, os,
  arch and hostname, plus the node group's own labels and taints;
* ``spec.providerID`` ``aws:///<zone>/i-<17 hex>`` and no ``podCIDR``: the
  Amazon VPC CNI gives pods addresses from the node's subnet, so a pod's IP is
  a VPC address like the node's own (hostNetwork pods share the node's);
* addresses InternalIP, ExternalIP (in a public subnet), Hostname,
  InternalDNS; ``nodeInfo`` with the ``ec2``-prefixed machine ID, the AMI's OS
  image, kernel and containerd, and the kubelet's EKS version;
* capacity and allocatable from ``INSTANCE_TYPES``: vCPUs and memory (less
  what the kernel keeps, as the kubelet reports it), ``pods`` from the ENI
  limit (``max ENIs x (IPv4 addresses per ENI - 1) + 2``: 17 for a t3.medium),
  allocatable after the EKS AMI's kube-reserved (CPU by core, memory
  ``255Mi + 11Mi x max pods``) and its 100Mi eviction threshold.

``remove_node`` is what a node group does to an instance it removes: cordon
(``NodeNotSchedulable``), evict every pod but DaemonSet and mirror pods as
``kubectl drain --ignore-daemonsets --delete-emptydir-data --force`` would,
wait until they have terminated, stop the instance, delete the Node (the cloud
node-lifecycle controller's ``RemovingNode``) and remove the pods left bound to
it (the pod garbage collector's work for DaemonSet pods).
"""
from __future__ import annotations

import hashlib
import ipaddress
from dataclasses import dataclass
from random import Random  # seeded instances only: never the global generator

from kubelearn.bootstrap_objects import node_conditions
from kubelearn.clock import rfc3339

KIB_PER_GIB = 1024 * 1024
EPHEMERAL_CAPACITY = "20959212Ki"        # the AMI's 20 GiB root volume, as the kubelet sees it
EPHEMERAL_ALLOCATABLE = "18242267924"
DRAIN_POLL_SECONDS = 1.0
DRAIN_LIMIT_SECONDS = 3600.0
ZONE_LETTERS = "abcdef"


@dataclass(frozen=True)
class InstanceType:
    """What the kubelet reports for an EC2 instance type."""
    name: str
    vcpus: int
    memory_gib: int
    max_enis: int
    ips_per_eni: int

    @property
    def max_pods(self) -> int:
        """The EKS AMI's ``max-pods``: one address per ENI is the ENI's own, plus the two
        hostNetwork pods (aws-node, kube-proxy) that need no address."""
        return self.max_enis * (self.ips_per_eni - 1) + 2

    @property
    def memory_ki(self) -> int:
        """Memory the kubelet reports: what the kernel leaves of the nominal amount (a
        t3.medium's 4 GiB shows as 3943376Ki)."""
        return self.memory_gib * KIB_PER_GIB * 3943376 // 4194304

    def capacity(self) -> dict:
        return {"cpu": str(self.vcpus), "ephemeral-storage": EPHEMERAL_CAPACITY,
                "hugepages-1Gi": "0", "hugepages-2Mi": "0", "memory": f"{self.memory_ki}Ki",
                "pods": str(self.max_pods)}

    def allocatable(self) -> dict:
        reserved_cpu = 0.0
        for core in range(self.vcpus):      # 6% of the first core, 1%, 0.5%, 0.5%, 0.25%...
            reserved_cpu += 60 if core == 0 else 10 if core == 1 else 5 if core < 4 else 2.5
        reserved_mem = (255 + 11 * self.max_pods + 100) * 1024
        return {"cpu": f"{self.vcpus * 1000 - int(reserved_cpu)}m",
                "ephemeral-storage": EPHEMERAL_ALLOCATABLE, "hugepages-1Gi": "0",
                "hugepages-2Mi": "0", "memory": f"{self.memory_ki - reserved_mem}Ki",
                "pods": str(self.max_pods)}


# (name, vCPUs, GiB, max ENIs, IPv4 addresses per ENI), from EC2's instance-type data
INSTANCE_TYPES = {t.name: t for t in (
    InstanceType("t3.micro", 2, 1, 2, 2), InstanceType("t3.small", 2, 2, 3, 4),
    InstanceType("t3.medium", 2, 4, 3, 6), InstanceType("t3.large", 2, 8, 3, 12),
    InstanceType("t3.xlarge", 4, 16, 4, 15), InstanceType("t3a.medium", 2, 4, 3, 6),
    InstanceType("m5.large", 2, 8, 3, 10), InstanceType("m5.xlarge", 4, 16, 4, 15),
    InstanceType("m6i.large", 2, 8, 3, 10), InstanceType("c5.large", 2, 4, 3, 10),
    InstanceType("r5.large", 2, 16, 3, 10))}

TAINT_EFFECTS = {"NO_SCHEDULE": "NoSchedule", "NO_EXECUTE": "NoExecute",
                 "PREFER_NO_SCHEDULE": "PreferNoSchedule"}


def _hex(*parts: str, length: int = 32) -> str:
    return hashlib.sha256("/".join(parts).encode()).hexdigest()[:length]


def zone_id(region: str, zone: str) -> str:
    """``topology.k8s.aws/zone-id`` (``use2-az1``): AWS maps zone names to ids per
    account; kubelearn's account maps letter a to az1, b to az2 and so on."""
    parts = region.split("-")           # us-east-2 -> use2
    short = parts[0] + "".join(p[0] for p in parts[1:-1]) + parts[-1]
    letter = zone[len(region):] or "a"
    return f"{short}-az{ZONE_LETTERS.index(letter[0]) + 1 if letter[0] in ZONE_LETTERS else 1}"


# -- pod addresses from the VPC (the Amazon VPC CNI) ------------------------------------------
class VPCAddresses:
    """The addresses taken in the cluster's VPC (nodes and pods), shared by every node's
    allocator so two pods never get one address."""

    def __init__(self) -> None:
        self.taken: set[int] = set()


def vpc_addresses(cluster) -> VPCAddresses:
    found = cluster.__dict__.get("_vpc_addresses")
    if found is None:
        found = cluster.__dict__["_vpc_addresses"] = VPCAddresses()
    return found


class VPCIPAllocator:
    """One node's secondary addresses: random free addresses of its subnet (AWS keeps the
    first four and the last), drawn from a generator seeded by the cluster's seed and the
    node's name, so runs repeat. Same interface as the kubelet's host-local IPAM."""

    def __init__(self, cluster, node: str, subnet: str):
        net = ipaddress.ip_network(subnet, strict=False)
        self._first = int(net.network_address) + 4
        self._last = int(net.broadcast_address) - 1
        self._vpc = vpc_addresses(cluster)
        self._rng = Random(f"{cluster.seed}/{node}")
        self.mine: set[int] = set()

    def allocate(self) -> str | None:
        size = self._last - self._first + 1
        if len(self._vpc.taken) >= size:
            return None
        start = self._rng.randrange(size)
        for step in range(size):
            candidate = self._first + (start + step) % size
            if candidate not in self._vpc.taken:
                self._vpc.taken.add(candidate)
                self.mine.add(candidate)
                return str(ipaddress.ip_address(candidate))
        return None

    def release(self, ip: str | None) -> None:
        if ip:
            address = int(ipaddress.ip_address(ip))
            if address in self.mine:
                self.mine.discard(address)
                self._vpc.taken.discard(address)

    def release_all(self) -> None:
        self._vpc.taken.difference_update(self.mine)
        self.mine.clear()


# -- adding a node -------------------------------------------------------------------------
def add_node(cluster, name: str, *, ip: str, zone: str, nodegroup: str,
             instance_type: str = "t3.medium", labels: dict | None = None,
             taints: list | None = None, subnet_cidr: str | None = None,
             external_ip: str | None = None, image_id: str | None = None,
             instance_id: str | None = None, capacity_type: str = "ON_DEMAND",
             launch_template: tuple[str, str] | None = None) -> dict:
    """Register an EC2 instance of a node group as a Ready worker Node and start its
    kubelet; returns the Node as stored. ``subnet_cidr`` is where its pods' addresses
    come from (default: the /18 around ``ip``, as the EKS sample VPC's subnets are);
    ``taints`` take Kubernetes effects or EKS's (``NO_SCHEDULE``)."""
    from kubelearn.cloud.eks import eks_state
    from kubelearn.node.kubelet import kubelet_for

    state = eks_state(cluster)
    kind = INSTANCE_TYPES.get(instance_type)
    if kind is None:
        raise ValueError(f"kubelearn knows instance types {', '.join(sorted(INSTANCE_TYPES))}, "
                         f"not {instance_type!r}")
    if not zone.startswith(state.region):
        raise ValueError(f"zone {zone!r} is not in the cluster's region {state.region}")
    network = ipaddress.ip_network(subnet_cidr or f"{ip}/18", strict=False)
    if ipaddress.ip_address(ip) not in network:
        raise ValueError(f"{ip} is not in the subnet {network}")
    obj = node_object(cluster, name, ip=ip, zone=zone, nodegroup=nodegroup, kind=kind,
                      labels=labels, taints=taints, external_ip=external_ip,
                      image_id=image_id, instance_id=instance_id, capacity_type=capacity_type,
                      launch_template=launch_template)
    vpc_addresses(cluster).taken.add(int(ipaddress.ip_address(ip)))
    created = cluster.api.create(obj)
    kubelet = kubelet_for(cluster, name)          # made as the Node registered
    kubelet.ipam = VPCIPAllocator(cluster, name, str(network))
    kubelet.gateway_ip = ip                       # probes leave from the node's own address
    cluster.run_now()
    return cluster.api.store.get("Node", "", name) or created


def node_object(cluster, name: str, *, ip: str, zone: str, nodegroup: str, kind: InstanceType,
                labels: dict | None = None, taints: list | None = None,
                external_ip: str | None = None, image_id: str | None = None,
                instance_id: str | None = None, capacity_type: str = "ON_DEMAND",
                launch_template: tuple[str, str] | None = None) -> dict:
    """The Node an EKS node group's instance registers."""
    from kubelearn.cloud.eks import VERSIONS, eks_state

    state = eks_state(cluster)
    info = VERSIONS[state.version]
    ami = image_id or "ami-0" + _hex(state.region, state.version, "ami", length=16)
    template_id, template_version = launch_template or (
        "lt-0" + _hex(state.arn, nodegroup, "lt", length=16), "1")
    instance = instance_id or "i-0" + _hex(state.arn, name, "instance", length=16)
    node_labels = {
        "beta.kubernetes.io/arch": "amd64", "beta.kubernetes.io/instance-type": kind.name,
        "beta.kubernetes.io/os": "linux", "eks.amazonaws.com/capacityType": capacity_type,
        "eks.amazonaws.com/nodegroup": nodegroup, "eks.amazonaws.com/nodegroup-image": ami,
        "eks.amazonaws.com/sourceLaunchTemplateId": template_id,
        "eks.amazonaws.com/sourceLaunchTemplateVersion": template_version,
        "failure-domain.beta.kubernetes.io/region": state.region,
        "failure-domain.beta.kubernetes.io/zone": zone,
        "k8s.io/cloud-provider-aws": _hex(state.arn, "cloud-provider"),
        "kubernetes.io/arch": "amd64", "kubernetes.io/hostname": name,
        "kubernetes.io/os": "linux", "node.kubernetes.io/instance-type": kind.name,
        "topology.k8s.aws/zone-id": zone_id(state.region, zone),
        "topology.kubernetes.io/region": state.region, "topology.kubernetes.io/zone": zone}
    node_labels.update(labels or {})
    spec: dict = {"providerID": f"aws:///{zone}/{instance}"}
    if taints:
        spec["taints"] = [{k: TAINT_EFFECTS.get(v, v) if k == "effect" else v
                           for k, v in taint.items() if v is not None} for taint in taints]
    addresses = [{"address": ip, "type": "InternalIP"}]
    if external_ip:
        addresses.append({"address": external_ip, "type": "ExternalIP"})
    addresses += [{"address": name, "type": "Hostname"}, {"address": name, "type": "InternalDNS"}]
    machine = "ec2" + _hex(state.arn, name, "machine", length=29)
    boot = _hex(state.arn, name, "boot")
    return {
        "apiVersion": "v1", "kind": "Node",
        "metadata": {"name": name, "labels": node_labels, "annotations": {
            "alpha.kubernetes.io/provided-node-ip": ip,
            "node.alpha.kubernetes.io/ttl": "0",
            "volumes.kubernetes.io/controller-managed-attach-detach": "true"}},
        "spec": spec,
        "status": {
            "addresses": addresses,
            "allocatable": kind.allocatable(), "capacity": kind.capacity(),
            "conditions": node_conditions(stamp=rfc3339(cluster.clock.now)),
            "daemonEndpoints": {"kubeletEndpoint": {"Port": 10250}},
            "nodeInfo": {
                "architecture": "amd64",
                "bootID": f"{boot[:8]}-{boot[8:12]}-{boot[12:16]}-{boot[16:20]}-{boot[20:]}",
                "containerRuntimeVersion": info.runtime, "kernelVersion": info.kernel,
                "kubeProxyVersion": info.kubelet, "kubeletVersion": info.kubelet,
                "machineID": machine, "operatingSystem": "linux", "osImage": info.os_image,
                "systemUUID": f"{machine[:8]}-{machine[8:12]}-{machine[12:16]}-"
                              f"{machine[16:20]}-{machine[20:]}"},
        },
    }


# -- removing a node -----------------------------------------------------------------------
def _pods_on(cluster, node: str) -> list[dict]:
    pods = [p for p in cluster.api.store.list("Pod") if p["spec"].get("nodeName") == node]
    return sorted(pods, key=lambda p: (p["metadata"].get("namespace", ""), p["metadata"]["name"]))


def _daemon_or_mirror(pod: dict) -> bool:
    from kubelearn.node.mirror_pods import is_static

    owners = pod["metadata"].get("ownerReferences") or ()
    return is_static(pod) or any(o.get("kind") == "DaemonSet" and o.get("controller")
                                 for o in owners)


def drain(cluster, name: str) -> list[str]:
    """Cordon the node and evict its pods (not DaemonSet or mirror pods), each with its
    own grace period: ``namespace/name`` of the pods evicted."""
    node = cluster.api.get("Node", name)
    if not node["spec"].get("unschedulable"):
        cluster.api.update({**node, "spec": {**node["spec"], "unschedulable": True}})
        node = cluster.api.get("Node", name)
        cluster.events.record(node, "Normal", "NodeNotSchedulable",
                              f"Node {name} status is now: NodeNotSchedulable", "kubelet",
                              host=name)
    evicted = []
    for pod in _pods_on(cluster, name):
        meta = pod["metadata"]
        if _daemon_or_mirror(pod) or meta.get("deletionTimestamp"):
            continue
        cluster.api.delete("Pod", meta["name"], meta.get("namespace", ""))
        evicted.append(f"{meta.get('namespace', '')}/{meta['name']}")
    cluster.run_now()
    return evicted


def _drained(cluster, name: str) -> bool:
    return all(_daemon_or_mirror(p) for p in _pods_on(cluster, name))


def remove_node(cluster, name: str, *, wait: bool = True) -> list[str]:
    """Drain the node, then (once its evicted pods have terminated) stop the instance and
    delete the Node. Returns the pods evicted. ``wait=True`` moves simulated time until
    the Node is gone; from inside a clock callback (an AWS lifecycle step) pass
    ``wait=False`` and the rest happens as the clock moves."""
    evicted = drain(cluster, name)
    started = cluster.clock.now

    def step() -> None:
        if cluster.api.store.get("Node", "", name) is None:
            return
        if _drained(cluster, name) or cluster.clock.now - started >= DRAIN_LIMIT_SECONDS:
            _terminate(cluster, name)
        else:
            cluster.clock.call_later(DRAIN_POLL_SECONDS, step, label=f"drain node {name}")

    if not wait:
        step()
        return evicted
    while cluster.api.store.get("Node", "", name) is not None:
        if _drained(cluster, name) or cluster.clock.now - started >= DRAIN_LIMIT_SECONDS:
            _terminate(cluster, name)
            break
        cluster.advance(DRAIN_POLL_SECONDS)
    return evicted


def _terminate(cluster, name: str) -> None:
    """The instance is terminated: its kubelet stops, the cloud node-lifecycle controller
    deletes the Node, the pod garbage collector removes the pods still bound to it."""
    from kubelearn.controllers.nodelifecycle import _controller, stop_kubelet
    from kubelearn.node.kubelet import kubelet_for

    try:
        ipam = kubelet_for(cluster, name).ipam
    except (LookupError, KeyError):
        ipam = None
    stop_kubelet(cluster, name)
    lifecycle = _controller(cluster)
    if lifecycle is not None:
        lifecycle.parked.pop(name, None)
    cluster.stopped_nodes.pop(name, None)
    node = cluster.api.store.get("Node", "", name)
    if node is None:
        return
    cluster.events.record(node, "Normal", "RemovingNode",
                          f"Node {name} event: Removing Node {name} from Controller",
                          "node-controller")
    for address in node["status"].get("addresses") or ():
        if address.get("type") == "InternalIP":
            vpc_addresses(cluster).taken.discard(int(ipaddress.ip_address(address["address"])))
    if isinstance(ipam, VPCIPAllocator):
        ipam.release_all()
    cluster.api.delete("Node", name)
    for pod in _pods_on(cluster, name):
        meta = pod["metadata"]
        cluster.api.delete("Pod", meta["name"], meta.get("namespace", ""), grace_period=0)
        if cluster.api.store.get("Pod", meta.get("namespace", ""), meta["name"]) is not None:
            cluster.api.finish_deletion("Pod", meta["name"], meta.get("namespace", ""))
    cluster.run_now()


__all__ = ["INSTANCE_TYPES", "InstanceType", "VPCIPAllocator", "add_node", "drain",
           "node_object", "remove_node", "zone_id"]
