"""Chapter 3's exercises on ``Cluster.minikube()``, as the chapter's notebook runs them.

An untouched notebook scores 0, the reference solutions score full marks, and
plausible wrong attempts (no volume so the story is lost in the crash, a pod
deleted instead of crashed, hostPath volumes on different paths, a claim that
lets the controller choose or provision its volume, a ConfigMap changed but not
rolled out, a value typed in instead of read from the ConfigMap) never do: each
names the checks it must fail. The way the notebook's solution takes (the app's
``POST /story`` and ``GET /error`` through a NodePort Service) earns full marks
too, as does deleting the pod instead of ``rollout restart``.
"""
from __future__ import annotations

import pytest

from kubelearn import Cluster
from kubelearn import grading
from kubelearn.grading import grade, prepare, solve
from kubelearn.grading.exercises.ch03 import (DATA, EMPTY_DIR, EXERCISE_CLAIM, EXERCISE_POD,
                                              EXERCISE_PV, SHARED_HOST_PATH, STORY_CONFIG,
                                              STORY_ENV, story)
from kubelearn.grading.registry import exercises
from kubelearn.network.http import EmptyReply

IDS = [ex.id for ex in exercises("3")]
EXPOSE = "expose deployment {0} --type=NodePort --port=80 --target-port=3000"
SECRET = "create secret generic story-secret --from-literal=api-key=s3cr3t"


def scene() -> Cluster:
    """The notebook's first cell: every exercise prepared."""
    c = Cluster.minikube()
    for exercise_id in IDS:
        prepare(exercise_id, c)
    return c


def url(c: Cluster, service: str) -> str:
    return c.minikube(f"service {service} --url").stdout.strip()


def post(service: str, text: str):
    def step(c: Cluster) -> None:
        assert c.http_post(url(c, service) + "/story", {"text": text}).status == 201
    return step


def crash(service: str):
    def step(c: Cluster) -> None:
        with pytest.raises(EmptyReply):
            c.http_get(url(c, service) + "/error")
    return step


def store(deployment: str, text: str) -> str:
    return f"exec deploy/{deployment} -- sh -c 'echo \"{text}\" >> /app/story/text.txt'"


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


def failed(c: Cluster, exercise_id: str) -> set[str]:
    [result] = grade([exercise_id], c, settle=True)
    return {item.name for item in result.items if not item.passed}


def apply(manifest: str) -> tuple[str, str]:
    return ("apply -f -", manifest)


def test_chapter_3_has_five_exercises_with_hints_and_solutions():
    assert IDS == ["3.1", "3.2", "3.3", "3.4", "3.5"]
    for ex in exercises("3"):
        assert len(ex.hints) == 3 and ex.solution and ex.max_points > 0


def test_untouched_notebook_scores_zero_on_every_exercise():
    c = scene()
    for result in grade(IDS, c, settle=True):
        assert result.score == 0, repr(result)


def test_reference_solutions_together_score_full_marks():
    c = scene()
    for exercise_id in IDS:
        assert solve(exercise_id, c).ok
    c.advance(300)               # and they stay that way: the probe of 3.1 fails only once
    for result in grade(IDS, c, settle=True):
        assert result.score == result.max_score, repr(result)
    grading.reset()


STORY = story("story", EMPTY_DIR)
STORY_THROUGH_THE_APP = [apply(STORY), EXPOSE.format("story"), "rollout status deployment/story",
                         post("story", "Once upon a time")]


def test_the_notebook_way_through_the_app_earns_full_marks():
    c = scene()
    run(c, [*STORY_THROUGH_THE_APP, crash("story"), 30])
    assert c.http_get(url(c, "story") + "/story").json() == {"story": "Once upon a time\n"}
    assert failed(c, "3.1") == set()


def test_pods_deleted_instead_of_rollout_restart_count_too():
    c = scene()
    run(c, [apply(STORY_CONFIG.format(folder="story")), SECRET, apply(STORY_ENV),
            "rollout status deployment/story-env", apply(STORY_CONFIG.format(folder="archive")),
            "delete pods -l app=story-env", "rollout status deployment/story-env"])
    assert failed(c, "3.5") == set()


def host_path(path: str) -> str:
    return SHARED_HOST_PATH.replace("/data/shared", path)


