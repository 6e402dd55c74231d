"""``kubelearn.cloud.minikube``: minikube's commands, as a docker-driver minikube on
Linux prints them (tables, emoji lines, streams, exit codes from minikube's source)."""
from __future__ import annotations

import io
import sys

import pytest

from kubelearn import Cluster, magics
from kubelearn.cloud import minikube
from kubelearn.cloud.minikube import MinikubeResult, service_table
from kubelearn.contexts import KubeConfig
from kubelearn.kubectl.result import KubectlResult
from kubelearn.network.http import ConnectionRefused

HELLO_NODE = """
apiVersion: apps/v1
kind: Deployment
metadata: {name: hello-node}
spec:
  replicas: 1
  selector: {matchLabels: {app: hello-node}}
  template:
    metadata: {labels: {app: hello-node}}
    spec:
      containers: [{name: hello, image: "kubelearn/hello:1", ports: [{containerPort: 8080}]}]
---
apiVersion: v1
kind: Service
metadata: {name: hello-node}
spec:
  type: NodePort
  selector: {app: hello-node}
  ports: [{port: 8080, targetPort: 8080, nodePort: 32128}]
"""

REFERENCE_TABLE = """\
|-----------|------------|-------------|---------------------------|
| NAMESPACE |    NAME    | TARGET PORT |            URL            |
|-----------|------------|-------------|---------------------------|
| default   | hello-node |        8080 | http://192.168.49.2:32128 |
|-----------|------------|-------------|---------------------------|
"""

NOT_FOUND = ("❌  Exiting due to SVC_NOT_FOUND: Service 'web' was not found in 'default' "
             "namespace.\nYou may select another namespace by using 'minikube service web -n "
             "<namespace>'. Or list out all the services using 'minikube service list'\n")
NO_PROFILE = ('🤷  Profile "minikube" not found. Run "minikube profile list" to view all '
              'profiles.\n👉  To start a cluster, run: "minikube start"\n')


@pytest.fixture()
def mk():
    c = Cluster.minikube()
    assert c.apply(HELLO_NODE).exit_code == 0
    c.settle()
    return c


# -- the descriptor ---------------------------------------------------------------
def test_class_call_builds_a_cluster_and_instance_call_runs_a_command(mk):
    built = Cluster.minikube(seed=3)
    assert isinstance(built, Cluster)
    assert (built.flavour, built.seed, built.name) == ("minikube", 3, "minikube")
    result = mk.minikube("ip")
    assert isinstance(result, MinikubeResult) and isinstance(result, KubectlResult)
    assert (result.stdout, result.stderr, result.exit_code) == ("192.168.49.2\n", "", 0)
    assert str(result) == "192.168.49.2"
    with pytest.raises(TypeError, match="Cluster.minikube\\(\\) builds a new one"):
        mk.minikube()
    assert "minikube start" in Cluster.minikube.__doc__


def test_a_leading_minikube_word_is_allowed(mk):
    assert mk.minikube("minikube ip").stdout == "192.168.49.2\n"


# -- ip / status / profiles -------------------------------------------------------
def test_status_prints_the_default_format_with_its_blank_line(mk):
    r = mk.minikube("status")
    assert r.stdout == ("minikube\ntype: Control Plane\nhost: Running\nkubelet: Running\n"
                        "apiserver: Running\nkubeconfig: Configured\n\n")
    assert r.exit_code == 0


def test_every_command_fails_without_a_minikube_profile():
    kubeadm = Cluster()
    for command in ("ip", "status", "service web", "tunnel", "dashboard"):
        r = kubeadm.minikube(command)
        assert (r.stdout, r.stderr, r.exit_code) == (NO_PROFILE, "", 85), command
    assert kubeadm.api.store.get("Namespace", "", "kubernetes-dashboard") is None


def test_another_profile_name_is_not_found(mk):
    r = mk.minikube("status -p dev")
    assert r.stdout == ('🤷  Profile "dev" not found. Run "minikube profile list" to view all '
                        'profiles.\n👉  To start a cluster, run: "minikube start -p dev"\n')
    assert r.exit_code == 85
    assert mk.minikube("--profile=minikube ip").stdout == "192.168.49.2\n"


def test_unknown_commands_get_cobras_error_and_suggestions(mk):
    r = mk.minikube("foo")
    assert (r.stdout, r.exit_code) == ("", 14)
    assert r.stderr == 'Error: unknown command "foo" for "minikube"\nRun \'minikube --help\' ' \
                       'for usage.\n'
    typo = mk.minikube("servce web")
    assert typo.stderr == ('Error: unknown command "servce" for "minikube"\n\nDid you mean '
                           "this?\n\tservice\n\nRun 'minikube --help' for usage.\n")
    assert Cluster().minikube("foo").exit_code == 14      # parsed before the profile check


