"""Exercises, checks and grading for notebooks.

    from kubelearn.grading import check, hint, solve, progress

    check("1.1")      # the public checks of exercise 1.1, against the current cluster
    hint("1.1")       # the next hint tier (gentle first, nearly the answer last)
    solve("1.1")      # runs the reference solution (marks it "solved with help")
    progress()        # passed / partly / not tried / solved with help, and what is next
    set_learner("alice")  # exercises with variants use alice's own names and numbers
    task("2.1")       # the task, with this learner's values

``grade(ids, cluster)`` runs every check, hidden ones included; the
instructor's runner (``kubelearn.grading.runner``) calls it in the kernel
that re-ran a learner's notebook. Nothing here raises on a wrong answer; an
unknown exercise id raises ``KeyError`` listing the ids that exist.

``check`` and ``solve`` also record the learner's progress in a small file
(``kubelearn.grading.store``) that ``progress()`` reads, so it spans notebooks
and kernel restarts; ``grade`` records nothing. Every function here works on
the learner's own variant of an exercise (``kubelearn.grading.variants``) when
a learner id is known, and on the documented default otherwise.

"The current cluster" is the current kubectl context's, the one ``%kubectl``
talks to; pass ``cluster=`` to check another.
"""
from __future__ import annotations

from dataclasses import replace

from kubelearn.grading import registry as _registry
from kubelearn.grading import store as _store
from kubelearn.grading import variants as _variants
from kubelearn.grading.feedback import (RECORD, SOLVED_WITH_HELP, Hint, Notice, Progress,
                                        ProgressRow, Task, Transcript, run_steps,
                                        run_steps_on)
from kubelearn.grading.model import (Check, CheckResult, Exercise, ItemResult, Misconception,
                                     Outcome, Step, number, one_line)
from kubelearn.grading.registry import register

# No ``exercises`` function here: importing the ``kubelearn.grading.exercises``
# package would overwrite that name. Use ``kubelearn.grading.registry.exercises``.
__all__ = ["check", "hint", "solve", "prepare", "progress", "grade", "solved_with_help", "reset",
           "task", "set_learner", "learner",
           "Check", "CheckResult", "Exercise", "ItemResult", "Misconception", "Outcome", "Step",
           "exercise", "register"]

NO_CLUSTER = "no cluster is running in this notebook"
NO_CLUSTER_NOTE = ("No cluster is running in this notebook, so nothing could be checked. "
                   "Start one (for example `cluster = Cluster()`), do the task, then check again.")


def _cluster(cluster):
    if cluster is not None:
        return cluster
    from kubelearn.contexts import kubeconfig

    return kubeconfig().cluster()


def learner() -> str | None:
    """The learner id variants are drawn for (see ``kubelearn.grading.variants``)."""
    return _variants.learner(saved=lambda: _store.current().learner())


def exercise(exercise_id: str) -> Exercise:
    """The exercise with this id, as this learner has it (their variant, if it has one);
    ``KeyError`` listing the known ids if there is none."""
    return _variants.personal(_registry.exercise(exercise_id), learner())


def set_learner(name) -> Notice:
    """Use this learner id for exercises with variants, in this kernel and (saved in
    the progress file) in later ones; ``set_learner(None)`` goes back to the defaults."""
    who = _variants.normalise(name)
    if _variants.grading_run():
        return Notice("This notebook is being graded: the learner id comes from the grader "
                      f"({learner() or 'none'}), so set_learner does nothing here.")
    _variants.set_learner(who)
    _store.current().set_learner(who)
    own = [ex.id for ex in _registry.exercises() if ex.variant is not None]
    if who is None:
        text = "No learner id: every exercise uses the values its task describes."
    else:
        listed = ", ".join(own) or "none yet"
        first = f' task("{own[0]}") shows one.' if own else ""
        text = (f'Learner "{who}": exercises {listed} use your own names and numbers.{first}')
    return Notice(" ".join(t for t in (text, _store.take_notices()) if t))


def task(exercise_id: str) -> Task:
    """The exercise's task, with this learner's values."""
    ex = exercise(exercise_id)
    values = ", ".join(f"{k}={v}" for k, v in sorted(ex.params.items())) \
        if _variants.is_personal(ex) else ""
    return Task(ex.id, ex.title, ex.task, values)


