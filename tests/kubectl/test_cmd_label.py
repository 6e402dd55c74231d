"""``kubectl label`` and ``kubectl annotate`` (``kubelearn.kubectl.cmd_label``).

Outcome words and overwrite errors follow upstream pkg/cmd/label/label.go
(labeled / not labeled / unlabeled, ``label "x" not found.``) and
pkg/cmd/annotate/annotate.go (always ``annotated``); the argument errors were
captured from real kubectl 1.32.
"""
from __future__ import annotations

import pytest


def run(cluster, line):
    result = cluster.kubectl(line)
    return result.stdout, result.stderr, result.exit_code


@pytest.fixture
def ns(cluster):
    """A namespace ``dev`` and a ConfigMap ``cfg`` in default to label."""
    assert cluster.kubectl("create ns dev").exit_code == 0
    assert cluster.kubectl("create cm cfg").exit_code == 0
    return cluster


def labels(cluster, kind="Namespace", name="dev", namespace=""):
    return cluster.api.get(kind, name, namespace)["metadata"].get("labels") or {}


def annotations(cluster, kind="ConfigMap", name="cfg", namespace="default"):
    return cluster.api.get(kind, name, namespace)["metadata"].get("annotations") or {}


# --- label ------------------------------------------------------------------------------

def test_label_add(ns):
    assert run(ns, "label ns dev env=prod") == ("namespace/dev labeled\n", "", 0)
    assert labels(ns)["env"] == "prod"
    assert run(ns, "label cm cfg tier=web team=a") == ("configmap/cfg labeled\n", "", 0)
    assert labels(ns, "ConfigMap", "cfg", "default") == {"team": "a", "tier": "web"}


def test_label_existing_key_needs_overwrite_even_with_the_same_value(ns, snapshot):
    ns.kubectl("label ns dev env=prod")
    before = snapshot(ns)
    assert run(ns, "label ns dev env=prod") == (
        "", "error: 'env' already has a value (prod), and --overwrite is false\n", 1)
    assert run(ns, "label ns dev env=dev") == (
        "", "error: 'env' already has a value (prod), and --overwrite is false\n", 1)
    assert snapshot(ns) == before


def test_label_several_conflicts_one_line_each(ns):
    ns.kubectl("label ns dev a=1 b=2")
    assert run(ns, "label ns dev a=3 b=4") == (
        "", "'a' already has a value (1), and --overwrite is false\n"
            "'b' already has a value (2), and --overwrite is false\n", 1)


def test_label_overwrite(ns):
    ns.kubectl("label ns dev env=prod")
    assert run(ns, "label ns dev env=dev --overwrite") == ("namespace/dev labeled\n", "", 0)
    assert labels(ns)["env"] == "dev"
    assert run(ns, "label ns dev env=dev --overwrite") == ("namespace/dev not labeled\n", "", 0)


def test_label_remove(ns):
    ns.kubectl("label ns dev env=prod")
    assert run(ns, "label ns dev env-") == ("namespace/dev unlabeled\n", "", 0)
    assert "env" not in labels(ns)
    assert run(ns, "label ns dev env-") == (
        'label "env" not found.\nnamespace/dev not labeled\n', "", 0)
    ns.kubectl("label ns dev env=prod")
    assert run(ns, "label ns dev env- --overwrite") == ("namespace/dev labeled\n", "", 0)


def test_label_add_and_remove_at_once(ns):
    ns.kubectl("label cm cfg old=x")
    assert run(ns, "label cm cfg old- newer=yes") == ("configmap/cfg labeled\n", "", 0)
    assert labels(ns, "ConfigMap", "cfg", "default") == {"newer": "yes"}


def test_label_by_selector_and_all(ns):
    ns.kubectl("create cm other")
    ns.kubectl("label cm cfg app=web")
    assert run(ns, "label cm -l app=web tier=front") == ("configmap/cfg labeled\n", "", 0)
    assert run(ns, "label cm --all team=a") == (
        "configmap/cfg labeled\nconfigmap/kube-root-ca.crt labeled\nconfigmap/other labeled\n",
        "", 0)


def test_label_type_slash_name_and_not_found(ns):
    assert run(ns, "label ns/dev cm/cfg x=y") == (
        "namespace/dev labeled\nconfigmap/cfg labeled\n", "", 0)
    assert run(ns, "label ns nope default a=b") == (
        "namespace/default labeled\n", 'Error from server (NotFound): namespaces "nope" not '
                                       "found\n", 1)


