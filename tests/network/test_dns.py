"""``kubelearn.network.dns``: CoreDNS's answers, a pod's resolv.conf and /etc/hosts,
getaddrinfo's search list and busybox nslookup's own reading of it."""
from __future__ import annotations

import pytest

from kubelearn import Cluster
from kubelearn.network import dns, http
from kubelearn.network.http import CouldNotResolveHost

APPS = """
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 2
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers: [{name: nginx, image: "nginx:1.27"}]
---
apiVersion: v1
kind: Service
metadata: {name: web}
spec:
  selector: {app: web}
  ports: [{port: 80}]
---
apiVersion: v1
kind: Service
metadata: {name: hl}
spec:
  clusterIP: None
  selector: {app: web}
  ports: [{port: 80}]
---
apiVersion: v1
kind: Service
metadata: {name: db}
spec:
  clusterIP: None
  selector: {app: db}
  ports: [{port: 5432}]
---
apiVersion: v1
kind: Pod
metadata: {name: db-0, labels: {app: db}}
spec:
  hostname: db-0
  subdomain: db
  containers: [{name: db, image: busybox, command: [sleep, "3600"]}]
---
apiVersion: v1
kind: Service
metadata: {name: ext}
spec:
  type: ExternalName
  externalName: example.com
---
apiVersion: v1
kind: Namespace
metadata: {name: shop}
---
apiVersion: v1
kind: Service
metadata: {name: cart, namespace: shop}
spec:
  selector: {app: cart}
  ports: [{port: 80}]
"""


@pytest.fixture(scope="module")
def cluster():
    c = Cluster.minikube()
    assert c.apply(APPS).exit_code == 0
    c.settle()
    return c


def cluster_ip(c, name, namespace="default"):
    return c.get("service", name, namespace)["spec"]["clusterIP"]


def endpoint_ips(c, name):
    endpoints = c.get("endpoints", name)
    return [a["ip"] for subset in endpoints["subsets"] for a in subset["addresses"]]


def pod_ip(c, name):
    return c.get("pod", name)["status"]["podIP"]


# -- the files the kubelet writes ------------------------------------------------------------
def test_resolv_conf_line_order_is_the_runtimes():
    assert dns.resolv_conf("default") == (
        "search default.svc.cluster.local svc.cluster.local cluster.local\n"
        "nameserver 10.96.0.10\n"
        "options ndots:5\n")
    assert dns.resolv_conf("shop", runtime="docker") == (
        "nameserver 10.96.0.10\n"
        "search shop.svc.cluster.local svc.cluster.local cluster.local\n"
        "options ndots:5\n")


def test_resolv_conf_merges_dns_config():
    config = {"nameservers": ["1.2.3.4"], "searches": ["corp.example", "cluster.local"],
              "options": [{"name": "ndots", "value": "2"}, {"name": "edns0"}]}
    assert dns.resolv_conf("default", dns_config=config) == (
        "search default.svc.cluster.local svc.cluster.local cluster.local corp.example\n"
        "nameserver 10.96.0.10\nnameserver 1.2.3.4\n"
        "options ndots:2 edns0\n")
    assert dns.resolv_conf("default", dns_config={"nameservers": ["1.1.1.1"]},
                           policy="None") == "nameserver 1.1.1.1\n"


def test_hosts_file_as_the_kubelet_writes_it():
    pod = {"metadata": {"name": "web-0", "namespace": "shop"},
           "spec": {"hostname": "web-0", "subdomain": "web",
                    "hostAliases": [{"ip": "10.1.2.3", "hostnames": ["a.local", "b.local"]}]}}
    assert dns.hosts_file(pod, "10.244.0.9") == (
        "# Kubernetes-managed hosts file.\n"
        "127.0.0.1\tlocalhost\n"
        "::1\tlocalhost ip6-localhost ip6-loopback\n"
        "fe00::0\tip6-localnet\n"
        "fe00::0\tip6-mcastprefix\n"
        "fe00::1\tip6-allnodes\n"
        "fe00::2\tip6-allrouters\n"
        "10.244.0.9\tweb-0.web.shop.svc.cluster.local\tweb-0\n"
        "\n# Entries added by HostAliases.\n"
        "10.1.2.3\ta.local\tb.local\n")
    plain = {"metadata": {"name": "box", "namespace": "default"}, "spec": {}}
    assert dns.hosts_file(plain, "10.244.0.5").endswith("fe00::2\tip6-allrouters\n"
                                                        "10.244.0.5\tbox\n")


