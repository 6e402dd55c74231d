"""Tests for kubelearn.controllers.nodelifecycle (and Cluster.stop_node / start_node)."""

import pytest

from kubelearn import Cluster
from kubelearn.api.podutil import get_condition
from kubelearn.apiserver import errors
from kubelearn.controllers import nodelifecycle as nl


@pytest.fixture
def cluster():
    c = Cluster()
    c.kubectl("create deployment web --image=nginx:1.25 --replicas=4")
    c.settle()
    return c


def pods_on(c, node):
    return sorted(p["metadata"]["name"] for p in c.api.list("Pod", "default")
                  if p["spec"].get("nodeName") == node)


def node_status_column(c, node):
    for line in c.kubectl("get nodes").stdout.splitlines():
        if line.startswith(node + " "):
            return line.split()[1]
    raise AssertionError(node)


def events(c, reason):
    return sorted((e["type"], e["involvedObject"]["kind"], e["message"], e["source"]["component"])
                  for e in c.api.list("Event", "default") if e["reason"] == reason)


def test_upstream_defaults():
    assert nl.NODE_MONITOR_GRACE_PERIOD == 50       # 1.32 (kubernetes#126287; 40 s before)
    assert nl.NODE_MONITOR_PERIOD == 5 and nl.NODE_LEASE_RENEW_INTERVAL == 10
    assert nl.unknown_at(60) == 115 and nl.unknown_at(63) == 120


def test_a_stopped_node_goes_not_ready_after_the_grace_period(cluster):
    victims = pods_on(cluster, "worker-1")
    assert victims
    stopped_at = cluster.now
    cluster.stop_node("worker-1")
    assert cluster.stopped_nodes == {"worker-1": stopped_at}
    heartbeat = nl.last_heartbeat(cluster, "worker-1")
    when = nl.unknown_at(heartbeat)
    assert stopped_at - 10 < heartbeat <= stopped_at
    cluster.advance(when - cluster.now - 0.5)
    assert node_status_column(cluster, "worker-1") == "Ready"
    cluster.advance(1)
    assert node_status_column(cluster, "worker-1") == "NotReady"
    node = cluster.api.get("Node", "worker-1")
    for kind in ("Ready", "MemoryPressure", "DiskPressure", "PIDPressure"):
        cond = get_condition(node["status"], kind)
        assert (cond["status"], cond["reason"], cond["message"]) == (
            "Unknown", "NodeStatusUnknown", "Kubelet stopped posting node status.")
    taints = [(t["key"], t["effect"]) for t in node["spec"]["taints"]]
    assert taints == [("node.kubernetes.io/unreachable", "NoExecute"),
                      ("node.kubernetes.io/unreachable", "NoSchedule")]
    assert "timeAdded" in node["spec"]["taints"][0]
    assert events(cluster, "NodeNotReady") == sorted(
        [("Normal", "Node", "Node worker-1 status is now: NodeNotReady", "node-controller")]
        + [("Warning", "Pod", "Node is not ready", "node-controller")] * len(victims))
    for name in victims:
        pod = cluster.api.get("Pod", name, "default")
        assert get_condition(pod["status"], "Ready")["status"] == "False"
    assert "taints" not in cluster.api.get("Node", "worker-2")["spec"]


def test_pods_are_evicted_after_their_toleration_and_replaced(cluster):
    victims = pods_on(cluster, "worker-1")
    cluster.stop_node("worker-1")
    when = nl.unknown_at(nl.last_heartbeat(cluster, "worker-1"))
    cluster.advance(when + 300 - cluster.now - 1)
    assert events(cluster, "TaintManagerEviction") == []
    cluster.advance(2)
    assert events(cluster, "TaintManagerEviction") == [
        ("Normal", "Pod", f"Marking for deletion Pod default/{name}",
         "taint-eviction-controller") for name in victims]
    for name in victims:
        pod = cluster.api.get("Pod", name, "default")
        assert pod["metadata"].get("deletionTimestamp")
        cond = get_condition(pod["status"], "DisruptionTarget")
        assert (cond["reason"], cond["message"]) == (
            "DeletionByTaintManager", "Taint manager: deleting due to NoExecute taint")
    cluster.settle()
    out = cluster.kubectl("get pods -o wide").stdout
    for name in victims:      # no kubelet confirms: they stay Terminating
        line = next(line for line in out.splitlines() if line.startswith(name))
        assert line.split()[2] == "Terminating"
    running = [p for p in cluster.api.list("Pod", "default")
               if not p["metadata"].get("deletionTimestamp")]
    assert len(running) == 4
    assert {p["spec"]["nodeName"] for p in running} == {"worker-2"}
    assert cluster.api.get("Deployment", "web", "default")["status"]["availableReplicas"] == 4


