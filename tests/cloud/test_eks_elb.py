"""``kubelearn.cloud.eks_elb``: LoadBalancer Services on EKS get a Classic ELB's hostname,
which answers through the nodes' node ports once DNS has it."""
from __future__ import annotations

import pytest

from kubelearn.cloud import eks
from kubelearn.network.http import ConnectionTimedOut, CouldNotResolveHost
from tests.cloud.conftest import WEB


# -- load balancers ------------------------------------------------------------------------
def test_a_load_balancer_gets_an_elb_hostname_after_a_short_delay(eks_two_nodes):
    c = eks_two_nodes
    c.apply(WEB)
    assert c.kubectl("get svc web").stdout.splitlines()[1].split()[3] == "<pending>"
    c.advance(eks.ELB_PROVISION_SECONDS)
    external = c.kubectl("get svc web").stdout.splitlines()[1].split()[3]
    uid = c.get("service", "web").metadata.uid
    name, _, domain = external.partition(".")
    assert name.startswith("a" + uid.replace("-", "")[:31] + "-") and len(name) == 43
    assert name[33:].isdigit() and domain == "us-east-2.elb.amazonaws.com"
    assert c.get("service", "web").status.loadBalancer.ingress[0].hostname == external
    events = c.kubectl("describe svc web").stdout
    assert "EnsuringLoadBalancer  10s   service-controller  Ensuring load balancer" in events
    assert "EnsuredLoadBalancer   0s    service-controller  Ensured load balancer" in events


def test_the_elb_hostname_answers_once_dns_has_it(eks_two_nodes):
    c = eks_two_nodes
    c.apply(WEB)
    c.advance(eks.ELB_PROVISION_SECONDS)
    host = c.get("service", "web").status.loadBalancer.ingress[0].hostname
    with pytest.raises(CouldNotResolveHost):
        c.http_get(f"http://{host}/")
    c.settle()
    answers = [c.http_get(f"http://{host}/") for _ in range(4)]
    assert all(a.status == 200 and "Welcome to nginx!" in a.text for a in answers)
    assert len({a.pod for a in answers}) == 2
    with pytest.raises(ConnectionTimedOut):
        c.http_get(f"http://{host}:8080/")
    client = "apiVersion: v1\nkind: Pod\nmetadata: {name: client}\nspec:\n  containers: " \
             "[{name: c, image: 'busybox:1.36', command: [sleep, '3600']}]\n"
    c.apply(client)
    c.settle()
    assert c.http_get(f"http://{host}/", from_pod="client").status == 200


def test_a_service_that_stops_being_a_load_balancer_loses_its_elb(eks_two_nodes):
    c = eks_two_nodes
    c.apply(WEB)
    c.settle()
    host = c.get("service", "web").status.loadBalancer.ingress[0].hostname
    svc = c.api.get("Service", "web", "default")    # what kubectl edit would send
    spec = {k: v for k, v in svc["spec"].items() if k != "allocateLoadBalancerNodePorts"}
    c.api.update({**svc, "spec": {**spec, "type": "NodePort"}})
    c.settle()
    assert c.kubectl("get svc web").stdout.splitlines()[1].split()[1:4] == [
        "NodePort", c.get("service", "web").spec.clusterIP, "<none>"]
    with pytest.raises(CouldNotResolveHost):
        c.http_get(f"http://{host}/")
    c.kubectl("delete svc web")
    assert eks.elb_controller(c).balancers == {}
