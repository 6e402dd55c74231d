"""Namespace lifecycle: every namespace gets its defaults, and a deleted one is emptied.

A new namespace gets the ``default`` ServiceAccount (serviceaccount controller)
and the ``kube-root-ca.crt`` ConfigMap (root-ca-cert-publisher), as on a real
cluster. A namespace marked for deletion stays ``Terminating`` until the
namespace controller has deleted everything in it, then it is removed.
"""
from __future__ import annotations

from kubelearn.api.kinds import KINDS
from kubelearn.controllers.base import Controller


class NamespaceController(Controller):
    name = "namespace-controller"
    watches = ("Namespace", "*")

    def keys_for(self, event):
        if event.kind == "Namespace":
            return (event.obj["metadata"]["name"],)
        ns = event.obj["metadata"].get("namespace")
        if event.type == "DELETED" and ns:
            namespace = self.api.store.get("Namespace", "", ns)
            if namespace is not None and namespace["metadata"].get("deletionTimestamp"):
                return (ns,)
        return ()

    def reconcile(self, name):
        namespace = self.api.store.get("Namespace", "", name)
        if namespace is None:
            return None
        if namespace["metadata"].get("deletionTimestamp"):
            return self._empty(namespace)
        self._ensure_defaults(name)
        return None

    def _empty(self, namespace: dict) -> float | None:
        name = namespace["metadata"]["name"]
        remaining = 0
        for info in KINDS:
            if not info.namespaced:
                continue
            for obj in self.api.list(info, name):
                if not obj["metadata"].get("deletionTimestamp"):
                    self.api.delete(info, obj["metadata"]["name"], name)
            # what is still there is terminating gracefully (or held by finalizers)
            remaining += len(self.api.list(info, name))
        if remaining == 0:
            self.api.finish_deletion("Namespace", name)
            return None
        return 5.0

    def _ensure_defaults(self, name: str) -> None:
        if self.api.store.get("ServiceAccount", name, "default") is None:
            self.api.create({"apiVersion": "v1", "kind": "ServiceAccount",
                             "metadata": {"name": "default", "namespace": name}})
        if self.api.store.get("ConfigMap", name, "kube-root-ca.crt") is None:
            self.api.create({"apiVersion": "v1", "kind": "ConfigMap",
                             "metadata": {"name": "kube-root-ca.crt", "namespace": name,
                                          "annotations": {"kubernetes.io/description": (
                                              "Contains a CA bundle that can be used to verify "
                                              "the kube-apiserver when using internal endpoints "
                                              "such as the internal service IP or "
                                              "kubernetes.default.svc. No other usage is "
                                              "guaranteed across distributions of Kubernetes "
                                              "clusters.")}},
                             "data": {"ca.crt": self.cluster.ca_bundle}})
