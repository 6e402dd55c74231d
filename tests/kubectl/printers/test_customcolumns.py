"""custom-columns goldens: `kubectl get pods -o custom-columns=...` (kubectl 1.32 against a
stub API server serving PODS)."""

import pytest

from kubelearn.kubectl.printers.customcolumns import (
    CustomColumnsError, parse_custom_columns, relaxed_jsonpath, render_custom_columns)

PODS = [
    {"apiVersion": "v1", "kind": "Pod",
     "metadata": {"name": "web-1", "namespace": "default", "labels": {"app": "web", "tier": "fe"},
                  "annotations": {"note": "multi\nline\n"}},
     "spec": {"containers": [{"name": "nginx", "image": "nginx:1.25",
                              "ports": [{"containerPort": 80, "protocol": "TCP"}]},
                             {"name": "side", "image": "busybox"}]},
     "status": {"phase": "Running", "podIP": "10.244.0.5", "x": 1.5, "restarts": None}},
    {"apiVersion": "v1", "kind": "Pod",
     "metadata": {"name": "db-long-name-0", "namespace": "default"},
     "spec": {"containers": [{"name": "db", "image": "postgres"}]},
     "status": {"phase": "Pending"}},
]


def test_values_joined_and_missing_as_none():
    spec = ("NAME:.metadata.name,IMAGES:.spec.containers[*].image,L:.metadata.labels,"
            "IP:.status.podIP")
    assert render_custom_columns(spec, PODS) == (
        "NAME             IMAGES               L                      IP\n"
        "web-1            nginx:1.25,busybox   map[app:web tier:fe]   10.244.0.5\n"
        "db-long-name-0   postgres             <none>                 <none>\n")


def test_go_v_formatting_of_maps_floats_and_nil():
    spec = "C:.spec.containers[0],X:.status.x,R:.status.restarts"
    first = "map[image:nginx:1.25 name:nginx ports:[map[containerPort:80 protocol:TCP]]]"
    assert render_custom_columns(spec, PODS) == (
        "C" + " " * 77 + "X        R\n"
        + first + "   1.5      <nil>\n"
        "map[image:postgres name:db]" + " " * 51 + "<none>   <none>\n")


def test_newline_in_value_breaks_the_line_and_widths_are_remembered():
    assert render_custom_columns("N:.metadata.annotations.note,M:.metadata.name", PODS) == \
        "N     M\nmulti\nline\n         web-1\n<none>   db-long-name-0\n"


def test_no_headers():
    out = render_custom_columns("NAME:.metadata.name,PHASE:.status.phase", PODS, no_headers=True)
    assert out == "web-1            Running\ndb-long-name-0   Pending\n"


def test_no_objects_prints_the_header_only():
    assert render_custom_columns("N:.metadata.name", []) == "N\n"


@pytest.mark.parametrize("spec, out", [
    ("A:{.metadata.name},B:metadata.name,C:{metadata.name}",
     "A                B                C\nweb-1            web-1            web-1\n"
     "db-long-name-0   db-long-name-0   db-long-name-0\n"),
    ("N:", "N\n<none>\n<none>\n"),
    (":.metadata.name", "\nweb-1\ndb-long-name-0\n"),
    ("A:.a:b", "A\n<none>\n<none>\n"),
    ("X:..name", "X\nweb-1,nginx,side\ndb-long-name-0,db\n"),
    ('X:.spec.containers[?(@.name=="nginx")].image', "X\nnginx:1.25\n<none>\n"),
    ("N:.metadata.name, X:.kind",
     "N                 X\nweb-1            Pod\ndb-long-name-0   Pod\n"),
    ("N:.metadata.name.x", "N\n<none>\n<none>\n"),
])
def test_spec_forms(spec, out):
    assert render_custom_columns(spec, PODS) == out


@pytest.mark.parametrize("spec, message", [
    ("", "custom-columns format specified but no custom columns given"),
    ("NAME", "unexpected custom-columns spec: NAME, expected <header>:<json-path-expr>"),
    ("N:.a,M", "unexpected custom-columns spec: M, expected <header>:<json-path-expr>"),
    ("N:.metadata.name,", "unexpected custom-columns spec: , expected <header>:<json-path-expr>"),
    ("N:{.a", "unexpected path string, expected a 'name1.name2' or '.name1.name2' or "
              "'{name1.name2}' or '{.name1.name2}'"),
])
def test_spec_errors_print_nothing(spec, message):
    with pytest.raises(CustomColumnsError) as info:
        render_custom_columns(spec, PODS)
    assert (info.value.message, info.value.output) == (message, "")


@pytest.mark.parametrize("spec, header, message", [
    ("N:.spec.containers[*].name,X:.spec.containers[5]", "N     X\n",
     "array index out of bounds: index 5, length 2"),
    ("N:.a[", "N\n", "unterminated array"),
    ("N:.spec.containers[?(@.name>1)].image", "N\n", "incompatible types for comparison"),
])
def test_evaluation_errors_after_the_header(spec, header, message):
    with pytest.raises(CustomColumnsError) as info:
        render_custom_columns(spec, PODS)
    assert (info.value.output, info.value.message) == (header, message)


def test_relaxed_paths():
    assert [relaxed_jsonpath(p) for p in ("a.b", ".a.b", "{a.b}", "{.a.b}", "")] == \
        ["{.a.b}", "{.a.b}", "{.a.b}", "{.a.b}", ""]
    assert parse_custom_columns("NAME:.metadata.name,IMG:spec.x") == \
        [("NAME", "{.metadata.name}"), ("IMG", "{.spec.x}")]
