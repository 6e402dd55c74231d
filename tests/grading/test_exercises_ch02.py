"""Chapter 2's exercises on ``Cluster.minikube()``, as the chapter's notebook runs them.

An untouched notebook scores 0, the reference solutions score full marks, and
plausible wrong attempts (the notes' port 8080, a plain ``rollout undo``, a
manifest applied once, a probe on the wrong port, a request that still does
not fit) never do: each names the checks it must fail. Checks judge state, so
one other correct way (``set image`` back to v1 instead of ``rollout undo``)
is shown to earn full marks too.
"""
from __future__ import annotations

import pytest

from kubelearn import Cluster
from kubelearn import grading
from kubelearn.grading import grade, prepare, solve
from kubelearn.grading.exercises.ch02 import GREETER, REPORT, SECOND_APP
from kubelearn.grading.registry import exercises

IDS = [ex.id for ex in exercises("2")]
WEB = "create deployment web --image=kubelearn/hello:1 --replicas=2"
SHOP_V2 = ("scale deployment/shop --replicas=3", "set image deployment/shop hello=kubelearn/hello:2",
           "rollout status deployment/shop")
SHOP_V3 = ("set image deployment/shop hello=kubelearn/hello:3", "rollout status deployment/shop")
GREETER_PROBE = """\
        livenessProbe:
          httpGet:
            path: {path}
            port: 8080
          initialDelaySeconds: 5
          periodSeconds: 5
"""


def scene() -> Cluster:
    """The notebook's first cell: every exercise prepared, then two minutes pass."""
    c = Cluster.minikube()
    for exercise_id in IDS:
        prepare(exercise_id, c)
    c.advance(120)
    return c


def run(c: Cluster, steps) -> None:
    """kubectl lines, ``(line, stdin)`` pairs, or seconds to let pass."""
    for step in steps:
        if isinstance(step, (int, float)):
            c.advance(step)
            continue
        line, stdin = step if isinstance(step, tuple) else (step, None)
        result = c.kubectl(line, stdin=stdin)
        assert result.exit_code == 0, (line, result)


def failed(c: Cluster, exercise_id: str) -> set[str]:
    [result] = grade([exercise_id], c, settle=True)
    return {item.name for item in result.items if not item.passed}


def test_chapter_2_has_five_exercises_with_hints_and_solutions():
    assert IDS == ["2.1", "2.2", "2.3", "2.4", "2.5"]
    for ex in exercises("2"):
        assert len(ex.hints) == 3 and ex.solution and ex.max_points > 0


def test_untouched_notebook_scores_zero_on_every_exercise():
    c = scene()
    for result in grade(IDS, c, settle=True):
        assert result.score == 0, repr(result)


def test_the_scene_shows_what_the_exercises_ask_about():
    c = scene()
    pods = c.kubectl("get pods").stdout
    assert pods.count("CrashLoopBackOff") == 2 and pods.count("Pending") == 2
    assert "1 Insufficient cpu." in c.kubectl("get events --field-selector "
                                               "reason=FailedScheduling").stdout
    assert "statuscode: 404" in c.kubectl("describe pods -l app=greeter").stdout


def test_reference_solutions_together_score_full_marks():
    c = scene()
    for exercise_id in IDS:
        assert solve(exercise_id, c).ok
    c.advance(300)               # and they stay fixed: no probe fails later
    for result in grade(IDS, c, settle=True):
        assert result.score == result.max_score, repr(result)
    grading.reset()


