"""The kernel's kubeconfig: which clusters exist and which one is current.

Like ``~/.kube/config`` (which kubelearn never reads or writes), it maps
context names to clusters. ``kubectl config use-context`` switches the
cluster the ``%kubectl`` magic talks to; ``cluster.kubectl(...)`` always
talks to its own cluster, like ``kubectl --context``.
"""
from __future__ import annotations

import weakref
from dataclasses import dataclass


@dataclass
class Context:
    name: str
    cluster_name: str
    user: str
    namespace: str = ""


class KubeConfig:
    def __init__(self) -> None:
        self._clusters: dict[str, weakref.ref] = {}
        self._contexts: dict[str, Context] = {}
        self.current: str = ""

    def register(self, cluster) -> None:
        """Add (or replace) the context of ``cluster`` and make it current, as
        ``minikube start`` and ``aws eks update-kubeconfig`` do."""
        profile = cluster.profile
        self._contexts[profile.context] = Context(profile.context, profile.cluster_name,
                                                  profile.user)
        self._clusters[profile.context] = weakref.ref(cluster)
        self.current = profile.context

    def contexts(self) -> list[Context]:
        live = [c for name, c in self._contexts.items() if self._clusters[name]() is not None]
        return sorted(live, key=lambda c: c.name)

    def get(self, name: str) -> Context | None:
        ctx = self._contexts.get(name)
        return ctx if ctx is not None and self._clusters[name]() is not None else None

    def cluster(self, name: str | None = None):
        """The cluster behind a context (the current one by default), or None."""
        ref = self._clusters.get(name or self.current)
        return ref() if ref is not None else None

    def context_of(self, cluster) -> Context | None:
        for name, ref in self._clusters.items():
            if ref() is cluster:
                return self._contexts[name]
        return None


_KUBECONFIG = KubeConfig()


def kubeconfig() -> KubeConfig:
    """The one kubeconfig of this Python process (one per notebook kernel)."""
    return _KUBECONFIG
