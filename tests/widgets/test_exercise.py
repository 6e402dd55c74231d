"""The exercise panel: task, Check / Hint / Solve, results, and the highlighted diagram."""
from __future__ import annotations

from dataclasses import dataclass

import pytest

from kubelearn import Cluster
from kubelearn.grading.model import CheckResult, ItemResult
from kubelearn.widgets import ExercisePanel, panel
from kubelearn.widgets.exercise import draw, failed_rows


def test_task_as_html(minikube):
    p = ExercisePanel("2.1", cluster=minikube, diagram=False)
    assert p.task.value.startswith("<h4>Exercise 2.1 · Deploy and expose, imperatively</h4>")
    assert "<code>kubectl create deployment</code>" in p.task.value
    assert p.view == "workloads"
    assert repr(p) == "<ExercisePanel 2.1>"


def test_unknown_exercise_raises_at_once():
    with pytest.raises(KeyError):
        ExercisePanel("99.9")


def test_views_per_chapter(minikube):
    views = {i: ExercisePanel(i, cluster=minikube, diagram=False).view
             for i in ("1.1", "2.1", "3.1", "4.1")}
    assert views == {"1.1": "architecture", "2.1": "workloads", "3.1": "storage",
                     "4.1": "network"}


def test_check_shows_failing_rows(minikube):
    p = ExercisePanel("2.1", cluster=minikube, diagram=False)
    p.check_button.click()
    assert p.result is not None and not p.result.passed
    assert failed_rows(p.results.value) == len(p.result.failed) > 0
    assert "✘ not yet" in p.results.value
    assert p.result.summary() in p.results.value
    assert "<th scope=\"col\">Expected</th>" in p.results.value


def test_hint_tiers(minikube):
    p = ExercisePanel("2.1", cluster=minikube, diagram=False)
    p.hint_button.click()
    assert "Hint 1 of" in p.hint_text.value
    p.hint_button.click()
    assert "Hint 2 of" in p.hint_text.value


def test_solve_runs_the_solution_and_checks_again(minikube):
    p = ExercisePanel("2.1", cluster=minikube, diagram=False)
    p.solve_button.click()
    assert "$ kubectl create deployment web" in p.transcript.value
    assert p.result.passed
    assert failed_rows(p.results.value) == 0
    assert "✔ passed" in p.results.value


def test_diagram_is_drawn_for_the_chapters_view(minikube):
    p = ExercisePanel("2.1", cluster=minikube)
    p.check()
    assert "<svg" in p.diagram.value
    assert "kubelearn-exercise-diagram" in p.diagram._dom_classes


def test_current_context_cluster_by_default():
    c = Cluster.minikube()
    c.kubectl("config use-context minikube")
    p = panel("1.2", diagram=False)
    assert p.cluster is c
    p.check()
    assert p.result.items


@dataclass(frozen=True)
class ItemWithObjects(ItemResult):
    objects: tuple = ()


def test_failing_objects_come_from_the_items(minikube):
    p = ExercisePanel("2.1", cluster=minikube, diagram=False)
    failed = ItemWithObjects("2.1/a", "a", False, 0, 1,
                             objects=("Deployment/default/web", "Service/default/web"))
    passed = ItemWithObjects("2.1/b", "b", True, 1, 1, objects=("Pod/default/x",))
    plain = ItemResult("2.1/c", "c", False, 0, 1)
    again = ItemWithObjects("2.1/d", "d", False, 0, 1, objects=("Service/default/web",))
    p.result = CheckResult("2.1", "t", (failed, passed, plain, again))
    assert p.failing_objects() == ("Deployment/default/web", "Service/default/web")


class OldCluster:
    def __init__(self):
        self.calls = []

    def diagram(self):
        self.calls.append(())
        return "plain"


class NewCluster:
    def __init__(self):
        self.calls = []

    def diagram(self, view="architecture", highlight=()):
        self.calls.append((view, highlight))
        if view == "unknown":
            raise ValueError(view)
        return "drawn"


def test_draw_uses_view_and_highlight_when_the_diagram_takes_them():
    new = NewCluster()
    assert draw(new, "network", ["Service/default/web"]) == "drawn"
    assert new.calls == [("network", ("Service/default/web",))]
    assert draw(new, "unknown", ()) == "drawn"            # falls back to the default view
    assert new.calls[-1] == ("architecture", ())
    old = OldCluster()
    assert draw(old, "storage", ("PersistentVolumeClaim/default/data",)) == "plain"
    assert old.calls == [()]


def test_a_real_check_marks_its_objects_in_the_diagram(minikube):
    """Exercise 2.1: its failing checks name the Deployment (and Service) "web"; the
    panel highlights them, and the workloads view draws the Deployment in red."""
    p = ExercisePanel("2.1", cluster=minikube)
    p.check_button.click()
    assert "Deployment/default/web" in p.highlighted
    minikube.kubectl("create deployment web --image=kubelearn/hello:1")
    p.check_button.click()
    assert "Deployment/default/web" in p.highlighted
    assert 'color=red' in minikube.diagram(view="workloads", highlight=p.highlighted).source
