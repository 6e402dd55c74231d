"""``kubectl delete`` (``kubelearn.kubectl.cmd_delete``).

Wording and flag rules follow upstream pkg/cmd/delete/delete.go (1.32: ``kind
"name" deleted``, ``No resources found`` on stdout, --grace-period=0 without
--force becomes 1, -l/--all ignore NotFound, no waiting after an error) and
kubectl-reference.md §1.3. Usage errors were captured from real kubectl 1.32.
"""
from __future__ import annotations

import pytest

PODS = """\
apiVersion: v1
kind: Pod
metadata:
  name: web-1
  labels:
    app: web
spec:
  containers:
  - name: nginx
    image: nginx:1.25
---
apiVersion: v1
kind: Pod
metadata:
  name: db-1
  labels:
    app: db
spec:
  containers:
  - name: hello
    image: kubelearn/hello:1
"""
FORCE_WARNING = ("Warning: Immediate deletion does not wait for confirmation that the running "
                 "resource has been terminated. The resource may continue to run on the cluster "
                 "indefinitely.\n")


def run(cluster, line, stdin=None):
    result = cluster.kubectl(line, stdin=stdin)
    return result.stdout, result.stderr, result.exit_code


@pytest.fixture
def pods(cluster):
    assert cluster.kubectl("apply -f -", stdin=PODS).exit_code == 0
    cluster.advance(30)
    # the kubelet has started both containers (if not, the waiting tests below fail)
    assert [p["status"]["phase"] for p in cluster.api.list("Pod", "default")] == [
        "Running", "Running"]
    return cluster


def exists(cluster, kind, name, namespace="default"):
    return cluster.store.get(kind, namespace, name) is not None


def test_delete_by_name(cluster):
    cluster.kubectl("create cm a")
    cluster.kubectl("create cm b")
    assert run(cluster, "delete cm a b") == (
        'configmap "a" deleted\nconfigmap "b" deleted\n', "", 0)
    assert not exists(cluster, "ConfigMap", "a") and not exists(cluster, "ConfigMap", "b")


def test_group_in_the_kind_and_type_slash_name(cluster, manifests):
    cluster.kubectl("apply -f -", stdin=manifests.WEB_DEPLOYMENT + "---\n" + manifests.WEB_SERVICE)
    assert run(cluster, "delete deploy/web svc/web") == (
        'deployment.apps "web" deleted\nservice "web" deleted\n', "", 0)


def test_delete_from_a_file_one_line_per_object_in_file_order(cluster, files, manifests):
    files("app.yaml", manifests.WEB_SERVICE + "---\n" + manifests.APP_CONFIG + "---\n"
          + manifests.WEB_DEPLOYMENT)
    cluster.kubectl("apply -f app.yaml")
    assert run(cluster, "delete -f app.yaml") == (
        'service "web" deleted\nconfigmap "app-config" deleted\ndeployment.apps "web" deleted\n',
        "", 0)
    assert run(cluster, "delete -f app.yaml") == (
        "",
        'Error from server (NotFound): error when deleting "app.yaml": services "web" not found\n'
        'Error from server (NotFound): error when deleting "app.yaml": configmaps "app-config" '
        "not found\n"
        'Error from server (NotFound): error when deleting "app.yaml": deployments.apps "web" '
        "not found\n", 1)


def test_delete_from_a_file_with_a_broken_document(cluster, files, manifests):
    files("app.yaml", manifests.APP_CONFIG + "---\napiVersion: c1\nkind: Pod\nmetadata:\n"
          "  name: p\n---\n" + manifests.WEB_SERVICE)
    cluster.kubectl("apply -f app.yaml")
    assert run(cluster, "delete -f app.yaml") == (
        'configmap "app-config" deleted\nservice "web" deleted\n',
        'error: resource mapping not found for name: "p" namespace: "" from "app.yaml": no '
        'matches for kind "Pod" in version "c1"\nensure CRDs are installed first\n', 1)


def test_delete_by_label_and_all(pods):
    assert run(pods, "delete pods -l app=web") == ('pod "web-1" deleted\n', "", 0)
    assert run(pods, "delete pods -l app=web") == ("No resources found\n", "", 0)
    assert run(pods, "delete pods --all") == ('pod "db-1" deleted\n', "", 0)
    assert run(pods, "delete pods --all") == ("No resources found\n", "", 0)


def test_not_found(cluster, snapshot):
    before = snapshot(cluster)
    assert run(cluster, "delete pod nope") == (
        "", 'Error from server (NotFound): pods "nope" not found\n', 1)
    assert run(cluster, "delete deployment web-dashboard") == (
        "", 'Error from server (NotFound): deployments.apps "web-dashboard" not found\n', 1)
    assert snapshot(cluster) == before


