"""JSON merge patch (RFC 7386), strategic merge patch, and apply's three-way patch."""
import copy

import pytest

from kubelearn.apiserver.patch import (json_merge_patch, merge_key, strategic_merge_patch,
                                       three_way_patch)

# -- RFC 7386, appendix A ----------------------------------------------------------


@pytest.mark.parametrize("target, patch, result", [
    ({"a": "b"}, {"a": "c"}, {"a": "c"}),
    ({"a": "b"}, {"b": "c"}, {"a": "b", "b": "c"}),
    ({"a": "b"}, {"a": None}, {}),
    ({"a": "b", "b": "c"}, {"a": None}, {"b": "c"}),
    ({"a": ["b"]}, {"a": "c"}, {"a": "c"}),
    ({"a": "c"}, {"a": ["b"]}, {"a": ["b"]}),
    ({"a": {"b": "c"}}, {"a": {"b": "d", "c": None}}, {"a": {"b": "d"}}),
    ({"a": [{"b": "c"}]}, {"a": [1]}, {"a": [1]}),
    (["a", "b"], ["c", "d"], ["c", "d"]),
    ({"a": "b"}, ["c"], ["c"]),
    ({"a": "foo"}, None, None),
    ({"a": "foo"}, "bar", "bar"),
    ({"e": None}, {"a": 1}, {"e": None, "a": 1}),
    ([1, 2], {"a": "b", "c": None}, {"a": "b"}),
    ({}, {"a": {"bb": {"ccc": None}}}, {"a": {"bb": {}}}),
])
def test_rfc7386_examples(target, patch, result):
    assert json_merge_patch(target, patch) == result


def test_json_merge_patch_changes_neither_input():
    target = {"a": {"b": [1, 2]}, "c": {"d": 1}}
    patch = {"a": {"b": [3]}, "c": {"d": None}}
    t0, p0 = copy.deepcopy(target), copy.deepcopy(patch)
    result = json_merge_patch(target, patch)
    result["a"]["b"].append(4)
    assert target == t0 and patch == p0


def test_json_merge_patch_replaces_container_lists():
    live = {"spec": {"containers": [{"name": "a", "image": "x"}, {"name": "b", "image": "y"}]}}
    patched = json_merge_patch(live, {"spec": {"containers": [{"name": "b", "image": "z"}]}})
    assert patched["spec"]["containers"] == [{"name": "b", "image": "z"}]


# -- merge keys ----------------------------------------------------------------------

@pytest.mark.parametrize("field, items, key", [
    ("containers", [], "name"),
    ("initContainers", [], "name"),
    ("env", [], "name"),
    ("volumeMounts", [], "mountPath"),
    ("volumes", [], "name"),
    ("ownerReferences", [], "uid"),
    ("conditions", [], "type"),
    ("ports", [{"containerPort": 80}], "containerPort"),
    ("ports", [{"port": 80, "targetPort": 8080}], "port"),
    ("args", ["a"], None),
    ("tolerations", [{"key": "k"}], None),
])
def test_merge_keys(field, items, key):
    assert merge_key(field, items) == key


# -- strategic merge patch -----------------------------------------------------------

def pod_spec(*containers):
    return {"spec": {"containers": list(containers)}}


def test_containers_merge_by_name():
    live = pod_spec({"name": "web", "image": "nginx", "imagePullPolicy": "Always"},
                    {"name": "log", "image": "busybox"})
    patched = strategic_merge_patch(live, pod_spec({"name": "web", "image": "nginx:1.27"}))
    assert patched["spec"]["containers"] == [
        {"name": "web", "image": "nginx:1.27", "imagePullPolicy": "Always"},
        {"name": "log", "image": "busybox"}]


def test_new_named_items_are_appended():
    live = pod_spec({"name": "web", "image": "nginx"})
    patched = strategic_merge_patch(live, pod_spec({"name": "log", "image": "busybox"}))
    assert [c["name"] for c in patched["spec"]["containers"]] == ["web", "log"]


def test_container_ports_merge_by_container_port():
    live = {"ports": [{"containerPort": 80, "protocol": "TCP"},
                      {"containerPort": 443, "protocol": "TCP"}]}
    patched = strategic_merge_patch(live, {"ports": [{"containerPort": 80, "name": "http"}]})
    assert patched["ports"] == [{"containerPort": 80, "protocol": "TCP", "name": "http"},
                                {"containerPort": 443, "protocol": "TCP"}]


