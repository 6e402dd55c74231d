"""The kubelet's volume manager: a pod's volumes are set up before its sandbox.

Upstream's ``syncPod`` calls ``volumeManager.WaitForAttachAndMount`` before
the runtime creates the pod sandbox, so a pod whose volume cannot be set up
stays ``ContainerCreating`` with no IP, and each failed attempt leaves a
``Warning FailedMount`` event (``MountVolume.SetUp failed for volume "cfg" :
configmap "cfg" not found``). The reconciler retries a failed operation with
exponential back-off (``nestedpendingoperations``: 500 ms doubling to
2m2s); once every volume is set up, the pod goes on to its sandbox.

An attachable volume (an EBS disk) waits for the attach/detach controller to
list it in the node's ``status.volumesAttached`` (``VerifyControllerAttachedVolume``,
retried with the same back-off). That wait records no event: the pod stays
ContainerCreating and the controller's ``FailedAttachVolume`` Multi-Attach
event says why. When the node's attachments change, the waiting pods of that
node retry as foreground work, so a pod starts once the disk is detached from
the other node and attached to its own.

Storage itself lives in ``cluster.storage`` (``kubelearn.node.volumes``).
Creating or changing what a waiting pod needs (a ConfigMap, Secret, claim or
volume) makes its pending retry foreground work, so ``settle()`` waits for
the pod to start; the retry still comes when the back-off says.
``Kubelet`` mixes this in.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from kubelearn.node.volumes import storage_of

if TYPE_CHECKING:
    from kubelearn.node.kubelet import PodWorker

MOUNT_BACKOFF_INITIAL = 0.5      # initialDurationBeforeRetry
MOUNT_BACKOFF_MAX = 122.0        # maxDurationBeforeRetry (2m2s)
MOUNT_SOURCES = ("ConfigMap", "Secret", "PersistentVolumeClaim", "PersistentVolume")


class MountWait:
    """A pod waiting for its volumes: the back-off and the pending retry."""

    def __init__(self) -> None:
        self.delay = 0.0
        self.timer = None
        self.when = 0.0


class VolumeManager:
    """Volume steps of a kubelet's pod worker."""

    @property
    def mount_waits(self) -> dict[str, MountWait]:
        waits = self.__dict__.get("_mount_waits")
        if waits is None:
            waits = self.__dict__["_mount_waits"] = {}
        return waits

    def _mount_volumes(self, worker: PodWorker, pod: dict) -> bool:
        """WaitForAttachAndMount: True when every volume of the pod is set up; else
        record why and retry after the back-off."""
        if not pod["spec"].get("volumes"):
            return True
        storage = storage_of(self.manager.cluster)
        if storage.defer_pod(self.api, pod, self.name):   # none can fail (so none waits)
            return True
        result = storage.mount_pod(self.api, pod, self.name)
        if result.ready:
            self.mount_waits.pop(worker.uid, None)
            return True
        for message in result.failures:
            self.events.record(pod, "Warning", "FailedMount", message, "kubelet",
                               host=self.name)
        wait = self.mount_waits.setdefault(worker.uid, MountWait())
        first = not wait.delay
        wait.delay = MOUNT_BACKOFF_INITIAL if first else min(wait.delay * 2, MOUNT_BACKOFF_MAX)
        wait.when = round(self.clock.now + wait.delay, 3)
        # The first retry is foreground (settle() shows the FailedMount state); the rest
        # are background until something the pod needs changes (mount_source_changed).
        wait.timer = self._at(worker, wait.when, self._retry_mount, "mount volumes",
                              background=not first)
        return False

    def _retry_mount(self, worker: PodWorker) -> None:
        pod = self._pod(worker)
        if pod is None or worker.stage != "starting" or worker.sandbox_ready:
            return
        if self._mount_volumes(worker, pod):
            self._after(worker, self.runtime.delay("sandbox"), self._sandbox_ready,
                        "create sandbox")

    def _mount_source_changed(self, worker: PodWorker) -> None:
        """Something a waiting pod's volumes need was created or changed: its next
        retry becomes foreground work (it still comes at the back-off's time)."""
        wait = self.mount_waits.get(worker.uid)
        if wait is None or wait.timer is None or not wait.timer.pending:
            return
        wait.timer.cancel()
        wait.timer = self._at(worker, max(wait.when, self.clock.now), self._retry_mount,
                              "mount volumes")

    def _forget_mounts(self, worker: PodWorker) -> None:
        """The pod left this node: its emptyDirs go, nothing waits any more."""
        self.mount_waits.pop(worker.uid, None)
        storage_of(self.manager.cluster).release_pod(worker.uid)


def wake_attach_waiters(kubelet, event) -> None:
    """A node's ``status.volumesAttached`` changed: its pods waiting for their volumes
    retry as foreground work."""
    old = ((event.old or {}).get("status") or {}).get("volumesAttached")
    new = (event.obj.get("status") or {}).get("volumesAttached")
    waits = kubelet.__dict__.get("_mount_waits")
    if old == new or not waits:
        return
    for worker in list(kubelet.workers.values()):
        if worker.uid in waits:
            kubelet._mount_source_changed(worker)


def wake_mount_waiters(kubelets: dict, event) -> None:
    """A ConfigMap, Secret, claim or volume changed: the pods of its namespace (all
    pods, for a PersistentVolume) that wait for their volumes retry as foreground work."""
    namespace = event.obj["metadata"].get("namespace", "")
    for kubelet in kubelets.values():
        waits = kubelet.__dict__.get("_mount_waits")
        if not waits:
            continue
        for worker in list(kubelet.workers.values()):
            if worker.uid in waits and (not namespace or worker.namespace == namespace):
                kubelet._mount_source_changed(worker)
