"""``kubelearn.kubectl.output``: choosing a printer (-o) and laying out rows.

The printers themselves (YAML, JSON, JSONPath, custom columns, tabwriter) have
their own tests under tests/kubectl/printers; these cover the glue.
"""
from __future__ import annotations

import pytest

from kubelearn.api.kinds import kind_info
from kubelearn.kubectl.output import (ALLOWED_FORMATS, OBJECT_FORMATS, OutputFormat, list_object,
                                      name_of, parse_output, render_data, table_text)
from kubelearn.kubectl.result import KubectlError


@pytest.mark.parametrize("value,expected", [
    (None, OutputFormat("table")), ("", OutputFormat("table")),
    ("wide", OutputFormat("wide")), ("yaml", OutputFormat("yaml")), ("json", OutputFormat("json")),
    ("name", OutputFormat("name")),
    ("jsonpath={.items[*].metadata.name}", OutputFormat("jsonpath", "{.items[*].metadata.name}")),
    ("jsonpath-as-json={.metadata}", OutputFormat("jsonpath-as-json", "{.metadata}")),
    ("custom-columns=NAME:.metadata.name", OutputFormat("custom-columns", "NAME:.metadata.name")),
    ("jsonpath={.a=b}", OutputFormat("jsonpath", "{.a=b}")),
])
def test_parse_output(value, expected):
    assert parse_output(value) == expected
    assert parse_output(value).is_table == (expected.kind in ("table", "wide"))


def error(value, allowed=ALLOWED_FORMATS) -> str:
    with pytest.raises(KubectlError) as info:
        parse_output(value, allowed)
    return info.value.message


def test_unknown_format_lists_what_get_allows():
    assert error("bogus") == (
        'error: unable to match a printer suitable for the output format "bogus", allowed '
        "formats are: custom-columns,custom-columns-file,go-template,go-template-file,json,"
        "jsonpath,jsonpath-as-json,jsonpath-file,name,template,templatefile,wide,yaml")
    assert error("yaml=x").startswith('error: unable to match a printer suitable for the output '
                                      'format "yaml=x"')


def test_object_printers_have_no_tables():
    # captured from kubectl 1.32: create configmap x --dry-run=client -o wide
    assert error("wide", OBJECT_FORMATS) == (
        'error: unable to match a printer suitable for the output format "wide", allowed formats '
        "are: go-template,go-template-file,json,jsonpath,jsonpath-as-json,jsonpath-file,name,"
        "template,templatefile,yaml")
    assert error("custom-columns=A:.a", OBJECT_FORMATS).startswith(
        'error: unable to match a printer suitable for the output format "custom-columns=A:.a"')
    assert parse_output("yaml", OBJECT_FORMATS) == OutputFormat("yaml")


def test_template_formats_need_a_template():
    assert error("jsonpath") == "error: template format specified but no template given"
    assert error("jsonpath=") == "error: template format specified but no template given"
    assert error("custom-columns") == ("error: custom-columns format specified but no custom "
                                       "columns given")


def test_go_templates_are_not_built():
    assert error("go-template={{.kind}}") == (
        "error: kubelearn does not support -o go-template yet; use -o jsonpath=... or -o "
        "custom-columns=... instead")


def test_list_object():
    assert list_object([]) == {"apiVersion": "v1", "items": [], "kind": "List",
                               "metadata": {"resourceVersion": ""}}


CM = {"kind": "ConfigMap", "apiVersion": "v1", "metadata": {"name": "x", "creationTimestamp": None},
      "data": {"b": "<2>", "a": "1"}}


def test_render_yaml_is_sorted():
    assert render_data(OutputFormat("yaml"), CM) == (
        "apiVersion: v1\ndata:\n  a: \"1\"\n  b: <2>\nkind: ConfigMap\nmetadata:\n"
        "  creationTimestamp: null\n  name: x\n")
    yaml_format = OutputFormat("yaml")
    assert render_data(yaml_format, CM, typed=True) == render_data(yaml_format, CM)


def test_render_json_sorted_for_server_objects_struct_order_for_typed_ones():
    assert render_data(OutputFormat("json"), CM) == (
        '{\n    "apiVersion": "v1",\n    "data": {\n        "a": "1",\n'
        '        "b": "\\u003c2\\u003e"\n    },\n    "kind": "ConfigMap",\n    "metadata": {\n'
        '        "creationTimestamp": null,\n        "name": "x"\n    }\n}\n')
    assert render_data(OutputFormat("json"), CM, typed=True) == (
        '{\n    "kind": "ConfigMap",\n    "apiVersion": "v1",\n    "metadata": {\n        "name": '
        '"x",\n        "creationTimestamp": null\n    },\n    "data": {\n        "b": '
        '"\\u003c2\\u003e",\n        "a": "1"\n    }\n}\n')


def test_render_jsonpath_and_its_errors():
    assert render_data(OutputFormat("jsonpath", "{.metadata.name}"), CM) == "x"
    assert render_data(OutputFormat("jsonpath-as-json", "{.data.a}"), CM) == '[\n    "1"\n]\n'
    # kubectl allows missing keys: nothing printed, no error
    assert render_data(OutputFormat("jsonpath", "{.metadata.nope}"), CM) == ""
    with pytest.raises(KubectlError) as info:       # captured from kubectl 1.32
        render_data(OutputFormat("jsonpath", "{.metadata.name"), CM)
    assert info.value.message == "error: error parsing jsonpath {.metadata.name, unclosed action"


def test_name_of():
    assert name_of(kind_info("Deployment"), {"metadata": {"name": "web"}}) == "deployment.apps/web"
    assert name_of(kind_info("Pod"), {"metadata": {"name": "web"}}) == "pod/web"
    assert name_of(kind_info("StorageClass"), {"metadata": {"name": "s"}}) == (
        "storageclass.storage.k8s.io/s")


def test_table_text_plain(cluster):
    pods = cluster.api.list("Pod", "kube-system")[:2]
    rows = table_text(cluster.api, kind_info("Pod"), pods, wide=False, with_kind=False,
                      with_namespace=False, show_labels=False, label_columns=[],
                      no_headers=False)
    assert rows[0] == ["NAME", "READY", "STATUS", "RESTARTS", "AGE"]
    assert [r[0] for r in rows[1:]] == [p["metadata"]["name"] for p in pods]


def test_table_text_with_every_decoration(cluster):
    pods = cluster.api.list("Pod", "kube-system")[:1]
    name = pods[0]["metadata"]["name"]
    rows = table_text(cluster.api, kind_info("Pod"), pods, wide=True, with_kind=True,
                      with_namespace=True, show_labels=True,
                      label_columns=["k8s-app", "example.com/tier"], no_headers=False)
    assert rows[0] == ["NAMESPACE", "NAME", "READY", "STATUS", "RESTARTS", "AGE", "IP", "NODE",
                       "NOMINATED NODE", "READINESS GATES", "K8S-APP", "TIER", "LABELS"]
    row = rows[1]
    assert row[:2] == ["kube-system", f"pod/{name}"]
    assert row[-3:] == ["kube-dns", "", "k8s-app=kube-dns,pod-template-hash=84948b954c"]


def test_table_text_without_headers(cluster):
    nodes = cluster.api.list("Node")
    rows = table_text(cluster.api, kind_info("Node"), nodes, wide=False, with_kind=False,
                      with_namespace=True, show_labels=False, label_columns=[], no_headers=True)
    # cluster-scoped kinds never get a NAMESPACE column from the caller, but the
    # namespace cell is empty if asked
    assert [r[1] for r in rows] == ["control-plane", "worker-1", "worker-2"]
