"""JSON printer goldens: real kubectl 1.32 output (dry-run and a stub API server)."""

from kubelearn.kubectl.printers.jsonout import (
    client_view, format_float_json, format_float_v, marshal, to_json)

DEPLOYMENT_TYPED = {
    "kind": "Deployment", "apiVersion": "apps/v1",
    "metadata": {"name": "web", "creationTimestamp": None, "labels": {"app": "web"}},
    "spec": {"replicas": 1, "selector": {"matchLabels": {"app": "web"}},
             "template": {"metadata": {"creationTimestamp": None, "labels": {"app": "web"}},
                          "spec": {"containers": [{"name": "nginx", "image": "nginx",
                                                   "resources": {}}]}},
             "strategy": {}},
    "status": {},
}

# kubectl create deployment web --image=nginx --dry-run=client -o json
DEPLOYMENT_JSON = """\
{
    "kind": "Deployment",
    "apiVersion": "apps/v1",
    "metadata": {
        "name": "web",
        "creationTimestamp": null,
        "labels": {
            "app": "web"
        }
    },
    "spec": {
        "replicas": 1,
        "selector": {
            "matchLabels": {
                "app": "web"
            }
        },
        "template": {
            "metadata": {
                "creationTimestamp": null,
                "labels": {
                    "app": "web"
                }
            },
            "spec": {
                "containers": [
                    {
                        "name": "nginx",
                        "image": "nginx",
                        "resources": {}
                    }
                ]
            }
        },
        "strategy": {}
    },
    "status": {}
}
"""


def test_typed_object_keeps_field_order():
    assert to_json(DEPLOYMENT_TYPED, sort_keys=False) == DEPLOYMENT_JSON


def test_server_object_is_sorted():
    assert to_json(DEPLOYMENT_TYPED).splitlines()[1:3] == [
        '    "apiVersion": "apps/v1",', '    "kind": "Deployment",']


def test_html_characters_escaped_unicode_kept():
    # kubectl create configmap x --from-literal=a='<b>&c' --from-literal=u='héllo ✓' -o json
    cm = {"kind": "ConfigMap", "apiVersion": "v1",
          "metadata": {"name": "x", "creationTimestamp": None},
          "data": {"a": "<b>&c", "u": "h\u00e9llo \u2713"}}
    assert to_json(cm, sort_keys=False) == (
        '{\n    "kind": "ConfigMap",\n    "apiVersion": "v1",\n    "metadata": {\n'
        '        "name": "x",\n        "creationTimestamp": null\n    },\n    "data": {\n'
        '        "a": "\\u003cb\\u003e\\u0026c",\n        "u": "h\u00e9llo \u2713"\n    }\n}\n')


def test_control_characters_like_go():
    # kubectl create configmap x --from-literal=ctl=$'\b\f\x01\u2028é\r' -o json
    # prints "ctl": "\b\f\u0001\u2028é\r" (DEL stays raw)
    assert marshal("\b\f\x01\u2028\u00e9\r\x7f") == '"\\b\\f\\u0001\\u2028\u00e9\\r\x7f"'
    assert marshal('q"\\\t\n') == '"q\\"\\\\\\t\\n"'


def test_stub_server_object():
    """`kubectl get pod golden -o json` against a stub API server (kubectl 1.32)."""
    assert to_json(GOLDEN_OBJECT) == GOLDEN_JSON


def test_compact_marshal_for_jsonpath():
    assert marshal({"b": [1, {}], "a": None, "c": []}) == '{"a":null,"b":[1,{}],"c":[]}'


def test_go_float_formats():
    assert [format_float_json(f) for f in (1.5, 1e21, 1e-7, 1e6, 0.1, -0.0, 1.5e-10, 1e20)] == \
        ["1.5", "1e+21", "1e-7", "1000000", "0.1", "-0", "1.5e-10", "100000000000000000000"]
    assert format_float_json(1e-6) == "0.000001" and format_float_json(9.9e-7) == "9.9e-7"
    assert [format_float_v(f) for f in (1e6, 123456.0, 1.5e-7, 0.0001, 0.00001, 1e21, 2.5)] == \
        ["1e+06", "123456", "1.5e-07", "0.0001", "1e-05", "1e+21", "2.5"]


def test_client_view_turns_integral_floats_into_ints():
    assert client_view({"a": [2.0, 1.5, 1e21, True]}) == {"a": [2, 1.5, 1e21, True]}
    assert type(client_view(3.0)) is int


GOLDEN_OBJECT = {
    "apiVersion": "v1", "kind": "Pod",
    "metadata": {"name": "golden", "namespace": "default",
                 "annotations": {"k" * 130: "long key", "multi\nline": "key with newline",
                                 "note": "line1\nline2\n"},
                 "labels": {"a10": "x", "a9": "y", "a-b": "z", "aB": "w", "n": "1"}},
    "spec": {"nested": [["a", "b"], [], {}, [{"x": 1}]],
             "items": [{"text": "word " * 20 + "end", "lit": "one\ntwo", "blank": ""},
                       "- dash", "plain", 3, 1.5, True, None],
             "emoji": "hi \U0001F600", "tab": "a\tb", "quote": "it's", "colon": "a: b",
             "hash": "a #b", "lead": "\nfoo", "keep": "end\n\n", "bom": "\ufeffab", "num": "007",
             "big": 1e21, "small": 1e-7, "whole": 2.0, "neg": -3, "date": "2025-06-02",
             "stamp": "2025-06-02T10:00:00Z"}}

# kubectl get pod golden -o json (stub API server serving GOLDEN_OBJECT)
GOLDEN_JSON = r"""{
    "apiVersion": "v1",
    "kind": "Pod",
    "metadata": {
        "annotations": {
            "<K130>": "long key",
            "multi\nline": "key with newline",
            "note": "line1\nline2\n"
        },
        "labels": {
            "a-b": "z",
            "a10": "x",
            "a9": "y",
            "aB": "w",
            "n": "1"
        },
        "name": "golden",
        "namespace": "default"
    },
    "spec": {
        "big": 1e+21,
        "bom": "<BOM>ab",
        "colon": "a: b",
        "date": "2025-06-02",
        "emoji": "hi <EMOJI>",
        "hash": "a #b",
        "items": [
            {
                "blank": "",
                "lit": "one\ntwo",
                "text": "<WORDS>"
            },
            "- dash",
            "plain",
            3,
            1.5,
            true,
            null
        ],
        "keep": "end\n\n",
        "lead": "\nfoo",
        "neg": -3,
        "nested": [
            [
                "a",
                "b"
            ],
            [],
            {},
            [
                {
                    "x": 1
                }
            ]
        ],
        "num": "007",
        "quote": "it's",
        "small": 1e-7,
        "stamp": "2025-06-02T10:00:00Z",
        "tab": "a\tb",
        "whole": 2
    }
}
""".replace("<K130>", "k" * 130).replace(
    "<WORDS>", "word " * 20 + "end").replace("<BOM>", "\ufeff").replace("<EMOJI>", "\U0001F600")
