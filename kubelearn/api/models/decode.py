"""Strict decoding of a request body, with the API server's error words.

``decode(info, body)`` is what kube-apiserver's JSON serializer does before
anything else: unmarshal the body into the kind's Go struct, strictly. The
pydantic models check the shapes; this module turns their complaints into the
message a real server answers with (HTTP 400, reason BadRequest)::

    Deployment in version "v1" cannot be handled as a Deployment: strict decoding
    error: unknown field "spec.template.spec.containers[0].imagee"
    Deployment in version "v1" cannot be handled as a Deployment: json: cannot
    unmarshal string into Go struct field DeploymentSpec.spec.replicas of type int32

How upstream picks the message (``sigs.k8s.io/json`` decode.go and
``apiserver/pkg/endpoints/handlers/rest.go`` ``transformDecodeError``):

* kubectl sends JSON built from a map, so keys arrive sorted; the decoder walks
  them depth first. "First" below means first in that order.
* An error returned by a type's own ``UnmarshalJSON`` (quantity, int-or-string,
  time) stops decoding and wins.
* Otherwise the first type mismatch wins (Go saves it and keeps going). Its
  field path is the chain of JSON names without list indices or map keys, and
  the struct is the innermost one that holds the field.
* Otherwise every unknown field is reported, joined with ``, ``, with a JSON
  path (``spec.ports[0].target port``).
"""
from __future__ import annotations

import typing
from dataclasses import dataclass
from typing import Any, Union

from pydantic import BaseModel, ValidationError

from kubelearn.api.kinds import KindInfo
from kubelearn.api.models import apps, core, storage
from kubelearn.api.models._types import GoType, json_kind, json_number
from kubelearn.apiserver import errors

MODELS: dict[str, type[BaseModel]] = {
    "Namespace": core.Namespace, "Node": core.Node, "Pod": core.Pod, "Service": core.Service,
    "Endpoints": core.Endpoints, "ConfigMap": core.ConfigMap, "Secret": core.Secret,
    "ServiceAccount": core.ServiceAccount, "PersistentVolume": core.PersistentVolume,
    "PersistentVolumeClaim": core.PersistentVolumeClaim, "Event": core.Event,
    "Deployment": apps.Deployment, "ReplicaSet": apps.ReplicaSet, "DaemonSet": apps.DaemonSet,
    "StorageClass": storage.StorageClass,
}

_MAX_NULL_RETRIES = 20


def decode(info: KindInfo, body: dict) -> dict:
    """Validate ``body`` against the kind's model; return what the user sent, in Go order.

    Unset fields stay unset (``null`` counts as unset), numbers YAML wrote as
    ``3.0`` become ``3``, quantities and int-or-strings keep their spelling.
    Raises ``StatusError(400, "BadRequest", ...)`` as kube-apiserver does.
    """
    model = MODELS[info.kind]
    for _ in range(_MAX_NULL_RETRIES):
        try:
            obj = model.model_validate(body)
        except ValidationError as exc:
            problems = exc.errors(include_url=False)
            if any(p["type"] == "invalid_key" or "[key]" in p["loc"] for p in problems):
                body = _string_keys(body)   # YAMLToJSON turns `1:` and `true:` into "1", "true"
                continue
            patched = _zero_nulls(model, body, problems)
            if patched is not None:
                body = patched
                continue
            raise errors.bad_request(f'{info.kind} in version "{info.version}" cannot be handled '
                                     f'as a {info.kind}: {decode_error_message(model, problems)}')
        return obj.model_dump(exclude_unset=True, exclude_none=True)
    raise errors.bad_request(f'{info.kind} in version "{info.version}" cannot be handled as a '
                             f'{info.kind}: too many null values')


# --- Go types along a path ------------------------------------------------------------------

@dataclass(frozen=True)
class _Node:
    go: str                         # reflect.Type.String() of the value at this point
    shape: str                      # "model", "list", "map" or "scalar"
    child: "_Node | None" = None
    model: type[BaseModel] | None = None


_SCALARS = {str: "string", bool: "bool", int: "int", float: "float64", Any: "interface {}"}
_FIELDS: dict[type, dict[str, _Node]] = {}


def _node(annotation: Any) -> _Node:
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        base, *meta = typing.get_args(annotation)
        node = _node(base)
        go = next((m.name for m in meta if isinstance(m, GoType)), None)
        return _Node(go, node.shape, node.child, node.model) if go else node
    if origin is Union:
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        return _node(args[0])
    if origin is list:
        child = _node(typing.get_args(annotation)[0])
        return _Node("[]" + child.go, "list", child)
    if origin is dict:
        child = _node(typing.get_args(annotation)[1])
        return _Node("map[string]" + child.go, "map", child)
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return _Node("v1." + annotation.__name__, "model", model=annotation)
    return _Node(_SCALARS.get(annotation, "interface {}"), "scalar")


def _fields(model: type[BaseModel]) -> dict[str, _Node]:
    table = _FIELDS.get(model)
    if table is None:
        table = {}
        for name, info in model.model_fields.items():
            node = _node(info.annotation)
            go = next((m.name for m in info.metadata if isinstance(m, GoType)), None)
            table[name] = _Node(go, node.shape, node.child, node.model) if go else node
        _FIELDS[model] = table
    return table


