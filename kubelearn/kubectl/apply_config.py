"""The ``kubectl.kubernetes.io/last-applied-configuration`` annotation.

``kubectl apply`` remembers what it applied last in this annotation, so the
next apply can tell which fields the manifest dropped (and should be removed)
from fields someone else set (which stay).
"""
from __future__ import annotations

import copy
import json

LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration"


def go_json(obj) -> str:
    """Compact JSON as Go's encoding/json writes it: sorted keys, HTML-escaped."""
    text = json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def with_last_applied(manifest: dict) -> dict:
    """The manifest plus the annotation recording it (as ``apply`` sends it).

    Like upstream ``GetModifiedConfiguration``, the recorded copy always has an
    ``annotations`` map, empty when the manifest had none:
    ``{"metadata":{"annotations":{},"name":"web",...}``.
    """
    recorded = copy.deepcopy(manifest)
    meta = recorded.setdefault("metadata", {})
    annotations = dict(meta.get("annotations") or {})
    annotations.pop(LAST_APPLIED, None)
    meta["annotations"] = annotations
    result = copy.deepcopy(manifest)
    meta = result.setdefault("metadata", {})
    meta["annotations"] = {**(meta.get("annotations") or {}), LAST_APPLIED: go_json(recorded) + "\n"}
    return result


def last_applied(live: dict) -> dict | None:
    text = (live.get("metadata", {}).get("annotations") or {}).get(LAST_APPLIED)
    if not text:
        return None
    try:
        return json.loads(text)
    except json.JSONDecodeError:
        return None
