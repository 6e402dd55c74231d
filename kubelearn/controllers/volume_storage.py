"""Hooks from the storage control plane into the data a volume holds.

The PV controller and the provisioners decide *when* a volume's data goes
away; the node side (``kubelearn.node``: the volumes in the kubelet, what a
node's disk holds) owns the data itself. These functions are the only place
the control plane reaches over: each one asks ``cluster.storage`` (the node
side's storage, when the cluster has one) to do the work, and does nothing on
a cluster without it, so the control plane never depends on how the data is
kept.

``cluster.storage`` (``kubelearn.node.volumes.ClusterStorage``) may offer a
method of the hook's name to do the work its own way; otherwise the hook works
on the node disks it exposes (``disk(node)``, a ``FileTree``):

- ``create_hostpath(node, path)``: ``mkdir -p`` on one node's disk (the minikube
  hostpath provisioner making ``/tmp/hostpath-provisioner/<namespace>/<claim>``).
- ``delete_hostpath(node, path)``: ``rm -rf`` a directory on one node's disk (the
  same provisioner deleting a volume it made).
- ``scrub_volume(pv)``: empty a volume for reuse (the deprecated Recycle policy:
  ``rm -rf /thevolume/*``). Without that method a hostPath volume is emptied on
  every node's disk that has its directory (upstream's recycler pod lands on
  whichever node the scheduler picks).
- ``delete_csi_volume(driver, volume_handle)``: delete a CSI driver's volume.
"""
from __future__ import annotations


def _storage(cluster, create: bool = False):
    storage = getattr(cluster, "storage", None)
    if storage is None and create:
        try:
            from kubelearn.node.volumes import storage_of
        except ImportError:         # a build without the node storage layer
            return None
        storage = storage_of(cluster)
    return storage


def _storage_call(cluster, method: str, *args) -> bool:
    storage = _storage(cluster)
    fn = getattr(storage, method, None) if storage is not None else None
    if fn is None:
        return False
    fn(*args)
    return True


def _prune(tree, path: str, keep_top: bool) -> None:
    """Drop ``path`` (a directory) and everything below it from a FileTree."""
    prefix = path.rstrip("/") + "/"
    for name in [f for f in tree.files if f.startswith(prefix) or f == path]:
        del tree.files[name]
    gone = {d for d in tree.dirs if d.startswith(prefix) or (d == path and not keep_top)}
    tree.dirs.difference_update(gone)


def create_hostpath_storage(cluster, node: str, path: str) -> bool:
    """``mkdir -p path`` on ``node``'s disk; False when the cluster keeps no node data."""
    if _storage_call(cluster, "create_hostpath", node, path):
        return True
    storage = _storage(cluster, create=True)
    if storage is None or not hasattr(storage, "disk"):
        return False
    storage.disk(node).make_dirs(path)
    return True


def delete_hostpath_storage(cluster, node: str, path: str) -> bool:
    """``rm -rf path`` on ``node``'s disk; False when the cluster keeps no node data."""
    if _storage_call(cluster, "delete_hostpath", node, path):
        return True
    storage = _storage(cluster)
    if storage is None or not hasattr(storage, "disks"):
        return False
    if node in storage.disks and path not in ("", "/"):
        _prune(storage.disks[node], path, keep_top=False)
    return True


def scrub_volume_storage(cluster, pv: dict) -> bool:
    """Empty the volume behind ``pv`` (Recycle); False when nothing keeps its data."""
    if _storage_call(cluster, "scrub_volume", pv):
        return True
    storage = _storage(cluster)
    path = ((pv.get("spec") or {}).get("hostPath") or {}).get("path")
    if storage is None or not hasattr(storage, "disks") or not path:
        return False
    for node in sorted(storage.disks):
        tree = storage.disks[node]
        if path in tree.dirs and path != "/":
            _prune(tree, path, keep_top=True)
    return True


def delete_csi_volume_storage(cluster, driver: str, volume_handle: str) -> bool:
    """Delete a CSI volume's data; False when nothing keeps it."""
    return _storage_call(cluster, "delete_csi_volume", driver, volume_handle)
