"""Every kind the simulated API server knows, declared once.

Like the discovery documents a real API server serves, this table is the one
place that says what a kind is called (kind, plural, singular, short names),
where it lives (group/version) and whether it is namespaced. kubectl's resource
lookup, ``api-resources``, error messages (``deployments.apps "web" not found``),
``get all`` and the apply order all derive from it.
"""
from __future__ import annotations

from dataclasses import dataclass

STANDARD_VERBS = ("create", "delete", "deletecollection", "get", "list", "patch", "update", "watch")


@dataclass(frozen=True)
class KindInfo:
    group: str
    version: str
    kind: str
    plural: str
    singular: str
    short_names: tuple[str, ...] = ()
    namespaced: bool = True
    categories: tuple[str, ...] = ()
    verbs: tuple[str, ...] = STANDARD_VERBS

    @property
    def api_version(self) -> str:
        """``v1`` for the core group, ``apps/v1`` otherwise."""
        return f"{self.group}/{self.version}" if self.group else self.version

    @property
    def resource_ref(self) -> str:
        """How the server names the resource in messages: ``deployments.apps``."""
        return f"{self.plural}.{self.group}" if self.group else self.plural

    @property
    def display(self) -> str:
        """How kubectl names one object: ``deployment.apps`` (``deployment.apps/web``)."""
        lower = self.kind.lower()
        return f"{lower}.{self.group}" if self.group else lower


def _core(kind, plural, short=(), namespaced=True, categories=(), verbs=STANDARD_VERBS):
    return KindInfo("", "v1", kind, plural, kind.lower(), tuple(short), namespaced,
                    tuple(categories), verbs)


_ALL = ("all",)

KINDS: tuple[KindInfo, ...] = (
    _core("ConfigMap", "configmaps", ("cm",)),
    _core("Endpoints", "endpoints", ("ep",)),
    _core("Event", "events", ("ev",)),
    _core("Namespace", "namespaces", ("ns",), namespaced=False,
          verbs=("create", "delete", "get", "list", "patch", "update", "watch")),
    _core("Node", "nodes", ("no",), namespaced=False),
    _core("PersistentVolumeClaim", "persistentvolumeclaims", ("pvc",)),
    _core("PersistentVolume", "persistentvolumes", ("pv",), namespaced=False),
    _core("Pod", "pods", ("po",), categories=_ALL),
    _core("Secret", "secrets"),
    _core("ServiceAccount", "serviceaccounts", ("sa",)),
    _core("Service", "services", ("svc",), categories=_ALL,
          verbs=("create", "delete", "deletecollection", "get", "list", "patch", "update", "watch")),
    KindInfo("apps", "v1", "DaemonSet", "daemonsets", "daemonset", ("ds",), True, _ALL),
    KindInfo("apps", "v1", "Deployment", "deployments", "deployment", ("deploy",), True, _ALL),
    KindInfo("apps", "v1", "ReplicaSet", "replicasets", "replicaset", ("rs",), True, _ALL),
    KindInfo("storage.k8s.io", "v1", "StorageClass", "storageclasses", "storageclass", ("sc",),
             False),
)

# `kubectl get all` prints kinds in this order (pods, services, daemonsets,
# deployments, replicasets, ... as upstream's "all" category expands).
ALL_CATEGORY_ORDER = ("Pod", "Service", "DaemonSet", "Deployment", "ReplicaSet")

# Objects a manifest depends on come first when several are applied together
# (lightkube's apply order): namespaces before what lives in them, storage and
# config before the workloads that use it.
APPLY_ORDER = ("Namespace", "StorageClass", "PersistentVolume", "PersistentVolumeClaim",
               "ServiceAccount", "Secret", "ConfigMap", "Service", "Endpoints", "DaemonSet",
               "Deployment", "ReplicaSet", "Pod", "Node", "Event")

_BY_GVK = {(k.api_version, k.kind): k for k in KINDS}
_BY_KIND = {k.kind: k for k in KINDS}


def _resource_names() -> dict[str, KindInfo]:
    names: dict[str, KindInfo] = {}
    for info in KINDS:
        for alias in (info.plural, info.singular, info.kind.lower(), *info.short_names):
            names.setdefault(alias, info)
            names.setdefault(f"{alias}.{info.group}", info)
            names.setdefault(f"{alias}.{info.version}.{info.group}", info)
    return names


_BY_RESOURCE = _resource_names()


def lookup_resource(name: str) -> KindInfo | None:
    """Resolve what a learner types after ``kubectl get``: ``po``, ``deploy``,
    ``deployments.apps``, ``Deployment``. Case-insensitive for the kind name as
    kubectl's RESTMapper is."""
    return _BY_RESOURCE.get(name) or _BY_RESOURCE.get(name.lower())


def lookup_kind(api_version: str, kind: str) -> KindInfo | None:
    """Resolve a manifest's ``apiVersion``/``kind`` pair (exact, as the server does)."""
    return _BY_GVK.get((api_version, kind))


def kind_info(kind: str) -> KindInfo:
    """The registry entry for a kind name the engine itself uses (``"Pod"``)."""
    return _BY_KIND[kind]


def kinds_in_category(category: str) -> list[KindInfo]:
    if category == "all":
        return [_BY_KIND[k] for k in ALL_CATEGORY_ORDER]
    return [k for k in KINDS if category in k.categories]


def api_groups_order(info: KindInfo) -> tuple[str, str]:
    """Sort key of ``kubectl api-resources``: by group (core first), then name."""
    return (info.group, info.plural)
