"""``kubelearn grade``: a folder of submissions in, CSVs, feedback and a summary out.

Most tests here are fast (discovery, learner ids, the writers on made-up
reports). One test grades a real class folder with real kernels — a small
custom chapter (91) for speed, plus one copy of a course solution — twice,
about 20 s each on two cores
(one notebook loops until its 10 s are up).
"""
import csv
import shutil
import textwrap
from pathlib import Path

import pytest

from kubelearn import cli
from kubelearn.grading import classroom, reports
from kubelearn.grading.registry import REGISTRY
from kubelearn.grading.classroom import Graded, Submission, SubmissionError, discover, learner_id

try:
    import nbformat
    from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook
    import nbclient  # noqa: F401
    HAVE_NBCLIENT = True
except ImportError:
    HAVE_NBCLIENT = False

needs_kernels = pytest.mark.skipif(
    not HAVE_NBCLIENT, reason="nbclient/nbformat are not installed: pip install -e '.[dev]'")

REPO = Path(__file__).resolve().parents[2]

# Chapter 91: a public check with a recognised misconception, and a hidden check
# whose code must never reach the feedback.
COURSE = textwrap.dedent('''
    from kubelearn.grading.checks import field_equals, label_equals
    from kubelearn.grading.model import Check, Exercise, Misconception

    def _mode_missing(cluster, outcome):
        return outcome.actual == "ConfigMap not found"

    EXERCISES = [Exercise(
        id="91.1", chapter="91", title="Settings",
        checks=(
            Check("mode", "settings has mode=fast", 1,
                  field_equals("ConfigMap", "settings", "data.mode", "fast"),
                  misconceptions=(Misconception("no-settings", "create the ConfigMap first",
                                                _mode_missing),)),
            Check("team", "settings belongs to team blue", 2,
                  label_equals("ConfigMap", "settings", "team", "blue"), hidden=True),
        ),
        solution=("create configmap settings --from-literal=mode=fast",
                  "label configmap settings team=blue"),
    )]
''')
START = "from kubelearn import Cluster\ncluster = Cluster()"
MODE = 'cluster.kubectl("create configmap settings --from-literal=mode=fast")'
TEAM = 'cluster.kubectl("label configmap settings team=blue")'


def write(path, *sources, **meta):
    nb = new_notebook(cells=[new_markdown_cell("# Chapter 91")] +
                      [new_code_cell(src) for src in sources])
    nb.metadata["kubelearn"] = {"chapter": "91", **meta}
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, path)
    return path


