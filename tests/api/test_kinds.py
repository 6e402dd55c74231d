"""The kind registry: names, short names, groups, scopes and orders, declared once."""
import pytest

from kubelearn.api.kinds import (ALL_CATEGORY_ORDER, APPLY_ORDER, KINDS, api_groups_order,
                                 kind_info, kinds_in_category, lookup_kind, lookup_resource)

# Upstream's short names (kubectl api-resources on a 1.32 cluster).
SHORT_NAMES = {
    "cm": "ConfigMap", "ep": "Endpoints", "ev": "Event", "ns": "Namespace", "no": "Node",
    "pvc": "PersistentVolumeClaim", "pv": "PersistentVolume", "po": "Pod",
    "sa": "ServiceAccount", "svc": "Service", "ds": "DaemonSet", "deploy": "Deployment",
    "rs": "ReplicaSet", "sc": "StorageClass",
}


def test_short_names_are_upstreams():
    declared = {short: k.kind for k in KINDS for short in k.short_names}
    assert declared == SHORT_NAMES


@pytest.mark.parametrize("info", KINDS, ids=lambda k: k.kind)
def test_every_name_of_every_kind_resolves(info):
    names = [info.plural, info.singular, info.kind, info.kind.lower(), *info.short_names]
    if info.group:
        names += [f"{info.plural}.{info.group}", f"{info.singular}.{info.group}",
                  f"{info.plural}.{info.version}.{info.group}"]
    for name in names:
        assert lookup_resource(name) is info, name


@pytest.mark.parametrize("name, kind", [
    ("po", "Pod"), ("pods", "Pod"), ("Pod", "Pod"), ("PODS", "Pod"),
    ("deploy", "Deployment"), ("deployments.apps", "Deployment"), ("Deployment", "Deployment"),
    ("deployment.apps", "Deployment"), ("deploy.apps", "Deployment"),
    ("deployments.v1.apps", "Deployment"), ("svc", "Service"), ("ep", "Endpoints"),
    ("storageclasses.storage.k8s.io", "StorageClass"), ("secret", "Secret"),
])
def test_lookup_resource(name, kind):
    assert lookup_resource(name).kind == kind


@pytest.mark.parametrize("name", ["pod2", "deployments.extensions", "widgets", "", "cms"])
def test_unknown_resources(name):
    assert lookup_resource(name) is None


def test_lookup_kind_is_exact():
    assert lookup_kind("apps/v1", "Deployment").plural == "deployments"
    assert lookup_kind("v1", "Pod").plural == "pods"
    assert lookup_kind("storage.k8s.io/v1", "StorageClass").plural == "storageclasses"
    assert lookup_kind("v1", "Deployment") is None          # wrong group
    assert lookup_kind("apps/v1", "deployment") is None     # kinds are case-sensitive
    assert lookup_kind("c1", "PersistentVolume") is None    # the notes' typo


def test_kind_info_by_kind_name():
    assert kind_info("Pod").plural == "pods"
    with pytest.raises(KeyError):
        kind_info("pod")


@pytest.mark.parametrize("kind, api_version, resource_ref, display", [
    ("Pod", "v1", "pods", "pod"),
    ("Service", "v1", "services", "service"),
    ("PersistentVolumeClaim", "v1", "persistentvolumeclaims", "persistentvolumeclaim"),
    ("Deployment", "apps/v1", "deployments.apps", "deployment.apps"),
    ("ReplicaSet", "apps/v1", "replicasets.apps", "replicaset.apps"),
    ("StorageClass", "storage.k8s.io/v1", "storageclasses.storage.k8s.io",
     "storageclass.storage.k8s.io"),
])
def test_names_used_in_messages(kind, api_version, resource_ref, display):
    info = kind_info(kind)
    assert (info.api_version, info.resource_ref, info.display) == (
        api_version, resource_ref, display)


def test_cluster_scoped_kinds():
    assert sorted(k.kind for k in KINDS if not k.namespaced) == [
        "Namespace", "Node", "PersistentVolume", "StorageClass"]


def test_namespaces_cannot_be_deleted_as_a_collection():
    assert "deletecollection" not in kind_info("Namespace").verbs
    assert "deletecollection" in kind_info("Pod").verbs


def test_api_resources_order_is_group_then_plural():
    assert [k.plural for k in sorted(KINDS, key=api_groups_order)] == [
        "configmaps", "endpoints", "events", "namespaces", "nodes", "persistentvolumeclaims",
        "persistentvolumes", "pods", "secrets", "serviceaccounts", "services",
        "daemonsets", "deployments", "replicasets", "storageclasses"]


def test_the_all_category_in_get_all_order():
    assert [k.kind for k in kinds_in_category("all")] == list(ALL_CATEGORY_ORDER) == [
        "Pod", "Service", "DaemonSet", "Deployment", "ReplicaSet"]
    assert {k.kind for k in KINDS if "all" in k.categories} == set(ALL_CATEGORY_ORDER)
    assert kinds_in_category("nothing") == []


def test_apply_order_covers_every_kind_once_with_dependencies_first():
    assert sorted(APPLY_ORDER) == sorted(k.kind for k in KINDS)
    before = APPLY_ORDER.index
    assert before("Namespace") == 0
    assert before("ConfigMap") < before("Deployment")
    assert before("PersistentVolumeClaim") < before("Pod")
    assert before("StorageClass") < before("PersistentVolume")


def test_kinds_are_unique():
    assert len({k.kind for k in KINDS}) == len(KINDS)
    assert len({k.plural for k in KINDS}) == len(KINDS)