def test_known_but_unsimulated_commands_say_so(mk):
    r = mk.minikube("image ls")
    assert r.exit_code == 1
    assert r.stderr.startswith("kubelearn: `minikube image` is not simulated")
    r = mk.minikube("addons list")
    assert r.exit_code == 1
    assert r.stderr.startswith("kubelearn: `minikube addons list` is not simulated")


# -- addons -----------------------------------------------------------------------------
CSI_ADDON = """\
💡  csi-hostpath-driver is an addon maintained by Kubernetes. For any concerns contact minikube \
on GitHub.
You can view the list of minikube maintainers at: https://github.com/kubernetes/minikube/blob/\
master/OWNERS
❗  [WARNING] For full functionality, the 'csi-hostpath-driver' addon requires the \
'volumesnapshots' addon to be enabled.

You can enable 'volumesnapshots' addon by running: 'minikube addons enable volumesnapshots'

    ▪ Using image registry.k8s.io/sig-storage/csi-attacher:v4.0.0
    ▪ Using image registry.k8s.io/sig-storage/csi-external-health-monitor-controller:v0.7.0
    ▪ Using image registry.k8s.io/sig-storage/csi-node-driver-registrar:v2.6.0
    ▪ Using image registry.k8s.io/sig-storage/hostpathplugin:v1.9.0
    ▪ Using image registry.k8s.io/sig-storage/livenessprobe:v2.8.0
    ▪ Using image registry.k8s.io/sig-storage/csi-resizer:v1.6.0
    ▪ Using image registry.k8s.io/sig-storage/csi-snapshotter:v6.1.0
    ▪ Using image registry.k8s.io/sig-storage/csi-provisioner:v3.3.0
🔎  Verifying csi-hostpath-driver addon...
🌟  The 'csi-hostpath-driver' addon is enabled
"""


def test_the_csi_hostpath_driver_addon_installs_the_driver(mk):
    assert mk.storage.csi == {}
    r = mk.minikube("addons enable csi-hostpath-driver")
    assert (r.transcript, r.exit_code) == (CSI_ADDON, 0)
    assert r.stderr.startswith("❗  [WARNING] For full functionality")
    assert list(mk.storage.csi) == ["hostpath.csi.k8s.io"]
    mk.apply("""
apiVersion: v1
kind: Pod
metadata: {name: eph}
spec:
  containers: [{name: c, image: busybox:1.36, command: [sleep, "3600"],
                volumeMounts: [{name: v, mountPath: /v}]}]
  volumes: [{name: v, csi: {driver: hostpath.csi.k8s.io}}]
""")
    mk.settle()
    assert mk.api.get("Pod", "eph", "default")["status"]["phase"] == "Running"


def test_addons_enable_dashboard_and_the_addons_not_simulated(mk):
    r = mk.minikube("addons enable dashboard")
    assert r.exit_code == 0
    assert r.stdout.endswith("\tminikube addons enable metrics-server\t\n\n\n"
                             "🌟  The 'dashboard' addon is enabled\n")
    assert mk.api.get("Deployment", "kubernetes-dashboard", "kubernetes-dashboard")
    r = mk.minikube("addons enable nosuch")
    assert (r.stderr, r.exit_code) == (
        "❌  Exiting due to MK_ADDON_ENABLE: enable failed: nosuch is not a valid addon\n", 10)
    r = mk.minikube("addons enable ingress")
    assert r.exit_code == 1 and r.stderr.startswith(
        "kubelearn: the ingress addon is not simulated yet")
    r = mk.minikube("addons enable")
    assert (r.stderr, r.exit_code) == (
        "❌  Exiting due to MK_USAGE: usage: minikube addons enable ADDON_NAME\n", 14)


def test_unknown_flags_fail_like_cobra(mk):
    r = mk.minikube("service hello-node --bogus")
    assert (r.stderr, r.exit_code) == ("Error: unknown flag: --bogus\n", 14)


# -- service ------------------------------------------------------------------------
def test_service_table_matches_the_reference_capture():
    assert service_table([["default", "hello-node", "8080", "http://192.168.49.2:32128"]]) \
        == REFERENCE_TABLE


def test_service_table_centres_headers_with_the_extra_space_on_the_right():
    table = service_table([["default", "prometheus-server", "", "No node port"]])
    assert table.splitlines()[1] == "| NAMESPACE |       NAME        | TARGET PORT |     URL      |"


def test_service_prints_the_table_and_opens_the_browser(mk):
    r = mk.minikube("service hello-node")
    assert r.stdout == REFERENCE_TABLE + \
        "🎉  Opening service default/hello-node in default browser...\n"
    assert (r.stderr, r.exit_code) == ("", 0)


