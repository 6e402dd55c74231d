"""Tests for kubelearn.controllers.deployment_rolling (RollingUpdate, proportional scaling,
pause/resume, rollback) — the bounds are checked at every store state, not only at the end."""

import pytest

from kubelearn import Cluster
from kubelearn.api.podutil import is_pod_active, is_pod_ready
from kubelearn.controllers import deployment_util as util


def deployment(replicas=3, image="nginx:1.25", name="web", surge=None, unavailable=None,
               **spec):
    d = {"apiVersion": "apps/v1", "kind": "Deployment",
         "metadata": {"name": name, "namespace": "default"},
         "spec": {"replicas": replicas, "selector": {"matchLabels": {"app": name}},
                  "template": {"metadata": {"labels": {"app": name}},
                               "spec": {"containers": [{"name": "nginx", "image": image}]}},
                  **spec}}
    if surge is not None or unavailable is not None:
        rolling = {}
        if surge is not None:
            rolling["maxSurge"] = surge
        if unavailable is not None:
            rolling["maxUnavailable"] = unavailable
        d["spec"]["strategy"] = {"type": "RollingUpdate", "rollingUpdate": rolling}
    return d


def set_image(c, image, name="web"):
    c.api.patch("Deployment", name, "default", {"spec": {"template": {"spec": {
        "containers": [{"name": "nginx", "image": image}]}}}})
    c.run_now()


def replica_sets(c):
    return sorted(c.api.list("ReplicaSet", "default"), key=util.by_creation)


def sizes(c):
    return [util.replicas_of(rs) for rs in replica_sets(c)]


def scaling_events(c):
    return [e["message"] for e in sorted(c.api.list("Event", "default"),
                                         key=lambda e: e["metadata"]["name"])
            if e["reason"] == "ScalingReplicaSet"]


def progressing(c, name="web"):
    d = c.api.get("Deployment", name, "default")
    return util.get_condition(d["status"], "Progressing")


class BoundsChecker:
    """Watches every write and checks the RollingUpdate bounds in the state it leaves:
    pods asked for (sum of ReplicaSet sizes) and running (active pods) at most
    replicas + maxSurge, ready pods at least replicas - maxUnavailable."""

    def __init__(self, c, replicas, surge, unavailable, app="web"):
        self.c, self.app = c, app
        self.max_total, self.min_available = replicas + surge, replicas - unavailable
        self.pods, self.rs_sizes = {}, {}
        self.states = self.peak_total = self.peak_asked = 0
        self.low_available = replicas
        for rs in c.api.list("ReplicaSet", "default"):
            self._rs(rs)
        for pod in c.api.list("Pod", "default"):
            self._pod(pod)
        c.store.watch(self)

    def _pod(self, pod, deleted=False):
        if (pod["metadata"].get("labels") or {}).get("app") != self.app:
            return
        key = pod["metadata"]["name"]
        if deleted or not is_pod_active(pod):
            self.pods.pop(key, None)
        else:
            self.pods[key] = is_pod_ready(pod)

    def _rs(self, rs, deleted=False):
        if deleted:
            self.rs_sizes.pop(rs["metadata"]["name"], None)
        else:
            self.rs_sizes[rs["metadata"]["name"]] = util.replicas_of(rs)

    def __call__(self, event):
        if event.kind == "Pod":
            self._pod(event.obj, event.type == "DELETED")
        elif event.kind == "ReplicaSet":
            self._rs(event.obj, event.type == "DELETED")
        else:
            return
        self.states += 1
        total, asked = len(self.pods), sum(self.rs_sizes.values())
        available = sum(self.pods.values())
        self.peak_total = max(self.peak_total, total)
        self.peak_asked = max(self.peak_asked, asked)
        self.low_available = min(self.low_available, available)
        assert total <= self.max_total, (self.c.now, total, self.max_total)
        assert asked <= self.max_total, (self.c.now, asked, self.max_total)
        assert available >= self.min_available, (self.c.now, available, self.min_available)

    def stop(self):
        self.c.store.unwatch(self)


@pytest.fixture
def cluster():
    return Cluster()


def started(c, d):
    c.api.create(d)
    c.run_now()
    c.settle()
    return c


