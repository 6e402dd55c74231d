"""The kubelet's image manager, after upstream's ``kubelet/images/image_manager.go``.

``EnsureImageExists`` for one container: honour ``imagePullPolicy``, say
``already present on machine`` or pull through the node's runtime, and when a
pull fails go through ``ErrImagePull`` and ``ImagePullBackOff`` with the image
back-off (10s, doubling to 5 minutes), with upstream's events and messages.
``Kubelet`` mixes this in.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from kubelearn.api.defaults import default_pull_policy
from kubelearn.node.podstatus import ContainerRecord
from kubelearn.node.registry import InvalidReference, parse_reference
from kubelearn.node.runtime import IMAGE_BACKOFF_INITIAL, IMAGE_BACKOFF_MAX, PullResult, go_duration

if TYPE_CHECKING:
    from kubelearn.node.kubelet import PodWorker


def backoff_ready(entry: tuple[float, float] | None) -> float | None:
    """When an image's back-off ``(delay, since)`` ends, on the millisecond grid
    timers are scheduled on; None when the image is not backing off.

    The retry timer fires at exactly this instant and the check compares
    against the same number. Comparing ``now - since < delay`` instead can
    still hold when the timer fires (``round(214.979 + 160, 3) - 214.979`` is
    ``159.99999999999997``), and re-armed the retry at that instant forever.
    """
    if not entry or not entry[0]:
        return None
    delay, since = entry
    return round(since + delay, 3)


class ImageManager:
    """Image steps of a kubelet's pod worker."""

    def _ensure_image(self, worker: PodWorker, pod: dict, record: ContainerRecord,
                      spec: dict) -> None:
        image = record.image
        now = self.clock.now
        try:
            parse_reference(image)
        except InvalidReference as err:
            msg = (f'Failed to apply default image tag "{image}": couldn\'t parse image name '
                   f'"{image}": {err}')
            self._event(pod, record, "Warning", "InspectFailed", msg)
            self._fail(worker, pod, record, "InvalidImageName", msg)
            return
        policy = spec.get("imagePullPolicy") or default_pull_policy(image)
        present = self.runtime.has_image(image, now)
        if policy == "Never" and not present:
            msg = f'Container image "{image}" is not present with pull policy of Never'
            self._event(pod, record, "Warning", "ErrImageNeverPull", msg)
            self._fail(worker, pod, record, "ErrImageNeverPull", msg)
            return
        if present and policy != "Always":
            self._event(pod, record, "Normal", "Pulled",
                        f'Container image "{image}" already present on machine')
            self._create_container(worker, record)
            return
        ready = backoff_ready(worker.backoff.get(image))
        if ready is not None and now < ready:
            msg = f'Back-off pulling image "{image}"'
            self._event(pod, record, "Normal", "BackOff", msg)
            self._fail(worker, pod, record, "ImagePullBackOff", msg, retry_at=ready)
            return
        self._event(pod, record, "Normal", "Pulling", f'Pulling image "{image}"')
        result = self.runtime.pull(image, now)
        self._at(worker, result.finished, lambda w: self._pull_done(w, record, result),
                 f"pull {image}")

    def _pull_done(self, worker: PodWorker, record: ContainerRecord, result: PullResult) -> None:
        pod = self._pod(worker)
        if pod is None:
            return
        image = record.image
        if result.error is not None:
            self._event(pod, record, "Warning", "Failed",
                        f'Failed to pull image "{image}": {result.error}')
            delay, at = worker.backoff.get(image, (0.0, 0.0))
            expired = delay and self.clock.now - at > 2 * IMAGE_BACKOFF_MAX
            delay = IMAGE_BACKOFF_INITIAL if not delay or expired else min(delay * 2,
                                                                            IMAGE_BACKOFF_MAX)
            worker.backoff[image] = (delay, self.clock.now)
            self._fail(worker, pod, record, "ErrImagePull", result.error)
            return
        worker.backoff.pop(image, None)
        self._event(pod, record, "Normal", "Pulled",
                    f'Successfully pulled image "{image}" in {go_duration(result.duration)} '
                    f'({go_duration(result.waited)} including waiting). '
                    f"Image size: {result.image.size} bytes.")
        self._create_container(worker, record)

    def _fail(self, worker: PodWorker, pod: dict, record: ContainerRecord, reason: str,
              message: str, retry_at: float | None = None) -> None:
        """The container cannot start this time: say why and sync again later."""
        self._event(pod, record, "Warning", "Failed", f"Error: {reason}")
        again = (record.state, record.reason, record.message) == ("waiting", reason, message)
        record.state, record.reason, record.message = "waiting", reason, message
        if not (again and self._status_unchanged(worker)):
            self._write_status(worker)
            written = self._pod(worker)
            worker.failure_write = ((written["metadata"]["resourceVersion"], self.node_ip)
                                    if written is not None else ())
        worker.failures += 1
        first = worker.failures == 1
        resync = self.runtime.delay("pod_resync" if first or retry_at is None
                                    else "backoff_resync")
        when = self.clock.now + resync
        if retry_at is not None and not first:
            when = min(when, retry_at)
        # The first retry is foreground, so settle() shows the back-off state;
        # the retries after it go on forever and must not keep settle() waiting.
        self._at(worker, round(when, 3), lambda w: self._retry_container(w, record),
                 f"retry {record.image}", background=not first)

    def _status_unchanged(self, worker: PodWorker) -> bool:
        """Would the status written now be the one stored? Yes when nothing was written
        to the pod since the last failure wrote it, its node kept its IP, and its one
        container is still waiting for the same reason: then building the status again
        (a sync in back-off every 10-18 s, for every such pod) can be skipped."""
        if len(worker.containers) != 1 or not worker.failure_write:
            return False
        pod = self._pod(worker)
        return (pod is not None and
                (pod["metadata"]["resourceVersion"], self.node_ip) == worker.failure_write)

    def _retry_container(self, worker: PodWorker, record: ContainerRecord) -> None:
        if worker.stage == "starting":
            self._next_container(worker)
        else:                       # a restart whose image could not be had
            self._sync_restart(worker, record)
