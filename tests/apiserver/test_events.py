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


# -- the trusted internal write path ------------------------------------------------

class _AdmittedRecorder(EventRecorder):
    """The recorder as it was before the trusted path: every event through full admission."""

    def _create(self, event):
        return self._write(self.api.create, event)

    def _count_again(self, current, changes):
        return self._write(self.api.update, {**current, **changes})


def _record_all(recorder_cls):
    import json

    api = APIServer(Store(), Clock(), random.Random(0))
    for ns in ("default", "dev"):
        api.create({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": ns}})
    recorder = recorder_cls(api)
    pod = configmap(api, "web", "dev")
    node = api.create({"apiVersion": "v1", "kind": "Node", "metadata": {"name": "worker-1"}})
    recorder.record(pod, "Normal", "Pulling", 'Pulling image "nginx"', "kubelet",
                    host="worker-1", field_path="spec.containers{web}")
    recorder.record(node, "Normal", "Starting", "", "kubelet", host="worker-1")
    recorder.record(pod, "Warning", "FailedScheduling", "0/3 nodes are available: x.",
                    "default-scheduler")
    api.clock.now = 12.5
    recorder.record(pod, "Warning", "FailedScheduling", "0/3 nodes are available: x.",
                    "default-scheduler")
    recorder.record(node, "Normal", "Starting", "", "kubelet", host="worker-1")
    return json.dumps([api.list("Event"), api.store.resource_version])


def test_trusted_events_are_stored_exactly_as_admission_stores_them():
    """Same objects, same key order, same resourceVersions, uids and counts."""
    assert _record_all(EventRecorder) == _record_all(_AdmittedRecorder)


def test_an_event_name_that_fails_validation_is_dropped_as_before(api, recorder):
    long_name = "a" * 240
    obj = configmap(api, long_name)
    recorder.record(obj, "Normal", "Created", "made", "kubelet")
    assert api.list("Event", "default") == []


def test_events_into_a_terminating_namespace_are_dropped(api, recorder):
    obj = configmap(api, "web", "dev")
    api.delete("Namespace", "dev")
    recorder.record(obj, "Normal", "Created", "made", "kubelet")
    assert api.list("Event", "dev") == []
