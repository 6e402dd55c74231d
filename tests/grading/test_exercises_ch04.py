"""Chapter 4's exercises on ``Cluster.minikube()``, as the chapter's notebook runs them.

An untouched notebook scores 0, the reference solutions score full marks (with
``minikube tunnel`` running, which no kubectl step can start), and plausible wrong
attempts never do: each names the checks it must fail, and the hint that matters
is checked by its words (a bare name that does not resolve from another namespace,
a Service created after the pods started, a selector "fixed" by relabelling the
pods, a NodePort instead of a LoadBalancer, no tunnel, a Service name where
``localhost`` reaches the container next door). Other right ways count too:
the FQDN instead of ``auth.identity``, ``127.0.0.1:80`` instead of ``localhost``, pods
deleted instead of ``rollout restart``, a Service made again with ``kubectl expose``.
"""
from __future__ import annotations

import pytest

from kubelearn import Cluster
from kubelearn import grading
from kubelearn.grading import grade, prepare, solve
from kubelearn.grading.exercises.ch04 import (AUTH, AUTH_SERVICE, IDENTITY_NAMESPACE,
                                              SHOP_DEPLOYMENT, TASKS, hello, shop_service,
                                              users, users_auth)
from kubelearn.grading.registry import exercises

IDS = [ex.id for ex in exercises("4")]


def scene() -> Cluster:
    """The notebook's first cell: every exercise prepared."""
    c = Cluster.minikube()
    for exercise_id in IDS:
        prepare(exercise_id, c)
    return c


def run(c: Cluster, steps) -> None:
    """kubectl lines, ``(line, stdin)`` pairs, functions of the cluster, or seconds."""
    for step in steps:
        if isinstance(step, (int, float)):
            c.advance(step)
            continue
        if callable(step):
            step(c)
            continue
        line, stdin = step if isinstance(step, tuple) else (step, None)
        result = c.kubectl(line, stdin=stdin)
        assert result.exit_code == 0, (line, result)


def results(c: Cluster, exercise_id: str):
    [result] = grade([exercise_id], c, settle=True)
    return result


def failed(c: Cluster, exercise_id: str) -> set[str]:
    return {item.name for item in results(c, exercise_id).items if not item.passed}


def message(c: Cluster, exercise_id: str, check: str) -> str:
    return next(i.message for i in results(c, exercise_id).items if i.name == check)


def apply(manifest: str) -> tuple[str, str]:
    return ("apply -f -", manifest)


def tunnel(c: Cluster) -> None:
    assert c.minikube("tunnel").exit_code == 0


def cluster_ip(c: Cluster, service: str, namespace: str = "default") -> str:
    return c.api.get("Service", service, namespace)["spec"]["clusterIP"]


def test_chapter_4_has_five_exercises_with_hints_and_solutions():
    assert IDS == ["4.1", "4.2", "4.3", "4.4", "4.5"]
    for ex in exercises("4"):
        assert len(ex.hints) == 3 and ex.solution and ex.max_points > 0


def test_untouched_notebook_scores_zero_on_every_exercise():
    c = scene()
    tunnel(c)
    for result in grade(IDS, c, settle=True):
        assert result.score == 0, repr(result)


def test_reference_solutions_together_score_full_marks_with_a_tunnel():
    c = scene()
    for exercise_id in IDS:
        assert solve(exercise_id, c).ok
    assert failed(c, "4.4") == {"external-ip", "round-robin"}   # kubectl cannot start the tunnel
    tunnel(c)
    c.advance(300)
    for result in grade(IDS, c, settle=True):
        assert result.score == result.max_score, repr(result)
    grading.reset()


def test_checks_say_what_the_requests_found():
    c = scene()
    run(c, [apply(IDENTITY_NAMESPACE), apply(AUTH), apply(users("auth.identity")),
            "rollout status deployment/auth -n identity", "rollout status deployment/users"])
    assert message(c, "4.1", "address") == (
        f'AUTH_ADDRESS is "auth.identity", which reaches Service auth in namespace "identity" '
        f'({cluster_ip(c, "auth", "identity")}).')
    assert message(c, "4.1", "login").startswith("GET /login answered HTTP 200: users-")


AUTH_IN_DEFAULT = AUTH.replace("  namespace: identity\n", "")
LOGGED_IN = ["rollout status deployment/auth -n identity", "rollout status deployment/users"]


