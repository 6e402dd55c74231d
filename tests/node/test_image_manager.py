"""Tests for kubelearn.node.image_manager: pulls, ErrImagePull and the image back-off.

The events and statuses of a pull as a learner sees them are in test_kubelet.py;
these tests pin the back-off's timing on the simulated clock.
"""

from kubelearn import Cluster
from kubelearn.node.image_manager import backoff_ready
from kubelearn.node.kubelet import kubelet_for

IMAGE = "nginx:doesnotexist"


def bad_pod(name="bad"):
    return {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": name, "namespace": "default"},
            "spec": {"containers": [{"name": "c", "image": IMAGE}]}}


def pulls(c, name="bad"):
    return sum(e["count"] for e in c.api.list("Event", "default")
               if e["involvedObject"]["name"] == name and e["reason"] == "Pulling")


def worker_of(c, name="bad"):
    node = c.api.get("Pod", name, "default")["spec"]["nodeName"]
    kubelet = kubelet_for(c, node)
    return kubelet, kubelet.workers[("default", name)]


def float_short(delay):
    """Pull end times ``since`` (whole ms) where ``round(since + delay, 3) - since < delay``."""
    return [since for since in (ms / 1000 for ms in range(100_000))
            if round(since + delay, 3) - since < delay]


def test_backoff_ready_is_on_the_millisecond_grid():
    assert backoff_ready(None) is None
    assert backoff_ready((0.0, 12.5)) is None
    assert backoff_ready((10.0, 61.234)) == 71.234
    # 214.979 + 160 is 374.97900000000004; the retry timer fires at 374.979, and
    # 374.979 - 214.979 is 159.99999999999997: compared that way it was still backing off.
    assert backoff_ready((160.0, 214.979)) == 374.979
    assert 374.979 - 214.979 < 160


def test_a_retry_at_the_end_of_the_back_off_pulls():
    c = Cluster()
    c.api.create(bad_pod())
    c.settle()
    kubelet, worker = worker_of(c)
    assert worker.failures > 1            # past the first resync: retries go to retry_at
    # a pull that failed less than 10 s ago, at a time where the float sum falls short
    since = max(t for t in float_short(10.0) if t <= c.now)
    assert c.now - 10 < since
    for timer in worker.timers:
        timer.cancel()
    worker.timers = []
    worker.backoff[IMAGE] = (10.0, since)
    kubelet._retry_container(worker, worker.containers[0])   # in back-off: retry at ready
    ready = round(since + 10.0, 3)
    assert [t.when for t in worker.timers] == [ready]
    before = pulls(c)
    c.advance(ready - c.now + 0.0001)     # the retry fires at ``ready`` and pulls, once
    assert pulls(c) == before + 1


def test_a_failing_pull_backs_off_to_five_minutes_without_hanging():
    # With seed 0 the fifth failed pull ends at 214.979 s; its 160 s back-off ended
    # at 374.979 s, where the retry found itself still backing off and re-armed at
    # the same instant forever.
    c = Cluster(seed=0)
    c.api.create(bad_pod())
    c.run_now()
    c.advance(900)
    _, worker = worker_of(c)
    # pulls after 0, 10, 20, 40, 80, 160 and 300 s of back-off (each pull takes ~1 s)
    assert pulls(c) == 7
    delay, since = worker.backoff[IMAGE]
    assert delay == 300.0 and 675 < since < 680


def test_a_sync_in_back_off_puts_back_a_status_someone_else_changed():
    c = Cluster()
    c.api.create(bad_pod())
    c.settle()
    c.advance(100)
    current = c.api.get("Pod", "bad", "default")
    waiting = {"waiting": {"reason": "ImagePullBackOff",
                           "message": f'Back-off pulling image "{IMAGE}"'}}
    assert current["status"]["containerStatuses"][0]["state"] == waiting
    edited = {**current["status"], "containerStatuses": [
        {**current["status"]["containerStatuses"][0], "state": {"waiting": {"reason": "X"}}}]}
    c.api.update_status({**current, "status": edited})
    c.advance(20)                       # one sync in back-off (every 10-18 s)
    assert c.api.get("Pod", "bad", "default")["status"] == current["status"]
