"""The API server verbs on a bare store: no controllers run here, so every effect
seen is the server's own (metadata stamping, namespaces, conflicts, deletion)."""
import copy
import random
import re

import pytest

from kubelearn.apiserver.errors import StatusError
from kubelearn.apiserver.server import NAME_ALPHABET, APIServer, qos_class
from kubelearn.apiserver.store import Store
from kubelearn.clock import Clock

UUID4 = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}")


def make_api(seed=0, namespaces=("default", "dev")):
    api = APIServer(Store(), Clock(), random.Random(seed))
    for ns in namespaces:
        api.create({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": ns}})
        api.create({"apiVersion": "v1", "kind": "ServiceAccount",
                    "metadata": {"name": "default", "namespace": ns}})
    return api


@pytest.fixture
def api():
    return make_api()


@pytest.fixture
def events(api):
    seen = []
    api.store.watch(seen.append)
    return seen


def configmap(name="cfg", namespace=None, data=None, **meta):
    metadata = {"name": name, **meta}
    if namespace:
        metadata["namespace"] = namespace
    return {"apiVersion": "v1", "kind": "ConfigMap", "metadata": metadata,
            "data": data if data is not None else {"k": "v"}}


def deployment(name="web", replicas=2, image="nginx", **meta):
    labels = {"app": name}
    return {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": name, **meta},
            "spec": {"replicas": replicas, "selector": {"matchLabels": labels},
                     "template": {"metadata": {"labels": labels},
                                  "spec": {"containers": [{"name": "web", "image": image}]}}}}


def pod(name="p", node=None, resources=None, containers=None, **meta):
    spec = {"containers": containers or [{"name": "web", "image": "nginx",
                                          **({"resources": resources} if resources else {})}]}
    if node:
        spec["nodeName"] = node
    return {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": name, **meta}, "spec": spec}


def status_error(call, *args, **kwargs) -> StatusError:
    with pytest.raises(StatusError) as info:
        call(*args, **kwargs)
    return info.value


# -- create --------------------------------------------------------------------

def test_create_stamps_server_metadata(api):
    api.clock.now = 75
    cm = api.create(configmap())
    meta = cm["metadata"]
    assert UUID4.fullmatch(meta["uid"])
    assert meta["creationTimestamp"] == "2025-06-02T09:01:15Z"
    assert int(meta["resourceVersion"]) == api.store.resource_version
    assert api.store.get("ConfigMap", "default", "cfg") is cm


def test_resource_versions_increase_with_every_create(api):
    a = api.create(configmap("a"))
    b = api.create(configmap("b"))
    assert int(b["metadata"]["resourceVersion"]) == int(a["metadata"]["resourceVersion"]) + 1


@pytest.mark.parametrize("obj, generation", [
    (deployment(), 1),
    (configmap(), None),
    (pod(), None),
])
def test_generation_only_for_workload_kinds(api, obj, generation):
    assert api.create(obj)["metadata"].get("generation") == generation


def test_generation_is_stamped_for_replicasets_and_daemonsets(api):
    template = deployment()["spec"]["template"]
    rs = {"apiVersion": "apps/v1", "kind": "ReplicaSet", "metadata": {"name": "rs"},
          "spec": {"replicas": 1, "selector": {"matchLabels": {"app": "web"}},
                   "template": template}}
    ds = {"apiVersion": "apps/v1", "kind": "DaemonSet", "metadata": {"name": "ds"},
          "spec": {"selector": {"matchLabels": {"app": "web"}}, "template": template}}
    assert api.create(rs)["metadata"]["generation"] == 1
    assert api.create(ds)["metadata"]["generation"] == 1


def test_server_metadata_in_the_request_is_ignored(api):
    cm = api.create(configmap(uid="mine", resourceVersion="999", generation=7,
                              creationTimestamp="2020-01-01T00:00:00Z"))
    meta = cm["metadata"]
    assert meta["uid"] != "mine" and meta["resourceVersion"] != "999"
    assert "generation" not in meta
    assert meta["creationTimestamp"] == "2025-06-02T09:00:00Z"


def test_uids_come_from_the_seed():
    first = make_api(seed=3).create(configmap())["metadata"]["uid"]
    again = make_api(seed=3).create(configmap())["metadata"]["uid"]
    other = make_api(seed=4).create(configmap())["metadata"]["uid"]
    assert first == again != other


def test_namespace_defaults_to_default(api):
    assert api.create(configmap())["metadata"]["namespace"] == "default"


def test_namespace_from_the_request(api):
    assert api.create(configmap(), "dev")["metadata"]["namespace"] == "dev"
    assert api.store.get("ConfigMap", "dev", "cfg") is not None


def test_namespace_in_the_object_matching_the_request_is_fine(api):
    assert api.create(configmap(namespace="dev"), "dev")["metadata"]["namespace"] == "dev"


def test_namespace_mismatch_is_bad_request(api):
    err = status_error(api.create, configmap(namespace="dev"), "default")
    assert (err.code, err.reason) == (400, "BadRequest")
    assert err.message == ("the namespace of the provided object does not match the namespace "
                           "sent on the request")


def test_missing_namespace_is_not_found():
    api = make_api(namespaces=("default",))
    err = status_error(api.create, configmap(namespace="dev"))
    assert (err.code, err.reason) == (404, "NotFound")
    assert err.message == 'namespaces "dev" not found'
    assert api.store.count("ConfigMap") == 0


def test_terminating_namespace_is_forbidden(api):
    api.create(configmap("keep"), "dev")        # not empty: stays Terminating
    api.delete("Namespace", "dev")
    err = status_error(api.create, deployment(), "dev")
    assert (err.code, err.reason) == (403, "Forbidden")
    assert err.message == ('deployments.apps "web" is forbidden: unable to create new content in '
                           "namespace dev because it is being terminated")


def test_cluster_scoped_objects_have_no_namespace(api):
    ns = api.create({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "prod"}},
                    "dev")
    assert "namespace" not in ns["metadata"]
    assert api.store.get("Namespace", "", "prod") is ns


def test_already_exists(api):
    api.create(deployment())
    err = status_error(api.create, deployment(replicas=5))
    assert (err.code, err.reason) == (409, "AlreadyExists")
    assert err.message == 'deployments.apps "web" already exists'
    assert api.get("Deployment", "web", "default")["spec"]["replicas"] == 2


def test_same_name_in_another_namespace_is_another_object(api):
    api.create(configmap())
    api.create(configmap(), "dev")
    assert api.store.count("ConfigMap") == 2


def test_generate_name(api):
    a = api.create({**configmap(), "metadata": {"generateName": "web-"}})
    b = api.create({**configmap(), "metadata": {"generateName": "web-"}})
    for obj in (a, b):
        name = obj["metadata"]["name"]
        assert name.startswith("web-") and len(name) == len("web-") + 5
        assert set(name[4:]) <= set(NAME_ALPHABET)
        assert obj["metadata"]["generateName"] == "web-"
    assert a["metadata"]["name"] != b["metadata"]["name"]


def test_a_name_wins_over_generate_name(api):
    cm = api.create({**configmap(), "metadata": {"name": "fixed", "generateName": "web-"}})
    assert cm["metadata"]["name"] == "fixed"


def test_unknown_kind(api):
    err = status_error(api.create, {"apiVersion": "c1", "kind": "PersistentVolume",
                                    "metadata": {"name": "pv"}})
    assert err.code == 404
    assert err.message == 'no matches for kind "PersistentVolume" in version "c1"'


def test_invalid_objects_are_refused_with_422(api):
    err = status_error(api.create, configmap("Bad_Name"))
    assert (err.code, err.reason, err.kind, err.name) == (422, "Invalid", "ConfigMap", "Bad_Name")
    assert err.message.startswith('The ConfigMap "Bad_Name" is invalid: metadata.name: ')
    assert api.store.get("ConfigMap", "default", "Bad_Name") is None


def test_initial_status_is_the_servers_not_the_requests(api):
    p = api.create({**pod(), "status": {"phase": "Running", "podIP": "1.2.3.4"}})
    assert p["status"] == {"phase": "Pending", "qosClass": "BestEffort"}
    d = api.create({**deployment(), "status": {"replicas": 5}})
    assert d["status"] == {}
    ns = api.get("Namespace", "dev")
    assert ns["status"] == {"phase": "Active"}


def test_a_node_keeps_the_status_it_registers_with(api):
    node = api.create({"apiVersion": "v1", "kind": "Node", "metadata": {"name": "n1"},
                       "status": {"addresses": [{"type": "InternalIP", "address": "10.0.0.1"}]}})
    assert node["status"]["addresses"] == [{"type": "InternalIP", "address": "10.0.0.1"}]


def test_dry_run_create_stores_nothing(api, events):
    cm = api.create(configmap(), dry_run=True)
    assert cm["metadata"]["name"] == "cfg"
    assert api.store.get("ConfigMap", "default", "cfg") is None
    assert events == []


def test_create_does_not_change_the_request(api):
    request = deployment()
    before = copy.deepcopy(request)
    api.create(request)
    assert request == before


# -- get / list ------------------------------------------------------------------

def test_get_not_found_names_the_resource(api):
    assert status_error(api.get, "Deployment", "web", "default").message == \
        'deployments.apps "web" not found'
    assert status_error(api.get, "Pod", "web", "default").message == 'pods "web" not found'


def test_get_cluster_scoped_ignores_the_namespace(api):
    assert api.get("Namespace", "dev", "default")["metadata"]["name"] == "dev"


def test_list_by_kind_and_namespace(api):
    api.create(configmap("b"))
    api.create(configmap("a"), "dev")
    assert [(o["metadata"]["namespace"], o["metadata"]["name"])
            for o in api.list("ConfigMap")] == [("default", "b"), ("dev", "a")]
    assert [o["metadata"]["name"] for o in api.list("ConfigMap", "dev")] == ["a"]
    assert [o["metadata"]["name"] for o in api.list("Namespace", "dev")] == ["default", "dev"]


# -- update ----------------------------------------------------------------------

def test_update_replaces_and_bumps_resource_version(api):
    cm = api.create(configmap())
    new = api.update(configmap(data={"k": "w"}))
    assert new["data"] == {"k": "w"}
    assert int(new["metadata"]["resourceVersion"]) > int(cm["metadata"]["resourceVersion"])
    assert new["metadata"]["uid"] == cm["metadata"]["uid"]
    assert new["metadata"]["creationTimestamp"] == cm["metadata"]["creationTimestamp"]


def test_update_with_a_stale_resource_version_is_a_conflict(api):
    cm = api.create(configmap())
    api.update(configmap(data={"k": "1"}))
    stale = {**cm, "data": {"k": "2"}}
    err = status_error(api.update, stale)
    assert (err.code, err.reason) == (409, "Conflict")
    assert err.message == ('Operation cannot be fulfilled on configmaps "cfg": the object has '
                           "been modified; please apply your changes to the latest version and "
                           "try again")
    assert api.get("ConfigMap", "cfg", "default")["data"] == {"k": "1"}


def test_update_with_the_current_resource_version_succeeds(api):
    cm = api.create(configmap())
    assert api.update({**cm, "data": {"k": "2"}})["data"] == {"k": "2"}


def test_a_no_op_update_writes_nothing(api, events):
    cm = api.create(configmap())
    events.clear()
    same = api.update(configmap())
    assert same is cm
    assert same["metadata"]["resourceVersion"] == cm["metadata"]["resourceVersion"]
    assert events == []


def test_update_cannot_change_server_metadata(api):
    cm = api.create(configmap())
    new = api.update({**configmap(data={"x": "y"}),
                      "metadata": {"name": "cfg", "uid": "forged",
                                   "creationTimestamp": "2020-01-01T00:00:00Z"}})
    assert new["metadata"]["uid"] == cm["metadata"]["uid"]
    assert new["metadata"]["creationTimestamp"] == cm["metadata"]["creationTimestamp"]


def test_update_of_a_missing_object_is_not_found(api):
    assert status_error(api.update, configmap("ghost")).message == 'configmaps "ghost" not found'


def test_update_keeps_the_status_the_controllers_wrote(api):
    api.create(deployment())
    api.update_status({**api.get("Deployment", "web", "default"),
                       "status": {"replicas": 2, "readyReplicas": 2}})
    body = {**deployment(replicas=3), "status": {"replicas": 99}}
    new = api.update(body)
    assert new["status"] == {"replicas": 2, "readyReplicas": 2}
    assert new["spec"]["replicas"] == 3


def test_generation_bumps_on_spec_changes_only(api):
    api.create(deployment())
    assert api.update(deployment(replicas=3))["metadata"]["generation"] == 2
    relabelled = api.update(deployment(replicas=3, labels={"team": "a"}))
    assert relabelled["metadata"]["generation"] == 2
    assert api.update(deployment(replicas=3, image="nginx:1.27", labels={"team": "a"})
                      )["metadata"]["generation"] == 3


def test_dry_run_update_stores_nothing(api):
    cm = api.create(configmap())
    result = api.update(configmap(data={"k": "dry"}), dry_run=True)
    assert result["data"] == {"k": "dry"}
    assert api.get("ConfigMap", "cfg", "default") is cm
    assert result["metadata"]["resourceVersion"] == cm["metadata"]["resourceVersion"]


# -- update_status ---------------------------------------------------------------

def test_update_status_writes_only_status(api):
    d = api.create(deployment())
    body = {**deployment(replicas=9, namespace="default"), "status": {"replicas": 2}}
    new = api.update_status(body)
    assert new["status"] == {"replicas": 2}
    assert new["spec"]["replicas"] == 2
    assert new["metadata"]["generation"] == 1
    assert int(new["metadata"]["resourceVersion"]) > int(d["metadata"]["resourceVersion"])


def test_update_status_without_change_keeps_the_resource_version(api):
    d = api.create(deployment())
    first = api.update_status({**d, "status": {"replicas": 1}})
    again = api.update_status({**d, "status": {"replicas": 1}})
    assert again is first


# -- patch -----------------------------------------------------------------------

def two_container_pod():
    return pod(containers=[{"name": "web", "image": "nginx"},
                           {"name": "log", "image": "busybox"}], labels={"app": "web"})


def test_strategic_patch_merges_containers_by_name(api):
    api.create(two_container_pod())
    new = api.patch("Pod", "p", "default",
                    {"spec": {"containers": [{"name": "log", "image": "busybox:1.36"}]}})
    assert [(c["name"], c["image"]) for c in new["spec"]["containers"]] == [
        ("web", "nginx"), ("log", "busybox:1.36")]


def test_merge_patch_replaces_lists(api):
    api.create(deployment())
    new = api.patch("Deployment", "web", "default",
                    {"spec": {"template": {"spec": {"containers": [
                        {"name": "api", "image": "httpd"}]}}}}, patch_type="merge")
    assert [c["name"] for c in new["spec"]["template"]["spec"]["containers"]] == ["api"]


def test_patch_merges_maps_and_null_deletes(api):
    api.create(configmap(labels={"a": "1", "b": "2"}))
    new = api.patch("ConfigMap", "cfg", "default",
                    {"metadata": {"labels": {"a": None, "c": "3"}}})
    assert new["metadata"]["labels"] == {"b": "2", "c": "3"}


def test_patch_bumps_generation_on_spec_change(api):
    api.create(deployment())
    assert api.patch("Deployment", "web", "default", {"spec": {"replicas": 5}}
                     )["metadata"]["generation"] == 2


def test_patch_ignores_a_stale_resource_version_in_the_live_object(api):
    api.create(configmap())
    api.update(configmap(data={"k": "1"}))
    assert api.patch("ConfigMap", "cfg", "default", {"data": {"k": "2"}})["data"] == {"k": "2"}


def test_patch_does_not_touch_the_previous_version(api):
    old = api.create(two_container_pod())
    snapshot = copy.deepcopy(old)
    api.patch("Pod", "p", "default", {"metadata": {"labels": {"app": "api"}},
                                      "spec": {"containers": [{"name": "web", "image": "x"}]}})
    assert old == snapshot


def test_patch_of_a_missing_object_is_not_found(api):
    err = status_error(api.patch, "Deployment", "ghost", "default", {"spec": {}})
    assert err.message == 'deployments.apps "ghost" not found'


# -- delete ----------------------------------------------------------------------

def test_an_unscheduled_pod_is_deleted_at_once(api, events):
    api.create(pod())
    events.clear()
    gone = api.delete("Pod", "p", "default")
    assert gone["metadata"]["name"] == "p"
    assert api.store.get("Pod", "default", "p") is None
    assert [e.type for e in events] == ["DELETED"]


def test_a_pod_on_a_node_terminates_gracefully(api):
    api.clock.now = 10
    api.create(pod(node="n1"))
    marked = api.delete("Pod", "p", "default")
    assert marked["metadata"]["deletionTimestamp"] == "2025-06-02T09:00:40Z"   # now + 30s
    assert marked["metadata"]["deletionGracePeriodSeconds"] == 30
    assert api.store.get("Pod", "default", "p") is marked
    api.finish_deletion("Pod", "p", "default")          # what the kubelet does at the end
    assert api.store.get("Pod", "default", "p") is None


def test_grace_period_from_the_request_or_the_spec(api):
    api.create(pod("a", node="n1"))
    assert api.delete("Pod", "a", "default", grace_period=5
                      )["metadata"]["deletionGracePeriodSeconds"] == 5
    p = pod("b", node="n1")
    p["spec"]["terminationGracePeriodSeconds"] = 3
    api.create(p)
    assert api.delete("Pod", "b", "default")["metadata"]["deletionGracePeriodSeconds"] == 3


def test_grace_period_zero_deletes_a_bound_pod_at_once(api):
    api.create(pod(node="n1"))
    api.delete("Pod", "p", "default", grace_period=0)
    assert api.store.get("Pod", "default", "p") is None


def test_a_finished_pod_is_deleted_at_once(api):
    api.create(pod(node="n1"))
    api.update_status({**api.get("Pod", "p", "default"), "status": {"phase": "Succeeded"}})
    api.delete("Pod", "p", "default")
    assert api.store.get("Pod", "default", "p") is None


def test_deleting_twice_returns_the_marked_object_unchanged(api):
    api.create(pod(node="n1"))
    first = api.delete("Pod", "p", "default")
    assert api.delete("Pod", "p", "default") is first


def test_dry_run_delete_keeps_the_object(api):
    api.create(configmap())
    api.delete("ConfigMap", "cfg", "default", dry_run=True)
    assert api.store.get("ConfigMap", "default", "cfg") is not None


def test_delete_missing_is_not_found(api):
    assert status_error(api.delete, "Service", "web", "default").message == \
        'services "web" not found'


def test_finalizers_hold_an_object_until_they_are_removed(api):
    api.create(configmap(finalizers=["example.com/keep"]))
    marked = api.delete("ConfigMap", "cfg", "default")
    assert marked["metadata"]["deletionTimestamp"] == "2025-06-02T09:00:00Z"
    assert api.store.get("ConfigMap", "default", "cfg") is marked
    meta = {k: v for k, v in marked["metadata"].items() if k != "finalizers"}
    api.write_metadata(marked, meta)
    assert api.store.get("ConfigMap", "default", "cfg") is None


def test_patching_away_the_last_finalizer_finishes_the_deletion(api):
    api.create(configmap(finalizers=["example.com/keep"]))
    api.delete("ConfigMap", "cfg", "default")
    api.patch("ConfigMap", "cfg", "default", {"metadata": {"finalizers": None}},
              patch_type="merge")
    assert api.store.get("ConfigMap", "default", "cfg") is None


def test_an_unscheduled_pod_with_a_finalizer_goes_when_the_finalizer_does(api):
    api.create(pod(finalizers=["example.com/keep"]))
    marked = api.delete("Pod", "p", "default")
    assert marked["metadata"]["deletionGracePeriodSeconds"] == 0
    api.write_metadata(marked, {k: v for k, v in marked["metadata"].items()
                                if k != "finalizers"})
    assert api.store.get("Pod", "default", "p") is None


def test_a_terminating_pod_on_a_node_waits_for_its_kubelet(api):
    api.create(pod(node="n1", finalizers=["example.com/keep"]))
    marked = api.delete("Pod", "p", "default")
    api.write_metadata(marked, {k: v for k, v in marked["metadata"].items()
                                if k != "finalizers"})
    assert api.store.get("Pod", "default", "p") is not None


def test_deleting_a_namespace_marks_it_terminating(api):
    ns = api.delete("Namespace", "dev")
    assert ns["status"]["phase"] == "Terminating"
    assert ns["metadata"]["deletionTimestamp"] == "2025-06-02T09:00:00Z"
    assert api.store.get("Namespace", "", "dev") is ns


def test_a_terminating_namespace_is_not_removed_by_an_update(api):
    api.delete("Namespace", "dev")
    api.patch("Namespace", "dev", "", {"metadata": {"labels": {"x": "y"}}})
    assert api.store.get("Namespace", "", "dev")["status"]["phase"] == "Terminating"


def owned_pod(name, *owners):
    p = pod(name)
    p["metadata"]["ownerReferences"] = [
        {"apiVersion": "v1", "kind": "ConfigMap", "name": o["metadata"]["name"],
         "uid": o["metadata"]["uid"]} for o in owners]
    return p


def test_orphan_propagation_removes_owner_references(api):
    owner = api.create(configmap("owner"))
    other = api.create(configmap("other"))
    api.create(owned_pod("only", owner))
    api.create(owned_pod("shared", owner, other))
    api.delete("ConfigMap", "owner", "default", propagation="Orphan")
    assert "ownerReferences" not in api.get("Pod", "only", "default")["metadata"]
    assert [r["name"] for r in api.get("Pod", "shared", "default")["metadata"]
            ["ownerReferences"]] == ["other"]
    assert api.store.dependents(owner["metadata"]["uid"]) == []


def test_background_propagation_leaves_dependents_to_the_garbage_collector(api):
    owner = api.create(configmap("owner"))
    api.create(owned_pod("only", owner))
    api.delete("ConfigMap", "owner", "default")
    assert api.get("Pod", "only", "default")["metadata"]["ownerReferences"][0]["name"] == "owner"


# -- bind --------------------------------------------------------------------------

def test_bind_sets_the_node_and_pod_scheduled(api):
    api.create(pod())
    bound = api.bind("p", "default", "n1")
    assert bound["spec"]["nodeName"] == "n1"
    assert [(c["type"], c["status"]) for c in bound["status"]["conditions"]] == [
        ("PodScheduled", "True")]
    err = status_error(api.bind, "p", "default", "n2")
    assert (err.code, err.message) == (409, 'pod p is already assigned to node "n1"')


# -- qos_class -------------------------------------------------------------------

def spec(*resources, init=()):
    return {"containers": [{"name": f"c{i}", "resources": r} for i, r in enumerate(resources)],
            "initContainers": [{"name": f"i{i}", "resources": r} for i, r in enumerate(init)]}


GUARANTEED = {"limits": {"cpu": "1", "memory": "1Gi"}, "requests": {"cpu": "1", "memory": "1Gi"}}


@pytest.mark.parametrize("pod_spec, qos", [
    (spec({}), "BestEffort"),
    (spec({}, {}), "BestEffort"),
    (spec({"requests": {"ephemeral-storage": "1Gi"}}), "BestEffort"),   # only cpu/memory count
    (spec({"requests": {"cpu": "0"}}), "BestEffort"),                    # zero does not count
    (spec({"requests": {"cpu": "100m"}}), "Burstable"),
    (spec({"limits": {"memory": "1Gi"}, "requests": {"memory": "1Gi"}}), "Burstable"),
    (spec(GUARANTEED), "Guaranteed"),
    (spec(GUARANTEED, GUARANTEED), "Guaranteed"),
    (spec(GUARANTEED, {}), "Burstable"),
    (spec({"limits": {"cpu": "1", "memory": "1Gi"},
           "requests": {"cpu": "1000m", "memory": "1024Mi"}}), "Guaranteed"),
    (spec({"limits": {"cpu": "1", "memory": "1Gi"},
           "requests": {"cpu": "500m", "memory": "1Gi"}}), "Burstable"),
    (spec(GUARANTEED, init=[{"requests": {"cpu": "1"}}]), "Burstable"),
    (spec({}, init=[GUARANTEED]), "Burstable"),
])
def test_qos_class(pod_spec, qos):
    assert qos_class(pod_spec) == qos


def test_a_created_pod_reports_its_qos_class(api):
    p = api.create(pod(resources={"limits": {"cpu": "500m", "memory": "128Mi"}}))
    assert p["status"]["qosClass"] == "Guaranteed"     # requests default to the limits
    b = api.create(pod("b", resources={"requests": {"cpu": "250m"}}))
    assert b["status"]["qosClass"] == "Burstable"


# -- the trusted internal write path and no-op detection ------------------------------

def test_create_built_stores_what_create_stores():
    import json

    def run(verb):
        api = make_api()
        event = {"kind": "Event", "apiVersion": "v1",
                 "metadata": {"name": "web.1", "namespace": "dev"},
                 "involvedObject": {"kind": "Pod", "namespace": "dev", "name": "web"},
                 "reason": "Created", "message": "made", "source": {"component": "kubelet"},
                 "firstTimestamp": None, "lastTimestamp": None, "count": 1, "type": "Normal",
                 "eventTime": None, "reportingComponent": "kubelet", "reportingInstance": ""}
        stored = api.create(event) if verb == "create" else \
            api.create_built(api.info_for(event), event)
        return json.dumps([stored, api.store.resource_version])

    assert run("create_built") == run("create")


def test_create_built_keeps_the_namespace_and_name_checks(api):
    from kubelearn.api.kinds import kind_info

    event = {"kind": "Event", "apiVersion": "v1", "metadata": {"name": "e", "namespace": "nope"}}
    with pytest.raises(StatusError) as err:
        api.create_built(kind_info("Event"), event)
    assert err.value.message == 'namespaces "nope" not found'
    api.create_built(kind_info("Event"), {**event, "metadata": {"name": "e", "namespace": "dev"}})
    with pytest.raises(StatusError) as err:
        api.create_built(kind_info("Event"), {**event, "metadata": {"name": "e",
                                                                     "namespace": "dev"}})
    assert err.value.message == 'events "e" already exists'


def test_update_built_writes_only_a_change(api):
    cm = api.create(configmap("cfg", "dev", {"a": "1"}))
    assert api.update_built(cm, {"data": {"a": "1"}}) is cm
    changed = api.update_built(cm, {"data": {"a": "2"}})
    assert changed["data"] == {"a": "2"}
    assert int(changed["metadata"]["resourceVersion"]) > int(cm["metadata"]["resourceVersion"])


def test_a_write_equal_but_for_its_resource_version_changes_nothing(api, events):
    cm = api.create(configmap("cfg", "dev", {"a": "1"}))
    before = len(events)
    stale = {**cm, "metadata": {**cm["metadata"], "resourceVersion": "999"}}
    assert api.write_metadata(cm, stale["metadata"]) is cm
    ns = api.get("Namespace", "dev")
    assert api.update_status(copy.deepcopy(ns)) is ns
    assert len(events) == before
    labelled = api.write_metadata(cm, {**cm["metadata"], "labels": {"x": "y"}})
    assert labelled["metadata"]["labels"] == {"x": "y"} and len(events) == before + 1
