"""``kubectl describe`` (``kubelearn.kubectl.cmd_describe``): which objects are
described and how the texts are joined. The texts themselves are tested in
test_describe.py; here they come from ``kubelearn.kubectl.describe.describe``.

Joining rules follow upstream pkg/cmd/describe/describe.go: objects separated
by a blank line; the ``TYPE PREFIX`` fallback (DescribeMatchingResources)
prints each match followed by a newline.
"""
from __future__ import annotations

import pytest

from kubelearn.kubectl.describe import describe

CONFIGMAPS = """\
apiVersion: v1
kind: ConfigMap
metadata:
  name: web-config
  labels:
    app: web
data:
  color: blue
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: web-extra
  labels:
    app: web
data:
  size: big
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: db-config
data:
  port: "6379"
"""


@pytest.fixture
def app(cluster):
    assert cluster.kubectl("apply -f -", stdin=CONFIGMAPS).exit_code == 0
    cluster.advance(5)
    return cluster


def text(cluster, kind, name, namespace="default", **kw):
    obj = cluster.api.get(kind, name, namespace)
    return describe(cluster.api, kind, obj, cluster.clock.now, **kw)


def test_one_object(app):
    result = app.kubectl("describe configmap web-config")
    assert (result.stdout, result.stderr, result.exit_code) == (
        text(app, "ConfigMap", "web-config"), "", 0)
    assert result.stdout.startswith("Name:         web-config\nNamespace:    default\n")
    assert app.kubectl("describe cm/web-config") == result


def test_several_objects_are_separated_by_a_blank_line(app):
    result = app.kubectl("describe cm db-config web-config")
    assert result.stdout == (text(app, "ConfigMap", "db-config") + "\n\n"
                             + text(app, "ConfigMap", "web-config"))


def test_a_whole_kind_and_a_selector(app):
    everything = app.kubectl("describe cm")
    assert everything.stdout.count("Name:") == 4          # with kube-root-ca.crt
    selected = app.kubectl("describe cm -l app=web")
    assert selected.stdout == (text(app, "ConfigMap", "web-config") + "\n\n"
                               + text(app, "ConfigMap", "web-extra"))


def test_name_prefix_matching_prints_each_match_and_a_newline(app):
    result = app.kubectl("describe cm web")
    assert (result.stdout, result.stderr, result.exit_code) == (
        text(app, "ConfigMap", "web-config") + "\n" + text(app, "ConfigMap", "web-extra") + "\n",
        "", 0)


def test_prefix_matching_only_for_type_and_name(app):
    result = app.kubectl("describe cm/web")
    assert (result.stdout, result.stderr, result.exit_code) == (
        "", 'Error from server (NotFound): configmaps "web" not found\n', 1)


def test_prefix_matching_stays_in_the_namespace(app):
    result = app.kubectl("describe cm kube-root -n kube-public")
    assert result.exit_code == 0
    assert result.stdout == text(app, "ConfigMap", "kube-root-ca.crt", "kube-public") + "\n"


def test_not_found(app):
    result = app.kubectl("describe pods nope")
    assert (result.stdout, result.stderr, result.exit_code) == (
        "", 'Error from server (NotFound): pods "nope" not found\n', 1)
    result = app.kubectl("describe deployment web")
    assert result.stderr == 'Error from server (NotFound): deployments.apps "web" not found\n'


def test_found_and_not_found(app):
    result = app.kubectl("describe cm db-config nope")
    assert (result.stdout, result.stderr, result.exit_code) == (
        text(app, "ConfigMap", "db-config"),
        'Error from server (NotFound): configmaps "nope" not found\n', 1)


def test_no_arguments(cluster):
    # captured from kubectl 1.32
    result = cluster.kubectl("describe")
    assert (result.stdout, result.stderr, result.exit_code) == (
        "", 'error: You must specify the type of resource to describe. Use "kubectl '
            'api-resources" for a complete list of supported resources.\n', 1)


def test_nothing_to_describe(cluster):
    result = cluster.kubectl("describe pods")
    assert (result.stdout, result.stderr, result.exit_code) == (
        "", "No resources found in default namespace.\n", 0)
    # upstream words it by -A only, even for cluster-scoped kinds
    assert cluster.kubectl("describe pv").stderr == "No resources found in default namespace.\n"
    assert cluster.kubectl("describe pods -A -l app=nope").stderr == "No resources found\n"


def test_unknown_type(cluster):
    result = cluster.kubectl("describe foo x")
    assert (result.stdout, result.stderr, result.exit_code) == (
        "", 'error: the server doesn\'t have a resource type "foo"\n', 1)


def test_show_events_flag_reaches_the_describer(cluster):
    node = cluster.kubectl("describe node worker-1 --show-events=false")
    assert node.stdout == text(cluster, "Node", "worker-1", "", show_events=False)
    assert "Events:" not in node.stdout


def test_describe_changes_nothing(app, snapshot):
    before = snapshot(app)
    app.kubectl("describe cm web")
    app.kubectl("describe nodes")
    assert snapshot(app) == before
