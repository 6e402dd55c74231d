"""Section 4 of the course notes (networking), run as a learner would on
``Cluster.minikube()``: the notes' ``auth-service`` reached from a pod of another
Deployment, by DNS (``auth-service.default``) and by the environment variable
``AUTH_SERVICE_SERVICE_HOST``, and the ways it goes wrong.

The claims checked here are the acceptance points of the chapter:

* ``curl http://auth-service.default`` from a pod of another Deployment is
  answered by an auth pod, and successive requests rotate over the ready ones;
  a pod that is not ready gets no traffic.
* A pod created before the Service has no ``AUTH_SERVICE_SERVICE_HOST``; after
  ``kubectl rollout restart`` it has it (the notes leave this out).
* A Service whose selector matches nothing has ``<none>`` endpoints, and curl
  to it fails with curl's connection error.
"""
from __future__ import annotations

import json

import pytest

from kubelearn import Cluster
from kubelearn.network.http import ConnectionRefused

AUTH = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: auth
spec:
  replicas: 3
  selector:
    matchLabels:
      app: auth
  template:
    metadata:
      labels:
        app: auth
    spec:
      containers:
        - name: auth
          image: kubelearn/auth-api:1
          readinessProbe:          # ready until someone creates /tmp/down
            exec:
              command: ["test", "!", "-e", "/tmp/down"]
            periodSeconds: 2
            failureThreshold: 1
"""

AUTH_SERVICE = """\
apiVersion: v1
kind: Service
metadata:
  name: auth-service
spec:
  type: ClusterIP
  selector:
    app: {app}
  ports:
    - protocol: TCP
      port: 80
      targetPort: 80
"""


def kubectl(c: Cluster, line: str, stdin: str | None = None) -> str:
    result = c.kubectl(line, stdin=stdin) if stdin is not None else c.kubectl(line)
    assert result.exit_code == 0, result.stderr
    return result.stdout


def pod_names(c: Cluster, selector: str) -> list[str]:
    return kubectl(c, f"get pods -l {selector} -o name").replace("pod/", "").split()


def exec_in(c: Cluster, pod: str, command: str):
    return c.kubectl(f"exec {pod} -- {command}")


@pytest.fixture
def c() -> Cluster:
    c = Cluster.minikube()
    kubectl(c, "apply -f -", AUTH)
    kubectl(c, "create deployment tasks --image=kubelearn/tasks-api:1")
    c.settle()
    c.advance(2)                       # the first readiness probes
    return c


def test_a_pod_created_before_the_service_has_no_service_host_until_a_restart(c):
    [tasks] = pod_names(c, "app=tasks")
    kubectl(c, "apply -f -", AUTH_SERVICE.format(app="auth"))
    c.settle()
    assert exec_in(c, tasks, "printenv AUTH_SERVICE_SERVICE_HOST").exit_code == 1
    # tasks-api asks http://$AUTH_SERVICE_SERVICE_HOST/verify-token: unset, Node says undefined
    answer = c.http_get("http://localhost:8000/tasks", from_pod=tasks)
    assert answer.status == 500
    assert "getaddrinfo ENOTFOUND undefined" in answer.text

    kubectl(c, "rollout restart deployment tasks")
    c.settle()
    [restarted] = pod_names(c, "app=tasks")
    assert restarted != tasks
    ip = c.api.get("Service", "auth-service", "default")["spec"]["clusterIP"]
    assert exec_in(c, restarted, "printenv AUTH_SERVICE_SERVICE_HOST").stdout == ip + "\n"
    assert exec_in(c, restarted, "printenv AUTH_SERVICE_SERVICE_PORT").stdout == "80\n"
    answer = c.http_get("http://localhost:8000/tasks", from_pod=restarted)
    assert answer.status == 200, answer.text


def test_curl_by_dns_name_rotates_over_the_ready_auth_pods(c):
    kubectl(c, "apply -f -", AUTH_SERVICE.format(app="auth"))
    c.settle()
    [tasks] = pod_names(c, "app=tasks")
    auth_pods = sorted(pod_names(c, "app=auth"))
    assert len(auth_pods) == 3

    answered = []
    for _ in range(6):
        result = exec_in(c, tasks, "curl -s http://auth-service.default/token")
        assert result.exit_code == 0, result.stderr
        answered.append(json.loads(result.stdout)["issuedBy"])
    assert sorted(set(answered)) == auth_pods
    assert answered[:3] == answered[3:]            # round robin: the same turn each round

    # one auth pod stops being ready: the readiness probe fails, its endpoint goes
    unready = answered[0]
    assert exec_in(c, unready, "touch /tmp/down").exit_code == 0
    c.advance(5)
    endpoints = c.api.get("Endpoints", "auth-service", "default")["subsets"][0]
    assert [a["targetRef"]["name"] for a in endpoints["notReadyAddresses"]] == [unready]
    later = {json.loads(exec_in(c, tasks, "curl -s http://auth-service.default/token")
                        .stdout)["issuedBy"] for _ in range(8)}
    assert later == set(auth_pods) - {unready}
    # the same requests by the Service's full name and from the learner's side
    assert c.http_get("http://auth-service.default.svc.cluster.local/token",
                      from_pod=tasks).pod.split("/")[1] in later


def test_a_service_whose_selector_matches_nothing_has_no_endpoints_and_curl_fails(c):
    kubectl(c, "apply -f -", AUTH_SERVICE.format(app="auht"))
    c.settle()
    row = kubectl(c, "get endpoints auth-service").splitlines()[1].split()
    assert row[:2] == ["auth-service", "<none>"]
    described = dict(line.split(":", 1) for line in
                     kubectl(c, "describe service auth-service").splitlines())
    # kubectl 1.32 describes the Service's EndpointSlices: the controller's placeholder
    # slice (no endpoints) prints as nothing, not "<none>"
    assert described["Endpoints"].strip() == ""

    [tasks] = pod_names(c, "app=tasks")
    ip = c.api.get("Service", "auth-service", "default")["spec"]["clusterIP"]
    result = exec_in(c, tasks, "curl -sS http://auth-service.default/token")
    assert result.exit_code == 7
    # curl 7.88.1 (Debian, in the course images); kubectl adds the exit code line
    assert result.stderr == ("curl: (7) Failed to connect to auth-service.default port 80 "
                             "after 0 ms: Couldn't connect to server\n"
                             "command terminated with exit code 7\n")
    with pytest.raises(ConnectionRefused):
        c.http_get(f"http://{ip}/token", from_pod=tasks)

    # the fix: the selector the pods carry
    kubectl(c, "apply -f -", AUTH_SERVICE.format(app="auth"))
    c.settle()
    assert exec_in(c, tasks, "curl -s http://auth-service.default/token").exit_code == 0
