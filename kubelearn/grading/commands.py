"""The instructor's commands, ``kubelearn grade`` and ``kubelearn validate``.

``kubelearn.cli`` adds these sub-commands; the work is done in
``classroom`` (finding and running notebooks), ``reports`` (CSVs, feedback,
summary) and ``validate``. This module only turns arguments into calls and
results into exit codes, and turns the instructor's mistakes (no such folder,
two notebooks of one learner, an unknown chapter) into one clear line on
stderr, never a traceback.

Exit codes: 0 everything graded (or valid); 1 some notebook timed out or
could not be graded (the CSVs are still written), or ``validate`` found a
problem; 2 a usage error, nothing graded.
"""
from __future__ import annotations

import argparse
import importlib
import sys
from pathlib import Path

USAGE_ERROR = 2


class UsageError(Exception):
    """A mistake in the command line or the folder: reported in one line, exit 2."""


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be 1 or more, not {value}")
    return value


def _positive_seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number of seconds: {text!r}") from None
    if not value > 0 or value == float("inf"):
        raise argparse.ArgumentTypeError(f"must be a positive number of seconds, not {text}")
    return value


def add_parsers(sub) -> None:
    grade = sub.add_parser(
        "grade", help="grade a folder of submitted notebooks",
        description=(
            "Re-run every submitted notebook (*.ipynb, sub-folders included) in a fresh kernel "
            "and grade the cluster it builds, hidden checks included. Writes a CSV with one row "
            "per learner (--out), a CSV with one row per check (<out>-long.csv) and feedback "
            "per learner (<feedback>/<learner>.md and .html). The learner id is "
            "metadata.kubelearn.learner, else the folder name for a notebook named like a "
            "course notebook (alice/02-kubernetes-in-action.ipynb), else the file name "
            "(alice.ipynb). Exit codes: 0 all graded, 1 some notebook timed out or failed, "
            "2 usage error."))
    grade.add_argument("submissions", metavar="SUBMISSIONS_DIR",
                       help="folder with one notebook per learner")
    grade.add_argument("--out", default="grades.csv", metavar="CSV",
                       help="the grades, one row per learner (default: grades.csv)")
    grade.add_argument("--jobs", type=_positive_int, default=1, metavar="N",
                       help="notebooks graded at the same time (default: 1)")
    grade.add_argument("--timeout", type=_positive_seconds, default=120, metavar="SECONDS",
                       help="time each notebook's cells may take in all; the grading that "
                            "follows gets as much again (default: 120)")
    grade.add_argument("--feedback", metavar="DIR",
                       help="folder for the feedback files (default: feedback/ next to --out)")
    grade.add_argument("--chapter", metavar="N",
                       help="grade only notebooks of this chapter, on its exercises "
                            "(default: each notebook's own chapter)")
    grade.add_argument("--no-variants", action="store_true",
                       help="grade exercises with per-learner values (set_learner) on the "
                            "values their tasks document, for every learner")
    grade.add_argument("--exercises", action="append", default=[], metavar="MODULE",
                       help="a Python module with extra EXERCISES (a course's own), importable "
                            "from SUBMISSIONS_DIR or the Python path; may be repeated")
    grade.set_defaults(func=cmd_grade)

    validate = sub.add_parser(
        "validate", help="check that every exercise's solution passes and its start does not",
        description=(
            "For every exercise: its setup alone must score zero and its reference solution "
            "full marks, on a fresh simulated cluster (engine level); the solved notebook "
            "(solutions/) must score full marks and the untouched starter (exercises/) zero "
            "(notebook level, one kernel per notebook). Exit code 0 if all hold, 1 if not."))
    validate.add_argument("--jobs", type=_positive_int, default=1, metavar="N",
                          help="notebooks graded at the same time (default: 1)")
    validate.add_argument("--chapter", metavar="N", help="only this chapter's exercises")
    validate.add_argument("--timeout", type=_positive_seconds, default=300, metavar="SECONDS",
                          help="time limit per notebook (default: 300)")
    validate.add_argument("--engine-only", action="store_true",
                          help="skip the notebooks (no kernels: under a second)")
    validate.set_defaults(func=cmd_validate)


def _err(message: str) -> None:
    print(f"kubelearn: {message}", file=sys.stderr)


def _check_chapter(chapter) -> str | None:
    from kubelearn.grading.registry import REGISTRY, chapter_key

    if chapter is None:
        return None
    if not REGISTRY.ids(chapter):
        known = sorted({chapter_key(e.chapter) for e in REGISTRY.exercises()},
                       key=lambda c: (len(c), c))
        raise UsageError(f"chapter {chapter} has no exercises; chapters with exercises: "
                         f"{', '.join(known) or 'none'}")
    return chapter_key(chapter)


