"""Misconception hints: each common wrong end state, made on a real cluster, is
recognised by its stable id and explained by its hint; untouched and solved
exercises recognise none."""
import pytest

from kubelearn import Cluster
from kubelearn import grading
from kubelearn.grading import grade, prepare, solve
from kubelearn.grading import misconceptions as m
from kubelearn.grading.exercises.ch03 import DATA, EXERCISE_CLAIM, EXERCISE_PV
from kubelearn.grading.exercises.ch04 import AUTH, AUTH_SERVICE, IDENTITY_NAMESPACE, hello
from kubelearn.grading.registry import REGISTRY

SELECTOR_HINT = "Your Service has 0 endpoints: compare spec.selector with the pod labels"
AUTH_IN_DEFAULT = AUTH.replace("  namespace: identity\n", "")
WEB_SERVICE_SELECTING_WEBAPP = """\
apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  type: NodePort
  selector:
    app: webapp
  ports:
  - port: 80
    targetPort: 8080
"""


def minikube() -> Cluster:
    c = Cluster.minikube()
    c.minikube("tunnel")
    return c


def run(c: Cluster, steps) -> None:
    for step in steps:
        if isinstance(step, (int, float)):
            c.advance(step)
            continue
        line, stdin = step if isinstance(step, tuple) else (step, None)
        result = c.kubectl(line, stdin=stdin)
        assert result.exit_code == 0, (line, result)


# name: (exercise, steps, {check: misconception id}, words of the hint in that check's message)
WRONG_STATES = {
    "2.1 a Service whose selector matches no pod": ("2.1", [
        "create deployment web --image=kubelearn/hello:1 --replicas=2",
        ("apply -f -", WEB_SERVICE_SELECTING_WEBAPP), 60],
        {"endpoints": m.SELECTOR_MATCHES_NO_POD}, SELECTOR_HINT),
    "2.1 an image tag typo": ("2.1", [
        "create deployment web --image=kubelearn/hello:v1 --replicas=2",
        "expose deployment web --type=NodePort --port=80 --target-port=8080", 60],
        {"replicas": m.IMAGE_PULL_ERROR}, "look for a typo in the image name or tag"),
    "2.1 expose without --target-port": ("2.1", [
        "create deployment web --image=kubelearn/hello:1 --replicas=2",
        "expose deployment web --type=NodePort --port=80", 60],
        {"ports": m.PORT_VS_TARGET_PORT}, "targetPort is where it sends the traffic, the "
                                          "container's port (8080)"),
    "2.2 set image with a typo": ("2.2", [
        "scale deployment/shop --replicas=3", "set image deployment/shop hello=kubelearn/hello:2",
        "rollout status deployment/shop", "set image deployment/shop hello=kubelearn/helo:3", 60],
        {"replicas": m.IMAGE_PULL_ERROR}, "ImagePullBackOff"),
    "3.3 a claim without the volume's class": ("3.3", [
        ("apply -f -", EXERCISE_PV),
        ("apply -f -", EXERCISE_CLAIM.replace("  volumeName: exercise-pv\n", "")
         .replace("  storageClassName: manual\n", "")), 30],
        {"bound": m.CLAIM_CLASS_MISMATCH}, "a claim without one gets the default class "
                                           "(standard)"),
    "3.3 a claim no volume matches": ("3.3", [
        ("apply -f -", EXERCISE_PV),
        ("apply -f -", EXERCISE_CLAIM.replace("ReadWriteOnce", "ReadWriteMany")), 30],
        {"bound": m.CLAIM_PENDING}, "The claim is Pending: no PersistentVolume matches it"),
    "3.4 a claim of a class nobody provisions": ("3.4", [
        ("apply -f -", DATA.replace("standard", "manual")), 30],
        {"provisioned": m.CLAIM_PENDING}, "its storage class has no provisioner"),
    "4.1 everything in default": ("4.1", [("apply -f -", AUTH_IN_DEFAULT), 30],
                                  {"auth": m.WRONG_NAMESPACE, "service": m.WRONG_NAMESPACE},
                                  "add -n identity to kubectl commands"),
    "4.1 scaled in the wrong namespace": ("4.1", [
        ("apply -f -", IDENTITY_NAMESPACE),
        ("apply -f -", AUTH.replace("replicas: 2", "replicas: 1")),
        ("apply -f -", AUTH_IN_DEFAULT.replace("replicas: 2", "replicas: 1")),
        "scale deployment auth --replicas=2", 30],
        {"auth": m.WRONG_NAMESPACE}, 'kubectl works in the namespace "default" unless told'),
    "4.1 the auth Service selects nothing": ("4.1", [
        ("apply -f -", IDENTITY_NAMESPACE),
        ("apply -f -", AUTH.replace("  selector:\n    app: auth\n", "  selector:\n    app: au\n")),
        30], {"service": m.SELECTOR_MATCHES_NO_POD}, SELECTOR_HINT),
    "4.2 Service created, tasks not restarted": ("4.2", [("apply -f -", AUTH_SERVICE), 60],
                                                 {"env": m.PODS_STARTED_BEFORE_SERVICE,
                                                  "rolled-out": m.PODS_STARTED_BEFORE_SERVICE},
                                                 "restart the pods (kubectl rollout restart "
                                                 "deployment tasks)."),
    "4.2 the Service selects app=auth": ("4.2", [
        ("apply -f -", AUTH_SERVICE.replace("app: auth-service", "app: auth")), 30],
        {"service": m.SELECTOR_MATCHES_NO_POD, "env": m.PODS_STARTED_BEFORE_SERVICE,
         "rolled-out": m.PODS_STARTED_BEFORE_SERVICE}, SELECTOR_HINT),
    "4.3 the right selector, the wrong target port": ("4.3", [
        ("apply -f -", AUTH_SERVICE.replace("auth-service", "shop").replace("targetPort: 80",
                                                                             "targetPort: 81")),
        30], {"answers": m.PORT_VS_TARGET_PORT}, "the container's port (8080)"),
    "4.4 the wrong target port": ("4.4", [
        ("apply -f -", hello().replace("targetPort: 8080", "targetPort: 80")),
        "rollout status deployment/hello"],
        {"ports": m.PORT_VS_TARGET_PORT}, "Without --target-port, kubectl expose uses the same "
                                          "number for both."),
    "4.4 a typo in the image": ("4.4", [
        ("apply -f -", hello().replace("kubelearn/hello:1", "kubelearn/hallo:1")), 60],
        {"endpoints": m.IMAGE_PULL_ERROR}, "kubectl describe pod shows the image it tried."),
}


