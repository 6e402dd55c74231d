"""Tests for kubelearn.controllers.replicaset (and controller_utils)."""

import re

import pytest

from kubelearn import Cluster
from kubelearn.apiserver import errors
from kubelearn.apiserver.server import NAME_ALPHABET
from kubelearn.controllers.controller_utils import rank_pods_for_deletion, slow_start_batch
from kubelearn.controllers.replicaset import ReplicaSetController

NAME = re.compile(rf"web-[{NAME_ALPHABET}]{{5}}")


def replica_set(replicas=3, labels=None, template_labels=None, image="nginx:1.25", **spec):
    labels = labels or {"app": "web"}
    return {"apiVersion": "apps/v1", "kind": "ReplicaSet",
            "metadata": {"name": "web", "namespace": "default"},
            "spec": {"replicas": replicas, "selector": {"matchLabels": labels},
                     "template": {"metadata": {"labels": template_labels or labels},
                                  "spec": {"containers": [{"name": "nginx", "image": image}]}},
                     **spec}}


def bare_pod(name, labels, **spec):
    return {"apiVersion": "v1", "kind": "Pod",
            "metadata": {"name": name, "namespace": "default", "labels": labels},
            "spec": {"containers": [{"name": "nginx", "image": "nginx:1.25"}], **spec}}


def pods(c):
    return c.api.list("Pod", "default")


def rs_events(c):
    return [(e["reason"], e["message"]) for e in
            sorted(c.api.list("Event", "default"), key=lambda e: e["metadata"]["name"])
            if e["involvedObject"]["kind"] == "ReplicaSet"]


@pytest.fixture
def cluster():
    return Cluster()


def test_creates_owned_pods_from_the_template(cluster):
    rs = cluster.api.create(replica_set())
    cluster.run_now()
    created = pods(cluster)
    assert len(created) == 3
    for p in created:
        assert NAME.fullmatch(p["metadata"]["name"]), p["metadata"]["name"]
        assert p["metadata"]["generateName"] == "web-"
        assert p["metadata"]["labels"] == {"app": "web"}
        assert p["metadata"]["ownerReferences"] == [{
            "apiVersion": "apps/v1", "blockOwnerDeletion": True, "controller": True,
            "kind": "ReplicaSet", "name": "web", "uid": rs["metadata"]["uid"]}]
        assert p["spec"]["containers"][0]["image"] == "nginx:1.25"
    created_msgs = [m for r, m in rs_events(cluster) if r == "SuccessfulCreate"]
    assert sorted(created_msgs) == sorted(f"Created pod: {p['metadata']['name']}"
                                          for p in created)
    source = [e["source"] for e in cluster.api.list("Event", "default")
              if e["reason"] == "SuccessfulCreate"][0]
    assert source == {"component": "replicaset-controller"}


def test_status_counts_pods(cluster):
    cluster.api.create(replica_set())
    cluster.run_now()
    status = cluster.api.get("ReplicaSet", "web", "default")["status"]
    assert status == {"fullyLabeledReplicas": 3, "observedGeneration": 1, "replicas": 3}
    cluster.settle()
    status = cluster.api.get("ReplicaSet", "web", "default")["status"]
    assert status == {"availableReplicas": 3, "fullyLabeledReplicas": 3, "observedGeneration": 1,
                      "readyReplicas": 3, "replicas": 3}


def test_fully_labeled_counts_template_labels(cluster):
    cluster.api.create(replica_set(template_labels={"app": "web", "tier": "front"}))
    cluster.run_now()
    first = pods(cluster)[0]
    labels = {"app": "web"}      # still selected, but no longer fully labelled
    cluster.api.write_metadata(first, {**first["metadata"], "labels": labels})
    cluster.run_now()
    status = cluster.api.get("ReplicaSet", "web", "default")["status"]
    assert (status["replicas"], status["fullyLabeledReplicas"]) == (3, 2)


