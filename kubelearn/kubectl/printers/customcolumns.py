"""``kubectl get -o custom-columns=HEADER:.path,...`` (kubectl get/customcolumn.go).

Each column is a JSONPath with relaxed braces (``metadata.name``,
``.metadata.name``, ``{metadata.name}`` all become ``{.metadata.name}``),
evaluated with missing keys allowed.  Unlike ``-o jsonpath`` the values are
printed with Go's ``%v`` (``map[app:web]``, ``[a b]``, ``<nil>``), several values
are joined by ``,``, and no value at all prints ``<none>``.  Rows go through
kubectl's get tabwriter (6, 4, 3, RememberWidths) without any escaping: a
newline inside a value really breaks the line, as in kubectl.
"""

from __future__ import annotations

import re

from .jsonout import client_view
from .jsonpath import JSONPathError, find_results, go_sprint, parse_jsonpath
from .tabwriter import GET_SETTINGS, TabWriter

_RELAXED = re.compile(r"\{\.?([^{}]+)\}|\.?([^{}]+)")


class CustomColumnsError(Exception):
    """``message`` follows ``error: `` on stderr; ``output`` is what kubectl had
    already written to stdout (the header and earlier rows) when it failed."""

    def __init__(self, message: str, output: str = ""):
        super().__init__(message)
        self.message = message
        self.output = output


def relaxed_jsonpath(expr: str) -> str:
    """kubectl's RelaxedJSONPathExpression: ``a.b`` / ``.a.b`` / ``{a.b}`` -> ``{.a.b}``."""
    if not expr:
        return expr
    m = _RELAXED.fullmatch(expr)
    if not m:
        raise CustomColumnsError(
            "unexpected path string, expected a 'name1.name2' or '.name1.name2' or "
            "'{name1.name2}' or '{.name1.name2}'")
    return "{." + (m.group(1) or m.group(2)) + "}"


def parse_custom_columns(spec: str) -> list[tuple[str, str]]:
    """``"NAME:.metadata.name,IMAGE:.spec..."`` -> [(header, jsonpath template)]."""
    if not spec:
        raise CustomColumnsError("custom-columns format specified but no custom columns given")
    columns = []
    for part in spec.split(","):
        header, sep, path = part.partition(":")
        if not sep:
            raise CustomColumnsError(
                f"unexpected custom-columns spec: {part}, expected <header>:<json-path-expr>")
        columns.append((header, relaxed_jsonpath(path)))
    return columns


def column_value(template_root, obj) -> str:
    """One cell: ``%v`` of every result joined by ``,``; ``<none>`` if there is none."""
    groups = find_results(template_root, obj, allow_missing_keys=True)
    if not groups or not groups[0]:
        return "<none>"
    return ",".join(go_sprint(v) for group in groups for v in group)


def render_custom_columns(spec, objects: list[dict], no_headers: bool = False) -> str:
    """The whole ``-o custom-columns`` output for ``objects`` (the items, in order).

    ``spec`` is the text after ``custom-columns=`` or already parsed columns.
    Raises ``CustomColumnsError``; its ``output`` must still go to stdout.
    """
    columns = parse_custom_columns(spec) if isinstance(spec, str) else list(spec)
    w = TabWriter(**GET_SETTINGS)
    if not no_headers:
        w.write("\t".join(header for header, _ in columns) + "\n")
    try:
        roots = [parse_jsonpath(template) for _, template in columns]
        for obj in objects:
            data = client_view(obj)
            w.write("\t".join(column_value(root, data) for root in roots) + "\n")
    except JSONPathError as err:
        raise CustomColumnsError(err.message, output=w.flush()) from None
    return w.flush()
