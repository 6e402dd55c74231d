"""Tests for kubelearn.node.containers: exits, restarts, CrashLoopBackOff, the public API."""

import pytest

from kubelearn import Cluster
from kubelearn.clock import parse_rfc3339
from kubelearn.node.containers import CRASH_BACKOFF_INITIAL, CRASH_BACKOFF_MAX
from kubelearn.node.kubelet import (container_exited, container_logs, kubelet_for,
                                    running_container, serve_http)


def pod(name, image, container="c", policy="Always", **extra):
    return {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": name, "namespace": "default"},
            "spec": {"restartPolicy": policy,
                     "containers": [{"name": container, "image": image, **extra}]}}


def status(c, name):
    return c.api.get("Pod", name, "default")["status"]


def reasons(c, name):
    return [(e["reason"], e["message"]) for e in c.api.list("Event", "default")
            if e["involvedObject"]["name"] == name]


@pytest.fixture
def c():
    return Cluster()


def test_busybox_sh_completes_then_crash_loops(c):
    c.api.create(pod("bb", "busybox:1.36"))
    c.settle()
    cs = status(c, "bb")["containerStatuses"][0]
    assert cs["state"]["waiting"]["reason"] == "CrashLoopBackOff"
    uid = c.api.get("Pod", "bb", "default")["metadata"]["uid"]
    assert cs["state"]["waiting"]["message"] == (
        f"back-off 10s restarting failed container=c pod=bb_default({uid})")
    assert cs["restartCount"] == 1
    last = cs["lastState"]["terminated"]
    assert (last["reason"], last["exitCode"]) == ("Completed", 0)
    assert set(last) == {"containerID", "exitCode", "finishedAt", "reason", "startedAt"}
    assert status(c, "bb")["phase"] == "Running"
    assert ("BackOff", f"Back-off restarting failed container c in pod bb_default({uid})") \
        in reasons(c, "bb")
    assert ("Pulled", 'Container image "busybox:1.36" already present on machine') \
        in reasons(c, "bb")
    assert c.kubectl("get pod bb").stdout.splitlines()[1].split()[2] == "CrashLoopBackOff"


def test_back_off_doubles_and_is_capped(c):
    c.api.create(pod("bb", "busybox:1.36"))
    c.settle()
    starts = []
    for _ in range(90):
        c.advance(10)
        cs = status(c, "bb")["containerStatuses"][0]
        if cs["restartCount"] > len(starts) + 1:
            starts.append(parse_rfc3339(cs["lastState"]["terminated"]["startedAt"]))
    gaps = [b - a for a, b in zip(starts, starts[1:])]
    # 10, 20, 40, 80, 160, 300, 300: each restart waits at least the back-off, at most
    # one resync (10-15 s) later
    for gap, wanted in zip(gaps, [20, 40, 80, 160, 300, 300]):
        assert wanted <= gap <= wanted + 16
    assert CRASH_BACKOFF_INITIAL == 10 and CRASH_BACKOFF_MAX == 300


def test_a_restart_at_the_end_of_the_back_off_is_not_backed_off_again(c):
    c.api.create(pod("bb", "busybox:1.36"))
    c.settle()
    kubelet = kubelet_for(c, c.api.get("Pod", "bb", "default")["spec"]["nodeName"])
    worker = kubelet.workers[("default", "bb")]
    record = worker.containers[0]
    # an exit less than 10 s ago at a time where ``finished + 10`` rounded to the
    # millisecond grid minus ``finished`` is a hair under 10 in floats
    finished = max(t for t in (ms / 1000 for ms in range(int(c.now * 1000) + 1))
                   if round(t + 10, 3) - t < 10)
    assert c.now - 10 < finished
    kubelet._cancel_container_timers(record)
    record.finished_at, record.backoff = finished, (10.0, finished)
    ready = round(finished + 10, 3)
    c.clock.call_at(ready, lambda: kubelet._sync_restart(worker, record))
    backoffs = [e["count"] for e in c.api.list("Event", "default") if e["reason"] == "BackOff"]
    c.advance(ready - c.now + 0.0001)
    assert record.backoff == (20.0, finished)           # restarted, at the end of the back-off
    assert [e["count"] for e in c.api.list("Event", "default")
            if e["reason"] == "BackOff"] == backoffs    # and not told to back off again


def test_restart_policy_never_and_on_failure(c):
    c.api.create(pod("done", "busybox:1.36", policy="Never"))
    c.api.create(pod("fail", "busybox:1.36", policy="Never", command=["sh", "-c", "exit 2"]))
    c.api.create(pod("ok", "busybox:1.36", policy="OnFailure"))
    c.settle()
    assert status(c, "done")["phase"] == "Succeeded"
    assert status(c, "fail")["phase"] == "Failed"
    assert status(c, "fail")["containerStatuses"][0]["state"]["terminated"]["exitCode"] == 2
    assert status(c, "ok")["phase"] == "Succeeded"
    assert c.kubectl("get pod done").stdout.split()[7] == "Completed"


def test_sleep_runs_then_exits(c):
    c.api.create(pod("s", "busybox:1.36", command=["sleep", "30"]))
    c.settle()
    assert "running" in status(c, "s")["containerStatuses"][0]["state"]
    c.advance(29)
    assert "running" in status(c, "s")["containerStatuses"][0]["state"]
    c.advance(4)                      # exits at 30 s, restarted at the next sync
    cs = status(c, "s")["containerStatuses"][0]
    assert cs["restartCount"] == 1 and "running" in cs["state"]


