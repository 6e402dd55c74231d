"""Validators and field errors, word for word as Kubernetes v1.32 prints them."""
import pytest

from kubelearn.api.validation import (
    FIELD_IMMUTABLE_ERROR_MSG, IS_NEGATIVE_ERROR_MSG, TOTAL_ANNOTATION_SIZE_LIMIT_B, FieldError,
    GoLiteral, aggregate_message, duplicate, forbidden, go_quote, go_repr, internal_error, invalid,
    invalid_message, invalid_status, is_config_map_key, is_dns1035_label, is_dns1123_label,
    is_dns1123_subdomain, is_qualified_name, is_valid_label_value, is_valid_port_name,
    is_valid_port_num, mask_trailing_dash, name_is_dns1035_label, name_is_dns_label,
    name_is_dns_subdomain, not_found, not_supported, regex_error, required, server_invalid_message,
    status_causes, too_long, too_many, validate_annotations, validate_immutable_field,
    validate_label_selector, validate_labels, validate_nonnegative_field, validate_object_meta)

SUBDOMAIN = ("a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, "
             "'-' or '.', and must start and end with an alphanumeric character (e.g. "
             "'example.com', regex used for validation is "
             r"'[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')")
DNS1123_LABEL = ("a lowercase RFC 1123 label must consist of lower case alphanumeric characters or "
                 "'-', and must start and end with an alphanumeric character (e.g. 'my-name',  or "
                 "'123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')")
DNS1035_LABEL = ("a DNS-1035 label must consist of lower case alphanumeric characters or '-', start "
                 "with an alphabetic character, and end with an alphanumeric character (e.g. "
                 "'my-name',  or 'abc-123', regex used for validation is "
                 "'[a-z]([-a-z0-9]*[a-z0-9])?')")
QNAME = ("must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an "
         "alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for "
         "validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')")
LABEL_VALUE = ("a valid label must be an empty string or consist of alphanumeric characters, '-', "
               "'_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  "
               "or 'my_value',  or '12345', regex used for validation is "
               "'(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')")
MISMATCH = "`selector` does not match template `labels`"


def test_regex_error_keeps_upstreams_double_space():
    assert regex_error("m", "re", "a", "b") == "m (e.g. 'a',  or 'b', regex used for validation is 're')"
    assert regex_error("m", "re", "a") == "m (e.g. 'a', regex used for validation is 're')"
    assert regex_error("m", "re") == "m (regex used for validation is 're')"


@pytest.mark.parametrize("check, value, messages", [
    (is_dns1123_subdomain, "web-app.v2", []),
    (is_dns1123_subdomain, "Web_App", [SUBDOMAIN]),
    (is_dns1123_subdomain, "a" * 254, ["must be no more than 253 characters"]),
    (is_dns1123_subdomain, "", [SUBDOMAIN]),
    (is_dns1123_label, "my-ns", []),
    (is_dns1123_label, "123-abc", []),
    (is_dns1123_label, "My_NS", [DNS1123_LABEL]),
    (is_dns1123_label, "a.b", ["must not contain dots"]),
    (is_dns1123_label, "a" * 64, ["must be no more than 63 characters"]),
    (is_dns1123_label, "-" * 64, ["must be no more than 63 characters", DNS1123_LABEL]),
    (is_dns1035_label, "web", []),
    (is_dns1035_label, "1web", [DNS1035_LABEL]),
    (is_dns1035_label, "no-domain.com", [DNS1035_LABEL]),
    (is_valid_label_value, "", []),
    (is_valid_label_value, "web-1.x_y", []),
    (is_valid_label_value, "Web App", [LABEL_VALUE]),
    (is_valid_label_value, "v" * 64, ["must be no more than 63 characters"]),
    (is_qualified_name, "app", []),
    (is_qualified_name, "app.kubernetes.io/name", []),
    (is_qualified_name, "app:web", ["name part " + QNAME]),
    (is_qualified_name, "", ["name part must be non-empty", "name part " + QNAME]),
    (is_qualified_name, "/name", ["prefix part must be non-empty"]),
    (is_qualified_name, "Example.com/name", ["prefix part " + SUBDOMAIN]),
    (is_qualified_name, "example.com/", ["name part must be non-empty", "name part " + QNAME]),
    (is_qualified_name, "n" * 64, ["name part must be no more than 63 characters"]),
    (is_qualified_name, "a/b/c", ["a qualified name " + QNAME + " with an optional DNS subdomain "
                                  "prefix and '/' (e.g. 'example.com/MyName')"]),
    (is_valid_port_name, "http", []),
    (is_valid_port_name, "http-web-server1", ["must be no more than 15 characters"]),
    (is_valid_port_name, "8080", ["must contain at least one letter (a-z)"]),
    (is_valid_port_name, "-a--b", ["must not contain consecutive hyphens",
                                   "must not begin or end with a hyphen"]),
    (is_valid_port_name, "HTTP", ["must contain only alpha-numeric characters (a-z, 0-9), and "
                                  "hyphens (-)", "must contain at least one letter (a-z)"]),
    (is_config_map_key, "app.properties", []),
    (is_config_map_key, "..x", ["must not start with '..'"]),
    (is_config_map_key, "a b", ["a valid config key must consist of alphanumeric characters, '-', "
                                "'_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex "
                                "used for validation is '[-._a-zA-Z0-9]+')"]),
])
def test_name_rules(check, value, messages):
    assert check(value) == messages


