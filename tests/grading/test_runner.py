"""The instructor's runner: re-run a notebook in a fresh kernel and grade its cluster.

These tests start real Jupyter kernels (ipykernel + nbclient, from the dev
extra), a few seconds each.
"""
import json
import textwrap

import pytest

try:
    import nbformat
    from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook
    import nbclient  # noqa: F401
    HAVE_NBCLIENT = True
except ImportError:
    HAVE_NBCLIENT = False

from kubelearn.grading.runner import MARKER, grade_notebook

pytestmark = pytest.mark.skipif(
    not HAVE_NBCLIENT, reason="nbclient/nbformat are not installed: pip install -e '.[dev]'")

# A course module the grading kernel imports (the notebook's folder is its working
# directory): one public and one hidden check.
COURSE = textwrap.dedent('''
    from kubelearn.grading.checks import field_equals, label_equals
    from kubelearn.grading.model import Check, Exercise

    EXERCISES = [Exercise(
        id="91.1", title="Settings",
        checks=(
            Check("mode", "settings has mode=fast", 1,
                  field_equals("ConfigMap", "settings", "data.mode", "fast")),
            Check("team", "settings belongs to team blue", 2,
                  label_equals("ConfigMap", "settings", "team", "blue"), hidden=True),
        ),
        solution=("label configmap settings team=blue",),
    )]
''')
SETTINGS = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  mode: fast\n"


def write(folder, name, *sources, chapter=None):
    nb = new_notebook(cells=[new_markdown_cell("# Chapter 91")] +
                      [new_code_cell(src) for src in sources])
    if chapter is not None:
        nb.metadata["kubelearn"] = {"chapter": chapter}
    path = folder / name
    nbformat.write(nb, path)
    return path


@pytest.fixture
def folder(tmp_path):
    (tmp_path / "sample_course.py").write_text(COURSE)
    (tmp_path / "settings.yaml").write_text(SETTINGS)
    return tmp_path


def test_a_notebook_that_does_nothing_scores_zero(folder):
    path = write(folder, "empty.ipynb", "# nothing done yet", chapter="91")
    report = grade_notebook(path, exercise_modules=("sample_course",))
    assert (report["status"], report["error"], report["learner_errors"]) == ("ok", None, [])
    assert (report["total"], report["max"]) == (0, 3)
    items = report["exercises"]["91.1"]["items"]
    assert [i["id"] for i in items] == ["91.1/mode", "91.1/team"]
    assert {i["message"] for i in items} == {"not checked: no cluster is running in this notebook"}
    json.dumps(report)  # a report is JSON all the way down


def test_a_solved_notebook_scores_full_marks_and_learner_errors_are_reported(folder):
    path = write(
        folder, "solved.ipynb",
        "from kubelearn import Cluster\ncluster = Cluster()",
        "print(undefined_name)",
        "%load_ext kubelearn",
        "%%kubectl apply -f -\n" + SETTINGS,
        # the working directory is the notebook's folder
        'cluster.kubectl("apply -f -", stdin=open("settings.yaml").read())',
        'cluster.kubectl("label configmap settings team=blue")')
    report = grade_notebook(path, chapter="91", exercise_modules=("sample_course",))
    assert (report["status"], report["error"]) == ("ok", None)
    assert (report["total"], report["max"]) == (3, 3)
    entry = report["exercises"]["91.1"]
    assert (entry["score"], entry["max"], entry["passed"], entry["solved_with_help"]) == \
        (3, 3, True, False)
    assert [i["passed"] for i in entry["items"]] == [True, True]
    assert report["learner_errors"] == [
        {"cell": 3, "ename": "NameError", "evalue": "name 'undefined_name' is not defined"}]


def test_solve_in_the_notebook_is_reported(folder):
    path = write(folder, "helped.ipynb",
                 "import sample_course\nfrom kubelearn.grading import register, solve\n"
                 "register(*sample_course.EXERCISES)",
                 "from kubelearn import Cluster\ncluster = Cluster()",
                 'cluster.apply(open("settings.yaml").read())',
                 'solve("91.1")')
    report = grade_notebook(path, chapter="91", exercise_modules=("sample_course",))
    assert report["status"] == "ok" and report["total"] == 3
    assert report["exercises"]["91.1"]["solved_with_help"] is True


def test_a_notebook_that_runs_too_long_is_graded_as_it_stood(folder):
    path = write(folder, "slow.ipynb",
                 "from kubelearn import Cluster\ncluster = Cluster()\n"
                 'cluster.apply(open("settings.yaml").read())',
                 "import time\ntime.sleep(60)",
                 'cluster.kubectl("label configmap settings team=blue")')
    report = grade_notebook(path, chapter="91", timeout=6, exercise_modules=("sample_course",))
    assert report["status"] == "timeout"
    assert report["error"] == ("the notebook did not finish within 6 s (cell 3 was still running); "
                               "the cluster was graded as it stood")
    assert report["learner_errors"] == [{"cell": 3, "ename": "KeyboardInterrupt", "evalue": ""}]
    assert (report["total"], report["max"]) == (1, 3)  # the label cell never ran