def test_start_node_brings_it_back(cluster):
    victims = pods_on(cluster, "worker-1")
    cluster.stop_node("worker-1")
    cluster.settle()
    cluster.start_node("worker-1")
    assert cluster.stopped_nodes == {}
    assert node_status_column(cluster, "worker-1") == "Ready"
    node = cluster.api.get("Node", "worker-1")
    assert "taints" not in node["spec"]
    ready = get_condition(node["status"], "Ready")
    assert (ready["status"], ready["reason"]) == ("True", "KubeletReady")
    cluster.settle()
    for name in victims:       # the kubelet finished the deletions
        with pytest.raises(errors.StatusError):
            cluster.api.get("Pod", name, "default")
    assert events(cluster, "NodeReady") == [
        ("Normal", "Node", "Node worker-1 status is now: NodeReady", "kubelet")]
    assert len(cluster.api.list("Pod", "default")) == 4


def test_a_node_back_in_time_cancels_the_evictions(cluster):
    victims = pods_on(cluster, "worker-1")
    cluster.stop_node("worker-1")
    cluster.advance(120)
    assert node_status_column(cluster, "worker-1") == "NotReady"
    cluster.start_node("worker-1")
    assert events(cluster, "TaintManagerEviction") == [
        ("Normal", "Pod", f"Cancelling deletion of Pod default/{name}",
         "taint-eviction-controller") for name in victims]
    cluster.settle()
    assert pods_on(cluster, "worker-1") == victims
    for name in victims:
        pod = cluster.api.get("Pod", name, "default")
        assert get_condition(pod["status"], "Ready")["status"] == "True"
        assert not pod["metadata"].get("deletionTimestamp")


def test_a_stopped_kubelet_does_nothing(cluster):
    cluster.stop_node("worker-1")
    victim = pods_on(cluster, "worker-1")[0]
    cluster.kubectl(f"delete pod {victim} --wait=false")
    cluster.advance(40)
    pod = cluster.api.get("Pod", victim, "default")      # nobody confirms the deletion
    assert pod["metadata"]["deletionTimestamp"]
    assert pod["status"]["phase"] == "Running"


def test_daemon_pods_tolerate_for_ever(cluster):
    cluster.stop_node("worker-1")
    cluster.settle()
    proxies = [p for p in cluster.api.list("Pod", "kube-system")
               if p["spec"].get("nodeName") == "worker-1"
               and p["metadata"]["name"].startswith("kube-proxy")]
    assert proxies and not proxies[0]["metadata"].get("deletionTimestamp")


def test_unknown_node_and_idempotence(cluster):
    with pytest.raises(errors.StatusError) as err:
        cluster.stop_node("worker-9")
    assert err.value.message == 'nodes "worker-9" not found'
    cluster.stop_node("worker-1")
    first = cluster.stopped_nodes["worker-1"]
    cluster.advance(3)
    cluster.stop_node("worker-1")
    assert cluster.stopped_nodes["worker-1"] == first
    cluster.start_node("worker-2")          # not stopped: nothing happens
    assert node_status_column(cluster, "worker-2") == "Ready"


def test_stop_and_start_are_deterministic():
    def run():
        c = Cluster()
        c.kubectl("create deployment web --image=nginx:1.25 --replicas=4")
        c.settle()
        c.stop_node("worker-1")
        c.settle()
        c.start_node("worker-1")
        c.settle()
        return c.kubectl("get pods -o wide").stdout + c.kubectl("get events").stdout
    assert run() == run()
