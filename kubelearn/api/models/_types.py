"""Go-typed leaves for the API models: what each JSON value must decode into.

The API server decodes a request body into Go structs with ``encoding/json``
(through ``sigs.k8s.io/json``), and learners see that decoder's words when a
manifest has the wrong shape: ``json: cannot unmarshal string into Go struct
field DeploymentSpec.spec.replicas of type int32``. To print the same words the
models must know each field's Go type, so every leaf here carries a ``GoType``
marker (``int32``, ``v1.Protocol``, ``resource.Quantity``...) next to the
validator that reproduces Go's rules:

* integers accept JSON numbers that are whole (YAML ``3.0`` arrives as ``3``)
  and in range; anything else is a type error naming the Go type;
* quantities, int-or-strings and times have their own ``UnmarshalJSON`` in Go,
  so their errors stop decoding at once (``quantities must match ...``);
* ``[]byte`` (Secret data) takes base64 text and fails like Go's decoder
  (``illegal base64 data at input byte 8``);
* ``null`` means "not set" for pointers and is ignored for plain values; a
  ``null`` map value becomes the zero value, as in Go.

Validators raise ``PydanticCustomError("go", ...)`` with a context that
``decode`` turns into the upstream message; nothing here formats messages.
"""
from __future__ import annotations

import datetime as _dt
import re
from functools import lru_cache
from typing import Annotated, Any, Optional

from pydantic import AfterValidator, PlainValidator
from pydantic_core import PydanticCustomError

from kubelearn.api.quantity import ERR_FORMAT_WRONG, QuantityParseError, parse_quantity


class GoType:
    """Annotation marker: the Go type a field decodes into (``reflect.Type.String()``)."""

    __slots__ = ("name",)

    def __init__(self, name: str):
        self.name = name

    def __repr__(self) -> str:
        return f"GoType({self.name!r})"


def json_kind(value: Any) -> str:
    """The ``Value`` word of a Go ``UnmarshalTypeError`` for a decoded YAML/JSON value."""
    if isinstance(value, str):
        return "string"
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, (int, float)):
        return "number"
    if isinstance(value, (list, tuple)):
        return "array"
    if isinstance(value, dict):
        return "object"
    if value is None:
        return "null"
    return "string"  # dates and other YAML scalars reach the server as JSON strings


def json_number(value: int | float) -> str:
    """A number as Go's encoding/json writes it (kubectl converts YAML to JSON first)."""
    if isinstance(value, int):
        return str(value)
    if value == int(value) and abs(value) < 1e21:
        return str(int(value))
    if 1e-6 <= abs(value) < 1e21:
        text = format(value, "f").rstrip("0").rstrip(".")
        return text if float(text) == value else repr(value)
    text = repr(value)                     # 1e+21, 1e-07: Go drops the exponent's zero padding
    return re.sub(r"e([+-])0*(\d)", r"e\1\2", text)


def type_error(go_type: str, value_word: str, *, abort: bool = False) -> PydanticCustomError:
    """An ``UnmarshalTypeError``; ``abort`` when a Go ``UnmarshalJSON`` method returned it."""
    return PydanticCustomError("go", "json: cannot unmarshal {value} into Go value of type {go_type}",
                               {"category": "abort_type" if abort else "type",
                                "value": value_word, "go_type": go_type})


def plain_error(message: str, *, abort: bool) -> PydanticCustomError:
    """An error Go returns as is (no struct/field context): quantity, base64, time parsing."""
    return PydanticCustomError("go", "{message}",
                               {"category": "abort" if abort else "saved", "message": message})


# --- integers -----------------------------------------------------------------------------

def _int_validator(bits: int, go: str):
    lo, hi = -(1 << (bits - 1)), (1 << (bits - 1)) - 1

    def check(value: Any) -> int:
        kind = type(value)
        if kind is int:
            if lo <= value <= hi:
                return value
            raise type_error(go, "number " + str(value))
        if kind is float:
            if value.is_integer() and lo <= value <= hi:
                return int(value)
            raise type_error(go, "number " + json_number(value))
        raise type_error(go, json_kind(value))

    return check


Int32 = Annotated[Any, PlainValidator(_int_validator(32, "int32")), GoType("int32")]
Int64 = Annotated[Any, PlainValidator(_int_validator(64, "int64")), GoType("int64")]


def int_or_string(value: Any) -> int | str:
    """intstr.IntOrString.UnmarshalJSON: a JSON string, else an int32 (errors stop decoding)."""
    if isinstance(value, str):
        return value
    kind = type(value)
    if kind is int and -(1 << 31) <= value < (1 << 31):
        return value
    if kind is float and value.is_integer() and -(1 << 31) <= value < (1 << 31):
        return int(value)
    word = ("number " + json_number(value)) if kind in (int, float) else json_kind(value)
    raise type_error("int32", word, abort=True)


