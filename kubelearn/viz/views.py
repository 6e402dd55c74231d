"""``Cluster.diagram(view)``: the diagram views by name.

Each view is a module of its own and a function ``(cluster, namespace,
highlight) -> Diagram``:

* ``architecture`` -- control plane, nodes with kubelet and kube-proxy, pods
  (``kubelearn.viz.cluster_diagram``);
* ``workloads`` -- Deployment -> ReplicaSets by revision -> Pods
  (``kubelearn.viz.workloads``);
* ``network`` -- LoadBalancer / NodePort -> Service -> Endpoints -> Pods
  (``kubelearn.viz.network``);
* ``storage`` -- Pod -> volume -> PVC -> PV -> backing storage, StorageClass
  (``kubelearn.viz.storage``).

``highlight`` is object keys (:func:`kubelearn.viz.common.object_key`:
``"Pod/default/web"``, ``"Node/minikube"``) drawn with a thick red border.
"""
from __future__ import annotations

from collections.abc import Iterable

from kubelearn.viz.cluster_diagram import cluster_diagram
from kubelearn.viz.common import Highlight
from kubelearn.viz.dot import Diagram
from kubelearn.viz.network import network_diagram
from kubelearn.viz.storage import storage_diagram
from kubelearn.viz.workloads import workloads_diagram

VIEWS = {
    "architecture": cluster_diagram,
    "workloads": workloads_diagram,
    "network": network_diagram,
    "storage": storage_diagram,
}


def diagram(cluster, view: str = "architecture", *, namespace: str | None = None,
            highlight: Iterable[str] | str = ()) -> Diagram:
    """The ``view`` diagram of ``cluster``; ValueError for a view that does not exist."""
    build = VIEWS.get(view)
    if build is None:
        raise ValueError(f"unknown diagram view {view!r}: use one of {', '.join(repr(v) for v in VIEWS)}")
    return build(cluster, namespace=namespace, highlight=Highlight(highlight))
