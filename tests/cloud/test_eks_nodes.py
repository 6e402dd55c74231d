"""``kubelearn.cloud.eks_nodes``: EKS worker nodes — labels, capacity, pod limits, VPC pod
addresses — and draining them away."""
from __future__ import annotations

import pytest

from kubelearn.cloud import eks
from tests.cloud.conftest import NODE_A, NODE_B, WEB, pods


# -- nodes -----------------------------------------------------------------------------------
def test_two_nodes_in_two_zones_run_coredns_and_a_daemon_pod_each(eks_two_nodes):
    c = eks_two_nodes
    wide = c.kubectl("get nodes -o wide").stdout.splitlines()
    assert wide[1].split() == [NODE_B, "Ready", "<none>", "9s", "v1.32.3-eks-473151a",
                               "192.168.100.7", "<none>", "Amazon", "Linux",
                               "2023.7.20250609", "6.1.140-154.222.amzn2023.x86_64",
                               "containerd://1.7.27"]
    running = {n: p for n, p in pods(c).items() if p["status"]["phase"] == "Running"}
    assert len(running) == 6
    for prefix in ("aws-node-", "kube-proxy-"):
        on = sorted(p["spec"]["nodeName"] for n, p in running.items() if n.startswith(prefix))
        assert on == [NODE_B, NODE_A]
    coredns = [p for n, p in running.items() if n.startswith("coredns-")]
    assert len(coredns) == 2 and all(ready_condition(p) == "True" for p in coredns)
    aws_node = next(line for line in c.kubectl("get pods -n kube-system").stdout.splitlines()
                    if line.startswith("aws-node-"))
    assert aws_node.split()[1:3] == ["2/2", "Running"]


def test_a_node_looks_like_an_eks_worker(eks_two_nodes):
    node = eks_two_nodes.api.get("Node", NODE_A)
    labels = node["metadata"]["labels"]
    assert {k: labels[k] for k in (
        "eks.amazonaws.com/nodegroup", "eks.amazonaws.com/capacityType",
        "node.kubernetes.io/instance-type", "topology.kubernetes.io/zone",
        "topology.kubernetes.io/region", "kubernetes.io/os", "kubernetes.io/arch",
        "topology.k8s.aws/zone-id")} == {
        "eks.amazonaws.com/nodegroup": "ng-1", "eks.amazonaws.com/capacityType": "ON_DEMAND",
        "node.kubernetes.io/instance-type": "t3.medium",
        "topology.kubernetes.io/zone": "us-east-2a", "topology.kubernetes.io/region": "us-east-2",
        "kubernetes.io/os": "linux", "kubernetes.io/arch": "amd64",
        "topology.k8s.aws/zone-id": "use2-az1"}
    assert labels["eks.amazonaws.com/nodegroup-image"].startswith("ami-0")
    assert node["spec"]["providerID"].startswith("aws:///us-east-2a/i-0")
    assert "podCIDR" not in node["spec"]
    assert [a["type"] for a in node["status"]["addresses"]] == ["InternalIP", "Hostname",
                                                               "InternalDNS"]
    assert node["status"]["capacity"] == {
        "cpu": "2", "ephemeral-storage": "20959212Ki", "hugepages-1Gi": "0",
        "hugepages-2Mi": "0", "memory": "3943376Ki", "pods": "17"}
    assert node["status"]["allocatable"]["cpu"] == "1930m"
    assert node["status"]["allocatable"]["memory"] == "3388368Ki"
    assert node["status"]["nodeInfo"]["machineID"].startswith("ec2")


def test_instance_types_give_the_eni_pod_limits():
    assert {name: t.max_pods for name, t in eks.INSTANCE_TYPES.items()} == {
        "t3.micro": 4, "t3.small": 11, "t3.medium": 17, "t3.large": 35, "t3.xlarge": 58,
        "t3a.medium": 17, "m5.large": 29, "m5.xlarge": 58, "m6i.large": 29, "c5.large": 29,
        "r5.large": 29}
    assert eks.INSTANCE_TYPES["t3.xlarge"].allocatable()["cpu"] == "3920m"


def test_node_group_labels_taints_and_a_public_address(eks_fresh):
    eks.add_node(eks_fresh, NODE_A, ip="192.168.12.34", zone="us-east-2a", nodegroup="gpu",
                 instance_type="m5.large", labels={"role": "batch"},
                 taints=[{"key": "dedicated", "value": "batch", "effect": "NO_SCHEDULE"}],
                 external_ip="3.15.20.1")
    node = eks_fresh.api.get("Node", NODE_A)
    assert node["metadata"]["labels"]["role"] == "batch"
    assert node["spec"]["taints"] == [{"key": "dedicated", "value": "batch",
                                       "effect": "NoSchedule"}]
    assert node["status"]["addresses"][1] == {"address": "3.15.20.1", "type": "ExternalIP"}
    assert node["status"]["capacity"]["pods"] == "29"
    with pytest.raises(ValueError, match="instance types"):
        eks.add_node(eks_fresh, NODE_B, ip="192.168.100.7", zone="us-east-2b", nodegroup="x",
                     instance_type="z9.huge")


def test_pods_get_addresses_from_the_nodes_subnet(eks_two_nodes):
    coredns = {p["spec"]["nodeName"]: p["status"]["podIP"]
               for n, p in pods(eks_two_nodes).items() if n.startswith("coredns-")}
    assert coredns[NODE_A].startswith("192.168.") and 0 <= int(coredns[NODE_A].split(".")[2]) < 64
    assert 64 <= int(coredns[NODE_B].split(".")[2]) < 128


def test_remove_node_drains_it_and_daemon_pods_go_with_it(eks_two_nodes):
    c = eks_two_nodes
    assert c.apply(WEB).exit_code == 0
    c.settle()
    on_a = sorted(f"{p['metadata']['namespace']}/{n}" for ns in ("default", "kube-system")
                  for n, p in pods(c, ns).items() if p["spec"]["nodeName"] == NODE_A
                  and not n.startswith(("aws-node-", "kube-proxy-")))
    evicted = eks.remove_node(c, NODE_A)
    assert evicted == on_a and len(evicted) == 2
    assert c.api.store.get("Node", "", NODE_A) is None
    c.settle()
    everywhere = [p for ns in ("default", "kube-system") for p in pods(c, ns).values()]
    assert {p["spec"]["nodeName"] for p in everywhere} == {NODE_B}
    assert all(p["status"]["phase"] == "Running" for p in everywhere)
    assert len([p for p in everywhere if p["metadata"]["name"].startswith("web-")]) == 2
    events = c.kubectl("get events --field-selector involvedObject.kind=Node").stdout
    assert "NodeNotSchedulable" in events and "RemovingNode" in events


def test_remove_node_without_waiting_finishes_as_the_clock_moves(eks_two_nodes):
    c = eks_two_nodes
    eks.remove_node(c, NODE_B, wait=False)
    assert c.api.get("Node", NODE_B)["spec"]["unschedulable"] is True
    c.settle()
    assert c.api.store.get("Node", "", NODE_B) is None




def ready_condition(pod: dict) -> str:
    return next((c["status"] for c in pod["status"].get("conditions") or ()
                 if c["type"] == "Ready"), "")