def raw(path, metadata=None):
    """A minimal notebook file without nbformat (for the fast tests)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text('{"cells": [], "metadata": %s, "nbformat": 4, "nbformat_minor": 5}'
                    % ("{}" if metadata is None else metadata))
    return path


# -- whose notebook ---------------------------------------------------------------------------

def test_learner_ids_come_from_metadata_then_folder_then_file_name(tmp_path):
    raw(tmp_path / "alice.ipynb")
    raw(tmp_path / "bob" / "02-kubernetes-in-action.ipynb")
    raw(tmp_path / "x.ipynb", '{"kubelearn": {"learner": " Carol ", "chapter": "2"}}')
    raw(tmp_path / "y.ipynb", '{"kubelearn": {"learner_id": "dan"}}')
    raw(tmp_path / "group" / "erin.ipynb")
    raw(tmp_path / "02-kubernetes-in-action.ipynb")          # at the top: the file name
    raw(tmp_path / ".ipynb_checkpoints" / "alice-checkpoint.ipynb")
    found, skipped = discover(tmp_path)
    assert [(s.learner, s.notebook, s.chapter) for s in found] == [
        ("02-kubernetes-in-action", "02-kubernetes-in-action.ipynb", None),
        ("alice", "alice.ipynb", None),
        ("bob", "bob/02-kubernetes-in-action.ipynb", None),
        ("Carol", "x.ipynb", "2"),
        ("dan", "y.ipynb", None),
        ("erin", "group/erin.ipynb", None)]
    assert skipped == []
    assert learner_id(tmp_path / "alice.ipynb", tmp_path, {"learner": 7}) == "7"


def test_a_notebook_that_set_another_learner_id_gets_a_note(tmp_path):
    cells = ('[{"cell_type": "code", "source": ["from kubelearn.grading import set_learner\\n",'
             ' "set_learner(\'Bob\')"], "metadata": {}, "outputs": [], "execution_count": null},'
             ' {"cell_type": "code", "source": "set_learner(\\"alice\\")", "metadata": {},'
             ' "outputs": [], "execution_count": null}]')
    path = tmp_path / "alice.ipynb"
    path.write_text('{"cells": %s, "metadata": {}, "nbformat": 4, "nbformat_minor": 5}' % cells)
    assert classroom.set_learner_ids(classroom._read(path)) == ["bob", "alice"]
    [sub], _ = discover(tmp_path)
    assert sub.notes == ('the notebook calls set_learner("bob") but is graded as learner "alice"; '
                         "exercises with per-learner values are graded on alice's",)
    assert classroom._job(sub, 5, ())["learner"] == "alice"
    [sub], _ = discover(tmp_path, own_values=False)
    assert sub.notes == () and classroom._job(sub, 5, ())["learner"] is None


def test_two_notebooks_of_one_learner_are_refused_with_the_advice(tmp_path):
    raw(tmp_path / "alice" / "01-introduction.ipynb", '{"kubelearn": {"chapter": "1"}}')
    raw(tmp_path / "alice" / "02-kubernetes-in-action.ipynb", '{"kubelearn": {"chapter": "2"}}')
    raw(tmp_path / "Alice.ipynb", '{"kubelearn": {"chapter": "2"}}')
    with pytest.raises(SubmissionError) as err:
        discover(tmp_path)
    assert str(err.value) == (
        "more than one notebook per learner:\n"
        "  Alice: Alice.ipynb, alice/01-introduction.ipynb, alice/02-kubernetes-in-action.ipynb\n"
        "give each notebook its own learner id (file or folder name, or "
        "metadata.kubelearn.learner), or grade one chapter at a time with --chapter N")
    (tmp_path / "Alice.ipynb").unlink()
    found, skipped = discover(tmp_path, chapter="02")       # one chapter: no clash
    assert [(s.learner, s.chapter) for s in found] == [("alice", "2")]
    assert skipped == ["alice/01-introduction.ipynb (chapter 1)"]


def test_a_missing_or_empty_folder_is_a_submission_error(tmp_path):
    with pytest.raises(SubmissionError, match="is not a folder"):
        discover(tmp_path / "nope")
    with pytest.raises(SubmissionError, match=r"no notebooks \(\*\.ipynb\) in "):
        discover(tmp_path)


# -- the writers, on made-up reports -------------------------------------------------------------

def item(check, passed, points, max_points, hidden=False, **extra):
    return {"id": check, "description": f"about {check}", "passed": passed, "points": points,
            "max_points": max_points, "hidden": hidden, "message": extra.get("message", "m"),
            "expected": extra.get("expected", ""), "actual": extra.get("actual", ""),
            **({"misconception": extra["misconception"]} if "misconception" in extra else {})}


def graded(learner, items, status="ok", errors=(), error=None):
    score = sum(i["points"] for i in items)
    top = sum(i["max_points"] for i in items)
    report = {"exercises": {"90.10": {"title": "T", "score": 0, "max": 0, "items": []},
                            "90.2": {"title": "Two", "score": score, "max": top,
                                     "solved_with_help": False, "note": "", "items": items}},
              "total": score, "max": top, "status": status, "error": error,
              "learner_errors": list(errors)}
    return Graded(Submission(learner, Path(f"{learner}.ipynb"), f"{learner}.ipynb", "90"), report)


def test_wide_and_long_csv_and_the_summary_on_reports_with_and_without_misconceptions():
    class_ = [graded("ann", [item("90.2/a", True, 1.5, 1.5), item("90.2/b", False, 0, 1, True,
                                                                   misconception="m-1")]),
              graded("bob", [item("90.2/a", False, 0, 1.5), item("90.2/b", False, 0, 1, True)],
                     status="timeout", error="too slow")]
    assert reports.wide_csv(class_) == (
        "learner,notebook,status,total,max,90.2,90.10\n"
        "ann,ann.ipynb,ok,1.5,2.5,1.5,0\n"
        "bob,bob.ipynb,timeout,0,2.5,0,0\n")
    rows = list(csv.reader(reports.long_csv(class_).splitlines()))
    assert rows[0] == reports.LONG_HEAD
    assert rows[1:3] == [["ann", "90.2", "90.2/a", "false", "true", "1.5", "1.5", "", "", "m", ""],
                         ["ann", "90.2", "90.2/b", "true", "false", "0", "1", "", "", "m", "m-1"]]
    assert reports.summary(class_) == [
        "2 notebooks graded: 1 ok, 1 timeout",
        "  bob (bob.ipynb): timeout: too slow",
        "Checks failed, most failed first:",
        "  90.2/b  failed by 2 of 2",
        "  90.2/a  failed by 1 of 2",
        "Misconceptions recognised:",
        "  m-1  1 learner"]
    assert reports.long_path("out/grades.csv") == Path("out/grades-long.csv")


def test_feedback_escapes_learner_text_in_markdown_and_html():
    g = graded("eve", [item("90.2/a", False, 0, 1, True, message="<script>x</script> | y",
                            expected="a`b", actual="<b>")],
               errors=[{"cell": 3, "ename": "ValueError", "evalue": "<img src=x>"}])
    md = reports.feedback_markdown(g)
    assert "| ✘ not yet | a (hidden): about 90.2/a | &lt;script&gt;x&lt;/script&gt; \\| y | " \
           "`` a`b `` | `<b>` | 0/1 |" in md
    assert "- cell 3: ValueError: &lt;img src=x&gt;" in md
    html = reports.feedback_html(g)
    assert "<script>" not in html and "<img" not in html and "<b>" not in html
    assert "&lt;script&gt;x&lt;/script&gt; | y" in html
    assert "<li>cell 3: ValueError: &lt;img src=x&gt;</li>" in html


def test_grade_all_keeps_the_submission_order_and_reports_progress(tmp_path):
    import io

    subs = [Submission(n, tmp_path / f"{n}.ipynb", f"{n}.ipynb") for n in ("a", "b", "c")]

    def fake(sub, timeout, modules, path):
        return {"exercises": {}, "total": 1, "max": 2, "status": "ok", "learner_errors": []}
    out = io.StringIO()
    result = classroom.grade_all(subs, jobs=3, progress=out, grade=fake)
    assert [g.learner for g in result] == ["a", "b", "c"]
    lines = out.getvalue().splitlines()     # in the order they finished
    assert [line.split()[1] for line in lines] == ["1/3", "2/3", "3/3"]
    assert sorted(line.split()[2] for line in lines) == ["a", "b", "c"]
    assert all(line.endswith("  ok  1/2") for line in lines)


# -- the command, with real kernels ---------------------------------------------------------------

def make_class(root: Path) -> Path:
    root.mkdir()
    (root / "sample_course.py").write_text(COURSE)
    write(root / "ann.ipynb", START, MODE, TEAM)                                   # solved
    write(root / "bob.ipynb", "# your answer here")                                # untouched
    write(root / "carol.ipynb", START, MODE)                                       # half done
    write(root / "dave.ipynb", START, MODE, "raise ValueError('oops')", TEAM)      # raises
    write(root / "submission-5.ipynb", START, "while True:\n    pass", TEAM,       # loops
          learner="Eve")
    (root / "frank").mkdir()                                                      # a real one
    shutil.copy(REPO / "solutions" / "04-networking.ipynb", root / "frank" / "04-networking.ipynb")
    return root


# Long enough for every other notebook on a busy 2-core CI machine (each takes 1-2 s alone).
TIMEOUT = 10


def run_grade(folder, out, capsys, jobs):
    code = cli.main(["grade", str(folder), "--out", str(out), "--jobs", str(jobs),
                     "--timeout", str(TIMEOUT), "--exercises", "sample_course"])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@needs_kernels
@pytest.mark.slow
def test_grading_a_class_folder(tmp_path, capsys):
    folder = make_class(tmp_path / "submissions")
    out = tmp_path / "results" / "grades.csv"
    code, stdout, stderr = run_grade(folder, out, capsys, jobs=3)
    assert code == 1, stdout + stderr                      # Eve's notebook timed out

    assert out.read_text() == (
        "learner,notebook,status,total,max,4.1,4.2,4.3,4.4,4.5,91.1\n"
        "ann,ann.ipynb,ok,3,3,,,,,,3\n"
        "bob,bob.ipynb,ok,0,3,,,,,,0\n"
        "carol,carol.ipynb,ok,1,3,,,,,,1\n"
        "dave,dave.ipynb,ok,3,3,,,,,,3\n"
        "Eve,submission-5.ipynb,timeout,0,3,,,,,,0\n"
        "frank,frank/04-networking.ipynb,ok,29,29,7,5,5,7,5,\n"), stdout + stderr

    rows = list(csv.DictReader((tmp_path / "results" / "grades-long.csv").open()))
    chapter_4 = sum(len(ex.checks) for ex in REGISTRY.exercises("4"))
    assert len(rows) == 5 * 2 + chapter_4     # ann to Eve: two checks each; frank: chapter 4
    eve_mode = next(r for r in rows if r["learner"] == "Eve" and r["check"] == "91.1/mode")
    assert (eve_mode["passed"], eve_mode["misconception"], eve_mode["actual"]) == \
        ("false", "no-settings", "ConfigMap not found")
    carol_team = next(r for r in rows if r["learner"] == "carol" and r["check"] == "91.1/team")
    assert (carol_team["hidden"], carol_team["passed"], carol_team["points"],
            carol_team["max_points"], carol_team["expected"]) == \
        ("true", "false", "0", "2", "team=blue")

    feedback = tmp_path / "results" / "feedback"
    assert sorted(p.name for p in feedback.iterdir()) == sorted(
        f"{n}.{ext}" for n in ("ann", "bob", "carol", "dave", "Eve", "frank")
        for ext in ("md", "html"))
    carol = (feedback / "carol.md").read_text()
    assert "| ✘ not yet | team (hidden): settings belongs to team blue |" in carol
    assert "`team=blue` | `(no such label)` | 0/2 |" in carol
    for text in (carol, (feedback / "carol.html").read_text()):
        assert "label_equals" not in text and "field_equals" not in text   # never the code
    assert "- cell 4: ValueError: oops" in (feedback / "dave.md").read_text()
    assert f"did not finish within {TIMEOUT} s (cell 3 was still running)" in \
        (feedback / "Eve.html").read_text()

    assert "graded 6/6" in stderr
    assert stdout.splitlines()[:6] == [
        "6 notebooks graded: 5 ok, 1 timeout",
        f"  Eve (submission-5.ipynb): timeout: the notebook did not finish within {TIMEOUT} s (cell 3 "
        "was still running); the cluster was graded as it stood",
        "Checks failed, most failed first:",
        "  91.1/team  failed by 3 of 5",
        "  91.1/mode  failed by 2 of 5",
        "Misconceptions recognised:"]
    assert "  no-settings  1 learner" in stdout

    # Again, with another number of jobs: the same bytes.
    def files():
        return {p.relative_to(tmp_path).as_posix(): p.read_bytes()
                for p in sorted((tmp_path / "results").rglob("*")) if p.is_file()}
    first = files()
    assert len(first) == 2 + 12
    code, _, _ = run_grade(folder, out, capsys, jobs=2)
    assert code == 1
    assert files() == first