def test_service_ports_merge_by_port():
    live = {"spec": {"ports": [{"port": 80, "targetPort": 8080, "protocol": "TCP"},
                               {"port": 443, "targetPort": 8443, "protocol": "TCP"}]}}
    patched = strategic_merge_patch(live, {"spec": {"ports": [{"port": 443, "nodePort": 30443}]}})
    assert patched["spec"]["ports"] == [
        {"port": 80, "targetPort": 8080, "protocol": "TCP"},
        {"port": 443, "targetPort": 8443, "protocol": "TCP", "nodePort": 30443}]


def test_env_merges_by_name():
    live = {"env": [{"name": "A", "value": "1"}, {"name": "B", "value": "2"}]}
    patched = strategic_merge_patch(live, {"env": [{"name": "B", "value": "3"},
                                                   {"name": "C", "value": "4"}]})
    assert patched["env"] == [{"name": "A", "value": "1"}, {"name": "B", "value": "3"},
                              {"name": "C", "value": "4"}]


def test_patch_delete_directive_removes_an_item():
    live = {"env": [{"name": "A", "value": "1"}, {"name": "B", "value": "2"}]}
    patched = strategic_merge_patch(live, {"env": [{"name": "A", "$patch": "delete"}]})
    assert patched["env"] == [{"name": "B", "value": "2"}]


def test_directives_never_reach_a_list_that_did_not_exist():
    patched = strategic_merge_patch({}, {"env": [{"name": "A", "$patch": "delete"},
                                                 {"name": "B", "value": "2"}]})
    assert patched == {"env": [{"name": "B", "value": "2"}]}


def test_patch_replace_directive_replaces_a_map():
    live = {"spec": {"selector": {"app": "web", "tier": "fe"}}}
    patched = strategic_merge_patch(live, {"spec": {"selector": {"$patch": "replace",
                                                                 "app": "api"}}})
    assert patched["spec"]["selector"] == {"app": "api"}


def test_lists_without_a_merge_key_are_replaced():
    live = {"args": ["-a", "-b"], "tolerations": [{"key": "x"}]}
    patched = strategic_merge_patch(live, {"args": ["-c"], "tolerations": [{"key": "y"}]})
    assert patched == {"args": ["-c"], "tolerations": [{"key": "y"}]}


def test_finalizers_merge_as_a_set():
    live = {"metadata": {"finalizers": ["a", "b"]}}
    patched = strategic_merge_patch(live, {"metadata": {"finalizers": ["b", "c"]}})
    assert patched["metadata"]["finalizers"] == ["a", "b", "c"]


def test_null_deletes_a_map_key():
    live = {"metadata": {"labels": {"a": "1", "b": "2"}}}
    assert strategic_merge_patch(live, {"metadata": {"labels": {"a": None}}}) == \
        {"metadata": {"labels": {"b": "2"}}}


def test_strategic_merge_patch_changes_neither_input():
    live = pod_spec({"name": "web", "image": "nginx", "env": [{"name": "A", "value": "1"}]})
    patch = pod_spec({"name": "web", "env": [{"name": "A", "value": "2"}]},
                     {"name": "new", "image": "x"})
    l0, p0 = copy.deepcopy(live), copy.deepcopy(patch)
    strategic_merge_patch(live, patch)
    assert live == l0 and patch == p0


# -- three-way patch (kubectl apply) -------------------------------------------------

def deployment(replicas=None, labels=None, containers=None, **spec):
    body = {"apiVersion": "apps/v1", "kind": "Deployment",
            "metadata": {"name": "web", "labels": labels or {"app": "web"}},
            "spec": {**spec, "template": {"spec": {
                "containers": containers or [{"name": "web", "image": "nginx"}]}}}}
    if replicas is not None:
        body["spec"]["replicas"] = replicas
    return body


def apply(original, modified, live):
    patch = three_way_patch(original, modified, live)
    return patch, strategic_merge_patch(live, patch)


def test_unchanged_manifest_gives_an_empty_patch():
    manifest = deployment(replicas=2)
    live = copy.deepcopy(manifest)
    live["spec"]["template"]["spec"]["containers"][0]["imagePullPolicy"] = "Always"
    live["status"] = {"replicas": 2}
    assert three_way_patch(manifest, manifest, live) == {}


def test_changed_fields_are_set():
    old, new = deployment(replicas=2), deployment(replicas=3)
    patch, result = apply(old, new, copy.deepcopy(old))
    assert patch == {"spec": {"replicas": 3}}
    assert result["spec"]["replicas"] == 3


def test_a_field_dropped_from_the_manifest_is_deleted_when_it_was_last_applied():
    old = deployment(replicas=2, minReadySeconds=5)
    new = deployment(replicas=2)
    patch, result = apply(old, new, copy.deepcopy(old))
    assert patch == {"spec": {"minReadySeconds": None}}
    assert "minReadySeconds" not in result["spec"]