def _import_exercises(names, folder: Path) -> list:
    """The extra exercise modules' ``EXERCISES``, imported here too (for the columns and
    the maxima). The modules are not kept in ``sys.modules``: a later call (a test, another
    folder) imports its own."""
    sys.path.insert(0, str(folder))
    exercises = []
    try:
        for name in names:
            fresh = name not in sys.modules
            try:
                module = importlib.import_module(name)
            except Exception as exc:  # noqa: BLE001 - the instructor's module, not ours
                raise UsageError(f"cannot import exercise module {name!r} (looked in "
                                 f"{folder} and the Python path): {exc}") from None
            finally:
                if fresh:
                    sys.modules.pop(name, None)
            exercises += list(getattr(module, "EXERCISES", ()))
    finally:
        sys.path.remove(str(folder))
    return exercises


def _have_nbclient() -> None:
    try:
        import nbclient  # noqa: F401
        import nbformat  # noqa: F401
    except ImportError:
        raise UsageError("grading re-runs notebooks with nbclient, which is not installed: "
                         "pip install nbclient nbformat") from None


def cmd_grade(args: argparse.Namespace, launcher=None) -> int:
    try:
        return _grade(args)
    except UsageError as exc:
        _err(str(exc))
        return USAGE_ERROR


def _grade(args: argparse.Namespace) -> int:
    from kubelearn.grading.registry import REGISTRY

    folder = Path(args.submissions)
    out = Path(args.out)
    if out.is_dir():
        raise UsageError(f"--out {out} is a folder; give a file name such as grades.csv")
    if not folder.is_dir():
        raise UsageError(f"{folder} is not a folder")
    _have_nbclient()
    extra = _import_exercises(args.exercises, folder.resolve()) if args.exercises else []
    with REGISTRY.temporary(*extra):
        return _grade_folder(args, folder, out)


def _grade_folder(args: argparse.Namespace, folder: Path, out: Path) -> int:
    from kubelearn.grading import classroom, reports

    chapter = _check_chapter(args.chapter)
    try:
        submissions, skipped = classroom.discover(folder, chapter,
                                                  own_values=not args.no_variants)
    except classroom.SubmissionError as exc:
        raise UsageError(str(exc)) from None
    try:        # a results folder that cannot be made fails now, not after the grading
        out.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UsageError(f"cannot write the results to {out}: {exc}") from None
    for note in skipped:
        print(f"skipped {note}", file=sys.stderr)
    print(f"grading {len(submissions)} notebook{'s' if len(submissions) != 1 else ''} "
          f"from {folder} ({args.jobs} at a time, {args.timeout:g} s each)",
          file=sys.stderr, flush=True)
    graded = classroom.grade_all(submissions, jobs=args.jobs, timeout=args.timeout,
                                 exercise_modules=tuple(args.exercises),
                                 python_path=(str(folder.resolve()),) if args.exercises else (),
                                 progress=sys.stderr)
    try:
        written = reports.write_all(graded, out, args.feedback)
    except OSError as exc:
        raise UsageError(f"cannot write the results: {exc}") from None
    for line in reports.summary(graded) + _variant_lines(submissions, args.no_variants):
        print(line)
    reports_ = "feedback report" if len(graded) == 1 else "feedback reports"
    print(f"wrote {written[0]}, {written[1]} and {len(graded)} {reports_} in {written[2]}")
    return 0 if all(g.status == "ok" for g in graded) else 1


def _variant_lines(submissions, no_variants: bool) -> list[str]:
    """Say which exercises were graded on each learner's own values, and any notebook
    that set another learner id."""
    from kubelearn.grading.registry import REGISTRY

    chapters = {s.chapter for s in submissions}
    own = [e.id for e in REGISTRY.exercises() if e.variant is not None
           and (None in chapters or e.chapter in chapters)]
    if not own or no_variants:
        return []
    which = f"Exercise {own[0]} has" if len(own) == 1 else f"Exercises {', '.join(own)} have"
    lines = [f"{which} per-learner values: each notebook was graded on its learner's own "
             "(set_learner); --no-variants grades on the documented values."]
    lines += [f"  {s.learner} ({s.notebook}): {note}" for s in submissions for note in s.notes]
    return lines


def cmd_validate(args: argparse.Namespace, launcher=None) -> int:
    from kubelearn.grading import validate

    try:
        chapter = _check_chapter(args.chapter)
        if not args.engine_only:
            _have_nbclient()
    except UsageError as exc:
        _err(str(exc))
        return USAGE_ERROR
    findings = validate.engine_level(chapter)
    if not args.engine_only:
        if validate.course_root() is None:
            _err("cannot find the course notebooks (solutions/, exercises/); "
                 "use --engine-only, or run from a kubelearn checkout")
            return USAGE_ERROR
        findings += validate.notebook_level(chapter, jobs=args.jobs, timeout=args.timeout,
                                            progress=sys.stderr)
    for line in validate.table(findings):
        print(line)
    return 0 if all(f.ok for f in findings) else 1
