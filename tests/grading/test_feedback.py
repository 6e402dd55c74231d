"""What progress(), task() and set_learner() hand back: plain text and escaped HTML."""
from kubelearn.grading.feedback import Notice, Progress, ProgressRow, Task

ROWS = (ProgressRow("2", "2.1", "Deploy <and> expose", "passed", "6/6 points"),
        ProgressRow("2", "2.2", "Scale", "partly", "1/3 points"),
        ProgressRow("3", "3.1", "Volumes", "not yet", "0/5 points"),
        ProgressRow("3", "3.2", "hostPath", "not tried"),
        ProgressRow("3", "3.3", "Claims", "solved with help", "4/4 points"))
NOTEBOOKS = (("2", "exercises/02-kubernetes-in-action.ipynb"), ("3", ""))


def progress(note=""):
    return Progress(ROWS, NOTEBOOKS, 'Next: exercise 2.2 "Scale" — check("2.2")', note)


def test_progress_text_groups_exercises_by_chapter_in_aligned_columns():
    assert repr(progress()).splitlines() == [
        "Chapter 2 · exercises/02-kubernetes-in-action.ipynb",
        "  2.1  Deploy <and> expose  ✔ passed            6/6 points",
        "  2.2  Scale                ◐ partly            1/3 points",
        "Chapter 3",
        "  3.1  Volumes              ✘ not yet           0/5 points",
        "  3.2  hostPath             · not tried",
        "  3.3  Claims               ✔ solved with help  4/4 points",
        "1 of 5 exercises passed · 1 partly · 1 not yet · 1 solved with help · 1 not tried.",
        'Next: exercise 2.2 "Scale" — check("2.2")',
    ]


def test_progress_note_comes_first_and_html_is_escaped():
    assert repr(progress("The file was replaced.")).splitlines()[0] == "The file was replaced."
    html = progress("<b>note</b>")._repr_html_()
    assert "&lt;b&gt;note&lt;/b&gt;" in html and "Deploy &lt;and&gt; expose" in html
    assert html.count('scope="colgroup"') == 2 and html.count('scope="row"') == 5
    assert "<caption>Your progress: 1 of 5 exercises passed" in html
    assert repr(Progress(())) == "No exercises are registered yet."


def test_task_and_notice_render_code_spans():
    task = Task("2.1", "Deploy", "Create `site` with 3 replicas.", "name=site, replicas=3")
    assert repr(task) == ("Exercise 2.1 · Deploy\n\nCreate `site` with 3 replicas.\n\n"
                          "(Your own values: name=site, replicas=3.)")
    assert "<code>site</code>" in task._repr_html_()
    assert "Your own values" not in repr(Task("2.1", "Deploy", "text"))
    notice = Notice("Use `task(\"2.1\")` <now>")
    assert repr(notice) == 'Use `task("2.1")` <now>'
    assert notice._repr_html_() == ('<p class="kubelearn-notice">Use '
                                    "<code>task(&quot;2.1&quot;)</code> &lt;now&gt;</p>")
