"""Shared pieces of the views: highlight, picking what to show, summaries."""
from kubelearn import Cluster
from kubelearn.viz.common import (HIGHLIGHT, Highlight, count_text, key_of, more_text, namespaces_shown,
                                  object_key, pick)


def test_object_keys():
    assert object_key({"kind": "Pod", "metadata": {"name": "web", "namespace": "default"}}) == "Pod/default/web"
    assert object_key({"kind": "PersistentVolume", "metadata": {"name": "pv-1"}}) == "PersistentVolume/pv-1"
    assert key_of("Node", "", "minikube") == "Node/minikube"
    assert key_of("Pod", "ns", "p") == "Pod/ns/p"


def test_highlight_takes_keys_or_one_string():
    assert Highlight("Pod/default/web").marks("Pod/default/web") == HIGHLIGHT
    assert Highlight(["Pod/default/web"]).marks("Pod/default/other") == {}
    assert not Highlight() and not Highlight([])
    assert "Node/x" in Highlight(iter(["Node/x"]))


def test_pick_keeps_the_first_and_the_highlighted():
    items = [f"p{i}" for i in range(10)]
    assert pick(items, 20, str, Highlight()) == (items, [])
    shown, hidden = pick(items, 3, str, Highlight(["p7"]))
    assert shown == ["p0", "p1", "p7"] and hidden == ["p2", "p3", "p4", "p5", "p6", "p8", "p9"]
    shown, _ = pick(items, 2, str, Highlight(), keep=lambda i: i == "p9")
    assert shown == ["p0", "p9"]


def test_summaries_count_by_status_most_common_first():
    statuses = ["Running"] * 80 + ["Pending"] * 7
    assert more_text(statuses) == "+ 87 more pods: 80 Running, 7 Pending"
    assert count_text(["b", "a", "b", "a", "c"]) == "2 a, 2 b, 1 c"
    assert more_text(["Ready"], "nodes") == "+ 1 more nodes: 1 Ready"


def test_namespaces_shown_leaves_out_kubernetes_own():
    c = Cluster()
    c.kubectl("create namespace shop")
    assert namespaces_shown(c, None) == ["default", "shop"]
    assert namespaces_shown(c, "kube-system") == ["kube-system"]