def set_auth_address_to_cluster_ip(c: Cluster) -> None:
    run(c, [apply(users(cluster_ip(c, "auth", "identity"))), "rollout status deployment/users"])


def restart_tasks(c: Cluster) -> None:
    run(c, ["rollout restart deployment tasks", "rollout status deployment tasks"])


def hard_code_service_host(c: Cluster) -> None:
    ip = cluster_ip(c, "auth-service")
    manifest = TASKS.split("---\n")[0].replace(
        "        - containerPort: 8000\n",
        f"        - containerPort: 8000\n        env:\n        - name: AUTH_SERVICE_SERVICE_HOST\n"
        f"          value: \"{ip}\"\n")
    run(c, [apply(manifest), "rollout status deployment tasks"])


HELLO_NODE_PORT = hello("NodePort")

# name: (exercise, steps, checks that must fail, words the first failing check must say)
WRONG_ATTEMPTS = {
    "4.1 a bare name does not resolve from default": ("4.1", [
        apply(IDENTITY_NAMESPACE), apply(AUTH), apply(users("auth")), *LOGGED_IN],
        {"address", "login", "spread"},
        ("address", "is looked up as auth.default.svc.cluster.local and does not resolve")),
    "4.1 the wrong namespace in the name": ("4.1", [
        apply(IDENTITY_NAMESPACE), apply(AUTH), apply(users("auth.default")), *LOGGED_IN],
        {"address", "login", "spread"}, ("login", "getaddrinfo ENOTFOUND auth.default")),
    "4.1 everything in default": ("4.1", [
        apply(AUTH_IN_DEFAULT), apply(users("auth")), "rollout status deployment/auth",
        "rollout status deployment/users"],
        {"auth", "service", "address", "login", "spread"},
        ("login", 'the task asks for a token from Deployment "auth" in namespace "identity"')),
    "4.1 the name of 4.2's auth-service": ("4.1", [
        apply(AUTH_SERVICE), apply(IDENTITY_NAMESPACE), apply(AUTH),
        apply(users("auth-service")), *LOGGED_IN],
        {"address", "login", "spread"},
        ("address", 'reaches Service auth-service in namespace "default"')),
    "4.1 the cluster IP typed in": ("4.1", [
        apply(IDENTITY_NAMESPACE), apply(AUTH), *LOGGED_IN[:1], set_auth_address_to_cluster_ip],
        {"address"}, ("address", "the task asks for its DNS name")),
    "4.1 one auth replica": ("4.1", [
        apply(IDENTITY_NAMESPACE), apply(AUTH.replace("replicas: 2", "replicas: 1")),
        apply(users("auth.identity")), *LOGGED_IN],
        {"auth", "service", "spread"}, ("auth", "the task asks for 2 replicas")),
    "4.2 Service created, tasks not restarted": ("4.2", [apply(AUTH_SERVICE), 60],
                                                 {"env", "answers", "rolled-out"},
                                                 ("env", 'started before Service "auth-service" '
                                                         "existed")),
    "4.2 the variable written into the Deployment": ("4.2", [
        apply(AUTH_SERVICE), hard_code_service_host], {"env", "rolled-out"},
        ("env", "sets AUTH_SERVICE_SERVICE_HOST itself")),
    "4.2 a Service called auth": ("4.2", [
        apply(AUTH_SERVICE.replace("name: auth-service\n", "name: auth\n")), restart_tasks],
        {"service", "env", "answers", "rolled-out"},
        ("env", 'Service "auth-service" was not found')),
    "4.2 the Service on port 8080": ("4.2", [
        apply(AUTH_SERVICE.replace("- port: 80", "- port: 8080")), restart_tasks],
        {"service", "answers"}, ("answers", "connect ETIMEDOUT")),
    "4.2 the Service made again after the restart": ("4.2", [
        apply(AUTH_SERVICE), restart_tasks, "delete service auth-service", apply(AUTH_SERVICE)],
        {"env", "answers", "rolled-out"}, ("env", "(it was made again)")),
    "4.3 the pods relabelled to match the Service": ("4.3", [
        "label pods -l app=shop app=shop-web --overwrite", 30], {"endpoints", "selector"},
        ("selector", "were relabelled to match it")),
    "4.3 the Deployment made again with the Service's labels": ("4.3", [
        "delete deployment shop",
        apply(SHOP_DEPLOYMENT.replace("app: shop\n", "app: shop-web\n")),
        "rollout status deployment/shop"], {"selector"},
        ("selector", 'The pod template of Deployment "shop" was relabelled')),
    "4.3 the right selector, the wrong target port": ("4.3", [
        apply(shop_service("app: shop").replace("targetPort: 8080", "targetPort: 80"))],
        {"answers", "kept"}, ("answers", "Connection refused")),
    "4.3 the selector emptied": ("4.3", [
        "delete service shop",
        apply(shop_service("app: shop").replace("  selector:\n    app: shop\n", ""))],
        {"endpoints", "selector", "answers", "kept"}, ("selector", "has no selector")),
    "4.4 a NodePort instead of a LoadBalancer": ("4.4", [
        apply(HELLO_NODE_PORT), "rollout status deployment/hello", tunnel],
        {"type", "external-ip", "round-robin"}, ("external-ip", "never gets an EXTERNAL-IP")),
    "4.4 no tunnel": ("4.4", [apply(hello()), "rollout status deployment/hello"],
                      {"external-ip", "round-robin"}, ("external-ip", "%minikube tunnel")),
    "4.4 the wrong target port": ("4.4", [
        apply(hello().replace("targetPort: 8080", "targetPort: 80")),
        "rollout status deployment/hello", tunnel], {"ports", "round-robin"},
        ("round-robin", "Connection refused")),
    "4.5 a Service's name instead of localhost": ("4.5", [
        apply(users_auth("auth")), "rollout status deployment/users-auth"],
        {"address", "login", "rolled-out"}, ("address", "that name leaves the pod")),
    "4.5 the users app's own port": ("4.5", [
        apply(users_auth("localhost:8080")), "rollout status deployment/users-auth"],
        {"address", "login", "rolled-out"}, ("login", "Request failed with status code 404")),
    "4.5 two pods instead of two containers": ("4.5", [
        apply(users_auth().split("      - name: auth\n")[0]),
        apply(AUTH_IN_DEFAULT.replace("name: auth\n", "name: users-auth-api\n")),
        "rollout status deployment/users-auth"],
        {"containers", "login", "rolled-out"}, ("login", "connect ECONNREFUSED")),
    "4.4 two replicas": ("4.4", [
        apply(hello().replace("replicas: 3", "replicas: 2")), "rollout status deployment/hello",
        tunnel], {"endpoints"}, ("endpoints", "the task asks for 3 replicas")),
}


