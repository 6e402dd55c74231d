"""Garbage collector: dependents go when all their owners are gone."""
import pytest

from kubelearn import Cluster
from kubelearn.controllers.garbagecollector import GarbageCollector
from kubelearn.controllers.namespace import NamespaceController


@pytest.fixture
def c(mini):
    return mini([NamespaceController, GarbageCollector])


def ref(owner):
    return {"apiVersion": owner["apiVersion"], "kind": owner["kind"],
            "name": owner["metadata"]["name"], "uid": owner["metadata"]["uid"]}


def configmap(name, *owners):
    meta = {"name": name, "namespace": "default"}
    if owners:
        meta["ownerReferences"] = [ref(o) for o in owners]
    return {"apiVersion": "v1", "kind": "ConfigMap", "metadata": meta}


def pod(name, *owners, node=None):
    spec = {"containers": [{"name": "web", "image": "nginx"}]}
    if node:
        spec["nodeName"] = node
    return {"apiVersion": "v1", "kind": "Pod",
            "metadata": {"name": name, "namespace": "default",
                         "ownerReferences": [ref(o) for o in owners]}, "spec": spec}


def test_dependents_of_a_deleted_owner_are_deleted(c):
    owner = c.create(configmap("owner"))
    c.create(configmap("dep-1", owner))
    c.create(pod("dep-2", owner))
    c.delete("ConfigMap", "owner", "default")
    assert not c.exists("ConfigMap", "dep-1", "default")
    assert not c.exists("Pod", "dep-2", "default")


def test_deletion_cascades_through_generations(c):
    top = c.create(configmap("top"))
    middle = c.create(configmap("middle", top))
    c.create(pod("bottom", middle))
    c.delete("ConfigMap", "top", "default")
    assert c.api.list("Pod", "default") == []
    assert [o["metadata"]["name"] for o in c.api.list("ConfigMap", "default")] == [
        "kube-root-ca.crt"]


def test_a_dependent_with_a_live_owner_is_kept(c):
    a = c.create(configmap("a"))
    b = c.create(configmap("b"))
    c.create(pod("shared", a, b))
    c.delete("ConfigMap", "a", "default")
    assert c.exists("Pod", "shared", "default")
    c.delete("ConfigMap", "b", "default")
    assert not c.exists("Pod", "shared", "default")


def test_objects_without_owners_are_never_collected(c):
    owner = c.create(configmap("owner"))
    c.create(configmap("free"))
    c.create(configmap("dep", owner))
    c.delete("ConfigMap", "owner", "default")
    assert c.exists("ConfigMap", "free", "default")


def test_a_dependent_created_after_its_owner_is_gone_is_collected(c):
    owner = c.create(configmap("owner"))
    c.delete("ConfigMap", "owner", "default")
    c.create(configmap("late", owner))
    assert not c.exists("ConfigMap", "late", "default")


def test_an_owner_recreated_under_the_same_name_is_another_owner(c):
    old = c.create(configmap("owner"))
    c.delete("ConfigMap", "owner", "default")
    c.create(configmap("owner"))                    # same name, new uid
    c.create(configmap("dep", old))
    assert not c.exists("ConfigMap", "dep", "default")


def test_a_dependent_whose_owner_is_alive_at_creation_is_kept(c):
    owner = c.create(configmap("owner"))
    c.create(configmap("dep", owner))
    assert c.exists("ConfigMap", "dep", "default")


def test_cluster_scoped_owners_are_found_without_a_namespace(c):
    node = c.create({"apiVersion": "v1", "kind": "Node", "metadata": {"name": "n1"}})
    c.create(pod("mirror", node))
    assert c.exists("Pod", "mirror", "default")
    c.delete("Node", "n1")
    assert not c.exists("Pod", "mirror", "default")


def test_dependent_pods_on_nodes_terminate_gracefully(c):
    owner = c.create(configmap("owner"))
    c.create(pod("running", owner, node="n1"))
    c.delete("ConfigMap", "owner", "default")
    marked = c.api.get("Pod", "running", "default")
    assert marked["metadata"]["deletionGracePeriodSeconds"] == 30


def test_orphaned_dependents_are_kept(c):
    owner = c.create(configmap("owner"))
    c.create(configmap("dep", owner))
    c.delete("ConfigMap", "owner", "default", propagation="Orphan")
    dep = c.api.get("ConfigMap", "dep", "default")
    assert "ownerReferences" not in dep["metadata"]


def test_deleting_a_deployment_removes_its_replicasets_and_pods():
    cluster = Cluster()
    cluster.apply("""
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 2
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers: [{name: web, image: nginx}]
""")
    cluster.settle()
    assert len(cluster.api.list("ReplicaSet", "default")) == 1
    assert len(cluster.api.list("Pod", "default")) == 2
    cluster.kubectl("delete deployment web")
    assert cluster.settle().settled
    assert cluster.api.list("ReplicaSet", "default") == []
    assert cluster.api.list("Pod", "default") == []


def test_an_owner_of_an_unknown_kind_is_never_presumed_gone(c):
    dep = configmap("dep")
    dep["metadata"]["ownerReferences"] = [{"apiVersion": "batch/v1", "kind": "Job",
                                           "name": "backup", "uid": "1234"}]
    c.create(dep)
    assert c.exists("ConfigMap", "dep", "default")
