"""Registering and looking up exercises."""
import importlib
from pathlib import Path

import pytest

from kubelearn.grading import registry
from kubelearn.grading.model import Check, Exercise, Outcome
from kubelearn.grading.registry import REGISTRY, Registry, chapter_key, id_key


def ex(exercise_id, chapter=None):
    return Exercise(exercise_id, f"exercise {exercise_id}", chapter=chapter or "",
                    checks=(Check("ok", "always", 1, lambda c: Outcome(True)),))


def test_lookup_and_order():
    reg = Registry(package=None)
    reg.register(ex("2.10"), ex("2.2"), ex("1.1"), ex("10.1"))
    assert reg.ids() == ["1.1", "2.2", "2.10", "10.1"]
    assert reg.exercise("2.2").title == "exercise 2.2"


def test_unknown_id_is_misuse_and_lists_known_ids():
    reg = Registry(package=None)
    reg.register(ex("1.2"), ex("1.1"))
    with pytest.raises(KeyError) as info:
        reg.exercise("1.3")
    assert info.value.args[0] == 'there is no exercise "1.3"; known exercises: 1.1, 1.2'
    with pytest.raises(KeyError, match="none are registered yet"):
        Registry(package=None).exercise("1.1")


def test_an_id_cannot_be_taken_twice_unless_replaced():
    reg = Registry(package=None)
    first, second = ex("1.1"), ex("1.1")
    reg.register(first)
    reg.register(first)  # the same object again is harmless (a re-run import)
    with pytest.raises(ValueError, match='"1.1" is already registered'):
        reg.register(second)
    reg.register(second, replace=True)
    assert reg.exercise("1.1") is second
    with pytest.raises(TypeError):
        reg.register("1.1")


def test_chapters():
    reg = Registry(package=None)
    reg.register(ex("1.1"), ex("2.1"), ex("2.2"), ex("x.1", chapter="2"))
    for name in (2, "2", "02", "ch02", "ch2"):
        assert reg.ids(name) == ["2.1", "2.2", "x.1"]
    assert reg.ids("3") == []
    assert [chapter_key(c) for c in (1, "01", "ch1", "ex01", "intro")] == ["1", "1", "1", "1", "intro"]
    assert id_key("1.10") > id_key("1.9")


def test_temporary_registration_is_undone():
    reg = Registry(package=None)
    reg.register(ex("1.1"))
    replacement = ex("1.1")
    with reg.temporary(replacement, ex("1.2")):
        assert reg.ids() == ["1.1", "1.2"] and reg.exercise("1.1") is replacement
    assert reg.ids() == ["1.1"] and reg.exercise("1.1") is not replacement
    reg.unregister("1.1")
    assert reg.ids() == []


def test_the_course_chapters_load():
    ch01 = importlib.import_module("kubelearn.grading.exercises.ch01")
    assert isinstance(ch01.EXERCISES, list)
    assert all(isinstance(e, Exercise) for e in ch01.EXERCISES)
    reg = Registry()
    assert reg.ids() == sorted((e.id for e in reg.exercises()), key=id_key)
    assert set(reg.ids()) >= {e.id for e in ch01.EXERCISES}


def test_module_functions_use_the_shared_registry(samples):
    assert registry.exercise("90.1") is samples[0]
    assert [e.id for e in registry.exercises("90")] == ["90.1", "90.2"]


def test_each_chapter_names_its_exercise_notebook():
    import nbformat

    root = Path(__file__).resolve().parents[2]
    chapters = sorted({ex.chapter for ex in REGISTRY.exercises()}, key=int)
    assert chapters == ["1", "2", "3", "4", "5"]
    for chapter in chapters:
        notebook = REGISTRY.notebook(chapter)
        assert notebook.startswith("exercises/") and (root / notebook).exists(), notebook
        assert nbformat.read(root / notebook, as_version=4).metadata["kubelearn"]["chapter"] == \
            chapter
    assert REGISTRY.notebook("ch02") == REGISTRY.notebook("2")
    assert REGISTRY.notebook("99") == ""