@pytest.mark.parametrize("name", WRONG_STATES)
def test_a_wrong_end_state_is_recognised_with_its_hint(name):
    exercise_id, steps, expected, words = WRONG_STATES[name]
    c = minikube()
    prepare(exercise_id, c)
    run(c, steps)
    [result] = grade([exercise_id], c, settle=True)
    found = {i.name: i.misconception for i in result.items if i.misconception}
    assert found == expected, repr(result)
    for item in result.items:
        if item.misconception:
            assert not item.passed and item.as_dict()["misconception"] == item.misconception
    first = next(i for i in result.items if i.name == next(iter(expected)))
    assert words in first.message, first.message


def test_the_library_covers_the_ids_the_course_uses():
    # chapter 5's misconceptions are about the AWS account and live in ch05 (its own tests)
    used = {mc.id for ex in REGISTRY.exercises() if ex.chapter != "5"
            for c in ex.checks for mc in c.misconceptions}
    assert used == {m.SELECTOR_MATCHES_NO_POD, m.IMAGE_PULL_ERROR, m.WRONG_NAMESPACE,
                    m.PODS_STARTED_BEFORE_SERVICE, m.CLAIM_PENDING, m.CLAIM_CLASS_MISMATCH,
                    m.PORT_VS_TARGET_PORT}
    assert {expected for _, _, ids, _ in WRONG_STATES.values() for expected in ids.values()} == used


def test_the_selector_hint_is_the_issues_wording():
    assert m.selector_matches_no_pod("web").hint == SELECTOR_HINT


CLUSTERS = {"1": Cluster, "2": Cluster.minikube, "3": Cluster.minikube, "4": minikube}


# chapter 5 starts by resetting the process's AWS account: test_exercises_ch05 covers it
@pytest.mark.parametrize("exercise_id", [i for i in REGISTRY.ids() if not i.startswith("5.")])
def test_untouched_and_solved_exercises_recognise_no_misconception(exercise_id):
    ex = REGISTRY.exercise(exercise_id)
    fresh = CLUSTERS[ex.chapter]()
    prepare(exercise_id, fresh)
    fresh.advance(120)
    [result] = grade([exercise_id], fresh, settle=True)
    assert [i.misconception for i in result.items if i.misconception] == []
    solved = CLUSTERS[ex.chapter]()
    prepare(exercise_id, solved)
    solve(exercise_id, solved)
    [result] = grade([exercise_id], solved, settle=True)
    assert [i.misconception for i in result.items if i.misconception] == []
    grading.reset()
