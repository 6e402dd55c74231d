"""Tests for kubelearn.viz.dot: DOT source, quoting, the Diagram object."""

import pytest

from kubelearn.viz import dot
from kubelearn.viz.dot import HTML, Diagram, Digraph


def sample() -> Digraph:
    g = Digraph("cluster", rankdir="LR", node_attr={"shape": "box"})
    with g.subgraph("node-1", "node-1", style="rounded") as n1:
        n1.node("default/web-1", "web-1", color="green")
    g.node("api", "kube-apiserver")
    g.edge("api", "default/web-1", style="dashed", constraint=False)
    return g


def test_source_is_exact_and_ordered():
    assert sample().source == (
        "digraph cluster {\n"
        "  graph [rankdir=LR];\n"
        "  node [shape=box];\n"
        '  subgraph "cluster_node-1" {\n'
        '    graph [label="node-1", style=rounded];\n'
        '    "default/web-1" [label="web-1", color=green];\n'
        "  }\n"
        '  api [label="kube-apiserver"];\n'
        '  api -> "default/web-1" [constraint=false, style=dashed];\n'
        "}\n"
    )


def test_attribute_order_does_not_depend_on_keyword_order():
    a, b = Digraph(), Digraph()
    a.node("n", "N", shape="box", color="red", fontsize=10)
    b.node("n", fontsize=10, color="red", label="N", shape="box")
    assert a.source == b.source
    assert "n [label=N, color=red, fontsize=10, shape=box];" in a.source


@pytest.mark.parametrize(
    "value, expected",
    [
        ("web", "web"),
        ("node_1", "node_1"),
        ("42", "42"),
        ("-1.5", "-1.5"),
        ("web-1", '"web-1"'),
        ("kube-system/coredns", '"kube-system/coredns"'),
        ("node", '"node"'),  # keyword
        ("Subgraph", '"Subgraph"'),  # keywords are case-insensitive
        ("", '""'),
        ('say "hi"', '"say \\"hi\\""'),
        ("back\\slash", '"back\\\\slash"'),
        ("two\nlines", '"two\\nlines"'),
        ("1abc", '"1abc"'),
        ("a:b", '"a:b"'),
        ("<none>", '"<none>"'),
    ],
)
def test_quote_id(value, expected):
    assert dot.quote_id(value) == expected


def test_html_labels_pass_through():
    g = Digraph()
    g.node("a", "<<b>bold</b>>")
    g.node("b", HTML("<i>x</i>"))
    g.node("c", "<none>")  # no tag inside: plain text
    assert "a [label=<<b>bold</b>>];" in g.source
    assert "b [label=<<i>x</i>>];" in g.source
    assert 'c [label="<none>"];' in g.source


def test_values_none_dropped_bools_lowercase():
    g = Digraph()
    g.node("a", None, color=None)
    g.edge("a", "b", constraint=True)
    assert "  a;\n" in g.source
    assert "a -> b [constraint=true];" in g.source


def test_subgraph_as_object_and_nesting_and_plain_subgraph():
    g = Digraph()
    outer = g.subgraph("outer", "Outer")
    inner = outer.subgraph("cluster_inner")  # already prefixed: kept
    inner.node("x")
    same = g.subgraph("ranks", cluster=False, rank="same")
    same.node("y")
    assert [s.name for s in g.subgraphs()] == ["cluster_outer", "ranks"]
    assert "    subgraph cluster_inner {\n      x;\n    }\n" in g.source
    assert "subgraph ranks {\n    graph [rank=same];\n    y;\n  }" in g.source
    assert g.counts() == (2, 0, 3)


def test_diagram_text_forms():
    g = sample()
    d = Diagram(g)
    assert str(d) == g.source == str(g)
    assert repr(d) == d.description == "Diagram cluster: 2 nodes, 1 edge, 1 subgraph"
    assert "0x" not in repr(d)
    assert repr(g) == d.description  # a bare Digraph also shows itself deterministically
    assert g.diagram("Cluster with 1 node").description == "Cluster with 1 node"
    assert Diagram("digraph { a }\n").description == "Diagram: 1 line of DOT"


def test_diagram_mimebundle_and_save(tmp_path, monkeypatch):
    calls = []
    monkeypatch.setattr(dot, "render_svg", lambda src: calls.append(src) or "<svg>fake</svg>")
    d = Diagram(sample())
    bundle = d._repr_mimebundle_()
    assert bundle == {"image/svg+xml": "<svg>fake</svg>", "text/plain": d.description}
    d._repr_mimebundle_()
    assert len(calls) == 1  # rendered once
    assert d.save(tmp_path / "d.svg").read_text() == "<svg>fake</svg>"
    assert d.save(tmp_path / "d.dot").read_text() == d.source
    with pytest.raises(ValueError, match=r"\.svg, \.dot"):
        d.save(tmp_path / "d.png")