@pytest.mark.parametrize("port, messages", [
    (80, []), (1, []), (65535, []),
    (0, ["must be between 1 and 65535, inclusive"]), (65536, ["must be between 1 and 65535, inclusive"]),
])
def test_port_numbers(port, messages):
    assert is_valid_port_num(port) == messages


def test_name_validators_allow_a_trailing_dash_only_for_generate_name():
    assert mask_trailing_dash("web-") == "wea" and mask_trailing_dash("-") == "-"
    assert name_is_dns_subdomain("web-", True) == [] and name_is_dns_subdomain("web-") == [SUBDOMAIN]
    assert name_is_dns_label("ns-", True) == [] and name_is_dns_label("ns-") == [DNS1123_LABEL]
    assert name_is_dns1035_label("svc-", True) == [] and name_is_dns1035_label("svc-") == [DNS1035_LABEL]


@pytest.mark.parametrize("error, text", [
    (invalid("spec.replicas", -1, IS_NEGATIVE_ERROR_MSG),
     "spec.replicas: Invalid value: -1: must be greater than or equal to 0"),
    (FieldError("Invalid", "spec.replicas", -1, IS_NEGATIVE_ERROR_MSG),
     "spec.replicas: Invalid value: -1: must be greater than or equal to 0"),
    (required("spec.selector"), "spec.selector: Required value"),
    (FieldError("Required", "spec.template.spec.containers[0].image"),
     "spec.template.spec.containers[0].image: Required value"),
    (required("metadata.name", "name or generateName is required"),
     "metadata.name: Required value: name or generateName is required"),
    (invalid("metadata.name", "Web_App", SUBDOMAIN), 'metadata.name: Invalid value: "Web_App": ' + SUBDOMAIN),
    (not_supported("spec.template.spec.restartPolicy", "Never", ["Always"]),
     'spec.template.spec.restartPolicy: Unsupported value: "Never": supported values: "Always"'),
    (FieldError("Unsupported", "spec.type", "Foo", 'supported values: "ClusterIP", "NodePort"'),
     'spec.type: Unsupported value: "Foo": supported values: "ClusterIP", "NodePort"'),
    (FieldError("FieldValueNotSupported", "x", "y"), 'x: Unsupported value: "y"'),
    (invalid("spec.template.metadata.labels", {"app": "web2"}, MISMATCH),
     'spec.template.metadata.labels: Invalid value: map[string]string{"app":"web2"}: ' + MISMATCH),
    (duplicate("spec.ports[1].port", 80), "spec.ports[1].port: Duplicate value: 80"),
    (not_found("spec.containers[0].volumeMounts[0].name", "data"),
     'spec.containers[0].volumeMounts[0].name: Not found: "data"'),
    (forbidden("spec.clusterIP", "may not change once set"),
     "spec.clusterIP: Forbidden: may not change once set"),
    (too_long("metadata.annotations", TOTAL_ANNOTATION_SIZE_LIMIT_B),
     "metadata.annotations: Too long: may not be more than 262144 bytes"),
    (too_long("x", -1), "x: Too long: value is too long"),
    (too_many("spec.items", 5, 3), "spec.items: Too many: 5: must have at most 3 items"),
    (too_many("spec.items", -1, 3), "spec.items: Too many: must have at most 3 items"),
    (internal_error("spec", "boom"), "spec: Internal error: boom"),
    (invalid("spec.ports[0].nodePort", 80, "provided port is not in the valid range. The range "
             "of valid ports is 30000-32767"), "spec.ports[0].nodePort: Invalid value: 80: provided "
     "port is not in the valid range. The range of valid ports is 30000-32767"),
    (invalid("x", None, "d"), 'x: Invalid value: "null": d'),
    (invalid("x", True, "d"), "x: Invalid value: true: d"),
    (invalid("x", 0.5, "d"), "x: Invalid value: 0.5: d"),
    (invalid("x", ["a", "b"], "d"), 'x: Invalid value: []string{"a", "b"}: d'),
    (invalid("x", 'say "hi"\n', "d"), r'x: Invalid value: "say \"hi\"\n": d'),
])
def test_field_error_text(error, text):
    assert str(error) == text


