"""Tests for kubelearn.controllers.scheduler, scheduler_framework and scheduler_plugins."""

import pytest

from kubelearn import Cluster
from kubelearn.apiserver import errors
from kubelearn.bootstrap import NodeProfile
from kubelearn.bootstrap_objects import node as node_manifest
from kubelearn.controllers import scheduler_plugins as plugins
from kubelearn.controllers.scheduler import Scheduler
from kubelearn.controllers.scheduler_framework import (UNSCHEDULABLE,
                                                       UNSCHEDULABLE_AND_UNRESOLVABLE, NodeInfo,
                                                       Status, fit_error_message,
                                                       num_feasible_nodes_to_find)

CP_TAINT = "node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }"


def node(name="n1", cpu="2", memory="4Gi", pods="110", labels=None, taints=None,
         unschedulable=False, ready="True"):
    spec = {"taints": taints} if taints else {}
    if unschedulable:
        spec["unschedulable"] = True
    return {"apiVersion": "v1", "kind": "Node",
            "metadata": {"name": name, "labels": {"kubernetes.io/hostname": name,
                                                  **(labels or {})}},
            "spec": spec,
            "status": {"allocatable": {"cpu": cpu, "memory": memory, "pods": pods},
                       "conditions": [{"type": "Ready", "status": ready}]}}


def pod(name="p", cpu=None, memory=None, **spec):
    requests = {k: v for k, v in (("cpu", cpu), ("memory", memory)) if v is not None}
    container = {"name": "c", "image": "nginx:1.25"}
    if requests:
        container["resources"] = {"requests": requests}
    return {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": name, "namespace": "default"},
            "spec": {"containers": [container], **spec}}


def scheduler_of(c) -> Scheduler:
    return next(x for x in c.controllers if isinstance(x, Scheduler))


def failed_message(c, name):
    return [e["message"] for e in c.api.list("Event", "default")
            if e["involvedObject"]["name"] == name and e["reason"] == "FailedScheduling"][-1]


# -- plugins ------------------------------------------------------------------------------
def test_taint_toleration_filter_names_the_taint():
    info = NodeInfo(node(taints=[{"key": "node-role.kubernetes.io/control-plane",
                                  "effect": "NoSchedule"}]))
    status = plugins.TaintToleration().filter({}, pod(), info)
    assert status.reasons == (CP_TAINT,)
    assert status.code == UNSCHEDULABLE_AND_UNRESOLVABLE and status.plugin == "TaintToleration"
    tolerant = pod(tolerations=[{"key": "node-role.kubernetes.io/control-plane",
                                 "operator": "Exists", "effect": "NoSchedule"}])
    assert plugins.TaintToleration().filter({}, tolerant, info) is None
    valued = NodeInfo(node(taints=[{"key": "dedicated", "value": "gpu", "effect": "NoExecute"}]))
    assert plugins.TaintToleration().filter({}, pod(), valued).reasons == (
        "node(s) had untolerated taint {dedicated: gpu}",)
    assert plugins.TaintToleration().filter({}, pod(tolerations=[
        {"key": "dedicated", "operator": "Equal", "value": "gpu"}]), valued) is None


def test_prefer_no_schedule_only_lowers_the_score():
    info = NodeInfo(node(taints=[{"key": "spot", "effect": "PreferNoSchedule"}]))
    plugin = plugins.TaintToleration()
    assert plugin.filter({}, pod(), info) is None
    assert plugin.score({}, pod(), info) == 1
    scores = {"tainted": 1, "clean": 0}
    plugin.normalize_score({}, pod(), scores)
    assert scores == {"tainted": 0, "clean": 100}


