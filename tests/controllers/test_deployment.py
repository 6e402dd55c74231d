"""Tests for kubelearn.controllers.deployment and deployment_util."""

import re

import pytest

from kubelearn import Cluster
from kubelearn.controllers import deployment_util as util

HASH = re.compile(r"[bcdfghjklmnpqrstvwxz2456789]{6,10}")


def deployment(replicas=3, image="nginx:1.25", name="web", **spec):
    return {"apiVersion": "apps/v1", "kind": "Deployment",
            "metadata": {"name": name, "namespace": "default"},
            "spec": {"replicas": replicas, "selector": {"matchLabels": {"app": name}},
                     "template": {"metadata": {"labels": {"app": name}},
                                  "spec": {"containers": [{"name": "nginx", "image": image}]}},
                     **spec}}


def set_image(c, image, name="web"):
    c.api.patch("Deployment", name, "default", {"spec": {"template": {"spec": {
        "containers": [{"name": "nginx", "image": image}]}}}})
    c.run_now()


def replica_sets(c):
    return sorted(c.api.list("ReplicaSet", "default"), key=util.by_creation)


def scaling_events(c):
    return [e["message"] for e in sorted(c.api.list("Event", "default"),
                                         key=lambda e: e["metadata"]["name"])
            if e["reason"] == "ScalingReplicaSet"]


def conditions(c, name="web"):
    return [(x["type"], x["status"], x["reason"], x["message"])
            for x in c.api.get("Deployment", name, "default")["status"]["conditions"]]


@pytest.fixture
def cluster():
    return Cluster()


# -- util ----------------------------------------------------------------------------------
def test_fnv32a_test_vectors():
    assert util.fnv32a(b"") == 0x811C9DC5
    assert util.fnv32a(b"a") == 0xE40C292C
    assert util.fnv32a(b"foobar") == 0xBF9CF968


def test_safe_encode_string():
    assert util.safe_encode_string("0123456789") == "456789bcdf"


def test_pod_template_hash_is_deterministic():
    template = deployment()["spec"]["template"]
    h = util.compute_hash(template)
    assert HASH.fullmatch(h)
    assert util.compute_hash(dict(template)) == h
    assert util.compute_hash(deployment(image="nginx:1.26")["spec"]["template"]) != h
    assert util.compute_hash(template, 1) != h


@pytest.mark.parametrize("surge, unavailable, replicas, expected", [
    ("25%", "25%", 3, (1, 0)), ("25%", "25%", 4, (1, 1)), ("25%", "25%", 10, (3, 2)),
    (0, 0, 3, (0, 1)), ("25%", 1, 2, (1, 1)), (2, "50%", 5, (2, 2))])
def test_resolve_fenceposts(surge, unavailable, replicas, expected):
    assert util.resolve_fenceposts(surge, unavailable, replicas) == expected


def test_equal_ignore_hash():
    a = {"metadata": {"labels": {"app": "web", "pod-template-hash": "abc"}}, "spec": {"x": 1}}
    b = {"metadata": {"labels": {"app": "web"}}, "spec": {"x": 1}}
    assert util.equal_ignore_hash(a, b)
    assert not util.equal_ignore_hash(a, {**b, "spec": {"x": 2}})


def test_equal_ignore_hash_remembers_answers_per_pair_of_stored_templates():
    a = {"metadata": {"labels": {"app": "web", "pod-template-hash": "abc"}}, "spec": {"x": 1}}
    b = {"metadata": {"labels": {"app": "web"}}, "spec": {"x": 1}}
    c = {"metadata": {"labels": {"app": "web"}}, "spec": {"x": 2}}
    for _ in range(2):              # the second round is answered from the memo
        assert util.equal_ignore_hash(a, b) and util.equal_ignore_hash(b, a)
        assert not util.equal_ignore_hash(a, c)
        assert util.equal_ignore_hash(None, {}) and util.equal_ignore_hash({}, None)


def test_a_status_write_does_not_wake_the_deployment_but_an_annotation_change_does():
    from kubelearn.controllers.deployment import _same_watched_metadata

    annotations = {"deployment.kubernetes.io/revision": "1", "team": "a"}
    d = {"metadata": {"name": "web", "annotations": annotations}}
    status_write = {"metadata": {"name": "web", "annotations": annotations}}
    assert _same_watched_metadata(d, status_write)
    revision_only = {"metadata": {"name": "web", "annotations": {
        **annotations, "deployment.kubernetes.io/revision": "2"}}}
    assert _same_watched_metadata(d, revision_only)
    assert not _same_watched_metadata(d, {"metadata": {"name": "web", "annotations": {
        **annotations, "team": "b"}}})
    assert not _same_watched_metadata(d, {"metadata": {
        "name": "web", "annotations": annotations, "deletionTimestamp": "2025-06-02T09:00:05Z"}})


