"""``Cluster.eks()`` and ``kubelearn.cloud.eks``: a new EKS cluster as EKS 1.32 leaves it —
no control-plane node, kube-system's add-ons, gp2, EKS's versions, contexts, a shared clock —
and runs that repeat byte for byte."""
from __future__ import annotations

import json

import pytest

from kubelearn import Cluster, contexts
from kubelearn.clock import Clock
from kubelearn.cloud import eks
from kubelearn.contexts import KubeConfig
from tests.cloud.conftest import WEB, add_two_nodes, pods


# -- a new cluster -----------------------------------------------------------------------
def test_a_new_eks_cluster_has_no_nodes_and_coredns_waits_for_them(eks_fresh):
    assert eks_fresh.kubectl("get nodes").stderr == "No resources found\n"
    eks_fresh.settle()
    coredns = [p for name, p in pods(eks_fresh).items() if name.startswith("coredns-")]
    assert len(coredns) == 2
    assert all(p["status"]["phase"] == "Pending" for p in coredns)
    events = eks_fresh.kubectl("get events -n kube-system").stdout
    assert "FailedScheduling" in events and "no nodes available to schedule pods" in events
    ds = eks_fresh.kubectl("get ds -n kube-system").stdout.splitlines()
    assert [line.split()[:2] for line in ds[1:]] == [["aws-node", "0"], ["kube-proxy", "0"]]


def test_kube_system_is_what_eks_installs(eks_fresh):
    deploy = eks_fresh.get("deployment", "coredns", "kube-system")
    assert deploy.spec.replicas == 2
    image = deploy.spec.template.spec.containers[0].image
    assert image == ("602401143452.dkr.ecr.us-east-2.amazonaws.com/eks/coredns:"
                     "v1.11.4-eksbuild.24")
    aws_node = eks_fresh.get("daemonset", "aws-node", "kube-system")
    assert [c.name for c in aws_node.spec.template.spec.containers] == ["aws-node",
                                                                        "aws-eks-nodeagent"]
    assert eks_fresh.get("daemonset", "kube-proxy", "kube-system").spec.template.spec.hostNetwork


def test_gp2_is_the_storage_class_without_the_default_annotation_since_1_30(eks_fresh):
    out = eks_fresh.kubectl("get sc").stdout
    assert out.splitlines() == [
        "NAME   PROVISIONER             RECLAIMPOLICY   VOLUMEBINDINGMODE      "
        "ALLOWVOLUMEEXPANSION   AGE",
        "gp2    kubernetes.io/aws-ebs   Delete          WaitForFirstConsumer   false"
        "                  0s"]


def test_versions_are_eks_builds(eks_fresh):
    assert eks_fresh.kubectl("version").stdout == ("Client Version: v1.32.0\nKustomize Version: "
                                               "v5.5.0\nServer Version: v1.32.12-eks-f69f56f\n")
    server = json.loads(eks_fresh.kubectl("version -o json").stdout)["serverVersion"]
    assert server["gitVersion"] == "v1.32.12-eks-f69f56f" and server["minor"] == "32"
    assert server["gitCommit"] == "2bb21951f0a44ab4d4989306d161ffc8e8ff8cb8"
    with pytest.raises(ValueError, match="1.32"):
        Cluster.eks(version="1.19")


def test_the_control_plane_is_the_clusters_endpoint(eks_fresh):
    state = eks.eks_state(eks_fresh)
    assert state.arn == "arn:aws:eks:us-east-2:123456789012:cluster/my-cluster-name"
    assert state.endpoint.startswith("https://") and state.endpoint.endswith(
        ".gr7.us-east-2.eks.amazonaws.com")
    info = eks_fresh.kubectl("cluster-info").stdout
    assert info.startswith(f"Kubernetes control plane is running at {state.endpoint}\n")
    endpoints = eks_fresh.kubectl("get endpoints kubernetes").stdout.splitlines()[1].split()
    assert endpoints[1] == ",".join(f"{ip}:443" for ip in state.control_plane_ips)
    assert eks_fresh.name == "my-cluster-name"


def test_no_context_until_update_kubeconfig_registers_one(monkeypatch):
    config = KubeConfig()
    monkeypatch.setattr(contexts, "_KUBECONFIG", config)
    minikube = Cluster.minikube()
    c = Cluster.eks("demo", region="eu-west-1")
    assert config.current == "minikube" and config.context_of(c) is None
    arn = "arn:aws:eks:eu-west-1:123456789012:cluster/demo"
    eks.register_context(c, arn, user=arn)
    assert config.current == arn and config.cluster() is c
    assert config.get(arn).cluster_name == arn and config.get(arn).namespace == ""
    assert config.cluster("minikube") is minikube
    out = c.kubectl("config get-contexts").stdout
    assert f"*         {arn}" in out and "minikube" in out


def test_the_cluster_shares_the_aws_accounts_clock():
    clock = Clock(start=1200.0)
    c = Cluster.eks(clock=clock)
    assert c.clock is clock and c.now == 1200.0
    c.advance(30)
    assert clock.now == 1230.0
    fired = []
    clock.call_later(10, lambda: fired.append(clock.now))
    c.advance(10)
    assert fired == [1240.0]


# -- determinism and views ------------------------------------------------------------------------
def test_two_identical_clusters_print_identical_nodes():
    def build():
        c = Cluster.eks()
        add_two_nodes(c)
        c.apply(WEB)
        c.settle()
        return (c.kubectl("get nodes -o wide").stdout, c.kubectl("get pods -A -o wide").stdout,
                c.kubectl("get svc -o wide").stdout, c.kubectl("get nodes -o yaml").stdout)

    assert build() == build()


def test_the_diagram_draws_an_eks_cluster(eks_two_nodes):
    assert eks_two_nodes.diagram() is not None
    assert eks_two_nodes.diagram("network") is not None
