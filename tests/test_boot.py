"""Booting clusters: what kube-system holds once ``Cluster()`` / ``Cluster.minikube()`` return."""

import json
import re

import pytest

from kubelearn import Cluster

STATIC = ["etcd", "kube-apiserver", "kube-controller-manager", "kube-scheduler"]


def system_pods(c):
    return c.api.list("Pod", "kube-system")


def store_dump(c) -> str:
    return json.dumps({kind: c.api.list(kind) for kind in c.store.kinds()}, sort_keys=True)


@pytest.fixture(scope="module")
def kubeadm():
    return Cluster()


@pytest.fixture(scope="module")
def minikube():
    return Cluster.minikube()


def test_kubeadm_cluster_runs_its_system_pods(kubeadm):
    pods = system_pods(kubeadm)
    assert len(pods) == 9
    assert all(p["status"]["phase"] == "Running" for p in pods)
    assert all(c["ready"] for p in pods for c in p["status"]["containerStatuses"])
    by_name = {p["metadata"]["name"]: p for p in pods}
    for component in STATIC:
        static = by_name[f"{component}-control-plane"]
        assert static["spec"]["nodeName"] == "control-plane"
        assert "kubernetes.io/config.mirror" in static["metadata"]["annotations"]
    coredns = [p for n, p in by_name.items() if n.startswith("coredns-")]
    # CoreDNS tolerates the control-plane taint; the scorer prefers the empty workers
    assert sorted(p["spec"]["nodeName"] for p in coredns) == ["worker-1", "worker-2"]
    proxies = [p for n, p in by_name.items() if n.startswith("kube-proxy-")]
    assert sorted(p["spec"]["nodeName"] for p in proxies) == ["control-plane", "worker-1",
                                                              "worker-2"]
    for p in coredns + proxies:
        assert re.fullmatch(r"(coredns-[a-z0-9]+|kube-proxy)-[bcdfghjklmnpqrstvwxz2456789]{5}",
                            p["metadata"]["name"])


def test_kubeadm_workloads_report_ready(kubeadm):
    d = kubeadm.api.get("Deployment", "coredns", "kube-system")
    assert (d["status"]["readyReplicas"], d["status"]["availableReplicas"]) == (2, 2)
    ds = kubeadm.api.get("DaemonSet", "kube-proxy", "kube-system")
    assert ds["status"]["numberReady"] == 3
    assert len(kubeadm.api.get("Endpoints", "kube-dns", "kube-system")["subsets"][0][
        "addresses"]) == 2


def test_nothing_is_left_pending_after_boot(kubeadm, minikube):
    for c in (kubeadm, minikube):
        assert c.clock.foreground == 0
        assert c.settle().settled


def test_minikube_runs_its_seven_pods(minikube):
    pods = system_pods(minikube)
    names = sorted(p["metadata"]["name"] for p in pods)
    assert len(pods) == 7
    assert [n for n in names if not n.startswith(("coredns-", "kube-proxy-"))] == [
        "etcd-minikube", "kube-apiserver-minikube", "kube-controller-manager-minikube",
        "kube-scheduler-minikube", "storage-provisioner"]
    assert all(p["status"]["phase"] == "Running" for p in pods)
    assert all(p["spec"]["nodeName"] == "minikube" for p in pods)
    coredns = [p for p in pods if p["metadata"]["name"].startswith("coredns-")][0]
    assert coredns["status"]["podIP"] == "10.244.0.2"
    assert coredns["status"]["containerStatuses"][0]["containerID"].startswith("docker://")
    # minikube's preload: nothing had to be pulled
    assert not [e for e in minikube.api.list("Event", "kube-system") if e["reason"] == "Pulling"]


def test_same_seed_same_cluster():
    assert store_dump(Cluster(seed=7)) == store_dump(Cluster(seed=7))
    assert store_dump(Cluster.minikube(seed=7)) == store_dump(Cluster.minikube(seed=7))


def test_another_seed_other_names():
    def suffixes(seed):
        return sorted(p["metadata"]["name"] for p in system_pods(Cluster(seed=seed))
                      if p["metadata"]["name"].startswith(("coredns-", "kube-proxy-")))

    assert suffixes(1) != suffixes(2)
