"""``kubelearn.network.proxy``: kube-proxy's routing of one connection.

Each test builds a small kubeadm cluster (three nodes), runs a workload behind a
Service and asks where connections end up, as iptables rules would send them."""
from __future__ import annotations

import pytest

from kubelearn import Cluster
from kubelearn.network.proxy import (NO_ROUTE, REFUSED, TIMED_OUT, HostForward, Unreachable,
                                     kube_proxy)

HELLO = """
apiVersion: apps/v1
kind: Deployment
metadata: {name: hello}
spec:
  replicas: 3
  selector: {matchLabels: {app: hello}}
  template:
    metadata: {labels: {app: hello}}
    spec:
      containers:
        - name: hello
          image: kubelearn/hello:1
          ports: [{name: http, containerPort: 8080}]
---
apiVersion: v1
kind: Service
metadata: {name: hello}
spec:
  type: NodePort
  selector: {app: hello}
  ports: [{port: 80, targetPort: http, nodePort: 30080}]
"""


@pytest.fixture(scope="module")
def cluster():
    c = Cluster()
    assert c.apply(HELLO).exit_code == 0
    c.settle()
    return c


def pods_of(cluster, app):
    return sorted(p["metadata"]["name"] for p in cluster.api.store.list("Pod", "default")
                  if p["metadata"].get("labels", {}).get("app") == app)


def test_a_node_port_on_every_node_reaches_the_named_target_port(cluster):
    proxy = kube_proxy(cluster)
    for ip in ("192.168.49.2", "192.168.49.3", "192.168.49.4"):
        backend = proxy.route(ip, 30080)
        assert backend.via == "nodePort"
        assert backend.service == "default/hello"
        assert backend.port == 8080          # targetPort "http" -> containerPort 8080
        assert backend.container == "hello"


def test_round_robin_visits_every_ready_endpoint_in_endpoints_order(cluster):
    proxy = kube_proxy(cluster)
    endpoints = cluster.api.store.get("Endpoints", "default", "hello")
    order = [a["targetRef"]["name"] for a in endpoints["subsets"][0]["addresses"]]
    start = proxy.route("192.168.49.2", 30080).pod
    first = order.index(start)
    seen = [proxy.route("192.168.49.2", 30080).pod for _ in range(6)]
    expected = [order[(first + 1 + i) % 3] for i in range(6)]
    assert seen == expected
    assert sorted(set(seen)) == pods_of(cluster, "hello")


def test_cluster_ip_and_port_route_like_the_node_port(cluster):
    ip = cluster.get("service", "hello")["spec"]["clusterIP"]
    backend = kube_proxy(cluster).route(ip, 80)
    assert (backend.via, backend.service, backend.port) == ("clusterIP", "default/hello", 8080)


def test_a_cluster_ip_on_a_port_the_service_lacks_times_out(cluster):
    ip = cluster.get("service", "hello")["spec"]["clusterIP"]
    with pytest.raises(Unreachable) as err:
        kube_proxy(cluster).route(ip, 8080)
    assert err.value.reason == TIMED_OUT


def test_pod_ips_are_reached_directly_and_only_on_listening_ports(cluster):
    pod = cluster.api.store.get("Pod", "default", pods_of(cluster, "hello")[0])
    ip = pod["status"]["podIP"]
    backend = kube_proxy(cluster).route(ip, 8080)
    assert (backend.pod, backend.via, backend.service) == (pod["metadata"]["name"], "pod", "")
    with pytest.raises(Unreachable) as err:
        kube_proxy(cluster).route(ip, 9999)
    assert err.value.reason == REFUSED


def test_unknown_node_ports_refuse_and_unknown_addresses_do_not_answer(cluster):
    proxy = kube_proxy(cluster)
    for host, port, reason in (("192.168.49.2", 30081, REFUSED),
                               ("192.168.49.77", 80, NO_ROUTE),
                               ("10.96.123.123", 80, TIMED_OUT),
                               ("127.0.0.1", 30080, REFUSED)):
        with pytest.raises(Unreachable) as err:
            proxy.route(host, port)
        assert err.value.reason == reason, host


