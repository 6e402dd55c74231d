"""Label selectors against upstream's grammar, messages and String() form (apimachinery v1.32)."""
import pytest

from kubelearn.api import selector as selector_module
from kubelearn.api.selector import (Requirement, Selector, SelectorError, SelectorParseError,
                                    format_labels, parse_selector, selector_from_label_selector,
                                    selector_from_set)

QNAME_TAIL = ("must consist of alphanumeric characters, '-', '_' or '.', and must start and end with "
              "an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used "
              "for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')")
LABEL_VALUE_MSG = ("a valid label must be an empty string or consist of alphanumeric characters, "
                   "'-', '_' or '.', and must start and end with an alphanumeric character (e.g. "
                   "'MyValue',  or 'my_value',  or '12345', regex used for validation is "
                   "'(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')")


@pytest.mark.parametrize("text, printed", [
    ("app=web", "app=web"),
    ("app==web", "app==web"),
    ("env!=prod", "env!=prod"),
    ("tier in (frontend,backend), app = web", "app=web,tier in (backend,frontend)"),
    ("version notin (v1)", "version notin (v1)"),
    ("!legacy", "!legacy"),
    ("legacy", "legacy"),
    ("  a  =  b  ", "a=b"),
    ("a\tin\t(x)", "a in (x)"),
    ("", ""),
    ("a=", "a="),
    ("a in ()", "a in ()"),
    ("x in (foo,,baz),y,z notin ()", "x in (,baz,foo),y,z notin ()"),
    ("a in (b,b,a)", "a in (a,b)"),
    ("a=in", "a=in"),
    ("a in (in,notin)", "a in (in,notin)"),
    ("zone,!gpu,app=web", "app=web,!gpu,zone"),
    ("a>1,b<20", "a>1,b<20"),
    ("example.com/team=ops", "example.com/team=ops"),
])
def test_parse_prints_upstream_string(text, printed):
    assert str(parse_selector(text)) == printed


@pytest.mark.parametrize("text, message", [
    ("a in b", "unable to parse requirement: found 'b' expected: '('"),
    ("a b", "unable to parse requirement: found 'b', expected: in, notin, =, ==, !=, gt, lt"),
    ("a=b c", "found 'c', expected: ',' or 'end of string'"),
    ("a=b,", "found '', expected: identifier after ','"),
    (",", "found ',', expected: !, identifier, or 'end of string'"),
    ("!", "unable to parse requirement: found '', expected: identifier"),
    ("!a=b", "found '=', expected: ',' or 'end of string'"),
    ("a in (b c)", "unable to parse requirement: found 'c', expected: ',' or ')'"),
    ("a in (b", "unable to parse requirement: found '', expected: ',' or ')'"),
    ("a in (", "unable to parse requirement: found '', expected: ',', ')' or identifier"),
    ("a==(", "unable to parse requirement: found '(', expected: identifier"),
    ("a<=1", "unable to parse requirement: found '=', expected: identifier"),
    ("a>b", "unable to parse requirement: values[0]: Invalid value: \"b\": "
            "for 'Gt', 'Lt' operators, the value must be an integer"),
    # Seen verbatim in kubectl output ("Error from server (BadRequest): Unable to find ...").
    ("app:monolith", 'unable to parse requirement: <nil>: Invalid value: "app:monolith": name part '
                     + QNAME_TAIL),
    ("a/b/c ?=? def", 'unable to parse requirement: <nil>: Invalid value: "a/b/c": a qualified name '
                      + QNAME_TAIL + " with an optional DNS subdomain prefix and '/' "
                      "(e.g. 'example.com/MyName')"),
    ("a in (b$)", 'unable to parse requirement: values[0][a]: Invalid value: "b$": ' + LABEL_VALUE_MSG),
    ("a in (b$,c$)", 'unable to parse requirement: [values[0][a]: Invalid value: "b$": '
                     + LABEL_VALUE_MSG + ', values[1][a]: Invalid value: "c$": ' + LABEL_VALUE_MSG + "]"),
])
def test_parse_errors_are_upstream_messages(text, message):
    with pytest.raises(SelectorParseError) as info:
        parse_selector(text)
    assert str(info.value) == message


def test_parse_error_uses_the_given_field_path():
    with pytest.raises(SelectorParseError) as info:
        parse_selector("b@d", path="spec.selector")
    assert str(info.value) == ('unable to parse requirement: spec.selector: Invalid value: "b@d": '
                               "name part " + QNAME_TAIL)


