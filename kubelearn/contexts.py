"""The kernel's kubeconfig: which clusters exist and which one is current.

Like ``~/.kube/config`` (which kubelearn never reads or writes), it maps
context names to clusters. ``kubectl config use-context`` switches the
cluster the ``%kubectl`` magic talks to; ``cluster.kubectl(...)`` always
talks to its own cluster, like ``kubectl --context``.

Contexts stay until another cluster registers under the same name, as entries
in a kubeconfig file do: never dropped behind the learner's back (that would
make ``config get-contexts`` depend on when Python frees memory).
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass
class Context:
    name: str
    cluster_name: str
    user: str
    namespace: str = ""


class KubeConfig:
    def __init__(self) -> None:
        self._clusters: dict[str, object] = {}
        self._contexts: dict[str, Context] = {}
        self.current: str = ""

    def register(self, cluster) -> None:
        """Add (or replace) the context of ``cluster`` and make it current, as
        ``minikube start`` and ``aws eks update-kubeconfig`` do."""
        profile = cluster.profile
        self.add(cluster, profile.context, cluster_name=profile.cluster_name, user=profile.user,
                 namespace=profile.context_namespace)

    def add(self, cluster, name: str, *, cluster_name: str, user: str, namespace: str = "",
            current: bool = True) -> Context:
        """Add (or replace) the context ``name`` for ``cluster`` (its kubeconfig cluster
        entry ``cluster_name``, its ``user``), the current one unless ``current=False``."""
        context = self._contexts[name] = Context(name, cluster_name, user, namespace)
        self._clusters[name] = cluster
        if current:
            self.current = name
        return context

    def contexts(self) -> list[Context]:
        return sorted(self._contexts.values(), key=lambda c: c.name)

    def get(self, name: str) -> Context | None:
        return self._contexts.get(name)

    def cluster(self, name: str | None = None):
        """The cluster behind a context (the current one by default), or None."""
        return self._clusters.get(name or self.current)

    def context_of(self, cluster) -> Context | None:
        for name, known in self._clusters.items():
            if known is cluster:
                return self._contexts[name]
        return None


_KUBECONFIG = KubeConfig()


def kubeconfig() -> KubeConfig:
    """The one kubeconfig of this Python process (one per notebook kernel)."""
    return _KUBECONFIG
