"""What ``kubelearn grade`` writes: two CSVs, feedback per learner, a summary.

* the wide CSV (``--out``): one row per learner, the gradebook to import;
* the long CSV (``<stem>-long.csv`` beside it): one row per check and learner,
  for analytics ("which check do most learners fail?");
* ``<feedback>/<learner>.md`` and ``.html``: every check's result, hidden ones
  included — their description, expected and actual values and message, never
  their code (nbgrader #917/#1363 leaked hidden tests into feedback) — and the
  errors the learner's own cells raised (otter #410 swallowed them);
* :func:`summary`: per check, how many learners failed it, most failed first,
  and how often each recognised misconception was seen.

Everything is a pure function of the reports, in a fixed order, with points
written without a trailing ``.0`` and ``\\n`` line ends: grading the same
folder twice gives byte-identical files (no times, no durations, no paths
outside the submissions folder).
"""
from __future__ import annotations

import csv
import io
from html import escape
from pathlib import Path

from kubelearn.grading.classroom import Graded, file_name
from kubelearn.grading.model import FAIL_MARK, PASS_MARK, number
from kubelearn.grading.registry import REGISTRY, id_key

WIDE_HEAD = ["learner", "notebook", "status", "total", "max"]
LONG_HEAD = ["learner", "exercise", "check", "hidden", "passed", "points", "max_points",
             "expected", "actual", "message", "misconception"]


def long_path(out) -> Path:
    """``grades.csv`` -> ``grades-long.csv``, in the same folder."""
    out = Path(out)
    return out.with_name(f"{out.stem}-long{out.suffix or '.csv'}")


def _flag(value) -> str:
    return "true" if value else "false"


def _items(graded: Graded):
    """(exercise id, item dict) in exercise order, then check order."""
    exercises = graded.report.get("exercises") or {}
    for ex_id in sorted(exercises, key=id_key):
        for item in exercises[ex_id].get("items", []):
            yield ex_id, item


def exercise_columns(graded: list[Graded]) -> list[str]:
    """Every exercise graded for anyone, and every exercise of a graded chapter
    (so a class whose notebooks all failed still has the chapter's columns)."""
    ids = set()
    for g in graded:
        ids.update((g.report.get("exercises") or {}).keys())
        if g.submission.chapter is not None:
            try:
                ids.update(REGISTRY.ids(g.submission.chapter))
            except Exception:  # noqa: BLE001 - a column list must not stop the report
                pass
    return sorted(ids, key=id_key)


def _csv_text(rows: list[list]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerows(rows)
    return buffer.getvalue()


def wide_csv(graded: list[Graded]) -> str:
    columns = exercise_columns(graded)
    rows = [WIDE_HEAD + columns]
    for g in graded:
        exercises = g.report.get("exercises") or {}
        scores = [number(exercises[c]["score"]) if c in exercises else "" for c in columns]
        rows.append([g.learner, g.submission.notebook, g.status,
                     number(g.report.get("total", 0)), number(g.report.get("max", 0))] + scores)
    return _csv_text(rows)


def long_csv(graded: list[Graded]) -> str:
    rows = [LONG_HEAD]
    for g in graded:
        for ex_id, item in _items(g):
            rows.append([g.learner, ex_id, item["id"], _flag(item.get("hidden")),
                         _flag(item.get("passed")), number(item.get("points", 0)),
                         number(item.get("max_points", 0)), item.get("expected", ""),
                         item.get("actual", ""), item.get("message", ""),
                         item.get("misconception", "")])
    return _csv_text(rows)


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="") as fh:
        fh.write(text)


def write_all(graded: list[Graded], out, feedback_dir=None) -> list[Path]:
    """Write both CSVs and every learner's feedback; the paths written, CSVs first."""
    out = Path(out)
    feedback_dir = Path(feedback_dir) if feedback_dir is not None else out.parent / "feedback"
    written = [out, long_path(out)]
    _write(out, wide_csv(graded))
    _write(long_path(out), long_csv(graded))
    for g in graded:
        stem = feedback_dir / file_name(g.learner)
        _write(stem.with_suffix(".md"), feedback_markdown(g))
        _write(stem.with_suffix(".html"), feedback_html(g))
    return written + [feedback_dir]


