"""Shared HTML: kubectl's tables, command output, the Markdown of exercise tasks."""
from __future__ import annotations

import re

from kubelearn.kubectl.result import KubectlResult
from kubelearn.widgets import html


def cells(table_html: str) -> list[list[str]]:
    rows = re.findall(r'<tr class="kubelearn-row"[^>]*>(.*?)</tr>', table_html)
    return [[re.sub(r"<[^>]+>", "", c) for c in re.findall(r"<td[^>]*>(.*?)</td>", r)]
            for r in rows]


def kubectl_cells(cluster, command: str) -> list[list[str]]:
    lines = cluster.kubectl(command).stdout.splitlines()[1:]
    return [re.split(r"\s{2,}", line.strip()) for line in lines]


def test_table_has_kubectls_rows_and_cells(web):
    pods = web.api.list("Pod", "default")
    table = html.resource_table("Pod", pods, web.clock.now, caption="Pods")
    assert html.row_count(table) == 2
    assert cells(table) == kubectl_cells(web, "get pods")
    assert "<th scope=\"col\">RESTARTS</th>" in table
    for kind, command in (("Deployment", "get deployments"), ("ReplicaSet", "get rs"),
                          ("Node", "get nodes")):
        objects = web.api.list(kind, "default" if kind != "Node" else None)
        assert cells(html.resource_table(kind, objects, web.clock.now, caption=kind)) \
            == kubectl_cells(web, command)


def test_all_namespaces_adds_the_namespace_column(web):
    pods = web.api.list("Pod")
    table = html.resource_table("Pod", pods, web.clock.now, caption="Pods", with_namespace=True)
    assert "<th scope=\"col\">NAMESPACE</th>" in table
    assert cells(table) == kubectl_cells(web, "get pods -A")


def test_status_colours_and_restarts():
    assert html.status_class("Running") == "kubelearn-ok"
    assert html.status_class("ContainerCreating") == "kubelearn-progress"
    assert html.status_class("Init:0/1") == "kubelearn-progress"
    assert html.status_class("CrashLoopBackOff") == "kubelearn-bad"
    assert html.status_class("ImagePullBackOff") == "kubelearn-bad"


def test_empty_table_says_so(minikube):
    table = html.resource_table("Pod", [], minikube.clock.now, caption="Pods",
                                empty="No resources found in default namespace.")
    assert html.row_count(table) == 0
    assert "No resources found in default namespace." in table


def test_row_limit(web, monkeypatch):
    monkeypatch.setattr(html, "MAX_ROWS", 1)
    table = html.resource_table("Pod", web.api.list("Pod", "default"), web.clock.now,
                                caption="Pods")
    assert html.row_count(table) == 1
    assert "Showing 1 of 2" in table


def test_command_output_is_exact_and_escaped():
    result = KubectlResult("a <b>\n", 'Error from server (NotFound): "x"\n', 1)
    out = html.command_output("kubectl get x", result)
    assert '<pre class="kubelearn-pre kubelearn-stdout">a &lt;b&gt;\n</pre>' in out
    assert 'Error from server (NotFound): "x"\n</pre>' in out


def test_markdown():
    text = "Create `web` with **2** replicas.\n\n- one *thing*\n- two\n\n```\nkubectl get <x>\n```"
    assert html.markdown(text) == (
        "<p>Create <code>web</code> with <strong>2</strong> replicas.</p>"
        "<ul><li>one <em>thing</em></li><li>two</li></ul>"
        "<pre><code>kubectl get &lt;x&gt;</code></pre>")
    assert html.markdown("<script>") == "<p>&lt;script&gt;</p>"
