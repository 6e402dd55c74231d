"""A manifest editor: YAML in a text area, Apply and Delete through kubectl.

**Apply** runs ``kubectl apply -f -`` and **Delete** ``kubectl delete -f -``
with the text on standard input, through ``cluster.kubectl`` like everything
else, and shows kubectl's stdout and stderr exactly as it wrote them. Two
kinds of error also point into the text:

* a YAML error (``error converting YAML to JSON: yaml: line 7: ...``): kubectl
  counts lines from the start of the *broken document* (each ``---`` document
  is converted on its own), so the editor finds that document, the first that
  does not parse, and marks line 7 of it, with a line either side;
* an unknown field (``strict decoding error: unknown field "spec.replica"``):
  the editor finds the key ``replica`` under ``spec`` in a document of that
  kind and marks its line.

``error_line`` is the 1-based line of the text that was marked (None when
nothing was), for tests and for the browser.
"""
from __future__ import annotations

import re
from html import escape

import ipywidgets as widgets
import yaml

from kubelearn.kubectl.manifests import split_documents
from kubelearn.widgets.html import CSS, command_output
from kubelearn.widgets.refresh import hub

YAML_LINE = re.compile(r"error converting YAML to JSON: yaml: (?:line (\d+): )?")
UNKNOWN_FIELD = re.compile(
    r'(\w+) in version "[^"]*" cannot be handled as a \w+: strict decoding error: '
    r'unknown field "([^"]+)"')
CONTEXT_LINES = 1


class ManifestEditor(widgets.VBox):
    """Edit a manifest and apply or delete it; ``result`` is kubectl's last answer."""

    def __init__(self, cluster, text: str = "", *, rows: int = 18, **kwargs):
        self.cluster = cluster
        self.result = None
        self.command = ""
        self.error_line: int | None = None
        self.text_area = widgets.Textarea(value=text, rows=rows, placeholder="apiVersion: v1\n...",
                                          layout=widgets.Layout(width="100%"))
        self.text_area.add_class("kubelearn-editor")
        self.apply_button = widgets.Button(description="Apply", icon="check", button_style="primary",
                                           tooltip="kubectl apply -f - with this manifest")
        self.apply_button.add_class("kubelearn-editor-apply")
        self.delete_button = widgets.Button(description="Delete", icon="trash",
                                            button_style="danger",
                                            tooltip="kubectl delete -f - with this manifest")
        self.delete_button.add_class("kubelearn-editor-delete")
        self.output = widgets.HTML()
        self.output.add_class("kubelearn-editor-output")
        self.apply_button.on_click(lambda _b: self.apply())
        self.delete_button.on_click(lambda _b: self.delete())
        super().__init__([widgets.HTML(CSS), self.text_area,
                          widgets.HBox([self.apply_button, self.delete_button]), self.output],
                         **kwargs)
        self.add_class("kubelearn-manifest-editor")

    @property
    def text(self) -> str:
        return self.text_area.value

    @text.setter
    def text(self, value: str) -> None:
        self.text_area.value = value

    def apply(self):
        return self._run("apply -f -")

    def delete(self):
        return self._run("delete -f -")

    def _run(self, command: str):
        text = self.text
        self.command = f"kubectl {command}"
        self.result = self.cluster.kubectl(command, stdin=text)
        self.error_line = locate_error(text, self.result.stderr)
        marked = self._marked_lines(text) if self.error_line else ""
        self.output.value = command_output(self.command, self.result) + marked
        hub(self.cluster).flush()
        return self.result

    def _marked_lines(self, text: str) -> str:
        lines = text.splitlines()
        first = max(1, self.error_line - CONTEXT_LINES)
        last = min(len(lines), self.error_line + CONTEXT_LINES)
        width = len(str(last))
        shown = []
        for number in range(first, last + 1):
            mark = ">" if number == self.error_line else " "
            line = f"{mark} {number:>{width}} | {lines[number - 1]}"
            css = ' class="kubelearn-marked"' if number == self.error_line else ""
            shown.append(f"<span{css}>{escape(line)}</span>")
        return (f'<pre class="kubelearn-pre kubelearn-editor-error-lines" '
                f'aria-label="line {self.error_line} of the manifest">' + "\n".join(shown)
                + "</pre>")

    def __repr__(self) -> str:
        lines = len(self.text.splitlines())
        return f"<ManifestEditor {self.cluster.name!r}: {lines} lines>"


def locate_error(text: str, stderr: str) -> int | None:
    """The 1-based line of ``text`` that kubectl's error is about, or None."""
    found = YAML_LINE.search(stderr)
    if found:
        return _yaml_error_line(text, int(found.group(1) or 1))
    found = UNKNOWN_FIELD.search(stderr)
    if found:
        return _field_line(text, found.group(1), found.group(2).split("."))
    return None


def _documents(text: str):
    """(first line number, document text) for each ``---`` document, 1-based."""
    start = 1
    for chunk in split_documents(text):
        yield start, chunk
        start += len(chunk.splitlines()) + 1     # the chunk, then its separator line


def _yaml_error_line(text: str, line: int) -> int | None:
    """``line`` of the first document that does not parse (kubectl stops there)."""
    for start, chunk in _documents(text):
        try:
            yaml.safe_load(chunk)
        except yaml.YAMLError:
            return min(start + line - 1, max(len(text.splitlines()), 1))
    return None


def _field_line(text: str, kind: str, path: list[str]) -> int | None:
    """The line of the key at ``path`` in the first document of ``kind`` that has it."""
    for start, chunk in _documents(text):
        try:
            node = yaml.compose(chunk)
        except yaml.YAMLError:
            return None
        if not isinstance(node, yaml.MappingNode) or _value(node, "kind") != kind:
            continue
        key = _key_node(node, path)
        if key is not None:
            return start + key.start_mark.line
    return None


def _value(node: yaml.MappingNode, key: str):
    for k, v in node.value:
        if isinstance(k, yaml.ScalarNode) and k.value == key and isinstance(v, yaml.ScalarNode):
            return v.value
    return None


INDEX = re.compile(r"^(.*?)\[(\d+)\]$")


def _key_node(node, path: list[str]):
    """Follow ``path`` (``spec``, ``containers[1]``, ``imag``) through the YAML nodes to the
    last key's node."""
    head, rest = path[0], path[1:]
    index = None
    found = INDEX.match(head)
    if found:
        head, index = found.group(1), int(found.group(2))
    if not isinstance(node, yaml.MappingNode):
        return None
    for k, v in node.value:
        if isinstance(k, yaml.ScalarNode) and k.value == head:
            if index is not None:
                if not isinstance(v, yaml.SequenceNode) or index >= len(v.value):
                    return None
                v = v.value[index]
                if not rest:
                    return v
            return k if not rest else _key_node(v, rest)
    return None
