"""StatusError and its constructors: the codes, reasons and messages kubectl prints."""
import pytest

from kubelearn.apiserver import errors
from kubelearn.apiserver.errors import StatusError


def test_a_status_error_is_an_exception_with_code_reason_and_message():
    err = StatusError(404, "NotFound", 'pods "web" not found', name="web", kind="pods")
    assert isinstance(err, Exception)
    assert str(err) == 'pods "web" not found'
    assert (err.code, err.reason, err.message, err.name, err.kind) == (
        404, "NotFound", 'pods "web" not found', "web", "pods")
    assert err.causes == []


def test_repr():
    assert repr(StatusError(400, "BadRequest", "nope")) == "StatusError(400, 'BadRequest', 'nope')"


def test_causes_are_copied():
    causes = [{"field": "spec"}]
    err = StatusError(422, "Invalid", "m", causes=causes)
    causes.append({"field": "other"})
    assert err.causes == [{"field": "spec"}]


def test_status_object_with_details():
    err = StatusError(404, "NotFound", 'deployments.apps "web" not found', name="web",
                      kind="deployments")
    assert err.status() == {
        "apiVersion": "v1", "kind": "Status", "metadata": {}, "status": "Failure",
        "message": 'deployments.apps "web" not found', "reason": "NotFound", "code": 404,
        "details": {"name": "web", "kind": "deployments"}}


def test_status_object_without_details():
    assert "details" not in StatusError(400, "BadRequest", "bad").status()


@pytest.mark.parametrize("err, code, reason, message", [
    (errors.not_found("deployments.apps", "web"), 404, "NotFound",
     'deployments.apps "web" not found'),
    (errors.not_found("namespaces", "dev"), 404, "NotFound", 'namespaces "dev" not found'),
    (errors.already_exists("services", "web"), 409, "AlreadyExists",
     'services "web" already exists'),
    (errors.conflict("deployments.apps", "web"), 409, "Conflict",
     'Operation cannot be fulfilled on deployments.apps "web": the object has been modified; '
     "please apply your changes to the latest version and try again"),
    (errors.bad_request("the namespace of the provided object does not match"), 400,
     "BadRequest", "the namespace of the provided object does not match"),
    (errors.forbidden('pods "x" is forbidden: no'), 403, "Forbidden",
     'pods "x" is forbidden: no'),
])
def test_constructors(err, code, reason, message):
    assert (err.code, err.reason, err.message) == (code, reason, message)


def test_named_errors_carry_the_name():
    assert errors.not_found("pods", "a").name == "a"
    assert errors.already_exists("pods", "b").name == "b"
    assert errors.conflict("pods", "c").name == "c"


def test_invalid_carries_kind_name_and_causes():
    causes = [{"reason": "FieldValueRequired", "message": "Required value",
               "field": "spec.selector"}]
    err = errors.invalid("Deployment", "web", 'The Deployment "web" is invalid: spec.selector: '
                         "Required value", causes)
    assert (err.code, err.reason, err.kind, err.name) == (422, "Invalid", "Deployment", "web")
    assert err.causes == causes
    assert err.status()["details"] == {"name": "web", "kind": "Deployment"}