def test_error_route_crashes_and_restarts_with_logs(c):
    c.api.create(pod("h", "kubelearn/hello:1", container="hello"))
    c.settle()
    assert running_container(c, "default", "h", "hello")["restart_count"] == 0
    assert serve_http(c, "default", "h", "hello", "/")["status"] == 200
    assert serve_http(c, "default", "h", "hello", "/error")["crash"] is True
    assert running_container(c, "default", "h", "hello") is None
    cs = status(c, "h")["containerStatuses"][0]
    assert (cs["state"]["terminated"]["reason"], cs["state"]["terminated"]["exitCode"]) == (
        "Error", 1)
    c.settle()
    info = running_container(c, "default", "h", "hello")
    assert info["restart_count"] == 1 and info["listens"] == [8080]
    previous = [text for _, text in container_logs(c, "default", "h", "hello", previous=True)]
    assert previous[-1] == "panic: /error was requested, exiting"
    assert previous[1].endswith("GET / 200 from 10.244.1.1")


def test_container_exited_api(c):
    c.api.create(pod("h", "kubelearn/hello:1", container="hello"))
    c.settle()
    assert container_exited(c, "default", "h", "hello", 0) is True
    assert status(c, "h")["containerStatuses"][0]["state"]["terminated"]["reason"] == "Completed"
    assert container_exited(c, "default", "h", "hello", 1) is False    # not running now
    assert container_exited(c, "default", "nope", "hello", 1) is False


def test_restarts_column_shows_time_since_last_exit(c):
    c.api.create(pod("bb", "busybox:1.36"))
    c.settle()
    c.advance(25)
    row = c.kubectl("get pod bb").stdout.splitlines()[1]
    assert "(" in row and "ago)" in row


def test_always_pull_policy_pulls_again_on_restart(c):
    c.api.create(pod("bb", "busybox", ))          # :latest -> Always
    c.settle()
    pulls = [m for r, m in reasons(c, "bb") if r == "Pulling"]
    assert pulls == ['Pulling image "busybox"'] * 1 and any(
        m.startswith('Successfully pulled image "busybox"') for r, m in reasons(c, "bb"))
    c.advance(15)
    assert [r for r, _ in reasons(c, "bb")].count("Pulling") == 1     # counted again
    ev = [e for e in c.api.list("Event", "default") if e["reason"] == "Pulling"][0]
    assert ev["count"] >= 2


def test_two_runs_print_the_same():
    def scenario():
        c = Cluster()
        c.kubectl("create deployment bb --image=busybox:1.36")
        c.kubectl("create deployment h --image=kubelearn/hello:3")
        c.settle()
        c.advance(200)
        return c.kubectl("get pods").stdout + c.kubectl("get events").stdout
    assert scenario() == scenario()


# --- scripts that use the network -----------------------------------------------------------

def web(c, replicas=2):
    c.kubectl(f"create deployment web --image=nginx:1.27 --replicas={replicas}")
    c.kubectl("expose deployment web --port=80")
    c.settle()


def test_a_looping_client_requests_on_the_clock_and_sees_the_cluster_change(c):
    """Each wget runs at its own instant: once the Service loses its endpoints, the
    next request fails, while the loop goes on."""
    web(c)
    c.api.create(pod("client", "busybox:1.36", command=[
        "sh", "-c", "while true; do wget -q -O /dev/null http://web && echo ok || echo down; "
                    "sleep 10; done"]))
    c.settle()
    c.advance(25)
    assert c.kubectl("logs client").stdout == "ok\nok\nok\n"
    c.kubectl("scale deployment web --replicas=0")
    c.advance(20)
    lines = c.kubectl("logs client").stdout.splitlines()
    refused = "wget: can't connect to remote host ({}): Connection refused".format(
        c.api.get("Service", "web", "default")["spec"]["clusterIP"])
    assert lines[:3] == ["ok"] * 3 and lines[3:] == [refused, "down"] * 2
    assert status(c, "client")["containerStatuses"][0]["state"].get("running")


def test_a_network_script_ends_when_its_request_is_answered(c):
    web(c, 1)
    c.api.create(pod("once", "busybox:1.36", policy="Never", command=[
        "sh", "-c", "sleep 3; wget -qO- http://web.default.svc.cluster.local"]))
    c.settle()
    c.advance(5)
    terminated = status(c, "once")["containerStatuses"][0]["state"]["terminated"]
    assert (terminated["reason"], terminated["exitCode"]) == ("Completed", 0)
    assert "<title>Welcome to nginx!</title>" in c.kubectl("logs once").stdout.splitlines()


def test_a_failed_request_fails_the_container(c):
    c.api.create(pod("lost", "busybox:1.36", policy="Never",
                     command=["wget", "-qO-", "http://nowhere"]))
    c.settle()
    terminated = status(c, "lost")["containerStatuses"][0]["state"]["terminated"]
    assert (terminated["reason"], terminated["exitCode"]) == ("Error", 1)
    assert c.kubectl("logs lost").stdout == "wget: bad address 'nowhere'\n"
