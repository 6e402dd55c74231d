"""``kubelearn.network.http``: requests from the learner's machine (and from pods),
answered by the image's app, with curl's words when nothing answers."""
from __future__ import annotations

import json

import pytest

from kubelearn import Cluster
from kubelearn.network import http
from kubelearn.network.http import (ConnectionRefused, ConnectionTimedOut, CouldNotResolveHost,
                                    EmptyReply, HTTPConnectionError, NoRouteToHost, Response,
                                    parse_url, request)
from kubelearn.network.proxy import HostForward, kube_proxy
from kubelearn.node.images import NGINX_WELCOME

APPS = """
apiVersion: apps/v1
kind: Deployment
metadata: {name: hello}
spec:
  replicas: 2
  selector: {matchLabels: {app: hello}}
  template:
    metadata: {labels: {app: hello}}
    spec:
      containers: [{name: hello, image: "kubelearn/hello:2", ports: [{containerPort: 8080}]}]
---
apiVersion: v1
kind: Service
metadata: {name: hello}
spec:
  type: NodePort
  selector: {app: hello}
  ports: [{port: 80, targetPort: 8080, nodePort: 31000}]
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 1
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers: [{name: nginx, image: "nginx:1.26"}]
---
apiVersion: v1
kind: Service
metadata: {name: web}
spec:
  type: NodePort
  selector: {app: web}
  ports: [{port: 80, nodePort: 31001}]
"""


@pytest.fixture()
def cluster():
    c = Cluster.minikube()
    assert c.apply(APPS).exit_code == 0
    c.settle()
    return c


def test_hello_answers_with_its_version_and_pod_name(cluster):
    r = cluster.http_get("http://192.168.49.2:31000/")
    assert isinstance(r, Response)
    assert (r.status, r.reason, r.ok) == (200, "OK", True)
    name = r.pod.split("/")[1]
    assert r.pod.startswith("default/hello-")
    assert r.text == f"Hello from kubelearn/hello v2! I am pod {name}.\n"
    assert r.headers == {"Content-Type": "text/plain", "Content-Length": str(len(r.text))}
    assert repr(r) == f"<Response [200] from {r.pod}>"
    assert str(r) == r.text


def test_requests_alternate_between_the_two_pods(cluster):
    pods = [cluster.http_get("http://192.168.49.2:31000/").pod for _ in range(4)]
    assert pods[0] != pods[1] and pods[0] == pods[2] and pods[1] == pods[3]


def test_nginx_serves_its_welcome_page_and_404s(cluster):
    r = cluster.http_get("http://192.168.49.2:31001")
    assert r.text == NGINX_WELCOME
    assert r.headers == {"Server": "nginx/1.26.3", "Content-Type": "text/html",
                         "Content-Length": "615"}
    missing = cluster.http_get("http://192.168.49.2:31001/nope")
    assert (missing.status, missing.ok) == (404, False)
    assert "<hr><center>nginx/1.26.3</center>" in missing.text


def test_healthz_and_the_cluster_ip_from_the_node_network(cluster):
    assert cluster.http_get("http://192.168.49.2:31000/healthz").text == "ok\n"
    ip = cluster.get("service", "hello")["spec"]["clusterIP"]
    assert cluster.http_get(f"http://{ip}/version").text == "2\n"


def test_post_reaches_the_app_and_is_logged(cluster):
    r = cluster.http_post("http://192.168.49.2:31000/", data="name=kube")
    assert r.status == 200
    pod = r.pod.split("/")[1]
    logs = cluster.kubectl(f"logs {pod}").stdout
    assert " POST / 200 from 10.244.0.1" in logs


def test_the_error_route_crashes_the_container_and_the_client_gets_no_reply(cluster):
    with pytest.raises(EmptyReply) as err:
        cluster.http_get("http://192.168.49.2:31000/error")
    assert str(err.value) == "Empty reply from server"
    assert isinstance(err.value, ConnectionError)
    cluster.advance(5)
    restarts = [p["status"]["containerStatuses"][0]["restartCount"]
                for p in cluster.api.store.list("Pod", "default")
                if p["metadata"]["labels"].get("app") == "hello"]
    assert sorted(restarts) == [0, 1]


def test_connection_errors_are_worded_as_curl_words_them(cluster):
    cases = [("http://192.168.49.2:31999/", ConnectionRefused,
              "Failed to connect to 192.168.49.2 port 31999: Connection refused"),
             ("http://192.168.49.5/", NoRouteToHost,
              "Failed to connect to 192.168.49.5 port 80: No route to host"),
             ("http://10.99.99.99:80/", ConnectionTimedOut,
              "Failed to connect to 10.99.99.99 port 80: Connection timed out"),
             ("http://localhost:8080/", ConnectionRefused,
              "Failed to connect to localhost port 8080: Connection refused"),
             ("http://hello/", CouldNotResolveHost, "Could not resolve host: hello")]
    for url, kind, message in cases:
        with pytest.raises(kind) as err:
            cluster.http_get(url)
        assert str(err.value) == message, url
        assert isinstance(err.value, ConnectionError)
    assert issubclass(ConnectionRefused, ConnectionRefusedError)
    assert issubclass(ConnectionTimedOut, TimeoutError)