def test_fully_labeled_count_survives_status_writes_and_follows_label_changes(cluster):
    cluster.api.create(replica_set(template_labels={"app": "web", "tier": "front"}))
    cluster.run_now()
    first = pods(cluster)[0]
    cluster.api.write_metadata(first, {**first["metadata"], "labels": {"app": "web"}})
    cluster.settle()            # binding and kubelet status writes keep the labels dict
    status = cluster.api.get("ReplicaSet", "web", "default")["status"]
    assert (status["readyReplicas"], status["fullyLabeledReplicas"]) == (3, 2)
    first = cluster.api.get("Pod", first["metadata"]["name"], "default")
    labels = {"app": "web", "tier": "front"}
    cluster.api.write_metadata(first, {**first["metadata"], "labels": labels})
    cluster.run_now()
    status = cluster.api.get("ReplicaSet", "web", "default")["status"]
    assert status["fullyLabeledReplicas"] == 3


def test_scale_up_and_down(cluster):
    cluster.api.create(replica_set())
    cluster.run_now()
    cluster.settle()
    cluster.api.patch("ReplicaSet", "web", "default", {"spec": {"replicas": 5}})
    cluster.run_now()
    assert len(pods(cluster)) == 5
    cluster.settle()
    cluster.api.patch("ReplicaSet", "web", "default", {"spec": {"replicas": 1}})
    cluster.run_now()
    deleted = [m for r, m in rs_events(cluster) if r == "SuccessfulDelete"]
    assert len(deleted) == 4 and all(m.startswith("Deleted pod: web-") for m in deleted)
    terminating = [p for p in pods(cluster) if p["metadata"].get("deletionTimestamp")]
    assert len(terminating) == 4
    assert cluster.api.get("ReplicaSet", "web", "default")["status"]["replicas"] == 1
    cluster.settle()
    assert len(pods(cluster)) == 1
    assert cluster.api.get("ReplicaSet", "web", "default")["status"]["observedGeneration"] == 3


def test_scale_down_removes_pending_pods_first(cluster):
    cluster.api.create(replica_set(replicas=2))
    cluster.run_now()
    cluster.settle()
    running = {p["metadata"]["name"] for p in pods(cluster)}
    # a third replica that cannot be scheduled anywhere
    cluster.api.patch("ReplicaSet", "web", "default", {"spec": {
        "replicas": 3, "template": {"spec": {"nodeSelector": {"disk": "none"}}}}})
    cluster.run_now()
    pending = {p["metadata"]["name"] for p in pods(cluster)} - running
    assert len(pending) == 1
    cluster.api.patch("ReplicaSet", "web", "default", {"spec": {"replicas": 2}})
    cluster.run_now()
    assert [m for r, m in rs_events(cluster) if r == "SuccessfulDelete"] == [
        f"Deleted pod: {pending.pop()}"]


def test_a_deleted_pod_is_replaced_at_once(cluster):
    cluster.api.create(replica_set(replicas=2))
    cluster.run_now()
    cluster.settle()
    victim = pods(cluster)[0]["metadata"]["name"]
    cluster.api.delete("Pod", victim, "default")
    cluster.run_now()
    names = [p["metadata"]["name"] for p in pods(cluster)]
    assert len(names) == 3 and victim in names          # the old one is still terminating
    cluster.settle()
    assert len(pods(cluster)) == 2 and victim not in [p["metadata"]["name"] for p in pods(cluster)]


def test_adopts_matching_orphans(cluster):
    cluster.api.create(bare_pod("stray", {"app": "web"}))
    cluster.run_now()
    rs = cluster.api.create(replica_set())
    cluster.run_now()
    stray = cluster.api.get("Pod", "stray", "default")
    assert stray["metadata"]["ownerReferences"][0]["uid"] == rs["metadata"]["uid"]
    assert len(pods(cluster)) == 3        # the stray counts as one of the three


def test_releases_pods_whose_labels_no_longer_match(cluster):
    cluster.api.create(replica_set(replicas=2))
    cluster.run_now()
    cluster.settle()
    first = pods(cluster)[0]
    cluster.api.patch("Pod", first["metadata"]["name"], "default",
                      {"metadata": {"labels": {"app": "debug"}}})
    cluster.run_now()
    released = cluster.api.get("Pod", first["metadata"]["name"], "default")
    assert "ownerReferences" not in released["metadata"]
    assert len([p for p in pods(cluster) if p["metadata"].get("ownerReferences")]) == 2


