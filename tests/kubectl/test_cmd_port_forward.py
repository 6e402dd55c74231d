"""Tests for ``kubectl port-forward`` (kubelearn.kubectl.cmd_port_forward).

Wording from kubectl 1.32's pkg/cmd/portforward/portforward.go (the usage error,
``unable to forward port because pod is not running``, the Service and named
port lookups of pkg/util), polymorphichelpers (``cannot attach to *v1.Service:
invalid service 'x': Service is defined without a selector``) and client-go's
tools/portforward/portforward.go (``Forwarding from``, ``Handling connection
for``, ``Unable to listen on port``, ``unable to listen on any of the requested
ports``, the ``an error occurred forwarding`` log line and ``lost connection to
pod``).
"""
from __future__ import annotations

import pytest

from kubelearn import Cluster
from kubelearn.kubectl.cmd_port_forward import port_forwards
from kubelearn.network.http import ConnectionRefused, EmptyReply
from kubelearn.network.proxy import kube_proxy

WEB = """
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 3
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
        - name: nginx
          image: nginx:1.27
          ports: [{name: http, containerPort: 80}]
---
apiVersion: v1
kind: Service
metadata: {name: web}
spec:
  selector: {app: web}
  ports: [{name: front, port: 8000, targetPort: http}]
"""

PENDING = """
apiVersion: v1
kind: Pod
metadata: {name: stuck}
spec:
  nodeSelector: {disk: ssd}
  containers: [{name: c, image: "nginx:1.27"}]
---
apiVersion: v1
kind: Service
metadata: {name: manual}
spec:
  ports: [{port: 80}]
"""

HELP = "See 'kubectl port-forward -h' for help and examples\n"


@pytest.fixture
def c():
    cluster = Cluster.minikube()
    cluster.apply(WEB)
    cluster.apply(PENDING)
    cluster.settle()
    return cluster


def run(cluster, line):
    result = cluster.kubectl(line)
    return result.stdout, result.stderr, result.exit_code


def web_pods(cluster) -> list[str]:
    return [p["metadata"]["name"] for p in cluster.api.store.list("Pod", "default")
            if p["metadata"]["name"].startswith("web-")]


def forwarding(local: int, remote: int) -> str:
    return (f"Forwarding from 127.0.0.1:{local} -> {remote}\n"
            f"Forwarding from [::1]:{local} -> {remote}\n")


# -- errors before anything listens ---------------------------------------------------------

@pytest.mark.parametrize("line", ["port-forward", "port-forward web"])
def test_a_target_and_ports_are_required(c, line):
    assert run(c, line) == ("", "error: TYPE/NAME and list of ports are required for "
                                "port-forward\n" + HELP, 1)


@pytest.mark.parametrize("line, message", [
    ("port-forward nope 80", 'Error from server (NotFound): pods "nope" not found'),
    ("port-forward deploy/nope 80",
     'Error from server (NotFound): deployments.apps "nope" not found'),
    ("port-forward stuck 80",
     "error: unable to forward port because pod is not running. Current status=Pending"),
    ("port-forward svc/manual 80", "error: cannot attach to *v1.Service: invalid service "
                                   "'manual': Service is defined without a selector"),
    ("port-forward configmap/kube-root-ca.crt 80",
     "error: cannot attach to *v1.ConfigMap: selector for *v1.ConfigMap not implemented"),
    ("port-forward svc/web 9000:80", "error: Service web does not have a service port 80"),
    ("port-forward svc/web 9000:back", "error: Service 'web' does not have a named port 'back'"),
    ("port-forward deploy/web 9000:https", "error: Pod 'POD' does not have a named port 'https'"),
    ("port-forward deploy/web 9000:", "error: Pod 'POD' does not have a named port ''"),
    ("port-forward svc/web 1:2:3", "error: Service web does not have a service port 1"),
    ("port-forward deploy/web 70000:80", "error: error parsing local port '70000': "
                                         'strconv.ParseUint: parsing "70000": value out of range'),
    ("port-forward deploy/web 9000:0", "error: remote port must be > 0"),
    ("port-forward --address 1.2.3 deploy/web 9000:80", "error: 1.2.3 is not a valid IP"),
])
def test_errors_are_worded_as_kubectl_words_them(c, line, message):
    out, err, code = run(c, line)
    assert (out, code) == ("", 1)
    if "POD" in message:                     # the pod the deployment's selector picked
        pod = err.split("'")[1]
        assert pod in web_pods(c)
        err = err.replace(pod, "POD")
    assert err == message + "\n"
    assert kube_proxy(c).host_ports == {}


# -- forwarding -----------------------------------------------------------------------------