def test_deletions_survive_next_to_changes_in_the_same_map():
    old = deployment(replicas=2, minReadySeconds=5, labels={"app": "web", "tier": "fe"})
    new = deployment(replicas=3, labels={"app": "web"})
    patch, result = apply(old, new, copy.deepcopy(old))
    assert patch == {"metadata": {"labels": {"tier": None}},
                     "spec": {"replicas": 3, "minReadySeconds": None}}
    assert result["spec"]["replicas"] == 3 and "minReadySeconds" not in result["spec"]
    assert result["metadata"]["labels"] == {"app": "web"}


def test_fields_set_by_others_survive():
    manifest = deployment(replicas=2)
    live = copy.deepcopy(manifest)
    live["spec"]["paused"] = True                              # kubectl rollout pause
    live["metadata"]["annotations"] = {"note": "kept"}         # kubectl annotate
    patch, result = apply(manifest, manifest, live)
    assert patch == {}
    assert result["spec"]["paused"] is True and result["metadata"]["annotations"] == {"note": "kept"}


def test_a_field_the_manifest_never_had_is_not_deleted_without_last_applied():
    manifest = deployment()                   # no replicas in the manifest
    live = deployment(replicas=5)             # kubectl scale --replicas=5
    patch, result = apply(None, manifest, live)
    assert patch == {}
    assert result["spec"]["replicas"] == 5


def test_reapplying_resets_a_field_the_manifest_sets():
    manifest = deployment(replicas=3)
    live = deployment(replicas=5)             # scaled by hand since the last apply
    patch, result = apply(manifest, manifest, live)
    assert patch == {"spec": {"replicas": 3}}
    assert result["spec"]["replicas"] == 3


def test_changing_one_container_keeps_server_defaults_of_the_others():
    old = deployment(containers=[{"name": "web", "image": "nginx"},
                                 {"name": "log", "image": "busybox"}])
    new = deployment(containers=[{"name": "web", "image": "nginx:1.27"},
                                 {"name": "log", "image": "busybox"}])
    live = copy.deepcopy(old)
    for c in live["spec"]["template"]["spec"]["containers"]:
        c["terminationMessagePath"] = "/dev/termination-log"
    _, result = apply(old, new, live)
    assert result["spec"]["template"]["spec"]["containers"] == [
        {"name": "web", "image": "nginx:1.27", "terminationMessagePath": "/dev/termination-log"},
        {"name": "log", "image": "busybox", "terminationMessagePath": "/dev/termination-log"}]


def test_a_container_dropped_from_the_manifest_is_deleted():
    old = deployment(containers=[{"name": "web", "image": "nginx"},
                                 {"name": "log", "image": "busybox"}])
    new = deployment(containers=[{"name": "web", "image": "nginx"}])
    _, result = apply(old, new, copy.deepcopy(old))
    assert [c["name"] for c in result["spec"]["template"]["spec"]["containers"]] == ["web"]


def test_an_env_var_dropped_from_the_manifest_is_deleted_and_the_rest_kept():
    env = [{"name": "A", "value": "1"}, {"name": "B", "value": "2"}]
    old = deployment(containers=[{"name": "web", "image": "nginx", "env": env}])
    new = deployment(containers=[{"name": "web", "image": "nginx", "env": env[:1]}])
    live = copy.deepcopy(old)
    live["spec"]["template"]["spec"]["containers"][0]["env"].append({"name": "C", "value": "3"})
    _, result = apply(old, new, live)
    assert result["spec"]["template"]["spec"]["containers"][0]["env"] == [
        {"name": "A", "value": "1"}, {"name": "C", "value": "3"}]


def test_a_field_dropped_from_a_kept_container_is_deleted():
    old = deployment(containers=[{"name": "web", "image": "nginx",
                                  "resources": {"limits": {"cpu": "1"}}}])
    new = deployment(containers=[{"name": "web", "image": "nginx"}])
    _, result = apply(old, new, copy.deepcopy(old))
    assert result["spec"]["template"]["spec"]["containers"] == [{"name": "web", "image": "nginx"}]


def test_three_way_patch_changes_none_of_its_inputs():
    # live has no strategy, so the patch takes the manifest's strategy map, and the
    # deletion of rollingUpdate lands in that same map
    old = deployment(replicas=2, minReadySeconds=5,
                     strategy={"type": "RollingUpdate", "rollingUpdate": {"maxSurge": 1}})
    new = deployment(replicas=3, strategy={"type": "Recreate"},
                     containers=[{"name": "web", "image": "x", "env": [{"name": "A"}]}])
    live = deployment(replicas=2, minReadySeconds=5)
    o0, n0, l0 = copy.deepcopy(old), copy.deepcopy(new), copy.deepcopy(live)
    three_way_patch(old, new, live)
    assert (old, new, live) == (o0, n0, l0)