def test_a_deployment_selector_is_parsed_once_per_stored_selector():
    from kubelearn.controllers.deployment import _selector

    d = {"spec": {"selector": {"matchLabels": {"app": "web"}}}}
    first = _selector(d)
    assert first is _selector(d) and first.matches({"app": "web"})
    changed = {"spec": {"selector": {"matchLabels": {"app": "db"}}}}
    assert _selector(changed).matches({"app": "db"}) and not _selector(changed).matches(
        {"app": "web"})
    bad = {"spec": {"selector": {"matchExpressions": [{"key": "app", "operator": "Nope"}]}}}
    assert _selector(bad) is None and _selector(bad) is None


# -- the controller ----------------------------------------------------------------------------
def test_creates_a_replica_set_named_after_the_template_hash(cluster):
    d = cluster.api.create(deployment())
    cluster.run_now()
    [rs] = replica_sets(cluster)
    meta, spec = rs["metadata"], rs["spec"]
    pod_hash = meta["labels"]["pod-template-hash"]
    assert HASH.fullmatch(pod_hash)
    assert meta["name"] == f"web-{pod_hash}"
    assert meta["labels"] == {"app": "web", "pod-template-hash": pod_hash}
    assert spec["selector"] == {"matchLabels": {"app": "web", "pod-template-hash": pod_hash}}
    assert spec["template"]["metadata"]["labels"] == meta["labels"]
    assert spec["replicas"] == 3
    assert meta["annotations"] == {"deployment.kubernetes.io/desired-replicas": "3",
                                   "deployment.kubernetes.io/max-replicas": "4",
                                   "deployment.kubernetes.io/revision": "1"}
    assert meta["ownerReferences"] == [{"apiVersion": "apps/v1", "blockOwnerDeletion": True,
                                        "controller": True, "kind": "Deployment", "name": "web",
                                        "uid": d["metadata"]["uid"]}]
    d = cluster.api.get("Deployment", "web", "default")
    assert d["metadata"]["annotations"]["deployment.kubernetes.io/revision"] == "1"
    assert "pod-template-hash" not in d["spec"]["template"]["metadata"]["labels"]
    assert scaling_events(cluster) == [f"Scaled up replica set {meta['name']} from 0 to 3"]
    event = [e for e in cluster.api.list("Event", "default") if e["reason"] == "ScalingReplicaSet"]
    assert event[0]["source"] == {"component": "deployment-controller"}
    for pod in cluster.api.list("Pod", "default"):
        assert pod["metadata"]["name"].startswith(meta["name"] + "-")
        assert pod["metadata"]["labels"]["pod-template-hash"] == pod_hash


def test_status_while_rolling_out_and_when_done(cluster):
    cluster.api.create(deployment())
    cluster.run_now()
    rs_name = replica_sets(cluster)[0]["metadata"]["name"]
    assert conditions(cluster) == [
        ("Available", "False", "MinimumReplicasUnavailable",
         "Deployment does not have minimum availability."),
        ("Progressing", "True", "ReplicaSetUpdated", f'ReplicaSet "{rs_name}" is progressing.')]
    cluster.settle()
    d = cluster.api.get("Deployment", "web", "default")
    status = {k: v for k, v in d["status"].items() if k != "conditions"}
    assert status == {"availableReplicas": 3, "observedGeneration": 1, "readyReplicas": 3,
                      "replicas": 3, "updatedReplicas": 3}
    assert conditions(cluster) == [
        ("Available", "True", "MinimumReplicasAvailable", "Deployment has minimum availability."),
        ("Progressing", "True", "NewReplicaSetAvailable",
         f'ReplicaSet "{rs_name}" has successfully progressed.')]
    progressing = d["status"]["conditions"][1]
    assert progressing["lastTransitionTime"] == "2025-06-02T09:01:00Z"   # True all along


def test_scaling_keeps_the_replica_set(cluster):
    cluster.api.create(deployment())
    cluster.run_now()
    cluster.settle()
    cluster.api.patch("Deployment", "web", "default", {"spec": {"replicas": 5}})
    cluster.run_now()
    cluster.api.patch("Deployment", "web", "default", {"spec": {"replicas": 2}})
    cluster.run_now()
    cluster.settle()
    [rs] = replica_sets(cluster)
    name = rs["metadata"]["name"]
    assert scaling_events(cluster) == [f"Scaled up replica set {name} from 0 to 3",
                                       f"Scaled up replica set {name} from 3 to 5",
                                       f"Scaled down replica set {name} from 5 to 2"]
    assert rs["metadata"]["annotations"]["deployment.kubernetes.io/desired-replicas"] == "2"
    assert rs["metadata"]["annotations"]["deployment.kubernetes.io/max-replicas"] == "3"
    assert rs["metadata"]["annotations"]["deployment.kubernetes.io/revision"] == "1"
    assert len(cluster.api.list("Pod", "default")) == 2
    d = cluster.api.get("Deployment", "web", "default")
    assert d["status"]["observedGeneration"] == 3 and d["status"]["replicas"] == 2


