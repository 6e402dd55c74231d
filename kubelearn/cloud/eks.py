"""The Kubernetes side of an Amazon EKS cluster (``Cluster.eks()``).

What a learner sees through kubectl once ``aws eks update-kubeconfig`` points
at a new EKS cluster, as EKS 1.32 leaves it:

* **no control-plane node**: AWS runs the API server, etcd, the scheduler and
  the controllers in its own account. ``kubectl get nodes`` lists only worker
  nodes, and there are none until a node group adds them
  (``kubelearn.cloud.eks_nodes.add_node``). The ``kubernetes`` Service's
  endpoints are the two control-plane network interfaces EKS puts in the
  cluster's subnets, on port 443; ``kubectl cluster-info`` shows the cluster's
  endpoint, ``https://<32 hex>.gr7.<region>.eks.amazonaws.com``;
* **kube-system as EKS makes it**: CoreDNS (a Deployment of 2 replicas, Pending
  with ``no nodes available to schedule pods`` until nodes join), kube-proxy and
  aws-node (the Amazon VPC CNI, ``READY 2/2`` with its network-policy agent) as
  DaemonSets, all from Amazon ECR in the cluster's region;
* **the ``gp2`` StorageClass** (``kubernetes.io/aws-ebs``, WaitForFirstConsumer)
  *without* the default-class annotation: since EKS 1.30 new clusters have no
  default StorageClass, so ``kubectl get sc`` shows ``gp2`` without
  ``(default)``;
* **EKS's version strings**: ``kubectl version`` reports the server as
  ``v1.32.12-eks-f69f56f`` (with its build's gitCommit and buildDate in
  ``-o json``), and the nodes' kubelets ``v1.32.3-eks-473151a`` on Amazon Linux
  2023 (values seen on real EKS 1.32 clusters; only 1.32 is simulated).

Around it, the cloud's side (each in its own module, all re-exported here):

* **worker nodes** (``eks_nodes``): ``add_node`` registers a node group's EC2
  instance as a Ready Node with EKS's labels, provider ID, addresses, capacity
  and pod limit, and pod addresses from its subnet (the VPC CNI);
  ``remove_node`` drains it and deletes it;
* **LoadBalancer Services** (``eks_elb``): a Classic ELB each, its hostname in
  EXTERNAL-IP after a short delay, reachable with ``cluster.http_get`` through
  the nodes' node ports once DNS has it;
* **EFS** (``eks_efs``): ``install_efs_csi_driver`` (the add-on) and
  ``set_efs_gate`` (which nodes reach which file system, decided by the AWS
  side; an unknown file system id is its call too);
* **contexts**: ``Cluster.eks(register=False)`` adds no kubeconfig context;
  ``register_context`` is what ``aws eks update-kubeconfig`` calls (the context,
  cluster and user are the cluster ARN, no namespace, and it becomes current).

Known differences: the Service CIDR is kubelearn's ``10.96.0.0/12`` (EKS picks
``10.100.0.0/16`` or ``172.20.0.0/16``); the add-on ConfigMaps (``coredns``,
``kube-proxy``, ``amazon-vpc-cni``, ``aws-auth``) are not created.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass

ECR_ACCOUNT = "602401143452"          # Amazon EKS's ECR account for most regions
DEFAULT_ACCOUNT = "123456789012"


@dataclass(frozen=True)
class EKSVersion:
    """One EKS Kubernetes version: the control plane's build, the node AMI's kubelet
    and OS, and the default add-ons' image tags."""
    server: tuple                 # /version fields
    kubelet: str
    os_image: str
    kernel: str
    runtime: str
    coredns: str
    kube_proxy: str
    vpc_cni: str
    network_policy_agent: str


VERSIONS = {
    "1.32": EKSVersion(
        server=(("major", "1"), ("minor", "32"), ("gitVersion", "v1.32.12-eks-f69f56f"),
                ("gitCommit", "2bb21951f0a44ab4d4989306d161ffc8e8ff8cb8"),
                ("gitTreeState", "clean"), ("buildDate", "2026-02-27T11:18:54Z"),
                ("goVersion", "go1.24.13"), ("compiler", "gc"), ("platform", "linux/amd64")),
        kubelet="v1.32.3-eks-473151a", os_image="Amazon Linux 2023.7.20250609",
        kernel="6.1.140-154.222.amzn2023.x86_64", runtime="containerd://1.7.27",
        coredns="v1.11.4-eksbuild.24", kube_proxy="v1.32.0-minimal-eksbuild.2",
        vpc_cni="v1.19.2-eksbuild.1", network_policy_agent="v1.1.6-eksbuild.1"),
}


