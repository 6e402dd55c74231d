"""HTML the widgets share: kubectl's tables as HTML, command output, a little Markdown.

Tables come from the API server's table convertors (``kubelearn.apiserver.
tables``), the same rows and cells ``kubectl get`` prints: the dashboard and
the terminal never disagree about READY, STATUS, RESTARTS or AGE. Everything
put into HTML is escaped. Colours always come with the words (STATUS text
stays), so nothing is said by colour alone.
"""
from __future__ import annotations

import re
from html import escape

from kubelearn.apiserver.tables import table

# A table shows at most this many rows, and says how many it left out: a scale lesson's
# 10,000 pods would make a page no browser wants to draw.
MAX_ROWS = 200

CSS = """<style>
.kubelearn-table {border-collapse: collapse; font-size: 12px; margin: 4px 0 10px 0}
.kubelearn-table caption {text-align: left; font-weight: bold; padding: 2px 0}
.kubelearn-table th, .kubelearn-table td {text-align: left; padding: 2px 10px 2px 0;
  border-bottom: 1px solid #ddd; white-space: nowrap; font-family: monospace}
.kubelearn-ok {background: #d4edda} .kubelearn-progress {background: #fff3cd}
.kubelearn-done {background: #e2e3e5} .kubelearn-bad {background: #f8d7da}
.kubelearn-restarted {font-weight: bold; color: #b42318}
.kubelearn-pre {font-family: monospace; font-size: 12px; white-space: pre; margin: 2px 0;
  overflow-x: auto}
.kubelearn-stderr {color: #b42318}
.kubelearn-object-yaml pre {max-height: 320px; overflow: auto}
.kubelearn-marked {background: #f8d7da; font-weight: bold}
.kubelearn-editor textarea {font-family: monospace; font-size: 12px}
.kubelearn-check-table td {white-space: normal; font-family: inherit}
.kubelearn-check-passed td:first-child {color: #1a7f37}
.kubelearn-check-failed td:first-child {color: #b42318}
</style>"""

# STATUS texts (pods, nodes, events) -> a colour class; anything else is a failure.
STATUS_CLASSES = {
    "Running": "kubelearn-ok", "Ready": "kubelearn-ok", "Normal": "",
    "Completed": "kubelearn-done", "Terminating": "kubelearn-done", "Succeeded": "kubelearn-done",
    "Pending": "kubelearn-progress", "ContainerCreating": "kubelearn-progress",
    "PodInitializing": "kubelearn-progress", "Ready,SchedulingDisabled": "kubelearn-progress",
}
STATUS_COLUMNS = {"Pod": "Status", "Node": "Status", "Event": "Type"}


def status_class(text: str) -> str:
    if text.startswith("Init:") and not text.startswith(("Init:Error", "Init:Crash")):
        return "kubelearn-progress"
    return STATUS_CLASSES.get(text, "kubelearn-bad")


def resource_table(kind: str, objects: list[dict], now: float, *, caption: str,
                   with_namespace: bool = False, empty: str = "No resources found") -> str:
    """``kubectl get KIND`` as an HTML table: one ``<tr class="kubelearn-row">`` per object
    (``data-key="ns/name"``), the STATUS cell of pods and nodes coloured, restarted
    pods' RESTARTS in bold. At most ``MAX_ROWS`` rows, with a note saying how many more."""
    tab = table(kind, objects[:MAX_ROWS], now)
    keep = tab.visible()
    headers = [tab.columns[i].header for i in keep]
    if with_namespace:
        headers.insert(0, "NAMESPACE")
    head = "".join(f'<th scope="col">{escape(h)}</th>' for h in headers)
    status_name = STATUS_COLUMNS.get(kind)
    rows = []
    for row in tab.rows:
        meta = row.object["metadata"]
        cells = []
        for i in keep:
            text = row.cells[i]
            name = tab.columns[i].name
            css = ""
            if name == status_name:
                css = status_class(text) if kind != "Event" else \
                    ("" if text == "Normal" else "kubelearn-bad")
            elif name == "Restarts" and text not in ("", "0"):
                css = "kubelearn-restarted"
            cells.append(f'<td class="{css}">{escape(text)}</td>' if css
                         else f"<td>{escape(text)}</td>")
        if with_namespace:
            cells.insert(0, f"<td>{escape(meta.get('namespace', ''))}</td>")
        key = f"{meta.get('namespace', '')}/{meta['name']}"
        rows.append(f'<tr class="kubelearn-row" data-key="{escape(key)}">{"".join(cells)}</tr>')
    more = ""
    if len(objects) > MAX_ROWS:
        more = (f'<p class="kubelearn-more">Showing {MAX_ROWS} of {len(objects):,}; '
                f"choose a namespace or use kubectl for the rest.</p>")
    if not rows:
        return (f'<div class="kubelearn-table-empty"><strong>{escape(caption)}</strong>'
                f"<br><small>{escape(empty)}</small></div>")
    return (f'<table class="kubelearn-table" data-kind="{kind}"><caption>{escape(caption)}'
            f"</caption><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"
            f"{more}")


def row_count(html: str) -> int:
    """How many object rows a ``resource_table`` holds (for tests and the browser)."""
    return html.count('<tr class="kubelearn-row"')


def pre(text: str, css: str = "") -> str:
    return f'<pre class="kubelearn-pre {css}">{escape(text, quote=False)}</pre>' if text else ""


def command_output(command: str, result) -> str:
    """``$ kubectl ...`` then stdout and stderr exactly as kubectl wrote them."""
    return (pre(f"$ {command}", "kubelearn-command") + pre(result.stdout, "kubelearn-stdout")
            + pre(result.stderr, "kubelearn-stderr"))


_INLINE = ((re.compile(r"`([^`]+)`"), r"<code>\1</code>"),
           (re.compile(r"\*\*([^*]+)\*\*"), r"<strong>\1</strong>"),
           (re.compile(r"(?<![*\w])\*([^*\s][^*]*)\*(?!\w)"), r"<em>\1</em>"))


_LIST_MARK = re.compile(r"^\s*([-*]|\d+\.)\s+")


def inline_markdown(text: str) -> str:
    out = escape(text, quote=False)
    for pattern, replacement in _INLINE:
        out = pattern.sub(replacement, out)
    return out


def markdown(text: str) -> str:
    """The small Markdown exercise tasks use: paragraphs, ``- `` lists, fenced code,
    `code`, **bold** and *emphasis*. Escaped first, so text never becomes markup."""
    blocks, out = re.split(r"\n\s*\n", text.strip("\n")), []
    for block in blocks:
        lines = block.splitlines()
        if lines and lines[0].lstrip().startswith("```"):
            body = "\n".join(line for line in lines[1:] if not line.strip().startswith("```"))
            out.append(f"<pre><code>{escape(body)}</code></pre>")
        elif lines and all(re.match(r"\s*([-*]|\d+\.)\s", line) for line in lines):
            tag = "ol" if re.match(r"\s*\d+\.", lines[0]) else "ul"
            items = "".join(f"<li>{inline_markdown(_LIST_MARK.sub('', line))}</li>"
                            for line in lines)
            out.append(f"<{tag}>{items}</{tag}>")
        else:
            out.append(f"<p>{inline_markdown(' '.join(line.strip() for line in lines))}</p>")
    return "".join(out)
