"""``kubectl apply -f`` (``kubelearn.kubectl.cmd_apply``): client-side apply, its
annotation, partial success, and the error acceptance list of the course.

Messages follow kubectl-reference.md §1.4/§11 and upstream pkg/cmd/apply
(apply.go, patcher.go); the YAML and mapping errors were captured from real
kubectl 1.32.
"""
from __future__ import annotations

import json

import pytest

LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration"
MISSING_ANNOTATION = (
    "Warning: resource {}/{} is missing the kubectl.kubernetes.io/last-applied-configuration "
    "annotation which is required by kubectl apply. kubectl apply should only be used on "
    "resources created declaratively by either kubectl create --save-config or kubectl apply. "
    "The missing annotation will be patched automatically.\n")

# The notes' Service with a typo: "target port" instead of targetPort.
SERVICE_WITH_TYPO = """\
apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  selector:
    app: web
  ports:
  - port: 80
    target port: 8080
"""

POD_C1 = """\
apiVersion: c1
kind: Pod
metadata:
  name: web
spec:
  containers:
  - name: web
    image: nginx
"""

WEB_APP = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: Web_App
spec:
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
      - name: nginx
        image: nginx
"""

BROKEN_YAML = """\
apiVersion: v1
kind: ConfigMap
metadata:
  name: broken
data:
  color: blue
  size: : big