# -- the cluster -----------------------------------------------------------------------
@dataclass
class EKSState:
    """What the EKS layer keeps about one cluster (``eks_state(cluster)``)."""
    name: str
    region: str
    version: str
    account_id: str
    arn: str
    endpoint: str
    control_plane_ips: tuple[str, ...]


def eks_state(cluster) -> EKSState:
    """The EKS facts of an EKS cluster (LookupError for any other cluster)."""
    found = cluster.__dict__.get("_eks")
    if found is None:
        raise LookupError(f"cluster {cluster.name!r} is not an EKS cluster")
    return found


def is_eks(cluster) -> bool:
    return "_eks" in cluster.__dict__


def _hex(*parts: str, length: int = 32) -> str:
    """Deterministic hex digits from names (same names, same digits, in every run)."""
    return hashlib.sha256("/".join(parts).encode()).hexdigest()[:length]


def cluster_endpoint(account_id: str, region: str, name: str) -> str:
    """The API server endpoint of EKS cluster ``name``: ``https://<32 hex>.gr7.<region>.eks.
    amazonaws.com`` (the AWS side's ``describe_cluster`` answers the same)."""
    return f"https://{_hex(account_id, region, name).upper()}.gr7.{region}.eks.amazonaws.com"


def new_cluster(cls, name: str, *, region: str, version: str, clock, register: bool,
                seed: int = 0, account_id: str = DEFAULT_ACCOUNT):
    """``Cluster.eks()``: the cluster, booted as EKS leaves it (no time passes)."""
    from kubelearn.bootstrap import NodeProfile, Profile

    if version not in VERSIONS:
        raise ValueError(f"kubelearn simulates EKS version(s) {', '.join(sorted(VERSIONS))}, "
                         f"not {version!r}")
    info = VERSIONS[version]
    arn = f"arn:aws:eks:{region}:{account_id}:cluster/{name}"
    endpoint = cluster_endpoint(account_id, region, name)
    digits = int(_hex(arn, "eni", length=8), 16)
    ips = (f"192.168.{digits % 64}.{(digits >> 8) % 250 + 4}",
           f"192.168.{64 + (digits >> 16) % 64}.{(digits >> 24) % 250 + 4}")
    profile = Profile("eks", arn, arn, arn, 443,
                      (NodeProfile("", ips[0], "", True),), info.runtime, info.os_image,
                      info.kernel, 2, False, endpoint=endpoint, server_version=info.server)
    cluster = cls(seed=seed, flavour="eks", boot=False, clock=clock, profile=profile,
                  register=False)
    cluster.name = name
    cluster.__dict__["_eks"] = EKSState(name, region, version, account_id, arn, endpoint, ips)
    _push_images(cluster)
    for obj in system_objects(cluster):
        cluster.api.create(obj)
        cluster.run_now()
    from kubelearn.cloud.eks_elb import ELBController, elb_address

    cluster.add_controller(ELBController(cluster))
    cluster.public_dns = lambda host, port: elb_address(cluster, host, port)
    if register:
        register_context(cluster, arn, user=arn)
    return cluster


def register_context(cluster, context_name: str, *, user: str, namespace: str = "",
                     cluster_name: str | None = None):
    """Add the kubeconfig context ``context_name`` for ``cluster`` and make it current, as
    ``aws eks update-kubeconfig`` does (its context, cluster and user are all the cluster
    ARN unless ``--alias``/``--user-alias``; it sets no namespace). Returns the context."""
    from kubelearn.contexts import kubeconfig

    arn = eks_state(cluster).arn if is_eks(cluster) else context_name
    return kubeconfig().add(cluster, context_name, cluster_name=cluster_name or arn, user=user,
                            namespace=namespace)


def image(cluster, repository: str, tag: str) -> str:
    """An EKS system image in the cluster region's ECR."""
    region = eks_state(cluster).region
    return f"{ECR_ACCOUNT}.dkr.ecr.{region}.amazonaws.com/{repository}:{tag}"


def _push_images(cluster) -> None:
    from kubelearn.node.images import system_app

    info = VERSIONS[eks_state(cluster).version]
    dns_ports = [{"containerPort": 53, "protocol": "UDP"}, {"containerPort": 53, "protocol": "TCP"},
                 {"containerPort": 9153, "protocol": "TCP"}]
    for repository, tag, size, app in (
            ("eks/coredns", info.coredns, 22_817_204, system_app("coredns", dns_ports)),
            ("eks/kube-proxy", info.kube_proxy, 31_734_901, system_app("kube-proxy")),
            ("amazon-k8s-cni", info.vpc_cni, 44_382_113, system_app("aws-node")),
            ("amazon-k8s-cni-init", info.vpc_cni, 61_470_255, system_app("aws-vpc-cni-init")),
            ("amazon/aws-network-policy-agent", info.network_policy_agent, 34_127_880,
             system_app("aws-eks-nodeagent")),
            ("eks/pause", "3.10", 299_350, system_app("pause"))):
        name = image(cluster, repository, tag).rsplit(":", 1)[0]
        cluster.registry.push(name, tag, size=size, app=app)


