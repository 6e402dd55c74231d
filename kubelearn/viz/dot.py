"""A tiny DOT builder and a Diagram that shows itself as SVG in Jupyter.

    g = Digraph("cluster", rankdir="LR", node_attr={"shape": "box"})
    with g.subgraph("node-1", label="node-1") as n1:   # drawn as a box
        n1.node("default/web-1", "web-1", color="green")
    g.node("api", "kube-apiserver")
    g.edge("api", "default/web-1", style="dashed")
    Diagram(g)            # SVG in a notebook; print(...) gives the DOT source

Output is deterministic: statements come out in the order they were added,
attributes as ``label`` first and then the rest sorted by name, so tests can
compare DOT source exactly (test the source, not the picture).

Quoting: an ID that is a plain identifier (``web``, ``node_1``) or a number is
written bare, anything else is double-quoted with ``\\``, ``"`` and newlines
escaped (so a label's newline becomes a line break). An HTML-like label --
``<...>`` containing at least one tag, such as ``<<b>web</b>>``, or content
wrapped in :class:`HTML` -- is passed through unquoted. Text such as
``<none>`` (no tag inside) is an ordinary quoted string.
"""

from __future__ import annotations

import re
from pathlib import Path

from kubelearn.viz.render import render_svg

_BARE_ID = re.compile(r"[A-Za-z_][A-Za-z0-9_]*|-?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)")
_KEYWORDS = {"node", "edge", "graph", "digraph", "subgraph", "strict"}


class HTML(str):
    """The content of an HTML-like label: ``HTML("<b>web</b>")`` is written ``<<b>web</b>>``."""


def _is_html(text: str) -> bool:
    return text.startswith("<") and text.endswith(">") and "<" in text[1:-1]


def quote_id(value: object) -> str:
    """A node, graph or attribute-name ID in DOT syntax."""
    text = str(value)
    if _BARE_ID.fullmatch(text) and text.lower() not in _KEYWORDS:
        return text
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\r", "").replace("\n", "\\n")
    return f'"{escaped}"'


