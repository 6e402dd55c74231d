"""Per-learner variants: stable values from the learner id, the same in every process,
solutions that fit one learner and not another, and defaults that leave the
notebooks as they were."""
import json
import random
import subprocess
import sys

import pytest

from kubelearn import Cluster
from kubelearn import grading
from kubelearn.grading import grade, prepare, set_learner, solve, task
from kubelearn.grading import store, variants
from kubelearn.grading.checks import field_equals
from kubelearn.grading.model import Check, Exercise
from kubelearn.grading.registry import REGISTRY
from kubelearn.grading.variants import params_for, personal, seed, variant_exercise

# Computed once, then pinned: a change here means every learner's exercise changed.
PINNED = {
    ("alice", "2.1"): {"name": "landing", "replicas": 2, "port": 9090},
    ("bob", "2.1"): {"name": "front", "replicas": 4, "port": 9090},
    ("alice", "3.4"): {"claim": "shelf", "size": "2Gi", "app": "journal"},
    ("bob", "3.4"): {"claim": "pages", "size": "2Gi", "app": "memo"},
}
VARIANT_IDS = ("2.1", "3.4")


def test_the_seed_is_a_stable_sha256_of_learner_and_exercise():
    assert seed("alice", "2.1") == 8510167298420329616
    assert seed(" Alice ", "2.1") == seed("alice", "2.1")      # one learner, however typed
    assert seed("alice", "3.4") != seed("alice", "2.1")


@pytest.mark.parametrize("who, exercise_id", sorted(PINNED))
def test_a_learner_always_gets_the_same_values(who, exercise_id):
    assert params_for(REGISTRY.exercise(exercise_id), who) == PINNED[(who, exercise_id)]


