"""YAML printer goldens: real kubectl 1.32 output (dry-run and a stub API server)."""

import pytest

from kubelearn.kubectl.printers.yamlout import list_wrapper, to_yaml

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

# kubectl create deployment web --image=nginx --dry-run=client -o yaml (sorted, even for dry-run)
DEPLOYMENT_YAML = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  creationTimestamp: null
  labels:
    app: web
  name: web
spec:
  replicas: 1
  selector:
    matchLabels:
      app: web
  strategy: {}
  template:
    metadata:
      creationTimestamp: null
      labels:
        app: web
    spec:
      containers:
      - image: nginx
        name: nginx
        resources: {}
status: {}
"""


def test_dry_run_deployment():
    assert to_yaml(DEPLOYMENT_TYPED) == DEPLOYMENT_YAML


def test_sort_keys_false_keeps_dict_order():
    assert to_yaml({"kind": "X", "apiVersion": "v1", "b": [{"z": 1, "a": 2}]}, sort_keys=False) \
        == "kind: X\napiVersion: v1\nb:\n- z: 1\n  a: 2\n"


# Values from `kubectl create configmap x --from-literal=k=<value> --dry-run=client -o yaml`.
QUOTING = [
    ("<b>&c", "<b>&c"), ("1", '"1"'), ("true", '"true"'), ("yes", '"yes"'), ("y", '"y"'),
    ("On", '"On"'), ("~", '"~"'), ("null", '"null"'), ("", '""'), ("0x1F", '"0x1F"'),
    ("1e5", '"1e5"'), (".5", '".5"'), ("1:20", '"1:20"'), ("0o17", '"0o17"'), ("08", '"08"'),
    ("1_000", '"1_000"'), ("+.inf", '"+.inf"'), ("0b-1", '"0b-1"'),
    ("18446744073709551615", '"18446744073709551615"'),
    ("18446744073709551616", '"18446744073709551616"'),
    ("-9223372036854775809", '"-9223372036854775809"'),
    ("2024-01-02T03:04:05Z", '"2024-01-02T03:04:05Z"'), ("2024-1-2", '"2024-1-2"'),
    ("2024-02-29", '"2024-02-29"'), ("2024-01-01 10:00:00", '"2024-01-01 10:00:00"'),
    ("2023-02-29", "2023-02-29"), ("2024-02-30", "2024-02-30"),
    ("2024-01-01T25:00:00Z", "2024-01-01T25:00:00Z"),
    ("1e400", "1e400"), ("._5", "._5"), ("0b", "0b"), ("1.2.3", "1.2.3"), ("<<", "<<"), ("=", "="),
    ("it's", "it's"), ("a\\b", "a\\b"), ("?x", "?x"), ("a,b", "a,b"), ("\u00e9*", "\u00e9*"),
    ('"q"', "'\"q\"'"), ("a: b", "'a: b'"), ("a #b", "'a #b'"), ("*x", "'*x'"),
    (" lead", "' lead'"), ("trail ", "'trail '"), ("-", "'-'"), ("- x", "'- x'"),
    ("? x", "'? x'"), ("x:", "'x:'"), ("@x", "'@x'"), ("%x", "'%x'"), ("!x", "'!x'"),
    ("[a]", "'[a]'"),
    ("a\tb", '"a\\tb"'), ("hi \U0001F600", '"hi \\U0001F600"'), ("a \nb", '"a \\nb"'),
    ("\x01*", '"\\x01*"'), ("x\ufeffab", '"x\\uFEFFab"'), ("\ufeff*", '"\\uFEFF\\x2A"'),
    ("\u00a0x", "\u00a0x"),
]


@pytest.mark.parametrize("value, text", QUOTING)
def test_string_quoting_like_go_yaml(value, text):
    assert to_yaml({"k": value}) == f"k: {text}\n"


def test_keys_are_quoted_too():
    assert to_yaml({"n": "1", "y": 1, "": 2}) == '"": 2\n"n": "1"\n"y": 1\n'


def test_block_scalars_and_chomping():
    # kubectl create configmap x --from-literal=m=$'line1\nline2' ... -o yaml
    assert to_yaml({"data": {"m": "line1\nline2", "m2": "line1\nline2\n", "lead": "\nfoo"}}) == (
        "data:\n  lead: |2-\n\n    foo\n  m: |-\n    line1\n    line2\n  m2: |\n    line1\n"
        "    line2\n")
    # kubectl create secret generic s --type=$'x\n\n' -o yaml: "|+" and no "..." at the end
    assert to_yaml({"type": "x\n\n"}) == "type: |+\n  x\n\n"


def test_long_strings_fold_at_column_80():
    words = "aaaa bbbb cccc dddd eeee ffff gggg hhhh iiii jjjj kkkk llll mmmm nnnn oooo pppp " \
            "qqqq rrrr ssss tttt uuuu vvvv"
    assert to_yaml({"data": {"long": words, "longq": words + "\t"}}) == (
        "data:\n"
        "  long: aaaa bbbb cccc dddd eeee ffff gggg hhhh iiii jjjj kkkk llll mmmm nnnn oooo\n"
        "    pppp qqqq rrrr ssss tttt uuuu vvvv\n"
        '  longq: "aaaa bbbb cccc dddd eeee ffff gggg hhhh iiii jjjj kkkk llll mmmm nnnn oooo\n'
        '    pppp qqqq rrrr ssss tttt uuuu vvvv\\t"\n')


def test_fold_before_a_double_space():
    # Quoted: the break eats one space and escapes the next; plain text is never folded there.
    assert to_yaml({"d": "x" * 78 + "  yy\t", "e": "x" * 78 + "  yy"}) == (
        'd: "' + "x" * 78 + '\n  \\ yy\\t"\n' + "e: " + "x" * 78 + "  yy\n")


def test_natural_key_order():
    keys = ["a10", "a9", "a_b", "aB", "a-b", "a.b", "a01", "a1", "a001"]
    out = to_yaml({k: 0 for k in keys})
    assert [line.split(":")[0] for line in out.splitlines()] == \
        ["a-b", "a.b", "a_b", "a1", "a01", "a001", "a9", "a10", "aB"]


def test_numbers_after_the_json_round_trip():
    assert to_yaml({"w": 1000000.0, "x": 1.5, "y": 1e21, "z": 1e-7, "n": -3, "t": True}) == \
        '"n": -3\nt: true\nw: 1000000\nx: 1.5\n"y": 1e+21\nz: 1e-07\n'


def test_list_wrapper():
    assert to_yaml(list_wrapper([])) == \
        'apiVersion: v1\nitems: []\nkind: List\nmetadata:\n  resourceVersion: ""\n'
    assert to_yaml(list_wrapper([{"kind": "Pod", "metadata": {"name": "a"}}])) == (
        'apiVersion: v1\nitems:\n- kind: Pod\n  metadata:\n    name: a\nkind: List\n'
        'metadata:\n  resourceVersion: ""\n')


def test_stub_server_object():
    """`kubectl get pod golden -o yaml` against a stub API server (kubectl 1.32)."""
    assert to_yaml(GOLDEN_OBJECT) == GOLDEN_YAML


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

# kubectl get pod golden -o yaml (stub API server serving GOLDEN_OBJECT)
GOLDEN_YAML = r"""apiVersion: v1
kind: Pod
metadata:
  annotations:
    ? <K130>
    : long key
    ? |-
      multi
      line
    : key with newline
    note: |
      line1
      line2
  labels:
    a-b: z
    a9: "y"
    a10: x
    aB: w
    "n": "1"
  name: golden
  namespace: default
spec:
  big: 1e+21
  bom: "\uFEFF\x61\x62"
  colon: 'a: b'
  date: "2025-06-02"
  emoji: "hi \U0001F600"
  hash: 'a #b'
  items:
  - blank: ""
    lit: |-
      one
      two
    text: word word word word word word word word word word word word word word word
      word word word word word end
  - '- dash'
  - plain
  - 3
  - 1.5
  - true
  - null
  keep: |+
    end

  lead: |2-

    foo
  neg: -3
  nested:
  - - a
    - b
  - []
  - {}
  - - x: 1
  num: "007"
  quote: it's
  small: 1e-07
  stamp: "2025-06-02T10:00:00Z"
  tab: "a\tb"
  whole: 2
""".replace("<K130>", "k" * 130)
