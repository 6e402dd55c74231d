"""``kubelearn validate``: prove every exercise can be passed, and is not passed for free.

An exercise whose reference solution misses a point, or whose starting state
already earns points, grades a whole class wrongly; this finds both before
a workshop, at two levels:

* **engine**: on a fresh cluster of the kind the chapter's notebook starts
  (:data:`CHAPTER_CLUSTERS`), run the exercise's setup steps and let a
  simulated minute pass (the time a learner spends reading: probes fire,
  back-offs start), then grade with the hidden checks: the score must be
  zero. On another such cluster, setup, the same minute, then the reference
  solution's steps: the score must be full marks. A variant exercise is also
  tried for one drawn learner (:data:`SAMPLE_LEARNER`), since every learner's
  own values must be solvable too.
* **notebook**: grade ``solutions/NN-*.ipynb`` headless, as ``kubelearn grade``
  would: every exercise of its chapter must have full marks; grade the
  untouched ``exercises/NN-*.ipynb``: every exercise must have zero.

Engine checks take well under a second for the whole course; notebook checks
start one kernel per notebook (seconds each), ``jobs`` at a time.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from kubelearn.cluster import Cluster
from kubelearn.grading import variants
from kubelearn.grading.feedback import run_steps_on
from kubelearn.grading.model import FAIL_MARK, PASS_MARK, Exercise, number
from kubelearn.grading.registry import REGISTRY, chapter_key

READING_TIME = 60          # simulated seconds between setup and the learner's first step
SAMPLE_LEARNER = "validate-sample-learner"


def minikube_with_tunnel() -> Cluster:
    """Chapter 4's minikube once ``%minikube tunnel`` runs (exercise 4.4 asks for it, and
    no kubectl step can start it)."""
    cluster = Cluster.minikube()
    cluster.minikube("tunnel")
    return cluster


def eks_account() -> Cluster:
    """Chapter 5's start: the simulated AWS account in the chapter's starting state
    (``ch05.start``: a fresh account, every run) and minikube, the laptop's context."""
    from kubelearn.grading.exercises.ch05 import start

    start()
    return Cluster.minikube()


# The cluster each chapter's notebook starts (chapters 2 to 4 work on minikube's single
# node; chapter 1 on the default control plane and two workers; chapter 5 on the simulated
# AWS account, with minikube as the current context until update-kubeconfig).
CHAPTER_CLUSTERS = {"2": Cluster.minikube, "3": Cluster.minikube, "4": minikube_with_tunnel,
                    "5": eks_account}
# Chapters whose starting state resets the process's one simulated AWS account: their engine
# checks run in a child process of their own (with a temporary kubelearn home), so that a
# caller's account (a test session's, a notebook's) and ~/.kubelearn are left alone.
OWN_PROCESS = {"5"}
CHILD_ENV = "KUBELEARN_VALIDATE_CHILD"


def new_cluster(chapter) -> Cluster:
    """A fresh cluster as the chapter's notebook starts it."""
    return CHAPTER_CLUSTERS.get(chapter_key(chapter), Cluster)()


@dataclass(frozen=True)
class Finding:
    """One rule checked for one exercise: ``ok``, the points seen, and why not."""
    exercise_id: str
    level: str                  # "setup", "solution", "starter", "solved notebook"
    ok: bool
    score: float | None         # None: could not be graded at all
    max: float
    why: str = ""

    @property
    def cell(self) -> str:
        mark = PASS_MARK if self.ok else FAIL_MARK
        points = "-" if self.score is None else f"{number(self.score)}/{number(self.max)}"
        return f"{mark} {points}"


def _failed_checks(result) -> str:
    wrong = [i for i in result.items if not i.passed]
    return "; ".join(f"{i.id}: {i.message}" for i in wrong)


def _passed_checks(result) -> str:
    return "; ".join(f"{i.id} passed" for i in result.items if i.passed)


def _staged(ex: Exercise) -> Cluster:
    cluster = new_cluster(ex.chapter)
    _, target = run_steps_on(cluster, ex.setup)
    target.settle()
    cluster.advance(READING_TIME)
    cluster.settle()
    return cluster