def test_the_same_values_in_another_process():
    code = ("import json; from kubelearn.grading.registry import exercise; "
            "from kubelearn.grading.variants import params_for; "
            "print(json.dumps({f'{w}:{i}': params_for(exercise(i), w) "
            "for w in ('alice', 'bob') for i in ('2.1', '3.4')}))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, env={"PYTHONHASHSEED": "12345", "PATH": ""}).stdout
    assert json.loads(out) == {f"{w}:{i}": v for (w, i), v in PINNED.items()}


def test_two_learners_get_different_values_and_no_global_random_is_used():
    random.seed(1)
    before = random.random()
    random.seed(1)
    for exercise_id in VARIANT_IDS:
        ex = REGISTRY.exercise(exercise_id)
        assert params_for(ex, "alice") != params_for(ex, "bob")
    assert random.random() == before


def test_without_a_learner_the_documented_defaults_are_used():
    for exercise_id in VARIANT_IDS:
        ex = REGISTRY.exercise(exercise_id)
        assert personal(ex, None) is ex
        assert dict(ex.params) == dict(ex.variant.defaults)
    assert dict(REGISTRY.exercise("2.1").params) == {"name": "web", "replicas": 2, "port": 80}
    assert "`web`" in REGISTRY.exercise("2.1").task and "port 80" in REGISTRY.exercise("2.1").task
    assert personal(REGISTRY.exercise("1.1"), "alice") is REGISTRY.exercise("1.1")  # no variant


def test_a_variant_puts_the_values_everywhere():
    ex = personal(REGISTRY.exercise("2.1"), "alice")
    assert ex.id == "2.1" and dict(ex.params) == PINNED[("alice", "2.1")]
    assert "Deployment `landing`" in ex.task and "port 9090" in ex.task
    assert "with 2 replicas" in ex.task
    assert [s.command for s in ex.solution] == [
        "create deployment landing --image=kubelearn/hello:1 --replicas=2",
        "expose deployment landing --type=NodePort --port=9090 --target-port=8080"]
    assert "--port=9090" in ex.hints[2]
    assert [(c.id, c.points, c.hidden) for c in ex.checks] == \
        [(c.id, c.points, c.hidden) for c in REGISTRY.exercise("2.1").checks]
    assert personal(REGISTRY.exercise("2.1"), "ALICE") is ex      # built once per learner


def minikube():
    return Cluster.minikube()


@pytest.mark.parametrize("exercise_id", VARIANT_IDS)
def test_a_learners_solution_scores_full_marks_on_theirs_and_zero_on_anothers(exercise_id):
    ex = REGISTRY.exercise(exercise_id)
    alice, bob = personal(ex, "alice"), personal(ex, "bob")
    c = minikube()
    set_learner("alice")
    prepare(exercise_id, c)
    assert solve(exercise_id, c).ok
    [mine] = grade([exercise_id], c, settle=True)
    assert mine.score == alice.max_points == ex.max_points, repr(mine)
    theirs = bob.run(c, include_hidden=True)
    assert theirs.score == 0, repr(theirs)
    set_learner("bob")
    [graded_as_bob] = grade([exercise_id], c, settle=True)
    assert graded_as_bob.score == 0
    grading.reset()


def test_the_learner_comes_from_set_learner_then_the_environment_then_the_saved_id(monkeypatch):
    assert grading.learner() is None
    store.current().set_learner("carol")
    assert grading.learner() == "carol"                    # saved by an earlier kernel
    monkeypatch.setenv(variants.ENV_LEARNER, "Bob")
    assert grading.learner() == "bob"
    set_learner("Alice")
    assert grading.learner() == "alice"
    assert store.current().learner() == "alice"            # saved for later kernels
    set_learner(None)
    assert grading.learner() == "bob" and store.current().learner() is None


def test_a_grading_run_uses_the_runners_learner_only(monkeypatch):
    monkeypatch.setenv(variants.ENV_GRADING, "1")
    monkeypatch.setenv(variants.ENV_LEARNER, "alice")
    notice = set_learner("bob")
    assert "being graded" in repr(notice) and "(alice)" in repr(notice)
    assert grading.learner() == "alice"
    assert grading.exercise("2.1").params["name"] == "landing"


def test_set_learner_says_which_exercises_vary():
    notice = set_learner(" Alice ")
    assert repr(notice) == ('Learner "alice": exercises 2.1, 3.4 use your own names and numbers. '
                            'task("2.1") shows one.')
    assert "<code>" not in notice._repr_html_() and "task(" in notice._repr_html_()
    assert repr(set_learner(None)) == ("No learner id: every exercise uses the values its task "
                                       "describes.")


def test_task_shows_the_learners_values():
    default = task("2.1")
    assert repr(default).startswith("Exercise 2.1 · Deploy and expose, imperatively\n\nWith")
    assert "Your own values" not in repr(default)
    set_learner("alice")
    mine = task("2.1")
    assert "Deployment `landing`" in repr(mine)
    assert repr(mine).endswith("(Your own values: name=landing, port=9090, replicas=2.)")
    assert "<code>landing</code>" in mine._repr_html_()


def test_check_says_when_it_checks_a_learners_own_variant():
    set_learner("alice")
    result = grading.check("2.1", Cluster.minikube())
    assert result.note == ('This is your own variant of exercise 2.1 (learner "alice"): '
                           'task("2.1") shows it with your names and numbers.')
    assert 'Deployment "landing" was not found' in repr(result)
    set_learner(None)
    assert grading.check("2.1", Cluster.minikube()).note == ""


def _build(p):
    return Exercise(id="93.1", title="Mode", task=f"mode {p['mode']}",
                    checks=(Check("mode", "mode", 1,
                                  field_equals("ConfigMap", "settings", "data.mode", p["mode"])),))


def test_variant_exercise_checks_the_authors_work():
    ex = variant_exercise(_build, {"mode": "fast"}, lambda rng: {"mode": rng.choice("xyz")})
    assert ex.task == "mode fast" and ex.variant is not None
    with pytest.raises(ValueError, match=r"draw\(\) must give the parameters \['mode'\]"):
        variant_exercise(_build, {"mode": "fast"}, lambda rng: {"speed": 1})

    def other_checks(p):
        ex = _build(p)
        return ex if p["mode"] == "fast" else Exercise(id="93.1", title="t", checks=(
            Check("other", "other", 1, ex.checks[0].fn),))
    with pytest.raises(ValueError, match="the same checks"):
        variant_exercise(other_checks, {"mode": "fast"}, lambda rng: {"mode": "slow"})
    with pytest.raises(TypeError, match="must return an Exercise"):
        variant_exercise(lambda p: None, {"mode": "fast"}, lambda rng: {"mode": "slow"})
