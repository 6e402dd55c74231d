"""Static pods and their mirror pods, after upstream's ``kubelet/pod/mirror_client.go``.

A static pod runs from a manifest on the node (kubeadm's control plane); the
API only holds its *mirror pod*, marked with ``kubernetes.io/config.mirror``
and owned by the Node. The kubelet annotates the mirror pod, reports the
running containers' status on it, and posts it again when someone deletes it:
deleting a mirror pod never stops the static pod. ``Kubelet`` mixes this in.
"""
from __future__ import annotations

import hashlib
import json
from datetime import timedelta

from kubelearn.apiserver import errors
from kubelearn.clock import EPOCH

CONFIG_SOURCE = "kubernetes.io/config.source"
CONFIG_MIRROR = "kubernetes.io/config.mirror"
CONFIG_HASH = "kubernetes.io/config.hash"
CONFIG_SEEN = "kubernetes.io/config.seen"


def is_static(pod: dict) -> bool:
    annotations = pod["metadata"].get("annotations") or {}
    return annotations.get(CONFIG_SOURCE, "api") != "api" or CONFIG_MIRROR in annotations


class MirrorPods:
    """Static pod steps of a kubelet."""

    def _run_static_pod(self, pod: dict) -> None:
        """A static pod was started from its manifest before the API heard of it:
        its containers already run, with images the node had pre-pulled."""
        meta = pod["metadata"]
        self.static_manifests[(meta.get("namespace", ""), meta["name"])] = _manifest(pod)
        pod = self._ensure_mirror_metadata(pod)
        worker = self._new_worker(pod, static=True)
        worker.sandbox_ready = True
        worker.pod_ip = self._pod_ip(pod)
        for record in worker.containers:
            record.container_id = self.runtime.container_id()
            record.image_shown, record.image_id = self.runtime.image_fields(record.image)
            record.state, record.reason, record.ready = "running", "", True
            record.started_at = self.clock.now
        worker.next_index = len(worker.containers)
        worker.stage = "running"
        self._write_status(worker)

    def _ensure_mirror_metadata(self, pod: dict) -> dict:
        """Mark a mirror pod as the kubelet does: config hash/mirror/seen, owned by its Node."""
        meta = pod["metadata"]
        annotations = dict(meta.get("annotations") or {})
        if CONFIG_MIRROR in annotations and meta.get("ownerReferences"):
            return pod
        manifest = self.static_manifests.get((meta.get("namespace", ""), meta["name"]),
                                             _manifest(pod))
        digest = hashlib.md5(json.dumps(manifest, sort_keys=True).encode()).hexdigest()
        annotations.setdefault(CONFIG_SOURCE, "file")
        annotations[CONFIG_HASH] = digest
        annotations[CONFIG_MIRROR] = digest
        key = (meta.get("namespace", ""), meta["name"])
        if key not in self._seen:
            self._seen[key] = annotations.get(CONFIG_SEEN) or _seen_stamp(
                self.clock.now, self.manager.cluster.rng)
        annotations[CONFIG_SEEN] = self._seen[key]
        new_meta = {**meta, "annotations": annotations}
        node = self.api.store.get("Node", "", self.name)
        if node is not None:
            new_meta["ownerReferences"] = [{"apiVersion": "v1", "controller": True, "kind": "Node",
                                            "name": self.name,
                                            "uid": node["metadata"]["uid"]}]
        return self.api.write_metadata(pod, new_meta)

    def _recreate_mirror_pod(self, namespace: str, name: str) -> None:
        """The mirror pod went away but the static pod still runs: post it again."""
        if self.api.store.get("Pod", namespace, name) is not None:
            return
        manifest = self.static_manifests[(namespace, name)]
        try:
            self.api.create(manifest)
        except errors.StatusError:
            pass


def _manifest(pod: dict) -> dict:
    """The static pod manifest behind a mirror pod: what the kubelet read from disk."""
    meta = pod["metadata"]
    annotations = {k: v for k, v in (meta.get("annotations") or {}).items()
                   if k not in (CONFIG_MIRROR, CONFIG_HASH, CONFIG_SEEN)}
    new_meta = {"name": meta["name"], "namespace": meta.get("namespace", "")}
    if meta.get("labels"):
        new_meta["labels"] = dict(meta["labels"])
    if annotations:
        new_meta["annotations"] = annotations
    return {"apiVersion": "v1", "kind": "Pod", "metadata": new_meta, "spec": pod["spec"]}


def _seen_stamp(now: float, rng) -> str:
    """``kubernetes.io/config.seen``: when the kubelet first read the manifest, in ns."""
    stamp = EPOCH + timedelta(seconds=int(now))
    return stamp.strftime("%Y-%m-%dT%H:%M:%S.") + f"{rng.randrange(10 ** 9):09d}Z"
