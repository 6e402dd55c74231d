"""The Kubernetes side of each EKS cluster, kept in step with the account.

* A cluster turning ``ACTIVE`` gets its kubelearn ``Cluster.eks`` (no
  control-plane node, EKS's version strings), with a clock of its own that
  starts at the account's time and follows it (``aws.advance`` moves both). No
  kubeconfig context exists until ``aws eks update-kubeconfig``
  (``register_context``). ``aws.cluster(name)`` returns it.
* A node group turning ``ACTIVE`` adds ``desiredSize`` worker Nodes
  (``kubelearn.cloud.eks_nodes.add_node``), spread over its subnets in turn, named
  by their private DNS name ``ip-192-168-…​.REGION.compute.internal`` with a free
  address of the subnet (seeded, so runs repeat); ``update_nodegroup_config``
  adds or drains nodes to the new size; deleting the node group drains and
  removes them all (``remove_node``).
* EFS mounts on those nodes ask the account (``efs_access.mount_error``: a mount
  target in the node's zone, an NFS rule for its address) through the cluster's
  EFS gate; a new security-group rule or mount target wakes pods waiting to mount.
"""
from __future__ import annotations

import ipaddress
from random import Random

from kubelearn.clock import Clock


class Bridge:
    def __init__(self, aws):
        self.aws = aws
        self.clusters: dict[tuple[str, str], object] = {}     # (region, name) -> Cluster
        self.nodes: dict[tuple[str, str, str], list[dict]] = {}   # node group -> its nodes
        aws.lifecycle.listeners.append(self)
        aws.followers.append(self.follow)

    def register(self, client) -> None:
        """Wake waiting mounts when what they depend on changes."""
        for event in ("after-call.ec2.AuthorizeSecurityGroupIngress",
                      "after-call.efs.CreateMountTarget"):
            client.meta.events.register(event, self._wake, unique_id=f"kubelearn-wake-{event}")

    # -- clusters --------------------------------------------------------------------
    def on_cluster_active(self, region: str, name: str, record: dict) -> None:
        from kubelearn.cloud.eks_efs import set_efs_gate
        from kubelearn.cluster import Cluster

        cluster = self.clusters[(region, name)] = Cluster.eks(
            name, region=region, version=record["version"], clock=Clock(self.aws.now),
            register=False, seed=self.aws.seed, account_id=self.aws.account_id)
        set_efs_gate(cluster, lambda node, handle, r=region, c=name:
                     self._mount_error(r, c, node, handle))

    def on_cluster_deleted(self, region: str, name: str, record: dict) -> None:
        self.clusters.pop((region, name), None)

    def follow(self, now: float) -> None:
        for cluster in list(self.clusters.values()):
            if now > cluster.now:
                cluster.advance(now - cluster.now)

    def cluster(self, name: str, region: str | None = None):
        region = region or self.aws.region
        found = self.clusters.get((region, name))
        if found is None:
            status = self.aws.lifecycle.cluster_status(region, name)
            raise KeyError(f"no ACTIVE EKS cluster named {name!r} in {region}"
                           + (f" (it is {status})" if status else ""))
        return found

    def register_context(self, region: str, name: str, context: str,
                         user: str | None = None) -> None:
        from kubelearn.cloud.eks import register_context

        cluster = self.clusters.get((region, name))
        if cluster is not None:
            register_context(cluster, context, user=user or context)

    # -- node groups -------------------------------------------------------------------
    def on_nodegroup_active(self, region: str, cluster: str, nodegroup: str,
                            record: dict) -> None:
        self.nodes.setdefault((region, cluster, nodegroup), [])
        self._resize(region, cluster, nodegroup, record)

    def on_nodegroup_resized(self, region: str, cluster: str, nodegroup: str,
                             record: dict) -> None:
        self._resize(region, cluster, nodegroup, record)

    def on_nodegroup_deleted(self, region: str, cluster: str, nodegroup: str,
                             record: dict) -> None:
        from kubelearn.cloud.eks_nodes import remove_node

        kube = self.clusters.get((region, cluster))
        for node in reversed(self.nodes.pop((region, cluster, nodegroup), [])):
            if kube is not None:
                remove_node(kube, node["name"], wait=False)

    def _resize(self, region: str, cluster: str, nodegroup: str, record: dict) -> None:
        from kubelearn.cloud.eks_nodes import add_node, remove_node

        kube = self.clusters.get((region, cluster))
        if kube is None:
            return
        nodes = self.nodes[(region, cluster, nodegroup)]
        want = int(record["scaling"].get("desiredSize", 0))
        while len(nodes) > want:
            remove_node(kube, nodes.pop()["name"], wait=False)
        if len(nodes) >= want:
            return
        ec2 = self.aws.plain("ec2", region)
        subnets = ec2.describe_subnets(SubnetIds=record["subnets"])["Subnets"]
        subnets.sort(key=lambda s: record["subnets"].index(s["SubnetId"]))
        while len(nodes) < want:
            index = len(nodes)
            subnet = subnets[index % len(subnets)]
            ip = self._free_address(region, ec2, subnet, f"{cluster}/{nodegroup}/{index}")
            name = f"ip-{ip.replace('.', '-')}.{region}.compute.internal"
            add_node(kube, name, ip=ip, zone=subnet["AvailabilityZone"], nodegroup=nodegroup,
                     instance_type=record["instanceTypes"][0], labels=record["labels"],
                     taints=record["taints"], subnet_cidr=subnet["CidrBlock"])
            nodes.append({"name": name, "ip": ip, "zone": subnet["AvailabilityZone"],
                          "subnet": subnet["SubnetId"]})

    def _free_address(self, region: str, ec2, subnet: dict, key: str) -> str:
        """A seeded free address of the subnet (AWS keeps its first four and the last)."""
        net = ipaddress.ip_network(subnet["CidrBlock"])
        taken = {n["ip"] for nodes in self.nodes.values() for n in nodes}
        taken |= {e["PrivateIpAddress"] for e in ec2.describe_network_interfaces(Filters=[
            {"Name": "subnet-id", "Values": [subnet["SubnetId"]]}])["NetworkInterfaces"]}
        first, size = int(net.network_address) + 4, net.num_addresses - 5
        start = Random(f"{self.aws.seed}/{key}").randrange(size)
        for step in range(size):
            ip = str(ipaddress.ip_address(first + (start + step) % size))
            if ip not in taken:
                return ip
        raise RuntimeError(f"no free address in {subnet['SubnetId']}")

    def node(self, region: str, cluster: str, name: str) -> dict | None:
        for (r, c, _), nodes in self.nodes.items():
            if (r, c) == (region, cluster):
                for node in nodes:
                    if node["name"] == name:
                        return node
        return None

    # -- EFS ---------------------------------------------------------------------------
    def _mount_error(self, region: str, cluster: str, node_name: str, handle: str):
        from kubelearn.cloud.aws.efs_access import mount_error

        node = self.node(region, cluster, node_name)
        if node is None:
            return None                      # not a node of a node group: not ours to judge
        return mount_error(self.aws, handle, zone=node["zone"], ip=node["ip"], region=region)

    def _wake(self, http_response, **_):
        from kubelearn.cloud.eks_efs import wake_mount_retries

        if http_response.status_code < 300:
            for cluster in list(self.clusters.values()):
                wake_mount_retries(cluster)
