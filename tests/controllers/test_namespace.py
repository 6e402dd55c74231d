"""Namespace lifecycle: defaults in every new namespace; a deleted one is emptied, then removed."""
import pytest

from kubelearn import Cluster
from kubelearn.controllers.namespace import NamespaceController

NS = {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "dev"}}


def configmap(name, namespace="dev"):
    return {"apiVersion": "v1", "kind": "ConfigMap",
            "metadata": {"name": name, "namespace": namespace}, "data": {"k": "v"}}


def pod(name, namespace="dev", node=None):
    spec = {"containers": [{"name": "web", "image": "nginx"}]}
    if node:
        spec["nodeName"] = node
    return {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": name, "namespace": namespace},
            "spec": spec}


@pytest.fixture
def c(mini):
    return mini([NamespaceController])


def test_a_new_namespace_gets_the_default_service_account(c):
    c.create(NS)
    sa = c.api.get("ServiceAccount", "default", "dev")
    assert sa["metadata"]["namespace"] == "dev"


def test_a_new_namespace_gets_the_root_ca_config_map(c):
    c.create(NS)
    cm = c.api.get("ConfigMap", "kube-root-ca.crt", "dev")
    assert cm["data"] == {"ca.crt": c.ca_bundle}
    assert cm["metadata"]["annotations"]["kubernetes.io/description"].startswith(
        "Contains a CA bundle that can be used to verify the kube-apiserver when using "
        "internal endpoints such as the internal service IP or kubernetes.default.svc.")


def test_defaults_are_created_once(c):
    c.create(NS)
    before = c.store.resource_version
    c.api.patch("Namespace", "dev", "", {"metadata": {"labels": {"team": "a"}}})
    c.run_now()
    assert c.store.resource_version == before + 1          # only the label write
    assert [o["metadata"]["name"] for o in c.api.list("ConfigMap", "dev")] == ["kube-root-ca.crt"]


def test_a_missing_default_comes_back_when_the_namespace_is_reconciled(c):
    c.create(NS)
    c.delete("ServiceAccount", "default", "dev")
    c.api.patch("Namespace", "dev", "", {"metadata": {"labels": {"team": "a"}}})
    c.run_now()
    assert c.exists("ServiceAccount", "default", "dev")


def test_every_namespace_gets_its_own_defaults(mini):
    c = mini([NamespaceController], namespaces=("default", "dev", "prod"))
    assert [(o["metadata"]["namespace"]) for o in c.api.list("ServiceAccount")] == [
        "default", "dev", "prod"]


def test_deleting_a_namespace_empties_it_then_removes_it(c):
    c.create(NS)
    for name in ("a", "b"):
        c.create(configmap(name))
    c.create(pod("unscheduled"))
    c.create(configmap("elsewhere", "default"))
    ns = c.delete("Namespace", "dev")
    assert ns["status"]["phase"] == "Terminating"
    assert not c.exists("Namespace", "dev")
    for kind in ("ConfigMap", "ServiceAccount", "Pod"):
        assert c.api.list(kind, "dev") == []
    assert c.exists("ConfigMap", "elsewhere", "default")


def test_a_namespace_waits_for_its_terminating_pods(c):
    c.create(NS)
    c.create(pod("running", node="node-1"))          # on a node: graceful deletion
    c.delete("Namespace", "dev")
    assert c.api.get("Namespace", "dev")["status"]["phase"] == "Terminating"
    assert c.api.get("Pod", "running", "dev")["metadata"]["deletionTimestamp"]
    c.advance(60)                                    # no kubelet here: the pod stays
    assert c.exists("Namespace", "dev")
    assert c.clock.describe_pending() == ["task at 65s"]   # checked again every 5s
    c.api.finish_deletion("Pod", "running", "dev")   # the kubelet is done
    c.run_now()
    assert not c.exists("Namespace", "dev")
    c.advance(5)                                     # the last check finds nothing to do
    assert c.clock.describe_pending() == []
    assert len(c.controllers[0].queue) == 0


def test_nothing_new_is_created_in_a_terminating_namespace(c):
    c.create(NS)
    c.create(pod("running", node="node-1"))
    c.delete("Namespace", "dev")
    assert c.api.list("ServiceAccount", "dev") == []
    assert c.api.list("ConfigMap", "dev") == []


def test_deleting_a_namespace_in_a_running_cluster():
    cluster = Cluster()
    cluster.kubectl("create namespace dev")
    cluster.apply("""
apiVersion: v1
kind: Pod
metadata: {name: web, namespace: dev}
spec:
  containers: [{name: web, image: nginx}]
""")
    cluster.settle()
    assert cluster.kubectl("get pods -n dev -o name").stdout == "pod/web\n"
    result = cluster.kubectl("delete namespace dev")
    assert (result.stdout, result.exit_code) == ('namespace "dev" deleted\n', 0)
    report = cluster.settle()
    assert report.settled
    assert cluster.store.get("Namespace", "", "dev") is None
    assert [k for k in cluster.store.kinds()
            if cluster.store.list(k, "dev")] == []


def test_a_namespace_that_empties_at_once_goes_at_once(c):
    c.create(NS)
    c.create(configmap("a"))
    c.delete("Namespace", "dev")
    assert not c.exists("Namespace", "dev")
    assert c.clock.describe_pending() == []          # no needless re-check
    assert c.settle().seconds == 0
