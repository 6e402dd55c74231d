"""Field errors and the reusable validators of the API server, worded as in Kubernetes v1.32.

Learners meet validation through its messages (``metadata.name: Invalid value:
"Web_App": a lowercase RFC 1123 subdomain must consist of ...``), so every text
here is copied from upstream: apimachinery ``pkg/util/validation/validation.go``
(name rules), ``pkg/util/validation/field/errors.go`` (``field.Error``),
``pkg/api/validation/objectmeta.go`` and ``pkg/apis/meta/v1/validation``
(metadata, labels, selectors), ``pkg/api/errors/errors.go`` (``NewInvalid``) and
kubectl's ``pkg/cmd/util/helpers.go`` (how a 422 is finally printed).

Values inside messages use Go's ``%#v`` as v1.32 does (``map[string]string{"app":"web"}``);
``go_repr`` produces that syntax. Where Go iterates a map (labels, annotations)
and so reports errors in random order, keys are visited sorted: same words,
deterministic order.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Callable, Iterable

# --- messages of pkg/util/validation ----------------------------------------------------------

DNS1123_LABEL_MAX_LENGTH = 63
DNS1123_SUBDOMAIN_MAX_LENGTH = 253
DNS1035_LABEL_MAX_LENGTH = 63
LABEL_VALUE_MAX_LENGTH = 63
QUALIFIED_NAME_MAX_LENGTH = 63
TOTAL_ANNOTATION_SIZE_LIMIT_B = 256 * (1 << 10)
IS_NEGATIVE_ERROR_MSG = "must be greater than or equal to 0"
FIELD_IMMUTABLE_ERROR_MSG = "field is immutable"

_QNAME_FMT = "([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]"
_QNAME_MSG = ("must consist of alphanumeric characters, '-', '_' or '.', and must start and end "
              "with an alphanumeric character")
_LABEL_VALUE_FMT = f"({_QNAME_FMT})?"
_LABEL_VALUE_MSG = ("a valid label must be an empty string or consist of alphanumeric characters, "
                    "'-', '_' or '.', and must start and end with an alphanumeric character")
_DNS1123_LABEL_FMT = "[a-z0-9]([-a-z0-9]*[a-z0-9])?"
_DNS1123_LABEL_MSG = ("a lowercase RFC 1123 label must consist of lower case alphanumeric "
                      "characters or '-', and must start and end with an alphanumeric character")
_DNS1123_SUBDOMAIN_FMT = _DNS1123_LABEL_FMT + r"(\." + _DNS1123_LABEL_FMT + ")*"
_DNS1123_SUBDOMAIN_MSG = ("a lowercase RFC 1123 subdomain must consist of lower case alphanumeric "
                          "characters, '-' or '.', and must start and end with an alphanumeric "
                          "character")
_DNS1035_LABEL_FMT = "[a-z]([-a-z0-9]*[a-z0-9])?"
_DNS1035_LABEL_MSG = ("a DNS-1035 label must consist of lower case alphanumeric characters or '-', "
                      "start with an alphabetic character, and end with an alphanumeric character")
_CONFIG_MAP_KEY_FMT = "[-._a-zA-Z0-9]+"
_CONFIG_MAP_KEY_MSG = "a valid config key must consist of alphanumeric characters, '-', '_' or '.'"

_QNAME_RE = re.compile(_QNAME_FMT)
_LABEL_VALUE_RE = re.compile(_LABEL_VALUE_FMT)
_DNS1123_LABEL_RE = re.compile(_DNS1123_LABEL_FMT)
_DNS1123_SUBDOMAIN_RE = re.compile(_DNS1123_SUBDOMAIN_FMT)
_DNS1035_LABEL_RE = re.compile(_DNS1035_LABEL_FMT)
_CONFIG_MAP_KEY_RE = re.compile(_CONFIG_MAP_KEY_FMT)
_ENV_VAR_NAME_FMT = "[-._a-zA-Z][-._a-zA-Z0-9]*"
_ENV_VAR_NAME_MSG = ("a valid environment variable name must consist of alphabetic characters, "
                     "digits, '_', '-', or '.', and must not start with a digit")
_ENV_VAR_NAME_RE = re.compile(_ENV_VAR_NAME_FMT)
_PORT_NAME_CHARSET_RE = re.compile("[-a-z0-9]+")


def _blen(value: str) -> int:
    """Go's len(): bytes, not characters."""
    return len(value.encode("utf-8"))


