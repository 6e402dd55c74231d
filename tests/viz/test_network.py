"""The network view: entry points -> Service -> Endpoints -> Pods."""
import pytest

from kubelearn import Cluster
from kubelearn.viz.common import FAILING_COLOUR
from kubelearn.viz.network import MAX_ENDPOINTS, network_diagram

APP = """
apiVersion: apps/v1
kind: Deployment
metadata: {{name: web}}
spec:
  replicas: {replicas}
  selector: {{matchLabels: {{app: web}}}}
  template:
    metadata: {{labels: {{app: web}}}}
    spec:
      containers: [{{name: web, image: nginx, ports: [{{containerPort: 80}}]}}]
---
apiVersion: v1
kind: Service
metadata: {{name: web}}
spec:
  type: {type}
  selector: {{app: web}}
  ports: [{{port: 80, targetPort: 80}}]
---
apiVersion: v1
kind: Service
metadata: {{name: typo}}
spec:
  selector: {{app: wbe}}
  ports: [{{port: 8080, targetPort: 80}}]
"""


def make(cluster, replicas=2, type="ClusterIP"):
    cluster.apply(APP.format(replicas=replicas, type=type))
    cluster.settle()
    return cluster


@pytest.fixture(scope="module")
def c():
    return make(Cluster())


def pods(c):
    return [(p["metadata"]["name"], p["status"]["podIP"]) for p in c.api.list("Pod", "default")]


def test_a_service_with_endpoints_leads_to_its_pods(c, dot):
    d = dot(str(network_diagram(c)))
    svc = c.api.get("Service", "web", "default")
    ip = svc["spec"]["clusterIP"]
    assert d.label("Service/default/web") == \
        f"web\nService · ClusterIP\n{ip}:80 → 80/TCP\nweb.default.svc.cluster.local"
    assert ("Service/default/web", "Endpoints/default/web") in d.edges
    assert d.label("Endpoints/default/web") == "Endpoints web\n2 ready"
    for name, pod_ip in pods(c):
        assert d.edges[("Endpoints/default/web", f"Pod/default/{name}")] == f'[label="{pod_ip}:80"]'
        assert d.label(f"Pod/default/{name}") == f"{name}\n{pod_ip} · 1/1 Running"
        assert d.box[f"Pod/default/{name}"] == "cluster_ns_default"
    # a ClusterIP service is not reachable from outside: no entry points
    assert "outside" not in d.nodes and not [n for n in d.nodes if n.startswith("NodePort/")]


def test_a_service_with_no_endpoints_says_why(c, dot):
    d = dot(str(network_diagram(c)))
    assert d.label("Endpoints/default/typo") == \
        "Endpoints typo\n0 endpoints — selector app=wbe matches no pod"
    assert f'fillcolor="{FAILING_COLOUR}"' in d.nodes["Endpoints/default/typo"]
    assert "dashed" in d.nodes["Endpoints/default/typo"]
    assert not [e for e in d.edges if e[0] == "Endpoints/default/typo"]


def test_pods_that_match_but_have_no_ip_yet():
    c = Cluster()
    c.apply("""
apiVersion: v1
kind: Pod
metadata: {name: stuck, labels: {app: stuck}}
spec:
  nodeSelector: {disk: ssd}
  containers: [{name: web, image: nginx}]
---
apiVersion: v1
kind: Service
metadata: {name: stuck}
spec:
  selector: {app: stuck}
  ports: [{port: 80}]
""")
    c.settle()
    assert "0 endpoints — selector app=stuck matches 1 pod with no IP yet (1 Pending)" in str(network_diagram(c))