def test_field_error_reason_and_body():
    err = invalid("spec.replicas", -1, IS_NEGATIVE_ERROR_MSG)
    assert err.reason == "FieldValueInvalid"
    assert err.body == "Invalid value: -1: must be greater than or equal to 0"
    assert FieldError("FieldValueRequired", "x").type == "Required"
    with pytest.raises(ValueError):
        FieldError("Wrong", "x")


@pytest.mark.parametrize("value, go_type, text", [
    ({"tier": "redis", "app": "web"}, None, 'map[string]string{"app":"web", "tier":"redis"}'),
    ({}, None, "map[string]string{}"),
    (None, "map[string]string", "map[string]string(nil)"),
    (None, "[]string", "[]string(nil)"),
    (["b", "a"], None, '[]string{"b", "a"}'),
    ({"a": 1, "b": "x"}, None, 'map[string]interface {}{"a":1, "b":"x"}'),
    ("x", None, '"x"'), (3, None, "3"), (False, None, "false"), (1e6, None, "1e+06"),
    ({"matchLabels": {"app": "x"}}, "v1.LabelSelector",
     'v1.LabelSelector{MatchLabels:map[string]string{"app":"x"}, '
     "MatchExpressions:[]v1.LabelSelectorRequirement(nil)}"),
    ({"matchExpressions": [{"key": "tier", "operator": "In", "values": ["cache"]}]}, "v1.LabelSelector",
     "v1.LabelSelector{MatchLabels:map[string]string(nil), MatchExpressions:"
     '[]v1.LabelSelectorRequirement{v1.LabelSelectorRequirement{Key:"tier", Operator:"In", '
     'Values:[]string{"cache"}}}}'),
    (GoLiteral("as-is"), None, "as-is"),
    (None, None, "<nil>"),
    ({"a": None, "b": 1}, None, 'map[string]interface {}{"a":interface {}(nil), "b":1}'),
])
def test_go_repr(value, go_type, text):
    assert go_repr(value, go_type) == text


@pytest.mark.parametrize("text, quoted", [
    ("plain", '"plain"'), ('a"b', r'"a\"b"'), ("a\\b", r'"a\\b"'), ("tab\there", r'"tab\there"'),
    ("\x00", r'"\x00"'), ("é", '"é"'), ("\u200b", r'"\u200b"'),
])
def test_go_quote(text, quoted):
    assert go_quote(text) == quoted