def quote_value(value: object) -> str:
    """An attribute value in DOT syntax (HTML-like labels passed through)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    text = str(value)
    if isinstance(value, HTML):
        return f"<{text}>"
    if _is_html(text):
        return text
    return quote_id(text)


def format_attrs(attrs: dict[str, object]) -> str:
    """``[label="x", a=1, b=2]``: label first, then sorted; None values dropped."""
    keys = sorted((k for k, v in attrs.items() if v is not None), key=lambda k: (k != "label", k))
    if not keys:
        return ""
    return "[" + ", ".join(f"{quote_id(k)}={quote_value(attrs[k])}" for k in keys) + "]"


def _statement(head: str, attrs: dict[str, object]) -> str:
    formatted = format_attrs(attrs)
    return f"{head} {formatted};" if formatted else f"{head};"


class _Body:
    """Statements shared by a graph and its subgraphs."""

    def __init__(self, name: str, attrs: dict[str, object]):
        self.name = name
        self.attrs = dict(attrs)
        self._items: list[str | Subgraph] = []
        self.node_count = 0
        self.edge_count = 0

    def node(self, id: object, label: object = None, **attrs: object) -> None:
        """Add a node; label defaults to the id (Graphviz's own default)."""
        self.node_count += 1
        self._items.append(_statement(quote_id(id), {"label": label, **attrs}))

    def edge(self, a: object, b: object, **attrs: object) -> None:
        self.edge_count += 1
        self._items.append(_statement(f"{quote_id(a)} -> {quote_id(b)}", attrs))

    def subgraph(self, name: str, label: object = None, *, cluster: bool = True, **attrs: object) -> Subgraph:
        """Add a subgraph; with cluster=True (default) Graphviz draws it as a box.

        Works as an object or a context manager (``with g.subgraph(...) as s``).
        """
        if cluster and not name.startswith("cluster"):
            name = "cluster_" + name
        sub = Subgraph(name, {"label": label, **attrs})
        self._items.append(sub)
        return sub

    def subgraphs(self) -> list[Subgraph]:
        return [item for item in self._items if isinstance(item, Subgraph)]

    def counts(self) -> tuple[int, int, int]:
        """(nodes, edges, subgraphs) statements, nested ones included."""
        nodes, edges, subs = self.node_count, self.edge_count, 0
        for sub in self.subgraphs():
            n, e, s = sub.counts()
            nodes, edges, subs = nodes + n, edges + e, subs + s + 1
        return nodes, edges, subs

    def _lines(self, keyword: str, defaults: dict[str, dict[str, object]], indent: str) -> list[str]:
        inner = indent + "  "
        lines = [f"{indent}{keyword} {quote_id(self.name)} {{"]
        for kind, attrs in (("graph", self.attrs), *defaults.items()):
            if format_attrs(attrs):
                lines.append(inner + _statement(kind, attrs))
        for item in self._items:
            if isinstance(item, Subgraph):
                lines.extend(item._lines("subgraph", {}, inner))
            else:
                lines.append(inner + item)
        lines.append(indent + "}")
        return lines


class Subgraph(_Body):
    """A subgraph (a box when its name starts with ``cluster``)."""

    def __enter__(self) -> Subgraph:
        return self

    def __exit__(self, *exc: object) -> None:
        return None


class Digraph(_Body):
    """A directed graph; keyword arguments are graph attributes."""

    def __init__(
        self,
        name: str = "G",
        *,
        node_attr: dict[str, object] | None = None,
        edge_attr: dict[str, object] | None = None,
        **attrs: object,
    ):
        super().__init__(name, attrs)
        self.node_attr = dict(node_attr or {})
        self.edge_attr = dict(edge_attr or {})

    @property
    def source(self) -> str:
        defaults = {"node": self.node_attr, "edge": self.edge_attr}
        return "\n".join(self._lines("digraph", defaults, "")) + "\n"

    def diagram(self, description: str | None = None) -> Diagram:
        return Diagram(self, description)

    def _repr_mimebundle_(self, include=None, exclude=None) -> dict[str, str]:
        return self.diagram()._repr_mimebundle_(include, exclude)

    def __repr__(self) -> str:
        return self.diagram().description

    def __str__(self) -> str:
        return self.source


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" + ("" if n == 1 else "s")


class Diagram:
    """A rendered graph: SVG in Jupyter, a short description as plain text.

    ``str(d)`` is the DOT source; ``d.save("x.svg")`` or ``d.save("x.dot")``.
    """

    def __init__(self, graph: Digraph | str, description: str | None = None):
        self.source = graph.source if isinstance(graph, Digraph) else str(graph)
        if description is None:
            if isinstance(graph, Digraph):
                nodes, edges, subs = graph.counts()
                parts = [_plural(nodes, "node"), _plural(edges, "edge")]
                if subs:
                    parts.append(_plural(subs, "subgraph"))
                description = f"Diagram {graph.name}: " + ", ".join(parts)
            else:
                description = f"Diagram: {_plural(self.source.count(chr(10)), 'line')} of DOT"
        self.description = description
        self._svg: str | None = None

    @property
    def svg(self) -> str:
        """The SVG document (rendered once, with graphviz-pure)."""
        if self._svg is None:
            self._svg = render_svg(self.source)
        return self._svg

    def _repr_mimebundle_(self, include=None, exclude=None) -> dict[str, str]:
        return {"image/svg+xml": self.svg, "text/plain": self.description}

    def __repr__(self) -> str:
        return self.description

    def __str__(self) -> str:
        return self.source

    def save(self, path: str | Path) -> Path:
        """Write the SVG (``.svg``) or the DOT source (``.dot``, ``.gv``)."""
        path = Path(path)
        suffix = path.suffix.lower()
        if suffix == ".svg":
            text = self.svg
        elif suffix in (".dot", ".gv"):
            text = self.source
        else:
            raise ValueError(f"cannot save a diagram as {path.name!r}: use a .svg, .dot or .gv file name")
        path.write_text(text, encoding="utf-8", newline="")
        return path
