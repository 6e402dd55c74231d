"""``kubelearn validate``: every solution earns full marks, every starting state none.

The engine level runs for the whole course (under a second); the notebook
level grades chapter 1's two notebooks only (a kernel each, a few seconds).
"""
import pytest

from kubelearn import Cluster, cli
from kubelearn.grading import validate
from kubelearn.grading.checks import field_equals
from kubelearn.grading.model import Check, Exercise
from kubelearn.grading.registry import REGISTRY

try:
    import nbclient  # noqa: F401
    HAVE_NBCLIENT = True
except ImportError:
    HAVE_NBCLIENT = False

SETTINGS = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  mode: {}\n"


def settings_exercise(solution_mode="fast", setup_mode=None) -> Exercise:
    return Exercise(
        id="93.1", chapter="93", title="Settings",
        checks=(Check("mode", "settings has mode=fast", 1,
                      field_equals("ConfigMap", "settings", "data.mode", "fast")),
                Check("hidden-mode", "still fast at grading time", 1,
                      field_equals("ConfigMap", "settings", "data.mode", "fast"), hidden=True)),
        setup=(("apply -f -", SETTINGS.format(setup_mode)),) if setup_mode else (),
        solution=(("apply -f -", SETTINGS.format(solution_mode)),))


def test_every_course_exercise_passes_at_engine_level_and_the_table_says_so():
    findings = validate.engine_level()
    assert findings and all(f.ok for f in findings), validate.table(findings)
    ids = {f.exercise_id for f in findings}
    assert set(REGISTRY.ids()) <= ids
    assert any(i.startswith("2.1 [") for i in ids)          # a drawn variant is tried too
    lines = validate.table(findings)
    assert lines[0].split() == ["exercise", "engine:", "setup", "engine:", "solution"]
    assert lines[1].split() == ["1.1", "✔", "0/3", "✔", "3/3"]
    assert lines[-1].startswith("✔ every exercise")


def test_a_wrong_solution_and_a_free_start_are_found():
    with REGISTRY.temporary(settings_exercise(solution_mode="slow", setup_mode="fast")):
        findings = validate.engine_level("93")
    setup, solution = findings
    assert (setup.ok, setup.score, solution.ok, solution.score) == (False, 2, False, 0)
    assert setup.why == ("the starting state already earns points (93.1/mode passed; "
                         "93.1/hidden-mode passed)")
    assert solution.why.startswith("the reference solution misses points (93.1/mode: ")
    lines = validate.table(findings)
    assert lines[1].split() == ["93.1", "✘", "2/2", "✘", "0/2"]
    assert lines[3] == "2 problems:"
    assert lines[4].startswith("  ✘ 93.1 engine: setup: the starting state already earns")


def test_the_command_exits_1_when_an_exercise_is_broken(capsys):
    with REGISTRY.temporary(settings_exercise(solution_mode="slow")):
        assert cli.main(["validate", "--engine-only", "--chapter", "93"]) == 1
    out = capsys.readouterr().out
    assert "93.1" in out and "1 problem:" in out
    assert cli.main(["validate", "--engine-only", "--chapter", "1"]) == 0


def test_chapter_clusters_match_the_notebooks():
    assert validate.new_cluster("1").api is not None
    four = validate.new_cluster("04")
    assert [n["metadata"]["name"] for n in four.api.list("Node")] == ["minikube"]
    assert validate.CHAPTER_CLUSTERS["2"] == Cluster.minikube


@pytest.mark.skipif(not HAVE_NBCLIENT, reason="nbclient is not installed")
def test_chapter_1_notebooks_solution_full_marks_starter_zero(capsys):
    findings = validate.notebook_level("1", jobs=2)
    assert {f.level for f in findings} == {"starter", "solved notebook"}
    assert len(findings) == 2 * len(REGISTRY.ids("1"))
    assert all(f.ok for f in findings), validate.table(findings)


def test_a_missing_notebook_is_a_finding(tmp_path):
    findings = validate.notebook_level("1", root=tmp_path)
    assert findings and not any(f.ok for f in findings)
    assert findings[0].why.endswith("solutions/01-introduction.ipynb not found")