def test_a_node_port_without_endpoints_refuses(cluster):
    cluster.kubectl("scale deployment hello --replicas=0")
    cluster.settle()
    with pytest.raises(ConnectionRefused) as err:
        cluster.http_get("http://192.168.49.2:31000/")
    assert str(err.value) == "Failed to connect to 192.168.49.2 port 31000: Connection refused"


def test_https_to_a_plain_http_port_fails_the_tls_handshake(cluster):
    with pytest.raises(HTTPConnectionError) as err:
        cluster.http_get("https://192.168.49.2:31000/")
    assert "wrong version number" in str(err.value)


def test_from_a_pod_service_names_resolve_through_the_search_path(cluster):
    pod = cluster.api.store.list("Pod", "default")[0]["metadata"]["name"]
    for host in ("web", "web.default", "web.default.svc", "web.default.svc.cluster.local"):
        r = request(cluster, "GET", f"http://{host}/", from_pod=("default", pod))
        assert r.pod.startswith("default/web-"), host
    with pytest.raises(CouldNotResolveHost):
        request(cluster, "GET", "http://web.kube-system/", from_pod=("default", pod))


def test_parse_url_defaults_like_curl():
    assert parse_url("http://192.168.49.2:31000/a?b=1") == ("http", "192.168.49.2", 31000,
                                                             "/a?b=1")
    assert parse_url("10.96.0.5") == ("http", "10.96.0.5", 80, "/")
    assert parse_url("https://x") == ("https", "x", 443, "/")
    with pytest.raises(HTTPConnectionError) as err:
        parse_url("ftp://x/")
    assert str(err.value) == 'Protocol "ftp" not supported'


def test_the_apiserver_service_proxy_behind_a_kubectl_proxy_port(cluster):
    kube_proxy(cluster).host_ports[45000] = HostForward("apiserver-proxy")
    base = "http://127.0.0.1:45000/api/v1/namespaces/default/services"
    r = cluster.http_get(f"{base}/http:web:/proxy/")
    assert (r.status, r.text) == (200, NGINX_WELCOME)
    assert cluster.http_get(f"{base}/hello:80/proxy/healthz").text == "ok\n"
    missing = cluster.http_get(f"{base}/nope/proxy/")
    assert missing.status == 404
    assert missing.json()["message"] == 'services "nope" not found'
    cluster.kubectl("scale deployment web --replicas=0")
    cluster.settle()
    down = cluster.http_get(f"{base}/http:web:/proxy/")
    assert down.status == 503
    assert json.loads(down.text)["message"] == 'no endpoints available for service "http:web:"'
    assert cluster.http_get("http://127.0.0.1:45000/elsewhere").status == 404


def test_reasons_table_names_common_codes():
    assert http.REASONS[503] == "Service Unavailable"
    assert Response(404, "").reason == "Not Found"


SIDECAR = """
apiVersion: v1
kind: Pod
metadata: {name: duo}
spec:
  containers:
    - {name: web, image: "nginx:1.26"}
    - {name: sidecar, image: "busybox:1.36", command: [sleep, "3600"]}
"""


def test_from_a_pod_localhost_is_the_pods_own_network_namespace(cluster):
    cluster.apply(SIDECAR)
    cluster.settle()
    r = request(cluster, "GET", "http://localhost/", from_pod=("default", "duo"))
    assert (r.status, r.pod, r.text) == (200, "default/duo", NGINX_WELCOME)
    assert cluster.kubectl("logs duo -c web").stdout.splitlines()[-1].startswith("127.0.0.1 - - ")
    with pytest.raises(ConnectionRefused) as err:
        request(cluster, "GET", "http://127.0.0.1:8080/", from_pod=("default", "duo"))
    assert str(err.value) == "Failed to connect to 127.0.0.1 port 8080: Connection refused"
    hello = next(p["metadata"]["name"] for p in cluster.api.store.list("Pod", "default")
                 if p["metadata"]["name"].startswith("hello-"))
    with pytest.raises(ConnectionRefused):        # hello listens on 8080, not 80
        request(cluster, "GET", "http://localhost/", from_pod=("default", hello))
    assert request(cluster, "GET", "http://localhost:8080/version",
                   from_pod=("default", hello)).text == "2\n"
    with pytest.raises(ConnectionRefused):        # the learner's machine: nothing there
        cluster.http_get("http://localhost/")


def test_port_forward_reaches_one_pod_and_a_gone_pod_gives_an_empty_reply(cluster):
    assert cluster.kubectl("port-forward svc/hello 8080:80").exit_code == 0
    answers = {cluster.http_get("http://localhost:8080/").pod for _ in range(4)}
    assert len(answers) == 1                      # no load balancing through a forward
    name = answers.pop().split("/")[1]
    cluster.kubectl(f"delete pod {name}")
    cluster.settle()
    with pytest.raises(EmptyReply) as err:
        cluster.http_get("http://localhost:8080/")
    assert str(err.value) == "Empty reply from server"
    with pytest.raises(ConnectionRefused):        # kubectl has exited: nothing listens
        cluster.http_get("http://localhost:8080/")
