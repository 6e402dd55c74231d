"""Tests for kubelearn.node.probes: liveness, readiness, startup against simulated apps."""

import pytest

from kubelearn import Cluster
from kubelearn.node.probes import resolve_port


def pod(name, image="kubelearn/hello:1", container="hello", **extra):
    return {"apiVersion": "v1", "kind": "Pod",
            "metadata": {"name": name, "namespace": "default", "labels": {"app": name}},
            "spec": {"containers": [{"name": container, "image": image,
                                     "ports": [{"containerPort": 8080, "name": "http"}],
                                     **extra}]}}


def cstatus(c, name):
    return c.api.get("Pod", name, "default")["status"]["containerStatuses"][0]


def messages(c, name, reason):
    return [(e["message"], e["count"]) for e in c.api.list("Event", "default")
            if e["involvedObject"]["name"] == name and e["reason"] == reason]


@pytest.fixture
def c():
    return Cluster()


def test_failing_liveness_probe_kills_and_restarts(c):
    c.api.create(pod("h", livenessProbe={"httpGet": {"path": "/nope", "port": "http"},
                                         "initialDelaySeconds": 5}))
    c.settle()
    assert cstatus(c, "h")["restartCount"] == 0
    c.advance(28)       # failures at ~5, 15, 25 s: killed at the third
    assert messages(c, "h", "Unhealthy") == [
        ("Liveness probe failed: HTTP probe failed with statuscode: 404", 3)]
    assert messages(c, "h", "Killing") == [
        ("Container hello failed liveness probe, will be restarted", 1)]
    c.advance(2)
    assert cstatus(c, "h")["restartCount"] == 1
    assert cstatus(c, "h")["lastState"]["terminated"]["reason"] == "Completed"


def test_passing_liveness_probe_never_restarts(c):
    c.api.create(pod("h", livenessProbe={"httpGet": {"path": "/healthz", "port": 8080}}))
    c.settle()
    c.advance(300)
    assert cstatus(c, "h")["restartCount"] == 0
    assert messages(c, "h", "Unhealthy") == []


def test_the_notes_liveness_probe_works_on_placeholder_images(c):
    c.api.create(pod("n", image="repo/my-docker-image", container="app",
                     livenessProbe={"httpGet": {"path": "/", "port": 8080},
                                    "initialDelaySeconds": 5, "periodSeconds": 10}))
    c.settle()
    c.advance(120)
    assert cstatus(c, "n")["restartCount"] == 0 and cstatus(c, "n")["ready"] is True


def test_readiness_gates_ready_condition(c):
    c.api.create(pod("r", readinessProbe={"httpGet": {"path": "/nope", "port": 8080}}))
    c.api.create(pod("g", readinessProbe={"httpGet": {"path": "/healthz", "port": 8080}}))
    c.settle()
    assert cstatus(c, "g")["ready"] is True
    assert cstatus(c, "r")["ready"] is False
    cond = {x["type"]: x for x in c.api.get("Pod", "r", "default")["status"]["conditions"]}
    assert cond["Ready"]["status"] == "False"
    assert cond["ContainersReady"]["message"] == "containers with unready status: [hello]"
    c.advance(60)
    assert cstatus(c, "r")["restartCount"] == 0           # readiness never restarts
    assert messages(c, "r", "Unhealthy")[0][0] == (
        "Readiness probe failed: HTTP probe failed with statuscode: 404")
    assert c.kubectl("get pod r").stdout.splitlines()[1].split()[1:3] == ["0/1", "Running"]


def test_tcp_probe_on_a_port_nothing_listens_on(c):
    c.api.create(pod("t", readinessProbe={"tcpSocket": {"port": 9090}}))
    c.settle()
    ip = c.api.get("Pod", "t", "default")["status"]["podIP"]
    assert messages(c, "t", "Unhealthy") == [
        (f"Readiness probe failed: dial tcp {ip}:9090: connect: connection refused", 1)]


def test_http_probe_on_a_closed_port_is_refused(c):
    c.api.create(pod("t", readinessProbe={"httpGet": {"path": "/", "port": 81}}))
    c.settle()
    ip = c.api.get("Pod", "t", "default")["status"]["podIP"]
    assert messages(c, "t", "Unhealthy")[0][0] == (
        f'Readiness probe failed: Get "http://{ip}:81/": dial tcp {ip}:81: connect: '
        "connection refused")


def test_exec_probe_against_the_container_files(c):
    script = "touch /tmp/healthy; sleep 30; rm -f /tmp/healthy; sleep 600"
    c.api.create(pod("e", image="busybox:1.36", container="liveness",
                     args=["/bin/sh", "-c", script],
                     livenessProbe={"exec": {"command": ["cat", "/tmp/healthy"]},
                                    "initialDelaySeconds": 5, "periodSeconds": 5}))
    c.settle()
    c.advance(25)
    assert messages(c, "e", "Unhealthy") == []
    c.advance(20)
    assert messages(c, "e", "Unhealthy")[0][0] == (
        "Liveness probe failed: cat: can't open '/tmp/healthy': No such file or directory")
    c.advance(40)     # busybox ignores SIGTERM: killed after the 30 s grace period
    assert cstatus(c, "e")["restartCount"] == 1
    last = cstatus(c, "e")["lastState"]["terminated"]
    assert (last["reason"], last["exitCode"]) == ("Error", 137)


def test_startup_probe_holds_liveness_and_started(c):
    c.api.create(pod("s", startupProbe={"httpGet": {"path": "/healthz", "port": 8080}},
                     livenessProbe={"httpGet": {"path": "/healthz", "port": 8080}}))
    c.api.create(pod("f", startupProbe={"httpGet": {"path": "/nope", "port": 8080},
                                        "failureThreshold": 2}))
    c.settle()
    assert cstatus(c, "s")["started"] is True and cstatus(c, "s")["ready"] is True
    assert cstatus(c, "f")["started"] is False and cstatus(c, "f")["ready"] is False
    c.advance(15)
    assert messages(c, "f", "Killing") == [
        ("Container hello failed startup probe, will be restarted", 1)]
    assert messages(c, "f", "Unhealthy")[0][0] == (
        "Startup probe failed: HTTP probe failed with statuscode: 404")


def test_resolve_port():
    spec = {"ports": [{"containerPort": 8080, "name": "http"}]}
    assert resolve_port("http", spec) == 8080
    assert resolve_port(80, spec) == 80
    assert resolve_port("nope", spec) is None


def test_probes_are_background_work(c):
    start = c.now
    c.api.create(pod("h", livenessProbe={"httpGet": {"path": "/healthz", "port": 8080}}))
    c.settle()
    assert c.now - start < 10
    assert not c.clock.describe_pending()