def test_service_url_prints_only_the_url_and_it_answers(mk):
    r = mk.minikube("service hello-node --url")
    assert (r.stdout, r.stderr, r.exit_code) == ("http://192.168.49.2:32128\n", "", 0)
    answer = mk.http_get(r.stdout.strip())
    assert answer.text.startswith("Hello from kubelearn/hello v1! I am pod hello-node-")


def test_named_and_several_ports_fill_several_lines(mk):
    mk.apply("""
apiVersion: v1
kind: Service
metadata: {name: two, namespace: kube-system}
spec:
  type: NodePort
  selector: {app: hello-node}
  ports:
    - {name: web, port: 80, targetPort: 8080, nodePort: 30080}
    - {name: admin, port: 9000, targetPort: 8080, nodePort: 30090}
""")
    r = mk.minikube("service two -n kube-system")
    assert r.stdout == (
        "|-------------|------|-------------|---------------------------|\n"
        "|  NAMESPACE  | NAME | TARGET PORT |            URL            |\n"
        "|-------------|------|-------------|---------------------------|\n"
        "| kube-system | two  |      web/80 | http://192.168.49.2:30080 |\n"
        "|             |      |  admin/9000 | http://192.168.49.2:30090 |\n"
        "|-------------|------|-------------|---------------------------|\n"
        "🎉  Opening service kube-system/two in default browser...\n"
        "🎉  Opening service kube-system/two in default browser...\n")
    assert mk.minikube("service --namespace=kube-system two --url").stdout == \
        "http://192.168.49.2:30080\nhttp://192.168.49.2:30090\n"


def test_an_unknown_service_exits_with_svc_not_found(mk):
    r = mk.minikube("service web")
    assert (r.stdout, r.stderr, r.exit_code) == ("\n\n", NOT_FOUND, 115)
    assert str(r) == "\n" + NOT_FOUND.rstrip("\n")
    wrong_ns = mk.minikube("service hello-node -n kube-system")
    assert "Service 'hello-node' was not found in 'kube-system' namespace." in wrong_ns.stderr


def test_a_service_name_is_required(mk):
    r = mk.minikube("service")
    assert (r.stdout, r.stderr, r.exit_code) == (
        "\n\n", "❌  Exiting due to MK_USAGE: You must specify a service name\n", 14)


def test_a_cluster_ip_service_gets_a_localhost_tunnel(mk):
    mk.kubectl("expose deployment hello-node --name=inside --port=80 --target-port=8080")
    mk.settle()
    r = mk.minikube("service inside")
    lines = r.transcript.splitlines()
    port = int(lines[-4].split("127.0.0.1:")[1].split()[0])
    url = f"http://127.0.0.1:{port}"
    tunnel_rule = "|-----------|--------|-------------|" + "-" * (len(url) + 2) + "|"
    assert r.stdout == (
        "|-----------|--------|-------------|--------------|\n"
        "| NAMESPACE |  NAME  | TARGET PORT |     URL      |\n"
        "|-----------|--------|-------------|--------------|\n"
        "| default   | inside |             | No node port |\n"
        "|-----------|--------|-------------|--------------|\n"
        "😿  service default/inside has no node port\n"
        "🏃  Starting tunnel for service inside.\n"
        f"{tunnel_rule}\n"
        f"| NAMESPACE |  NAME  | TARGET PORT |          URL           |\n"
        f"{tunnel_rule}\n"
        f"| default   | inside |             | {url} |\n"
        f"{tunnel_rule}\n"
        "🎉  Opening service default/inside in default browser...\n")
    assert r.stderr == (
        '❗  Services [default/inside] have type "ClusterIP" not meant to be exposed, however '
        "for local development minikube allows you to access this !\n"
        "❗  Because you are using a Docker driver on linux, the terminal needs to be open to "
        "run it.\n")
    assert lines[6].startswith("❗  Services [default/inside]")     # interleaved in order
    assert mk.http_get(url + "/healthz").text == "ok\n"
    again = mk.minikube("service inside --url")
    assert f"{url}\n" in again.stdout                       # the tunnel stays for the session
    with pytest.raises(ConnectionRefused):
        mk.http_get(f"http://127.0.0.1:{port + 1}/")