def _context(model: type[BaseModel], loc: tuple) -> tuple[str, list[str], _Node | None]:
    """Go's errorContext at ``loc``: innermost struct, JSON field stack, target type."""
    node: _Node | None = _Node("v1." + model.__name__, "model", model=model)
    struct, stack = "", []
    for step in loc:
        if node is None:
            break
        if node.shape == "model" and isinstance(step, str):
            struct = node.model.__name__
            stack.append(step)
            node = _fields(node.model).get(step)
        elif node.shape in ("list", "map"):
            node = node.child
        else:
            break
    return struct, stack, node


def _type_message(value: str, struct: str, stack: list[str], go_type: str) -> str:
    if struct or stack:
        return (f"json: cannot unmarshal {value} into Go struct field {struct}."
                f"{'.'.join(stack)} of type {go_type}")
    return f"json: cannot unmarshal {value} into Go value of type {go_type}"


def _order(loc: tuple) -> tuple:
    """Document order of a location: keys sort as strings, list items by index."""
    return tuple((1, step, "") if isinstance(step, int) else (0, 0, step) for step in loc)


def json_path(loc: tuple) -> str:
    """``("spec", "ports", 0, "target port")`` -> ``spec.ports[0].target port``."""
    out = ""
    for step in loc:
        if isinstance(step, int):
            out += f"[{step}]"
        else:
            out += ("." if out else "") + step
    return out


def decode_error_message(model: type[BaseModel], problems: list[dict]) -> str:
    """The decoder's error for pydantic ``problems`` (without the "cannot be handled" prefix)."""
    aborts, saved, unknown = [], [], []
    for problem in problems:
        loc, kind = tuple(problem["loc"]), problem["type"]
        if kind == "extra_forbidden":
            unknown.append(loc)
            continue
        ctx = problem.get("ctx") or {}
        category = ctx.get("category", "type") if kind == "go" else "type"
        if category in ("type", "abort_type"):
            struct, stack, node = _context(model, loc)
            value = ctx.get("value") if kind == "go" else json_kind(problem.get("input"))
            go_type = ctx.get("go_type") if kind == "go" else (node.go if node else "interface {}")
            message = _type_message(value, struct, stack, go_type)
        else:
            message = ctx.get("message", problem.get("msg", ""))
        (aborts if category.startswith("abort") else saved).append((_order(loc), message))
    if aborts:
        return min(aborts)[1]
    if saved:
        return min(saved)[1]
    seen: list[str] = []
    for loc in sorted(unknown, key=_order):
        text = f'unknown field "{json_path(loc)}"'
        if text not in seen:
            seen.append(text)
    return "strict decoding error: " + ", ".join(seen)


# --- what kubectl's YAML to JSON conversion does to keys -----------------------------------

def _key_text(key: Any) -> str:
    if isinstance(key, str):
        return key
    if isinstance(key, bool):
        return "true" if key else "false"
    if isinstance(key, (int, float)):
        return json_number(key)
    return "null" if key is None else str(key)


def _string_keys(data: Any) -> Any:
    """sigs.k8s.io/yaml: JSON object keys are strings, whatever YAML typed them as."""
    if isinstance(data, dict):
        return {_key_text(k): _string_keys(v) for k, v in data.items()}
    if isinstance(data, list):
        return [_string_keys(v) for v in data]
    return data


# --- null handling --------------------------------------------------------------------------

_ZERO = {"string": "", "bool": False}


def _zero_for(node: _Node | None) -> Any:
    if node is None:
        return None
    if node.shape == "model":
        return {}
    if node.shape in ("list", "map"):
        return None
    if node.go.startswith("int") or node.go in ("float64", "intstr.IntOrString"):
        return 0
    return _ZERO.get(node.go, "")


def _zero_nulls(model: type[BaseModel], body: dict, problems: list[dict]) -> dict | None:
    """Go decodes ``null`` list items into zero values; redo the body the same way.

    Returns a patched copy of ``body`` when some problem is a ``null`` Go would
    accept, else None.
    """
    targets = []
    for problem in problems:
        if problem.get("input", 0) is None and problem["type"] != "extra_forbidden":
            _, _, node = _context(model, tuple(problem["loc"]))
            targets.append((tuple(problem["loc"]), _zero_for(node)))
    if not targets:
        return None
    patched = body
    for loc, zero in targets:
        patched = _replace(patched, loc, zero)
    return patched


def _replace(data: Any, loc: tuple, value: Any) -> Any:
    """A copy of ``data`` with ``value`` at ``loc`` (only the containers on the path copied)."""
    if not loc:
        return value
    head, rest = loc[0], loc[1:]
    if isinstance(data, dict):
        copy = dict(data)
        if value is None and not rest:
            copy.pop(head, None)
        else:
            copy[head] = _replace(data[head], rest, value)
        return copy
    copy = list(data)
    copy[head] = _replace(data[head], rest, value)
    if value is None and not rest:
        del copy[head]
    return copy
