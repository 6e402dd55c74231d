"""An exercise panel: the task, Check / Hint / Solve buttons, results, and a diagram.

``ExercisePanel("2.1")`` shows the task (its Markdown as HTML, with this
learner's values), and three buttons that call ``kubelearn.grading``'s
``check``, ``hint`` and ``solve`` — the same functions a learner types, so the
progress file and the hint tiers are the same whichever way they are used.
After Check (or Solve) a table lists each sub-check: ✔/✘ with words, what was
found, expected vs. actual, points. Below it, the cluster diagram for the
chapter (2 → workloads, 3 → storage, 4 → network, else architecture) marks
the objects the failing checks are about (an item's ``objects``: "Kind/ns/name"
keys, when the grading results carry them).

``cluster=None`` means the current kubectl context's cluster, looked up at each
click, as ``check()`` does. ``panel("2.1")`` is a short name for the class.
"""
from __future__ import annotations

import inspect
import re
from html import escape

import ipywidgets as widgets

from kubelearn.widgets.html import CSS, markdown, pre
from kubelearn.widgets.refresh import hub

VIEWS = {"2": "workloads", "3": "storage", "4": "network"}
DEFAULT_VIEW = "architecture"


class ExercisePanel(widgets.VBox):
    """Task, Check / Hint / Solve, a results table and the chapter's diagram."""

    def __init__(self, exercise_id: str, cluster=None, *, diagram: bool = True, **kwargs):
        from kubelearn import grading

        self.grading = grading
        self.exercise_id = exercise_id
        self._cluster = cluster
        self.show_diagram = diagram
        self.result = None
        self.highlighted: tuple[str, ...] = ()
        ex = grading.exercise(exercise_id)           # KeyError for an unknown id, at once
        self.chapter = ex.chapter
        self.view = VIEWS.get(str(ex.chapter), DEFAULT_VIEW)
        self.task = widgets.HTML(self._task_html())
        self.task.add_class("kubelearn-exercise-task")
        self.check_button = _button("Check", "check", "kubelearn-exercise-check", "primary")
        self.hint_button = _button("Hint", "lightbulb-o", "kubelearn-exercise-hint", "info")
        self.solve_button = _button("Solve", "magic", "kubelearn-exercise-solve", "warning")
        self.results = widgets.HTML()
        self.results.add_class("kubelearn-exercise-results")
        self.hint_text = widgets.HTML()
        self.hint_text.add_class("kubelearn-exercise-hint-text")
        self.transcript = widgets.HTML()
        self.transcript.add_class("kubelearn-exercise-transcript")
        self.diagram = widgets.HTML()
        self.diagram.add_class("kubelearn-exercise-diagram")
        self.check_button.on_click(lambda _b: self.check())
        self.hint_button.on_click(lambda _b: self.hint())
        self.solve_button.on_click(lambda _b: self.solve())
        super().__init__([widgets.HTML(CSS), self.task,
                          widgets.HBox([self.check_button, self.hint_button, self.solve_button]),
                          self.hint_text, self.results, self.transcript, self.diagram], **kwargs)
        self.add_class("kubelearn-exercise-panel")

    @property
    def cluster(self):
        if self._cluster is not None:
            return self._cluster
        from kubelearn.contexts import kubeconfig

        return kubeconfig().cluster()

    def _task_html(self) -> str:
        task = self.grading.task(self.exercise_id)
        values = (f"<p><small>Your own values: {escape(task.values)}.</small></p>"
                  if task.values else "")
        return (f"<h4>Exercise {escape(task.exercise_id)} · {escape(task.title)}</h4>"
                f"{markdown(task.text)}{values}")

    # -- buttons ------------------------------------------------------------------------------
    def check(self):
        cluster = self.cluster
        self.result = self.grading.check(self.exercise_id, cluster=cluster)
        self.results.value = results_html(self.result)
        self._draw(cluster)
        return self.result

    def hint(self):
        found = self.grading.hint(self.exercise_id)
        self.hint_text.value = found._repr_html_()
        return found

    def solve(self):
        cluster = self.cluster
        transcript = self.grading.solve(self.exercise_id, cluster=cluster)
        self.transcript.value = ("<details><summary>What the reference solution ran</summary>"
                                 + pre(transcript.text, "kubelearn-transcript") + "</details>")
        if cluster is not None:
            hub(cluster).flush()
        self.check()
        return transcript

    # -- diagram ------------------------------------------------------------------------------
    def failing_objects(self) -> tuple[str, ...]:
        """"Kind/ns/name" keys of what the failed checks are about (in order, once each)."""
        keys: list[str] = []
        for item in (self.result.failed if self.result is not None else ()):
            for key in getattr(item, "objects", ()) or ():
                if key not in keys:
                    keys.append(key)
        return tuple(keys)

    def _draw(self, cluster) -> None:
        self.highlighted = self.failing_objects()
        if not self.show_diagram or cluster is None:
            self.diagram.value = ""
            return
        try:
            drawing = draw(cluster, self.view, self.highlighted)
            svg = drawing.svg
        except Exception as exc:  # noqa: BLE001 - a diagram that fails must not hide results
            self.diagram.value = pre(f"(no diagram: {exc})", "kubelearn-stderr")
            return
        start = svg.find("<svg")
        self.diagram.value = (f'<figure aria-label="{escape(drawing.description)}">'
                              f"{svg[start:] if start >= 0 else svg}"
                              f"<figcaption>{escape(drawing.description)}</figcaption></figure>")

    def __repr__(self) -> str:
        return f"<ExercisePanel {self.exercise_id}>"


