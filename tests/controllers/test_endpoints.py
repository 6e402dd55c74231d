"""Tests for kubelearn.controllers.endpoints."""

import copy

import pytest

from kubelearn import Cluster
from kubelearn.controllers.endpoints import build_subsets, truncate


def service(name="web", selector=None, ports=None, **spec):
    body = {"ports": ports or [{"name": "http", "port": 80, "targetPort": "http"}], **spec}
    if selector is not False:
        body["selector"] = selector or {"app": "web"}
    return {"apiVersion": "v1", "kind": "Service",
            "metadata": {"name": name, "namespace": "default", "labels": {"team": "a"}},
            "spec": body}


def pod(name, image="nginx:1.25", labels=None, node=None):
    spec = {"containers": [{"name": "nginx", "image": image,
                            "ports": [{"name": "http", "containerPort": 80}]}]}
    if node:
        spec["nodeName"] = node
    return {"apiVersion": "v1", "kind": "Pod",
            "metadata": {"name": name, "namespace": "default",
                         "labels": labels or {"app": "web"}}, "spec": spec}


def endpoints(c, name="web"):
    return c.api.get("Endpoints", name, "default")


@pytest.fixture
def cluster():
    c = Cluster()
    c.api.create(service())
    c.run_now()
    return c


def test_a_service_without_ready_pods_has_empty_endpoints(cluster):
    ep = endpoints(cluster)
    assert "subsets" not in ep
    assert ep["metadata"]["labels"] == {"team": "a"}
    assert ep["metadata"]["annotations"]["endpoints.kubernetes.io/last-change-trigger-time"]


def test_ready_pods_are_addresses_sorted_with_their_node(cluster):
    for name, node in (("b", "worker-2"), ("a", "worker-1"), ("c", "worker-1")):
        cluster.api.create(pod(name, node=node))
    cluster.run_now()
    cluster.settle()
    [subset] = endpoints(cluster)["subsets"]
    pods = {p["metadata"]["name"]: p for p in cluster.api.list("Pod", "default")}
    ips = sorted(((p["status"]["podIP"], n) for n, p in pods.items()),
                 key=lambda x: tuple(int(o) for o in x[0].split(".")))
    assert [a["ip"] for a in subset["addresses"]] == [ip for ip, _ in ips]
    first = subset["addresses"][0]
    name = first["targetRef"]["name"]
    assert first == {"ip": pods[name]["status"]["podIP"],
                     "nodeName": pods[name]["spec"]["nodeName"],
                     "targetRef": {"kind": "Pod", "name": name, "namespace": "default",
                                   "uid": pods[name]["metadata"]["uid"]}}
    assert subset["ports"] == [{"name": "http", "port": 80, "protocol": "TCP"}]
    assert "notReadyAddresses" not in subset


def test_pods_that_are_not_ready_are_listed_apart(cluster):
    cluster.api.create(pod("good"))
    cluster.api.create(pod("bad", image="nginx:doesnotexist"))
    cluster.run_now()
    cluster.settle()
    [subset] = endpoints(cluster)["subsets"]
    assert [a["targetRef"]["name"] for a in subset["addresses"]] == ["good"]
    assert [a["targetRef"]["name"] for a in subset["notReadyAddresses"]] == ["bad"]


def test_terminating_pods_leave_at_once(cluster):
    cluster.api.create(pod("a"))
    cluster.run_now()
    cluster.settle()
    assert endpoints(cluster)["subsets"]
    cluster.api.delete("Pod", "a", "default")
    cluster.run_now()
    assert cluster.api.get("Pod", "a", "default")["metadata"]["deletionTimestamp"]
    assert "subsets" not in endpoints(cluster)


def test_a_pod_without_the_named_port_is_left_out(cluster):
    other = pod("other")
    other["spec"]["containers"][0]["ports"] = [{"name": "metrics", "containerPort": 9100}]
    cluster.api.create(other)
    cluster.run_now()
    cluster.settle()
    assert "subsets" not in endpoints(cluster)


def test_numeric_target_ports_and_several_ports(cluster):
    cluster.api.create(service("multi", ports=[{"name": "web", "port": 8080, "targetPort": 80},
                                               {"name": "alt", "port": 9090,
                                                "targetPort": 9090}]))
    cluster.api.create(pod("a"))
    cluster.run_now()
    cluster.settle()
    [subset] = endpoints(cluster, "multi")["subsets"]
    assert subset["ports"] == [{"name": "alt", "port": 9090, "protocol": "TCP"},
                               {"name": "web", "port": 80, "protocol": "TCP"}]


