"""What ``hint``, ``solve`` and ``progress`` hand back, and the kernel's learner record.

Each is a small object that prints as plain text (logs, CI, nbval's
``text/plain``) and renders as HTML in Jupyter, with every piece of text
escaped. The record (hints seen, last check result, exercises solved with
help) lives in this module, so there is one per Python process — one per
notebook kernel — and nothing is written to disk.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from html import escape

from kubelearn.grading.model import FAIL_MARK, PASS_MARK, CheckResult, Step, number

NOT_ATTEMPTED, SOLVED_WITH_HELP = "not attempted", "solved with help"


@dataclass
class Record:
    """The learner's record in this kernel."""
    hints_seen: dict[str, int] = field(default_factory=dict)
    last: dict[str, CheckResult] = field(default_factory=dict)
    solved: set[str] = field(default_factory=set)

    def status(self, exercise_id: str) -> str:
        if exercise_id in self.solved:
            return SOLVED_WITH_HELP
        result = self.last.get(exercise_id)
        if result is None:
            return NOT_ATTEMPTED
        return f"{PASS_MARK} passed" if result.passed else f"{FAIL_MARK} not yet"


RECORD = Record()


def _inline_markdown(text: str) -> str:
    """Escape, then turn `code` spans into <code> (hints are short Markdown)."""
    return re.sub(r"`([^`]+)`", r"<code>\1</code>", escape(text))


@dataclass(frozen=True)
class Hint:
    """``Hint 2 of 3: ...``; ``number`` is 0 when there is nothing more to show."""
    exercise_id: str
    text: str
    number: int
    total: int

    def __repr__(self) -> str:
        if self.number:
            return f"Hint {self.number} of {self.total}: {self.text}"
        return self.text

    def _repr_html_(self) -> str:
        if not self.number:
            return f'<p class="kubelearn-hint">{_inline_markdown(self.text)}</p>'
        return (f'<p class="kubelearn-hint" aria-label="Hint for exercise {escape(self.exercise_id)}">'
                f"<strong>Hint {self.number} of {self.total}:</strong> "
                f"{_inline_markdown(self.text)}</p>")


@dataclass(frozen=True)
class Transcript:
    """What ``solve``/``prepare`` ran, as a terminal would show it."""
    exercise_id: str
    steps: tuple = ()           # (Step, result) pairs
    footer: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return all(result.exit_code == 0 for _, result in self.steps)

    @property
    def text(self) -> str:
        blocks = []
        for step, result in self.steps:
            output = (result.stdout + result.stderr).rstrip("\n")
            blocks.append(step.shell() + ("\n" + output if output else ""))
        return "\n".join(blocks + list(self.footer))

    def __repr__(self) -> str:
        return self.text

    def _repr_html_(self) -> str:
        return f'<pre class="kubelearn-transcript">{escape(self.text)}</pre>'


def run_steps(cluster, steps: tuple[Step, ...]) -> tuple:
    """Run kubectl steps in order; a failing step is shown, and the rest still run."""
    return tuple((step, cluster.kubectl(step.command, stdin=step.stdin)) for step in steps)


@dataclass(frozen=True)
class Progress:
    """One row per exercise: id, title, status and the points of the last check."""
    rows: tuple[tuple[str, str, str, str], ...]

    def __repr__(self) -> str:
        if not self.rows:
            return "No exercises are registered yet."
        head = ("Exercise", "Title", "Status", "Last check")
        widths = [max(len(r[i]) for r in (head, *self.rows)) for i in range(4)]
        lines = ["  ".join(c.ljust(w) for c, w in zip(row, widths)).rstrip()
                 for row in (head, *self.rows)]
        done = sum(1 for r in self.rows if r[2] != NOT_ATTEMPTED)
        return "\n".join(lines + [f"{done} of {len(self.rows)} exercises attempted."])

    def _repr_html_(self) -> str:
        if not self.rows:
            return "<p>No exercises are registered yet.</p>"
        head = "".join(f'<th scope="col" style="text-align:left;padding:2px 8px">{h}</th>'
                       for h in ("Exercise", "Title", "Status", "Last check"))
        body = "".join(
            f'<tr><th scope="row" style="text-align:left;padding:2px 8px">{escape(r[0])}</th>'
            + "".join(f'<td style="padding:2px 8px">{escape(c)}</td>' for c in r[1:]) + "</tr>"
            for r in self.rows)
        return (f'<table class="kubelearn-progress"><caption>Exercise progress</caption>'
                f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>")


def last_check(result: CheckResult | None) -> str:
    if result is None:
        return ""
    return f"{number(result.score)}/{number(result.max_score)} points"