def test_a_new_template_gets_a_new_replica_set(cluster):
    cluster.api.create(deployment())
    cluster.run_now()
    cluster.settle()
    set_image(cluster, "nginx:1.26")
    cluster.settle()
    old, new = replica_sets(cluster)
    assert (old["spec"]["replicas"], new["spec"]["replicas"]) == (0, 3)
    assert old["metadata"]["annotations"]["deployment.kubernetes.io/revision"] == "1"
    assert new["metadata"]["annotations"]["deployment.kubernetes.io/revision"] == "2"
    o, n = old["metadata"]["name"], new["metadata"]["name"]
    assert scaling_events(cluster)[1:] == [     # RollingUpdate, 25%/25% of 3: surge 1, unavailable 0
        f"Scaled up replica set {n} from 0 to 1", f"Scaled down replica set {o} from 3 to 2",
        f"Scaled up replica set {n} from 1 to 2", f"Scaled down replica set {o} from 2 to 1",
        f"Scaled up replica set {n} from 2 to 3", f"Scaled down replica set {o} from 1 to 0"]
    images = {p["spec"]["containers"][0]["image"] for p in cluster.api.list("Pod", "default")}
    assert images == {"nginx:1.26"}
    d = cluster.api.get("Deployment", "web", "default")
    assert d["metadata"]["annotations"]["deployment.kubernetes.io/revision"] == "2"
    assert d["status"]["updatedReplicas"] == 3 and d["status"]["availableReplicas"] == 3
    assert conditions(cluster)[-1][2:] == (
        "NewReplicaSetAvailable", f'ReplicaSet "{new["metadata"]["name"]}" has successfully '
                                  "progressed.")


def test_going_back_to_an_old_template_reuses_its_replica_set(cluster):
    cluster.api.create(deployment())
    cluster.run_now()
    cluster.settle()
    first = replica_sets(cluster)[0]["metadata"]["name"]
    set_image(cluster, "nginx:1.26")
    cluster.settle()
    set_image(cluster, "nginx:1.25")
    cluster.settle()
    sets = {rs["metadata"]["name"]: rs for rs in replica_sets(cluster)}
    assert len(sets) == 2
    annotations = sets[first]["metadata"]["annotations"]
    assert annotations["deployment.kubernetes.io/revision"] == "3"
    assert annotations["deployment.kubernetes.io/revision-history"] == "1"
    assert sets[first]["spec"]["replicas"] == 3
    ups = [m for m in scaling_events(cluster) if m.startswith(f"Scaled up replica set {first}")]
    assert ups == [f"Scaled up replica set {first} from 0 to 3",
                   f"Scaled up replica set {first} from 0 to 1",
                   f"Scaled up replica set {first} from 1 to 2",
                   f"Scaled up replica set {first} from 2 to 3"]


def test_recreate_strategy(cluster):
    cluster.api.create(deployment(strategy={"type": "Recreate"}))
    cluster.run_now()
    cluster.settle()
    rs = replica_sets(cluster)[0]
    assert rs["metadata"]["annotations"]["deployment.kubernetes.io/max-replicas"] == "3"
    set_image(cluster, "nginx:1.27")
    # old pods are stopping; the new replica set waits for them
    assert len(replica_sets(cluster)) == 1
    cluster.settle()
    assert [rs["spec"]["replicas"] for rs in replica_sets(cluster)] == [0, 3]


def test_revision_history_limit_deletes_old_replica_sets(cluster):
    cluster.api.create(deployment(replicas=1, revisionHistoryLimit=1))
    cluster.run_now()
    cluster.settle()
    for image in ("nginx:1.26", "nginx:1.27", "nginx:latest"):
        set_image(cluster, image)
        cluster.settle()
    revisions = sorted(rs["metadata"]["annotations"]["deployment.kubernetes.io/revision"]
                       for rs in replica_sets(cluster))
    assert revisions == ["3", "4"]


def test_a_stuck_rollout_times_out(cluster):
    cluster.api.create(deployment(replicas=1, image="nginx:doesnotexist",
                                  progressDeadlineSeconds=30))
    cluster.run_now()
    assert cluster.settle().settled           # the deadline check does not hold settle()
    rs_name = replica_sets(cluster)[0]["metadata"]["name"]
    cluster.advance(60)
    assert conditions(cluster)[-1] == ("Progressing", "False", "ProgressDeadlineExceeded",
                                       f'ReplicaSet "{rs_name}" has timed out progressing.')


def test_deleting_a_deployment_deletes_everything(cluster):
    cluster.api.create(deployment())
    cluster.run_now()
    cluster.settle()
    cluster.api.delete("Deployment", "web", "default")
    cluster.run_now()
    cluster.settle()
    assert replica_sets(cluster) == [] and cluster.api.list("Pod", "default") == []


def test_coredns_at_boot(cluster):
    [rs] = cluster.api.list("ReplicaSet", "kube-system")
    assert rs["metadata"]["name"].startswith("coredns-")
    d = cluster.api.get("Deployment", "coredns", "kube-system")
    assert d["status"]["availableReplicas"] == 2
    events = [e["message"] for e in cluster.api.list("Event", "kube-system")
              if e["reason"] == "ScalingReplicaSet"]
    assert events == [f"Scaled up replica set {rs['metadata']['name']} from 0 to 2"]