@pytest.mark.parametrize("text, labels, expected", [
    ("app=web", {"app": "web"}, True),
    ("app=web", {"app": "db"}, False),
    ("app=web", {}, False),
    ("app==web", {"app": "web", "x": "y"}, True),
    ("env!=prod", {"env": "dev"}, True),
    ("env!=prod", {}, True),                      # != matches objects without the key
    ("env!=prod", {"env": "prod"}, False),
    ("tier in (a,b)", {"tier": "b"}, True),
    ("tier in (a,b)", {"tier": "c"}, False),
    ("tier in (a,b)", {}, False),
    ("tier notin (a,b)", {}, True),               # notin matches objects without the key
    ("tier notin (a,b)", {"tier": "a"}, False),
    ("tier notin (a,b)", {"tier": "c"}, True),
    ("legacy", {"legacy": ""}, True),
    ("legacy", {}, False),
    ("!legacy", {}, True),
    ("!legacy", {"legacy": "yes"}, False),
    ("a=", {"a": ""}, True),
    ("a=", {}, False),
    ("a in ()", {"a": ""}, True),
    ("app=web,tier=fe", {"app": "web", "tier": "fe"}, True),
    ("app=web,tier=fe", {"app": "web"}, False),
    ("n>3", {"n": "4"}, True),
    ("n>3", {"n": "3"}, False),
    ("n>3", {"n": "x"}, False),
    ("n<3", {"n": "-7"}, True),
    ("n<3", {}, False),
    ("", {"anything": "at all"}, True),
    ("", None, True),
])
def test_matches(text, labels, expected):
    assert parse_selector(text).matches(labels) is expected


def test_requirement_matches_agrees_with_selector():
    sel = parse_selector("a in (x,y),!b,c!=z,d")
    for labels in ({"a": "x", "d": ""}, {"a": "y", "b": "", "d": ""}, {"a": "q"}, {}):
        assert sel.matches(labels) == all(r.matches(labels) for r in sel.requirements)


def test_requirements_are_ordered_by_key_and_keep_operators():
    sel = parse_selector("z=1,a notin (q),m")
    assert [(r.key, r.operator, r.values) for r in sel.requirements] == [
        ("a", "notin", ("q",)), ("m", "exists", ()), ("z", "=", ("1",))]


def test_empty_everything_and_nothing():
    assert parse_selector("").empty and Selector().empty
    assert not parse_selector("a").empty
    nothing = Selector.nothing()
    assert not nothing.empty and nothing.matches_nothing
    assert not nothing.matches({}) and not nothing.matches({"a": "b"})
    assert str(nothing) == ""


@pytest.mark.parametrize("obj, printed, matching, not_matching", [
    ({"matchLabels": {"app": "web"}}, "app=web", {"app": "web"}, {"app": "x"}),
    ({"matchLabels": {"tier": "fe", "app": "web"},
      "matchExpressions": [{"key": "env", "operator": "NotIn", "values": ["prod"]}]},
     "app=web,env notin (prod),tier=fe", {"app": "web", "tier": "fe"}, {"app": "web"}),
    ({"matchExpressions": [{"key": "tier", "operator": "In", "values": ["frontend", "backend"]},
                           {"key": "legacy", "operator": "DoesNotExist"},
                           {"key": "app", "operator": "Exists"}]},
     "app,!legacy,tier in (backend,frontend)", {"app": "", "tier": "backend"},
     {"app": "", "tier": "backend", "legacy": "1"}),
    ({}, "", {}, None),
])
def test_selector_from_label_selector(obj, printed, matching, not_matching):
    sel = selector_from_label_selector(obj)
    assert str(sel) == printed
    assert sel.matches(matching)
    if not_matching is not None:
        assert not sel.matches(not_matching)


def test_nil_label_selector_selects_nothing_and_empty_selects_everything():
    assert selector_from_label_selector(None).matches_nothing
    assert not selector_from_label_selector(None).matches({"app": "web"})
    assert selector_from_label_selector({}).empty
    assert selector_from_label_selector({"matchLabels": {}, "matchExpressions": []}).matches({"x": "y"})


@pytest.mark.parametrize("obj, message", [
    ({"matchExpressions": [{"key": "k", "operator": "Foo"}]},
     '"Foo" is not a valid label selector operator'),
    ({"matchExpressions": [{"key": "k", "operator": "In"}]},
     "values: Invalid value: []string(nil): for 'in', 'notin' operators, values set can't be empty"),
    ({"matchExpressions": [{"key": "k", "operator": "Exists", "values": ["x"]}]},
     'values: Invalid value: []string{"x"}: values set must be empty for exists and does not exist'),
    ({"matchLabels": {"a b": "c"}}, 'key: Invalid value: "a b": name part ' + QNAME_TAIL),
    ({"matchLabels": {"app": "web app"}},
     'values[0][app]: Invalid value: "web app": ' + LABEL_VALUE_MSG),
])
def test_label_selector_errors(obj, message):
    with pytest.raises(SelectorError) as info:
        selector_from_label_selector(obj)
    assert str(info.value) == message