# -- the bounds, at every step ---------------------------------------------------------------
def test_ten_replicas_roll_within_surge_3_and_unavailable_2(cluster):
    started(cluster, deployment(replicas=10))
    checker = BoundsChecker(cluster, 10, 3, 2)       # 25% of 10: surge 3 (up), unavailable 2 (down)
    set_image(cluster, "nginx:1.26")
    assert cluster.settle().settled
    checker.stop()
    assert checker.states > 50
    assert (checker.peak_total, checker.peak_asked, checker.low_available) == (13, 13, 8)
    assert sizes(cluster) == [0, 10]
    old, new = (rs["metadata"]["name"] for rs in replica_sets(cluster))
    events = scaling_events(cluster)[1:]
    assert events[:3] == [f"Scaled up replica set {new} from 0 to 3",
                          f"Scaled down replica set {old} from 10 to 8",
                          f"Scaled up replica set {new} from 3 to 5"]
    assert events[-1] == f"Scaled down replica set {old} from {events[-1].split()[-3]} to 0"
    images = {p["spec"]["containers"][0]["image"] for p in cluster.api.list("Pod", "default")}
    assert images == {"nginx:1.26"}


def test_three_replicas_roll_one_at_a_time(cluster):
    started(cluster, deployment(replicas=3))
    checker = BoundsChecker(cluster, 3, 1, 0)        # 25% of 3: surge 1, unavailable 0
    set_image(cluster, "nginx:1.26")
    assert cluster.settle().settled
    checker.stop()
    assert (checker.peak_total, checker.low_available) == (4, 3)
    assert sizes(cluster) == [0, 3]


@pytest.mark.parametrize("surge, unavailable, replicas, peak, low", [
    (0, 1, 4, 4, 3), ("50%", "50%", 4, 6, 2), (2, 0, 5, 7, 5), (0, "30%", 10, 10, 7)])
def test_other_bounds_hold(cluster, surge, unavailable, replicas, peak, low):
    started(cluster, deployment(replicas=replicas, surge=surge, unavailable=unavailable))
    resolved = util.resolve_fenceposts(surge, unavailable, replicas)
    checker = BoundsChecker(cluster, replicas, *resolved)
    set_image(cluster, "nginx:1.26")
    assert cluster.settle().settled
    checker.stop()
    assert (checker.peak_total, checker.low_available) == (peak, low)
    assert sizes(cluster) == [0, replicas]


def test_a_broken_image_stops_the_rollout_within_the_bounds(cluster):
    started(cluster, deployment(replicas=10, surge=3, unavailable=2))
    checker = BoundsChecker(cluster, 10, 3, 2)
    set_image(cluster, "nginx:doesnotexist")
    cluster.advance(30)
    checker.stop()
    assert sizes(cluster) == [8, 5]      # the upstream docs' example: stuck at 8 old + 5 new
    d = cluster.api.get("Deployment", "web", "default")
    assert {k: d["status"].get(k) for k in ("replicas", "updatedReplicas", "availableReplicas",
                                            "unavailableReplicas")} == {
        "replicas": 13, "updatedReplicas": 5, "availableReplicas": 8, "unavailableReplicas": 5}


def test_min_ready_seconds_paces_the_rollout(cluster):
    started(cluster, deployment(replicas=2, surge=1, unavailable=0, minReadySeconds=30))
    old = replica_sets(cluster)[0]["metadata"]["name"]
    set_image(cluster, "nginx:1.26")
    cluster.advance(20)          # the new pod is ready, but not yet available for 30 s
    new = replica_sets(cluster)[1]
    assert new["status"].get("readyReplicas") == 1 and "availableReplicas" not in new["status"]
    assert sizes(cluster) == [2, 1]
    cluster.advance(20)
    assert sizes(cluster) == [1, 2]
    assert cluster.settle().settled
    assert sizes(cluster) == [0, 2]
    assert f"Scaled down replica set {old} from 1 to 0" in scaling_events(cluster)