def test_not_ready_and_cordoned_nodes():
    not_ready = NodeInfo(node(ready="False"))
    assert plugins.TaintToleration().filter({}, pod(), not_ready).reasons == (
        "node(s) had untolerated taint {node.kubernetes.io/not-ready: }",)
    unreachable = NodeInfo(node(ready="Unknown"))
    assert plugins.TaintToleration().filter({}, pod(), unreachable).reasons == (
        "node(s) had untolerated taint {node.kubernetes.io/unreachable: }",)
    cordoned = NodeInfo(node(unschedulable=True))
    assert plugins.NodeUnschedulable().filter({}, pod(), cordoned).reasons == (
        "node(s) were unschedulable",)
    assert plugins.NodeUnschedulable().filter({}, pod(tolerations=[
        {"key": "node.kubernetes.io/unschedulable", "operator": "Exists",
         "effect": "NoSchedule"}]), cordoned) is None


def test_node_name():
    info = NodeInfo(node("n1"))
    assert plugins.NodeName().filter({}, pod(nodeName="n2"), info).reasons == (
        "node(s) didn't match the requested node name",)
    assert plugins.NodeName().filter({}, pod(nodeName="n1"), info) is None


def test_node_affinity_and_selector():
    ssd = NodeInfo(node("a", labels={"disk": "ssd", "zone": "z1"}))
    hdd = NodeInfo(node("b", labels={"disk": "hdd"}))
    plugin = plugins.NodeAffinity()
    reason = ("node(s) didn't match Pod's node affinity/selector",)
    assert plugin.filter({}, pod(nodeSelector={"disk": "ssd"}), ssd) is None
    assert plugin.filter({}, pod(nodeSelector={"disk": "ssd"}), hdd).reasons == reason
    required = {"nodeAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": {
        "nodeSelectorTerms": [{"matchExpressions": [
            {"key": "zone", "operator": "In", "values": ["z1", "z2"]}]}]}}}
    assert plugin.filter({}, pod(affinity=required), ssd) is None
    assert plugin.filter({}, pod(affinity=required), hdd).reasons == reason
    preferred = {"nodeAffinity": {"preferredDuringSchedulingIgnoredDuringExecution": [
        {"weight": 30, "preference": {"matchExpressions": [
            {"key": "disk", "operator": "In", "values": ["ssd"]}]}}]}}
    assert plugin.score({}, pod(affinity=preferred), ssd) == 30
    assert plugin.score({}, pod(affinity=preferred), hdd) == 0


def test_node_affinity_pre_filter_narrows_to_named_nodes():
    pinned = pod(affinity={"nodeAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": {
        "nodeSelectorTerms": [{"matchFields": [
            {"key": "metadata.name", "operator": "In", "values": ["worker-1"]}]}]}}})
    names, status = plugins.NodeAffinity().pre_filter({}, pinned)
    assert names == {"worker-1"} and status is None
    assert plugins.NodeAffinity().pre_filter({}, pod()) == (None, None)


def test_node_resources_fit_reasons():
    info = NodeInfo(node(cpu="1", memory="1Gi", pods="1"))
    plugin = plugins.NodeResourcesFit()
    state = {}
    plugin.pre_filter(state, pod(cpu="500m", memory="512Mi"))
    assert plugin.filter(state, pod(), info) is None
    info.add_pod(("default", "other"), pod(cpu="700m", memory="700Mi"))
    status = plugin.filter(state, pod(), info)
    assert status.reasons == ("Too many pods", "Insufficient cpu", "Insufficient memory")
    assert status.code == UNSCHEDULABLE          # preemption could make room
    plugin.pre_filter(state, pod(cpu="3"))
    assert plugin.filter(state, pod(), info).code == UNSCHEDULABLE_AND_UNRESOLVABLE
    info.remove_pod(("default", "other"))
    assert (info.req_cpu, info.req_mem, len(info.pods)) == (0, 0, 0)