def test_label_invalid_key_is_refused_by_the_server(ns, snapshot):
    before = snapshot(ns)
    stdout, stderr, code = run(ns, "label ns dev 'bad key=x'")
    assert (stdout, code) == ("", 1)
    assert stderr.startswith('The Namespace "dev" is invalid: metadata.labels: Invalid value: '
                             '"bad key": name part must consist of alphanumeric characters')
    assert snapshot(ns) == before


def test_label_list(ns):
    ns.kubectl("label ns dev b=2 a=1")
    assert run(ns, "label ns dev --list") == (
        "a=1\nb=2\nkubernetes.io/metadata.name=dev\n", "", 0)


@pytest.mark.parametrize("line,stderr", [
    ("label pods x a=b=c", "error: invalid label spec: a=b=c\n"),
    ("label pods x 'a=b c'",
     "error: invalid label value: \"a=b c\": a valid label must be an empty string or consist "
     "of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric "
     "character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is "
     "'(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')\n"),
    ("label pods x a=1 a-", "error: can not both modify and remove a label in the same command\n"),
    ("label pods x a=1 y", "error: all resources must be specified before label changes: y\n"),
    ("label pods --all -l a=b x=y", "error: cannot set --all and --selector at the same time\n"),
    ("label pods x", "error: at least one label update is required\n"),
    ("label pods x =1", "error: at least one label update is required\n"),
    ("label x=y", "error: one or more resources must be specified as <resource> <name> or "
                  "<resource>/<name>\n"),
    ("annotate pods x a=1 a-", "error: can not both modify and remove the following "
                               "annotation(s) in the same command: a\n"),
    ("annotate pods x a=1 y", "error: all resources must be specified before annotation "
                              "changes: y\n"),
    ("annotate pods x =1", "error: at least one annotation update is required\n"),
    ("annotate pods x", "error: at least one annotation update is required\n"),
])
def test_argument_errors_match_real_kubectl(cluster, snapshot, line, stderr):
    before = snapshot(cluster)
    assert run(cluster, line) == ("", stderr, 1)
    assert snapshot(cluster) == before


def test_resources_without_names(cluster):
    assert run(cluster, "label pods a=b") == (
        "", "error: resource(s) were provided, but no name was specified\n", 1)


# --- annotate ---------------------------------------------------------------------------

def test_annotate_add_overwrite_remove_always_says_annotated(ns):
    assert run(ns, "annotate cm cfg owner=team-a") == ("configmap/cfg annotated\n", "", 0)
    assert annotations(ns) == {"owner": "team-a"}
    assert run(ns, "annotate cm cfg owner=team-b --overwrite") == (
        "configmap/cfg annotated\n", "", 0)
    assert run(ns, "annotate cm cfg owner=team-b --overwrite") == (
        "configmap/cfg annotated\n", "", 0)
    assert run(ns, "annotate cm cfg owner-") == ("configmap/cfg annotated\n", "", 0)
    assert run(ns, "annotate cm cfg owner-") == ("configmap/cfg annotated\n", "", 0)
    assert annotations(ns) == {}


def test_annotate_values_may_hold_equals_signs_and_spaces(ns):
    assert run(ns, "annotate cm cfg 'note=a=b c'") == ("configmap/cfg annotated\n", "", 0)
    assert annotations(ns) == {"note": "a=b c"}


def test_annotate_overwrite_error_wording(ns, snapshot):
    ns.kubectl("annotate cm cfg a=1 b=2")
    before = snapshot(ns)
    assert run(ns, "annotate cm cfg b=3 a=4") == (
        "", "error: --overwrite is false but found the following declared annotation(s): "
            "'a' already has a value (1); 'b' already has a value (2)\n", 1)
    assert snapshot(ns) == before


def test_annotate_not_found(cluster):
    assert run(cluster, "annotate deploy web a=b") == (
        "", 'Error from server (NotFound): deployments.apps "web" not found\n', 1)


def test_dry_runs_change_nothing(ns, snapshot):
    before = snapshot(ns)
    assert run(ns, "label ns dev env=prod --dry-run=client") == (
        "namespace/dev labeled (dry run)\n", "", 0)
    assert run(ns, "label ns dev env=prod --dry-run=server") == (
        "namespace/dev labeled (server dry run)\n", "", 0)
    assert run(ns, "annotate cm cfg a=b --dry-run=client") == (
        "configmap/cfg annotated (dry run)\n", "", 0)
    assert snapshot(ns)[:2] == before[:2]
    assert "env" not in labels(ns)


def test_output_name(ns):
    assert run(ns, "label ns dev env=prod -o name") == ("namespace/dev\n", "", 0)
    assert labels(ns)["env"] == "prod"
