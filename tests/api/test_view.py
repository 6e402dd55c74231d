"""ObjectView: a read-only, attribute-style copy of a stored object."""
import copy
import pickle

import pytest

from kubelearn.api.view import ObjectView

DEPLOYMENT = {
    "apiVersion": "apps/v1", "kind": "Deployment",
    "metadata": {"name": "web", "labels": {"app": "web"}},
    "spec": {"replicas": 3, "template": {"spec": {"containers": [
        {"name": "web", "image": "nginx", "ports": [{"containerPort": 80}]}]}}},
}


@pytest.fixture
def view():
    return ObjectView(copy.deepcopy(DEPLOYMENT))


def test_attribute_and_item_access(view):
    assert view.spec.replicas == 3
    assert view["spec"]["replicas"] == 3
    assert view.metadata.labels["app"] == "web"
    assert view.spec.template.spec.containers[0].ports[0].containerPort == 80


def test_missing_fields(view):
    with pytest.raises(AttributeError):
        view.status
    with pytest.raises(KeyError):
        view["status"]
    assert view.get("status") is None


def test_it_is_a_mapping(view):
    assert list(view) == ["apiVersion", "kind", "metadata", "spec"]
    assert len(view) == 4
    assert "spec" in view
    assert view == DEPLOYMENT
    assert dict(view.metadata.labels) == {"app": "web"}


def test_writes_are_refused(view):
    with pytest.raises(AttributeError, match="read-only; change them with kubectl"):
        view.kind = "Pod"
    with pytest.raises(AttributeError, match="read-only"):
        view.spec.replicas = 5
    with pytest.raises(TypeError):
        view["kind"] = "Pod"
    assert view.kind == "Deployment" and view.spec.replicas == 3


def test_the_view_is_a_copy_of_the_data():
    data = copy.deepcopy(DEPLOYMENT)
    view = ObjectView(data)
    data["spec"]["replicas"] = 9
    assert view.spec.replicas == 3


def test_changing_lists_read_from_a_view_changes_nothing(view):
    containers = view.spec.template.spec.containers
    containers.append({"name": "sidecar"})
    assert len(view.spec.template.spec.containers) == 1


def test_to_dict_is_a_deep_copy(view):
    data = view.to_dict()
    data["metadata"]["labels"]["app"] = "other"
    assert data["kind"] == "Deployment"
    assert view.metadata.labels["app"] == "web"


def test_copy_deepcopy_and_pickle(view):
    for clone in (copy.copy(view), copy.deepcopy(view), pickle.loads(pickle.dumps(view))):
        assert isinstance(clone, ObjectView)
        assert clone == view and clone.spec.replicas == 3


def test_private_names_are_not_fields(view):
    with pytest.raises(AttributeError):
        view._secret


def test_repr_is_yaml(view):
    text = repr(view)
    assert text.startswith("apiVersion: apps/v1\nkind: Deployment\nmetadata:\n")
    assert "  replicas: 3" in text
    assert not text.endswith("\n")