def test_least_allocated_and_balanced_scores():
    info = NodeInfo(node(cpu="2", memory="4Gi"))
    state = {}
    plugins.NodeResourcesFit().pre_filter(state, pod(cpu="1", memory="1Gi"))
    assert plugins.NodeResourcesFit().score(state, pod(), info) == (50 + 75) // 2
    assert plugins.NodeResourcesBalancedAllocation().score(state, pod(), info) == 87
    plugins.NodeResourcesFit().pre_filter(state, pod())     # BestEffort: 100m / 200Mi to spread
    assert plugins.NodeResourcesFit().score(state, pod(), info) == (95 + 95) // 2


def test_fit_error_message_is_upstream_shaped():
    statuses = {"control-plane": Status(3, CP_TAINT), "worker-1": Status(2, "Insufficient cpu"),
                "worker-2": Status(2, "Insufficient cpu")}
    preemption = fit_error_message(
        3, {"worker-1": Status(3, "No preemption victims found for incoming pod"),
            "worker-2": Status(3, "No preemption victims found for incoming pod")},
        Status(3, "Preemption is not helpful for scheduling"))
    assert fit_error_message(3, statuses, None, post_filter_msg="preemption: " + preemption) == (
        "0/3 nodes are available: 1 node(s) had untolerated taint "
        "{node-role.kubernetes.io/control-plane: }, 2 Insufficient cpu. preemption: 0/3 nodes "
        "are available: 1 Preemption is not helpful for scheduling, 2 No preemption victims "
        "found for incoming pod.")


def test_nodes_to_find():
    assert num_feasible_nodes_to_find(3) == 3
    assert num_feasible_nodes_to_find(99) == 99
    assert num_feasible_nodes_to_find(1000) == 420
    assert num_feasible_nodes_to_find(5000) == 500
    assert num_feasible_nodes_to_find(50_000) == 2500


# -- the scheduler in a cluster -------------------------------------------------------------
@pytest.fixture
def cluster():
    return Cluster()


def test_binding_sets_node_and_condition(cluster):
    cluster.api.create(pod("web"))
    cluster.run_now()
    p = cluster.api.get("Pod", "web", "default")
    assert p["spec"]["nodeName"] in ("worker-1", "worker-2")
    cond = [c for c in p["status"]["conditions"] if c["type"] == "PodScheduled"][0]
    assert cond["status"] == "True"
    scheduled = [e for e in cluster.api.list("Event", "default") if e["reason"] == "Scheduled"][0]
    assert scheduled["message"] == f"Successfully assigned default/web to {p['spec']['nodeName']}"
    assert scheduled["source"] == {"component": "default-scheduler"}
    with pytest.raises(errors.StatusError) as err:
        cluster.api.bind("web", "default", "worker-1")
    assert err.value.message == f'pod web is already assigned to node "{p["spec"]["nodeName"]}"'


def test_the_brief_example_message(cluster):
    # workers have 1900m left (CoreDNS asks 100m): 1950m fits neither, but could on an empty one
    cluster.api.create(pod("big", cpu="1950m"))
    cluster.run_now()
    failed = [e for e in cluster.api.list("Event", "default") if e["reason"] == "FailedScheduling"]
    assert [(e["count"], e["type"], e["source"]) for e in failed] == [
        (1, "Warning", {"component": "default-scheduler"})]
    expected = ("0/3 nodes are available: 1 node(s) had untolerated taint "
                "{node-role.kubernetes.io/control-plane: }, 2 Insufficient cpu. preemption: 0/3 "
                "nodes are available: 1 Preemption is not helpful for scheduling, 2 No preemption "
                "victims found for incoming pod.")
    assert failed_message(cluster, "big") == expected
    p = cluster.api.get("Pod", "big", "default")
    assert "nodeName" not in p["spec"]
    assert p["status"]["phase"] == "Pending"
    cond = p["status"]["conditions"][0]
    assert (cond["type"], cond["status"], cond["reason"], cond["message"]) == (
        "PodScheduled", "False", "Unschedulable", expected)


def test_more_than_any_node_has(cluster):
    cluster.api.create(pod("huge", cpu="3"))
    cluster.run_now()
    assert failed_message(cluster, "huge") == (
        f"0/3 nodes are available: 1 {CP_TAINT}, 2 Insufficient cpu. preemption: 0/3 nodes are "
        "available: 3 Preemption is not helpful for scheduling.")