def draw(cluster, view: str, highlight: tuple[str, ...]):
    """``cluster.diagram(view=..., highlight=...)`` when the cluster's diagram takes them,
    else ``cluster.diagram()``."""
    try:
        params = inspect.signature(cluster.diagram).parameters
    except (TypeError, ValueError):
        params = {}
    takes_any = any(p.kind is p.VAR_KEYWORD for p in params.values())
    if takes_any or ("view" in params and "highlight" in params):
        try:
            return cluster.diagram(view=view, highlight=tuple(highlight))
        except (ValueError, KeyError):      # a view this diagram does not know
            return cluster.diagram()
    return cluster.diagram()


def results_html(result) -> str:
    """The sub-checks as a table: ✔/✘ with words, check, found, expected, actual, points."""
    rows = []
    for item in result.items:
        css = "kubelearn-check-passed" if item.passed else "kubelearn-check-failed"
        word = "passed" if item.passed else "not yet"
        hidden = " (hidden)" if item.hidden else ""
        cells = (f"{item.mark} {word}",
                 f"{item.name}{hidden}", item.message or item.description,
                 item.expected, item.actual, f"{item.points:g}/{item.max_points:g}")
        rows.append(f'<tr class="{css}" data-check="{escape(item.id)}">'
                    + "".join(f"<td>{escape(c)}</td>" for c in cells) + "</tr>")
    head = "".join(f'<th scope="col">{h}</th>' for h in
                   ("Result", "Check", "What was found", "Expected", "Actual", "Points"))
    note = f"<p>{escape(result.note)}</p>" if result.note else ""
    step = f"<p>{escape(result.next_step())}</p>" if result.next_step() else ""
    summary = f"{result.summary()} · {result.score:g}/{result.max_score:g} points"
    return (f'<p class="kubelearn-check-summary"><strong>{escape(summary)}</strong></p>{note}'
            f'<table class="kubelearn-table kubelearn-check-table"><thead><tr>{head}</tr></thead>'
            f"<tbody>{''.join(rows)}</tbody></table>{step}")


def failed_rows(html: str) -> int:
    return len(re.findall(r'<tr class="kubelearn-check-failed"', html))


def panel(exercise_id: str, cluster=None, **kwargs) -> ExercisePanel:
    """``ExercisePanel(exercise_id, cluster)``: the panel for one exercise."""
    return ExercisePanel(exercise_id, cluster, **kwargs)


def _button(text: str, icon: str, css: str, style: str) -> widgets.Button:
    button = widgets.Button(description=text, icon=icon, button_style=style)
    button.add_class(css)
    return button
