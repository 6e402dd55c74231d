"""Admission: the steps every write goes through before it is stored.

As in kube-apiserver: decode the body strictly into the kind's type (400
BadRequest on unknown or mistyped fields), fill in defaults (defaulting
functions, mutating admission plugins, strategies), then validate (422
Invalid with one cause per field error, worded as kubectl prints them).
"""
from __future__ import annotations

from kubelearn.api import validation
from kubelearn.api.defaults import apply_defaults
from kubelearn.api.kinds import KindInfo
from kubelearn.api.models import decode
from kubelearn.api.validate import validate
from kubelearn.apiserver import errors


def admit(info: KindInfo, body: dict, old: dict | None = None) -> dict:
    """The object as it would be stored, or a StatusError (400 or 422).

    The result is shared with later admissions (see ``_RepeatedPods``): callers
    build new dicts from it and never change it in place."""
    if old is None and info.kind == "Pod":
        repeated = _repeated_pods.admitted(body)
        if repeated is not None:
            return repeated
    obj = apply_defaults(info, decode(info, body), old)
    errs = validate(info, obj, old)
    if errs:
        name = (obj.get("metadata") or {}).get("name") or ""
        raise errors.invalid(info.kind, name, validation.invalid_message(info.kind, name, errs),
                             validation.status_causes(errs))
    if old is None and info.kind == "Pod":
        _repeated_pods.remember(body, obj)
    return obj


class _RepeatedPods:
    """The last pod created, to admit its siblings without decoding them again.

    A ReplicaSet or DaemonSet creates its pods from one template: every body is
    the same but for the generated name, and the spec is the very dict of the
    stored template (stored objects are never changed in place). Pod decoding,
    defaulting and validation read the name only to check it, so such a body is
    admitted exactly as the previous one was, with its own name, once that name
    passes the same check. Anything else goes through the full admission; this
    only saves re-deriving the same answer 10,000 times in a scale-up.
    """

    def __init__(self) -> None:
        self.body: dict | None = None
        self.admitted_obj: dict | None = None

    def remember(self, body: dict, admitted: dict) -> None:
        if "name" in (admitted.get("metadata") or {}):
            self.body, self.admitted_obj = body, admitted

    def admitted(self, body: dict) -> dict | None:
        last = self.body
        if last is None or body.get("spec") is not last.get("spec") or len(body) != len(last):
            return None
        for key, value in body.items():
            if key not in ("metadata", "spec") and (key not in last or last[key] != value):
                return None
        meta, last_meta = body.get("metadata") or {}, last.get("metadata") or {}
        name = meta.get("name")
        if not name or not isinstance(name, str) or len(meta) != len(last_meta) \
                or validation.name_is_dns_subdomain(name):
            return None
        for key, value in meta.items():
            if key != "name" and (key not in last_meta or last_meta[key] != value):
                return None
        obj = self.admitted_obj
        return {**obj, "metadata": {**obj["metadata"], "name": name}}


_repeated_pods = _RepeatedPods()