def system_objects(cluster) -> list[dict]:
    """What a new EKS cluster holds, in the order EKS's bootstrap creates it."""
    from kubelearn.bootstrap_objects import kube_dns_service, kubernetes_service, namespace

    state = eks_state(cluster)
    objs = [namespace(n) for n in ("default", "kube-node-lease", "kube-public", "kube-system")]
    objs.append(kubernetes_service(443))
    objs.append({"apiVersion": "v1", "kind": "Endpoints",
                 "metadata": {"name": "kubernetes", "namespace": "default",
                              "labels": {"endpointslice.kubernetes.io/skip-mirror": "true"}},
                 "subsets": [{"addresses": [{"ip": ip} for ip in state.control_plane_ips],
                              "ports": [{"name": "https", "port": 443, "protocol": "TCP"}]}]})
    dns = kube_dns_service()
    dns["metadata"]["labels"]["eks.amazonaws.com/component"] = "kube-dns"
    objs += [{"apiVersion": "v1", "kind": "ServiceAccount",
              "metadata": {"name": account, "namespace": "kube-system"}}
             for account in ("aws-node", "coredns", "kube-proxy")]
    objs += [dns, gp2_storage_class(), aws_node_daemonset(cluster),
             kube_proxy_daemonset(cluster), coredns_deployment(cluster)]
    return objs


_NODE_AFFINITY = {"nodeAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": {
    "nodeSelectorTerms": [{"matchExpressions": [
        {"key": "kubernetes.io/os", "operator": "In", "values": ["linux"]},
        {"key": "kubernetes.io/arch", "operator": "In", "values": ["amd64", "arm64"]},
        {"key": "eks.amazonaws.com/compute-type", "operator": "NotIn",
         "values": ["fargate", "hybrid", "auto"]}]}]}}}


def gp2_storage_class() -> dict:
    """EKS's ``gp2`` class: the in-tree EBS provisioner's name (migrated to the EBS CSI
    driver, which must be installed to provision), no default annotation since 1.30."""
    return {"apiVersion": "storage.k8s.io/v1", "kind": "StorageClass",
            "metadata": {"name": "gp2"},
            "parameters": {"fsType": "ext4", "type": "gp2"},
            "provisioner": "kubernetes.io/aws-ebs", "reclaimPolicy": "Delete",
            "volumeBindingMode": "WaitForFirstConsumer"}


def coredns_deployment(cluster) -> dict:
    labels = {"eks.amazonaws.com/component": "coredns", "k8s-app": "kube-dns"}
    info = VERSIONS[eks_state(cluster).version]
    return {"apiVersion": "apps/v1", "kind": "Deployment",
            "metadata": {"name": "coredns", "namespace": "kube-system",
                         "labels": {**labels, "kubernetes.io/name": "CoreDNS"}},
            "spec": {"replicas": 2, "selector": {"matchLabels": labels},
                     "strategy": {"type": "RollingUpdate",
                                  "rollingUpdate": {"maxSurge": "25%", "maxUnavailable": 1}},
                     "template": {"metadata": {"labels": labels}, "spec": {
                         "affinity": {**_NODE_AFFINITY, "podAntiAffinity": {
                             "preferredDuringSchedulingIgnoredDuringExecution": [{
                                 "weight": 100, "podAffinityTerm": {
                                     "labelSelector": {"matchExpressions": [
                                         {"key": "k8s-app", "operator": "In",
                                          "values": ["kube-dns"]}]},
                                     "topologyKey": "kubernetes.io/hostname"}}]}},
                         "priorityClassName": "system-cluster-critical", "priority": 2000000000,
                         "serviceAccountName": "coredns",
                         "containers": [{
                             "name": "coredns",
                             "image": image(cluster, "eks/coredns", info.coredns),
                             "args": ["-conf", "/etc/coredns/Corefile"],
                             "ports": [{"containerPort": 53, "name": "dns", "protocol": "UDP"},
                                       {"containerPort": 53, "name": "dns-tcp",
                                        "protocol": "TCP"},
                                       {"containerPort": 9153, "name": "metrics",
                                        "protocol": "TCP"}],
                             "resources": {"limits": {"memory": "170Mi"},
                                           "requests": {"cpu": "100m", "memory": "70Mi"}}}],
                         "tolerations": [{"key": "node-role.kubernetes.io/control-plane",
                                          "effect": "NoSchedule"},
                                         {"key": "CriticalAddonsOnly", "operator": "Exists"}]}}}}


