"""The notebook API: check, hint, solve, prepare, progress and grade."""
import json

import pytest

import kubelearn
from kubelearn import Cluster
from kubelearn import grading
from kubelearn.contexts import kubeconfig
from kubelearn.grading import check, grade, hint, prepare, progress, solve
from kubelearn.grading.model import Exercise
from kubelearn.grading.registry import REGISTRY
from kubelearn.grading.validate import CHAPTER_CLUSTERS

LABELLED = {"app": "web", "tier": "frontend"}


def test_check_runs_public_checks_and_words_hidden_ones_honestly(samples, make_cluster, objects):
    cluster = make_cluster(objects.deployment(replicas=2, labels=LABELLED))
    result = check("90.1", cluster)
    assert [i.id for i in result.items] == ["90.1/exists", "90.1/replicas", "90.1/label",
                                            "90.1/image"]
    assert (result.score, result.max_score, result.passed, result.hidden_pending) == (3, 5, False, 2)
    assert result.summary() == "✘ 3 of 4 public checks passed · 2 more run at grading time"
    text = repr(result)
    assert '✘ replicas — Deployment "web" has 2 replicas; the task asks for 3. ' \
           "Try: scale the Deployment." in text
    assert "service" not in text and "port" not in text  # hidden checks are not described


def test_check_passing_public_checks_still_mentions_grading_time(samples, make_cluster, objects):
    result = check("90.1", make_cluster(objects.deployment(labels=LABELLED)))
    assert result.passed and result.summary() == \
        "✔ 4 of 4 public checks passed · 2 more run at grading time"


def test_check_defaults_to_the_current_context(samples):
    cluster = Cluster()
    assert kubeconfig().cluster() is cluster
    assert check("90.2").score == 0
    cluster.kubectl("apply -f -", stdin="apiVersion: v1\nkind: ConfigMap\nmetadata:\n"
                                        "  name: settings\ndata:\n  mode: fast\n")
    assert check("90.2").passed


def test_check_without_a_cluster_says_what_to_do(samples, monkeypatch):
    monkeypatch.setattr(kubeconfig(), "cluster", lambda name=None: None)
    result = check("90.2")
    assert result.score == 0 and not result.passed
    assert result.items[0].message == "not checked: no cluster is running in this notebook"
    assert "Start one (for example `cluster = Cluster()`), do the task, then check again." in repr(result)
    assert "Traceback" not in repr(result)


def test_unknown_exercise_raises_a_helpful_key_error(samples):
    with pytest.raises(KeyError, match='there is no exercise "90.9"; known exercises: .*90.1, 90.2'):
        check("90.9")
    with pytest.raises(KeyError):
        hint("90.9")


def test_hints_come_one_tier_at_a_time_then_point_to_solve(samples):
    texts = [repr(hint("90.1")) for _ in range(4)]
    assert texts[0] == "Hint 1 of 3: Which kubectl verb makes objects from a manifest?"
    assert texts[1].startswith("Hint 2 of 3: `kubectl apply -f -`")
    assert texts[2].startswith("Hint 3 of 3: Apply a Deployment")
    assert texts[3] == ('No more hints for exercise 90.1: you have seen all 3. solve("90.1") shows '
                        "and runs the reference solution.")
    assert repr(hint("90.2")).startswith("Hint 1 of 1: A ConfigMap")  # counted per exercise


def test_hint_html_is_escaped_with_code_spans(samples):
    hint("90.1")
    html = hint("90.1")._repr_html_()
    assert "<strong>Hint 2 of 3:</strong>" in html
    assert "<code>kubectl apply -f -</code>" in html


def test_hint_for_an_exercise_without_hints(samples):
    bare = Exercise("90.3", "no hints <here>", checks=samples[1].checks)
    with REGISTRY.temporary(bare):
        assert repr(hint("90.3")) == ('Exercise 90.3 has no hints. solve("90.3") shows and runs '
                                      "the reference solution.")


