"""``kubelearn.magics``: ``%kubectl`` and ``%%kubectl`` in a notebook.

The magic functions are driven directly, and registered on a real IPython
shell when IPython is importable.
"""
from __future__ import annotations

import gc

import pytest

from kubelearn import Cluster, magics
from kubelearn.contexts import KubeConfig

CONFIG_MAP = """\
apiVersion: v1
kind: ConfigMap
metadata:
  name: app-config
data:
  color: blue
"""


@pytest.fixture
def cluster():
    gc.collect()                    # contexts of earlier tests' clusters go away
    return Cluster()


def test_line_magic_prints_stdout_like_a_terminal(cluster, capsys):
    magics.kubectl_magic("get ns")
    captured = capsys.readouterr()
    assert captured.out == cluster.kubectl("get ns").stdout
    assert captured.out.startswith("NAME              STATUS   AGE\ndefault           Active")
    assert captured.err == ""
    assert magics.last_result.exit_code == 0


def test_errors_go_to_stderr_and_are_kept_in_last_result(cluster, capsys):
    magics.kubectl_magic("get deploy web")
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == 'Error from server (NotFound): deployments.apps "web" not found\n'
    assert magics.last_result.exit_code == 1
    assert magics.last_result.stderr == captured.err


def test_both_streams(cluster, capsys):
    magics.kubectl_magic("get cm kube-root-ca.crt nope -o name")
    captured = capsys.readouterr()
    assert captured.out == "configmap/kube-root-ca.crt\n"
    assert captured.err == 'Error from server (NotFound): configmaps "nope" not found\n'


def test_streams_are_written_in_the_order_kubectl_wrote_them(cluster, monkeypatch):
    """A warning kubectl writes before a stdout line is shown before it, as in a terminal."""
    written = []

    class Stream:
        def __init__(self, name):
            self.name = name

        def write(self, text):
            written.append((self.name, text))

        def flush(self):
            pass

    cluster.kubectl("create configmap app-config --from-literal=color=blue")
    monkeypatch.setattr("sys.stdout", Stream("stdout"))
    monkeypatch.setattr("sys.stderr", Stream("stderr"))
    magics.kubectl_magic("apply -f -", CONFIG_MAP)
    assert [name for name, _ in written] == ["stderr", "stdout"]
    assert written[0][1].startswith("Warning: resource configmaps/app-config is missing the ")
    assert written[1] == ("stdout", "configmap/app-config configured\n")


def test_cell_magic_body_is_stdin(cluster, capsys):
    magics.kubectl_magic("apply -f -", CONFIG_MAP)
    assert capsys.readouterr().out == "configmap/app-config created\n"
    assert cluster.api.get("ConfigMap", "app-config", "default")["data"] == {"color": "blue"}
    magics.kubectl_magic("apply -f -", CONFIG_MAP)
    assert capsys.readouterr().out == "configmap/app-config unchanged\n"


def test_the_magic_follows_the_current_context(cluster, capsys):
    minikube = Cluster.minikube()                      # becomes current, like minikube start
    magics.kubectl_magic("get nodes -o name")
    assert capsys.readouterr().out == "node/minikube\n"
    magics.kubectl_magic("config use-context kubernetes-admin@kubernetes")
    assert capsys.readouterr().out == 'Switched to context "kubernetes-admin@kubernetes".\n'
    magics.kubectl_magic("get nodes -o name")
    assert capsys.readouterr().out == "node/control-plane\nnode/worker-1\nnode/worker-2\n"
    assert minikube.kubectl("get nodes -o name").stdout == "node/minikube\n"


def test_without_a_cluster(monkeypatch, capsys):
    monkeypatch.setattr(magics, "kubeconfig", KubeConfig)        # an empty kubeconfig
    magics.kubectl_magic("get pods")
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == (
        "The connection to the server localhost:8080 was refused - did you specify the right "
        "host or port?\n(kubelearn: start a cluster first, e.g. `from kubelearn import Cluster; "
        "c = Cluster()`)\n")
    assert magics.last_result.exit_code == 1


# --- registration on a real IPython shell ---------------------------------------------

@pytest.fixture
def shell():
    pytest.importorskip("IPython")
    from IPython.core.interactiveshell import InteractiveShell

    return InteractiveShell.instance()


def test_load_ext_registers_line_and_cell_magic(shell):
    import kubelearn

    kubelearn.load_ipython_extension(shell)
    assert "kubectl" in shell.magics_manager.magics["line"]
    assert "kubectl" in shell.magics_manager.magics["cell"]


def test_registered_magics_run(shell, cluster, capsys):
    magics.register(shell)
    shell.run_line_magic("kubectl", "get ns default -o name")
    assert capsys.readouterr().out == "namespace/default\n"
    shell.run_cell_magic("kubectl", "apply -f -", CONFIG_MAP)
    assert capsys.readouterr().out == "configmap/app-config created\n"
    assert magics.last_result.exit_code == 0


def test_minikube_dashboard_shows_the_dashboard_widget_where_a_browser_would_open(monkeypatch,
                                                                                 capsys):
    """minikube opens its dashboard in a browser; in a notebook the widget is shown."""
    from kubelearn.widgets import Dashboard

    shown = []
    monkeypatch.setattr("IPython.display.display", lambda obj: shown.append(obj))
    minikube = Cluster.minikube()
    magics.minikube_magic("dashboard")
    assert "Opening http://127.0.0.1:" in capsys.readouterr().out
    assert len(shown) == 1 and isinstance(shown[0], Dashboard)
    assert shown[0].cluster is minikube
    magics.minikube_magic("dashboard --url")
    assert len(shown) == 1                               # --url only prints the address
