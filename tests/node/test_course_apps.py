"""``kubelearn.node.course_apps``: the chapter 4 APIs, which call each other through
the cluster's DNS, Services and environment variables."""
from __future__ import annotations

import pytest

from kubelearn import Cluster
from kubelearn.node.apps import http_response, node_error
from kubelearn.node.course_apps import auth_app, tasks_app, users_app
from kubelearn.network.http import (ConnectionRefused, ConnectionTimedOut, CouldNotResolveHost,
                                    EmptyReply)

AUTH = """
apiVersion: apps/v1
kind: Deployment
metadata: {name: auth}
spec:
  replicas: 2
  selector: {matchLabels: {app: auth}}
  template:
    metadata: {labels: {app: auth}}
    spec:
      containers: [{name: auth, image: "kubelearn/auth-api:1"}]
---
apiVersion: v1
kind: Service
metadata: {name: auth-service}
spec:
  selector: {app: auth}
  ports: [{port: 80}]
"""

USERS = """
apiVersion: apps/v1
kind: Deployment
metadata: {name: users}
spec:
  selector: {matchLabels: {app: users}}
  template:
    metadata: {labels: {app: users}}
    spec:
      containers:
      - name: users
        image: kubelearn/users-api:1
        env: [{name: AUTH_ADDRESS, value: "%s"}]
"""

TASKS = """
apiVersion: apps/v1
kind: Deployment
metadata: {name: tasks}
spec:
  selector: {matchLabels: {app: tasks}}
  template:
    metadata: {labels: {app: tasks}}
    spec:
      containers: [{name: tasks, image: "kubelearn/tasks-api:1"}]
"""


def _pod_ip(c: Cluster, app: str) -> str:
    pods = [p for p in c.api.store.list("Pod", "default")
            if (p["metadata"].get("labels") or {}).get("app") == app]
    assert len(pods) == 1, pods
    return pods[0]["status"]["podIP"]


def _auth_pods(c: Cluster) -> set[str]:
    return {p["metadata"]["name"] for p in c.api.store.list("Pod", "default")
            if (p["metadata"].get("labels") or {}).get("app") == "auth"}


@pytest.fixture
def cluster() -> Cluster:
    c = Cluster.minikube()
    c.apply(AUTH)
    c.settle()
    return c


# -- the routes as data ------------------------------------------------------------
def test_auth_answers_with_the_pod_that_answered():
    answer = http_response(auth_app("1"), "/token", {"hostname": "auth-1"})
    assert answer["status"] == 200
    assert answer["body"] == '{"token":"abc","issuedBy":"auth-1"}'


def test_a_call_route_keeps_the_upstream_fields_it_names():
    calls = []

    def call(method, url):
        calls.append((method, url))
        return 200, '{"token":"abc","issuedBy":"auth-7","secret":"x"}'

    answer = http_response(users_app("1"), "/login", {"hostname": "users-1"}, method="POST",
                           env=[("AUTH_ADDRESS", "auth-service.default")], call=call)
    assert calls == [("GET", "http://auth-service.default/token")]
    assert answer["status"] == 200
    assert answer["body"] == ('{"message":"User logged in.","pod":"users-1","token":"abc",'
                              '"issuedBy":"auth-7"}')


def test_an_unset_address_reads_undefined_as_javascript_does():
    seen = []

    def call(method, url):
        seen.append(url)
        raise CouldNotResolveHost("Could not resolve host: undefined", "undefined")

    answer = http_response(users_app("1"), "/login", {"hostname": "u"}, call=call)
    assert seen == ["http://undefined/token"]
    assert answer["status"] == 500
    assert answer["body"] == ('{"message":"Logging in failed.",'
                              '"error":"getaddrinfo ENOTFOUND undefined"}')


def test_an_upstream_error_status_fails_the_call():
    answer = http_response(tasks_app("1"), "/tasks", {"hostname": "t"},
                           env=[("AUTH_SERVICE_SERVICE_HOST", "10.96.0.7")],
                           call=lambda method, url: (404, "Cannot GET /verify-token"))
    assert answer["status"] == 500
    assert "Request failed with status code 404" in answer["body"]


@pytest.mark.parametrize("error, words", [
    (CouldNotResolveHost("x", "auth"), "getaddrinfo ENOTFOUND auth"),
    (ConnectionRefused("x", "10.96.0.7", 80), "connect ECONNREFUSED 10.96.0.7:80"),
    (ConnectionTimedOut("x", "10.96.0.7", 80), "connect ETIMEDOUT 10.96.0.7:80"),
    (EmptyReply("x", "10.96.0.7", 80), "socket hang up"),
])
def test_node_words_connection_failures(error, words):
    assert node_error(error) == words


# -- through a cluster ----------------------------------------------------------------
def test_users_reach_auth_by_dns_and_requests_rotate(cluster):
    cluster.apply(USERS % "auth-service.default")
    cluster.settle()
    users = _pod_ip(cluster, "users")
    answers = [cluster.http_get(f"http://{users}:8080/login").json() for _ in range(4)]
    issuers = [a["issuedBy"] for a in answers]
    assert set(issuers) == _auth_pods(cluster)
    assert issuers[0] != issuers[1] and issuers[:2] == issuers[2:]


def test_the_short_name_works_from_the_same_namespace(cluster):
    cluster.apply(USERS % "auth-service")
    cluster.settle()
    answer = cluster.http_get(f"http://{_pod_ip(cluster, 'users')}:8080/login")
    assert answer.status == 200 and answer.json()["issuedBy"] in _auth_pods(cluster)


def test_a_name_that_does_not_resolve_is_enotfound(cluster):
    cluster.apply(USERS % "auth.default")
    cluster.settle()
    answer = cluster.http_get(f"http://{_pod_ip(cluster, 'users')}:8080/login")
    assert (answer.status, answer.json()["error"]) == (500, "getaddrinfo ENOTFOUND auth.default")


def test_a_service_without_endpoints_refuses(cluster):
    cluster.kubectl("scale deployment auth --replicas=0")
    cluster.apply(USERS % "auth-service")
    cluster.settle()
    ip = cluster.get("Service", "auth-service")["spec"]["clusterIP"]
    answer = cluster.http_get(f"http://{_pod_ip(cluster, 'users')}:8080/login")
    assert answer.json()["error"] == f"connect ECONNREFUSED {ip}:80"


def test_tasks_find_auth_through_the_variable_only_after_a_restart():
    c = Cluster.minikube()
    c.apply(TASKS)
    c.settle()
    c.apply(AUTH)
    c.settle()
    before = c.http_get(f"http://{_pod_ip(c, 'tasks')}:8000/tasks")
    assert (before.status, before.json()["error"]) == (500, "getaddrinfo ENOTFOUND undefined")
    c.kubectl("rollout restart deployment tasks")
    c.settle()
    after = c.http_get(f"http://{_pod_ip(c, 'tasks')}:8000/tasks")
    assert after.status == 200 and after.json()["verifiedBy"] in _auth_pods(c)


def test_the_called_app_logs_the_request(cluster):
    cluster.apply(USERS % "auth-service")
    cluster.settle()
    cluster.http_get(f"http://{_pod_ip(cluster, 'users')}:8080/login")
    logs = "".join(cluster.kubectl(f"logs {name}").stdout for name in sorted(_auth_pods(cluster)))
    assert logs.count("GET /token 200") == 1
