"""Tests for kubelearn.kubectl.cmd_logs: kubectl logs as kubectl 1.32 prints it."""

import pytest

from kubelearn import Cluster
from kubelearn.node.kubelet import serve_http

USAGE = ("error: expected 'logs [-f] [-p] (POD | TYPE/NAME) [-c CONTAINER]'.\n"
         "POD or TYPE/NAME is a required argument for the logs command\n"
         "See 'kubectl logs -h' for help and examples\n")


def pod(name, containers, **spec):
    return {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": name, "namespace": "default"},
            "spec": {"containers": containers, **spec}}


@pytest.fixture
def c():
    return Cluster()


def test_usage_errors_match_kubectl(c):
    r = c.kubectl("logs")
    assert (r.stdout, r.stderr, r.exit_code) == ("", USAGE, 1)
    assert c.kubectl("logs a b c").stderr == USAGE
    assert c.kubectl("logs -l app=x p").stderr == (
        "error: only a selector (-l) or a POD name is allowed\n"
        "See 'kubectl logs -h' for help and examples\n")
    assert c.kubectl("logs --tail=x p").stderr == (
        'Error: invalid argument "x" for "--tail" flag: strconv.ParseInt: parsing "x": '
        "invalid syntax\nSee 'kubectl logs --help' for usage.\n")


def test_not_found(c):
    r = c.kubectl("logs nope")
    assert (r.stderr, r.exit_code) == ('Error from server (NotFound): pods "nope" not found\n', 1)


def test_hello_logs_start_up_and_requests(c):
    c.api.create(pod("h", [{"name": "hello", "image": "kubelearn/hello:2"}]))
    c.settle()
    serve_http(c, "default", "h", "hello", "/", client="10.244.0.7")
    r = c.kubectl("logs h")
    lines = r.stdout.splitlines()
    assert lines[0].endswith(" hello v2 listening on :8080 as h")
    assert lines[1].endswith(" GET / 200 from 10.244.0.7")
    assert r.exit_code == 0 and r.stderr == ""
    assert c.kubectl("logs h --tail 1").stdout.splitlines() == lines[-1:]
    assert c.kubectl("logs h --tail=0").stdout == ""
    stamped = c.kubectl("logs h --timestamps").stdout.splitlines()[0]
    assert stamped.startswith("2025-06-02T09:") and stamped.split(" ", 1)[0].endswith("Z")
    assert len(stamped.split(" ", 1)[0]) == len("2025-06-02T09:00:00.000000000Z")


def test_previous_after_a_crash(c):
    c.api.create(pod("h", [{"name": "hello", "image": "kubelearn/hello:2"}]))
    c.settle()
    r = c.kubectl("logs h -p")
    assert r.stderr == ('Error from server (BadRequest): previous terminated container "hello" '
                        'in pod "h" not found\n')
    serve_http(c, "default", "h", "hello", "/error")
    c.settle()
    previous = c.kubectl("logs h --previous").stdout.splitlines()
    assert previous[-1] == "panic: /error was requested, exiting"
    current = c.kubectl("logs h").stdout.splitlines()
    assert len(current) == 1 and "listening" in current[0]


def test_waiting_containers(c):
    c.api.create(pod("w", [{"name": "web", "image": "nginx:1.25"}]))
    c.run_now()
    c.advance(1)
    assert c.kubectl("logs w").stderr == ('Error from server (BadRequest): container "web" in pod '
                                          '"w" is waiting to start: ContainerCreating\n')
    c.api.create(pod("bad", [{"name": "web", "image": "nginx:nope"}]))
    c.settle()
    assert c.kubectl("logs bad").stderr == (
        'Error from server (BadRequest): container "web" in pod "bad" is waiting to start: '
        "trying and failing to pull image\n")


def test_several_containers_default_to_the_first(c):
    c.api.create(pod("two", [{"name": "nginx", "image": "nginx:1.25"},
                             {"name": "sidecar", "image": "busybox:1.36",
                              "command": ["sh", "-c", "echo side; sleep 3600"]}]))
    c.settle()
    r = c.kubectl("logs two")
    assert r.stderr == 'Defaulted container "nginx" out of: nginx, sidecar\n'
    assert r.stdout.startswith("/docker-entrypoint.sh: /docker-entrypoint.d/ is not empty")
    assert c.kubectl("logs two -c sidecar").stdout == "side\n"
    assert c.kubectl("logs two sidecar").stdout == "side\n"
    r = c.kubectl("logs two -c nope")
    assert (r.stderr, r.exit_code) == ("error: container nope is not valid for pod two\n", 1)


def test_deployment_picks_one_pod(c):
    c.kubectl("create deployment web --image=kubelearn/hello:1 --replicas=3")
    c.settle()
    r = c.kubectl("logs deploy/web")
    names = sorted(p["metadata"]["name"] for p in c.api.list("Pod", "default"))
    assert r.stderr.startswith("Found 3 pods, using pod/web-")
    chosen = r.stderr.strip().rsplit("/", 1)[1]
    assert chosen in names and r.stdout.strip().endswith(f"as {chosen}")
    assert c.kubectl("logs deployment/nope").stderr == (
        'Error from server (NotFound): deployments.apps "nope" not found\n')


def test_crash_looping_busybox_logs_its_script(c):
    c.api.create(pod("bb", [{"name": "bb", "image": "busybox:1.36",
                             "command": ["sh", "-c", "echo starting; exit 1"]}]))
    c.settle()
    assert c.kubectl("get pod bb").stdout.split()[7] == "CrashLoopBackOff"
    assert c.kubectl("logs bb").stdout == "starting\n"
    assert c.kubectl("logs bb -p").stdout == "starting\n"


def test_follow_is_refused_clearly(c):
    c.api.create(pod("h", [{"name": "hello", "image": "kubelearn/hello:2"}]))
    c.settle()
    r = c.kubectl("logs -f h")
    assert r.exit_code == 1 and "cannot follow logs" in r.stderr and r.stdout == ""
