"""JSONPath goldens: outputs and errors of real kubectl 1.32 (`--dry-run=client` and a
stub API server), plus client-go's documented quirks."""

import pytest

from kubelearn.kubectl.printers.jsonpath import JSONPathError, go_sharp_v, render_jsonpath


def deployment(replicas=3, images=("nginx", "busybox")):
    """What `kubectl create deployment web --image=... --dry-run=client` builds."""
    labels = {"app": "web"}
    return {"apiVersion": "apps/v1", "kind": "Deployment",
            "metadata": {"creationTimestamp": None, "labels": labels, "name": "web"},
            "spec": {"replicas": replicas, "selector": {"matchLabels": labels}, "strategy": {},
                     "template": {"metadata": {"creationTimestamp": None, "labels": labels},
                                  "spec": {"containers": [{"image": i, "name": i, "resources": {}}
                                                          for i in images]}}},
            "status": {}}


CFG = {"apiVersion": "v1", "kind": "ConfigMap",
       "metadata": {"name": "cfg", "namespace": "default",
                    "creationTimestamp": "2025-06-02T10:00:00Z",
                    "labels": {"app.kubernetes.io/name": "web", "x": "1"}},
       "data": {"a.b": "dotted", "a": "plain", "n": "<b>&", "num": "5"},
       "nums": [3, 1, 2], "flag": True, "nil": None, "f": 2.5, "empty": {}, "elist": []}

CONTAINERS_JSON = ('{"image":"nginx","name":"nginx","resources":{}} '
                   '{"image":"busybox","name":"busybox","resources":{}}')


@pytest.mark.parametrize("template, out", [
    ("{.metadata.name}", "web"),
    ("{.spec.replicas}", "3"),
    ("{.spec.template.spec.containers[*].name}", "nginx busybox"),
    ("{.spec.template.spec.containers[-1].image}", "busybox"),
    ("{..image}", "nginx busybox"),
    ("{..name}", "web nginx busybox"),
    ('{range .spec.template.spec.containers[*]}{.name}{"\\t"}{.image}{"\\n"}{end}',
     "nginx\tnginx\nbusybox\tbusybox\n"),
    ("{.metadata.labels}", '{"app":"web"}'),
    ('{.spec.template.spec.containers[?(@.name=="nginx")].image}', "nginx"),
    ("{.spec.template.spec.containers[?(@.name!=\"nginx\")].name}", "busybox"),
    ('{.spec.template.spec.containers[?(@.name<"c")].name}', "busybox"),
    ("{.spec.template.spec.containers[?(@.image==@.name)].name}", "nginx busybox"),
    ("{.spec.template.spec.containers[?(@.foo==\"x\")].name}", ""),
    ("name: {.metadata.name} x", "name: web x"),
    ("{.spec.template.spec.containers[0:1]}",
     '{"image":"nginx","name":"nginx","resources":{}}'),
    ("{.spec.template.spec.containers[*]}", CONTAINERS_JSON),
    ("{.metadata.creationTimestamp}", "null"),
    ("{.status}", "{}"),
    ("{.spec.paused}", ""),
    ("{'\\t'}", "\t"),
    ("{.metadata.foo.bar}", ""),
    ("{.spec.replicas.x}", ""),
    ("{range .items[*]}{.x}{end}", ""),
    ("{range .spec.template.spec.containers[*]}[{.name}]{end}{\"|\"}{.kind}",
     "[nginx][busybox]|Deployment"),
    ("{range .spec.template.spec.containers[*]}{range .resources}x{end}{.name}{end}",
     "xnginxxbusybox"),
    ("{.spec.template.spec.containers[1:1]}", ""),
    ("{.spec.template.spec.containers[:-1].name}", "nginx"),
    ("{.metadata['name','labels']}", 'web {"app":"web"}'),
    ("{ .metadata.name }", "web"),
    ("{$.kind}", "Deployment"),
    ("}", "}"),
])
def test_dry_run_outputs(template, out):
    assert render_jsonpath(template, deployment()) == out


def test_empty_action_prints_whole_object():
    whole = render_jsonpath("{@}", deployment(1, ("nginx",)))
    assert whole == render_jsonpath("{}", deployment(1, ("nginx",)))
    assert whole.startswith('{"apiVersion":"apps/v1","kind":"Deployment","metadata":')