IntOrString = Annotated[Any, PlainValidator(int_or_string), GoType("intstr.IntOrString")]


# --- quantities ------------------------------------------------------------------------------

def quantity(value: Any) -> str | int | float:
    """resource.Quantity.UnmarshalJSON: kept as written; a bad one stops decoding."""
    if isinstance(value, (str, int, float)) and not isinstance(value, bool):
        problem = _quantity_problem(type(value), value)
        if problem:
            raise plain_error(problem, abort=True)
        return value
    raise plain_error(ERR_FORMAT_WRONG, abort=True)


@lru_cache(maxsize=4096)
def _quantity_problem(kind: type, value: Any) -> str:
    """The parse error of a quantity ("" when it parses); the same few values recur."""
    try:
        parse_quantity(value.strip() if kind is str else value)
    except QuantityParseError as err:
        return str(err)
    return ""


Quantity = Annotated[Any, PlainValidator(quantity), GoType("resource.Quantity")]


def resource_list(value: Any) -> dict:
    """v1.ResourceList: ``map[ResourceName]resource.Quantity``."""
    if not isinstance(value, dict):
        raise type_error("v1.ResourceList", json_kind(value))
    for item in value.values():
        if item is not None:
            quantity(item)
    if None in value.values():  # a null Quantity decodes to zero
        return {k: ("0" if v is None else v) for k, v in value.items()}
    return value


ResourceList = Annotated[Any, PlainValidator(resource_list), GoType("v1.ResourceList")]


# --- times ---------------------------------------------------------------------------------

_RFC3339 = re.compile(r"\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})")
_LAYOUT = "2006-01-02T15:04:05Z07:00"


def _time_validator(micro: bool):
    layout = "2006-01-02T15:04:05.000000Z07:00" if micro else _LAYOUT

    def check(value: Any) -> str:
        if isinstance(value, _dt.datetime):
            if value.tzinfo is None:
                value = value.replace(tzinfo=_dt.timezone.utc)
            text = value.isoformat()
            return text.replace("+00:00", "Z")
        if not isinstance(value, str):
            raise type_error("string", json_kind(value), abort=True)
        if not _RFC3339.fullmatch(value):
            raise plain_error(f'parsing time "{value}" as "{layout}": cannot parse '
                              f'"{value}" as "2006"', abort=True)
        return value

    return check


Time = Annotated[Any, PlainValidator(_time_validator(False)), GoType("v1.Time")]
MicroTime = Annotated[Any, PlainValidator(_time_validator(True)), GoType("v1.MicroTime")]


# --- maps ----------------------------------------------------------------------------------

def _nulls_to_empty(value: dict) -> dict:
    """A ``null`` map value decodes to the zero value (``""``), the key stays."""
    if None in value.values():
        return {k: ("" if v is None else v) for k, v in value.items()}
    return value


StrMap = Annotated[dict[str, Optional[str]], AfterValidator(_nulls_to_empty),
                   GoType("map[string]string")]

_B64 = frozenset(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/")


def go_base64_error(text: str) -> int | None:
    """Where Go's ``base64.StdEncoding.Decode`` fails (``CorruptInputError``), or None.

    A port of ``decodeQuantum``: ``\\r`` and ``\\n`` are skipped, a last quantum
    must be completed with '=' padding and nothing may follow the padding.
    """
    src = text.encode("utf-8")
    n, si = len(src), 0
    while si < n:
        j = 0
        while j < 4:
            if si == n:
                return si - j                      # short last quantum (j > 0 here)
            ch = src[si]
            si += 1
            if ch in _B64:
                j += 1
                continue
            if ch in (10, 13):
                continue
            if ch != 61 or j < 2:                  # not '=', or '=' too early
                return si - 1
            if j == 2:                             # "==" expected
                while si < n and src[si] in (10, 13):
                    si += 1
                if si == n:
                    return n
                if src[si] != 61:
                    return si - 1
                si += 1
            while si < n and src[si] in (10, 13):
                si += 1
            return si if si < n else None
    return None


def _bytes_value(value: Any) -> str:
    if isinstance(value, str):
        where = go_base64_error(value)
        if where is not None:
            raise plain_error(f"illegal base64 data at input byte {where}", abort=False)
        return value
    raise type_error("[]uint8", json_kind(value))


def bytes_map(value: Any) -> dict:
    """``map[string][]byte`` (Secret ``data``, ConfigMap ``binaryData``): base64 values."""
    if not isinstance(value, dict):
        raise type_error("map[string][]uint8", json_kind(value))
    for key, item in value.items():
        if item is None:
            continue
        _bytes_value(item)
    return _nulls_to_empty(value)


BytesMap = Annotated[Any, PlainValidator(bytes_map), GoType("map[string][]uint8")]


def named(go_type: str) -> Any:
    """A Go named string type (``v1.Protocol``): a string, but errors name the type."""
    return Annotated[str, GoType(go_type)]


Loose = dict[str, Any]