def test_solve_runs_the_steps_and_marks_the_exercise(samples):
    cluster = Cluster()
    transcript = solve("90.1", cluster)
    assert transcript.ok
    lines = transcript.text.splitlines()
    assert lines[0] == "$ kubectl apply -f - <<EOF"
    assert "deployment.apps/web created" in lines
    assert "$ kubectl label deployment web tier=frontend" in lines
    assert "deployment.apps/web labeled" in lines and "service/web created" in lines
    assert lines[-2:] == ["✔ 4 of 4 public checks passed · 2 more run at grading time",
                          'Exercise 90.1 is marked "solved with help".']
    assert transcript._repr_html_().startswith('<pre class="kubelearn-transcript">$ kubectl apply')
    assert "&lt;&lt;EOF" in transcript._repr_html_()
    assert grading.solved_with_help("90.1") and not grading.solved_with_help("90.2")
    assert [r.score for r in grade(["90.1"], cluster)] == [7]


def test_solve_shows_a_failing_step_and_carries_on(samples):
    cluster = Cluster()
    cluster.kubectl("apply -f -", stdin="apiVersion: v1\nkind: ConfigMap\nmetadata:\n"
                                        "  name: settings\n  annotations: {a: b}\n")
    broken = Exercise("90.4", "t", checks=samples[1].checks,
                      solution=("get deployment nothing-here", samples[1].solution[0]))
    with REGISTRY.temporary(broken):
        transcript = solve("90.4", cluster)
    assert not transcript.ok
    assert 'Error from server (NotFound): deployments.apps "nothing-here" not found' in transcript.text
    assert "configmap/settings configured" in transcript.text
    assert "✔ 1 of 1 check passed" in transcript.text


def test_prepare_runs_the_setup_steps(samples):
    cluster = Cluster()
    staged = Exercise("90.5", "t", checks=samples[1].checks, setup=samples[1].solution)
    with REGISTRY.temporary(staged):
        transcript = prepare("90.5", cluster)
        assert "configmap/settings created" in transcript.text
        assert check("90.5", cluster).passed
        assert not grading.solved_with_help("90.5")


def test_progress_tracks_each_exercise(samples, make_cluster, objects):
    assert repr(progress("90")).splitlines() == [
        "Chapter 90",
        "  90.1  Create the web Deployment    · not tried",
        "  90.2  A ConfigMap from a manifest  · not tried",
        "0 of 2 exercises passed · 2 not tried.",
        'Next: exercise 90.1 "Create the web Deployment" — check("90.1")',
    ]
    check("90.1", make_cluster(objects.deployment(replicas=1, labels=LABELLED)))
    check("90.2", make_cluster({"apiVersion": "v1", "kind": "ConfigMap",
                                "metadata": {"name": "settings", "namespace": "default"},
                                "data": {"mode": "fast"}}))
    assert repr(progress("90")).splitlines() == [
        "Chapter 90",
        "  90.1  Create the web Deployment    ◐ partly  3/5 points",
        "  90.2  A ConfigMap from a manifest  ✔ passed  1/1 points",
        "1 of 2 exercises passed · 1 partly.",
        'Next: exercise 90.1 "Create the web Deployment" — check("90.1")',
    ]
    solve("90.1", Cluster())
    assert progress("90").rows[0].status == "solved with help"
    assert progress("90").next_step == "All 2 exercises are done."
    html = progress("90")._repr_html_()
    assert "<caption>Your progress: 1 of 2 exercises passed · 1 solved with help</caption>" in html
    assert "✔ passed" in html and "solved with help" in html


def test_progress_with_nothing_registered():
    assert repr(progress("999")) == "No exercises are registered yet."


def test_grade_runs_hidden_checks_and_does_not_touch_the_record(samples, make_cluster, objects):
    cluster = make_cluster(objects.deployment(labels=LABELLED))
    [result] = grade(["90.1"], cluster)
    assert [i.id for i in result.items][-2:] == ["90.1/service", "90.1/port"]
    assert (result.score, result.max_score, result.hidden_pending) == (5, 7, 0)
    assert result.summary() == "✘ 4 of 6 checks passed (including 2 hidden checks)"
    assert "service (hidden) — Service \"web\" was not found" in repr(result)
    assert progress("90").rows[0].status == "not tried"
    assert [r.exercise_id for r in grade("90.2", cluster)] == ["90.2"]
    with pytest.raises(KeyError):
        grade(["90.1", "nope"], cluster)


def test_grade_can_settle_the_cluster_first(samples):
    class Cluster_:
        settled = False
        api = None

        def settle(self):
            Cluster_.settled = True
            raise RuntimeError("controllers did not settle")
    [result] = grade("90.2", Cluster_(), settle=True)
    assert Cluster_.settled
    assert result.note == "the cluster did not settle: RuntimeError: controllers did not settle"
    assert result.items[0].message.startswith("could not check: AttributeError")