@pytest.mark.parametrize("template, out", [
    ("{.data['a.b']}", ""),  # split at the dot: data.a.b
    ("{.data.a\\.b}", "dotted"),
    ("{.metadata.labels.app\\.kubernetes\\.io/name}", "web"),
    ("{.nums[0,2]}", "3 2"),
    ("{.data['a','n']}", "plain <b>&"),
    ("{.metadata.name.*}", "99 102 103"),  # bytes of "cfg"
    ("{.flag} {.nil} {.f} {.empty} {.elist} {.nums}", "true null 2.5 {} [] [3,1,2]"),
    ("{.data}", '{"a":"plain","a.b":"dotted","n":"\\u003cb\\u003e\\u0026","num":"5"}'),
    ("{.data.n}", "<b>&"),
    ("{range .nums[*]}{@}-{end}", "3-1-2-"),
    ("{.nums[?(@>1)]}", "3 2"),
    ("{.nums[]}", "3"),
    ("{.nums[-1:]}", "2"),
    ("{.nums[::2]}", "3 2"),
    ("{.nums[5:5]}", ""),
    ('{"a\\tb"}', "a\tb"),
    ("{'it\\'s'}", "it's"),
    ('{"\\u00e9\\x41"}', "\u00e9A"),
    ("{.nil[0]}", ""),
    ("{true}", "true"),
    ("{-1.5}", "-1.5"),
    ("{.data.a}{range}", "plain"),
    ("{..x}", "1"),
    ("text only", "text only"),
])
def test_stub_server_outputs(template, out):
    assert render_jsonpath(template, CFG) == out


def test_range_without_end_runs_the_rest_again():
    out = render_jsonpath("{range .nums[*]}{@}-", CFG)
    assert out.startswith("3-1-2-{\"apiVersion\":\"v1\"") and out.endswith("}-")


def test_as_json():
    assert render_jsonpath("{.nums[*]}{.data.a}", CFG, as_json=True) == \
        '[\n    3,\n    1,\n    2\n]\n[\n    "plain"\n]\n'
    assert render_jsonpath("{.nope}", CFG, as_json=True) == "[]\n"


def error(template, data, allow=True):
    with pytest.raises(JSONPathError) as info:
        render_jsonpath(template, data, allow_missing_keys=allow)
    return info.value.message


@pytest.mark.parametrize("template, message", [
    ("{.metadata.name", "unclosed action"),
    ("{.a[}", "unterminated array"),
    ("{.a[x]}", "invalid array index x"),
    ("{.metadata[name,labels]}", "invalid array index name"),
    ('{"abc}', "unterminated quoted string"),
    ("{{.a}", "unrecognized character in action: U+007B '{'"),
    ("{\t.a}", "unrecognized character in action: U+0009"),
    ("{.metadata.name,.kind}", "unrecognized character in action: U+002C ','"),
    ('{.a[?(@.name=~"ng.*")].name}', "unrecognized character in action: U+007E '~'"),
    ("{....a}", "invalid multiple recursive descent"),
    ('{.spec.template.spec.containers[*]["name"]}', 'invalid array index "name"'),
])
def test_parse_errors(template, message):
    assert error(template, deployment()) == f"error parsing jsonpath {template}, {message}"


C = ".spec.template.spec.containers"


@pytest.mark.parametrize("template, data, reason", [
    ("{%s[5]}" % C, deployment(), "array index out of bounds: index 5, length 2"),
    ("{%s[0:5]}" % C, deployment(), "array index out of bounds: index 4, length 2"),
    ("{%s[-5:]}" % C, deployment(), "array index out of bounds: index -3, length 2"),
    ("{%s[::0]}" % C, deployment(), "step must be > 0"),
    ("{%s[?(@.name>1)]}" % C, deployment(), "incompatible types for comparison"),
    ("{%s[?(@.resources==1)].name}" % C, deployment(), "invalid type for comparison"),
    ("{.nums[?(@>1.5)]}", CFG, "incompatible types for comparison"),
    ("{.nums[?(@==true)]}", CFG, "incompatible types for comparison"),
    ("{.bools[?(@<true)]}", {"bools": [True, False]}, "invalid type for comparison"),
    ("{.bools[?(@>=false)]}", {"bools": [True, False]}, "invalid type for comparison"),
    ("{.metadata.labels[0]}", deployment(), "map[string]interface {} is not array or slice"),
    ("{%s[0].name[0]}" % C, deployment(), "string is not array or slice"),
    ('{.metadata[?(@.name=="x")]}', deployment(),
     "map[creationTimestamp:<nil> labels:map[app:web] name:web] is not array or slice "
     "and cannot be filtered"),
    ("{.nil[?(@.a)]}", CFG, "<nil> is not array or slice and cannot be filtered"),
    ("{end}", deployment(), "not in range, nothing to end"),
    ("{x}", CFG, "unrecognized identifier x"),
    ("{.a b}", CFG, "unrecognized identifier b"),
])
def test_execution_errors(template, data, reason):
    head = error(template, data).split(". Printing more information")[0]
    assert head == (f"error executing jsonpath {go_quote_for(template)}: "
                    f"Error executing template: {reason}")


