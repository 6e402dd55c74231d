"""``kubelearn.kubectl.command``: the invocation and kubectl's error printing
(``checkErr`` in k8s.io/kubectl/pkg/cmd/util/helpers.go)."""
from __future__ import annotations

from kubelearn.apiserver import errors
from kubelearn.apiserver.errors import StatusError
from kubelearn.kubectl.command import (Invocation, Sourced, cause_text, kubectl_invalid_message,
                                       render_problems, server_message)
from kubelearn.kubectl.flags import parse

NAME_CAUSE = {"reason": "FieldValueInvalid", "field": "metadata.name",
              "message": 'Invalid value: "Web_App": a lowercase RFC 1123 subdomain must consist of '
                         "lower case alphanumeric characters, '-' or '.', and must start and end "
                         "with an alphanumeric character (e.g. 'example.com', regex used for "
                         "validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*"
                         "[a-z0-9])?)*')"}
SELECTOR_CAUSE = {"reason": "FieldValueRequired", "field": "spec.selector",
                  "message": "Required value"}
LABELS_CAUSE = {"reason": "FieldValueInvalid", "field": "spec.template.metadata.labels",
                "message": 'Invalid value: map[string]string{"app":"nginx"}: `selector` does not '
                           "match template `labels`"}


def invalid(kind, name, *causes):
    return StatusError(422, "Invalid", "ignored by kubectl", causes=list(causes), kind=kind,
                       name=name)


def test_cause_text():
    assert cause_text(SELECTOR_CAUSE) == "spec.selector: Required value"
    assert cause_text("spec.x: Forbidden") == "spec.x: Forbidden"


def test_one_invalid_cause_on_one_line():
    assert kubectl_invalid_message(invalid("Deployment", "Web_App", NAME_CAUSE)) == (
        'The Deployment "Web_App" is invalid: metadata.name: ' + NAME_CAUSE["message"])


def test_several_causes_trailing_space_then_star_lines_duplicates_dropped():
    err = invalid("Deployment", "nginx", SELECTOR_CAUSE, LABELS_CAUSE, SELECTOR_CAUSE)
    assert kubectl_invalid_message(err) == (
        'The Deployment "nginx" is invalid: \n'
        "* spec.selector: Required value\n"
        '* spec.template.metadata.labels: Invalid value: map[string]string{"app":"nginx"}: '
        "`selector` does not match template `labels`")


def test_invalid_without_causes():
    assert kubectl_invalid_message(invalid("Pod", "p")) == 'The Pod "p" is invalid'
    assert kubectl_invalid_message(invalid("", "")) == "The request is invalid"


def test_invalid_names_are_go_quoted():
    assert kubectl_invalid_message(invalid("Pod", 'a"b\n', SELECTOR_CAUSE)).startswith(
        'The Pod "a\\"b\\n" is invalid: ')


def test_server_message_of_invalid_is_the_status_message():
    assert server_message(invalid("Deployment", "nginx", SELECTOR_CAUSE, LABELS_CAUSE)) == (
        'Deployment.apps "nginx" is invalid: [spec.selector: Required value, '
        'spec.template.metadata.labels: Invalid value: map[string]string{"app":"nginx"}: '
        "`selector` does not match template `labels`]")
    assert server_message(invalid("ConfigMap", "c", SELECTOR_CAUSE)) == (
        'ConfigMap "c" is invalid: spec.selector: Required value')
    assert server_message(errors.not_found("pods", "x")) == 'pods "x" not found'


def test_single_status_error():
    assert render_problems([errors.not_found("deployments.apps", "web")]) == (
        'Error from server (NotFound): deployments.apps "web" not found')
    assert render_problems([StatusError(500, "", "boom")]) == "Error from server: boom"


def test_single_sourced_error():
    problem = Sourced(errors.already_exists("deployments.apps", "web"), "creating", "web.yaml")
    assert render_problems([problem]) == (
        'Error from server (AlreadyExists): error when creating "web.yaml": deployments.apps '
        '"web" already exists')


def test_single_invalid_drops_the_source():
    problem = Sourced(invalid("Deployment", "Web_App", NAME_CAUSE), "creating", "x.yaml")
    assert render_problems([problem]) == kubectl_invalid_message(problem.error)


def test_plain_messages_get_error_prefix_only_when_alone():
    assert render_problems(["the path \"x\" does not exist"]) == (
        'error: the path "x" does not exist')
    assert render_problems(["error: already prefixed"]) == "error: already prefixed"
    assert render_problems(["Error: cobra style"]) == "Error: cobra style"
    assert render_problems(["first", "second"]) == "first\nsecond"


def test_aggregate_one_line_each_invalid_in_server_form():
    problems = [
        "error parsing x.yaml: error converting YAML to JSON: yaml: line 3: boom",
        Sourced(errors.not_found("services", "web"), "deleting", "x.yaml"),
        Sourced(invalid("Deployment", "nginx", SELECTOR_CAUSE), "creating", "x.yaml"),
    ]
    assert render_problems(problems) == (
        "error parsing x.yaml: error converting YAML to JSON: yaml: line 3: boom\n"
        'Error from server (NotFound): error when deleting "x.yaml": services "web" not found\n'
        'Error from server (Invalid): error when creating "x.yaml": Deployment.apps "nginx" is '
        "invalid: spec.selector: Required value")


def test_invocation_collects_output(cluster):
    inv = Invocation(cluster, "get", parse([], [], "get"), "default", False, None)
    inv.print("a")
    inv.write("b")
    inv.warn("Warning: w")
    assert (inv.out, inv.err, inv.exit_code) == (["a\n", "b"], ["Warning: w\n"], 0)
    inv.fail([])
    assert inv.exit_code == 0
    inv.fail([errors.not_found("pods", "x"), errors.not_found("pods", "y")])
    assert inv.err[-1] == ('Error from server (NotFound): pods "x" not found\n'
                           'Error from server (NotFound): pods "y" not found\n')
    assert inv.exit_code == 1
    assert inv.api is cluster.api
    assert inv.args == []