def test_relabelled_pods_leave_and_join(cluster):
    cluster.api.create(pod("a"))
    cluster.run_now()
    cluster.settle()
    cluster.api.patch("Pod", "a", "default", {"metadata": {"labels": {"app": "other"}}})
    cluster.run_now()
    assert "subsets" not in endpoints(cluster)
    cluster.api.patch("Pod", "a", "default", {"metadata": {"labels": {"app": "web"}}})
    cluster.run_now()
    assert len(endpoints(cluster)["subsets"][0]["addresses"]) == 1


def test_a_service_without_selector_is_left_alone(cluster):
    cluster.api.create(service("external", selector=False))
    manual = {"apiVersion": "v1", "kind": "Endpoints",
              "metadata": {"name": "external", "namespace": "default"},
              "subsets": [{"addresses": [{"ip": "10.1.2.3"}], "ports": [{"port": 5432}]}]}
    cluster.api.create(manual)
    cluster.api.create(pod("a"))
    cluster.run_now()
    cluster.settle()
    assert endpoints(cluster, "external")["subsets"][0]["addresses"] == [{"ip": "10.1.2.3"}]


def test_deleting_the_service_deletes_its_endpoints(cluster):
    cluster.api.delete("Service", "web", "default")
    cluster.run_now()
    assert cluster.api.store.get("Endpoints", "default", "web") is None


def test_kube_dns_endpoints_after_boot():
    c = Cluster()
    ep = c.api.get("Endpoints", "kube-dns", "kube-system")
    [subset] = ep["subsets"]
    coredns = sorted(p["status"]["podIP"] for p in c.api.list("Pod", "kube-system")
                     if p["metadata"]["name"].startswith("coredns-"))
    assert sorted(a["ip"] for a in subset["addresses"]) == coredns
    assert [(p["name"], p["port"], p["protocol"]) for p in subset["ports"]] == [
        ("dns", 53, "UDP"), ("dns-tcp", 53, "TCP"), ("metrics", 9153, "TCP")]
    assert c.api.get("Endpoints", "kubernetes", "default")["subsets"] == [
        {"addresses": [{"ip": "192.168.49.2"}],
         "ports": [{"name": "https", "port": 6443, "protocol": "TCP"}]}]


def test_headless_service_label_and_publish_not_ready():
    svc = service(clusterIP="None", publishNotReadyAddresses=True)
    ready = {"metadata": {"name": "p", "namespace": "default", "uid": "u1"},
             "spec": {"nodeName": "n1", "containers": [{"ports": [{"name": "http",
                                                                    "containerPort": 80}]}]},
             "status": {"phase": "Pending", "podIP": "10.0.0.9", "conditions": []}}
    [subset] = build_subsets(svc, [ready])
    assert [a["ip"] for a in subset["addresses"]] == ["10.0.0.9"]


def test_truncation_keeps_1000_addresses():
    subsets = [{"addresses": [{"ip": f"10.0.{i // 250}.{i % 250}"} for i in range(1200)],
                "notReadyAddresses": [{"ip": "10.9.9.9"}], "ports": [{"port": 80}]}]
    assert truncate(subsets)
    assert len(subsets[0]["addresses"]) == 1000 and "notReadyAddresses" not in subsets[0]
    assert not truncate([{"addresses": [{"ip": "1.1.1.1"}]}])


def test_multi_label_selectors_and_a_changed_selector_follow_the_pods(cluster):
    cluster.api.create(pod("a", labels={"app": "web", "tier": "front"}, node="worker-1"))
    cluster.api.create(pod("b", labels={"app": "web", "tier": "back"}, node="worker-1"))
    cluster.api.create(service("front", selector={"tier": "front", "app": "web"}))
    cluster.settle()

    def names(service_name):
        subsets = endpoints(cluster, service_name).get("subsets") or []
        return sorted(a["targetRef"]["name"] for s in subsets for a in s.get("addresses", []))

    assert names("front") == ["a"] and names("web") == ["a", "b"]
    svc = copy.deepcopy(cluster.api.get("Service", "front", "default"))
    svc["spec"]["selector"] = {"tier": "back"}
    cluster.api.update(svc)
    cluster.settle()
    assert names("front") == ["b"]
    labelled = copy.deepcopy(cluster.api.get("Pod", "a", "default"))
    labelled["metadata"]["labels"]["tier"] = "back"
    cluster.api.update(labelled)
    cluster.settle()
    assert names("front") == ["a", "b"]
