"""What ``hint``, ``solve``, ``progress`` and ``task`` hand back, and the kernel's record.

Each is a small object that prints as plain text (logs, CI, nbval's
``text/plain``) and renders as HTML in Jupyter, with every piece of text
escaped. The kernel's record (hints seen, last check result, exercises solved
with help) lives in this module, one per Python process — one per notebook
kernel; it is what an instructor's grading run reports. What a self-paced
learner sees across kernels and restarts is kept by ``kubelearn.grading.store``.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from html import escape

from kubelearn.grading.model import FAIL_MARK, PASS_MARK, CheckResult, Step, plural

SOLVED_WITH_HELP = "solved with help"


@dataclass
class Record:
    """The learner's record in this kernel."""
    hints_seen: dict[str, int] = field(default_factory=dict)
    last: dict[str, CheckResult] = field(default_factory=dict)
    solved: set[str] = field(default_factory=set)


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
    """Run the steps in order; a failing step is shown, and the rest still run."""
    return run_steps_on(cluster, steps)[0]


def run_steps_on(cluster, steps: tuple[Step, ...]) -> tuple:
    """Run the steps in order, as in a terminal: ``(ran, target)``.

    kubectl steps talk to ``cluster`` until an ``aws`` step has run; an aws
    command can change kubectl's current context (``aws eks update-kubeconfig``),
    so from then on they talk to the current context's cluster, as kubectl would. ``target`` is the cluster
    the last kubectl step would talk to (the one to settle afterwards).
    ``aws`` steps run in this process's simulated AWS account."""
    ran, target = [], cluster
    for step in steps:
        if step.tool == "aws":
            result = _run_aws(step)
            target = _current_context() or target
        else:
            result = target.kubectl(step.command, stdin=step.stdin)
        ran.append((step, result))
    return tuple(ran), target


def _current_context():
    from kubelearn.contexts import kubeconfig

    return kubeconfig().cluster()


def _run_aws(step: Step):
    from kubelearn.cloud.aws import current

    account = current()
    if account is None:
        from kubelearn.kubectl.result import KubectlResult

        return KubectlResult("", "no simulated AWS account is running in this kernel: start "
                                 "one (run the notebook's first cell)\n", 255)
    return account.cli(step.command)


_STATUS_WORDS = {"passed": f"{PASS_MARK} passed", "partly": "◐ partly",
                 "not yet": f"{FAIL_MARK} not yet", "not tried": "· not tried",
                 "solved with help": f"{PASS_MARK} solved with help"}


@dataclass(frozen=True)
class ProgressRow:
    """One exercise in the progress table; ``status`` is one of ``store.STATUSES``."""
    chapter: str
    exercise_id: str
    title: str
    status: str
    best: str = ""              # "4/6 points", or "" when not tried


@dataclass(frozen=True)
class Progress:
    """Chapters and exercises with a status each, and the next suggested step.

    ``notebooks`` maps a chapter to its exercise notebook (for the headings);
    ``next_step`` is the one line that says where to go on; ``note`` reports
    a problem with the progress file, once."""
    rows: tuple[ProgressRow, ...]
    notebooks: tuple[tuple[str, str], ...] = ()
    next_step: str = ""
    note: str = ""

    def _heading(self, chapter: str) -> str:
        notebook = dict(self.notebooks).get(chapter, "")
        return f"Chapter {chapter}" + (f" · {notebook}" if notebook else "")

    def _chapters(self) -> list[tuple[str, list[ProgressRow]]]:
        groups: list[tuple[str, list[ProgressRow]]] = []
        for row in self.rows:
            if not groups or groups[-1][0] != row.chapter:
                groups.append((row.chapter, []))
            groups[-1][1].append(row)
        return groups

    def summary(self) -> str:
        """``2 of 15 exercises passed · 1 partly · 1 solved with help · 11 not tried``."""
        counts = {s: sum(r.status == s for r in self.rows) for s in _STATUS_WORDS}
        parts = [f"{counts['passed']} of {plural(len(self.rows), 'exercise', 'exercises')} passed"]
        parts += [f"{counts[s]} {s}" for s in ("partly", "not yet", "solved with help", "not tried")
                  if counts[s]]
        return " · ".join(parts)

    def __repr__(self) -> str:
        if not self.rows:
            return "No exercises are registered yet."
        cells = [(r.exercise_id, r.title, _STATUS_WORDS[r.status], r.best) for r in self.rows]
        widths = [max(len(c[i]) for c in cells) for i in range(4)]
        lines = [self.note] if self.note else []
        by_id = dict(zip((r.exercise_id for r in self.rows), cells))
        for chapter, rows in self._chapters():
            lines.append(self._heading(chapter))
            lines += ["  " + "  ".join(c.ljust(w) for c, w in zip(by_id[r.exercise_id], widths))
                      .rstrip() for r in rows]
        lines.append(self.summary() + ".")
        if self.next_step:
            lines.append(self.next_step)
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        if not self.rows:
            return "<p>No exercises are registered yet.</p>"
        th = 'style="text-align:left;padding:2px 8px"'
        head = "".join(f'<th scope="col" {th}>{h}</th>'
                       for h in ("Exercise", "Title", "Status", "Best score"))
        body = ""
        for chapter, rows in self._chapters():
            body += (f'<tr><th scope="colgroup" colspan="4" {th}>'
                     f"{escape(self._heading(chapter))}</th></tr>")
            body += "".join(
                f'<tr><th scope="row" {th}>{escape(r.exercise_id)}</th>'
                + "".join(f'<td style="padding:2px 8px">{escape(c)}</td>'
                          for c in (r.title, _STATUS_WORDS[r.status], r.best)) + "</tr>"
                for r in rows)
        note = f"<p>{escape(self.note)}</p>" if self.note else ""
        step = f"<p><strong>{_inline_markdown(self.next_step)}</strong></p>" \
            if self.next_step else ""
        return (f'<div class="kubelearn-progress">{note}<table>'
                f"<caption>Your progress: {escape(self.summary())}</caption>"
                f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>{step}</div>")


@dataclass(frozen=True)
class Notice:
    """A short message for the learner (``set_learner``'s answer, say)."""
    text: str

    def __repr__(self) -> str:
        return self.text

    def _repr_html_(self) -> str:
        return f'<p class="kubelearn-notice">{_inline_markdown(self.text)}</p>'


@dataclass(frozen=True)
class Task:
    """An exercise's task, with the values of this learner's variant."""
    exercise_id: str
    title: str
    text: str
    values: str = ""            # "name=site, replicas=3" for a learner's own variant

    def __repr__(self) -> str:
        lines = [f"Exercise {self.exercise_id} · {self.title}", "", self.text]
        if self.values:
            lines += ["", f"(Your own values: {self.values}.)"]
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        values = f"<p><small>Your own values: {escape(self.values)}.</small></p>" \
            if self.values else ""
        return (f'<div class="kubelearn-task"><p><strong>Exercise {escape(self.exercise_id)} · '
                f"{escape(self.title)}</strong></p><p>{_inline_markdown(self.text)}</p>"
                f"{values}</div>")