@pytest.mark.parametrize("name", WRONG_ATTEMPTS)
def test_wrong_attempts_do_not_get_full_marks(name):
    exercise_id, steps, failing, (check, words) = WRONG_ATTEMPTS[name]
    c = scene()
    run(c, steps)
    assert failed(c, exercise_id) == failing
    assert words in message(c, exercise_id, check)


RIGHT_WAYS = {
    "4.1 the full DNS name": ("4.1", [
        apply(IDENTITY_NAMESPACE), apply(AUTH),
        apply(users("auth.identity.svc.cluster.local")), *LOGGED_IN]),
    "4.1 a name and a port": ("4.1", [
        apply(IDENTITY_NAMESPACE), apply(AUTH), apply(users("auth.identity:80")), *LOGGED_IN]),
    "4.2 kubectl expose, pods deleted instead of restarted": ("4.2", [
        "expose deployment auth-service --port=80", "delete pods -l app=tasks",
        "rollout status deployment tasks"]),
    "4.3 the Service made again with kubectl expose": ("4.3", [
        "delete service shop", "expose deployment shop --port=80 --target-port=8080"]),
    "4.3 a selector with both labels": ("4.3", [
        apply(shop_service("app: shop\n    tier: web"))]),
    "4.5 127.0.0.1 and the port": ("4.5", [
        apply(users_auth("127.0.0.1:80")), "rollout status deployment/users-auth"]),
    "4.4 kubectl expose --type=LoadBalancer": ("4.4", [
        "create deployment hello --image=kubelearn/hello:1 --replicas=3 --port=8080",
        "expose deployment hello --type=LoadBalancer --port=80 --target-port=8080",
        "rollout status deployment/hello", tunnel]),
}


@pytest.mark.parametrize("name", RIGHT_WAYS)
def test_other_right_ways_earn_full_marks(name):
    exercise_id, steps = RIGHT_WAYS[name]
    c = scene()
    run(c, steps)
    assert failed(c, exercise_id) == set(), repr(results(c, exercise_id))