def _matches(pattern: re.Pattern, value: str) -> bool:
    """Go's ``^...$`` MatchString; ``$`` there never matches before a trailing newline."""
    return pattern.fullmatch(value) is not None


def regex_error(msg: str, fmt: str, *examples: str) -> str:
    """RegexError: the ``'a',  or 'b', `` double space is upstream's, kept on purpose."""
    if not examples:
        return f"{msg} (regex used for validation is '{fmt}')"
    shown = " or ".join(f"'{example}', " for example in examples)
    return f"{msg} (e.g. {shown}regex used for validation is '{fmt}')"


def max_len_error(length: int) -> str:
    return f"must be no more than {length} characters"


def empty_error() -> str:
    return "must be non-empty"


def inclusive_range_error(lo: int, hi: int) -> str:
    return f"must be between {lo} and {hi}, inclusive"


def is_qualified_name(value: str) -> list[str]:
    """IsQualifiedName: label keys and annotation keys (``[prefix/]name``)."""
    errs: list[str] = []
    parts = value.split("/")
    if len(parts) > 2:
        return [("a qualified name " + regex_error(_QNAME_MSG, _QNAME_FMT, "MyName", "my.name",
                                                   "123-abc")
                 + " with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')")]
    name = parts[-1]
    if len(parts) == 2:
        if not parts[0]:
            errs.append("prefix part " + empty_error())
        else:
            errs.extend("prefix part " + msg for msg in is_dns1123_subdomain(parts[0]))
    if not name:
        errs.append("name part " + empty_error())
    elif _blen(name) > QUALIFIED_NAME_MAX_LENGTH:
        errs.append("name part " + max_len_error(QUALIFIED_NAME_MAX_LENGTH))
    if not _matches(_QNAME_RE, name):
        errs.append("name part " + regex_error(_QNAME_MSG, _QNAME_FMT, "MyName", "my.name",
                                               "123-abc"))
    return errs


def is_valid_label_value(value: str) -> list[str]:
    """IsValidLabelValue: empty is allowed; at most 63 characters."""
    errs = []
    if _blen(value) > LABEL_VALUE_MAX_LENGTH:
        errs.append(max_len_error(LABEL_VALUE_MAX_LENGTH))
    if not _matches(_LABEL_VALUE_RE, value):
        errs.append(regex_error(_LABEL_VALUE_MSG, _LABEL_VALUE_FMT, "MyValue", "my_value", "12345"))
    return errs


def is_dns1123_label(value: str) -> list[str]:
    """IsDNS1123Label: namespace and container names."""
    errs = []
    if _blen(value) > DNS1123_LABEL_MAX_LENGTH:
        errs.append(max_len_error(DNS1123_LABEL_MAX_LENGTH))
    if not _matches(_DNS1123_LABEL_RE, value):
        if _matches(_DNS1123_SUBDOMAIN_RE, value):
            errs.append("must not contain dots")
        else:
            errs.append(regex_error(_DNS1123_LABEL_MSG, _DNS1123_LABEL_FMT, "my-name", "123-abc"))
    return errs


def is_dns1123_subdomain(value: str) -> list[str]:
    """IsDNS1123Subdomain: names of most objects (Deployment, ConfigMap, Pod, ...)."""
    errs = []
    if _blen(value) > DNS1123_SUBDOMAIN_MAX_LENGTH:
        errs.append(max_len_error(DNS1123_SUBDOMAIN_MAX_LENGTH))
    if not _matches(_DNS1123_SUBDOMAIN_RE, value):
        errs.append(regex_error(_DNS1123_SUBDOMAIN_MSG, _DNS1123_SUBDOMAIN_FMT, "example.com"))
    return errs


