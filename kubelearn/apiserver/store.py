"""The object store: what etcd is to a real cluster.

Objects are Kubernetes-shaped plain dicts, keyed by (kind, namespace, name).
A stored object is never changed in place: every write puts a new dict, so a
reader may keep a reference without copying (a deep copy costs ~100x a
reference). Indexes by kind and namespace, by label and by owner keep lists and
garbage collection from scanning every object. Every write bumps the
resourceVersion and tells the watchers, which is how controllers learn that
something changed.
"""
from __future__ import annotations

from collections import defaultdict
from typing import Callable, Iterable, NamedTuple

Key = tuple[str, str]  # (namespace, name); namespace is "" for cluster-scoped kinds


class WatchEvent(NamedTuple):
    type: str            # ADDED, MODIFIED or DELETED
    kind: str
    obj: dict            # the new object (the last state for DELETED)
    old: dict | None     # the previous object, None for ADDED


def object_key(obj: dict) -> Key:
    meta = obj["metadata"]
    return meta.get("namespace", ""), meta["name"]


class Store:
    """Versioned objects with indexes and watch events."""

    def __init__(self) -> None:
        self._objects: dict[str, dict[Key, dict]] = defaultdict(dict)
        self._by_namespace: dict[tuple[str, str], dict[str, dict]] = defaultdict(dict)
        self._by_label: dict[tuple[str, str, str], set[Key]] = defaultdict(set)
        self._by_label_key: dict[tuple[str, str], set[Key]] = defaultdict(set)
        self._by_owner: dict[str, set[tuple[str, str, str]]] = defaultdict(set)
        self._watchers: list[Callable[[WatchEvent], None]] = []
        self.resource_version = 0

    # -- reads -----------------------------------------------------------
    def get(self, kind: str, namespace: str, name: str) -> dict | None:
        return self._objects[kind].get((namespace, name))

    def count(self, kind: str) -> int:
        return len(self._objects[kind])

    def list(self, kind: str, namespace: str | None = None, selector=None) -> list[dict]:
        """Objects of a kind, in etcd key order (namespace, then name).

        ``selector`` is a ``kubelearn.api.selector.Selector``. Its equality and
        existence terms are answered from the label index (intersecting the
        postings), so a selective query never walks every object; ``matches``
        runs only when the index cannot decide alone (``!=``, ``notin``, ...).
        """
        objects = self._objects[kind]
        keys = self._indexed_keys(kind, selector) if selector is not None else None
        if keys is None:
            found = (objects.values() if namespace is None
                     else self._by_namespace[(kind, namespace)].values())
            if selector is not None and not selector.empty:
                found = [o for o in found if selector.matches(o["metadata"].get("labels") or {})]
            return sorted(found, key=_sort_key)
        if namespace is not None:
            result = [objects[(namespace, name)]
                      for name in sorted(k[1] for k in keys if k[0] == namespace)]
        else:
            result = [objects[k] for k in sorted(keys)]
        if selector.index_exact():
            return result
        return [o for o in result if selector.matches(o["metadata"].get("labels") or {})]

    def _indexed_keys(self, kind: str, selector) -> set[Key] | None:
        """Keys in every posting of the selector's index terms; None when the
        selector has no such terms (then the caller scans)."""
        postings = []
        for key, value in selector.index_terms():
            hits = (self._by_label_key.get((kind, key)) if value is None
                    else self._by_label.get((kind, key, value)))
            if not hits:
                return set()
            postings.append(hits)
        if not postings:
            return None
        postings.sort(key=len)
        return postings[0].intersection(*postings[1:]) if len(postings) > 1 else postings[0]

    def dependents(self, owner_uid: str) -> list[tuple[str, str, str]]:
        """(kind, namespace, name) of objects whose ownerReferences name ``owner_uid``."""
        return sorted(self._by_owner.get(owner_uid, ()))

    def kinds(self) -> list[str]:
        return sorted(k for k, objs in self._objects.items() if objs)

    # -- writes ----------------------------------------------------------
    def next_resource_version(self) -> str:
        self.resource_version += 1
        return str(self.resource_version)

    def put(self, kind: str, obj: dict) -> WatchEvent:
        """Insert or replace ``obj`` (whose metadata already carries its new
        resourceVersion) and notify watchers."""
        key = object_key(obj)
        objects = self._objects[kind]
        old = objects.get(key)
        # Most writes (status, binding, an event counted again) leave the labels and
        # owners alone: then the label and owner postings already hold this key.
        reindex = old is None or not _same_index_entries(old["metadata"], obj["metadata"])
        if old is not None and reindex:
            self._unindex(kind, key, old)
        objects[key] = obj
        self._by_namespace[(kind, key[0])][key[1]] = obj
        if reindex:
            self._index(kind, key, obj)
        event = WatchEvent("ADDED" if old is None else "MODIFIED", kind, obj, old)
        self._notify(event)
        return event

    def remove(self, kind: str, namespace: str, name: str) -> WatchEvent | None:
        key = (namespace, name)
        old = self._objects[kind].pop(key, None)
        if old is None:
            return None
        del self._by_namespace[(kind, namespace)][name]
        self._unindex(kind, key, old)
        self.resource_version += 1
        event = WatchEvent("DELETED", kind, old, old)
        self._notify(event)
        return event

    # -- watch -----------------------------------------------------------
    def watch(self, callback: Callable[[WatchEvent], None]) -> None:
        self._watchers.append(callback)

    def unwatch(self, callback: Callable[[WatchEvent], None]) -> None:
        """Stop calling ``callback`` (a client watch that ends, e.g. ``rollout status``)."""
        self._watchers.remove(callback)

    def _notify(self, event: WatchEvent) -> None:
        for callback in self._watchers:
            callback(event)

    # -- indexes ---------------------------------------------------------
    def _index(self, kind: str, key: Key, obj: dict) -> None:
        meta = obj["metadata"]
        for label, value in (meta.get("labels") or {}).items():
            self._by_label[(kind, label, value)].add(key)
            self._by_label_key[(kind, label)].add(key)
        for uid in _owner_uids(meta):
            self._by_owner[uid].add((kind, *key))

    def _unindex(self, kind: str, key: Key, obj: dict) -> None:
        meta = obj["metadata"]
        for label, value in (meta.get("labels") or {}).items():
            _discard(self._by_label, (kind, label, value), key)
            _discard(self._by_label_key, (kind, label), key)
        for uid in _owner_uids(meta):
            _discard(self._by_owner, uid, (kind, *key))


def _same_index_entries(old: dict, new: dict) -> bool:
    """True when two versions of an object's metadata index the same way."""
    if old is new:
        return True
    labels, refs = old.get("labels"), old.get("ownerReferences")
    new_labels, new_refs = new.get("labels"), new.get("ownerReferences")
    return (labels is new_labels or (labels or {}) == (new_labels or {})) \
        and (refs is new_refs or (refs or []) == (new_refs or []))


def _owner_uids(meta: dict) -> Iterable[str]:
    return (ref["uid"] for ref in meta.get("ownerReferences") or () if "uid" in ref)


def _discard(index: dict, key, member) -> None:
    members = index.get(key)
    if members is not None:
        members.discard(member)
        if not members:
            del index[key]


def _sort_key(obj: dict) -> Key:
    meta = obj["metadata"]
    return meta.get("namespace", ""), meta["name"]