# -- tunnel --------------------------------------------------------------------------------
def test_tunnel_reports_its_status_and_load_balancers_get_their_cluster_ip(mk):
    mk.kubectl("expose deployment hello-node --name=lb --type=LoadBalancer --port=80 "
               "--target-port=8080")
    assert "<pending>" in mk.kubectl("get svc lb").stdout
    start = mk.now
    r = mk.minikube("tunnel")
    assert mk.now == start + 5
    pid = int(r.stdout.split("pid: ")[1].split("\n")[0])
    assert r.stdout == ("Status:\t\n\tmachine: minikube\n"
                        f"\tpid: {pid}\n\troute: 10.96.0.0/12 -> 192.168.49.2\n"
                        "\tminikube: Running\n\tservices: [lb]\n    errors: \n"
                        "\t\tminikube: no errors\n\t\trouter: no errors\n"
                        "\t\tloadbalancer emulator: no errors\n")
    ip = mk.get("service", "lb")["spec"]["clusterIP"]
    assert f"LoadBalancer   {ip}   {ip}   80:" in mk.kubectl("get svc lb").stdout
    assert mk.http_get(f"http://{ip}/").pod.startswith("default/hello-node-")
    again = mk.minikube("tunnel")
    assert f"pid: {pid}\n" in again.stdout


# -- dashboard ---------------------------------------------------------------------------
def test_dashboard_enables_the_addon_waits_and_opens_the_proxy(mk):
    r = mk.minikube("dashboard")
    lines = r.stdout.split("\n")
    url = lines[-2].split("Opening ")[1].split(" in your")[0]
    port = int(url.split(":")[2].split("/")[0])
    assert r.stdout == (
        "🔌  Enabling dashboard ...\n"
        "    ▪ Using image docker.io/kubernetesui/dashboard:v2.7.0\n"
        "    ▪ Using image docker.io/kubernetesui/metrics-scraper:v1.0.8\n"
        "💡  Some dashboard features require the metrics-server addon. To enable all features "
        "please run:\n\n\tminikube addons enable metrics-server\n\n\n"
        "🤔  Verifying dashboard health ...\n"
        "🚀  Launching proxy ...\n"
        "🤔  Verifying proxy health ...\n"
        f"🎉  Opening http://127.0.0.1:{port}/api/v1/namespaces/kubernetes-dashboard/services/"
        "http:kubernetes-dashboard:/proxy/ in your default browser...\n")
    assert 32768 <= port <= 60999
    deployments = mk.kubectl("get deployments -n kubernetes-dashboard").stdout
    assert "dashboard-metrics-scraper   1/1" in deployments
    assert "kubernetes-dashboard        1/1" in deployments
    page = mk.http_get(url)
    assert page.status == 200 and "<title>Kubernetes Dashboard</title>" in page.text
    assert page.pod.startswith("kubernetes-dashboard/kubernetes-dashboard-")
    second = mk.minikube("dashboard --url")
    assert second.stdout.startswith("🤔  Verifying dashboard health ...\n🚀  Launching proxy "
                                    "...\n🤔  Verifying proxy health ...\nhttp://127.0.0.1:")
    assert second.stdout.endswith("/api/v1/namespaces/kubernetes-dashboard/services/"
                                  "http:kubernetes-dashboard:/proxy/\n")


def test_dashboard_port_flag_picks_the_proxy_port(mk):
    r = mk.minikube("dashboard --url --port=38000")
    assert r.stdout.endswith("http://127.0.0.1:38000/api/v1/namespaces/kubernetes-dashboard/"
                             "services/http:kubernetes-dashboard:/proxy/\n")
    assert mk.http_get(r.stdout.splitlines()[-1]).status == 200


# -- the magic and determinism ----------------------------------------------------------
def test_the_minikube_magic_runs_against_the_current_context(mk, monkeypatch):
    out, err = io.StringIO(), io.StringIO()
    monkeypatch.setattr(sys, "stdout", out)
    monkeypatch.setattr(sys, "stderr", err)
    config = KubeConfig()
    monkeypatch.setattr(magics, "kubeconfig", lambda: config)
    magics.minikube_magic("ip")
    assert out.getvalue() == NO_PROFILE                 # no cluster yet: no profile
    config.register(mk)
    magics.minikube_magic("service web")
    assert (out.getvalue(), err.getvalue()) == (NO_PROFILE + "\n\n", NOT_FOUND)
    assert magics.last_result.exit_code == 115
    config.register(Cluster())
    magics.minikube_magic("ip")
    assert out.getvalue().endswith(NO_PROFILE)


def test_no_cluster_at_all_means_no_profile():
    r = minikube.run_without_cluster("status")
    assert (r.stdout, r.exit_code) == (NO_PROFILE, 85)


def transcript(seed):
    c = Cluster.minikube(seed=seed)
    c.apply(HELLO_NODE)
    c.kubectl("expose deployment hello-node --name=lb --type=LoadBalancer --port=80")
    c.settle()
    parts = [str(c.minikube(cmd)) for cmd in ("service hello-node", "tunnel", "dashboard",
                                               "service lb --url")]
    parts.append(c.kubectl("get svc -A").stdout)
    return "\n".join(parts)


def test_two_runs_print_the_same_bytes():
    assert transcript(0) == transcript(0)