def is_dns1035_label(value: str) -> list[str]:
    """IsDNS1035Label: Service names."""
    errs = []
    if _blen(value) > DNS1035_LABEL_MAX_LENGTH:
        errs.append(max_len_error(DNS1035_LABEL_MAX_LENGTH))
    if not _matches(_DNS1035_LABEL_RE, value):
        errs.append(regex_error(_DNS1035_LABEL_MSG, _DNS1035_LABEL_FMT, "my-name", "abc-123"))
    return errs


def is_valid_port_num(port: int) -> list[str]:
    """IsValidPortNum: 1..65535."""
    return [] if 1 <= port <= 65535 else [inclusive_range_error(1, 65535)]


def is_valid_port_name(port: str) -> list[str]:
    """IsValidPortName: IANA service names (container/Service port names)."""
    errs = []
    if _blen(port) > 15:
        errs.append(max_len_error(15))
    if not _matches(_PORT_NAME_CHARSET_RE, port):
        errs.append("must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)")
    if not any("a" <= ch <= "z" for ch in port):
        errs.append("must contain at least one letter (a-z)")
    if "--" in port:
        errs.append("must not contain consecutive hyphens")
    if port and (port[0] == "-" or port[-1] == "-"):
        errs.append("must not begin or end with a hyphen")
    return errs


def is_config_map_key(value: str) -> list[str]:
    """IsConfigMapKey: keys of ConfigMap and Secret data."""
    errs = []
    if _blen(value) > DNS1123_SUBDOMAIN_MAX_LENGTH:
        errs.append(max_len_error(DNS1123_SUBDOMAIN_MAX_LENGTH))
    if not _matches(_CONFIG_MAP_KEY_RE, value):
        errs.append(regex_error(_CONFIG_MAP_KEY_MSG, _CONFIG_MAP_KEY_FMT, "key.name", "KEY_NAME",
                                "key-name"))
    if value == ".":
        errs.append("must not be '.'")
    elif value == "..":
        errs.append("must not be '..'")
    elif value.startswith(".."):
        errs.append("must not start with '..'")
    return errs


def is_env_var_name(value: str) -> list[str]:
    """IsEnvVarName (the strict form: ``kubectl create --from-env-file`` still uses it)."""
    errs = []
    if not _matches(_ENV_VAR_NAME_RE, value):
        errs.append(regex_error(_ENV_VAR_NAME_MSG, _ENV_VAR_NAME_FMT, "my.env-name",
                                "MY_ENV.NAME", "MyEnvName1"))
    if value == ".":
        errs.append("must not be '.'")
    elif value == "..":
        errs.append("must not be '..'")
    elif value.startswith(".."):
        errs.append("must not start with '..'")
    return errs


# --- ValidateNameFunc (pkg/api/validation/generic.go): (name, prefix) -> messages ------------

def mask_trailing_dash(name: str) -> str:
    """maskTrailingDash: a generateName may end in '-'; upstream drops two chars and adds 'a'."""
    return name[:-2] + "a" if len(name) > 1 and name.endswith("-") else name


def name_is_dns_subdomain(name: str, prefix: bool = False) -> list[str]:
    return is_dns1123_subdomain(mask_trailing_dash(name) if prefix else name)


def name_is_dns_label(name: str, prefix: bool = False) -> list[str]:
    return is_dns1123_label(mask_trailing_dash(name) if prefix else name)


def name_is_dns1035_label(name: str, prefix: bool = False) -> list[str]:
    return is_dns1035_label(mask_trailing_dash(name) if prefix else name)


validate_namespace_name = name_is_dns_label
NameValidator = Callable[[str, bool], list]


# --- Go value rendering (%q, %v, %#v) ---------------------------------------------------------

class GoLiteral(str):
    """Text already in Go syntax; ``FieldError`` prints it verbatim (``go_repr`` returns these)."""


_OMIT = GoLiteral("")  # field.omitValue: the error body shows no value at all
_ESCAPES = {"\a": r"\a", "\b": r"\b", "\f": r"\f", "\n": r"\n", "\r": r"\r", "\t": r"\t",
            "\v": r"\v", "\\": "\\\\", '"': '\\"'}


