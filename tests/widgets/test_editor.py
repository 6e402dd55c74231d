"""The manifest editor: apply and delete through kubectl, errors shown and located."""
from __future__ import annotations

from kubelearn import Cluster
from kubelearn.widgets import ManifestEditor
from kubelearn.widgets.editor import locate_error

DEPLOYMENT = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 2
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
      - name: web
        image: nginx
"""
CONFIGMAP = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  mode: fast\n"


def test_apply_creates_the_objects(minikube):
    editor = ManifestEditor(minikube, DEPLOYMENT + "---\n" + CONFIGMAP)
    assert "kubelearn-editor" in editor.text_area._dom_classes
    editor.apply_button.click()
    assert editor.result.exit_code == 0
    assert editor.result.stdout == "deployment.apps/web created\nconfigmap/settings created\n"
    assert ('<pre class="kubelearn-pre kubelearn-stdout">deployment.apps/web created\n'
            "configmap/settings created\n</pre>") in editor.output.value
    assert minikube.api.get("Deployment", "web", "default")["spec"]["replicas"] == 2
    assert editor.error_line is None
    minikube.advance(30)
    assert len(minikube.api.list("Pod", "default")) == 2


def test_apply_again_then_delete(minikube):
    editor = ManifestEditor(minikube, CONFIGMAP)
    editor.apply()
    editor.apply_button.click()
    assert editor.result.stdout == "configmap/settings unchanged\n"
    editor.delete_button.click()
    assert editor.command == "kubectl delete -f -"
    assert editor.result.stdout == 'configmap "settings" deleted\n'
    assert minikube.store.get("ConfigMap", "default", "settings") is None


def test_output_is_exactly_what_kubectl_printed(minikube):
    editor = ManifestEditor(minikube, DEPLOYMENT.replace("replicas:", "replica:"))
    editor.apply_button.click()
    expected = Cluster.minikube().kubectl("apply -f -", stdin=editor.text)
    assert (editor.result.stdout, editor.result.stderr, editor.result.exit_code) == \
        (expected.stdout, expected.stderr, expected.exit_code)


def test_unknown_field_error_and_its_line(minikube):
    editor = ManifestEditor(minikube, DEPLOYMENT.replace("replicas:", "replica:"))
    editor.apply_button.click()
    message = ('Error from server (BadRequest): error when creating "STDIN": Deployment in '
               'version "v1" cannot be handled as a Deployment: strict decoding error: '
               'unknown field "spec.replica"\n')
    assert editor.result.stderr == message
    assert f'<pre class="kubelearn-pre kubelearn-stderr">{message}</pre>' in editor.output.value
    assert editor.error_line == 6
    assert '<span class="kubelearn-marked">&gt; 6 |   replica: 2</span>' in editor.output.value
    assert "kubelearn-editor-error-lines" in editor.output.value


def test_unknown_field_in_a_list_item(minikube):
    text = ("apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n"
            "  - name: a\n    image: nginx\n  - name: b\n    imag: nginx\n")
    editor = ManifestEditor(minikube, text)
    editor.apply()
    assert 'unknown field "spec.containers[1].imag"' in editor.result.stderr
    assert editor.error_line == 10


def test_yaml_error_marks_the_line_kubectl_names(minikube):
    text = ("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n---\n"
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: b\ndata:\n  x: [1\n")
    editor = ManifestEditor(minikube, text)
    editor.apply_button.click()
    assert editor.result.stdout == "configmap/a created\n"
    assert "error converting YAML to JSON: yaml: line 6: did not find expected ',' or ']'" \
        in editor.result.stderr
    # line 6 of the broken (second) document is line 11 of the text
    assert editor.error_line == 11
    assert '<span class="kubelearn-marked">&gt; 11 |   x: [1</span>' in editor.output.value
    assert "<span>  10 | data:</span>" in editor.output.value


def test_yaml_scanner_error(minikube):
    text = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n\tdata: 1\n"
    editor = ManifestEditor(minikube, text)
    editor.apply()
    assert "yaml: line 5: found character that cannot start any token" in editor.result.stderr
    assert editor.error_line == 5


def test_errors_without_a_line_mark_nothing(minikube):
    editor = ManifestEditor(minikube, "kind: ConfigMap\nmetadata:\n  name: x\n")
    editor.apply()
    assert editor.result.exit_code == 1
    assert editor.error_line is None
    assert "kubelearn-editor-error-lines" not in editor.output.value
    assert locate_error("", "error: no objects passed to apply\n") is None


def test_apply_refreshes_a_dashboard(minikube):
    dashboard = minikube.dashboard()
    editor = ManifestEditor(minikube, DEPLOYMENT)
    editor.apply()
    assert 'data-key="default/web"' in dashboard.table("Deployment").value
    assert repr(editor) == "<ManifestEditor 'minikube': 17 lines>"