def kube_proxy_daemonset(cluster) -> dict:
    labels = {"k8s-app": "kube-proxy"}
    info = VERSIONS[eks_state(cluster).version]
    return {"apiVersion": "apps/v1", "kind": "DaemonSet",
            "metadata": {"name": "kube-proxy", "namespace": "kube-system",
                         "labels": {"eks.amazonaws.com/component": "kube-proxy", **labels}},
            "spec": {"selector": {"matchLabels": labels},
                     "updateStrategy": {"type": "RollingUpdate",
                                        "rollingUpdate": {"maxUnavailable": "10%"}},
                     "template": {"metadata": {"labels": labels}, "spec": {
                         "affinity": _NODE_AFFINITY, "hostNetwork": True,
                         "priorityClassName": "system-node-critical", "priority": 2000001000,
                         "serviceAccountName": "kube-proxy",
                         "containers": [{
                             "name": "kube-proxy",
                             "image": image(cluster, "eks/kube-proxy", info.kube_proxy),
                             "command": ["kube-proxy", "--v=2",
                                         "--config=/var/lib/kube-proxy-config/config",
                                         "--hostname-override=$(NODE_NAME)"],
                             "resources": {"requests": {"cpu": "100m"}}}],
                         "tolerations": [{"operator": "Exists"}]}}}}


def aws_node_daemonset(cluster) -> dict:
    """The Amazon VPC CNI: the ``aws-node`` container gives pods VPC addresses, the
    ``aws-eks-nodeagent`` sidecar enforces network policies."""
    labels = {"k8s-app": "aws-node"}
    info = VERSIONS[eks_state(cluster).version]
    return {"apiVersion": "apps/v1", "kind": "DaemonSet",
            "metadata": {"name": "aws-node", "namespace": "kube-system",
                         "labels": {"app.kubernetes.io/instance": "aws-vpc-cni",
                                    "app.kubernetes.io/name": "aws-node",
                                    "app.kubernetes.io/version": info.vpc_cni.split("-")[0],
                                    **labels}},
            "spec": {"selector": {"matchLabels": labels},
                     "updateStrategy": {"type": "RollingUpdate",
                                        "rollingUpdate": {"maxUnavailable": "10%"}},
                     "template": {"metadata": {"labels": {
                         "app.kubernetes.io/instance": "aws-vpc-cni",
                         "app.kubernetes.io/name": "aws-node", **labels}}, "spec": {
                         "affinity": _NODE_AFFINITY, "hostNetwork": True,
                         "priorityClassName": "system-node-critical", "priority": 2000001000,
                         "serviceAccountName": "aws-node",
                         "containers": [
                             {"name": "aws-node",
                              "image": image(cluster, "amazon-k8s-cni", info.vpc_cni),
                              "ports": [{"containerPort": 61678, "name": "metrics",
                                         "protocol": "TCP"}],
                              "resources": {"requests": {"cpu": "25m"}}},
                             {"name": "aws-eks-nodeagent",
                              "image": image(cluster, "amazon/aws-network-policy-agent",
                                             info.network_policy_agent),
                              "args": ["--enable-ipv6=false", "--enable-network-policy=false",
                                       "--enable-cloudwatch-logs=false",
                                       "--enable-policy-event-logs=false",
                                       "--log-file=/var/log/aws-routed-eni/network-policy-agent.log",
                                       "--metrics-bind-addr=:8162", "--health-probe-bind-addr=:8163",
                                       "--conntrack-cache-cleanup-period=300"],
                              "resources": {"requests": {"cpu": "25m"}}}],
                         "tolerations": [{"operator": "Exists"}]}}}}


from kubelearn.cloud.eks_efs import (EFS_TIMED_OUT, efs_dns_failure,  # noqa: E402
                                     install_efs_csi_driver, set_efs_gate, wake_mount_retries)
from kubelearn.cloud.eks_elb import (ELB_DNS_SECONDS, ELB_PROVISION_SECONDS,  # noqa: E402
                                     ELBController, elb_controller, elb_hostname)
from kubelearn.cloud.eks_nodes import (INSTANCE_TYPES, InstanceType, add_node,  # noqa: E402
                                       drain, remove_node)

__all__ = ["EFS_TIMED_OUT", "ELB_DNS_SECONDS", "ELB_PROVISION_SECONDS", "EKSState",
           "ELBController", "INSTANCE_TYPES", "InstanceType", "VERSIONS", "add_node", "drain",
           "efs_dns_failure", "eks_state", "elb_controller", "elb_hostname",
           "install_efs_csi_driver", "is_eks", "new_cluster", "register_context",
           "remove_node", "set_efs_gate", "wake_mount_retries"]
