"""Exercises that vary per learner, so neighbours cannot copy each other's answers.

A variant exercise is written once, as a function ``build(params) -> Exercise``
that puts its values (names, replica counts, ports) into the task, the
checks, the hints and the solution. It comes with the ``defaults`` the
notebooks document and a ``draw(rng) -> params`` that picks a learner's own
values from a seeded ``random.Random``::

    EXERCISES = [variant_exercise(_deploy, defaults={"name": "web", "replicas": 2},
                                  draw=lambda rng: {"name": rng.choice(NAMES),
                                                    "replicas": rng.randint(2, 4)})]

The registry holds the default instance, so without a learner id everything
(notebooks, solutions, ``validate``) behaves exactly as a plain exercise.
With one, :func:`personal` rebuilds the exercise from the learner's values:

* the learner id comes from ``set_learner("alice")`` in this kernel, else the
  environment variable ``KUBELEARN_LEARNER`` (the instructor's runner sets it
  from the submission, since a kernel cannot read its notebook's metadata),
  else the id ``set_learner`` saved in the progress file. In a grading run
  (``KUBELEARN_GRADING`` set) only the environment counts, so a notebook
  cannot grade itself as somebody else.
* ids are compared after ``strip()`` and ``casefold()``: "Alice " and "alice"
  are one learner, as a roster and a notebook would both mean.
* the seed is ``sha256(f"{learner}:{exercise_id}")``, the same in every process
  and on every machine (Python's own ``hash`` is salted per process), and the
  values are drawn from ``random.Random(seed)``, never the global generator.

``variant_exercise`` checks the author's work when the chapter is imported: a
drawn variant must have the same parameter names as the defaults, and the same
checks with the same points, so every learner's grade has the same columns.
"""
from __future__ import annotations

import hashlib
import os
import random
from dataclasses import dataclass, field, replace
from typing import Callable, Mapping

from kubelearn.grading.model import Exercise

ENV_LEARNER = "KUBELEARN_LEARNER"
ENV_GRADING = "KUBELEARN_GRADING"

_state = {"learner": None}          # set_learner's value, for this kernel
_cache: dict[tuple[str, str], tuple[object, Exercise]] = {}   # (id, learner) -> (variant, ex)


@dataclass(frozen=True)
class Variant:
    """How an exercise is rebuilt for other values (see the module docstring)."""
    build: Callable[[dict], Exercise] = field(repr=False)
    defaults: Mapping
    draw: Callable[[random.Random], dict] = field(repr=False)

    def instance(self, params: Mapping) -> Exercise:
        params = dict(params)
        ex = self.build(dict(params))
        if not isinstance(ex, Exercise):
            raise TypeError(f"a variant's build() must return an Exercise, not {type(ex).__name__}")
        return replace(ex, params=params, variant=self)


def _shape(ex: Exercise) -> list[tuple]:
    return [(c.id, c.points, c.hidden) for c in ex.checks]


def variant_exercise(build: Callable[[dict], Exercise], defaults: Mapping,
                     draw: Callable[[random.Random], dict]) -> Exercise:
    """The default instance of a variant exercise (what the registry holds)."""
    variant = Variant(build, dict(defaults), draw)
    default = variant.instance(defaults)
    sample_params = draw(random.Random(0))
    if not isinstance(sample_params, dict) or set(sample_params) != set(defaults):
        raise ValueError(f"exercise {default.id}: draw() must give the parameters "
                         f"{sorted(defaults)}, not {sorted(sample_params or ())}")
    sample = variant.instance(sample_params)
    if sample.id != default.id or _shape(sample) != _shape(default):
        raise ValueError(f"exercise {default.id}: every variant needs the same id and the same "
                         "checks (ids, points, hidden) as the default one")
    return default


# -- who the learner is -------------------------------------------------------------------------

def normalise(name) -> str | None:
    """``" Alice "`` -> ``"alice"``; ``None`` or blank -> ``None``."""
    if name is None:
        return None
    text = str(name).strip().casefold()
    return text or None


def grading_run() -> bool:
    """Is this kernel an instructor's grading run (``KUBELEARN_GRADING`` set by the runner)?"""
    return os.environ.get(ENV_GRADING, "").strip() not in ("", "0")


def set_learner(name) -> str | None:
    """Remember the learner id for this kernel; ``None`` forgets it. Returns the
    id as it is used (normalised). Saving it for later kernels is up to the caller
    (``kubelearn.grading.set_learner`` does it)."""
    _state["learner"] = normalise(name)
    return _state["learner"]


def learner(saved: Callable[[], str | None] | None = None) -> str | None:
    """The learner id: ``set_learner``'s, else ``KUBELEARN_LEARNER``, else ``saved()``
    (the progress file's). A grading run uses the environment only."""
    from_env = normalise(os.environ.get(ENV_LEARNER))
    if grading_run():
        return from_env
    if _state["learner"] is not None:
        return _state["learner"]
    if from_env is not None:
        return from_env
    return normalise(saved()) if saved is not None else None


# -- a learner's values -------------------------------------------------------------------------

def seed(learner_id: str, exercise_id: str) -> int:
    """A stable 64-bit seed for this learner and exercise."""
    digest = hashlib.sha256(f"{normalise(learner_id)}:{exercise_id}".encode("utf-8")).digest()
    return int.from_bytes(digest[:8], "big")


def params_for(ex: Exercise, learner_id: str | None) -> dict:
    """The values of ``ex`` for this learner (the defaults without one, or for a plain exercise)."""
    variant = ex.variant
    if not isinstance(variant, Variant):
        return dict(ex.params)
    if normalise(learner_id) is None:
        return dict(variant.defaults)
    return dict(variant.draw(random.Random(seed(learner_id, ex.id))))


def personal(ex: Exercise, learner_id: str | None) -> Exercise:
    """``ex`` as this learner has it: rebuilt from their values for a variant exercise,
    unchanged otherwise (and for no learner)."""
    variant = ex.variant
    who = normalise(learner_id)
    if not isinstance(variant, Variant) or who is None:
        return ex
    cached = _cache.get((ex.id, who))
    if cached is None or cached[0] is not variant:
        cached = _cache[(ex.id, who)] = (variant, variant.instance(params_for(ex, who)))
    return cached[1]


def is_personal(ex: Exercise) -> bool:
    """Is ``ex`` a variant instance whose values differ from the documented defaults?"""
    return isinstance(ex.variant, Variant) and dict(ex.params) != dict(ex.variant.defaults)