def _failed_steps(ran) -> str:
    bad = [f"`{step.tool} {step.command}` exited {r.exit_code}: {r.stderr.strip()}"
           for step, r in ran if r.exit_code != 0]
    return "; ".join(bad)


def engine_findings(ex: Exercise, label: str = "") -> list[Finding]:
    """The setup-scores-zero and solution-scores-full rules for one exercise."""
    name = ex.id + label
    try:
        fresh = ex.run(_staged(ex), include_hidden=True)
        setup = Finding(name, "setup", fresh.score == 0, fresh.score, ex.max_points,
                        "" if fresh.score == 0 else
                        f"the starting state already earns points ({_passed_checks(fresh)})")
    except Exception as exc:  # noqa: BLE001 - a broken exercise is a finding, not a crash
        setup = Finding(name, "setup", False, None, ex.max_points, f"setup raised {exc!r}")
    try:
        cluster = _staged(ex)
        ran, target = run_steps_on(cluster, ex.solution)
        target.settle()
        solved = ex.run(cluster, include_hidden=True)
        full = solved.score == ex.max_points
        why = "" if full else " ".join(t for t in (
            f"the reference solution misses points ({_failed_checks(solved)})",
            f"failing steps: {_failed_steps(ran)}" if _failed_steps(ran) else "") if t)
        solution = Finding(name, "solution", full, solved.score, ex.max_points, why)
    except Exception as exc:  # noqa: BLE001
        solution = Finding(name, "solution", False, None, ex.max_points,
                           f"the solution raised {exc!r}")
    return [setup, solution]


def _engine_in_child(chapter: str) -> list[Finding]:
    """``engine_level(chapter)`` in a fresh Python process (see ``OWN_PROCESS``)."""
    import json
    import os
    import subprocess
    import sys
    import tempfile

    code = ("import json, sys\nfrom kubelearn.grading import validate\n"
            "found = validate.engine_level(sys.argv[1])\n"
            "print(json.dumps([f.__dict__ for f in found]))")
    with tempfile.TemporaryDirectory(prefix="kubelearn-validate-") as home:
        env = dict(os.environ, KUBELEARN_HOME=home, **{CHILD_ENV: "1"})
        done = subprocess.run([sys.executable, "-c", code, chapter], capture_output=True,
                              text=True, env=env, timeout=900)
    try:
        return [Finding(**f) for f in json.loads(done.stdout.strip().splitlines()[-1])]
    except (ValueError, IndexError, TypeError):
        why = (done.stderr.strip().splitlines() or ["no output"])[-1]
        return [Finding(ex.id, level, False, None, ex.max_points,
                        f"the engine check's process failed: {why}")
                for ex in REGISTRY.exercises(chapter) for level in ("setup", "solution")]


def engine_level(chapter=None) -> list[Finding]:
    import os

    findings = []
    isolated = [] if os.environ.get(CHILD_ENV) else \
        sorted({chapter_key(e.chapter) for e in REGISTRY.exercises(chapter)} & OWN_PROCESS)
    for ex in REGISTRY.exercises(chapter):
        if chapter_key(ex.chapter) in isolated:
            if ex.id == REGISTRY.ids(ex.chapter)[0]:
                findings += _engine_in_child(chapter_key(ex.chapter))
            continue
        findings += engine_findings(ex)
        if ex.variant is not None:
            own = variants.personal(ex, SAMPLE_LEARNER)
            values = ", ".join(f"{k}={v}" for k, v in sorted(own.params.items()))
            findings += engine_findings(own, f" [{values}]")
    return findings


# -- notebook level -----------------------------------------------------------------------------

def course_root() -> Path | None:
    from kubelearn.cli import packaged_course

    return packaged_course()