def _personal_note(ex: Exercise) -> str:
    if not _variants.is_personal(ex):
        return ""
    return (f'This is your own variant of exercise {ex.id} (learner "{learner()}"): '
            f'task("{ex.id}") shows it with your names and numbers.')


def _with_note(result: CheckResult, *notes: str) -> CheckResult:
    text = " ".join(n for n in (result.note, *notes) if n)
    return replace(result, note=text) if text != result.note else result


def _run(ex: Exercise, cluster, include_hidden: bool) -> CheckResult:
    if cluster is None:
        return replace(ex.not_checked(NO_CLUSTER, include_hidden=include_hidden),
                       note=NO_CLUSTER_NOTE)
    return ex.run(cluster, include_hidden=include_hidden)


def check(exercise_id: str, cluster=None) -> CheckResult:
    """Run the public checks of one exercise; hidden checks are only counted."""
    ex = exercise(exercise_id)
    cluster = _cluster(cluster)
    result = _run(ex, cluster, include_hidden=False)
    RECORD.last[ex.id] = result
    if cluster is not None:
        _store.current().record_check(ex.id, result.score, result.max_score, result.passed)
    return _with_note(result, _personal_note(ex), _store.take_notices())


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
    steps, target = run_steps_on(cluster, ex.solution)
    footer = [f"# {_settle(target)}"] if steps else []
    RECORD.solved.add(ex.id)
    result = ex.run(cluster)
    RECORD.last[ex.id] = result
    _store.current().record_solved(ex.id, result.score, result.max_score)
    footer += [result.summary(), f'Exercise {ex.id} is marked "{SOLVED_WITH_HELP}".']
    footer += [n for n in (_store.take_notices(),) if n]
    return Transcript(ex.id, steps, tuple(footer))


def prepare(exercise_id: str, cluster=None) -> Transcript:
    """Run the exercise's setup steps (the starting state the task describes)."""
    ex = exercise(exercise_id)
    cluster = _cluster(cluster)
    if cluster is None:
        return Transcript(ex.id, (), (NO_CLUSTER_NOTE.replace("checked", "prepared"),))
    steps, target = run_steps_on(cluster, ex.setup)
    return Transcript(ex.id, steps, (f"# {_settle(target)}",) if steps else ())


def _settle(cluster) -> str:
    try:
        return repr(cluster.settle())
    except Exception as exc:  # noqa: BLE001 - report, do not raise, in learner-facing output
        return f"the cluster did not settle: {one_line(exc)}"


def progress(chapter=None) -> Progress:
    """The chapters and their exercises (one chapter's, if given), each with its status
    — passed, partly, not yet, not tried, solved with help — from the progress file,
    and the next step: the first exercise, in course order, not passed or solved."""
    entries = _store.current().entries()
    rows, notebooks = [], {}
    for ex in _registry.exercises(chapter):
        entry = entries.get(ex.id)
        best = f"{number(entry['best_score'])}/{number(entry['max'])} points" if entry else ""
        rows.append(ProgressRow(ex.chapter, ex.id, ex.title, _store.status_of(entry), best))
        notebooks.setdefault(ex.chapter, _registry.REGISTRY.notebook(ex.chapter))
    return Progress(tuple(rows), tuple(notebooks.items()), _next_step(rows, notebooks),
                    _store.take_notices())


def _next_step(rows: list[ProgressRow], notebooks: dict[str, str]) -> str:
    todo = next((r for r in rows if r.status not in (_store.PASSED, _store.SOLVED)), None)
    if todo is None:
        return f"All {len(rows)} exercises are done." if rows else ""
    where = f" in {notebooks[todo.chapter]}" if notebooks.get(todo.chapter) else ""
    return (f'Next: exercise {todo.exercise_id} "{todo.title}"{where} — '
            f'check("{todo.exercise_id}")')


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
    """Forget this kernel's hints, results and solved exercises (the progress file
    is kept: it is the learner's record across kernels)."""
    RECORD.hints_seen.clear()
    RECORD.last.clear()
    RECORD.solved.clear()
