"""Exercises as data, and what checking one gives back.

An :class:`Exercise` is a task in Markdown, a tuple of named, weighted
:class:`Check` objects, tiers of hints and a reference solution. The solution
and the setup are *data* — kubectl command lines, each optionally with a
manifest on standard input — so a solution can be shown, replayed in another
kernel and validated without running any author's Python code.

A check's function looks at the cluster and returns an :class:`Outcome`
(passed, expected, actual, message). Checks judge the resulting state only,
never the commands typed, so every correct way of getting there counts.
``Check.evaluate`` never lets an exception out: a checker that breaks is
reported as "could not check: <reason>" instead of a traceback.

A check may also know the wrong end states learners commonly reach
(:class:`Misconception`): when it fails and one of them is recognised, the
result carries that misconception's stable id (for the instructor's
per-misconception counts) and its message adds the specific hint, which says
more than "expected X, found Y" can.

An exercise can vary per learner (``variant``, see
``kubelearn.grading.variants``): ``params`` then holds the values this
instance was built with; the registered instance is the default one, the
values the notebooks and the task text document.

Results (:class:`ItemResult`, :class:`CheckResult`) print as plain text
(logs, CI, ``print``) and render as a small accessible HTML table in
Jupyter. Their wording follows the course rules: ✔/✘ plus words, state then
cause then next step, expected vs actual, and never "all passed" while hidden
checks have not run.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from html import escape
from types import MappingProxyType
from typing import Callable, Mapping

PASS_MARK, FAIL_MARK = "✔", "✘"
_UNCHECKED = ("could not", "not checked")
TOOLS = ("kubectl", "aws")
_STEP_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")


@dataclass(frozen=True)
class Outcome:
    """What one check found: ``message`` says the state (and cause, when not passed)."""
    passed: bool
    expected: str = ""
    actual: str = ""
    message: str = ""
    objects: tuple[str, ...] = ()    # what it looked at: "Kind/namespace/name" (diagram keys)


@dataclass(frozen=True)
class Step:
    """One command line (without the program's name), optionally with stdin text.

    ``tool`` is the program: ``"kubectl"`` (the default), or ``"aws"`` for the
    simulated AWS account's command line (chapter 5); ``Step.of("aws eks
    describe-cluster --name x")`` and ``Step.aws(...)`` make one.
    """
    command: str
    stdin: str | None = None
    tool: str = "kubectl"

    def __post_init__(self):
        if self.tool not in TOOLS:
            raise ValueError(f"a step runs {' or '.join(TOOLS)}, not {self.tool!r}")

    @classmethod
    def aws(cls, command: str) -> Step:
        """An ``aws`` command line (without ``aws``), run in the simulated account."""
        command = command.strip()
        return cls(command[len("aws "):].lstrip() if command.startswith("aws ") else command,
                   tool="aws")

    @classmethod
    def of(cls, step: Step | str | tuple) -> Step:
        """Accept ``"get pods"``, ``("apply -f -", manifest)``, ``"aws iam list-roles"``
        or a Step."""
        if isinstance(step, Step):
            return step
        if isinstance(step, str):
            if step.strip().startswith("aws "):
                return cls.aws(step)
            return cls(_strip_kubectl(step))
        if isinstance(step, tuple) and len(step) == 2 and all(isinstance(s, str) for s in step):
            return cls(_strip_kubectl(step[0]), step[1])
        raise TypeError(f"a step is a kubectl command line or (command, stdin), not {step!r}")

    def shell(self) -> str:
        """How a terminal would show it: ``$ kubectl ...`` (stdin as a here-document)."""
        line = f"$ {self.tool} {self.command}"
        if self.stdin is None:
            return line
        return f"{line} <<EOF\n{self.stdin.rstrip(chr(10))}\nEOF"


def _strip_kubectl(line: str) -> str:
    line = line.strip()
    return line[len("kubectl "):].lstrip() if line.startswith("kubectl ") else line


def _steps(steps) -> tuple[Step, ...]:
    if isinstance(steps, (str, Step)):
        steps = (steps,)
    return tuple(Step.of(s) for s in steps)


@dataclass(frozen=True)
class Misconception:
    """A common wrong end state, recognised: a stable ``id`` and the ``hint`` for it.

    ``test(cluster, outcome) -> bool`` is asked only after its check failed
    (``outcome`` is what the check found); it reads state and changes nothing.
    A test that raises counts as "not recognised", never as an error.
    """
    id: str
    hint: str
    test: Callable = field(default=None, repr=False, compare=False)

    def __post_init__(self):
        if not _STEP_ID.match(self.id or ""):
            raise ValueError(f"misconception id {self.id!r}: use letters, digits, '-', '_' or '.'")
        if not isinstance(self.hint, str) or not self.hint.strip():
            raise ValueError(f"misconception {self.id!r} needs a hint")
        if not callable(self.test):
            raise TypeError(f"misconception {self.id!r} needs a test fn(cluster, outcome) -> bool")

    def matches(self, cluster, outcome: Outcome) -> bool:
        try:
            return bool(self.test(cluster, outcome))
        except Exception:  # noqa: BLE001 - a diagnosis that breaks must not break the check
            return False


@dataclass(frozen=True)
class Check:
    """A named, weighted sub-check; ``fn(cluster) -> Outcome`` reads cluster state.

    ``tip`` is the next step offered when it does not pass ("scale the
    Deployment"); ``hidden`` checks run only at grading time;
    ``misconceptions`` are tried in order when it does not pass.
    """
    id: str
    description: str
    points: float = 1
    fn: Callable = field(default=None, repr=False, compare=False)
    hidden: bool = False
    tip: str = ""
    misconceptions: tuple[Misconception, ...] = field(default=(), repr=False, compare=False)

    def __post_init__(self):
        if not _STEP_ID.match(self.id or ""):
            raise ValueError(f"check id {self.id!r}: use letters, digits, '-', '_' or '.'")
        if not callable(self.fn):
            raise TypeError(f"check {self.id!r} needs a function fn(cluster) -> Outcome")
        if isinstance(self.points, bool) or not isinstance(self.points, (int, float)) \
                or self.points < 0:
            raise ValueError(f"check {self.id!r}: points must be a number >= 0")
        known = (self.misconceptions,) if isinstance(self.misconceptions, Misconception) \
            else tuple(self.misconceptions)
        if not all(isinstance(m, Misconception) for m in known):
            raise TypeError(f"check {self.id!r}: misconceptions must be Misconception objects")
        ids = [m.id for m in known]
        if len(set(ids)) != len(ids):
            raise ValueError(f"check {self.id!r}: a misconception is listed twice")
        object.__setattr__(self, "misconceptions", known)

    def diagnose(self, cluster, outcome: Outcome) -> Misconception | None:
        """The first misconception that explains a failed outcome (None if it passed,
        could not be checked, or nothing is recognised)."""
        if outcome.passed or outcome.message.startswith(_UNCHECKED):
            return None
        return next((m for m in self.misconceptions if m.matches(cluster, outcome)), None)

    def evaluate(self, cluster) -> Outcome:
        """Run the check; a checker that raises gives a neutral "could not check"."""
        try:
            outcome = self.fn(cluster)
        except Exception as exc:  # noqa: BLE001 - a checker must never leak a traceback
            return Outcome(False, message=f"could not check: {one_line(exc)}")
        if isinstance(outcome, bool):
            return Outcome(outcome, message="" if outcome else "the check did not pass")
        if not isinstance(outcome, Outcome):
            return Outcome(False, message="could not check: the checker gave back "
                                          f"{type(outcome).__name__}, not an Outcome")
        about = tuple(getattr(self.fn, "about", ()))
        if about and not outcome.objects:       # the objects a check builder names
            outcome = replace(outcome, objects=about)
        return outcome


def _sentence(text: str) -> str:
    """A hint as a sentence of a message: a full stop added when it has none."""
    text = text.strip()
    return text if text.endswith((".", "!", "?")) else f"{text}."


def one_line(exc: BaseException, limit: int = 200) -> str:
    """``ExcType: first line of the message``, shortened to ``limit`` characters."""
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    text = f"{type(exc).__name__}: {text}" if text else type(exc).__name__
    return text if len(text) <= limit else text[:limit - 1] + "…"


@dataclass(frozen=True)
class Exercise:
    """One exercise: a task, its checks, hints (gentle → nearly the answer) and a solution."""
    id: str
    title: str
    task: str = ""
    checks: tuple[Check, ...] = ()
    hints: tuple[str, ...] = ()
    solution: tuple[Step, ...] = ()
    setup: tuple[Step, ...] = ()
    chapter: str = ""
    params: Mapping = field(default_factory=dict, compare=False)
    variant: object = field(default=None, repr=False, compare=False)

    def __post_init__(self):
        if not _STEP_ID.match(self.id or ""):
            raise ValueError(f"exercise id {self.id!r}: use letters, digits, '-', '_' or '.' "
                             '(for example "1.1")')
        checks = tuple(self.checks)
        if not all(isinstance(c, Check) for c in checks):
            raise TypeError(f"exercise {self.id}: checks must be Check objects")
        ids = [c.id for c in checks]
        duplicates = sorted({i for i in ids if ids.count(i) > 1})
        if duplicates:
            raise ValueError(f"exercise {self.id}: check ids used twice: {', '.join(duplicates)}")
        hints = (self.hints,) if isinstance(self.hints, str) else tuple(self.hints)
        object.__setattr__(self, "checks", checks)
        object.__setattr__(self, "hints", hints)
        object.__setattr__(self, "solution", _steps(self.solution))
        object.__setattr__(self, "setup", _steps(self.setup))
        object.__setattr__(self, "chapter", str(self.chapter or self.id.split(".")[0]))
        object.__setattr__(self, "params", MappingProxyType(dict(self.params or {})))

    @property
    def public_checks(self) -> tuple[Check, ...]:
        return tuple(c for c in self.checks if not c.hidden)

    @property
    def max_points(self) -> float:
        return sum(c.points for c in self.checks)

    def run(self, cluster, *, include_hidden: bool = False) -> CheckResult:
        """Evaluate the checks against ``cluster`` (hidden ones only if asked)."""
        run = self.checks if include_hidden else self.public_checks
        items = []
        for check in run:
            outcome = check.evaluate(cluster)
            items.append(ItemResult.of(self.id, check, outcome, check.diagnose(cluster, outcome)))
        return CheckResult(self.id, self.title, tuple(items), len(self.checks) - len(run),
                           graded=include_hidden)

    def not_checked(self, reason: str, *, include_hidden: bool = False) -> CheckResult:
        """A result in which nothing could be looked at (no cluster, for example)."""
        run = self.checks if include_hidden else self.public_checks
        items = tuple(ItemResult.of(self.id, c, Outcome(False, message=f"not checked: {reason}"))
                      for c in run)
        return CheckResult(self.id, self.title, items, len(self.checks) - len(run),
                           graded=include_hidden)


@dataclass(frozen=True)
class ItemResult:
    """One check's result; ``id`` is ``"<exercise>/<check>"``, stable for analytics."""
    id: str
    description: str
    passed: bool
    points: float
    max_points: float
    message: str = ""
    expected: str = ""
    actual: str = ""
    hidden: bool = False
    misconception: str = ""     # the id of the recognised wrong end state, if any
    objects: tuple[str, ...] = ()   # the objects it is about ("Service/default/web")

    @classmethod
    def of(cls, exercise_id: str, check: Check, outcome: Outcome,
           misconception: Misconception | None = None) -> ItemResult:
        message = outcome.message or ("" if outcome.passed else "the check did not pass")
        if misconception is not None:
            message = f"{message} {_sentence(misconception.hint)}"
        if not outcome.passed and check.tip and not message.startswith(_UNCHECKED):
            message = f"{message} Try: {check.tip}"
        return cls(f"{exercise_id}/{check.id}", check.description, bool(outcome.passed),
                   check.points if outcome.passed else 0, check.points, message,
                   str(outcome.expected), str(outcome.actual), check.hidden,
                   misconception.id if misconception is not None else "",
                   tuple(outcome.objects))

    @property
    def name(self) -> str:
        return self.id.rsplit("/", 1)[-1]

    @property
    def mark(self) -> str:
        return PASS_MARK if self.passed else FAIL_MARK

    def as_dict(self) -> dict:
        return {"id": self.id, "description": self.description, "passed": self.passed,
                "points": self.points, "max_points": self.max_points, "hidden": self.hidden,
                "message": self.message, "expected": self.expected, "actual": self.actual,
                "misconception": self.misconception, "objects": list(self.objects)}

    def __repr__(self) -> str:
        return "\n".join(self.lines())

    def lines(self) -> list[str]:
        hidden = " (hidden)" if self.hidden else ""
        text = self.message or self.description
        out = [f"{self.mark} {self.name}{hidden} — {text}"]
        if not self.passed and (self.expected or self.actual):
            out += [f"    expected: {self.expected}", f"    actual:   {self.actual}"]
        return out


def number(value: float) -> str:
    """Points without a trailing ``.0``: ``2``, ``1.5``."""
    return f"{value:g}"


def plural(count: int, one: str, many: str) -> str:
    return f"{count} {one if count == 1 else many}"


@dataclass(frozen=True)
class CheckResult:
    """The result of checking one exercise."""
    exercise_id: str
    title: str
    items: tuple[ItemResult, ...]
    hidden_pending: int = 0
    note: str = ""
    graded: bool = False        # a grading run (hidden checks included): no advice to the learner

    @property
    def score(self) -> float:
        return sum(i.points for i in self.items)

    @property
    def max_score(self) -> float:
        return sum(i.max_points for i in self.items)

    @property
    def passed(self) -> bool:
        """Every check that ran passed (hidden checks that did not run are not counted)."""
        return bool(self.items) and all(i.passed for i in self.items)

    @property
    def failed(self) -> tuple[ItemResult, ...]:
        return tuple(i for i in self.items if not i.passed)

    def summary(self) -> str:
        """``✘ 3 of 4 public checks passed · 2 more run at grading time``."""
        good = sum(i.passed for i in self.items)
        mark = PASS_MARK if self.passed else FAIL_MARK
        if self.hidden_pending:
            more = "1 more runs" if self.hidden_pending == 1 else f"{self.hidden_pending} more run"
            checks = "public check" if len(self.items) == 1 else "public checks"
            return f"{mark} {good} of {len(self.items)} {checks} passed · {more} at grading time"
        hidden = sum(i.hidden for i in self.items)
        extra = f" (including {plural(hidden, 'hidden check', 'hidden checks')})" if hidden else ""
        return f"{mark} {good} of {plural(len(self.items), 'check', 'checks')} passed{extra}"

    def next_step(self) -> str:
        if self.graded:
            return ""
        if self.passed and self.hidden_pending:
            return "The public checks pass; the rest are run when your notebook is graded."
        if self.passed:
            return ""
        return f'Next: change the cluster, then check("{self.exercise_id}") again; ' \
               f'hint("{self.exercise_id}") gives a nudge.'

    def as_dict(self) -> dict:
        return {"title": self.title, "score": self.score, "max": self.max_score,
                "passed": self.passed, "hidden_pending": self.hidden_pending,
                "note": self.note, "items": [i.as_dict() for i in self.items]}

    def __repr__(self) -> str:
        lines = [f"Exercise {self.exercise_id} · {self.title}",
                 f"{self.summary()} · {number(self.score)}/{number(self.max_score)} points"]
        if self.note:
            lines.append(self.note)
        for item in self.items:
            lines += ["  " + line for line in item.lines()]
        if self.next_step():
            lines.append(self.next_step())
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        rows = "".join(_item_row(i) for i in self.items)
        note = f"<p>{escape(self.note)}</p>" if self.note else ""
        step = f"<p>{escape(self.next_step())}</p>" if self.next_step() else ""
        return (
            '<div class="kubelearn-check">'
            f"<p><strong>Exercise {escape(self.exercise_id)} · {escape(self.title)}</strong></p>"
            f"<p>{escape(self.summary())} · {number(self.score)}/{number(self.max_score)} points</p>"
            f"{note}"
            '<table style="border-collapse:collapse">'
            f"<caption>Checks of exercise {escape(self.exercise_id)}</caption>"
            "<thead><tr>" + "".join(f'<th scope="col" style="{_CELL}">{h}</th>' for h in
                                    ("Result", "Check", "What was found", "Expected", "Actual",
                                     "Points")) +
            f"</tr></thead><tbody>{rows}</tbody></table>{step}</div>")


_CELL = "text-align:left;padding:2px 8px;border-bottom:1px solid #ccc"


def _item_row(item: ItemResult) -> str:
    colour = "#1a7f37" if item.passed else "#b42318"
    word = "passed" if item.passed else "not yet"
    hidden = " (hidden)" if item.hidden else ""
    cells = [f'<td style="{_CELL};color:{colour}">{item.mark} {word}</td>',
             f'<th scope="row" style="{_CELL};font-weight:normal">'
             f"{escape(item.name)}{hidden}<br><small>{escape(item.description)}</small></th>",
             f'<td style="{_CELL}">{escape(item.message)}</td>',
             f'<td style="{_CELL}"><code>{escape(item.expected)}</code></td>',
             f'<td style="{_CELL}"><code>{escape(item.actual)}</code></td>',
             f'<td style="{_CELL}">{number(item.points)}/{number(item.max_points)}</td>']
    return "<tr>" + "".join(cells) + "</tr>"