def test_localhost_reaches_a_service_only_through_a_host_forward():
    c = Cluster()
    c.apply(HELLO)
    c.settle()
    proxy = kube_proxy(c)
    with pytest.raises(Unreachable):
        proxy.route("127.0.0.1", 41000)
    proxy.host_ports[41000] = HostForward("service", "default", "hello", 80, "test")
    backend = proxy.route("127.0.0.1", 41000)
    assert (backend.via, backend.service, backend.port) == ("host", "default/hello", 8080)


def test_a_service_without_ready_endpoints_refuses():
    c = Cluster()
    c.apply(HELLO.replace("replicas: 3", "replicas: 0"))
    c.settle()
    with pytest.raises(Unreachable) as err:
        kube_proxy(c).route("192.168.49.3", 30080)
    assert err.value.reason == REFUSED


NOT_READY = """
apiVersion: v1
kind: Pod
metadata: {name: shy, labels: {app: shy}}
spec:
  containers:
    - name: web
      image: nginx:1.27
      readinessProbe: {httpGet: {path: /not-there, port: 80}, periodSeconds: 1}
---
apiVersion: v1
kind: Service
metadata: {name: shy}
spec:
  selector: {app: shy}
  ports: [{port: 80}]
"""


def test_not_ready_addresses_get_no_traffic():
    c = Cluster()
    c.apply(NOT_READY)
    c.settle()
    c.advance(20)
    endpoints = c.api.store.get("Endpoints", "default", "shy")
    assert [a["targetRef"]["name"] for a in endpoints["subsets"][0]["notReadyAddresses"]] == \
        ["shy"]
    ip = c.get("service", "shy")["spec"]["clusterIP"]
    with pytest.raises(Unreachable) as err:
        kube_proxy(c).route(ip, 80)
    assert err.value.reason == REFUSED


def test_local_traffic_policy_keeps_node_port_traffic_on_its_node():
    c = Cluster()
    c.apply(HELLO.replace("replicas: 3", "replicas: 1").replace(
        "type: NodePort", "type: NodePort\n  externalTrafficPolicy: Local"))
    c.settle()
    pod = c.api.store.get("Pod", "default", pods_of(c, "hello")[0])
    here = pod["status"]["hostIP"]
    proxy = kube_proxy(c)
    assert proxy.route(here, 30080).pod == pod["metadata"]["name"]
    elsewhere = next(ip for ip in proxy.node_ips() if ip != here)
    with pytest.raises(Unreachable) as err:
        proxy.route(elsewhere, 30080)
    assert err.value.reason == TIMED_OUT


def test_client_ip_session_affinity_pins_a_client_to_one_pod():
    c = Cluster()
    c.apply(HELLO.replace("type: NodePort", "type: NodePort\n  sessionAffinity: ClientIP"))
    c.settle()
    proxy = kube_proxy(c)
    alice = {proxy.route("192.168.49.2", 30080, client="10.0.0.7").pod for _ in range(5)}
    bob = [proxy.route("192.168.49.2", 30080, client="10.0.0.8").pod for _ in range(5)]
    assert len(alice) == 1
    assert len(set(bob)) == 1


def test_the_proxy_state_is_one_per_cluster(cluster):
    assert kube_proxy(cluster) is kube_proxy(cluster)
    assert kube_proxy(Cluster()) is not kube_proxy(cluster)


# -- the rules are tables kept from watch events ------------------------------------------

def test_rules_follow_services_created_changed_and_deleted_after_the_proxy_started():
    c = Cluster()
    c.apply(HELLO)
    c.settle()
    proxy = kube_proxy(c)                     # the tables are built now
    later = HELLO.split("---")[1].replace("name: hello}", "name: later}")
    c.apply(later.replace("30080", "30090"))
    c.settle()
    ip = c.get("service", "later")["spec"]["clusterIP"]
    assert proxy.route(ip, 80).service == "default/later"
    assert proxy.route("192.168.49.3", 30090).service == "default/later"
    later = HELLO.split("---")[1].replace("name: hello}", "name: later}")
    c.apply(later.replace("port: 80,", "port: 81,").replace("30080", "30090"))
    c.settle()
    assert proxy.route(ip, 81).port == 8080
    with pytest.raises(Unreachable) as err:
        proxy.route(ip, 80)
    assert err.value.reason == TIMED_OUT     # the address stays, the port's rule went
    c.kubectl("delete service later")
    c.settle()
    for host, port, reason in ((ip, 81, TIMED_OUT), ("192.168.49.3", 30090, REFUSED)):
        with pytest.raises(Unreachable) as err:
            proxy.route(host, port)
        assert err.value.reason == reason