"""


def run(cluster, line, stdin=None):
    result = cluster.kubectl(line, stdin=stdin)
    return result.stdout, result.stderr, result.exit_code


def live(cluster, kind, name, namespace="default"):
    return cluster.api.get(kind, name, namespace)


# --- created, unchanged, configured -------------------------------------------------------

def test_created_unchanged_configured(cluster, files, manifests):
    files("web.yaml", manifests.WEB_DEPLOYMENT)
    assert run(cluster, "apply -f web.yaml") == ("deployment.apps/web created\n", "", 0)
    assert run(cluster, "apply -f web.yaml") == ("deployment.apps/web unchanged\n", "", 0)
    files("web.yaml", manifests.WEB_DEPLOYMENT.replace("nginx:1.25", "nginx:1.26"))
    assert run(cluster, "apply -f web.yaml") == ("deployment.apps/web configured\n", "", 0)
    image = live(cluster, "Deployment", "web")["spec"]["template"]["spec"]["containers"][0]
    assert image["image"] == "nginx:1.26"
    assert image["imagePullPolicy"] == "IfNotPresent"         # server defaults survive the merge
    assert run(cluster, "apply -f web.yaml") == ("deployment.apps/web unchanged\n", "", 0)


def test_last_applied_annotation_is_kubectls_exact_json(cluster, files, manifests):
    files("web.yaml", manifests.WEB_DEPLOYMENT)
    cluster.kubectl("apply -f web.yaml")
    assert live(cluster, "Deployment", "web")["metadata"]["annotations"][LAST_APPLIED] == (
        '{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"annotations":{},"name":"web",'
        '"namespace":"default"},"spec":{"replicas":2,"selector":{"matchLabels":{"app":"web"}},'
        '"template":{"metadata":{"labels":{"app":"web"}},"spec":{"containers":[{"image":'
        '"nginx:1.25","name":"nginx","ports":[{"containerPort":80}]}]}}}}\n')


def test_last_applied_keeps_other_annotations_and_cluster_scoped_has_no_namespace(cluster):
    cluster.kubectl("apply -f -", stdin="apiVersion: v1\nkind: Namespace\nmetadata:\n  name: dev\n"
                                        "  annotations:\n    owner: team-a & <b>\n")
    annotations = live(cluster, "Namespace", "dev", "")["metadata"]["annotations"]
    assert annotations["owner"] == "team-a & <b>"
    assert annotations[LAST_APPLIED] == (
        '{"apiVersion":"v1","kind":"Namespace","metadata":{"annotations":{"owner":"team-a '
        '\\u0026 \\u003cb\\u003e"},"name":"dev"}}\n')


def test_configured_after_drift_like_kubectl_scale(cluster, files, manifests):
    files("web.yaml", manifests.WEB_DEPLOYMENT)
    cluster.kubectl("apply -f web.yaml")
    cluster.api.patch("Deployment", "web", "default", {"spec": {"replicas": 5}})
    assert run(cluster, "apply -f web.yaml") == ("deployment.apps/web configured\n", "", 0)
    assert live(cluster, "Deployment", "web")["spec"]["replicas"] == 2


def test_fields_set_by_others_survive_if_the_manifest_never_set_them(cluster, files, manifests):
    files("cm.yaml", manifests.APP_CONFIG)
    cluster.kubectl("apply -f cm.yaml")
    cluster.kubectl("label cm app-config team=a")
    assert run(cluster, "apply -f cm.yaml") == ("configmap/app-config unchanged\n", "", 0)
    assert live(cluster, "ConfigMap", "app-config")["metadata"]["labels"] == {"team": "a"}
    files("cm.yaml", manifests.APP_CONFIG.replace("  color: blue\n", "  size: big\n"))
    assert run(cluster, "apply -f cm.yaml") == ("configmap/app-config configured\n", "", 0)
    assert live(cluster, "ConfigMap", "app-config")["data"] == {"size": "big"}   # color removed


def test_apply_after_create_warns_then_configures(cluster, files, manifests):
    files("app.yaml", manifests.APP_CONFIG + "---\n" + manifests.WEB_SERVICE)
    cluster.kubectl("create -f app.yaml")
    assert run(cluster, "apply -f app.yaml") == (
        "configmap/app-config configured\nservice/web configured\n",
        MISSING_ANNOTATION.format("configmaps", "app-config")
        + MISSING_ANNOTATION.format("services", "web"), 0)
    assert run(cluster, "apply -f app.yaml") == (
        "configmap/app-config unchanged\nservice/web unchanged\n", "", 0)


def test_each_warning_comes_before_the_line_of_its_object(cluster, files, manifests):
    """apply.go warns on ErrOut before patching, then prints the object's line on Out:
    ``chunks`` keeps that order so a notebook shows it as a terminal does."""
    files("app.yaml", manifests.APP_CONFIG + "---\n" + manifests.WEB_SERVICE)
    cluster.kubectl("create -f app.yaml")
    result = cluster.kubectl("apply -f app.yaml")
    assert result.chunks == (
        ("stderr", MISSING_ANNOTATION.format("configmaps", "app-config")),
        ("stdout", "configmap/app-config configured\n"),
        ("stderr", MISSING_ANNOTATION.format("services", "web")),
        ("stdout", "service/web configured\n"))
    assert result.pieces() == result.chunks


def test_apply_after_create_deployment_resource_name_in_the_warning(cluster, files, manifests):
    files("web.yaml", manifests.WEB_DEPLOYMENT)
    cluster.kubectl("create -f web.yaml")
    stdout, stderr, code = run(cluster, "apply -f web.yaml")
    assert (stdout, stderr, code) == ("deployment.apps/web configured\n",
                                      MISSING_ANNOTATION.format("deployments", "web"), 0)


def test_stdin_and_cluster_apply(cluster, manifests):
    assert run(cluster, "apply -f -", manifests.APP_CONFIG) == (
        "configmap/app-config created\n", "", 0)
    assert cluster.apply(manifests.APP_CONFIG).stdout == "configmap/app-config unchanged\n"


def test_a_directory_in_lexical_order(cluster, files, manifests):
    files("k8s/2-service.yaml", manifests.WEB_SERVICE)
    files("k8s/1-deployment.yml", manifests.WEB_DEPLOYMENT)
    files("k8s/0-config.json", json.dumps({"apiVersion": "v1", "kind": "ConfigMap",
                                            "metadata": {"name": "cfg"}}))
    files("k8s/README.md", "# not a manifest")
    files("k8s/more/3-more.yaml", manifests.APP_CONFIG)
    assert run(cluster, "apply -f k8s") == (
        "configmap/cfg created\ndeployment.apps/web created\nservice/web created\n", "", 0)
    assert run(cluster, "apply -R -f k8s/") == (
        "configmap/cfg unchanged\ndeployment.apps/web unchanged\nservice/web unchanged\n"
        "configmap/app-config created\n", "", 0)


def test_several_files(cluster, files, manifests):
    files("a.yaml", manifests.APP_CONFIG)
    files("b.yaml", manifests.WEB_SERVICE)
    assert run(cluster, "apply -f b.yaml -f a.yaml") == (
        "service/web created\nconfigmap/app-config created\n", "", 0)


def test_namespaces(cluster, files, manifests):
    cluster.kubectl("create ns dev")
    files("cm.yaml", manifests.APP_CONFIG)
    assert run(cluster, "apply -f cm.yaml -n dev")[2] == 0
    assert live(cluster, "ConfigMap", "app-config", "dev")
    annotation = json.loads(live(cluster, "ConfigMap", "app-config", "dev")["metadata"][
        "annotations"][LAST_APPLIED])
    assert annotation["metadata"]["namespace"] == "dev"
    result = run(cluster, "apply -f cm.yaml -n nope")
    assert result == ("", 'Error from server (NotFound): error when creating "cm.yaml": '
                          'namespaces "nope" not found\n', 1)


def test_dry_runs(cluster, files, manifests, snapshot):
    files("web.yaml", manifests.WEB_DEPLOYMENT)
    before = snapshot(cluster)
    assert run(cluster, "apply -f web.yaml --dry-run=client") == (
        "deployment.apps/web created (dry run)\n", "", 0)
    assert run(cluster, "apply -f web.yaml --dry-run=server") == (
        "deployment.apps/web created (server dry run)\n", "", 0)
    assert snapshot(cluster)[:2] == before[:2]
    cluster.kubectl("apply -f web.yaml")
    files("web.yaml", manifests.WEB_DEPLOYMENT.replace("replicas: 2", "replicas: 3"))
    assert run(cluster, "apply -f web.yaml --dry-run=client") == (
        "deployment.apps/web configured (dry run)\n", "", 0)
    assert run(cluster, "apply -f web.yaml --dry-run=server") == (
        "deployment.apps/web configured (server dry run)\n", "", 0)
    assert live(cluster, "Deployment", "web")["spec"]["replicas"] == 2


def test_output_formats(cluster, manifests):
    assert run(cluster, "apply -f - -o name", manifests.APP_CONFIG) == (
        "configmap/app-config\n", "", 0)
    assert run(cluster, "apply -f - -o jsonpath={.data.color}", manifests.APP_CONFIG) == (
        "blue", "", 0)
    stdout, stderr, code = run(cluster, "apply -f - -o wide", manifests.APP_CONFIG)
    assert (stdout, code) == ("", 1)
    assert stderr.startswith('error: unable to match a printer suitable for the output format '
                             '"wide", allowed formats are: go-template,')


def test_refusals(cluster, manifests):
    assert run(cluster, "apply") == ("", "error: must specify one of -f and -k\n", 1)
    assert run(cluster, "apply -f - --server-side", manifests.APP_CONFIG)[1].startswith(
        "error: kubelearn supports client-side apply only")
    assert run(cluster, "apply -f -", "") == ("", "error: no objects passed to apply\n", 1)


# --- partial success ----------------------------------------------------------------------

def test_multi_document_with_an_unknown_kind_applies_the_others(cluster, files, manifests):
    files("app.yaml", manifests.APP_CONFIG + "---\n" + POD_C1 + "---\n" + manifests.WEB_SERVICE)
    assert run(cluster, "apply -f app.yaml") == (
        "configmap/app-config created\nservice/web created\n",
        'error: resource mapping not found for name: "web" namespace: "" from "app.yaml": no '
        'matches for kind "Pod" in version "c1"\nensure CRDs are installed first\n', 1)


def test_multi_document_with_a_yaml_error_applies_what_came_before(cluster, files, manifests):
    files("app.yaml", manifests.APP_CONFIG + "---\n" + BROKEN_YAML + "---\n"
          + manifests.WEB_SERVICE)
    assert run(cluster, "apply -f app.yaml") == (
        "configmap/app-config created\n",
        "error: error parsing app.yaml: error converting YAML to JSON: yaml: line 7: mapping "
        "values are not allowed in this context\n", 1)
    assert cluster.kubectl("get svc web").exit_code == 1        # after the break: not applied


def test_reading_errors_come_before_apply_errors(cluster, files, manifests):
    files("a.yaml", manifests.APP_CONFIG.replace("app-config", "Bad_Name") + "---\n" + POD_C1)
    files("b.yaml", BROKEN_YAML)
    files("c.yaml", SERVICE_WITH_TYPO)
    stdout, stderr, code = run(cluster, "apply -f a.yaml -f b.yaml -f c.yaml")
    assert (stdout, code) == ("", 1)
    assert stderr == (
        '[resource mapping not found for name: "web" namespace: "" from "a.yaml": no matches for '
        'kind "Pod" in version "c1"\nensure CRDs are installed first, error parsing b.yaml: error '
        "converting YAML to JSON: yaml: line 7: mapping values are not allowed in this context]\n"
        'Error from server (Invalid): error when creating "a.yaml": ConfigMap "Bad_Name" is '
        'invalid: metadata.name: Invalid value: "Bad_Name": a lowercase RFC 1123 subdomain must '
        "consist of lower case alphanumeric characters, '-' or '.', and must start and end with "
        "an alphanumeric character (e.g. 'example.com', regex used for validation is "
        "'[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')\n"
        'Error from server (BadRequest): error when creating "c.yaml": Service in version "v1" '
        'cannot be handled as a Service: strict decoding error: unknown field '
        '"spec.ports[0].target port"\n')


def test_invalid_change_to_an_existing_object(cluster, files, manifests, snapshot):
    files("web.yaml", manifests.WEB_DEPLOYMENT)
    cluster.kubectl("apply -f web.yaml")
    files("web.yaml", manifests.WEB_DEPLOYMENT.replace("replicas: 2", "replicas: -1"))
    before = snapshot(cluster)
    assert run(cluster, "apply -f web.yaml") == (
        "", 'The Deployment "web" is invalid: spec.replicas: Invalid value: -1: must be greater '
            "than or equal to 0\n", 1)
    assert snapshot(cluster) == before


def test_unknown_field_in_an_existing_object_is_a_refused_patch(cluster, files, manifests):
    files("svc.yaml", manifests.WEB_SERVICE)
    cluster.kubectl("apply -f svc.yaml")
    files("svc.yaml", SERVICE_WITH_TYPO)
    stdout, stderr, code = run(cluster, "apply -f svc.yaml")
    assert (stdout, code) == ("", 1)
    head, _, tail = stderr.partition("\nto:\n")
    assert head.startswith("Error from server (BadRequest): error when applying patch:\n{")
    assert '"target port":8080' in head
    assert tail == (
        'Resource: "/v1, Resource=services", GroupVersionKind: "/v1, Kind=Service"\n'
        'Name: "web", Namespace: "default"\n'
        'for: "svc.yaml": error when patching "svc.yaml": Service in version "v1" cannot be '
        'handled as a Service: strict decoding error: unknown field "spec.ports[0].target port"\n')


# --- the course's error acceptance list: exit 1 and nothing changed ----------------------

ACCEPTANCE = {
    "unknown resource type": (
        "get deploymentz", None,
        'error: the server doesn\'t have a resource type "deploymentz"\n'),
    "not found": (
        "delete deployment web-dashboard", None,
        'Error from server (NotFound): deployments.apps "web-dashboard" not found\n'),
    "already exists": (
        "create -f app.yaml", "APP_CONFIG",
        'Error from server (AlreadyExists): error when creating "app.yaml": configmaps '
        '"app-config" already exists\n'),
    "invalid name": (
        "apply -f app.yaml", WEB_APP,
        'The Deployment "Web_App" is invalid: metadata.name: Invalid value: "Web_App": a '
        "lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or "
        "'.', and must start and end with an alphanumeric character (e.g. 'example.com', regex "
        "used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*"
        "[a-z0-9])?)*')\n"),
    "unknown field": (
        "apply -f app.yaml", SERVICE_WITH_TYPO,
        'Error from server (BadRequest): error when creating "app.yaml": Service in version "v1" '
        'cannot be handled as a Service: strict decoding error: unknown field '
        '"spec.ports[0].target port"\n'),
    "apiVersion c1": (
        "apply -f app.yaml", POD_C1,
        'error: resource mapping not found for name: "web" namespace: "" from "app.yaml": no '
        'matches for kind "Pod" in version "c1"\nensure CRDs are installed first\n'),
    "yaml syntax error": (
        "apply -f app.yaml", BROKEN_YAML,
        "error: error parsing app.yaml: error converting YAML to JSON: yaml: line 7: mapping "
        "values are not allowed in this context\n"),
}


@pytest.mark.parametrize("case", list(ACCEPTANCE))
def test_error_acceptance_list(cluster, files, manifests, snapshot, case):
    line, manifest, stderr = ACCEPTANCE[case]
    if manifest == "APP_CONFIG":
        files("app.yaml", manifests.APP_CONFIG)
        assert cluster.kubectl("apply -f app.yaml").exit_code == 0
    elif manifest:
        files("app.yaml", manifest)
    before = snapshot(cluster)
    result = cluster.kubectl(line)
    assert (result.stdout, result.stderr, result.exit_code) == ("", stderr, 1)
    assert snapshot(cluster) == before


def test_result_prints_the_warning_first_like_a_terminal(cluster, files, manifests):
    files("cm.yaml", manifests.APP_CONFIG)
    cluster.kubectl("create -f cm.yaml")
    result = cluster.kubectl("apply -f cm.yaml")
    assert str(result) == (MISSING_ANNOTATION.format("configmaps", "app-config")
                           + "configmap/app-config configured")
