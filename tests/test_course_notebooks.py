"""The course's exercise notebooks grade as they should: untouched → 0, solved → full marks.

Each notebook is executed headless in a fresh kernel by the same runner the
instructor's grading uses (hidden checks included), so this also proves that
the starter notebooks run without errors and that every reference solution
still satisfies every check.
"""
from pathlib import Path

import pytest

from kubelearn.grading.runner import grade_notebook

ROOT = Path(__file__).resolve().parent.parent
CHAPTERS = sorted(p.name for p in (ROOT / "exercises").glob("*.ipynb"))


@pytest.mark.parametrize("name", CHAPTERS)
def test_untouched_exercise_notebook_scores_zero(name):
    report = grade_notebook(ROOT / "exercises" / name)
    assert report["status"] == "ok", report
    assert report["learner_errors"] == []
    assert report["max"] > 0
    assert report["total"] == 0, report["exercises"]


@pytest.mark.parametrize("name", CHAPTERS)
def test_solution_notebook_scores_full_marks(name):
    report = grade_notebook(ROOT / "solutions" / name)
    assert report["status"] == "ok", report
    assert report["learner_errors"] == []
    assert report["total"] == report["max"] > 0, report["exercises"]
    assert set(report["exercises"]) == set(
        grade_notebook_ids(ROOT / "exercises" / name))


def grade_notebook_ids(path):
    """The exercise ids a chapter notebook is graded on (its metadata names the chapter)."""
    import nbformat

    from kubelearn.grading.registry import exercises

    chapter = nbformat.read(path, as_version=4).metadata["kubelearn"]["chapter"]
    return [ex.id for ex in exercises(chapter)]


def test_every_chapter_has_exercises_and_solutions():
    assert CHAPTERS, "no exercise notebooks found"
    for name in CHAPTERS:
        assert (ROOT / "solutions" / name).exists(), f"solutions/{name} is missing"