def go_quote(text: str) -> str:
    """strconv.Quote (Go ``%q``): double quotes, Go escapes, printable Unicode kept."""
    out = []
    for ch in text:
        if ch in _ESCAPES:
            out.append(_ESCAPES[ch])
        elif ch.isprintable():
            out.append(ch)
        elif ord(ch) < 0x80:
            out.append(f"\\x{ord(ch):02x}")
        elif ord(ch) < 0x10000:
            out.append(f"\\u{ord(ch):04x}")
        else:
            out.append(f"\\U{ord(ch):08x}")
    return '"' + "".join(out) + '"'


def _go_float(value: float) -> str:
    """Go ``%v`` of a float64 (``%g`` with shortest digits): ``0.5``, ``1e+06``, ``1.5e-05``."""
    if value != value or value in (float("inf"), float("-inf")):
        return {"nan": "NaN", "inf": "+Inf", "-inf": "-Inf"}[str(value)]
    if value == 0:
        return "-0" if str(value).startswith("-") else "0"
    sign, digits, exp = Decimal(repr(value)).normalize().as_tuple()
    text, prefix = "".join(map(str, digits)), "-" if sign else ""
    point = len(text) + exp - 1
    if point < -4 or point >= 6:
        mant = text[0] + ("." + text[1:] if len(text) > 1 else "")
        return f"{prefix}{mant}e{'-' if point < 0 else '+'}{abs(point):02d}"
    if point < 0:
        return f"{prefix}0.{'0' * (-point - 1)}{text}"
    whole, frac = text[:point + 1].ljust(point + 1, "0"), text[point + 1:]
    return f"{prefix}{whole}.{frac}" if frac else f"{prefix}{whole}"


_STRUCTS = {
    "v1.LabelSelector": (("MatchLabels", "matchLabels", "map[string]string"),
                         ("MatchExpressions", "matchExpressions", "[]v1.LabelSelectorRequirement")),
    "v1.LabelSelectorRequirement": (("Key", "key", "string"),
                                    ("Operator", "operator", "v1.LabelSelectorOperator"),
                                    ("Values", "values", "[]string")),
}
_NUMBER_TYPES = {"int", "int32", "int64", "float64"}


def _infer_type(value: Any) -> str:
    """The Go type a plain Python value most likely had in the API types."""
    if isinstance(value, dict):
        plain = all(isinstance(v, str) for v in value.values())
        return "map[string]string" if plain else "map[string]interface {}"
    if isinstance(value, (list, tuple)):
        return "[]string" if all(isinstance(v, str) for v in value) else "[]interface {}"
    return "interface {}"


def go_repr(value: Any, go_type: str | None = None) -> GoLiteral:
    """Go ``%#v``: ``map[string]string{"app":"web"}``, ``[]string(nil)``, ``v1.LabelSelector{...}``.

    ``go_type`` names the Go type when the Python value cannot tell it (``None``
    for a nil map or slice, dicts that are structs such as ``"v1.LabelSelector"``).
    """
    if isinstance(value, GoLiteral):
        return value
    if value is None and go_type is None:
        return GoLiteral("<nil>")
    go_type = go_type or _infer_type(value)
    if go_type in _STRUCTS:
        value = value or {}
        fields = ", ".join(f"{name}:{go_repr(value.get(key), sub)}"
                           for name, key, sub in _STRUCTS[go_type])
        return GoLiteral(f"{go_type}{{{fields}}}")
    if go_type.startswith("map["):
        if value is None:
            return GoLiteral(f"{go_type}(nil)")
        key_type, elem_type = go_type[4:].split("]", 1)
        items = ", ".join(f"{go_repr(k, key_type)}:{go_repr(value[k], elem_type)}"
                          for k in sorted(value))
        return GoLiteral(f"{go_type}{{{items}}}")
    if go_type.startswith("[]"):
        if value is None:
            return GoLiteral(f"{go_type}(nil)")
        items = ", ".join(go_repr(item, go_type[2:]) for item in value)
        return GoLiteral(f"{go_type}{{{items}}}")
    return GoLiteral(_go_scalar(value, go_type))


def _go_scalar(value: Any, go_type: str) -> str:
    """``%#v`` of a string, number or bool, or of the zero value of ``go_type`` for None."""
    if value is None:
        if go_type in _NUMBER_TYPES:
            return "0"
        return {"interface {}": "interface {}(nil)", "bool": "false"}.get(go_type, '""')
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return _go_float(value)
    return go_quote(str(value))