# -- proportional scaling -----------------------------------------------------------------
def test_scaling_mid_rollout_is_proportional(cluster):
    """The Deployment docs' example: 10 replicas, maxSurge 3, maxUnavailable 2, a rollout
    stuck on a bad image at 8 old + 5 new; scaling to 15 adds 3 to the old ReplicaSet
    and 2 to the new one."""
    started(cluster, deployment(replicas=10, surge=3, unavailable=2))
    old = replica_sets(cluster)[0]["metadata"]["name"]
    set_image(cluster, "nginx:doesnotexist")
    cluster.advance(30)
    new = replica_sets(cluster)[1]["metadata"]["name"]
    cluster.api.patch("Deployment", "web", "default", {"spec": {"replicas": 15}})
    cluster.run_now()
    assert sizes(cluster) == [11, 7]
    assert scaling_events(cluster)[-2:] == [f"Scaled up replica set {old} from 8 to 11",
                                            f"Scaled up replica set {new} from 5 to 7"]
    for rs in replica_sets(cluster):
        annotations = rs["metadata"]["annotations"]
        assert annotations["deployment.kubernetes.io/desired-replicas"] == "15"
        assert annotations["deployment.kubernetes.io/max-replicas"] == "18"   # 15 + maxSurge 3
    count = len(scaling_events(cluster))
    cluster.api.patch("Deployment", "web", "default", {"spec": {"replicas": 5}})
    cluster.run_now()
    # 18 -> 8 (5 + maxSurge 3): the older one first, each by round(size * 8 / 18)
    assert scaling_events(cluster)[count:count + 2] == [
        f"Scaled down replica set {old} from 11 to 5", f"Scaled down replica set {new} from 7 to 3"]


def test_proportion_arithmetic():
    d = deployment(replicas=15, surge=3, unavailable=2)
    rs = {"metadata": {"annotations": {util.MAX_REPLICAS_ANNOTATION: "13"}},
          "spec": {"replicas": 8}}
    assert util.get_replica_set_fraction(rs, d) == 3             # round(8 * 18 / 13) - 8
    assert util.get_replica_set_proportion(rs, d, 5, 0) == 3
    assert util.get_replica_set_proportion(rs, d, 5, 4) == 1     # only 1 left to add
    assert util.get_replica_set_fraction(rs, deployment(replicas=0)) == -8


# -- pause and resume -------------------------------------------------------------------
def test_a_paused_deployment_scales_but_does_not_roll_out(cluster):
    started(cluster, deployment(replicas=2))
    rs_name = replica_sets(cluster)[0]["metadata"]["name"]
    cluster.api.patch("Deployment", "web", "default", {"spec": {"paused": True}})
    cluster.run_now()
    cond = progressing(cluster)
    assert (cond["status"], cond["reason"], cond["message"]) == (
        "Unknown", "DeploymentPaused", "Deployment is paused")
    set_image(cluster, "nginx:1.26")
    cluster.api.patch("Deployment", "web", "default", {"spec": {"replicas": 4}})
    cluster.run_now()
    cluster.settle()
    assert len(replica_sets(cluster)) == 1 and sizes(cluster) == [4]
    d = cluster.api.get("Deployment", "web", "default")
    assert d["status"]["observedGeneration"] == d["metadata"]["generation"]
    assert scaling_events(cluster)[-1] == f"Scaled up replica set {rs_name} from 2 to 4"
    cluster.api.patch("Deployment", "web", "default", {"spec": {"paused": False}})
    cluster.run_now()
    assert len(replica_sets(cluster)) == 2
    assert progressing(cluster)["reason"] in ("DeploymentResumed", "ReplicaSetUpdated")
    resumed = [e for e in cluster.api.list("Event", "default")
               if e["reason"] == "ScalingReplicaSet"]
    assert resumed
    cluster.settle()
    assert sizes(cluster) == [0, 4]
    cond = progressing(cluster)
    assert (cond["status"], cond["reason"]) == ("True", "NewReplicaSetAvailable")


def test_resume_condition_is_recorded(cluster):
    started(cluster, deployment(replicas=1))
    cluster.api.patch("Deployment", "web", "default", {"spec": {"paused": True}})
    cluster.run_now()
    seen = []
    cluster.store.watch(lambda e: seen.append(util.get_condition(
        e.obj.get("status") or {}, "Progressing")) if e.kind == "Deployment" else None)
    cluster.api.patch("Deployment", "web", "default", {"spec": {"paused": False}})
    cluster.run_now()
    reasons = [(c["status"], c["reason"], c["message"]) for c in seen if c]
    assert ("Unknown", "DeploymentResumed", "Deployment is resumed") in reasons


