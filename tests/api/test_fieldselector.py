"""Field selectors (``kubelearn.api.fieldselector``): upstream's grammar and per-kind fields."""
import pytest

from kubelearn.api.fieldselector import FieldSelectorError, fields_of, parse_field_selector

POD = {"metadata": {"name": "web-1", "namespace": "shop"},
       "spec": {"nodeName": "minikube", "restartPolicy": "Always"},
       "status": {"phase": "Running", "podIP": "10.244.0.3", "podIPs": [{"ip": "10.244.0.3"}]}}
EVENT = {"metadata": {"name": "web-1.1", "namespace": "shop"},
         "involvedObject": {"kind": "Pod", "name": "web-1", "namespace": "shop"},
         "reason": "Unhealthy", "type": "Warning", "source": {"component": "kubelet"},
         "reportingComponent": "kubelet"}


def test_terms_are_sorted_and_printed_back():
    sel = parse_field_selector("status.phase!=Pending,metadata.name==web-1,")
    assert str(sel) == "metadata.name=web-1,status.phase!=Pending"
    assert [t.negated for t in sel.terms] == [False, True]


@pytest.mark.parametrize("text, matches", [
    ("", True), ("status.phase=Running", True), ("status.phase=Pending", False),
    ("spec.nodeName=minikube,metadata.namespace=shop", True), ("status.podIPs=10.244.0.3", True),
    ("spec.host=minikube", True), ("status.nominatedNodeName=", True),
    ("spec.hostNetwork=false", True), ("metadata.name!=web-1", False),
])
def test_pods_match_on_their_selectable_fields(text, matches):
    assert parse_field_selector(text).check("Pod").matches("Pod", POD) is matches


def test_events_select_on_the_involved_object_reason_type_and_source():
    sel = parse_field_selector("involvedObject.kind=Pod,involvedObject.name=web-1,type=Warning,"
                               "source=kubelet,reason=Unhealthy").check("Event")
    assert sel.matches("Event", EVENT)
    assert not sel.matches("Event", {**EVENT, "type": "Normal"})


def test_other_kinds_fields():
    assert fields_of("Node", {"metadata": {"name": "n"}, "spec": {"unschedulable": True}}) == \
        {"metadata.name": "n", "spec.unschedulable": "true"}
    assert fields_of("ReplicaSet", {"metadata": {"name": "rs"}})["status.replicas"] == "0"
    assert fields_of("Deployment", {"metadata": {"name": "d", "namespace": "x"}}) == \
        {"metadata.name": "d", "metadata.namespace": "x"}


@pytest.mark.parametrize("kind, text, message", [
    ("Pod", "foo=bar", "field label not supported: foo"),
    ("Node", "metadata.namespace=x", "field label not supported: metadata.namespace"),
    ("Deployment", "spec.replicas=2",
     '"spec.replicas" is not a known field selector: only "metadata.name", '
     '"metadata.namespace"'),
])
def test_fields_a_kind_cannot_select_on(kind, text, message):
    with pytest.raises(FieldSelectorError, match="^" + message.replace(".", r"\.") + "$"):
        parse_field_selector(text).check(kind)


@pytest.mark.parametrize("text, message", [
    ("status.phase", "invalid selector: 'status.phase'; can't understand 'status.phase'"),
    ("a=b=c", "invalid field selector: unescaped character in value: ="),
    ("a=b\\", "invalid field selector: invalid trailing escape sequence"),
    ("a=b\\x", "invalid field selector: invalid escape sequence: \\x"),
])
def test_parse_errors(text, message):
    with pytest.raises(FieldSelectorError) as info:
        parse_field_selector(text)
    assert str(info.value) == message


def test_escaped_commas_and_equals_are_part_of_the_value():
    sel = parse_field_selector(r"metadata.name=a\,b\=c")
    assert sel.terms[0].value == "a,b=c" and str(sel) == r"metadata.name=a\,b\=c"