def test_an_unreadable_notebook_is_an_error_not_an_exception(tmp_path):
    path = tmp_path / "broken.ipynb"
    path.write_text("{ this is not json")
    report = grade_notebook(path, chapter="91")
    assert report["status"] == "error"
    assert report["error"].startswith("could not read broken.ipynb: ")
    assert (report["exercises"], report["total"]) == ({}, 0)


def test_a_missing_course_module_is_reported(folder):
    path = write(folder, "empty.ipynb", "x = 1", chapter="91")
    report = grade_notebook(path, exercise_modules=("no_such_course",))
    assert report["status"] == "error"
    assert report["error"] == "grading failed: ModuleNotFoundError: No module named 'no_such_course'"


def test_marker_is_a_single_token():
    assert " " not in MARKER and MARKER.endswith(":")


# A variant exercise: the mode each learner must set comes from their id.
VARIANT_COURSE = textwrap.dedent('''
    from kubelearn.grading.checks import field_equals
    from kubelearn.grading.model import Check, Exercise
    from kubelearn.grading.variants import variant_exercise

    def build(p):
        return Exercise(id="92.1", title="Mode", task=f"Give settings the mode {p['mode']}.",
                        checks=(Check("mode", "settings has the mode", 1,
                                      field_equals("ConfigMap", "settings", "data.mode",
                                                   p["mode"])),))

    EXERCISES = [variant_exercise(build, {"mode": "fast"},
                                  lambda rng: {"mode": rng.choice(["slow", "eager", "lazy"])})]
''')


def test_kernel_env_marks_a_grading_run_and_passes_only_the_given_learner(monkeypatch):
    from kubelearn.grading.runner import _kernel_env

    monkeypatch.setenv("KUBELEARN_LEARNER", "the-instructor")
    env = _kernel_env()
    assert env["KUBELEARN_GRADING"] == "1" and "KUBELEARN_LEARNER" not in env
    assert _kernel_env(" alice ")["KUBELEARN_LEARNER"] == "alice"
    assert "KUBELEARN_LEARNER" not in _kernel_env("  ")
    monkeypatch.setenv("KUBELEARN_HOME", "/the/instructors/home")
    assert _kernel_env(home="/tmp/kernel-home")["KUBELEARN_HOME"] == "/tmp/kernel-home"


def test_a_graded_notebook_writes_into_a_home_of_its_own(tmp_path, learner_home):
    """What a notebook writes to its kubelearn home (chapter 5: the kubeconfig) stays
    out of the grader's home."""
    nb = new_notebook(cells=[new_code_cell(
        "import os, pathlib\n"
        "home = pathlib.Path(os.environ['KUBELEARN_HOME'])\n"
        "(home / 'kube').mkdir(parents=True, exist_ok=True)\n"
        "(home / 'kube' / 'config').write_text('written by the notebook')")])
    nb.metadata["kubelearn"] = {"chapter": "1"}
    path = tmp_path / "nb.ipynb"
    nbformat.write(nb, path)
    report = grade_notebook(path, "1", timeout=60)
    assert report["status"] == "ok" and report["learner_errors"] == []
    assert not (learner_home / "kube").exists()


def test_a_variant_is_graded_for_the_given_learner_and_no_progress_is_written(
        tmp_path, learner_home, monkeypatch):
    import random

    from kubelearn.grading.variants import seed

    (tmp_path / "variant_course.py").write_text(VARIANT_COURSE)
    alices = random.Random(seed("alice", "92.1")).choice(["slow", "eager", "lazy"])
    monkeypatch.setenv("KUBELEARN_LEARNER", "the-instructor")   # must not leak into the kernel
    path = write(tmp_path, "alice.ipynb",
                 "import variant_course\nfrom kubelearn.grading import check, register, "
                 "set_learner\nregister(*variant_course.EXERCISES)",
                 "set_learner('bob')   # a notebook cannot grade itself as someone else",
                 "from kubelearn import Cluster\ncluster = Cluster()",
                 f'cluster.kubectl("create configmap settings --from-literal=mode={alices}")',
                 'check("92.1")')
    graded = grade_notebook(path, chapter="92", exercise_modules=("variant_course",),
                            learner="alice")
    assert graded["status"] == "ok" and graded["learner_errors"] == []
    assert (graded["total"], graded["max"]) == (1, 1)
    as_default = grade_notebook(path, chapter="92", exercise_modules=("variant_course",))
    assert (as_default["total"], as_default["max"]) == (0, 1)
    assert as_default["exercises"]["92.1"]["items"][0]["expected"] == "fast"
    assert list(learner_home.iterdir()) == []        # the grader's progress file is untouched