# -- revisions, annotations, rollback ---------------------------------------------------------
def test_change_cause_is_copied_to_the_new_replica_set(cluster):
    started(cluster, deployment(replicas=1))
    cluster.api.patch("Deployment", "web", "default", {"metadata": {"annotations": {
        "kubernetes.io/change-cause": "update to 1.26"}}, "spec": {"template": {"spec": {
            "containers": [{"name": "nginx", "image": "nginx:1.26"}]}}}})
    cluster.run_now()
    cluster.settle()
    old, new = replica_sets(cluster)
    assert new["metadata"]["annotations"] == {
        "deployment.kubernetes.io/desired-replicas": "1",
        "deployment.kubernetes.io/max-replicas": "2",
        "deployment.kubernetes.io/revision": "2",
        "kubernetes.io/change-cause": "update to 1.26"}
    assert "kubernetes.io/change-cause" not in old["metadata"]["annotations"]


def test_rollback_annotation_restores_an_old_template(cluster):
    started(cluster, deployment(replicas=2))
    first = replica_sets(cluster)[0]["metadata"]["name"]
    set_image(cluster, "nginx:1.26")
    cluster.settle()
    cluster.api.patch("Deployment", "web", "default", {"metadata": {"annotations": {
        "deprecated.deployment.rollback.to": "1"}}})
    cluster.run_now()
    cluster.settle()
    d = cluster.api.get("Deployment", "web", "default")
    assert d["spec"]["template"]["spec"]["containers"][0]["image"] == "nginx:1.25"
    assert "pod-template-hash" not in d["spec"]["template"]["metadata"]["labels"]
    assert "deprecated.deployment.rollback.to" not in d["metadata"]["annotations"]
    assert d["metadata"]["annotations"]["deployment.kubernetes.io/revision"] == "3"
    reused = cluster.api.get("ReplicaSet", first, "default")
    assert reused["metadata"]["annotations"]["deployment.kubernetes.io/revision"] == "3"
    assert reused["metadata"]["annotations"]["deployment.kubernetes.io/revision-history"] == "1"
    assert sizes(cluster) == [2, 0]
    events = [(e["type"], e["reason"], e["message"]) for e in cluster.api.list("Event", "default")
              if e["reason"] == "DeploymentRollback"]
    assert events == [("Normal", "DeploymentRollback",
                       'Rolled back deployment "web" to revision 1')]


def test_rollback_to_a_missing_revision_warns(cluster):
    started(cluster, deployment(replicas=1))
    cluster.api.patch("Deployment", "web", "default", {"metadata": {"annotations": {
        "deprecated.deployment.rollback.to": "7"}}})
    cluster.run_now()
    events = [(e["type"], e["reason"], e["message"]) for e in cluster.api.list("Event", "default")
              if e["reason"].startswith("Rollback")]
    assert events == [("Warning", "RollbackRevisionNotFound",
                       "Unable to find the revision to rollback to.")]
    d = cluster.api.get("Deployment", "web", "default")
    assert "deprecated.deployment.rollback.to" not in (d["metadata"].get("annotations") or {})


def test_last_revision():
    def rs(rev):
        return {"metadata": {"annotations": {util.REVISION_ANNOTATION: str(rev)}}}
    assert util.last_revision([rs(1), rs(4), rs(3)]) == 3
    assert util.last_revision([rs(2)]) == 0


def test_progressing_reasons_through_a_rollout(cluster):
    started(cluster, deployment(replicas=2))
    seen = []
    cluster.store.watch(lambda e: seen.append(util.get_condition(
        e.obj.get("status") or {}, "Progressing")) if e.kind == "Deployment" else None)
    set_image(cluster, "nginx:1.26")
    cluster.settle()
    new = replica_sets(cluster)[1]["metadata"]["name"]
    reasons = list(dict.fromkeys((c["reason"], c["message"]) for c in seen if c))
    assert reasons[-3:] == [("NewReplicaSetCreated", f'Created new replica set "{new}"'),
                            ("ReplicaSetUpdated", f'ReplicaSet "{new}" is progressing.'),
                            ("NewReplicaSetAvailable",
                             f'ReplicaSet "{new}" has successfully progressed.')]
    final = progressing(cluster)
    assert final["lastTransitionTime"] < final["lastUpdateTime"]     # True all along