def test_a_pod_port_forwards_from_both_loopback_addresses(c):
    pod = sorted(web_pods(c))[1]
    assert run(c, f"port-forward pod/{pod} 8080:80") == (forwarding(8080, 80), "", 0)
    r = c.http_get("http://localhost:8080/")
    assert (r.status, r.pod) == (200, f"default/{pod}")
    assert c.http_get("http://127.0.0.1:8080/").pod == c.http_get("http://[::1]:8080/").pod
    forward, = port_forwards(c)
    assert forward.output == forwarding(8080, 80) + "Handling connection for 8080\n" * 3
    assert forward.ports == {8080: 80}
    assert c.kubectl(f"logs {pod}").stdout.splitlines()[-1].startswith("127.0.0.1 - - ")


def test_a_service_is_translated_to_one_pods_target_port_and_does_not_balance(c):
    out, err, code = run(c, "port-forward svc/web 8080:8000")
    assert (out, err, code) == (forwarding(8080, 80), "", 0)     # the arrow: the pod's port
    pods = {c.http_get("http://localhost:8080/").pod for _ in range(6)}
    assert len(pods) == 1
    ip = c.get("service", "web")["spec"]["clusterIP"]
    assert len({c.http_get(f"http://{ip}:8000/").pod for _ in range(6)}) == 3   # kube-proxy does
    assert run(c, "port-forward svc/web front")[0] == forwarding(8000, 80)   # named: 8000
    assert run(c, "port-forward deploy/web 9000:http")[0] == forwarding(9000, 80)


MIXED = """
apiVersion: v1
kind: Pod
metadata: {name: a-pending, labels: {app: mix}}
spec:
  nodeSelector: {disk: ssd}
  containers: [{name: c, image: "nginx:1.27"}]
---
apiVersion: v1
kind: Pod
metadata: {name: b-unready, labels: {app: mix}}
spec:
  containers:
    - name: c
      image: nginx:1.27
      readinessProbe: {httpGet: {path: /not-there, port: 80}, periodSeconds: 1}
---
apiVersion: v1
kind: Pod
metadata: {name: c-ready, labels: {app: mix}}
spec:
  containers: [{name: c, image: "nginx:1.27"}]
---
apiVersion: v1
kind: Service
metadata: {name: mix}
spec:
  selector: {app: mix}
  ports: [{port: 80}]
"""


def test_a_service_picks_its_most_active_pod_assigned_running_and_ready(c):
    c.apply(MIXED)
    c.settle()
    c.advance(10)
    assert run(c, "port-forward svc/mix 8080:80")[2] == 0
    assert c.http_get("http://localhost:8080/").pod == "default/c-ready"
    c.kubectl("delete pod c-ready")
    c.settle()
    run(c, "port-forward svc/mix 8081:80")
    assert c.http_get("http://localhost:8081/").pod == "default/b-unready"   # Running beats Pending


def test_an_empty_remote_port_is_refused_once_no_unnamed_port_matches_it(c):
    c.kubectl("run plain --image=nginx:1.27 --port=80")
    c.settle()
    assert run(c, "port-forward plain 9000:") == ("", "error: remote port cannot be empty\n", 1)


def test_a_random_local_port_comes_from_the_seeded_generator():
    outputs = []
    for _ in range(2):
        cluster = Cluster.minikube(seed=7)
        cluster.apply(WEB)
        cluster.settle()
        outputs.append(run(cluster, "port-forward deploy/web :80 :80"))
    assert outputs[0] == outputs[1]
    out, err, code = outputs[0]
    lines = out.splitlines()
    ports = {int(line.split(":")[-1].split()[0]) for line in lines}
    assert code == 0 and len(lines) == 4 and len(ports) == 2
    assert all(32768 <= p <= 60999 for p in ports)


def test_address_flag_binds_what_it_names(c):
    out, err, code = run(c, "port-forward --address 0.0.0.0 --address localhost deploy/web "
                            "8080:80")
    # 127.0.0.1:8080 clashes with 0.0.0.0:8080; with one localhost address bound, that is fine
    assert (out, err, code) == ("Forwarding from 0.0.0.0:8080 -> 80\n"
                                "Forwarding from [::1]:8080 -> 80\n", "", 0)
    assert c.http_get("http://127.0.0.1:8080/").status == 200
    out, err, code = run(c, "port-forward --address ::1 deploy/web 8081:80")
    assert out == "Forwarding from [::1]:8081 -> 80\n"
    assert c.http_get("http://[::1]:8081/").status == 200
    with pytest.raises(ConnectionRefused):
        c.http_get("http://127.0.0.1:8081/")
    assert run(c, "port-forward --address 10.1.2.3 deploy/web 8082:80") == (
        "", "Unable to listen on port 8082: Listeners failed to create with the following "
            "errors: [unable to create listener: Error listen tcp4 10.1.2.3:8082: bind: cannot "
            "assign requested address]\nerror: unable to listen on any of the requested ports: "
            "[{8082 80}]\n", 1)


