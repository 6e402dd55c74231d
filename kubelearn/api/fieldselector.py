"""Field selectors: ``--field-selector status.phase=Pending,spec.nodeName=minikube``.

A port of apimachinery ``pkg/fields/selector.go`` (``ParseSelector``: terms
split on unescaped commas, each ``field=value``, ``field==value`` or
``field!=value``) and of the API server's per-kind field label conversions
(``pkg/apis/core/v1/conversion.go`` and friends, v1.32): each kind answers
to a few fields only, and any other is refused with upstream's words.

    >>> sel = parse_field_selector("involvedObject.kind=Pod,type!=Normal")
    >>> sel.check("Event")            # raises FieldSelectorError if a field is not selectable
    >>> sel.matches(event)

A field an object does not have reads as ``""``, as upstream's ``fields.Set``
does, so ``spec.nodeName=`` picks unscheduled pods.
"""
from __future__ import annotations

from dataclasses import dataclass


class FieldSelectorError(ValueError):
    """A selector that does not parse, or names a field the kind cannot select on."""


def _meta(obj: dict, namespaced: bool = True) -> dict[str, str]:
    meta = obj.get("metadata") or {}
    fields = {"metadata.name": meta.get("name", "")}
    if namespaced:
        fields["metadata.namespace"] = meta.get("namespace", "")
    return fields


def _bool(value) -> str:
    return "true" if value else "false"


def _pod(obj: dict) -> dict[str, str]:
    spec, status = obj.get("spec") or {}, obj.get("status") or {}
    ips = [p.get("ip", "") for p in status.get("podIPs") or []][:1]
    return {**_meta(obj), "spec.nodeName": spec.get("nodeName", ""),
            "spec.restartPolicy": spec.get("restartPolicy", ""),
            "spec.schedulerName": spec.get("schedulerName", ""),
            "spec.serviceAccountName": spec.get("serviceAccountName", ""),
            "spec.hostNetwork": _bool(spec.get("hostNetwork")),
            "status.phase": status.get("phase", ""), "status.podIP": status.get("podIP", ""),
            "status.podIPs": ",".join(ips),
            "status.nominatedNodeName": status.get("nominatedNodeName", "")}


def _event(obj: dict) -> dict[str, str]:
    involved = obj.get("involvedObject") or {}
    fields = {f"involvedObject.{key}": involved.get(key, "") for key in
              ("kind", "namespace", "name", "uid", "apiVersion", "resourceVersion", "fieldPath")}
    return {**_meta(obj), **fields, "reason": obj.get("reason", ""),
            "reportingComponent": obj.get("reportingComponent", ""),
            "source": (obj.get("source") or {}).get("component", ""),
            "type": obj.get("type", "")}


def _replicas(obj: dict) -> dict[str, str]:
    return {**_meta(obj), "status.replicas": str((obj.get("status") or {}).get("replicas", 0))}


# kind -> the fields it can be selected on; kinds not listed take the default
# (metadata.name and metadata.namespace), as upstream's DefaultMetaV1FieldSelectorConversion.
SELECTABLE = {
    "Pod": _pod,
    "Event": _event,
    "Node": lambda o: {**_meta(o, False), "spec.unschedulable":
                       _bool((o.get("spec") or {}).get("unschedulable"))},
    "Namespace": lambda o: {**_meta(o, False), "status.phase":
                            (o.get("status") or {}).get("phase", "")},
    "Secret": lambda o: {**_meta(o), "type": o.get("type", "")},
    "ReplicaSet": _replicas,
    "ReplicationController": _replicas,
    "Job": lambda o: {**_meta(o), "status.successful":
                      str((o.get("status") or {}).get("succeeded", 0))},
}
_ALIASES = {("Pod", "spec.host"): "spec.nodeName"}   # old v1 clients


def fields_of(kind: str, obj: dict) -> dict[str, str]:
    return SELECTABLE.get(kind, _meta)(obj)


@dataclass(frozen=True)
class Term:
    field: str
    value: str
    negated: bool = False

    def __str__(self) -> str:
        return f"{self.field}{'!=' if self.negated else '='}{_escape(self.value)}"


@dataclass(frozen=True)
class FieldSelector:
    terms: tuple[Term, ...] = ()

    def check(self, kind: str) -> FieldSelector:
        """The selector with its field labels converted for ``kind``; raises
        FieldSelectorError with the API server's message for a field it cannot select on."""
        known = fields_of(kind, {})
        converted = []
        for term in self.terms:
            name = _ALIASES.get((kind, term.field), term.field)
            if name not in known:
                if kind in SELECTABLE:
                    raise FieldSelectorError(f"field label not supported: {term.field}")
                raise FieldSelectorError(f'"{term.field}" is not a known field selector: only '
                                         '"metadata.name", "metadata.namespace"')
            converted.append(Term(name, term.value, term.negated))
        return FieldSelector(tuple(converted))

    def matches(self, kind: str, obj: dict) -> bool:
        if not self.terms:
            return True
        fields = fields_of(kind, obj)
        return all((fields.get(t.field, "") == t.value) != t.negated for t in self.terms)

    def __str__(self) -> str:
        return ",".join(str(t) for t in self.terms)


def parse_field_selector(text: str) -> FieldSelector:
    """``fields.ParseSelector``: terms sorted, empty terms skipped."""
    terms = []
    for part in sorted(_split_terms(text)):
        if not part:
            continue
        split = _split_term(part)
        if split is None:
            raise FieldSelectorError(f"invalid selector: '{text}'; can't understand '{part}'")
        field, op, value = split
        terms.append(Term(field, _unescape(value), op == "!="))
    return FieldSelector(tuple(terms))


def _split_terms(text: str) -> list[str]:
    if not text:
        return []
    terms, start, escaped = [], 0, False
    for i, ch in enumerate(text):
        if escaped:
            escaped = False
        elif ch == "\\":
            escaped = True
        elif ch == ",":
            terms.append(text[start:i])
            start = i + 1
    terms.append(text[start:])
    return terms


def _split_term(term: str) -> tuple[str, str, str] | None:
    """``splitTerm``: the first unescaped ``!=``, ``==`` or ``=``."""
    escaped = False
    for i, ch in enumerate(term):
        if escaped:
            escaped = False
            continue
        if ch == "\\":
            escaped = True
            continue
        for op in ("!=", "==", "="):
            if term.startswith(op, i):
                return term[:i], op, term[i + len(op):]
    return None


def _unescape(value: str) -> str:
    if "\\" not in value and "," not in value and "=" not in value:
        return value
    out, escaped = [], False
    for ch in value:
        if escaped:
            if ch not in "\\,=":
                raise FieldSelectorError(f"invalid field selector: invalid escape sequence: "
                                         f"\\{ch}")
            out.append(ch)
            escaped = False
        elif ch == "\\":
            escaped = True
        elif ch in ",=":
            raise FieldSelectorError(f"invalid field selector: unescaped character in value: "
                                     f"{ch}")
        else:
            out.append(ch)
    if escaped:
        raise FieldSelectorError("invalid field selector: invalid trailing escape sequence")
    return "".join(out)


def _escape(value: str) -> str:
    return value.replace("\\", "\\\\").replace(",", "\\,").replace("=", "\\=")