# --- field.Error ------------------------------------------------------------------------------

_TYPES = {  # short name: (Go CauseType reason, ErrorType.String())
    "NotFound": ("FieldValueNotFound", "Not found"),
    "Required": ("FieldValueRequired", "Required value"),
    "Duplicate": ("FieldValueDuplicate", "Duplicate value"),
    "Invalid": ("FieldValueInvalid", "Invalid value"),
    "Unsupported": ("FieldValueNotSupported", "Unsupported value"),
    "Forbidden": ("FieldValueForbidden", "Forbidden"),
    "TooLong": ("FieldValueTooLong", "Too long"),
    "TooMany": ("FieldValueTooMany", "Too many"),
    "Internal": ("InternalError", "Internal error"),
    "TypeInvalid": ("FieldValueTypeInvalid", "Invalid value"),
}
_ALIASES = {reason: short for short, (reason, _) in _TYPES.items()} | {"NotSupported": "Unsupported"}
_VALUELESS = {"Required", "Forbidden", "TooLong", "Internal"}


@dataclass(frozen=True)
class FieldError:
    """One field.Error; ``str()`` is upstream's ``Error()``: ``<field>: <body>``.

    ``type`` is a short name (``"Invalid"``, ``"Required"``, ``"Unsupported"``, ...)
    or the Go reason (``"FieldValueInvalid"``). ``value`` is shown as v1.32 shows
    it: strings quoted, numbers bare, ``None`` as ``"null"``, maps and slices as
    ``%#v`` (pass a ``GoLiteral`` from ``go_repr`` for structs).
    """

    type: str
    field: str
    value: Any = None
    detail: str = ""

    def __post_init__(self):
        short = _ALIASES.get(self.type, self.type)
        if short not in _TYPES:
            raise ValueError(f"unrecognized validation error: {self.type!r}")
        object.__setattr__(self, "type", short)

    @property
    def reason(self) -> str:
        """The ``StatusCause.reason`` (``FieldValueInvalid``)."""
        return _TYPES[self.type][0]

    @property
    def body(self) -> str:
        """ErrorBody: the message without the field, as a StatusCause carries it."""
        text = _TYPES[self.type][1]
        if self.type not in _VALUELESS and self.value is not _OMIT:
            text += ": " + _error_value(self.value)
        return f"{text}: {self.detail}" if self.detail else text

    def __str__(self) -> str:
        return f"{self.field}: {self.body}"


def _error_value(value: Any) -> str:
    """How ErrorBody prints a bad value: %v for numbers and bools, %q for strings, else %#v."""
    if value is None:
        return '"null"'
    if isinstance(value, GoLiteral):
        return value
    if isinstance(value, (bool, int, float)):
        return _go_scalar(value, "")
    if isinstance(value, str):
        return go_quote(value)
    return go_repr(value)


def required(field: str, detail: str = "") -> FieldError:
    return FieldError("Required", field, "", detail)


def invalid(field: str, value: Any, detail: str) -> FieldError:
    return FieldError("Invalid", field, value, detail)


def not_supported(field: str, value: Any, valid_values: Iterable[str]) -> FieldError:
    """NotSupported: ``supported values: "Always", "Never"`` (in the order given)."""
    quoted = [go_quote(str(v)) for v in valid_values]
    return FieldError("Unsupported", field, value,
                      "supported values: " + ", ".join(quoted) if quoted else "")


def duplicate(field: str, value: Any) -> FieldError:
    return FieldError("Duplicate", field, value)


def not_found(field: str, value: Any) -> FieldError:
    return FieldError("NotFound", field, value)


def forbidden(field: str, detail: str) -> FieldError:
    return FieldError("Forbidden", field, "", detail)


def too_long(field: str, max_length: int) -> FieldError:
    """TooLong (v1.32 wording: ``may not be more than N bytes``; the value is never shown)."""
    detail = f"may not be more than {max_length} bytes" if max_length >= 0 else "value is too long"
    return FieldError("TooLong", field, "<value omitted>", detail)