def test_a_taken_local_port_fails_like_a_busy_socket(c):
    assert run(c, "port-forward deploy/web 8080:80")[2] == 0
    assert run(c, "port-forward svc/web 8080:8000") == (
        "", "Unable to listen on port 8080: Listeners failed to create with the following "
            "errors: [unable to create listener: Error listen tcp4 127.0.0.1:8080: bind: address "
            "already in use unable to create listener: Error listen tcp6 [::1]:8080: bind: "
            "address already in use]\nerror: unable to listen on any of the requested ports: "
            "[{8080 80}]\n", 1)
    out, err, code = run(c, "port-forward deploy/web 8080:80 8443:80")   # one port is enough
    assert (out, code) == (forwarding(8443, 80), 0)
    assert err.startswith("Unable to listen on port 8080: ")
    assert [f.ports for f in port_forwards(c)] == [{8080: 80}, {8443: 80}]


def test_stop_is_ctrl_c_and_frees_the_port(c):
    run(c, "port-forward deploy/web 8080:80")
    forward, = port_forwards(c)
    forward.stop()
    assert port_forwards(c) == [] and not forward.running
    with pytest.raises(ConnectionRefused):
        c.http_get("http://localhost:8080/")
    assert run(c, "port-forward deploy/web 8080:80")[2] == 0
    forward.stop()                                  # stopping twice changes nothing
    assert c.http_get("http://localhost:8080/").status == 200


def test_a_deleted_pod_ends_the_forward_at_the_next_connection(c):
    run(c, "port-forward deploy/web 8080:80")
    forward, = port_forwards(c)
    c.kubectl(f"delete pod {forward.pod}")
    c.settle()                                      # a new pod replaced it: not this one
    with pytest.raises(EmptyReply):
        c.http_get("http://localhost:8080/")
    sandbox = forward.output.split("to pod ")[1].split(",")[0]
    assert len(sandbox) == 64
    assert forward.log[-3:] == [
        ("stdout", "Handling connection for 8080\n"),
        ("stderr", f'E0602 09:{int(c.now) // 60:02d}:{int(c.now) % 60:02d}.'
                   f'{round(c.now % 1 * 1e6):06d} {forward.pid:7d} portforward.go:413] '
                   f'"Unhandled Error" err="an error occurred forwarding 8080 -> 80: error '
                   f'forwarding port 80 to pod {sandbox}, uid : Error: No such container: '
                   f'{sandbox}"\n'),
        ("stderr", "error: lost connection to pod\n")]
    assert port_forwards(c) == []
    with pytest.raises(ConnectionRefused):
        c.http_get("http://localhost:8080/")


def test_a_container_that_stops_listening_is_refused_inside_the_pod_on_containerd():
    from kubelearn.node.kubelet import container_exited

    cluster = Cluster()                             # kubeadm: containerd
    cluster.apply(WEB.replace("replicas: 3", "replicas: 1"))
    cluster.settle()
    run(cluster, "port-forward deploy/web 8080:80")
    forward, = port_forwards(cluster)
    container_exited(cluster, "default", forward.pod, "nginx", 1)
    with pytest.raises(EmptyReply):
        cluster.http_get("http://localhost:8080/")
    message = forward.log[-2][1]
    assert ("failed to connect to localhost:80 inside namespace" in message
            and 'IPv4: dial tcp4 127.0.0.1:80: connect: connection refused IPv6 dial tcp6 '
                '[::1]:80: connect: connection refused "' in message
            and 'network namespace \\"/var/run/netns/cni-' in message)
    assert forward.log[-1] == ("stderr", "error: lost connection to pod\n")


def test_a_pod_on_a_stopped_node_cannot_be_dialled():
    cluster = Cluster()
    cluster.apply(WEB.replace("replicas: 3", "replicas: 1"))
    cluster.settle()
    pod = cluster.api.list("Pod", "default")[0]
    cluster.stop_node(pod["spec"]["nodeName"])
    ip = cluster.api.store.get("Node", "", pod["spec"]["nodeName"])["status"]["addresses"][0][
        "address"]
    assert run(cluster, f"port-forward {pod['metadata']['name']} 8080:80") == (
        "", f"error: error upgrading connection: error dialing backend: dial tcp {ip}:10250: "
            "connect: no route to host\n", 1)