def test_preemption_policy_never(cluster):
    cluster.api.create(pod("big", cpu="3", preemptionPolicy="Never"))
    cluster.run_now()
    assert failed_message(cluster, "big").endswith(
        "2 Insufficient cpu. preemption: not eligible due to preemptionPolicy=Never.")


def test_explain_why_a_pod_is_pending(cluster):
    cluster.api.create(pod("big", cpu="1950m"))
    cluster.run_now()
    verdicts = scheduler_of(cluster).explain("default", "big").verdicts()
    assert verdicts == {"control-plane": f"TaintToleration: {CP_TAINT}",
                        "worker-1": "NodeResourcesFit: Insufficient cpu",
                        "worker-2": "NodeResourcesFit: Insufficient cpu"}


def test_explanation_prints_as_a_table(cluster):
    from kubelearn.controllers.scheduler import scheduler_for

    cluster.api.create(pod("big", cpu="1950m"))
    cluster.run_now()
    text = str(scheduler_for(cluster).explain("default", "big"))
    assert text.splitlines() == [
        failed_message(cluster, "big"),
        "NODE            PLUGIN             REASON",
        f"control-plane   TaintToleration    {CP_TAINT}",
        "worker-1        NodeResourcesFit   Insufficient cpu",
        "worker-2        NodeResourcesFit   Insufficient cpu"]


def test_explain_a_running_pod(cluster):
    coredns = [p for p in cluster.api.list("Pod", "kube-system")
               if p["metadata"]["name"].startswith("coredns")][0]
    diagnosis = scheduler_of(cluster).explain("kube-system", coredns["metadata"]["name"])
    assert diagnosis.node_statuses == {}        # tolerates the control-plane taint: fits all


def test_pending_pod_is_retried_when_a_node_changes(cluster):
    cluster.api.create(pod("pinned", nodeSelector={"disk": "ssd"}))
    cluster.run_now()
    assert failed_message(cluster, "pinned") == (
        f"0/3 nodes are available: 1 {CP_TAINT}, 2 node(s) didn't match Pod's node "
        "affinity/selector. preemption: 0/3 nodes are available: 3 Preemption is not helpful "
        "for scheduling.")
    cluster.api.patch("Node", "worker-2", "", {"metadata": {"labels": {"disk": "ssd"}}})
    cluster.run_now()
    cluster.settle()
    p = cluster.api.get("Pod", "pinned", "default")
    assert p["spec"]["nodeName"] == "worker-2"
    assert p["status"]["phase"] == "Running"


def test_pending_pod_is_retried_when_room_is_freed(cluster):
    cluster.api.create(pod("first", cpu="1500m", nodeSelector={"kubernetes.io/hostname":
                                                               "worker-1"}))
    cluster.run_now()
    cluster.api.create(pod("second", cpu="1500m", nodeSelector={"kubernetes.io/hostname":
                                                                "worker-1"}))
    cluster.run_now()
    assert "nodeName" not in cluster.api.get("Pod", "second", "default")["spec"]
    cluster.api.delete("Pod", "first", "default")
    cluster.run_now()
    cluster.settle()
    assert cluster.api.get("Pod", "second", "default")["spec"]["nodeName"] == "worker-1"


def test_cordoned_and_not_ready_nodes_in_the_message(cluster):
    cluster.api.patch("Node", "worker-1", "", {"spec": {"unschedulable": True}})
    status = cluster.api.get("Node", "worker-2")["status"]
    conditions = [dict(c, status="False") if c["type"] == "Ready" else c
                  for c in status["conditions"]]
    cluster.api.update_status({**cluster.api.get("Node", "worker-2"),
                               "status": {**status, "conditions": conditions}})
    cluster.run_now()
    cluster.api.create(pod("p"))
    cluster.run_now()
    assert failed_message(cluster, "p") == (
        f"0/3 nodes are available: 1 {CP_TAINT}, 1 node(s) had untolerated taint "
        "{node.kubernetes.io/not-ready: }, 1 node(s) were unschedulable. preemption: 0/3 nodes "
        "are available: 3 Preemption is not helpful for scheduling.")


