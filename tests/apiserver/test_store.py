"""The object store: keys, etcd list order, label and owner indexes, watch events."""
import copy

import pytest

from kubelearn.api.selector import parse_selector
from kubelearn.apiserver.store import Store, WatchEvent, object_key


def pod(name, namespace="default", labels=None, owners=(), rv="1"):
    meta = {"name": name, "namespace": namespace, "resourceVersion": rv}
    if labels is not None:
        meta["labels"] = labels
    if owners:
        meta["ownerReferences"] = [{"apiVersion": "apps/v1", "kind": "ReplicaSet", "name": o,
                                    "uid": f"uid-{o}"} for o in owners]
    return {"apiVersion": "v1", "kind": "Pod", "metadata": meta}


def node(name):
    return {"apiVersion": "v1", "kind": "Node", "metadata": {"name": name}}


def names(objs):
    return [(o["metadata"].get("namespace", ""), o["metadata"]["name"]) for o in objs]


@pytest.fixture
def store():
    s = Store()
    for ns, name, labels in [("prod", "b", {"app": "web", "tier": "fe"}),
                             ("default", "z", {"app": "web"}),
                             ("default", "a", {"app": "db", "tier": "be"}),
                             ("dev", "m", {"app": "web", "tier": "be"}),
                             ("default", "k", {})]:
        s.put("Pod", pod(name, ns, labels))
    return s


def test_object_key_is_namespace_and_name_with_empty_namespace_for_cluster_kinds():
    assert object_key(pod("web", "dev")) == ("dev", "web")
    assert object_key(node("n1")) == ("", "n1")


def test_get_returns_the_stored_object_or_none():
    s = Store()
    obj = pod("web")
    s.put("Pod", obj)
    assert s.get("Pod", "default", "web") is obj          # a reference, no copy
    assert s.get("Pod", "dev", "web") is None
    assert s.get("Service", "default", "web") is None


def test_kinds_are_separate_namespaces_of_keys():
    s = Store()
    s.put("Pod", pod("web"))
    s.put("Service", {**pod("web"), "kind": "Service"})
    assert s.get("Pod", "default", "web")["kind"] == "Pod"
    assert s.get("Service", "default", "web")["kind"] == "Service"
    assert s.kinds() == ["Pod", "Service"]


def test_list_is_in_namespace_then_name_order(store):
    assert names(store.list("Pod")) == [("default", "a"), ("default", "k"), ("default", "z"),
                                        ("dev", "m"), ("prod", "b")]


def test_list_one_namespace(store):
    assert names(store.list("Pod", "default")) == [("default", "a"), ("default", "k"),
                                                   ("default", "z")]
    assert store.list("Pod", "nowhere") == []


def test_list_cluster_scoped_kind():
    s = Store()
    for n in ("worker-2", "control-plane", "worker-1"):
        s.put("Node", node(n))
    assert [o["metadata"]["name"] for o in s.list("Node")] == ["control-plane", "worker-1",
                                                              "worker-2"]


def test_count_and_kinds(store):
    assert store.count("Pod") == 5
    assert store.count("Node") == 0
    assert store.kinds() == ["Pod"]
    for o in store.list("Pod"):
        store.remove("Pod", o["metadata"]["namespace"], o["metadata"]["name"])
    assert store.kinds() == []


@pytest.mark.parametrize("text, expected", [
    ("app=web", [("default", "z"), ("dev", "m"), ("prod", "b")]),
    ("app=web,tier=be", [("dev", "m")]),
    ("app in (db)", [("default", "a")]),
    ("app in (db,web),tier", [("default", "a"), ("dev", "m"), ("prod", "b")]),
    ("tier", [("default", "a"), ("dev", "m"), ("prod", "b")]),
    ("!tier", [("default", "k"), ("default", "z")]),
    ("app!=web", [("default", "a"), ("default", "k")]),
    ("tier notin (fe)", [("default", "a"), ("default", "k"), ("default", "z"), ("dev", "m")]),
    ("app=cache", []),
    ("", [("default", "a"), ("default", "k"), ("default", "z"), ("dev", "m"), ("prod", "b")]),
])
def test_list_with_a_selector(store, text, expected):
    assert names(store.list("Pod", selector=parse_selector(text))) == expected


