"""Where exercises are registered and looked up by id.

Chapters declare their exercises as data in ``kubelearn/grading/exercises/
chNN.py`` (a module-level ``EXERCISES`` list); they are loaded the first time
anything is looked up, in module-name order. Looking up an id nobody
registered is a mistake in the notebook, not a wrong answer, so it raises a
``KeyError`` whose message lists the ids that do exist.
"""
from __future__ import annotations

import importlib
import pkgutil
from contextlib import contextmanager

from kubelearn.grading.model import Exercise

BUILTIN_PACKAGE = "kubelearn.grading.exercises"


def id_key(exercise_id: str) -> tuple:
    """Sort ``1.2`` before ``1.10``: numeric parts as numbers, the rest as text."""
    return tuple((0, int(p), "") if p.isdigit() else (1, 0, p) for p in exercise_id.split("."))


def chapter_key(chapter) -> str:
    """``1``, ``"01"``, ``"ch01"`` and ``"ch1"`` all name chapter ``"1"``."""
    text = str(chapter).strip().lower()
    for prefix in ("ch", "ex"):
        if text.startswith(prefix) and text[len(prefix):].isdigit():
            text = text[len(prefix):]
    return str(int(text)) if text.isdigit() else text


class Registry:
    """Exercises by id; the course's chapters are loaded on first use."""

    def __init__(self, package: str | None = BUILTIN_PACKAGE):
        self._package = package
        self._loaded = package is None
        self._exercises: dict[str, Exercise] = {}
        self._notebooks: dict[str, str] = {}

    def _load(self) -> None:
        if self._loaded:
            return
        self._loaded = True
        pkg = importlib.import_module(self._package)
        names = sorted(m.name for m in pkgutil.iter_modules(pkg.__path__))
        for name in names:
            module = importlib.import_module(f"{self._package}.{name}")
            for ex in getattr(module, "EXERCISES", ()):
                self.register(ex)
                if getattr(module, "NOTEBOOK", ""):
                    self._notebooks.setdefault(chapter_key(ex.chapter), module.NOTEBOOK)

    def notebook(self, chapter) -> str:
        """The exercise notebook of a chapter (``exercises/02-….ipynb``), "" if unknown."""
        self._load()
        return self._notebooks.get(chapter_key(chapter), "")

    def register(self, *exercises: Exercise, replace: bool = False) -> None:
        """Add exercises; an id already taken raises unless ``replace=True``."""
        self._load()
        for ex in exercises:
            if not isinstance(ex, Exercise):
                raise TypeError(f"register() takes Exercise objects, not {type(ex).__name__}")
            if ex.id in self._exercises and not replace and self._exercises[ex.id] is not ex:
                raise ValueError(f'exercise "{ex.id}" is already registered '
                                 "(pass replace=True to redefine it)")
            self._exercises[ex.id] = ex

    def unregister(self, exercise_id: str) -> None:
        self._load()
        self._exercises.pop(exercise_id, None)

    @contextmanager
    def temporary(self, *exercises: Exercise):
        """Register exercises for the length of a ``with`` block (tests, demos)."""
        self._load()
        before = dict(self._exercises)
        self.register(*exercises, replace=True)
        try:
            yield
        finally:
            self._exercises = before

    def exercise(self, exercise_id: str) -> Exercise:
        self._load()
        try:
            return self._exercises[str(exercise_id)]
        except KeyError:
            known = ", ".join(self.ids()) or "none are registered yet"
            raise KeyError(f'there is no exercise "{exercise_id}"; known exercises: {known}') \
                from None

    def exercises(self, chapter=None) -> list[Exercise]:
        """All exercises (or one chapter's), in id order."""
        self._load()
        found = self._exercises.values()
        if chapter is not None:
            want = chapter_key(chapter)
            found = [e for e in found if chapter_key(e.chapter) == want]
        return sorted(found, key=lambda e: id_key(e.id))

    def ids(self, chapter=None) -> list[str]:
        return [e.id for e in self.exercises(chapter)]


REGISTRY = Registry()


def register(*exercises: Exercise, replace: bool = False) -> None:
    REGISTRY.register(*exercises, replace=replace)


def unregister(exercise_id: str) -> None:
    REGISTRY.unregister(exercise_id)


def exercise(exercise_id: str) -> Exercise:
    """The exercise with this id; ``KeyError`` (listing the known ids) if there is none."""
    return REGISTRY.exercise(exercise_id)


def exercises(chapter=None) -> list[Exercise]:
    return REGISTRY.exercises(chapter)