def test_selector_from_set():
    sel = selector_from_set({"tier": "fe", "app": "web"})
    assert str(sel) == "app=web,tier=fe"
    assert sel.matches({"app": "web", "tier": "fe", "extra": "1"})
    assert not sel.matches({"app": "web"})
    # An empty set selects everything; Services with no selector are the caller's rule.
    assert selector_from_set({}).empty and selector_from_set(None).matches({"a": "b"})


@pytest.mark.parametrize("text, terms", [
    ("app=web,tier in (fe),env!=prod", [("app", "web"), ("tier", "fe")]),
    ("app==web", [("app", "web")]),
    ("tier in (a,b),zone", [("tier", None), ("zone", None)]),
    ("!legacy,env notin (x)", []),
    ("n>2", [("n", None)]),
    ("", []),
])
def test_index_terms(text, terms):
    assert parse_selector(text).index_terms() == terms


def test_index_terms_never_exclude_a_match():
    """Every term names a posting that each matching label set is in."""
    sel = parse_selector("app=web,tier in (a,b),zone,!legacy,env!=prod")
    labels = {"app": "web", "tier": "b", "zone": "z1"}
    assert sel.matches(labels)
    for key, value in sel.index_terms():
        assert key in labels and (value is None or labels[key] == value)


@pytest.mark.parametrize("text, key, value", [
    ("app=web,tier=fe", "tier", "fe"),
    ("app in (web)", "app", "web"),
    ("app in (a,b)", "app", None),
    ("app!=web", "app", None),
    ("app=web", "tier", None),
])
def test_requires_exact_match(text, key, value):
    assert parse_selector(text).requires_exact_match(key) == value


def test_requirement_new_validates_like_new_requirement():
    assert str(Requirement.new("app", "in", ["b", "a"])) == "app in (a,b)"
    with pytest.raises(SelectorError) as info:
        Requirement.new("app", "=", ["a", "b"])
    assert str(info.value) == ('values: Invalid value: []string{"a", "b"}: '
                               "exact-match compatibility requires one single value")
    with pytest.raises(SelectorError) as info:
        Requirement.new("app", "~", ["a"])
    assert str(info.value) == ('operator: Unsupported value: "~": supported values: "in", "notin", '
                               '"=", "==", "!=", "gt", "lt", "exists", "!"')


def test_add_and_equality():
    sel = parse_selector("b=1").add(Requirement("a", "exists"))
    assert str(sel) == "a,b=1"
    assert sel == parse_selector("a,b=1") and hash(sel) == hash(parse_selector("b=1,a"))
    assert sel != parse_selector("a")


@pytest.mark.parametrize("labels, text", [
    ({"tier": "fe", "app": "web"}, "app=web,tier=fe"),
    ({"app": ""}, "app="),
    ({}, "<none>"),
    (None, "<none>"),
])
def test_format_labels(labels, text):
    assert format_labels(labels) == text


def test_matches_runs_no_validation_or_regex(monkeypatch):
    """Matching uses what the constructor precompiled: no key/value checks, no regex."""
    sel = parse_selector("app=web,tier in (a,b),env!=prod,zone,!legacy,n>1")
    assert all(isinstance(values, frozenset) for _, _, values in sel._compiled)
    assert not hasattr(sel, "__dict__")

    def boom(*args, **kwargs):
        raise AssertionError("validation or regex ran during matches()")

    monkeypatch.setattr(selector_module, "is_qualified_name", boom)
    monkeypatch.setattr(selector_module, "is_valid_label_value", boom)
    import re
    for name in ("compile", "match", "fullmatch", "search"):
        monkeypatch.setattr(re, name, boom)
    labels = {"app": "web", "tier": "a", "zone": "z", "n": "2"}
    assert all(sel.matches(labels) for _ in range(1000))
    assert not sel.matches({**labels, "legacy": ""})


def test_node_selector_term_matches_expressions_fields_and_numbers():
    from kubelearn.api.selector import node_selector_term_matches as matches

    labels = {"zone": "a", "cores": "8"}
    assert not matches({}, labels, "n1")                  # an empty term matches nothing
    assert matches({"matchExpressions": [{"key": "zone", "operator": "In",
                                          "values": ["a", "b"]}]}, labels, "n1")
    assert not matches({"matchExpressions": [{"key": "zone", "operator": "NotIn",
                                              "values": ["a"]}]}, labels, "n1")
    assert matches({"matchExpressions": [{"key": "gpu", "operator": "DoesNotExist"},
                                         {"key": "cores", "operator": "Gt", "values": ["4"]}]},
                   labels, "n1")
    assert not matches({"matchExpressions": [{"key": "cores", "operator": "Lt",
                                              "values": ["x"]}]}, labels, "n1")
    assert matches({"matchFields": [{"key": "metadata.name", "operator": "In",
                                     "values": ["n1"]}]}, labels, "n1")
    assert not matches({"matchFields": [{"key": "metadata.name", "operator": "In",
                                         "values": ["n1"]}]}, labels, "n2")