# -- feedback -----------------------------------------------------------------------------------

_STATUS_TEXT = {"ok": "graded", "timeout": "stopped: it ran too long",
                "error": "could not be graded"}


def _result_word(item: dict) -> str:
    return f"{PASS_MARK} passed" if item.get("passed") else f"{FAIL_MARK} not yet"


def _check_name(item: dict) -> str:
    name = item["id"].rsplit("/", 1)[-1]
    return f"{name} (hidden)" if item.get("hidden") else name


def _intro(g: Graded) -> list[str]:
    """Plain-text lines shared by the Markdown and the HTML feedback."""
    r = g.report
    lines = [f"Notebook: {g.submission.notebook}",
             f"Total: {number(r.get('total', 0))}/{number(r.get('max', 0))} points "
             f"({_STATUS_TEXT.get(g.status, g.status)})"]
    if r.get("error"):
        lines.append(f"Note: {r['error']}")
    if any(i.get("hidden") for _, i in _items(g)):
        lines.append("This report shows the result of every check, including the hidden "
                     "ones that run only at grading time.")
    return lines


def _exercise_heading(ex_id: str, entry: dict) -> str:
    helped = " · solved with help" if entry.get("solved_with_help") else ""
    return (f"Exercise {ex_id} · {entry.get('title', '')} — "
            f"{number(entry.get('score', 0))}/{number(entry.get('max', 0))} points{helped}")


def _error_line(err: dict) -> str:
    value = f": {err['evalue']}" if err.get("evalue") else ""
    return f"cell {err['cell']}: {err.get('ename', '')}{value}"


def _md(text) -> str:
    """Text for a Markdown table cell: HTML-escaped, no pipes or line breaks."""
    return escape(str(text), quote=False).replace("|", "\\|").replace("\r", " ").replace("\n", " ")


def _md_code(text) -> str:
    text = str(text).replace("|", "\\|").replace("\r", " ").replace("\n", " ")
    if not text:
        return ""
    fence = "``" if "`" in text else "`"
    return f"{fence} {text} {fence}" if fence == "``" else f"`{text}`"


def feedback_markdown(g: Graded) -> str:
    lines = [f"# Feedback for {_md(g.learner)}", ""]
    lines += [f"{_md(line)}  " for line in _intro(g)] + [""]
    exercises = g.report.get("exercises") or {}
    for ex_id in sorted(exercises, key=id_key):
        entry = exercises[ex_id]
        lines += [f"## {_md(_exercise_heading(ex_id, entry))}", ""]
        if entry.get("note"):
            lines += [_md(entry["note"]), ""]
        lines += ["| Result | Check | What was found | Expected | Actual | Points |",
                  "|---|---|---|---|---|---|"]
        for item in entry.get("items", []):
            lines.append(
                f"| {_result_word(item)} | {_md(_check_name(item))}: "
                f"{_md(item.get('description', ''))} | {_md(item.get('message', ''))} | "
                f"{_md_code(item.get('expected', ''))} | {_md_code(item.get('actual', ''))} | "
                f"{number(item.get('points', 0))}/{number(item.get('max_points', 0))} |")
        lines.append("")
    errors = g.report.get("learner_errors") or []
    if errors:
        lines += ["## Errors in your notebook", ""]
        lines += [f"- {_md(_error_line(e))}" for e in errors] + [""]
    return "\n".join(lines)


_CELL = 'style="text-align:left;padding:2px 8px;border-bottom:1px solid #ccc"'


