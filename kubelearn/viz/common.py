"""What every diagram view shares: object keys, highlighting, colours, summaries.

A view draws objects as graph nodes (or boxes) and needs to answer three
questions the same way as the others:

* *Which object is this?* :func:`object_key` names it ``Kind/namespace/name``
  (``Kind/name`` when cluster-scoped), the name the exercise panel passes in
  ``highlight`` to mark what a failed check is about.
* *Is it highlighted?* :class:`Highlight` turns those keys into a thick red
  border; unknown keys are ignored, and a highlighted object is never hidden in
  a "+ N more" summary (:func:`pick`).
* *What if there are a thousand?* :func:`pick` keeps the first few (sorted by
  name, highlighted ones first) and :func:`more_text` summarises the rest by
  status: ``+ 87 more pods: 80 Running, 7 Pending``.

Every list here is sorted or kept in the store's order (namespace, then name),
never a dict's or set's order, so the same cluster state gives the same DOT.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable

from kubelearn.viz.dot import Digraph

#: Drawn on whatever a highlight key names: a thick red border.
HIGHLIGHT = {"color": "red", "penwidth": 3}

#: Namespaces a view leaves out when no namespace is asked for: Kubernetes' own.
SYSTEM_NAMESPACES = ("kube-node-lease", "kube-public", "kube-system")

STATUS_COLOURS = (
    ("Running", "#d4edda"), ("Completed", "#e2e3e5"), ("Terminating", "#e2e3e5"),
    ("Pending", "#fff3cd"), ("ContainerCreating", "#fff3cd"),
)
FAILING_COLOUR = "#f8d7da"
PENDING_COLOUR = "#fff3cd"
OK_COLOUR = "#d4edda"
IDLE_COLOUR = "#e2e3e5"
OBJECT_COLOUR = "#cfe2ff"       # a controller or an API object that is not a pod
MISSING_STYLE = {"style": "dashed", "color": "#dc3545", "fontcolor": "#dc3545"}


def pod_colour(status: str) -> str:
    """The fill colour for a pod's STATUS column: green running, yellow on its way,
    grey finished, red anything else (CrashLoopBackOff, ErrImagePull, ...)."""
    return dict(STATUS_COLOURS).get(status, FAILING_COLOUR)


def object_key(obj: dict) -> str:
    """``Kind/namespace/name``, or ``Kind/name`` for a cluster-scoped object
    (``Node/minikube``, ``PersistentVolume/pv-1``)."""
    meta = obj["metadata"]
    namespace = meta.get("namespace")
    return f"{obj['kind']}/{namespace}/{meta['name']}" if namespace else f"{obj['kind']}/{meta['name']}"


def key_of(kind: str, namespace: str, name: str) -> str:
    """The key of an object known by reference (it need not exist)."""
    return f"{kind}/{namespace}/{name}" if namespace else f"{kind}/{name}"


class Highlight:
    """The keys to mark. ``marks(key)`` is the extra attributes for that object's
    node: the red border, or nothing. A single string is one key."""

    def __init__(self, keys: Iterable[str] | str = ()):
        if isinstance(keys, str):
            keys = (keys,)
        self.keys = frozenset(str(k) for k in keys)

    def __contains__(self, key: str) -> bool:
        return key in self.keys

    def __bool__(self) -> bool:
        return bool(self.keys)

    def marks(self, key: str) -> dict[str, object]:
        return HIGHLIGHT if key in self.keys else {}


def pick(items: list, limit: int, key: Callable[[object], str], highlight: Highlight,
         keep: Callable[[object], bool] | None = None) -> tuple[list, list]:
    """``(shown, hidden)``: at most ``limit`` items shown, highlighted ones (and
    those ``keep`` says must stay) always, even past the limit, in the order
    given; the others fill the rest."""
    if len(items) <= limit:
        return list(items), []
    marked = {id(item) for item in items
              if key(item) in highlight or (keep is not None and keep(item))}
    room = max(limit - len(marked), 0)
    shown, hidden = [], []
    for item in items:
        if id(item) in marked:
            shown.append(item)
        elif room:
            shown.append(item)
            room -= 1
        else:
            hidden.append(item)
    return shown, hidden


def count_text(statuses: Iterable[str]) -> str:
    """``80 Running, 7 Pending``: most common first, then by name."""
    counts = Counter(statuses)
    return ", ".join(f"{n} {status}" for status, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))


def more_text(statuses: list[str], noun: str = "pods") -> str:
    """``+ 87 more pods: 80 Running, 7 Pending``."""
    text = f"+ {len(statuses)} more {noun}"
    breakdown = count_text(statuses)
    return f"{text}: {breakdown}" if breakdown else text


def plural(n: int, word: str, words: str | None = None) -> str:
    return f"{n} {word if n == 1 else (words or word + 's')}"


def new_graph(name: str) -> Digraph:
    """A left-to-right graph in the house style (the architecture view's)."""
    return Digraph(name, rankdir="LR", fontname="Helvetica", compound="true",
                   node_attr={"shape": "box", "style": "rounded,filled", "fillcolor": "white",
                              "fontname": "Helvetica", "fontsize": 10},
                   edge_attr={"fontname": "Helvetica", "fontsize": 9})


def namespaces_shown(cluster, namespace: str | None) -> list[str]:
    """The namespaces a view draws: the one asked for, else every namespace but
    Kubernetes' own (``kube-system`` and friends), sorted."""
    if namespace is not None:
        return [namespace]
    return [ns["metadata"]["name"] for ns in cluster.api.list("Namespace")
            if ns["metadata"]["name"] not in SYSTEM_NAMESPACES]


def listed(cluster, kind: str, namespaces: list[str]) -> list[dict]:
    """Objects of a namespaced kind in those namespaces, in store order."""
    found: list[dict] = []
    for ns in namespaces:
        found.extend(cluster.api.list(kind, ns))
    return found


def controller_of(obj: dict) -> dict | None:
    """The ownerReference with ``controller: true`` (what ``kubectl describe`` calls
    "Controlled By"), or None."""
    for ref in obj["metadata"].get("ownerReferences") or ():
        if ref.get("controller"):
            return ref
    return None
