"""Helpers for reading a view's DOT source in tests (test the source, not the picture)."""
import re

import pytest

_ID = r'"(?:[^"\\]|\\.)*"|[A-Za-z0-9_.-]+'


class Dot:
    """The statements of a DOT source: nodes (with their box), edges, box labels."""

    def __init__(self, source: str):
        self.source = source
        self.nodes: dict[str, str] = {}          # id -> attribute text
        self.box: dict[str, str] = {}            # id -> innermost subgraph
        self.boxes: dict[str, str] = {}          # subgraph -> its graph [...] line
        self.edges: dict[tuple[str, str], str] = {}
        where = [""]
        for line in source.splitlines():
            line = line.strip()
            if m := re.fullmatch(rf"subgraph ({_ID}) {{", line):
                where.append(m.group(1).strip('"'))
            elif line == "}":
                where.pop()
            elif line.startswith("graph ["):
                self.boxes[where[-1]] = line
            elif m := re.fullmatch(rf"({_ID}) -> ({_ID})(?: (\[.*\]))?;", line):
                self.edges[(m.group(1).strip('"'), m.group(2).strip('"'))] = m.group(3) or ""
            elif (m := re.fullmatch(rf"({_ID})(?: (\[.*\]))?;", line)) and \
                    m.group(1) not in ("graph", "node", "edge"):
                node = m.group(1).strip('"')
                self.nodes[node] = m.group(2) or ""
                self.box[node] = where[-1]

    def label(self, node: str) -> str:
        """A node's label, with ``\\n`` as a real newline."""
        m = re.match(r'\[label="((?:[^"\\]|\\.)*)"', self.nodes[node])
        return m.group(1).replace("\\n", "\n").replace('\\"', '"')

    def box_label(self, box: str) -> str:
        m = re.match(r'graph \[label="((?:[^"\\]|\\.)*)"', self.boxes[box])
        return m.group(1).replace("\\n", "\n")

    def highlighted(self) -> list[str]:
        """Nodes and boxes with the red border, in order."""
        found = [n for n, attrs in self.nodes.items() if "color=red" in attrs and "penwidth=3" in attrs]
        return found + [b for b, line in self.boxes.items() if "color=red" in line and "penwidth=3" in line]


@pytest.fixture
def dot():
    return Dot