WRONG_ATTEMPTS = {
    "2.1 ClusterIP Service": ("2.1", [WEB, "expose deployment web --port=80 --target-port=8080",
                                      30], {"type", "answers"}),
    "2.1 the notes' port 8080": ("2.1", [WEB, "expose deployment web --type=LoadBalancer "
                                              "--port=8080", 30], {"ports"}),
    "2.1 one replica": ("2.1", ["create deployment web --image=kubelearn/hello:1",
                                "expose deployment web --type=NodePort --port=80 "
                                "--target-port=8080", 30], {"replicas", "endpoints"}),
    "2.1 wrong target port": ("2.1", [WEB, "expose deployment web --type=NodePort --port=80",
                                      30], {"ports", "answers"}),
    "2.2 plain rollout undo": ("2.2", [*SHOP_V2, *SHOP_V3, "rollout undo deployment/shop",
                                       "rollout status deployment/shop"], {"rolled-back"}),
    "2.2 hello:3 skipped": ("2.2", [*SHOP_V2, "rollout undo deployment/shop --to-revision=1",
                                    "rollout status deployment/shop"],
                            {"rolled-back", "history"}),
    "2.2 not scaled": ("2.2", [*SHOP_V2[1:], *SHOP_V3, "rollout undo deployment/shop "
                               "--to-revision=1", "rollout status deployment/shop"], {"replicas"}),
    "2.3 applied once": ("2.3", [("apply -f -", SECOND_APP.format(replicas=3)), 30], {"changed"}),
    "2.3 scaled, not re-applied": ("2.3", [("apply -f -", SECOND_APP.format(replicas=2)), 30,
                                           "scale deployment second-app --replicas=3", 30],
                                   {"applied"}),
    "2.3 the notes' probe path": ("2.3", [
        ("apply -f -", SECOND_APP.format(replicas=2).replace("/healthz", "/some/specific/path")),
        ("apply -f -", SECOND_APP.format(replicas=3).replace("/healthz", "/some/specific/path")),
        120], {"probe", "replicas"}),
    "2.3 no matchExpressions": ("2.3", [
        ("apply -f -", SECOND_APP.format(replicas=n).replace(
            "    matchExpressions:\n    - {key: app, operator: In, values: [second-app, "
            "first-app]}\n", "")) for n in (2, 3)] + [30], {"expression"}),
    "2.4 pods deleted": ("2.4", ["delete pods -l app=greeter", 60],
                         {"probe", "healthy", "rolled-out"}),
    "2.4 probe removed": ("2.4", [("apply -f -", GREETER.replace(
        GREETER_PROBE.format(path="{path}"), "")), "rollout status deployment/greeter", 60],
        {"probe"}),
    "2.4 right path, wrong port": ("2.4", [("apply -f -", GREETER.format(path="/healthz").replace(
        "port: 8080\n          initialDelaySeconds", "port: 80\n          initialDelaySeconds")),
        60], {"probe", "healthy", "rolled-out"}),
    "2.5 a request that still does not fit": ("2.5", [("apply -f -", REPORT.format(cpu="1")), 60],
                                              {"request", "running", "rolled-out"}),
    "2.5 request removed": ("2.5", [("apply -f -", REPORT.replace(
        '        resources:\n          requests:\n            cpu: "{cpu}"\n', "")), 60],
        {"request"}),
    "2.5 scaled down": ("2.5", ["scale deployment report --replicas=1", 60],
                        {"request", "running", "rolled-out"}),
    "2.5 half a CPU": ("2.5", [("apply -f -", REPORT.format(cpu="500m")), 60], {"request"}),
}


@pytest.mark.parametrize("name", WRONG_ATTEMPTS)
def test_wrong_attempts_do_not_get_full_marks(name):
    exercise_id, steps, failing = WRONG_ATTEMPTS[name]
    c = scene()
    run(c, steps)
    assert failed(c, exercise_id) == failing


def test_any_way_to_the_right_state_counts_set_image_back_to_v1():
    c = scene()
    run(c, [*SHOP_V2, *SHOP_V3, "set image deployment/shop hello=kubelearn/hello:1",
            "rollout status deployment/shop"])
    assert failed(c, "2.2") == set()


def test_a_liveness_probe_on_the_root_path_is_accepted():
    c = scene()
    run(c, [("apply -f -", GREETER.format(path="/")), "rollout status deployment/greeter", 120])
    assert failed(c, "2.4") == set()