def test_pod_files_per_dns_policy():
    pod = {"metadata": {"name": "p", "namespace": "default"}, "spec": {}}
    assert sorted(dns.pod_files(pod, "10.244.0.5")) == ["/etc/hosts", "/etc/resolv.conf"]
    assert dns.pod_files({**pod, "spec": {"hostNetwork": True}}, "192.168.49.2") == {}
    assert sorted(dns.pod_files({**pod, "spec": {"dnsPolicy": "Default"}}, "10.244.0.5")) \
        == ["/etc/hosts"]


def test_every_container_gets_them(cluster):
    r = cluster.kubectl("exec db-0 -- cat /etc/resolv.conf /etc/hosts")
    assert r.exit_code == 0
    assert r.stdout.startswith("nameserver 10.96.0.10\n"        # minikube: cri-dockerd's order
                               "search default.svc.cluster.local svc.cluster.local cluster.local\n"
                               "options ndots:5\n# Kubernetes-managed hosts file.\n")
    assert r.stdout.endswith(f"{pod_ip(cluster, 'db-0')}\tdb-0.db.default.svc.cluster.local"
                             "\tdb-0\n")


def test_kubeadm_clusters_run_containerd_which_writes_search_first():
    c = Cluster()
    assert c.apply("""
apiVersion: v1
kind: Pod
metadata: {name: box}
spec:
  containers: [{name: box, image: busybox, command: [sleep, "3600"]}]
""").exit_code == 0
    c.settle()
    assert c.kubectl("exec box -- cat /etc/resolv.conf").stdout == dns.resolv_conf("default")


# -- CoreDNS ---------------------------------------------------------------------------------
def test_a_service_name_answers_its_cluster_ip(cluster):
    assert dns.lookup(cluster, "web.default.svc.cluster.local") == [cluster_ip(cluster, "web")]
    assert dns.lookup(cluster, "WEB.default.svc.cluster.local.") == [cluster_ip(cluster, "web")]
    assert dns.lookup(cluster, "kubernetes.default.svc.cluster.local") == ["10.96.0.1"]
    assert dns.lookup(cluster, "kube-dns.kube-system.svc.cluster.local") == ["10.96.0.10"]
    assert dns.lookup(cluster, "cart.shop.svc.cluster.local") == [cluster_ip(cluster, "cart",
                                                                             "shop")]


def test_a_headless_service_answers_its_ready_endpoints(cluster):
    ips = endpoint_ips(cluster, "hl")
    assert len(ips) == 2
    assert dns.lookup(cluster, "hl.default.svc.cluster.local") == ips
    assert dns.lookup(cluster, "db-0.db.default.svc.cluster.local") == [pod_ip(cluster, "db-0")]
    dashed = ips[0].replace(".", "-")
    assert dns.lookup(cluster, f"{dashed}.hl.default.svc.cluster.local") == ips[:1]


def test_pod_records_are_insecure(cluster):
    assert dns.lookup(cluster, "10-244-0-99.default.pod.cluster.local") == ["10.244.0.99"]
    assert dns.lookup(cluster, "10-244-0-99.nowhere.pod.cluster.local") is None
    assert dns.lookup(cluster, "not-an-ip.default.pod.cluster.local") is None


def test_names_that_do_not_exist(cluster):
    for name in ("nope.default.svc.cluster.local", "web.shop.svc.cluster.local",
                 "web.svc.cluster.local", "web.cluster.local", "web", "web.default",
                 "ext.default.svc.cluster.local", "example.com", "kubernetes.default"):
        assert dns.lookup(cluster, name) is None, name
        assert dns.answer(cluster, name) == (dns.NXDOMAIN, []), name


def test_the_zone_names_exist_without_addresses(cluster):
    for name in ("cluster.local", "svc.cluster.local", "default.svc.cluster.local",
                 "shop.svc.cluster.local"):
        assert dns.answer(cluster, name) == (dns.NOERROR, []), name
    assert dns.answer(cluster, "nowhere.svc.cluster.local") == (dns.NXDOMAIN, [])


def test_reverse_lookups(cluster):
    assert dns.ptr_name("10.96.0.10") == "10.0.96.10.in-addr.arpa"
    assert dns.reverse(cluster, "10.96.0.10") == "kube-dns.kube-system.svc.cluster.local"
    assert dns.reverse(cluster, cluster_ip(cluster, "web")) == "web.default.svc.cluster.local"
    assert dns.reverse(cluster, pod_ip(cluster, "db-0")) == "db-0.db.default.svc.cluster.local"
    assert dns.reverse(cluster, "10.99.99.99") is None