def test_immutable_selector_message_matches_kubectl():
    errs = validate_immutable_field({"matchLabels": {"app": "x"}}, {"matchLabels": {"app": "web"}},
                                    "spec.selector", go_type="v1.LabelSelector")
    assert invalid_message("Deployment", "web", errs) == (
        'The Deployment "web" is invalid: spec.selector: Invalid value: v1.LabelSelector{MatchLabels:'
        'map[string]string{"app":"x"}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: '
        + FIELD_IMMUTABLE_ERROR_MSG)
    assert validate_immutable_field({"a": "b"}, {"a": "b"}, "spec.selector") == []
    assert str(validate_immutable_field("10.0.0.2", "10.0.0.1", "spec.clusterIP")[0]) == \
        'spec.clusterIP: Invalid value: "10.0.0.2": field is immutable'


def test_invalid_message_single_and_several_causes():
    one = [invalid("spec.replicas", -1, IS_NEGATIVE_ERROR_MSG)]
    assert invalid_message("Deployment", "web", one) == (
        'The Deployment "web" is invalid: spec.replicas: Invalid value: -1: '
        "must be greater than or equal to 0")
    several = [required("spec.selector"),
               invalid("spec.template.metadata.labels", {"app": "nginx"}, MISMATCH)]
    assert invalid_message("Deployment", "nginx", several) == (
        'The Deployment "nginx" is invalid: \n'
        "* spec.selector: Required value\n"
        '* spec.template.metadata.labels: Invalid value: map[string]string{"app":"nginx"}: ' + MISMATCH)


def test_invalid_message_edge_cases():
    dup = [required("spec.selector"), required("spec.selector")]
    assert invalid_message("Deployment", "web", dup) == \
        'The Deployment "web" is invalid: spec.selector: Required value'
    assert invalid_message("Deployment", "web", []) == 'The Deployment "web" is invalid'
    assert invalid_message("", "", [required("x")]) == "The request is invalid: x: Required value"


def test_server_side_message_and_status():
    errs = [required("spec.selector"), invalid("spec.replicas", -1, IS_NEGATIVE_ERROR_MSG),
            required("spec.selector")]
    assert server_invalid_message("Deployment", "web", errs, group="apps") == (
        'Deployment.apps "web" is invalid: [spec.selector: Required value, spec.replicas: '
        "Invalid value: -1: must be greater than or equal to 0]")
    assert server_invalid_message("Service", "s", errs[:1]) == \
        'Service "s" is invalid: spec.selector: Required value'
    assert status_causes(errs[:2]) == [
        {"reason": "FieldValueRequired", "message": "Required value", "field": "spec.selector"},
        {"reason": "FieldValueInvalid", "field": "spec.replicas",
         "message": "Invalid value: -1: must be greater than or equal to 0"}]
    status = invalid_status("Deployment", "web", errs, group="apps")
    assert (status["code"], status["reason"], status["details"]["kind"], len(status["details"]["causes"])) == \
        (422, "Invalid", "Deployment", 3)


def test_aggregate_message():
    assert aggregate_message([]) == "<nil>"
    assert aggregate_message(["a"]) == "a"
    assert aggregate_message(["a", "b", "a"]) == "[a, b]"