def test_same_steps_same_output(samples):
    first = solve("90.1", Cluster()).text
    grading.reset()
    assert solve("90.1", Cluster()).text == first


# Every exercise of the course: the reference solution earns full marks, a fresh
# cluster does not (the "validate" rule of the instructor tooling).
COURSE = REGISTRY.ids() or [pytest.param(
    None, marks=pytest.mark.skip(reason="kubelearn/grading/exercises/ defines no exercises yet"))]


@pytest.mark.parametrize("exercise_id", COURSE)
def test_course_solutions_score_full_marks_and_fresh_clusters_do_not(exercise_id):
    ex = REGISTRY.exercise(exercise_id)
    new_cluster = CHAPTER_CLUSTERS.get(ex.chapter, Cluster)
    fresh = new_cluster()
    prepare(exercise_id, fresh)
    assert grade([exercise_id], fresh)[0].score < ex.max_points
    solved = new_cluster()
    prepare(exercise_id, solved)
    assert solve(exercise_id, solved).ok
    [result] = grade([exercise_id], solved)
    assert result.score == ex.max_points, repr(result)
    grading.reset()


# -- progress across kernels (the progress file) ------------------------------------------------

def test_progress_is_read_from_the_file_so_it_survives_a_kernel_restart(samples, make_cluster,
                                                                        objects, learner_home):
    check("90.1", make_cluster(objects.deployment(replicas=1, labels=LABELLED)))
    grading.reset()                                   # what a restarted kernel remembers
    feedback_rows = progress("90").rows
    assert [(r.exercise_id, r.status, r.best) for r in feedback_rows] == [
        ("90.1", "partly", "3/5 points"), ("90.2", "not tried", "")]
    data = json.loads((learner_home / "progress.json").read_text())
    assert data["exercises"]["90.1"] == {"best_score": 3, "max": 5, "solved_with_help": False,
                                         "status": "partly"}


def test_progress_of_the_course_points_to_the_next_notebook(learner_home):
    solve("1.1", Cluster())
    text = repr(kubelearn.progress())
    assert text.splitlines()[0] == "Chapter 1 · exercises/01-introduction.ipynb"
    assert "  1.1  Mark the nodes that run your apps" in text
    assert "✔ solved with help  2/2 points" in text   # the public checks, as check() counts
    assert "Chapter 4 · exercises/04-networking.ipynb" in text
    assert text.splitlines()[-1] == ('Next: exercise 1.2 "A namespace of your own" in '
                                     'exercises/01-introduction.ipynb — check("1.2")')
    assert repr(kubelearn.progress("2")).splitlines()[-1] == (
        'Next: exercise 2.1 "Deploy and expose, imperatively" in '
        'exercises/02-kubernetes-in-action.ipynb — check("2.1")')
    assert repr(kubelearn.progress()) == text         # deterministic
    html = kubelearn.progress()._repr_html_()
    assert '<th scope="colgroup" colspan="4"' in html and "Chapter 1 · exercises/01" in html
    assert "— check(&quot;1.2&quot;)</strong></p></div>" in html


def test_check_without_a_cluster_or_in_a_grading_run_records_nothing(samples, learner_home,
                                                                     make_cluster, objects,
                                                                     monkeypatch):
    monkeypatch.setattr(kubeconfig(), "cluster", lambda name=None: None)
    check("90.2")
    assert not (learner_home / "progress.json").exists()
    monkeypatch.setenv("KUBELEARN_GRADING", "1")
    check("90.1", make_cluster(objects.deployment(labels=LABELLED)))
    solve("90.2", Cluster())
    assert list(learner_home.iterdir()) == []


def test_a_corrupt_progress_file_is_reported_once_in_the_check_output(samples, learner_home,
                                                                      make_cluster, objects):
    (learner_home / "progress.json").write_text("{broken")
    cluster = make_cluster(objects.deployment(labels=LABELLED))
    first = check("90.1", cluster)
    assert first.note.startswith(f"Your progress file {learner_home / 'progress.json'} could "
                                 "not be used (it is not valid JSON")
    assert first.note in repr(first) and "Traceback" not in repr(first)
    assert check("90.1", cluster).note == ""
    assert progress("90").rows[0].status == "passed"
