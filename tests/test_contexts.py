"""The kernel's kubeconfig: contexts map to live clusters; the newest is current."""
import gc
from types import SimpleNamespace

import pytest

from kubelearn import contexts
from kubelearn.contexts import Context, KubeConfig


class FakeCluster:
    def __init__(self, context, cluster_name="kubernetes", user="admin"):
        self.profile = SimpleNamespace(context=context, cluster_name=cluster_name, user=user,
                                       context_namespace="")


@pytest.fixture
def config():
    return KubeConfig()


def test_an_empty_kubeconfig(config):
    assert config.contexts() == []
    assert config.current == ""
    assert config.cluster() is None
    assert config.get("minikube") is None


def test_register_adds_a_context_and_makes_it_current(config):
    lab = FakeCluster("kubernetes-admin@kubernetes", "kubernetes", "kubernetes-admin")
    config.register(lab)
    assert config.current == "kubernetes-admin@kubernetes"
    assert config.get("kubernetes-admin@kubernetes") == Context(
        "kubernetes-admin@kubernetes", "kubernetes", "kubernetes-admin", "")
    assert config.cluster() is lab


def test_the_last_registered_cluster_is_current(config):
    a, b = FakeCluster("minikube"), FakeCluster("arn:aws:eks:eu-west-1:1:cluster/demo")
    config.register(a)
    config.register(b)
    assert config.current == "arn:aws:eks:eu-west-1:1:cluster/demo"
    assert config.cluster() is b
    assert config.cluster("minikube") is a


def test_contexts_are_sorted_by_name(config):
    alive = [FakeCluster(name) for name in ("minikube", "kubernetes-admin@kubernetes",
                                            "arn:aws:eks")]
    for cluster in alive:
        config.register(cluster)
    assert [c.name for c in config.contexts()] == ["arn:aws:eks", "kubernetes-admin@kubernetes",
                                                   "minikube"]


def test_registering_the_same_context_again_replaces_its_cluster(config):
    old, new = FakeCluster("minikube"), FakeCluster("minikube")
    config.register(old)
    config.register(new)
    assert config.cluster("minikube") is new
    assert len(config.contexts()) == 1
    assert config.context_of(old) is None


def test_context_of_finds_a_clusters_context(config):
    a, b = FakeCluster("a"), FakeCluster("b")
    config.register(a)
    config.register(b)
    assert config.context_of(a).name == "a"
    assert config.context_of(FakeCluster("c")) is None


def test_unknown_context(config):
    config.register(FakeCluster("a"))
    assert config.cluster("nope") is None
    assert config.get("nope") is None


def test_a_context_stays_when_nothing_else_holds_its_cluster(config):
    # Like an entry in a kubeconfig file: it does not vanish when Python frees
    # memory, so `config get-contexts` prints the same thing on every run.
    keep = FakeCluster("keep")
    config.register(keep)
    config.register(FakeCluster("other"))          # nothing else holds it
    gc.collect()
    assert [c.name for c in config.contexts()] == ["keep", "other"]
    assert config.cluster("other").profile.context == "other"
    assert config.current == "other"


def test_there_is_one_kubeconfig_per_process():
    assert contexts.kubeconfig() is contexts.kubeconfig()
    assert isinstance(contexts.kubeconfig(), KubeConfig)