# -- getaddrinfo ------------------------------------------------------------------------------
def test_the_search_list_comes_before_the_name_itself():
    search = dns.search_domains("default")
    assert dns.candidates("web", search) == ["web.default.svc.cluster.local",
                                             "web.svc.cluster.local", "web.cluster.local", "web"]
    assert dns.candidates("a.b.c.d.e.f", search)[0] == "a.b.c.d.e.f"       # ndots reached
    assert dns.candidates("web.default.", search) == ["web.default"]         # absolute


@pytest.mark.parametrize("name", ["web", "web.default", "web.default.svc",
                                  "web.default.svc.cluster.local",
                                  "web.default.svc.cluster.local."])
def test_resolve_finds_a_service_from_its_namespace(cluster, name):
    assert dns.resolve(cluster, name, "default") == [cluster_ip(cluster, "web")]


def test_resolve_from_another_namespace(cluster):
    assert dns.resolve(cluster, "cart", "shop") == [cluster_ip(cluster, "cart", "shop")]
    assert dns.resolve(cluster, "web.default", "shop") == [cluster_ip(cluster, "web")]
    for name in ("web", "cart", "web.", "nope", "", "a..b"):
        namespace = "shop" if name == "web" else "default"
        with pytest.raises(dns.NXDomain) as failure:
            dns.resolve(cluster, name, namespace)
        assert failure.value.name == name
        assert isinstance(failure.value, LookupError)


def test_resolve_literals_localhost_and_hosts_file(cluster):
    assert dns.resolve(cluster, "10.1.2.3", "default") == ["10.1.2.3"]
    assert dns.resolve(cluster, "localhost", "default") == ["127.0.0.1"]
    hosts = dns.hosts_file({"metadata": {"name": "box"}, "spec": {"hostAliases": [
        {"ip": "10.9.9.9", "hostnames": ["legacy.local"]}]}}, "10.244.0.7")
    assert dns.resolve(cluster, "box", "default", hosts=hosts) == ["10.244.0.7"]
    assert dns.resolve(cluster, "legacy.local", "default", hosts=hosts) == ["10.9.9.9"]
    with pytest.raises(dns.NXDomain):
        dns.resolve(cluster, "box", "default")


def test_resolve_reads_the_containers_resolv_conf(cluster):
    conf = "nameserver 10.96.0.10\nsearch shop.svc.cluster.local\noptions ndots:1\n"
    assert dns.resolve(cluster, "cart", "default", conf=conf) == [cluster_ip(cluster, "cart",
                                                                              "shop")]
    with pytest.raises(dns.NXDomain):               # ndots:1: web.default is tried as it is
        dns.resolve(cluster, "web.default", "default", conf=conf)
    assert dns.parse_resolv_conf("search a b\noptions ndots:3 edns0\n") == (["a", "b"], 3)


def test_http_resolve_delegates_to_the_cluster_dns(cluster):
    assert http.resolve(cluster, "web.default.svc", "default") == cluster_ip(cluster, "web")
    assert http.resolve(cluster, "hl", "default") == endpoint_ips(cluster, "hl")[0]
    assert http.resolve(cluster, "localhost", "default") == "localhost"
    with pytest.raises(CouldNotResolveHost, match="^Could not resolve host: web.shop$"):
        http.resolve(cluster, "web.shop", "default")


# -- busybox nslookup --------------------------------------------------------------------------
def test_busybox_nslookup_only_searches_dotless_names():
    assert dns.nslookup_queries("web", "default") == ["web.default.svc.cluster.local",
                                                      "web.svc.cluster.local",
                                                      "web.cluster.local"]
    assert dns.nslookup_queries("web.default", "default") == ["web.default"]
    assert dns.nslookup_queries("web.default.svc.cluster.local", "shop") == [
        "web.default.svc.cluster.local"]
    assert dns.nslookup_queries("web", "default", search=[]) == ["web"]


@pytest.mark.parametrize("host, expected", [
    ("10.96.0.10", True), ("[::1]", True), ("::1", True), ("fd00::1", True),
    ("web", False), ("web.default", False), ("1web", False), ("10.96.0", False), ("", False),
    ("a:b", False),
])
def test_is_address_tells_literals_from_names(host, expected):
    assert dns.is_address(host) is expected