def test_list_with_a_selector_and_a_namespace(store):
    assert names(store.list("Pod", "default", parse_selector("app=web"))) == [("default", "z")]
    assert names(store.list("Pod", "dev", parse_selector("tier=be"))) == [("dev", "m")]


def test_selective_queries_only_look_at_indexed_candidates(store):
    # Objects outside the narrowest posting list are never handed to matches().
    seen = []

    class Spy:
        def __init__(self, selector):
            self.selector = selector

        def __getattr__(self, name):          # empty, index_terms, ... from the real one
            return getattr(self.selector, name)

        def matches(self, labels):
            seen.append(dict(labels))
            return self.selector.matches(labels)

    # app=web has three postings, tier=fe one; zone!=x has none and needs matches()
    result = store.list("Pod", selector=Spy(parse_selector("app=web,tier=fe,zone!=x")))
    assert names(result) == [("prod", "b")]
    assert seen == [{"app": "web", "tier": "fe"}]


def test_label_index_follows_relabelling():
    s = Store()
    s.put("Pod", pod("web", labels={"app": "web"}))
    s.put("Pod", pod("web", labels={"app": "api"}, rv="2"))
    assert s.list("Pod", selector=parse_selector("app=web")) == []
    assert names(s.list("Pod", selector=parse_selector("app=api"))) == [("default", "web")]
    s.put("Pod", pod("web", labels={}, rv="3"))
    assert s.list("Pod", selector=parse_selector("app")) == []
    assert s._by_label == {} and s._by_label_key == {}     # no empty postings left behind


def test_label_index_forgets_removed_objects(store):
    store.remove("Pod", "dev", "m")
    assert names(store.list("Pod", selector=parse_selector("tier=be"))) == [("default", "a")]


def test_label_index_is_per_kind():
    s = Store()
    s.put("Pod", pod("web", labels={"app": "web"}))
    s.put("Service", {**pod("web", labels={"app": "web"}), "kind": "Service"})
    s.remove("Service", "default", "web")
    assert names(s.list("Pod", selector=parse_selector("app=web"))) == [("default", "web")]
    assert s.list("Service", selector=parse_selector("app=web")) == []


def test_dependents_by_owner_uid_sorted():
    s = Store()
    s.put("Pod", pod("web-2", owners=["rs1"]))
    s.put("Pod", pod("web-1", owners=["rs1", "rs2"]))
    s.put("Pod", pod("other", owners=["rs2"]))
    assert s.dependents("uid-rs1") == [("Pod", "default", "web-1"), ("Pod", "default", "web-2")]
    assert s.dependents("uid-rs2") == [("Pod", "default", "other"), ("Pod", "default", "web-1")]
    assert s.dependents("uid-none") == []


def test_owner_index_follows_updates_and_removal():
    s = Store()
    s.put("Pod", pod("web-1", owners=["rs1"]))
    s.put("Pod", pod("web-1", rv="2"))                       # orphaned
    assert s.dependents("uid-rs1") == []
    s.put("Pod", pod("web-1", owners=["rs2"], rv="3"))
    assert s.dependents("uid-rs2") == [("Pod", "default", "web-1")]
    s.remove("Pod", "default", "web-1")
    assert s.dependents("uid-rs2") == []


def test_owner_references_without_uid_are_not_indexed():
    s = Store()
    obj = pod("web")
    obj["metadata"]["ownerReferences"] = [{"kind": "ReplicaSet", "name": "rs"}]
    s.put("Pod", obj)
    assert s._by_owner == {}