def test_ready_and_not_ready_addresses_from_the_endpoints_object(dot):
    c = make(Cluster(), replicas=1)
    (name, ip), = pods(c)
    c.apply(f"""
apiVersion: v1
kind: Service
metadata: {{name: manual}}
spec:
  ports: [{{port: 80}}]
---
apiVersion: v1
kind: Endpoints
metadata: {{name: manual}}
subsets:
- addresses: [{{ip: 192.168.1.50}}]
  notReadyAddresses: [{{ip: {ip}, targetRef: {{kind: Pod, namespace: default, name: {name}}}}}]
  ports: [{{port: 80}}]
""")
    c.settle()
    d = dot(str(network_diagram(c)))
    assert d.label("Endpoints/default/manual") == "Endpoints manual\n1 ready, 1 not ready"
    assert d.edges[("Endpoints/default/manual", "address/192.168.1.50")] == '[label="192.168.1.50:80"]'
    assert d.label("address/192.168.1.50") == "192.168.1.50\n(not a pod)"
    not_ready = d.edges[("Endpoints/default/manual", f"Pod/default/{name}")]
    assert not_ready == f'[label="{ip}:80 not ready", color="#6c757d", style=dashed]'
    # the pod behind two services is drawn once
    assert list(d.nodes).count(f"Pod/default/{name}") == 1
    assert ("Endpoints/default/web", f"Pod/default/{name}") in d.edges


def test_a_load_balancer_on_minikube_before_and_after_the_tunnel(dot):
    m = make(Cluster.minikube(), type="LoadBalancer")
    svc = m.api.get("Service", "web", "default")
    node_port = svc["spec"]["ports"][0]["nodePort"]
    before = dot(str(network_diagram(m)))
    assert before.label("LoadBalancer/default/web") == \
        "LoadBalancer web\nEXTERNAL-IP <pending>\n(minikube tunnel gives it one)"
    assert "dashed" in before.edges[("outside", "LoadBalancer/default/web")]
    assert before.label("NodePort/default/web") == f"NodePort {node_port}\non every node: 192.168.49.2"
    assert ("LoadBalancer/default/web", "NodePort/default/web") in before.edges
    assert ("NodePort/default/web", "Service/default/web") in before.edges
    assert "Service · LoadBalancer" in before.label("Service/default/web")

    m.minikube("tunnel")
    m.settle()
    after = dot(str(network_diagram(m)))
    external = m.api.get("Service", "web", "default")["status"]["loadBalancer"]["ingress"][0]["ip"]
    assert after.label("LoadBalancer/default/web") == f"LoadBalancer web\nEXTERNAL-IP {external}"
    assert after.edges[("outside", "LoadBalancer/default/web")] == f'[label="{external}:80"]'


def test_a_node_port_is_open_on_every_node(dot):
    c = make(Cluster(), replicas=1, type="NodePort")
    node_port = c.api.get("Service", "web", "default")["spec"]["ports"][0]["nodePort"]
    d = dot(str(network_diagram(c)))
    ips = [a["address"] for n in c.api.list("Node") for a in n["status"]["addresses"]
           if a["type"] == "InternalIP"]
    assert d.label("NodePort/default/web") == f"NodePort {node_port}\non every node: {', '.join(ips)}"
    assert d.edges[("outside", "NodePort/default/web")] == f'[label="{ips[0]}:{node_port}"]'
    assert not [n for n in d.nodes if n.startswith("LoadBalancer/")]


def test_many_endpoints_are_summarised_and_a_highlighted_pod_is_kept(dot):
    c = make(Cluster(), replicas=MAX_ENDPOINTS + 3)
    names = sorted(name for name, _ in pods(c))
    d = dot(str(network_diagram(c)))
    shown = [n for n in d.nodes if n.startswith("Pod/")]
    assert len(shown) == MAX_ENDPOINTS
    assert d.label("more/Endpoints/default/web") == "+ 3 more endpoints: 3 ready"
    hidden = next(f"Pod/default/{n}" for n in names if f"Pod/default/{n}" not in shown)
    marked = dot(str(network_diagram(c, highlight=[hidden, "Service/default/typo"])))
    assert marked.highlighted() == ["Service/default/typo", hidden]


def test_namespace_limits_the_view(c, dot):
    assert list(dot(str(network_diagram(c, namespace="nowhere"))).nodes) == ["nothing"]
    system = dot(str(network_diagram(c, namespace="kube-system")))
    assert "Service/kube-system/kube-dns" in system.nodes
    assert "Service/default/web" not in system.nodes
    assert system.label("Endpoints/kube-system/kube-dns") == "Endpoints kube-dns\n2 ready"
    # three ports: the edges name the address only
    assert all(':' not in attrs for (a, _), attrs in system.edges.items() if a.startswith("Endpoints/"))
