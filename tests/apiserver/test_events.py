"""Events: recorded through the API server, deduplicated, listed for describe."""
import random
import re

import pytest

from kubelearn.apiserver.events import EventRecorder, events_for
from kubelearn.apiserver.server import APIServer
from kubelearn.apiserver.store import Store
from kubelearn.clock import EPOCH, Clock

UNIX_NANOS_AT_EPOCH = int(EPOCH.timestamp()) * 10 ** 9


@pytest.fixture
def api():
    api = APIServer(Store(), Clock(), random.Random(0))
    for ns in ("default", "dev"):
        api.create({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": ns}})
    return api


@pytest.fixture
def recorder(api):
    return EventRecorder(api)


def configmap(api, name="web", namespace="default"):
    return api.create({"apiVersion": "v1", "kind": "ConfigMap",
                       "metadata": {"name": name, "namespace": namespace}})


def test_an_event_describes_its_object(api, recorder):
    obj = configmap(api)
    api.clock.now = 7
    recorder.record(obj, "Normal", "Scheduled", "Successfully assigned", "default-scheduler",
                    host="node-1", field_path="spec.containers{web}")
    [event] = api.list("Event", "default")
    assert event["involvedObject"] == {
        "apiVersion": "v1", "kind": "ConfigMap", "name": "web", "namespace": "default",
        "uid": obj["metadata"]["uid"], "resourceVersion": obj["metadata"]["resourceVersion"],
        "fieldPath": "spec.containers{web}"}
    assert (event["type"], event["reason"], event["message"]) == (
        "Normal", "Scheduled", "Successfully assigned")
    assert event["source"] == {"component": "default-scheduler", "host": "node-1"}
    assert event["count"] == 1
    assert event["firstTimestamp"] == event["lastTimestamp"] == "2025-06-02T09:00:07Z"
    assert event["reportingComponent"] == "default-scheduler"
    assert event["reportingInstance"] == "node-1"


def test_event_names_are_the_object_name_and_hex_nanoseconds(api, recorder):
    obj = configmap(api)
    api.clock.now = 2
    recorder.record(obj, "Normal", "A", "first", "c")
    recorder.record(obj, "Normal", "B", "second", "c")
    names = [e["metadata"]["name"] for e in api.list("Event", "default")]
    base = UNIX_NANOS_AT_EPOCH + 2 * 10 ** 9
    assert names == [f"web.{base + 1:x}", f"web.{base + 2:x}"]
    assert all(re.fullmatch(r"web\.[0-9a-f]{16}", n) for n in names)


def test_a_repeated_event_is_counted_not_added(api, recorder):
    obj = configmap(api)
    recorder.record(obj, "Warning", "BackOff", "Back-off restarting", "kubelet", host="n1")
    api.clock.now = 40
    recorder.record(obj, "Warning", "BackOff", "Back-off restarting", "kubelet", host="n1")
    api.clock.now = 90
    recorder.record(obj, "Warning", "BackOff", "Back-off restarting", "kubelet", host="n1")
    [event] = api.list("Event", "default")
    assert event["count"] == 3
    assert event["firstTimestamp"] == "2025-06-02T09:00:00Z"
    assert event["lastTimestamp"] == "2025-06-02T09:01:30Z"


@pytest.mark.parametrize("change", [
    {"type_": "Normal"}, {"reason": "Failed"}, {"message": "other"}, {"component": "x"},
    {"host": "n2"}, {"field_path": "spec.containers{log}"},
])
def test_a_different_event_is_a_new_row(api, recorder, change):
    obj = configmap(api)
    base = dict(type_="Warning", reason="BackOff", message="m", component="kubelet", host="n1",
                field_path=None)
    recorder.record(obj, **base)
    recorder.record(obj, **{**base, **change})
    assert [e["count"] for e in api.list("Event", "default")] == [1, 1]


def test_a_deleted_event_is_recorded_afresh(api, recorder):
    obj = configmap(api)
    recorder.record(obj, "Normal", "A", "m", "c")
    [first] = api.list("Event", "default")
    api.delete("Event", first["metadata"]["name"], "default")
    recorder.record(obj, "Normal", "A", "m", "c")
    [again] = api.list("Event", "default")
    assert again["count"] == 1 and again["metadata"]["name"] != first["metadata"]["name"]


def test_events_about_cluster_scoped_objects_live_in_default(api, recorder):
    node = api.create({"apiVersion": "v1", "kind": "Node", "metadata": {"name": "n1"}})
    recorder.record(node, "Normal", "NodeReady", "Node n1 status is now: NodeReady", "kubelet",
                    host="n1")
    [event] = api.list("Event", "default")
    assert "namespace" not in event["involvedObject"]
    assert event["involvedObject"]["kind"] == "Node"


def test_events_in_a_terminating_namespace_are_dropped_not_raised(api, recorder):
    obj = configmap(api, namespace="dev")
    api.delete("Namespace", "dev")
    recorder.record(obj, "Normal", "Killing", "Stopping container web", "kubelet")
    assert api.list("Event", "dev") == []


def test_events_for_lists_one_objects_events_least_recently_seen_first(api, recorder):
    web, other = configmap(api), configmap(api, "other")
    recorder.record(web, "Normal", "Pulling", "pulling", "kubelet")        # t=0 (again at 10)
    api.clock.now = 5
    recorder.record(web, "Normal", "Pulled", "pulled", "kubelet")          # t=5
    recorder.record(other, "Normal", "Pulled", "pulled", "kubelet")
    api.clock.now = 10
    recorder.record(web, "Normal", "Pulling", "pulling", "kubelet")
    api.clock.now = 12
    recorder.record(web, "Normal", "Created", "created", "kubelet")        # t=12
    assert [(e["reason"], e["count"]) for e in events_for(api, web)] == [
        ("Pulled", 1), ("Pulling", 2), ("Created", 1)]
    assert [e["reason"] for e in events_for(api, other)] == ["Pulled"]


def test_events_for_ties_keep_the_order_they_happened(api, recorder):
    web = configmap(api)
    for reason in ("Scheduled", "Pulling", "Pulled", "Created", "Started"):
        recorder.record(web, "Normal", reason, reason.lower(), "kubelet")
    assert [e["reason"] for e in events_for(api, web)] == [
        "Scheduled", "Pulling", "Pulled", "Created", "Started"]


def test_events_for_ignores_a_previous_object_of_the_same_name(api, recorder):
    old = configmap(api)
    recorder.record(old, "Normal", "Old", "old", "c")
    api.delete("ConfigMap", "web", "default")
    new = configmap(api)
    recorder.record(new, "Normal", "New", "new", "c")
    assert [e["reason"] for e in events_for(api, new)] == ["New"]
