"""Exercises, checks and grading for notebooks.

    from kubelearn.grading import check, hint, solve, progress

    check("1.1")      # the public checks of exercise 1.1, against the current cluster
    hint("1.1")       # the next hint tier (gentle first, nearly the answer last)
    solve("1.1")      # runs the reference solution (marks it "solved with help")
    progress()        # ✔ / ✘ / not attempted / solved with help, per exercise

``grade(ids, cluster)`` runs every check, hidden ones included; the
instructor's runner (``kubelearn.grading.runner``) calls it in the kernel
that re-ran a learner's notebook. Nothing here raises on a wrong answer; an
unknown exercise id raises ``KeyError`` listing the ids that exist.

"The current cluster" is the current kubectl context's, the one ``%kubectl``
talks to; pass ``cluster=`` to check another.
"""
from __future__ import annotations

from dataclasses import replace

from kubelearn.grading.feedback import (RECORD, SOLVED_WITH_HELP, Hint, Progress, Transcript,
                                        last_check, run_steps)
from kubelearn.grading.model import Check, CheckResult, Exercise, ItemResult, Outcome, Step, one_line
from kubelearn.grading import registry as _registry
from kubelearn.grading.registry import exercise, register

# No ``exercises`` function here: importing the ``kubelearn.grading.exercises``
# package would overwrite that name. Use ``kubelearn.grading.registry.exercises``.
__all__ = ["check", "hint", "solve", "prepare", "progress", "grade", "solved_with_help", "reset",
           "Check", "CheckResult", "Exercise", "ItemResult", "Outcome", "Step",
           "exercise", "register"]

NO_CLUSTER = "no cluster is running in this notebook"
NO_CLUSTER_NOTE = ("No cluster is running in this notebook, so nothing could be checked. "
                   "Start one (for example `cluster = Cluster()`), do the task, then check again.")


def _cluster(cluster):
    if cluster is not None:
        return cluster
    from kubelearn.contexts import kubeconfig

    return kubeconfig().cluster()


def _run(ex: Exercise, cluster, include_hidden: bool) -> CheckResult:
    if cluster is None:
        return replace(ex.not_checked(NO_CLUSTER, include_hidden=include_hidden),
                       note=NO_CLUSTER_NOTE)
    return ex.run(cluster, include_hidden=include_hidden)


def check(exercise_id: str, cluster=None) -> CheckResult:
    """Run the public checks of one exercise; hidden checks are only counted."""
    ex = exercise(exercise_id)
    result = _run(ex, _cluster(cluster), include_hidden=False)
    RECORD.last[ex.id] = result
    return result


def hint(exercise_id: str) -> Hint:
    """The next hint tier for this exercise (one more each call, in this kernel)."""
    ex = exercise(exercise_id)
    total = len(ex.hints)
    if total == 0:
        return Hint(ex.id, f'Exercise {ex.id} has no hints. solve("{ex.id}") shows and runs '
                           "the reference solution.", 0, 0)
    seen = RECORD.hints_seen.get(ex.id, 0)
    if seen >= total:
        return Hint(ex.id, f"No more hints for exercise {ex.id}: you have seen all {total}. "
                           f'solve("{ex.id}") shows and runs the reference solution.', 0, total)
    RECORD.hints_seen[ex.id] = seen + 1
    return Hint(ex.id, ex.hints[seen], seen + 1, total)


def solve(exercise_id: str, cluster=None) -> Transcript:
    """Run the reference solution's kubectl steps, let the cluster settle, and mark
    the exercise "solved with help". Returns the transcript of what ran."""
    ex = exercise(exercise_id)
    cluster = _cluster(cluster)
    if cluster is None:
        return Transcript(ex.id, (), (NO_CLUSTER_NOTE.replace("checked", "solved"),))
    steps = run_steps(cluster, ex.solution)
    footer = [f"# {_settle(cluster)}"] if steps else []
    RECORD.solved.add(ex.id)
    result = ex.run(cluster)
    RECORD.last[ex.id] = result
    footer += [result.summary(), f'Exercise {ex.id} is marked "{SOLVED_WITH_HELP}".']
    return Transcript(ex.id, steps, tuple(footer))


def prepare(exercise_id: str, cluster=None) -> Transcript:
    """Run the exercise's setup steps (the starting state the task describes)."""
    ex = exercise(exercise_id)
    cluster = _cluster(cluster)
    if cluster is None:
        return Transcript(ex.id, (), (NO_CLUSTER_NOTE.replace("checked", "prepared"),))
    steps = run_steps(cluster, ex.setup)
    return Transcript(ex.id, steps, (f"# {_settle(cluster)}",) if steps else ())


def _settle(cluster) -> str:
    try:
        return repr(cluster.settle())
    except Exception as exc:  # noqa: BLE001 - report, do not raise, in learner-facing output
        return f"the cluster did not settle: {one_line(exc)}"


def progress(chapter=None) -> Progress:
    """A table of the exercises (of one chapter, if given) and how far this kernel got."""
    rows = tuple((ex.id, ex.title, RECORD.status(ex.id), last_check(RECORD.last.get(ex.id)))
                 for ex in _registry.exercises(chapter))
    return Progress(rows)


def grade(ids, cluster=None, *, settle: bool = False) -> list[CheckResult]:
    """Run every check of the exercises, hidden ones included (for grading).

    ``ids`` is one id or a list of ids; unknown ids raise ``KeyError`` before
    anything runs. ``settle=True`` first lets the cluster finish what is in
    flight, as a real cluster would have by the time a submission is graded.
    """
    chosen = [exercise(i) for i in ([ids] if isinstance(ids, str) else ids)]
    cluster = _cluster(cluster)
    note = ""
    if cluster is not None and settle:
        report = _settle(cluster)
        note = report if report.startswith("the cluster did not") else ""
    results = []
    for ex in chosen:
        result = _run(ex, cluster, include_hidden=True)
        results.append(replace(result, note=note) if note else result)
    return results


def solved_with_help(exercise_id: str) -> bool:
    """Did this kernel run ``solve`` for the exercise?"""
    return exercise_id in RECORD.solved


def reset() -> None:
    """Forget this kernel's hints, results and solved exercises."""
    RECORD.hints_seen.clear()
    RECORD.last.clear()
    RECORD.solved.clear()
