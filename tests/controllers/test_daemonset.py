"""Tests for kubelearn.controllers.daemonset."""

import re

import pytest

from kubelearn import Cluster
from kubelearn.apiserver.server import NAME_ALPHABET
from kubelearn.bootstrap import NodeProfile
from kubelearn.bootstrap_objects import node as node_manifest
from kubelearn.controllers.daemonset import (add_daemon_pod_tolerations,
                                             node_should_run_daemon_pod,
                                             replace_node_name_affinity)
from kubelearn.controllers.scheduler_framework import NodeInfo

ALL_NODES = ["control-plane", "worker-1", "worker-2"]


def daemon_set(name="agent", **template_spec):
    return {"apiVersion": "apps/v1", "kind": "DaemonSet",
            "metadata": {"name": name, "namespace": "default"},
            "spec": {"selector": {"matchLabels": {"app": name}},
                     "template": {"metadata": {"labels": {"app": name}},
                                  "spec": {"containers": [{"name": "agent",
                                                           "image": "busybox:1.36",
                                                           "command": ["sleep", "3600"]}],
                                           **template_spec}}}}


def daemon_pods(c, name="agent", namespace="default"):
    return [p for p in c.api.list("Pod", namespace) if p["metadata"]["name"].startswith(name + "-")]


def pinned_node(pod):
    term = pod["spec"]["affinity"]["nodeAffinity"][
        "requiredDuringSchedulingIgnoredDuringExecution"]["nodeSelectorTerms"]
    return term[0]["matchFields"][0]["values"][0]


@pytest.fixture
def cluster():
    return Cluster()


def test_kube_proxy_runs_on_every_node(cluster):
    pods = daemon_pods(cluster, "kube-proxy", "kube-system")
    assert sorted(p["spec"]["nodeName"] for p in pods) == ALL_NODES
    for pod in pods:
        assert re.fullmatch(rf"kube-proxy-[{NAME_ALPHABET}]{{5}}", pod["metadata"]["name"])
        assert pinned_node(pod) == pod["spec"]["nodeName"]
        assert pod["status"]["phase"] == "Running"
        labels = pod["metadata"]["labels"]
        assert labels["pod-template-generation"] == "1"
        assert re.fullmatch(r"[bcdfghjklmnpqrstvwxz2456789]+", labels["controller-revision-hash"])
        keys = [(t.get("key"), t.get("effect")) for t in pod["spec"]["tolerations"]]
        assert keys == [(None, None),
                        ("node.kubernetes.io/not-ready", "NoExecute"),
                        ("node.kubernetes.io/unreachable", "NoExecute"),
                        ("node.kubernetes.io/disk-pressure", "NoSchedule"),
                        ("node.kubernetes.io/memory-pressure", "NoSchedule"),
                        ("node.kubernetes.io/pid-pressure", "NoSchedule"),
                        ("node.kubernetes.io/unschedulable", "NoSchedule"),
                        ("node.kubernetes.io/network-unavailable", "NoSchedule")]
    ds = cluster.api.get("DaemonSet", "kube-proxy", "kube-system")
    assert ds["status"] == {"currentNumberScheduled": 3, "desiredNumberScheduled": 3,
                            "numberAvailable": 3, "numberMisscheduled": 0, "numberReady": 3,
                            "observedGeneration": 1, "updatedNumberScheduled": 3}
    created = sorted(e["message"] for e in cluster.api.list("Event", "kube-system")
                     if e["reason"] == "SuccessfulCreate"
                     and e["involvedObject"]["kind"] == "DaemonSet")
    assert created == sorted(f"Created pod: {p['metadata']['name']}" for p in pods)


def test_a_daemon_set_skips_nodes_whose_taints_it_does_not_tolerate(cluster):
    cluster.api.create(daemon_set())
    cluster.run_now()
    pods = daemon_pods(cluster)
    assert sorted(pinned_node(p) for p in pods) == ["worker-1", "worker-2"]
    assert all("nodeName" not in p["spec"] or p["spec"]["nodeName"] == pinned_node(p)
               for p in pods)
    source = [e["source"] for e in cluster.api.list("Event", "default")
              if e["reason"] == "SuccessfulCreate"][0]
    assert source == {"component": "daemonset-controller"}
    cluster.settle()
    status = cluster.api.get("DaemonSet", "agent", "default")["status"]
    assert (status["desiredNumberScheduled"], status["numberReady"]) == (2, 2)
    assert "numberUnavailable" not in status