def test_a_deleted_pods_ip_no_longer_answers():
    c = Cluster()
    c.apply(HELLO.replace("replicas: 3", "replicas: 1"))
    c.settle()
    proxy = kube_proxy(c)
    name = pods_of(c, "hello")[0]
    ip = c.api.store.get("Pod", "default", name)["status"]["podIP"]
    assert proxy.route(ip, 8080).pod == name
    c.kubectl("scale deployment hello --replicas=0")
    c.settle()
    with pytest.raises(Unreachable) as err:
        proxy.route(ip, 8080)
    assert err.value.reason == TIMED_OUT


def test_a_stopped_process_refuses_on_its_pod_ip_until_it_runs_again():
    from kubelearn.node.kubelet import container_exited

    c = Cluster()
    c.apply(HELLO.replace("replicas: 3", "replicas: 1"))
    c.settle()
    proxy = kube_proxy(c)
    name = pods_of(c, "hello")[0]
    ip = c.api.store.get("Pod", "default", name)["status"]["podIP"]
    assert proxy.route(ip, 8080).container == "hello"      # found, and remembered
    assert container_exited(c, "default", name, "hello", 1)
    with pytest.raises(Unreachable) as err:
        proxy.route(ip, 8080)
    assert err.value.reason == REFUSED
    c.advance(30)                                          # restarted after its back-off
    assert proxy.route(ip, 8080).container == "hello"


def test_a_pod_on_a_stopped_node_refuses_at_once():
    c = Cluster()
    c.apply(HELLO.replace("replicas: 3", "replicas: 1"))
    c.settle()
    proxy = kube_proxy(c)
    pod = c.api.store.get("Pod", "default", pods_of(c, "hello")[0])
    ip = pod["status"]["podIP"]
    assert proxy.route(ip, 8080).container == "hello"
    c.stop_node(pod["spec"]["nodeName"])        # no pod is written: the kubelet just stops
    with pytest.raises(Unreachable) as err:
        proxy.route(ip, 8080)
    assert err.value.reason == REFUSED


def test_listener_agrees_with_the_kubelets_running_containers(cluster):
    from kubelearn.node.kubelet import running_container

    proxy = kube_proxy(cluster)
    checked = 0
    for pod in cluster.api.store.list("Pod"):
        meta = pod["metadata"]
        for port in (53, 80, 8080, 9999, 10250):
            expected = None
            for spec in pod["spec"]["containers"]:
                info = running_container(cluster, meta["namespace"], meta["name"], spec["name"])
                if expected is None and info is not None and port in info["listens"]:
                    expected = spec["name"]
            for _ in range(2):                 # found afresh, then remembered
                assert proxy.listener(pod, port) == expected, (meta["name"], port)
            checked += expected is not None
    assert checked >= 4


SHARED = """
apiVersion: v1
kind: Service
metadata: {name: NAME}
spec:
  selector: {app: hello}
  externalIPs: [203.0.113.7]
  ports: [{port: PORT, targetPort: http}]
"""


def test_services_sharing_an_external_ip_are_told_apart_by_port_then_by_name():
    c = Cluster()
    c.apply(HELLO)
    for name, port in (("b", 80), ("c", 443), ("a", 80)):
        c.apply(SHARED.replace("NAME", name).replace("PORT", str(port)))
    c.settle()
    proxy = kube_proxy(c)
    assert proxy.route("203.0.113.7", 443).service == "default/c"
    assert proxy.route("203.0.113.7", 80).service == "default/a"   # first in etcd order
    assert proxy.route("203.0.113.7", 80).via == "externalIP"
    c.kubectl("delete service a")
    c.settle()
    assert proxy.route("203.0.113.7", 80).service == "default/b"


# -- localhost inside a pod -----------------------------------------------------------------