def test_watch_events_added_modified_deleted():
    s, events = Store(), []
    s.watch(events.append)
    v1 = pod("web", rv="1")
    v2 = pod("web", labels={"app": "web"}, rv="2")
    assert s.put("Pod", v1) == WatchEvent("ADDED", "Pod", v1, None)
    assert s.put("Pod", v2) == WatchEvent("MODIFIED", "Pod", v2, v1)
    assert s.remove("Pod", "default", "web") == WatchEvent("DELETED", "Pod", v2, v2)
    assert [(e.type, e.kind) for e in events] == [("ADDED", "Pod"), ("MODIFIED", "Pod"),
                                                  ("DELETED", "Pod")]
    assert events[1].old is v1 and events[1].obj is v2


def test_every_watcher_sees_every_event_in_registration_order():
    s, seen = Store(), []
    s.watch(lambda e: seen.append(("first", e.type)))
    s.watch(lambda e: seen.append(("second", e.type)))
    s.put("Pod", pod("web"))
    assert seen == [("first", "ADDED"), ("second", "ADDED")]


def test_removing_a_missing_object_is_a_no_op():
    s, events = Store(), []
    s.watch(events.append)
    assert s.remove("Pod", "default", "ghost") is None
    assert events == [] and s.resource_version == 0


def test_resource_version_counter():
    s = Store()
    assert s.resource_version == 0
    assert s.next_resource_version() == "1"
    assert s.next_resource_version() == "2"
    s.put("Pod", pod("web", rv="2"))          # put stores what it is given ...
    assert s.resource_version == 2            # ... the API server stamps versions
    s.remove("Pod", "default", "web")         # a delete is a write: it bumps the counter
    assert s.resource_version == 3
    assert s.next_resource_version() == "4"


def test_the_store_never_mutates_what_it_stores(store):
    snapshot = copy.deepcopy(store.list("Pod"))
    stored = store.list("Pod")
    store.put("Pod", pod("b", "prod", {"app": "api"}, rv="9"))
    store.remove("Pod", "default", "a")
    store.list("Pod", selector=parse_selector("app=web"))
    store.dependents("uid-x")
    assert stored == snapshot                  # the old versions are untouched


def test_put_stores_the_given_dict_without_changing_it():
    s = Store()
    obj = pod("web", labels={"app": "web"}, owners=["rs"])
    before = copy.deepcopy(obj)
    s.put("Pod", obj)
    assert obj == before


def test_list_returns_a_new_list_each_time(store):
    first = store.list("Pod", "default")
    first.clear()
    assert len(store.list("Pod", "default")) == 3


def test_a_write_that_keeps_labels_and_owners_keeps_the_indexes(store):
    store.put("Pod", pod("new", labels={"app": "web"}, owners=["rs1"]))
    status_only = {**pod("new", labels={"app": "web"}, owners=["rs1"], rv="2"),
                   "status": {"phase": "Running"}}
    store.put("Pod", status_only)
    assert names(store.list("Pod", "default", parse_selector("app=web"))) == [
        ("default", "new"), ("default", "z")]
    assert store.list("Pod", "default", parse_selector("app=web"))[0] is status_only
    assert store.dependents("uid-rs1") == [("Pod", "default", "new")]


def test_a_write_that_changes_labels_or_owners_moves_the_index_entries(store):
    store.put("Pod", pod("new", labels={"app": "web"}, owners=["rs1"]))
    store.put("Pod", pod("new", labels={"app": "cache"}, owners=["rs2"], rv="2"))
    assert names(store.list("Pod", "default", parse_selector("app=web"))) == [("default", "z")]
    assert names(store.list("Pod", "default", parse_selector("app=cache"))) == [
        ("default", "new")]
    assert store.dependents("uid-rs1") == []
    assert store.dependents("uid-rs2") == [("Pod", "default", "new")]
    store.put("Pod", pod("new", rv="3"))          # labels and owners gone
    assert store.list("Pod", "default", parse_selector("app=cache")) == []
    assert store.dependents("uid-rs2") == []
