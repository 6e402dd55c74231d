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
    """The object as it would be stored, or a StatusError (400 or 422)."""
    obj = apply_defaults(info, decode(info, body), old)
    errs = validate(info, obj, old)
    if errs:
        name = (obj.get("metadata") or {}).get("name") or ""
        raise errors.invalid(info.kind, name, validation.invalid_message(info.kind, name, errs),
                             validation.status_causes(errs))
    return obj