def test_found_and_not_found_does_not_wait(pods):
    start = pods.now
    assert run(pods, "delete pod nope web-1") == (
        'pod "web-1" deleted\n', 'Error from server (NotFound): pods "nope" not found\n', 1)
    assert pods.now == start                     # kubectl returns before waiting
    assert pods.kubectl("get pod web-1").stdout.splitlines()[1].split()[2] == "Terminating"


def test_ignore_not_found(cluster):
    assert run(cluster, "delete pod nope --ignore-not-found") == ("", "", 0)


def test_waiting_through_graceful_termination_advances_simulated_time(pods):
    start = pods.now
    assert run(pods, "delete pod web-1") == ('pod "web-1" deleted\n', "", 0)
    assert pods.now > start                      # waited for the kubelet to stop nginx
    assert pods.now - start < 31                 # within the 30 s grace period
    assert not exists(pods, "Pod", "web-1")
    assert run(pods, "get pods -o name") == ("pod/db-1\n", "", 0)


def test_wait_false_returns_while_the_pod_terminates(pods):
    start = pods.now
    assert run(pods, "delete pod web-1 --wait=false") == ('pod "web-1" deleted\n', "", 0)
    assert pods.now == start
    assert pods.kubectl("get pod web-1").stdout.splitlines()[1].split()[2] == "Terminating"
    pods.advance(31)
    assert not exists(pods, "Pod", "web-1")


def test_force_with_zero_grace_period(pods):
    start = pods.now
    assert run(pods, "delete pod web-1 --force --grace-period=0") == (
        'pod "web-1" force deleted\n', FORCE_WARNING, 0)
    assert pods.now == start and not exists(pods, "Pod", "web-1")
    assert run(pods, "delete pod db-1 --force") == ('pod "db-1" force deleted\n', FORCE_WARNING, 0)


def test_grace_period_zero_without_force_is_one_second(pods):
    start = pods.now
    assert run(pods, "delete pod web-1 --grace-period=0") == ('pod "web-1" deleted\n', "", 0)
    assert 0 < pods.now - start <= 1
    start = pods.now
    assert run(pods, "delete pod db-1 --now") == ('pod "db-1" deleted\n', "", 0)
    assert 0 < pods.now - start <= 1


def test_output_name(pods):
    assert run(pods, "delete pods --all -o name") == ("pod/db-1\npod/web-1\n", "", 0)


def test_dry_runs_delete_nothing(pods, snapshot):
    before = snapshot(pods)
    assert run(pods, "delete pod web-1 --dry-run=client") == (
        'pod "web-1" deleted (dry run)\n', "", 0)
    assert run(pods, "delete pod web-1 --dry-run=server") == (
        'pod "web-1" deleted (server dry run)\n', "", 0)
    assert run(pods, "delete pods --all --dry-run=client -o name") == (
        "pod/db-1\npod/web-1\n", "", 0)
    assert snapshot(pods)[:2] == before[:2]


def test_namespace_deletion_waits_for_its_contents(cluster):
    cluster.kubectl("create ns dev")
    cluster.kubectl("create cm a -n dev")
    assert run(cluster, "delete ns dev") == ('namespace "dev" deleted\n', "", 0)
    assert not exists(cluster, "Namespace", "dev", "")
    assert not exists(cluster, "ConfigMap", "a", "dev")


@pytest.mark.parametrize("line,stderr", [
    ("delete", "error: You must provide one or more resources by argument or filename.\n"
               "Example resource specifications include:\n   '-f rsrc.yaml'\n"
               "   '--filename=rsrc.json'\n   '<resource> <name>'\n   '<resource>'\n"),
    ("delete pod", "error: resource(s) were provided, but no name was specified\n"),
    ("delete pods --all -l a=b",
     "error: setting 'all' parameter but found a non empty selector. \n"),
    ("delete pods x --now --grace-period=3",
     "error: --now and --grace-period cannot be specified together\n"),
    ("delete pods x --force --grace-period=5",
     "error: --force and --grace-period greater than 0 cannot be specified together\n"),
    ("delete pods x -o yaml",
     "error: unexpected -o output mode: yaml. We only support '-o name'\n"),
    ("delete pods/x/y", "error: arguments in resource/name form may not have more than one "
                        "slash\n"),
    ("delete pods x/y/z", "error: there is no need to specify a resource type as a separate "
                          "argument when passing arguments in resource/name form (e.g. 'kubectl "
                          "get resource/<resource_name>' instead of 'kubectl get resource "
                          "resource/<resource_name>'\n"),
    ("delete pods x -l app=web", "error: name cannot be provided when a selector is specified\n"),
    ("delete foo x", 'error: the server doesn\'t have a resource type "foo"\n'),
])
def test_usage_errors(cluster, snapshot, line, stderr):
    before = snapshot(cluster)
    assert run(cluster, line) == ("", stderr, 1)
    assert snapshot(cluster) == before
