"""Service address allocation: cluster IPs from 10.96.0.0/12, node ports from 30000-32767."""
import ipaddress
import random

import pytest

from kubelearn.apiserver.errors import StatusError
from kubelearn.apiserver.server import APIServer
from kubelearn.apiserver.store import Store
from kubelearn.clock import Clock
from kubelearn.network import ipam

CIDR = ipaddress.ip_network("10.96.0.0/12")


def make_api(seed=0):
    api = APIServer(Store(), Clock(), random.Random(seed))
    api.create({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "default"}})
    return api


@pytest.fixture
def api():
    return make_api()


def service(name="web", type_="ClusterIP", cluster_ip=None, node_port=None, ports=None):
    spec = {"type": type_, "selector": {"app": "web"},
            "ports": ports or [{"port": 80, "targetPort": 8080, "protocol": "TCP"}]}
    if cluster_ip:
        spec["clusterIP"] = cluster_ip
    if node_port:
        spec["ports"][0]["nodePort"] = node_port
    return {"apiVersion": "v1", "kind": "Service", "metadata": {"name": name}, "spec": spec}


def invalid(call, *args) -> StatusError:
    with pytest.raises(StatusError) as info:
        call(*args)
    assert (info.value.code, info.value.reason, info.value.kind) == (422, "Invalid", "Service")
    return info.value


def test_a_cluster_ip_from_the_service_cidr(api):
    spec = api.create(service())["spec"]
    ip = ipaddress.ip_address(spec["clusterIP"])
    assert ip in CIDR and ip not in (CIDR.network_address, CIDR.broadcast_address)
    assert spec["clusterIPs"] == [spec["clusterIP"]]
    assert spec["ipFamilies"] == ["IPv4"] and spec["ipFamilyPolicy"] == "SingleStack"


def test_every_service_gets_its_own_ip(api):
    ips = {api.create(service(f"s{i}"))["spec"]["clusterIP"] for i in range(30)}
    assert len(ips) == 30


def test_a_requested_ip_is_honoured(api):
    spec = api.create(service(cluster_ip="10.96.0.10"))["spec"]
    assert (spec["clusterIP"], spec["clusterIPs"]) == ("10.96.0.10", ["10.96.0.10"])


def test_a_requested_ip_already_in_use_is_refused(api):
    api.create(service("dns", cluster_ip="10.96.0.10"))
    err = invalid(api.create, service("web", cluster_ip="10.96.0.10"))
    assert err.message == ('The Service "web" is invalid: spec.clusterIPs: Invalid value: '
                           '[]string{"10.96.0.10"}: failed to allocate IP 10.96.0.10: provided IP '
                           "is already allocated")
    assert err.causes == [{"reason": "FieldValueInvalid", "field": "spec.clusterIPs",
                           "message": 'Invalid value: []string{"10.96.0.10"}: failed to allocate '
                                      "IP 10.96.0.10: provided IP is already allocated"}]
    assert api.store.get("Service", "default", "web") is None


def test_a_requested_ip_outside_the_range_is_refused(api):
    err = invalid(api.create, service(cluster_ip="10.0.0.1"))
    assert err.message.endswith("failed to allocate IP 10.0.0.1: the provided IP (10.0.0.1) is "
                                "not in the valid range. The range of valid IPs is 10.96.0.0/12")


def test_headless_services_get_no_ip(api):
    spec = api.create(service(cluster_ip="None"))["spec"]
    assert (spec["clusterIP"], spec["clusterIPs"]) == ("None", ["None"])


def test_external_name_services_get_nothing(api):
    svc = {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "ext"},
           "spec": {"type": "ExternalName", "externalName": "example.com"}}
    assert ipam.allocate(api, svc) is svc


def test_cluster_ip_services_get_no_node_ports(api):
    assert "nodePort" not in api.create(service())["spec"]["ports"][0]


@pytest.mark.parametrize("type_", ["NodePort", "LoadBalancer"])
def test_node_ports_in_range(api, type_):
    ports = [{"name": "http", "port": 80, "protocol": "TCP"},
             {"name": "https", "port": 443, "protocol": "TCP"}]
    spec = api.create(service(type_=type_, ports=ports))["spec"]
    node_ports = [p["nodePort"] for p in spec["ports"]]
    assert all(30000 <= p <= 32767 for p in node_ports)
    assert len(set(node_ports)) == 2


def test_a_requested_node_port_is_honoured(api):
    assert api.create(service(type_="NodePort", node_port=30080))["spec"]["ports"][0][
        "nodePort"] == 30080


def test_a_node_port_in_use_is_refused(api):
    api.create(service("a", type_="NodePort", node_port=30080))
    err = invalid(api.create, service("b", type_="NodePort", node_port=30080))
    assert err.message == ('The Service "b" is invalid: spec.ports[0].nodePort: Invalid value: '
                           "30080: provided port is already allocated")


def test_allocated_node_ports_are_avoided(api):
    taken = api.create(service("a", type_="NodePort"))["spec"]["ports"][0]["nodePort"]
    for i in range(20):
        assert api.create(service(f"b{i}", type_="NodePort"))["spec"]["ports"][0][
            "nodePort"] != taken


def test_node_ports_and_cluster_ip_are_kept_on_update(api):
    created = api.create(service(type_="NodePort"))
    body = service(type_="NodePort")
    body["spec"]["selector"] = {"app": "api"}
    updated = api.update(body)
    assert updated["spec"]["ports"][0]["nodePort"] == created["spec"]["ports"][0]["nodePort"]
    assert updated["spec"]["clusterIP"] == created["spec"]["clusterIP"]
    assert updated["spec"]["selector"] == {"app": "api"}


def test_a_service_never_conflicts_with_itself(api):
    api.create(service(type_="NodePort", node_port=30080, cluster_ip="10.96.0.50"))
    updated = api.update(service(type_="NodePort", node_port=30080, cluster_ip="10.96.0.50"))
    assert updated["spec"]["ports"][0]["nodePort"] == 30080


def test_switching_to_node_port_allocates_a_port(api):
    api.create(service())
    updated = api.patch("Service", "web", "default", {"spec": {"type": "NodePort"}})
    assert 30000 <= updated["spec"]["ports"][0]["nodePort"] <= 32767


def test_allocation_is_deterministic_per_seed():
    def addresses(seed):
        api = make_api(seed)
        spec = api.create(service(type_="NodePort"))["spec"]
        return spec["clusterIP"], spec["ports"][0]["nodePort"]

    assert addresses(0) == addresses(0)
    assert addresses(1) == addresses(1)
    assert addresses(0) != addresses(1)


def test_allocate_does_not_change_its_input(api):
    svc = service(type_="NodePort")
    before = repr(svc)
    ipam.allocate(api, svc)
    assert repr(svc) == before