def test_resources_are_accounted_per_node_without_scanning(cluster):
    sched = scheduler_of(cluster)
    before = sched.nodes["worker-1"].req_cpu
    cluster.api.create(pod("a", cpu="250m", nodeName="worker-1"))
    cluster.run_now()
    assert sched.nodes["worker-1"].req_cpu == before + 250
    cluster.api.delete("Pod", "a", "default", grace_period=0)
    cluster.run_now()
    assert sched.nodes["worker-1"].req_cpu == before


def test_replicas_spread_over_workers(cluster):
    for i in range(4):
        cluster.api.create(pod(f"p{i}"))
        cluster.run_now()
    nodes = sorted(cluster.api.get("Pod", f"p{i}", "default")["spec"]["nodeName"]
                   for i in range(4))
    assert nodes == ["worker-1", "worker-1", "worker-2", "worker-2"]


def test_same_seed_same_placement():
    def placement(seed):
        c = Cluster(seed=seed)
        for i in range(6):
            c.api.create(pod(f"p{i}"))
        c.run_now()
        return [c.api.get("Pod", f"p{i}", "default")["spec"]["nodeName"] for i in range(6)]

    assert placement(5) == placement(5)


def test_daemon_pods_are_checked_on_their_node_only(cluster):
    pinned = pod("d", cpu="1950m", affinity={"nodeAffinity": {
        "requiredDuringSchedulingIgnoredDuringExecution": {"nodeSelectorTerms": [
            {"matchFields": [{"key": "metadata.name", "operator": "In",
                              "values": ["worker-1"]}]}]}}})
    cluster.api.create(pinned)
    cluster.run_now()
    assert failed_message(cluster, "d") == (
        "0/3 nodes are available: 1 Insufficient cpu, 2 node(s) didn't satisfy plugin(s) "
        "[NodeAffinity]. preemption: 0/3 nodes are available: 1 No preemption victims found "
        "for incoming pod, 2 Preemption is not helpful for scheduling.")


def test_no_nodes_at_all():
    c = Cluster(boot=False)
    c.api.create({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "default"}})
    c.run_now()                      # the namespace gets its default service account
    c.api.create(pod("p"))
    c.run_now()
    assert failed_message(c, "p") == "no nodes available to schedule pods"


def _big_cluster(nodes: int) -> Cluster:
    c = Cluster(workers=0)
    for i in range(nodes):
        c.api.create(node_manifest(c.profile, NodeProfile(
            f"node-{i:03d}", f"10.0.{i // 250}.{i % 250 + 1}",
            f"10.{100 + i // 250}.{i % 250}.0/24",
            False)))
    c.run_now()
    return c


def test_large_clusters_pick_the_best_node_of_all():
    c = _big_cluster(120)
    sched = scheduler_of(c)
    # load every node but one, so "least allocated" has a single best answer
    for i in range(120):
        if i != 77:
            c.api.create(pod(f"filler-{i}", cpu="500m", nodeName=f"node-{i:03d}"))
    c.run_now()
    c.api.create(pod("web", cpu="100m"))
    c.run_now()
    assert c.api.get("Pod", "web", "default")["spec"]["nodeName"] == "node-077"
    for i in range(30):
        c.api.create(pod(f"r{i}", cpu="100m"))
    c.run_now()
    counts = {}
    for i in range(30):
        name = c.api.get("Pod", f"r{i}", "default")["spec"]["nodeName"]
        counts[name] = counts.get(name, 0) + 1
    assert max(counts.values()) <= 5           # spread, not piled on one node
    assert len(sched._shapes) >= 1