@pytest.mark.parametrize("meta, namespaced, validator, texts", [
    ({"name": "web", "namespace": "default"}, True, name_is_dns_subdomain, []),
    ({"name": "Web_App", "namespace": "default"}, True, name_is_dns_subdomain,
     ['metadata.name: Invalid value: "Web_App": ' + SUBDOMAIN]),
    ({"name": "web.v1", "namespace": "default"}, True, name_is_dns1035_label,
     ['metadata.name: Invalid value: "web.v1": ' + DNS1035_LABEL]),
    ({"namespace": "default"}, True, name_is_dns_subdomain,
     ["metadata.name: Required value: name or generateName is required"]),
    ({"generateName": "web-", "namespace": "default"}, True, name_is_dns_subdomain, []),
    ({"generateName": "Web-", "namespace": "default"}, True, name_is_dns_subdomain,
     ['metadata.generateName: Invalid value: "Web-": ' + SUBDOMAIN]),
    ({"name": "web"}, True, name_is_dns_subdomain, ["metadata.namespace: Required value"]),
    ({"name": "web", "namespace": "Dev"}, True, name_is_dns_subdomain,
     ['metadata.namespace: Invalid value: "Dev": ' + DNS1123_LABEL]),
    ({"name": "pv1", "namespace": "default"}, False, name_is_dns_subdomain,
     ["metadata.namespace: Forbidden: not allowed on this type"]),
    ({"name": "dev"}, False, name_is_dns_label, []),
    ({"name": "web", "namespace": "d", "generation": -1}, True, name_is_dns_subdomain,
     ["metadata.generation: Invalid value: -1: must be greater than or equal to 0"]),
    ({"name": "web", "namespace": "d", "labels": {"b": "Web App", "a:x": "ok"}}, True,
     name_is_dns_subdomain, ['metadata.labels: Invalid value: "a:x": name part ' + QNAME,
                             'metadata.labels: Invalid value: "Web App": ' + LABEL_VALUE]),
    ({"name": "web", "namespace": "d", "annotations": {"Example.COM/Note": "x", "bad key": "y"}}, True,
     name_is_dns_subdomain, ['metadata.annotations: Invalid value: "bad key": name part ' + QNAME]),
    ({"name": "web", "namespace": "d", "finalizers": ["orphan", "foregroundDeletion"]}, True,
     name_is_dns_subdomain, ['metadata.finalizers: Invalid value: []string{"orphan", '
                             '"foregroundDeletion"}: finalizer orphan and foregroundDeletion '
                             "cannot be both set"]),
])
def test_validate_object_meta(meta, namespaced, validator, texts):
    assert [str(e) for e in validate_object_meta(meta, namespaced, validator)] == texts


def test_annotations_total_size_limit():
    at_limit = {"k": "v" * (TOTAL_ANNOTATION_SIZE_LIMIT_B - 1)}
    assert validate_annotations(at_limit, "metadata.annotations") == []
    over = {"k": "v" * TOTAL_ANNOTATION_SIZE_LIMIT_B}
    assert [str(e) for e in validate_annotations(over, "metadata.annotations")] == \
        ["metadata.annotations: Too long: may not be more than 262144 bytes"]


def test_labels_and_nonnegative_helpers():
    assert validate_labels({"app": "web"}, "metadata.labels") == []
    assert validate_nonnegative_field(0, "spec.replicas") == []
    assert [str(e) for e in validate_nonnegative_field(-3, "spec.replicas")] == \
        ["spec.replicas: Invalid value: -3: must be greater than or equal to 0"]


@pytest.mark.parametrize("selector, texts", [
    (None, []),
    ({"matchLabels": {"app": "web"}}, []),
    ({"matchLabels": {"app": "web app"}},
     ['spec.selector.matchLabels: Invalid value: "web app": ' + LABEL_VALUE]),
    ({"matchExpressions": [{"key": "tier", "operator": "In", "values": ["a"]},
                           {"key": "tier", "operator": "In"},
                           {"key": "x", "operator": "Exists", "values": ["a"]},
                           {"key": "y", "operator": "Equals", "values": ["a"]},
                           {"key": "bad key", "operator": "DoesNotExist"},
                           {"key": "z", "operator": "NotIn", "values": ["ok", "not ok"]}]},
     ["spec.selector.matchExpressions[1].values: Required value: must be specified when "
      "`operator` is 'In' or 'NotIn'",
      "spec.selector.matchExpressions[2].values: Forbidden: may not be specified when `operator` "
      "is 'Exists' or 'DoesNotExist'",
      'spec.selector.matchExpressions[3].operator: Invalid value: "Equals": not a valid selector '
      "operator",
      'spec.selector.matchExpressions[4].key: Invalid value: "bad key": name part ' + QNAME,
      'spec.selector.matchExpressions[5].values[1]: Invalid value: "not ok": ' + LABEL_VALUE]),
])
def test_validate_label_selector(selector, texts):
    assert [str(e) for e in validate_label_selector(selector, "spec.selector")] == texts
