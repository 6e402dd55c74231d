"""Graphviz diagrams built from live cluster state, rendered with graphviz-pure."""

from kubelearn.viz.common import object_key
from kubelearn.viz.dot import HTML, Diagram, Digraph, Subgraph
from kubelearn.viz.render import find_graphviz_pure, render_dot, render_svg

__all__ = ["HTML", "Diagram", "Digraph", "Subgraph", "find_graphviz_pure", "object_key", "render_dot",
           "render_svg"]