def too_many(field: str, actual: int, max_quantity: int) -> FieldError:
    detail = f"must have at most {max_quantity} items" if max_quantity >= 0 else "has too many items"
    return FieldError("TooMany", field, actual if actual >= 0 else _OMIT, detail)


def internal_error(field: str, detail: str) -> FieldError:
    return FieldError("Internal", field, None, detail)


# --- metadata, labels, selectors (objectmeta.go, meta/v1/validation) -------------------------

def validate_label_name(key: str, path: str) -> list[FieldError]:
    """ValidateLabelName: one Invalid error per message of IsQualifiedName."""
    return [invalid(path, key, msg) for msg in is_qualified_name(key)]


def validate_labels(labels: dict | None, path: str) -> list[FieldError]:
    """ValidateLabels: errors name the map (``metadata.labels``), not the key."""
    errs: list[FieldError] = []
    for key in sorted(labels or {}):
        errs += validate_label_name(key, path)
        errs += [invalid(path, labels[key], msg) for msg in is_valid_label_value(labels[key])]
    return errs


def validate_annotations(annotations: dict | None, path: str) -> list[FieldError]:
    """ValidateAnnotations: keys are qualified names (any case); 256 KiB in total."""
    annotations = annotations or {}
    errs = [invalid(path, key, msg) for key in sorted(annotations)
            for msg in is_qualified_name(key.lower())]
    size = sum(_blen(k) + _blen(v or "") for k, v in annotations.items())
    if size > TOTAL_ANNOTATION_SIZE_LIMIT_B:
        errs.append(too_long(path, TOTAL_ANNOTATION_SIZE_LIMIT_B))
    return errs


def validate_finalizers(finalizers: list | None, path: str) -> list[FieldError]:
    """ValidateFinalizers (apimachinery part): qualified names, orphan xor foreground."""
    finalizers = list(finalizers or [])
    errs = [invalid(path, f, msg) for f in finalizers for msg in is_qualified_name(f)]
    if "orphan" in finalizers and "foregroundDeletion" in finalizers:
        errs.append(invalid(path, finalizers,
                            "finalizer orphan and foregroundDeletion cannot be both set"))
    return errs


def validate_nonnegative_field(value: int, path: str) -> list[FieldError]:
    """ValidateNonnegativeField: ``spec.replicas: Invalid value: -1: must be greater ...``."""
    return [invalid(path, value, IS_NEGATIVE_ERROR_MSG)] if value < 0 else []


def validate_immutable_field(new: Any, old: Any, path: str,
                             go_type: str | None = None) -> list[FieldError]:
    """ValidateImmutableField; ``go_type="v1.LabelSelector"`` renders a selector as v1.32 does."""
    if new == old:
        return []
    shown = go_repr(new, go_type) if go_type else new
    return [invalid(path, shown, FIELD_IMMUTABLE_ERROR_MSG)]


def validate_object_meta(meta: dict, namespaced: bool, name_validator: NameValidator,
                         path: str = "metadata") -> list[FieldError]:
    """ValidateObjectMeta on create: name (or generateName), namespace, labels, annotations.

    ``name_validator(name, prefix)`` is a ValidateNameFunc such as
    ``name_is_dns_subdomain``. Upstream validates after the server turned
    generateName into a name, so a missing name is only an error without one.
    """
    errs: list[FieldError] = []
    name, generate = meta.get("name") or "", meta.get("generateName") or ""
    if generate:
        errs += [invalid(f"{path}.generateName", generate, m) for m in name_validator(generate, True)]
    if name:
        errs += [invalid(f"{path}.name", name, msg) for msg in name_validator(name, False)]
    elif not generate:
        errs.append(required(f"{path}.name", "name or generateName is required"))
    errs += _validate_namespace(meta.get("namespace") or "", namespaced, f"{path}.namespace")
    errs += validate_nonnegative_field(meta.get("generation") or 0, f"{path}.generation")
    errs += validate_labels(meta.get("labels"), f"{path}.labels")
    errs += validate_annotations(meta.get("annotations"), f"{path}.annotations")
    errs += validate_finalizers(meta.get("finalizers"), f"{path}.finalizers")
    return errs


