"""Turning ``get pods web``, ``pod/web``, ``deploy,svc`` and ``all`` into requests.

This is kubectl's resource builder in small: resolve each type the learner
typed through the kind registry (short names, plurals, ``deployments.apps``),
pair it with names, and fetch through the API server. Errors use kubectl's
words (``the server doesn't have a resource type "deploymentz"``).
"""
from __future__ import annotations

from dataclasses import dataclass, field

from kubelearn.api.fieldselector import FieldSelectorError, parse_field_selector
from kubelearn.api.kinds import KindInfo, kinds_in_category, lookup_resource
from kubelearn.api.selector import SelectorParseError, parse_selector
from kubelearn.apiserver import errors
from kubelearn.kubectl.result import KubectlError


@dataclass
class Request:
    """One kind and the names asked for (empty: all of that kind)."""
    info: KindInfo
    names: list[str] = field(default_factory=list)


def resolve_type(name: str) -> KindInfo:
    info = lookup_resource(name)
    if info is None:
        raise KubectlError(f'error: the server doesn\'t have a resource type "{name}"')
    return info


def resolve_types(text: str) -> list[KindInfo]:
    """``pods,svc`` or ``all`` → kinds, in the order kubectl lists them."""
    kinds: list[KindInfo] = []
    for part in text.split(","):
        expanded = kinds_in_category(part) if part == "all" else [resolve_type(part)]
        kinds += [k for k in expanded if k not in kinds]
    return kinds


def parse_resource_args(args: list[str]) -> list[Request]:
    """``TYPE [NAME...]`` or ``TYPE/NAME...``, as kubectl's builder accepts them.
    ``TYPE1,TYPE2 NAME`` is read as ``TYPE1/NAME TYPE2/NAME`` (upstream
    ``normalizeMultipleResourcesArgs``)."""
    if not args:
        return []
    if len(args) >= 2 and len(args[0].split(",")) > 1:
        args = [f"{kind}/{name}" for kind in args[0].split(",") for name in args[1:]]
    with_slash = [a for a in args if "/" in a]
    if with_slash:
        if len(with_slash) != len(args):
            raise KubectlError(
                "error: there is no need to specify a resource type as a separate argument when "
                "passing arguments in resource/name form (e.g. 'kubectl get resource/"
                "<resource_name>' instead of 'kubectl get resource resource/<resource_name>'")
        tuples = [_split_tuple(arg) for arg in args]
        requests: list[Request] = []
        for type_name, name in tuples:
            info = resolve_type(type_name)
            existing = next((r for r in requests if r.info == info), None)
            if existing:
                existing.names.append(name)
            else:
                requests.append(Request(info, [name]))
        return requests
    kinds = resolve_types(args[0])
    names = args[1:]
    if names and len(kinds) > 1:
        raise KubectlError("error: you must specify only one resource")
    return [Request(info, list(names)) for info in kinds]


def _split_tuple(arg: str) -> tuple[str, str]:
    """``TYPE/NAME`` with upstream's checks (``splitResourceTypeName``)."""
    parts = arg.split("/")
    if len(parts) != 2:
        raise KubectlError("error: arguments in resource/name form may not have more than one "
                           "slash")
    type_name, name = parts
    if not type_name or not name or len(type_name.split(",")) != 1:
        raise KubectlError("error: arguments in resource/name form must have a single resource "
                           "and name")
    return type_name, name


def gvr_string(info: KindInfo) -> str:
    """How Go prints a GroupVersionResource: ``/v1, Resource=pods``."""
    return f"{info.group}/{info.version}, Resource={info.plural}"


def select(api, info: KindInfo, namespace: str | None, selector_text: str | None,
           field_selector_text: str | None = None) -> list[dict]:
    """List a kind through the API server with optional ``-l`` and ``--field-selector``
    selectors (the server filters on both; a bad one is a BadRequest)."""
    selector = fields = None
    try:
        if selector_text:
            selector = parse_selector(selector_text)
        if field_selector_text:
            fields = parse_field_selector(field_selector_text).check(info.kind)
    except (SelectorParseError, FieldSelectorError) as err:
        raise errors.bad_request(
            f'Unable to find "{gvr_string(info)}" that match label selector '
            f'"{selector_text or ""}", field selector "{field_selector_text or ""}": '
            f"{err}") from None
    found = api.list(info, namespace, selector)
    if fields is None:
        return found
    return [obj for obj in found if fields.matches(info.kind, obj)]