def feedback_html(g: Graded) -> str:
    who = escape(g.learner)
    parts = ["<!DOCTYPE html>", '<html lang="en">', "<head>", '<meta charset="utf-8">',
             f"<title>Feedback for {who}</title>", "</head>", "<body>",
             f"<h1>Feedback for {who}</h1>"]
    parts += [f"<p>{escape(line)}</p>" for line in _intro(g)]
    exercises = g.report.get("exercises") or {}
    heads = ("Result", "Check", "What was found", "Expected", "Actual", "Points")
    for ex_id in sorted(exercises, key=id_key):
        entry = exercises[ex_id]
        parts.append(f"<h2>{escape(_exercise_heading(ex_id, entry))}</h2>")
        if entry.get("note"):
            parts.append(f"<p>{escape(entry['note'])}</p>")
        parts.append('<table style="border-collapse:collapse">')
        parts.append(f"<caption>Checks of exercise {escape(ex_id)}</caption>")
        parts.append("<thead><tr>" + "".join(f'<th scope="col" {_CELL}>{h}</th>' for h in heads)
                     + "</tr></thead><tbody>")
        for item in entry.get("items", []):
            colour = "#1a7f37" if item.get("passed") else "#b42318"
            cells = [
                f'<td {_CELL[:-1]};color:{colour}">{escape(_result_word(item))}</td>',
                f"<td {_CELL}>{escape(_check_name(item))}<br><small>"
                f"{escape(str(item.get('description', '')))}</small></td>",
                f"<td {_CELL}>{escape(str(item.get('message', '')))}</td>",
                f"<td {_CELL}><code>{escape(str(item.get('expected', '')))}</code></td>",
                f"<td {_CELL}><code>{escape(str(item.get('actual', '')))}</code></td>",
                f"<td {_CELL}>{number(item.get('points', 0))}/"
                f"{number(item.get('max_points', 0))}</td>"]
            parts.append("<tr>" + "".join(cells) + "</tr>")
        parts.append("</tbody></table>")
    errors = g.report.get("learner_errors") or []
    if errors:
        parts.append("<h2>Errors in your notebook</h2>")
        parts.append("<ul>" + "".join(f"<li>{escape(_error_line(e))}</li>" for e in errors)
                     + "</ul>")
    parts += ["</body>", "</html>", ""]
    return "\n".join(parts)


# -- the summary --------------------------------------------------------------------------------

def failures(graded: list[Graded]) -> list[tuple[str, int, int]]:
    """(check id, learners who failed it, learners graded on it), most failed first,
    then in course order; checks nobody failed are left out."""
    failed: dict[str, int] = {}
    seen: dict[str, int] = {}
    order: dict[str, tuple] = {}
    for g in graded:
        for ex_id, item in _items(g):
            cid = item["id"]
            seen[cid] = seen.get(cid, 0) + 1
            failed[cid] = failed.get(cid, 0) + (not item.get("passed"))
            order.setdefault(cid, (id_key(ex_id), len(order)))
    rows = [(cid, failed[cid], seen[cid]) for cid in seen if failed[cid]]
    return sorted(rows, key=lambda r: (-r[1], order[r[0]]))


def misconceptions(graded: list[Graded]) -> list[tuple[str, int]]:
    """(misconception id, learners in whose grading it was recognised), most seen first."""
    counts: dict[str, int] = {}
    for g in graded:
        ids = {item.get("misconception", "") for _, item in _items(g)} - {""}
        for mid in ids:
            counts[mid] = counts.get(mid, 0) + 1
    return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))


def summary(graded: list[Graded]) -> list[str]:
    statuses = {}
    for g in graded:
        statuses[g.status] = statuses.get(g.status, 0) + 1
    counted = ", ".join(f"{statuses[s]} {s}" for s in ("ok", "timeout", "error") if s in statuses)
    lines = [f"{len(graded)} notebook{'s' if len(graded) != 1 else ''} graded: {counted}"]
    for g in graded:
        if g.status != "ok":
            lines.append(f"  {g.learner} ({g.submission.notebook}): {g.status}: "
                         f"{g.report.get('error') or ''}".rstrip())
    rows = failures(graded)
    if rows:
        width = max(len(cid) for cid, _, _ in rows)
        lines.append("Checks failed, most failed first:")
        lines += [f"  {cid:<{width}}  failed by {n} of {of}" for cid, n, of in rows]
    elif any(True for g in graded for _ in _items(g)):
        lines.append("Every check passed for every learner.")
    seen = misconceptions(graded)
    if seen:
        width = max(len(mid) for mid, _ in seen)
        lines.append("Misconceptions recognised:")
        lines += [f"  {mid:<{width}}  {n} learner{'s' if n != 1 else ''}" for mid, n in seen]
    return lines