def _validate_namespace(namespace: str, namespaced: bool, path: str) -> list[FieldError]:
    if not namespaced:
        return [forbidden(path, "not allowed on this type")] if namespace else []
    if not namespace:
        return [required(path)]
    return [invalid(path, namespace, msg) for msg in validate_namespace_name(namespace, False)]


_SELECTOR_OPERATORS = ("In", "NotIn", "Exists", "DoesNotExist")


def validate_label_selector(selector: dict | None, path: str) -> list[FieldError]:
    """ValidateLabelSelector (default options): matchLabels, then each matchExpression."""
    if selector is None:
        return []
    errs = validate_labels(selector.get("matchLabels"), f"{path}.matchLabels")
    for i, expr in enumerate(selector.get("matchExpressions") or []):
        errs += validate_label_selector_requirement(expr, f"{path}.matchExpressions[{i}]")
    return errs


def validate_label_selector_requirement(expr: dict, path: str) -> list[FieldError]:
    """ValidateLabelSelectorRequirement: operator vs values, key, each value."""
    errs: list[FieldError] = []
    op, values = expr.get("operator") or "", list(expr.get("values") or [])
    if op in ("In", "NotIn") and not values:
        errs.append(required(f"{path}.values", "must be specified when `operator` is 'In' or 'NotIn'"))
    elif op in ("Exists", "DoesNotExist") and values:
        errs.append(forbidden(f"{path}.values",
                              "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"))
    elif op not in _SELECTOR_OPERATORS:
        errs.append(invalid(f"{path}.operator", op, "not a valid selector operator"))
    errs += validate_label_name(expr.get("key") or "", f"{path}.key")
    errs += [invalid(f"{path}.values[{i}]", v, msg)
             for i, v in enumerate(values) for msg in is_valid_label_value(v)]
    return errs


# --- how a 422 reads: apimachinery NewInvalid, kubectl checkErr ------------------------------

def _unique(messages: Iterable[str]) -> list[str]:
    """Drop repeated messages, keeping the first (ToAggregate / statusCausesToAggrError)."""
    return list(dict.fromkeys(messages))


def aggregate_message(errors: Iterable[Any]) -> str:
    """utilerrors.Aggregate.Error(): one message alone, several as ``[a, b]``."""
    messages = _unique(str(e) for e in errors)
    if not messages:
        return "<nil>"
    return messages[0] if len(messages) == 1 else "[" + ", ".join(messages) + "]"


def server_invalid_message(kind: str, name: str, errors: list[FieldError], group: str = "") -> str:
    """``Status.message`` of NewInvalid: ``Deployment.apps "web" is invalid: [a, b]``."""
    qualified = f"{kind}.{group}" if group else kind
    return f"{qualified} {go_quote(name)} is invalid: {aggregate_message(errors)}"


def invalid_message(kind: str, name: str, errors: list[FieldError]) -> str:
    """What kubectl prints for a 422 (no trailing newline).

    One cause: ``The Deployment "web" is invalid: spec.replicas: Invalid value: ...``;
    several: ``The Deployment "nginx" is invalid: `` (trailing space) then one
    ``* field: body`` line per distinct cause.
    """
    head = f"The {kind} {go_quote(name)} is invalid" if kind or name else "The request is invalid"
    causes = _unique(f"{e.field}: {e.body}" for e in errors)
    if not causes:
        return head
    if len(causes) == 1:
        return f"{head}: {causes[0]}"
    return "\n".join([f"{head}: "] + [f"* {cause}" for cause in causes])


def status_causes(errors: list[FieldError]) -> list[dict]:
    """``details.causes`` of the Status: one entry per error, in order, duplicates kept."""
    return [{"reason": e.reason, "message": e.body, "field": e.field} for e in errors]


def invalid_status(kind: str, name: str, errors: list[FieldError], group: str = "") -> dict:
    """The whole 422 ``Status`` object the API server sends."""
    return {"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure",
            "message": server_invalid_message(kind, name, errors, group), "reason": "Invalid",
            "details": {"name": name, "group": group, "kind": kind,
                        "causes": status_causes(errors)},
            "code": 422}