def test_node_selector_and_relabelling(cluster):
    cluster.api.create(daemon_set(nodeSelector={"gpu": "yes"}))
    cluster.run_now()
    assert daemon_pods(cluster) == []
    assert cluster.api.get("DaemonSet", "agent", "default")["status"][
        "desiredNumberScheduled"] == 0
    cluster.api.patch("Node", "worker-2", "", {"metadata": {"labels": {"gpu": "yes"}}})
    cluster.run_now()
    cluster.settle()
    [pod] = daemon_pods(cluster)
    assert pod["spec"]["nodeName"] == "worker-2"
    cluster.api.patch("Node", "worker-2", "", {"metadata": {"labels": {"gpu": None}}})
    cluster.run_now()
    assert daemon_pods(cluster)[0]["metadata"].get("deletionTimestamp")
    assert [e["message"] for e in cluster.api.list("Event", "default")
            if e["reason"] == "SuccessfulDelete"] == [f"Deleted pod: {pod['metadata']['name']}"]
    cluster.settle()          # busybox ignores SIGTERM: gone after the grace period
    assert daemon_pods(cluster) == []


def test_a_new_node_gets_its_daemon_pod(cluster):
    cluster.api.create(node_manifest(cluster.profile, NodeProfile(
        "worker-3", "192.168.49.5", "10.244.3.0/24", False)))
    cluster.run_now()
    cluster.settle()
    proxies = daemon_pods(cluster, "kube-proxy", "kube-system")
    assert sorted(p["spec"]["nodeName"] for p in proxies) == ALL_NODES + ["worker-3"]
    status = cluster.api.get("DaemonSet", "kube-proxy", "kube-system")["status"]
    assert status["desiredNumberScheduled"] == status["numberReady"] == 4


def test_a_deleted_daemon_pod_is_replaced_once_it_is_gone(cluster):
    [pod] = [p for p in daemon_pods(cluster, "kube-proxy", "kube-system")
             if p["spec"]["nodeName"] == "worker-1"]
    cluster.api.delete("Pod", pod["metadata"]["name"], "kube-system")
    cluster.run_now()
    cluster.settle()
    replacement = [p for p in daemon_pods(cluster, "kube-proxy", "kube-system")
                   if p["spec"]["nodeName"] == "worker-1"]
    assert len(replacement) == 1
    assert replacement[0]["metadata"]["name"] != pod["metadata"]["name"]


def test_daemon_tolerations_are_added_not_duplicated():
    spec = {"tolerations": [{"key": "node.kubernetes.io/unschedulable", "operator": "Exists",
                             "effect": "NoSchedule"}]}
    tolerations = add_daemon_pod_tolerations(spec)
    assert len(tolerations) == 6
    assert tolerations[0]["key"] == "node.kubernetes.io/unschedulable"
    assert len(add_daemon_pod_tolerations({"hostNetwork": True})) == 7


def test_node_name_affinity_replaces_required_terms():
    affinity = {"nodeAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": {
        "nodeSelectorTerms": [{"matchExpressions": [{"key": "a", "operator": "Exists"}]}]},
        "preferredDuringSchedulingIgnoredDuringExecution": [{"weight": 1, "preference": {}}]}}
    out = replace_node_name_affinity(affinity, "n1")
    assert out["nodeAffinity"]["requiredDuringSchedulingIgnoredDuringExecution"] == {
        "nodeSelectorTerms": [{"matchFields": [
            {"key": "metadata.name", "operator": "In", "values": ["n1"]}]}]}
    assert out["nodeAffinity"]["preferredDuringSchedulingIgnoredDuringExecution"]
    assert replace_node_name_affinity(None, "n2")["nodeAffinity"][
        "requiredDuringSchedulingIgnoredDuringExecution"]["nodeSelectorTerms"][0][
        "matchFields"][0]["values"] == ["n2"]


def test_should_run_rules():
    def info(taints=()):
        return NodeInfo({"metadata": {"name": "n", "labels": {"os": "linux"}},
                         "spec": {"taints": list(taints)},
                         "status": {"allocatable": {"cpu": "1", "memory": "1Gi"}}})

    spec = {"containers": []}
    tolerations = add_daemon_pod_tolerations(spec)
    assert node_should_run_daemon_pod(info(), spec, tolerations) == (True, True)
    assert node_should_run_daemon_pod(info(), {"nodeSelector": {"os": "windows"}},
                                      tolerations) == (False, False)
    no_schedule = [{"key": "dedicated", "effect": "NoSchedule"}]
    assert node_should_run_daemon_pod(info(no_schedule), spec, tolerations) == (False, True)
    no_execute = [{"key": "dedicated", "effect": "NoExecute"}]
    assert node_should_run_daemon_pod(info(no_execute), spec, tolerations) == (False, False)
    cordoned = [{"key": "node.kubernetes.io/unschedulable", "effect": "NoSchedule"}]
    assert node_should_run_daemon_pod(info(cordoned), spec, tolerations) == (True, True)