def test_deleting_the_replica_set_deletes_its_pods(cluster):
    cluster.api.create(replica_set())
    cluster.run_now()
    cluster.settle()
    cluster.api.delete("ReplicaSet", "web", "default")
    cluster.run_now()
    cluster.settle()
    assert pods(cluster) == []


def test_burst_limit_per_sync(cluster):
    ctrl = next(x for x in cluster.controllers if isinstance(x, ReplicaSetController))
    ctrl.burst_replicas = 4
    cluster.api.create(replica_set(replicas=10))
    ctrl.process_one()                   # one sync, before anything else runs
    assert len(pods(cluster)) == 4
    cluster.run_now()
    assert len(pods(cluster)) == 10


def test_slow_start_batches_stop_at_the_first_failing_batch():
    calls = []

    def create():
        calls.append(1)
        if len(calls) == 5:
            raise errors.StatusError(403, "Forbidden", "quota exceeded")

    successes, error = slow_start_batch(20, 1, create)
    assert len(calls) == 7            # batches of 1, 2, 4: the third batch fails
    assert successes == 6 and error.message == "quota exceeded"
    assert slow_start_batch(5, 1, lambda: None) == (5, None)


def _pod(name, node="", phase="Running", ready=True, created="2025-06-02T09:00:00Z",
         restarts=0, ready_since="2025-06-02T09:00:10Z"):
    conditions = [{"type": "Ready", "status": "True" if ready else "False",
                   "lastTransitionTime": ready_since}]
    return {"metadata": {"name": name, "uid": name, "creationTimestamp": created},
            "spec": {"nodeName": node},
            "status": {"phase": phase, "conditions": conditions,
                       "containerStatuses": [{"restartCount": restarts}]}}


def test_victim_order():
    now = 3600.0
    pods_ = [
        _pod("ready-old", "n1", created="2025-06-02T09:00:00Z"),
        _pod("unscheduled", "", phase="Pending", ready=False),
        _pod("pending", "n2", phase="Pending", ready=False),
        _pod("not-ready", "n3", ready=False),
        _pod("restarted", "n4", restarts=3),
        _pod("ready-new", "n5", created="2025-06-02T09:59:00Z",
             ready_since="2025-06-02T09:59:30Z"),
    ]
    ranked = [p["metadata"]["name"] for p in rank_pods_for_deletion(pods_, pods_, now)]
    assert ranked[:4] == ["unscheduled", "pending", "not-ready", "ready-new"]
    assert ranked[4:] == ["restarted", "ready-old"]


def test_doubled_up_pods_go_first():
    a, b, c = _pod("a", "n1"), _pod("b", "n1"), _pod("c", "n2")
    assert [p["metadata"]["name"] for p in rank_pods_for_deletion([c, a, b], [a, b, c], 100.0)][
        2] == "c"


def test_pods_to_delete_is_the_head_of_the_ranking():
    from kubelearn.controllers.controller_utils import pods_to_delete

    def pod(i):
        ready = i % 3 != 0
        status = {"phase": "Running" if i % 5 else "Pending", "conditions": [
            {"type": "Ready", "status": "True" if ready else "False",
             "lastTransitionTime": f"2025-06-02T09:{i % 60:02d}:00Z"}],
            "containerStatuses": [{"restartCount": i % 4}]}
        return {"metadata": {"name": f"p{i}", "uid": f"u{i:03d}",
                             "creationTimestamp": f"2025-06-02T08:{(i * 7) % 60:02d}:00Z"},
                "spec": {"nodeName": f"n{i % 4}" if i % 11 else ""}, "status": status}
    pods = [pod(i) for i in range(200)]
    now = 7200.0
    for count in (1, 3, 10, 24, 150):
        assert pods_to_delete(pods, pods, now, count) == \
            rank_pods_for_deletion(pods, pods, now)[:count]
