"""Garbage collector: dependents go when their owners are gone.

Upstream's garbage collector keeps a graph of ownerReferences; here the store's
owner index is that graph. When an object is deleted, every dependent whose
owners are all gone is deleted in turn (background propagation), so deleting a
Deployment removes its ReplicaSets and their pods.
"""
from __future__ import annotations

from kubelearn.api.kinds import kind_info
from kubelearn.apiserver import errors
from kubelearn.controllers.base import Controller


class GarbageCollector(Controller):
    name = "garbage-collector"
    watches = ("*",)

    def keys_for(self, event):
        if event.type == "DELETED":
            return [(kind, ns, name) for kind, ns, name in self.api.store.dependents(
                event.obj["metadata"].get("uid", ""))]
        if event.type == "ADDED" and event.obj["metadata"].get("ownerReferences"):
            meta = event.obj["metadata"]
            return [(event.kind, meta.get("namespace", ""), meta["name"])]
        return ()

    def reconcile(self, key):
        kind, namespace, name = key
        obj = self.api.store.get(kind, namespace, name)
        if obj is None or obj["metadata"].get("deletionTimestamp"):
            return None
        refs = obj["metadata"].get("ownerReferences") or []
        if refs and not any(self._owner_exists(ref, namespace) for ref in refs):
            try:
                self.api.delete(kind_info(kind), name, namespace)
            except errors.StatusError:
                pass
        return None

    def _owner_exists(self, ref: dict, namespace: str) -> bool:
        try:
            info = kind_info(ref["kind"])
        except KeyError:
            # a kind this server does not serve: like upstream's collector, which
            # cannot resolve such an owner, never delete the dependent on a guess
            return True
        owner = self.api.store.get(info.kind, namespace if info.namespaced else "", ref["name"])
        return owner is not None and owner["metadata"].get("uid") == ref.get("uid")