def notebook_pairs(chapter=None, root: Path | None = None) -> list[tuple[str, Path, Path]]:
    """(chapter, solution notebook, starter notebook) for each chapter with exercises."""
    root = course_root() if root is None else Path(root)
    pairs = []
    chapters = sorted({chapter_key(e.chapter) for e in REGISTRY.exercises(chapter)},
                      key=lambda c: (len(c), c))
    for ch in chapters:
        starter = REGISTRY.notebook(ch)
        if not starter or root is None:
            continue
        name = Path(starter).name
        pairs.append((ch, root / "solutions" / name, root / "exercises" / name))
    return pairs


def _notebook_findings(chapter: str, kind: str, path: Path, report: dict | None) -> list[Finding]:
    want_full = kind == "solved notebook"
    findings = []
    for ex in REGISTRY.exercises(chapter):
        if report is None:
            findings.append(Finding(ex.id, kind, False, None, ex.max_points, f"{path} not found"))
            continue
        entry = (report.get("exercises") or {}).get(ex.id)
        if entry is None:
            why = f"{path.name}: {report.get('status')}: {report.get('error') or 'not graded'}"
            findings.append(Finding(ex.id, kind, False, None, ex.max_points, why))
            continue
        score = entry["score"]
        ok = score == ex.max_points if want_full else score == 0
        items = entry.get("items", [])
        why = ""
        if not ok and want_full:
            why = f"{path.name}: " + "; ".join(f"{i['id']}: {i['message']}" for i in items
                                               if not i["passed"])
        elif not ok:
            why = f"{path.name}: " + "; ".join(f"{i['id']} passed" for i in items if i["passed"])
        if report.get("status") != "ok":
            ok, why = False, f"{path.name}: {report.get('status')}: {report.get('error')}"
        findings.append(Finding(ex.id, kind, ok, score, ex.max_points, why))
    return findings


def notebook_level(chapter=None, *, jobs: int = 1, timeout: float = 300, root=None,
                   progress=None) -> list[Finding]:
    from kubelearn.grading.classroom import Submission, grade_all

    pairs = notebook_pairs(chapter, root)
    subs, where = [], []
    for ch, solved, starter in pairs:
        for kind, path in (("solved notebook", solved), ("starter", starter)):
            where.append((ch, kind, path))
            if path.is_file():
                # No learner: the notebooks use the documented default values.
                subs.append(Submission("", path, f"{path.parent.name}/{path.name}", ch))
    graded = {g.submission.path: g.report
              for g in grade_all(subs, jobs=jobs, timeout=timeout, progress=progress)}
    findings = []
    for ch, kind, path in where:
        findings += _notebook_findings(ch, kind, path, graded.get(path))
    return findings


# -- the table ----------------------------------------------------------------------------------

LEVELS = ("setup", "solution", "starter", "solved notebook")
HEADINGS = {"setup": "engine: setup", "solution": "engine: solution",
            "starter": "notebook: starter", "solved notebook": "notebook: solution"}


def table(findings: list[Finding]) -> list[str]:
    """One row per exercise (and tried variant), one column per rule, then the reasons."""
    rows: dict[str, dict[str, Finding]] = {}
    for f in findings:
        rows.setdefault(f.exercise_id, {})[f.level] = f
    levels = [lv for lv in LEVELS if any(lv in r for r in rows.values())]
    head = ["exercise"] + [HEADINGS[lv] for lv in levels]
    body = [[ex_id] + [r[lv].cell if lv in r else "" for lv in levels]
            for ex_id, r in rows.items()]
    widths = [max(len(row[i]) for row in [head] + body) for i in range(len(head))]
    lines = ["  ".join(cell.ljust(w) for cell, w in zip(row, widths)).rstrip()
             for row in [head] + body]
    problems = [f for f in findings if not f.ok]
    if problems:
        lines.append("")
        lines.append(f"{len(problems)} problem{'s' if len(problems) != 1 else ''}:")
        lines += [f"  {FAIL_MARK} {f.exercise_id} {HEADINGS[f.level]}: {f.why}" for f in problems]
    else:
        lines += ["", f"{PASS_MARK} every exercise: the solution earns full marks, the "
                      "starting state none."]
    return lines