SIDECAR = """
apiVersion: v1
kind: Pod
metadata: {name: duo}
spec:
  containers:
    - {name: web, image: "nginx:1.27"}
    - {name: sidecar, image: "busybox:1.36", command: [sleep, "3600"]}
---
apiVersion: v1
kind: Pod
metadata: {name: solo}
spec:
  containers:
    - {name: box, image: "busybox:1.36", command: [sleep, "3600"]}
"""


def test_localhost_in_a_pod_reaches_its_own_containers_only():
    c = Cluster()
    c.apply(SIDECAR)
    c.settle()
    proxy = kube_proxy(c)
    backend = proxy.route("localhost", 80, from_pod=("default", "duo"))
    assert backend == ("default", "duo", "web", 80, "", "localhost", "127.0.0.1")
    assert proxy.route("127.0.0.1", 80, from_pod=("default", "duo")).container == "web"
    for host, port, pod in (("localhost", 81, "duo"), ("localhost", 80, "solo"),
                            ("::1", 80, "solo")):
        with pytest.raises(Unreachable) as err:
            proxy.route(host, port, from_pod=("default", pod))
        assert err.value.reason == REFUSED, (host, port, pod)
    with pytest.raises(Unreachable):           # the learner's machine: no forward there
        proxy.route("localhost", 80)


HOST_NETWORK = """
apiVersion: v1
kind: Pod
metadata: {name: NAME}
spec:
  hostNetwork: true
  nodeName: worker-1
  containers: [CONTAINER]
"""


def test_localhost_in_a_host_network_pod_is_the_nodes():
    c = Cluster()
    for name, container in (
            ("edge", '{name: web, image: "nginx:1.27"}'),
            ("agent", '{name: box, image: "busybox:1.36", command: [sleep, "1h"]}')):
        c.apply(HOST_NETWORK.replace("NAME", name).replace("CONTAINER", container))
    c.settle()
    backend = kube_proxy(c).route("localhost", 80, from_pod=("default", "agent"))
    assert (backend.pod, backend.container, backend.via) == ("edge", "web", "localhost")


def test_a_terminating_pod_serves_until_its_process_stops():
    """SIGTERM starts the shutdown, not the end: a process that ignores it (Node.js as
    PID 1) keeps accepting connections on its pod IP and on localhost until the kubelet
    kills it when the grace period ends; one that exits on SIGTERM (nginx) stops at once."""
    from kubelearn.network.http import request

    c = Cluster.minikube()
    c.apply("apiVersion: v1\nkind: Pod\nmetadata: {name: login}\nspec:\n  containers:\n"
            "  - {name: users, image: 'kubelearn/users-api:1', env: [{name: AUTH_ADDRESS, "
            "value: localhost}]}\n  - {name: auth, image: 'kubelearn/auth-api:1'}\n---\n"
            "apiVersion: v1\nkind: Pod\nmetadata: {name: web}\nspec:\n"
            "  containers: [{name: web, image: nginx}]\n")
    c.advance(15)
    login_ip = c.api.store.get("Pod", "default", "login")["status"]["podIP"]
    web_ip = c.api.store.get("Pod", "default", "web")["status"]["podIP"]
    assert c.kubectl("delete pod login web --wait=false").exit_code == 0
    c.advance(5)
    assert "Terminating" in c.kubectl("get pod login").stdout
    assert c.http_get(f"http://{login_ip}:8080/login").json()["issuedBy"] == "login"
    assert request(c, "GET", "http://localhost:80/token",
                   from_pod=("default", "login")).json()["issuedBy"] == "login"
    r = c.kubectl("exec login -c users -- curl -s localhost:8080/login")
    assert (r.exit_code, r.stdout) == (0, '{"message":"User logged in.","pod":"login",'
                                          '"token":"abc","issuedBy":"login"}')
    with pytest.raises(Unreachable) as err:          # nginx exited on SIGTERM
        kube_proxy(c).route(web_ip, 80)
    assert err.value.reason in (REFUSED, TIMED_OUT)
    c.advance(30)                                    # killed at the end of the grace period
    with pytest.raises(Unreachable):
        kube_proxy(c).route(login_ip, 8080)