def go_quote_for(template):
    return '"' + template.replace('"', '\\"') + '"'


def test_missing_key_error_text_when_not_allowed():
    # kubectl create configmap c --dry-run=client -o jsonpath='{.foo}' \
    #     --allow-missing-template-keys=false
    cm = {"apiVersion": "v1", "kind": "ConfigMap",
          "metadata": {"creationTimestamp": None, "name": "c"}}
    assert render_jsonpath("{.foo}", cm) == ""
    assert "error: " + error("{.foo}", cm, allow=False) + "\n" == (
        'error: error executing jsonpath "{.foo}": Error executing template: foo is not found. '
        "Printing more information for debugging the template:\n"
        "\ttemplate was:\n\t\t{.foo}\n"
        "\tobject given to jsonpath engine was:\n"
        '\t\tmap[string]interface {}{"apiVersion":"v1", "kind":"ConfigMap", "metadata":'
        'map[string]interface {}{"creationTimestamp":interface {}(nil), "name":"c"}}\n\n\n')


def test_missing_key_inside_range_and_filter_not_allowed():
    assert "x is not found" in error("{range .spec}{.x}", deployment(), allow=False)
    assert "foo is not found" in error('{.spec.template.spec.containers[?(@.foo=="x")]}',
                                       deployment(), allow=False)


def test_bool_filters():
    assert render_jsonpath("{.b[?(@==true)]}", {"b": [True, False]}) == "true"
    assert render_jsonpath("{.b[?(@!=true)]}", {"b": [True, False]}) == "false"


def test_strict_mode_on_empty_inputs():
    """An empty list yields no error, but a range over it still runs its body once on nil."""
    assert render_jsonpath("{.elist[*].x}", CFG, allow_missing_keys=False) == ""
    assert render_jsonpath("{.elist[?(@.x)].y}", CFG, allow_missing_keys=False) == ""
    assert "x is not found" in error("{range .elist[*]}{.x}{end}", CFG, allow=False)
    assert "x is not found" in error("{.empty.x}", CFG, allow=False)


def test_map_iteration_is_sorted_for_determinism():
    # Go iterates maps in random order; we always use key order.
    data = {"m": {"b": 2, "c": {"x": 3}, "a": 1}}
    assert render_jsonpath("{.m.*}", data) == '1 2 {"x":3}'
    assert render_jsonpath("{..x}", data) == "3"
    assert render_jsonpath("{..}", data) == \
        '{"m":{"a":1,"b":2,"c":{"x":3}}} {"a":1,"b":2,"c":{"x":3}} {"x":3}'


def test_empty_template():
    assert error("", CFG) == "template format specified but no template given"


def test_go_sharp_v_dump():
    odd = {"apiVersion": "v1", "kind": "ConfigMap",
           "metadata": {"name": "odd", "namespace": "default"},
           "data": {"q": "say \"hi\"\\ \t\n\x01 é ✓ 😀 \u00a0 \u2028 <>&"},
           "big": 1e21, "small": 1.5e-7, "neg": -3, "ints": [1, -2], "t": True, "n": None,
           "e": {}, "l": [], "ll": [[], [1]]}
    assert go_sharp_v(odd) == (
        'map[string]interface {}{"apiVersion":"v1", "big":1e+21, "data":map[string]interface {}'
        '{"q":"say \\"hi\\"\\\\ \\t\\n\\x01 é ✓ 😀 \\u00a0 \\u2028 <>&"}, '
        '"e":map[string]interface {}{}, "ints":[]interface {}{1, -2}, "kind":"ConfigMap", '
        '"l":[]interface {}{}, "ll":[]interface {}{[]interface {}{}, []interface {}{1}}, '
        '"metadata":map[string]interface {}{"name":"odd", "namespace":"default"}, '
        '"n":interface {}(nil), "neg":-3, '
        '"small":1.5e-07, "t":true}')
