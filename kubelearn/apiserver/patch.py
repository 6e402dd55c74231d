"""Patches: JSON merge patch, strategic merge patch and apply's three-way merge.

A strategic merge patch merges lists of named things (containers by ``name``,
volume mounts by ``mountPath``, ...) item by item instead of replacing them,
which is why ``kubectl apply`` can change one container's image without
wiping the defaults the server filled in. The merge keys are the
``patchMergeKey`` tags of the upstream Go types.
"""
from __future__ import annotations

import copy

# list field name -> merge key (upstream patchMergeKey tags). "ports" depends on
# whose ports they are: containers key them by containerPort, services by port.
MERGE_KEYS = {
    "containers": "name", "initContainers": "name", "ephemeralContainers": "name",
    "env": "name", "volumeMounts": "mountPath", "volumeDevices": "devicePath",
    "volumes": "name", "imagePullSecrets": "name", "ownerReferences": "uid",
    "conditions": "type", "hostAliases": "ip", "topologySpreadConstraints": "topologyKey",
}

# lists of scalars that merge as sets (patchStrategy "merge" on []string).
MERGED_SCALAR_LISTS = frozenset({"finalizers"})


def merge_key(field: str, items: list) -> str | None:
    if field == "ports":
        sample = next((i for i in items if isinstance(i, dict)), {})
        return "containerPort" if "containerPort" in sample else "port"
    return MERGE_KEYS.get(field)


def json_merge_patch(target, patch):
    """RFC 7386: maps merge recursively, ``null`` deletes, anything else replaces."""
    if not isinstance(patch, dict):
        return copy.deepcopy(patch)
    result = dict(target) if isinstance(target, dict) else {}
    for key, value in patch.items():
        if value is None:
            result.pop(key, None)
        else:
            result[key] = json_merge_patch(result.get(key), value)
    return result


def strategic_merge_patch(target, patch, field: str = ""):
    """Like a JSON merge patch, but lists with a merge key merge item by item and
    honour ``$patch: delete`` / ``$patch: replace`` directives."""
    if isinstance(patch, dict):
        if patch.get("$patch") == "replace":
            return {k: copy.deepcopy(v) for k, v in patch.items() if k != "$patch"}
        result = dict(target) if isinstance(target, dict) else {}
        for key, value in patch.items():
            if key.startswith("$"):
                continue
            if value is None:
                result.pop(key, None)
            else:
                result[key] = strategic_merge_patch(result.get(key), value, key)
        return result
    if isinstance(patch, list):
        # a missing list merges like an empty one, so directives never get stored
        target = target if isinstance(target, list) else []
        if field in MERGED_SCALAR_LISTS:
            return list(target) + [v for v in patch if v not in target]
        key = merge_key(field, patch + target)
        if key:
            return _merge_keyed_list(target, patch, key, field)
    return copy.deepcopy(patch)


def _merge_keyed_list(target: list, patch: list, key: str, field: str) -> list:
    result = list(target)
    index = {item.get(key): i for i, item in enumerate(result) if isinstance(item, dict)}
    deleted = set()
    for item in patch:
        if not isinstance(item, dict) or key not in item:
            result.append(copy.deepcopy(item))
            continue
        ident = item[key]
        if item.get("$patch") == "delete":
            deleted.add(ident)
        elif ident in index:
            result[index[ident]] = strategic_merge_patch(result[index[ident]], item, field)
        else:
            index[ident] = len(result)
            result.append(strategic_merge_patch({}, item, field))
    return [i for i in result if not (isinstance(i, dict) and i.get(key) in deleted)]


def three_way_patch(original: dict | None, modified: dict, current: dict) -> dict:
    """The patch ``kubectl apply`` sends: set every field of ``modified`` that
    differs from ``current``, and delete fields that were in the last applied
    configuration (``original``) but are gone from ``modified``. Fields that
    others set (``kubectl scale``) and the manifest never mentioned survive.
    Items dropped from a list with a merge key (a container, an env var) are
    deleted with ``$patch: delete``, as upstream's three-way merge does."""
    patch = _additions(modified, current)
    _merge_into(patch, _deletions(original or {}, modified))
    return patch


def _merge_into(patch: dict, deletions: dict) -> None:
    """Add ``deletions`` to ``patch`` at every depth (both may touch one map)."""
    for key, value in deletions.items():
        if key not in patch:
            patch[key] = value
        elif isinstance(value, dict) and isinstance(patch[key], dict):
            patch[key] = dict(patch[key])   # may be the manifest's own map: never edit it
            _merge_into(patch[key], value)
        elif isinstance(value, list) and isinstance(patch[key], list):
            patch[key] = patch[key] + value


def _additions(modified, current, field: str = "") -> dict:
    patch = {}
    for key, value in modified.items():
        live = current.get(key) if isinstance(current, dict) else None
        if isinstance(value, dict) and isinstance(live, dict):
            sub = _additions(value, live, key)
            if sub:
                patch[key] = sub
        elif isinstance(value, list) and isinstance(live, list) and merge_key(key, value + live):
            if _keyed_list_changes(value, live, merge_key(key, value + live), key):
                patch[key] = value
        elif value != live:
            patch[key] = value
    return patch


def _keyed_list_changes(modified: list, live: list, key: str, field: str) -> bool:
    """True when merging ``modified`` into ``live`` would change ``live``."""
    return _merge_keyed_list(live, modified, key, field) != live


def _deletions(original: dict, modified: dict) -> dict:
    patch = {}
    for key, value in original.items():
        if key not in modified:
            patch[key] = None
        elif isinstance(value, dict) and isinstance(modified[key], dict):
            sub = _deletions(value, modified[key])
            if sub:
                patch[key] = sub
        elif isinstance(value, list) and isinstance(modified[key], list):
            items = _list_deletions(key, value, modified[key])
            if items:
                patch[key] = items
    return patch


def _list_deletions(field: str, original: list, modified: list) -> list:
    """For a list with a merge key: ``$patch: delete`` for items the manifest
    dropped, and the fields it dropped from items it kept."""
    key = merge_key(field, original + modified)
    if not key:
        return []
    kept = {item[key]: item for item in modified if isinstance(item, dict) and key in item}
    items = []
    for item in original:
        if not isinstance(item, dict) or key not in item:
            continue
        ident = item[key]
        if ident not in kept:
            items.append({key: ident, "$patch": "delete"})
        else:
            sub = _deletions(item, kept[ident])
            if sub:
                items.append({key: ident, **sub})
    return items
