"""``kubectl config`` (``kubelearn.kubectl.cmd_config``): the kernel's contexts.

Every text here was compared with real kubectl 1.32 run on a kubeconfig file
holding the same context (``config`` never needs a server).
"""
from __future__ import annotations

import pytest

from kubelearn import Cluster, contexts

KUBEADM = "kubernetes-admin@kubernetes"


@pytest.fixture
def clusters(monkeypatch):
    """A kubeadm cluster and a minikube one (current: minikube, the last started), in
    a kubeconfig of their own: a cluster an earlier test left alive (its context lives
    as long as it does) must not show up here."""
    monkeypatch.setattr(contexts, "_KUBECONFIG", contexts.KubeConfig())
    kubeadm = Cluster()
    minikube = Cluster.minikube()
    return kubeadm, minikube


def run(cluster, line):
    result = cluster.kubectl(line)
    return result.stdout, result.stderr, result.exit_code


def test_current_context_is_the_last_cluster_started(clusters):
    kubeadm, minikube = clusters
    assert run(kubeadm, "config current-context") == ("minikube\n", "", 0)


def test_get_contexts(clusters):
    kubeadm, _ = clusters
    assert run(kubeadm, "config get-contexts") == (
        "CURRENT   NAME                          CLUSTER      AUTHINFO           NAMESPACE\n"
        "          kubernetes-admin@kubernetes   kubernetes   kubernetes-admin   \n"
        "*         minikube                      minikube     minikube           default\n", "", 0)
    assert run(kubeadm, "config get-contexts -o name") == (f"{KUBEADM}\nminikube\n", "", 0)
    assert run(kubeadm, "config get-contexts minikube --no-headers") == (
        "*     minikube   minikube   minikube   default\n", "", 0)


def test_get_contexts_unknown_name_prints_the_table_first(clusters):
    kubeadm, _ = clusters
    assert run(kubeadm, "config get-contexts nope") == (
        "CURRENT   NAME   CLUSTER   AUTHINFO   NAMESPACE\n", "error: context nope not found\n", 1)
    assert run(kubeadm, "config get-contexts nope nope2") == (
        "CURRENT   NAME   CLUSTER   AUTHINFO   NAMESPACE\n",
        "context nope not found\ncontext nope2 not found\n", 1)


def test_use_context(clusters):
    kubeadm, minikube = clusters
    assert run(minikube, f"config use-context {KUBEADM}") == (
        f'Switched to context "{KUBEADM}".\n', "", 0)
    assert run(minikube, "config current-context") == (f"{KUBEADM}\n", "", 0)
    assert run(minikube, "config use minikube") == ('Switched to context "minikube".\n', "", 0)


def test_use_context_errors(clusters):
    kubeadm, _ = clusters
    assert run(kubeadm, "config use-context nope") == (
        "", 'error: no context exists with the name: "nope"\n', 1)
    assert run(kubeadm, "config use-context")[1].startswith("error: Unexpected args: []")
    assert run(kubeadm, "config use-context a b")[1].startswith("error: Unexpected args: [a b]")


def test_set_context_namespace_applies_to_later_commands(clusters):
    kubeadm, _ = clusters
    assert run(kubeadm, f"config use-context {KUBEADM}")[2] == 0
    assert run(kubeadm, "create ns dev")[2] == 0
    assert run(kubeadm, "config set-context --current --namespace=dev") == (
        f'Context "{KUBEADM}" modified.\n', "", 0)
    assert run(kubeadm, "config get-contexts") == (
        "CURRENT   NAME                          CLUSTER      AUTHINFO           NAMESPACE\n"
        "*         kubernetes-admin@kubernetes   kubernetes   kubernetes-admin   dev\n"
        "          minikube                      minikube     minikube           default\n", "", 0)
    assert run(kubeadm, "get pods") == ("", "No resources found in dev namespace.\n", 0)
    assert run(kubeadm, "create cm cfg") == ("configmap/cfg created\n", "", 0)
    assert kubeadm.store.get("ConfigMap", "dev", "cfg") is not None
    assert run(kubeadm, "get cm cfg -n default")[1] == (
        'Error from server (NotFound): configmaps "cfg" not found\n')
    assert run(kubeadm, "get cm cfg -o name") == ("configmap/cfg\n", "", 0)


def test_the_namespace_belongs_to_the_clusters_own_context(clusters):
    kubeadm, minikube = clusters
    assert run(kubeadm, f"config set-context {KUBEADM} --namespace=kube-system")[2] == 0
    # the current context (minikube) keeps "default"; kubeadm's cluster uses its own context
    assert run(minikube, "get pods")[1] == "No resources found in default namespace.\n"
    assert "coredns-" in run(kubeadm, "get pods")[0]


def test_set_context_errors(clusters):
    kubeadm, _ = clusters
    assert run(kubeadm, "config set-context") == (
        "", "error: you must specify a non-empty context name or --current\n", 1)
    assert run(kubeadm, "config set-context a --current") == (
        "", "error: you cannot specify both a context name and --current\n", 1)
    stdout, stderr, code = run(kubeadm, "config set-context brand-new --namespace=x")
    assert (stdout, code) == ("", 1)
    assert stderr.startswith("error: kubelearn cannot create new contexts")


def test_unknown_and_unbuilt_subcommands(clusters):
    kubeadm, _ = clusters
    assert run(kubeadm, "config bogus") == (
        "", "error: unknown command \"bogus\"\nSee 'kubectl config -h' for help and examples\n",
        1)
    assert run(kubeadm, "config bogus x") == (
        "", "error: unknown command \"bogus x\"\nSee 'kubectl config -h' for help and examples\n",
        1)
    assert run(kubeadm, "config view") == (
        "", "error: kubelearn does not support 'kubectl config view' yet\n", 1)
    assert run(kubeadm, "config")[1].startswith("error: kubelearn supports \"kubectl config "
                                                "current-context\"")