STATIC_CLAIM_NO_NAME = EXERCISE_CLAIM.replace("  volumeName: exercise-pv\n", "")
STORY_ENV_TYPED = STORY_ENV.replace("""\
          valueFrom:
            configMapKeyRef:
              name: story-config
              key: folder
""", "          value: archive\n")

WRONG_ATTEMPTS = {
    "3.1 no volume: the crash takes the story": ("3.1", [
        apply(story("story", "        emptyDir: {}\n").replace(
            "        volumeMounts:\n        - name: story-volume\n          mountPath: "
            "/app/story\n", "")),
        *STORY_THROUGH_THE_APP[1:], crash("story"), 30], {"volume", "kept"}),
    "3.1 never crashed": ("3.1", STORY_THROUGH_THE_APP, {"restarted"}),
    "3.1 pod deleted instead of crashed": ("3.1", [*STORY_THROUGH_THE_APP,
                                                   "delete pod -l app=story", 30],
                                           {"restarted", "kept"}),
    "3.1 emptyDir in the wrong folder": ("3.1", [
        apply(STORY.replace("mountPath: /app/story", "mountPath: /app/data")),
        *STORY_THROUGH_THE_APP[1:], crash("story"), 30], {"volume", "kept"}),
    "3.2 two different host paths": ("3.2", [
        apply(story("story-a", host_path("/data/a"))), apply(story("story-b", host_path("/data/b"))),
        "rollout status deployment/story-a", "rollout status deployment/story-b",
        store("story-a", "Shared on the node")], {"mounts", "disk", "shared"}),
    "3.2 an emptyDir each": ("3.2", [
        apply(story("story-a", EMPTY_DIR)), apply(story("story-b", EMPTY_DIR)),
        "rollout status deployment/story-a", "rollout status deployment/story-b",
        store("story-a", "Shared on the node")], {"mounts", "disk", "shared"}),
    "3.3 a claim of class standard without volumeName": ("3.3", [
        apply(EXERCISE_PV), apply(STATIC_CLAIM_NO_NAME.replace("manual", "standard")),
        apply(EXERCISE_POD), 30], {"bound", "volume-name"}),
    "3.3 the controller chose the volume": ("3.3", [
        apply(EXERCISE_PV), apply(STATIC_CLAIM_NO_NAME), apply(EXERCISE_POD), 30],
        {"volume-name"}),
    "3.3 no pod": ("3.3", [apply(EXERCISE_PV), apply(EXERCISE_CLAIM), 30], {"pod"}),
    "3.4 pod never deleted": ("3.4", [
        apply(DATA), apply(story("notes", "        persistentVolumeClaim:\n          claimName: "
                                 "data\n")), "rollout status deployment/notes",
        store("notes", "Kept on the volume")], {"replaced"}),
    "3.4 an emptyDir: the story goes with the pod": ("3.4", [
        apply(DATA), apply(story("notes", EMPTY_DIR)), "rollout status deployment/notes",
        store("notes", "Kept on the volume"), "delete pod -l app=notes",
        "rollout status deployment/notes"], {"pod", "kept"}),
    "3.4 1Gi asked for": ("3.4", [
        apply(DATA.replace("2Gi", "1Gi")),
        apply(story("notes", "        persistentVolumeClaim:\n          claimName: data\n")),
        "rollout status deployment/notes", store("notes", "Kept on the volume"),
        "delete pod -l app=notes", "rollout status deployment/notes"], {"claim"}),
    "3.5 ConfigMap changed, not rolled out": ("3.5", [
        apply(STORY_CONFIG.format(folder="story")), SECRET, apply(STORY_ENV),
        "rollout status deployment/story-env", apply(STORY_CONFIG.format(folder="archive")),
        60], {"rolled-out"}),
    "3.5 the value typed in": ("3.5", [
        apply(STORY_CONFIG.format(folder="archive")), SECRET, apply(STORY_ENV_TYPED),
        "rollout status deployment/story-env"], {"refs"}),
    "3.5 no Secret: the container cannot start": ("3.5", [
        apply(STORY_CONFIG.format(folder="archive")), apply(STORY_ENV), 60],
        {"secret", "rolled-out", "api-key", "complete"}),
}


@pytest.mark.parametrize("name", WRONG_ATTEMPTS)
def test_wrong_attempts_do_not_get_full_marks(name):
    exercise_id, steps, failing = WRONG_ATTEMPTS[name]
    c = scene()
    run(c, steps)
    assert failed(c, exercise_id) == failing
