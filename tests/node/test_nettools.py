"""``kubelearn.node.nettools``: curl, busybox wget and nslookup inside containers,
through ``kubectl exec`` on a real cluster, worded as the real tools word it."""
from __future__ import annotations

import pytest

from kubelearn import Cluster
from kubelearn.node.apps import process_argv, run_command
from kubelearn.node.filesystem import ROOT_DIRS, ContainerFS, FileTree
from kubelearn.node.images import BUSYBOX_APP, NGINX_WELCOME, curl_app
from kubelearn.node.nettools import PodNetwork
from kubelearn.node.nettools_curl import _max5
from kubelearn.node.nettools_wget import progress_line, smart_ulltoa5
from kubelearn.node.shell import NeedsNetwork, dry_run, run_once

APPS = """
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 1
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
metadata: {name: lonely}
spec:
  selector: {app: nobody}
  ports: [{port: 80}]
---
apiVersion: v1
kind: Pod
metadata: {name: box}
spec:
  containers: [{name: box, image: "busybox:1.36", command: [sleep, "3600"]}]
---
apiVersion: v1
kind: Pod
metadata: {name: c}
spec:
  containers: [{name: c, image: "curlimages/curl:8.11.1", command: [sleep, "3600"]}]
"""
METER = ("  % Total    % Received % Xferd  Average Speed   Time    Time     Time  Current\n"
         "                                 Dload  Upload   Total   Spent    Left  Speed\n")
ZERO = "  0     0    0     0    0     0      0      0 --:--:-- --:--:-- --:--:--     0"


@pytest.fixture(scope="module")
def cluster():
    c = Cluster.minikube()
    assert c.apply(APPS).exit_code == 0
    c.settle()
    return c


def web_ip(c, name="web"):
    return c.get("service", name)["spec"]["clusterIP"]


def web_pod(c):
    return next(p["metadata"]["name"] for p in c.api.list("Pod", "default")
                if p["metadata"]["name"].startswith("web-"))


# -- busybox wget --------------------------------------------------------------------------------
def test_wget_quietly_to_stdout(cluster):
    r = cluster.kubectl("exec box -- wget -qO- http://web")
    assert (r.stdout, r.stderr, r.exit_code) == (NGINX_WELCOME, "", 0)
    assert cluster.kubectl("exec box -- wget -q -O - web.default.svc").stdout == NGINX_WELCOME


def test_wget_reports_on_stderr(cluster):
    r = cluster.kubectl("exec box -- wget -O- http://web")
    assert r.stdout == NGINX_WELCOME
    assert r.stderr == (f"Connecting to web ({web_ip(cluster)}:80)\n"
                        "writing to stdout\n"
                        "-                    100% |********************************|   615"
                        "  0:00:00 ETA\n"
                        "written to stdout\n")


def test_wget_saves_into_the_container_and_never_overwrites(cluster):
    r = cluster.kubectl("exec box -- sh -c 'mkdir -p /w && cd /w && wget http://web/index.html'")
    assert r.exit_code == 0
    assert r.stderr == (f"Connecting to web ({web_ip(cluster)}:80)\n"
                        "saving to 'index.html'\n"
                        "index.html           100% |********************************|   615"
                        "  0:00:00 ETA\n"
                        "'index.html' saved\n")
    assert cluster.kubectl("exec box -- cat /w/index.html").stdout == NGINX_WELCOME
    again = cluster.kubectl("exec box -- sh -c 'cd /w && wget -q http://web/'")
    assert again.stderr == ("wget: can't open 'index.html': File exists\n"
                            "command terminated with exit code 1\n")
    assert cluster.kubectl("exec box -- wget -qO /w/index.html http://web/").exit_code == 0


@pytest.mark.parametrize("args, message", [
    ("http://web/nope", "wget: server returned error: HTTP/1.1 404 Not Found"),
    ("http://nope", "wget: bad address 'nope'"),
    ("http://web.default.svc.cluster:8080/", "wget: bad address 'web.default.svc.cluster:8080'"),
    ("http://lonely", "wget: can't connect to remote host ({lonely}): Connection refused"),
    ("http://web:81", "wget: can't connect to remote host ({web}): Connection timed out"),
    ("-T 5 http://web:81", "wget: download timed out"),
    ("ftp2://web/", "wget: not an http or ftp url: ftp2://web/"),
])
def test_wget_errors(cluster, args, message):
    r = cluster.kubectl(f"exec box -- wget -q {args}")
    assert r.stdout == ""
    assert r.stderr == message.format(lonely=web_ip(cluster, "lonely"), web=web_ip(cluster)) \
        + "\ncommand terminated with exit code 1\n"
    assert r.exit_code == 1


def test_wget_reads_etc_hosts_before_dns(cluster):
    box_ip = cluster.get("pod", "box")["status"]["podIP"]
    r = cluster.kubectl("exec box -- wget -q http://box")        # itself: nothing listens
    assert r.stderr.startswith(f"wget: can't connect to remote host ({box_ip}): Connection "
                               "refused\n")


def test_wget_spider_and_server_response(cluster):
    r = cluster.kubectl("exec box -- wget -S --spider http://web")
    assert (r.stdout, r.exit_code) == ("", 0)
    assert r.stderr == (f"Connecting to web ({web_ip(cluster)}:80)\n"
                        "  HTTP/1.1 200 OK\n  Server: nginx/1.27.5\n  Content-Type: text/html\n"
                        "  Content-Length: 615\n  \n"
                        "remote file exists\n")


def test_wget_usage(cluster):
    r = cluster.kubectl("exec box -- wget --nope http://web")
    assert r.stderr.startswith("wget: unrecognized option '--nope'\nBusyBox v1.36.1 "
                               "multi-call binary.\n\nUsage: wget [-cqS]")
    assert r.exit_code == 1


# -- busybox nslookup -----------------------------------------------------------------------------
def test_nslookup_a_short_name_searches_and_ends_with_code_1(cluster):
    r = cluster.kubectl("exec box -- nslookup web")
    assert r.stdout == ("Server:\t\t10.96.0.10\nAddress:\t10.96.0.10:53\n\n"
                        f"Name:\tweb.default.svc.cluster.local\nAddress: {web_ip(cluster)}\n\n"
                        "** server can't find web.svc.cluster.local: NXDOMAIN\n\n"
                        "** server can't find web.cluster.local: NXDOMAIN\n\n"
                        "\n"
                        "** server can't find web.svc.cluster.local: NXDOMAIN\n\n"
                        "** server can't find web.cluster.local: NXDOMAIN\n\n")
    assert r.stderr == "command terminated with exit code 1\n"


def test_nslookup_name_dot_namespace_is_nxdomain_although_wget_finds_it(cluster):
    r = cluster.kubectl("exec box -- nslookup web.default")
    assert r.stdout == ("Server:\t\t10.96.0.10\nAddress:\t10.96.0.10:53\n\n"
                        "** server can't find web.default: NXDOMAIN\n\n"
                        "** server can't find web.default: NXDOMAIN\n\n")
    assert (r.stderr, r.exit_code) == ("command terminated with exit code 1\n", 1)
    assert cluster.kubectl("exec box -- wget -qO- http://web.default").exit_code == 0


def test_nslookup_the_full_name(cluster):
    r = cluster.kubectl("exec box -- nslookup web.default.svc.cluster.local")
    assert r.stdout == ("Server:\t\t10.96.0.10\nAddress:\t10.96.0.10:53\n\n"
                        f"Name:\tweb.default.svc.cluster.local\nAddress: {web_ip(cluster)}\n\n"
                        "\n")
    assert (r.stderr, r.exit_code) == ("", 0)


def test_nslookup_an_address_and_a_server(cluster):
    r = cluster.kubectl("exec box -- nslookup 10.96.0.10")
    assert r.stdout == ("Server:\t\t10.96.0.10\nAddress:\t10.96.0.10:53\n\n"
                        "10.0.96.10.in-addr.arpa\tname = kube-dns.kube-system.svc.cluster.local\n"
                        "\n")
    far = cluster.kubectl("exec box -- nslookup web 8.8.8.8")
    assert far.stdout == ";; connection timed out; no servers could be reached\n\n"
    assert far.exit_code == 1
    named = cluster.kubectl("exec box -- nslookup kubernetes.default.svc.cluster.local "
                            "kube-dns.kube-system")
    assert named.stdout.startswith("Server:\t\tkube-dns.kube-system\nAddress:\t10.96.0.10:53\n\n"
                                   "Name:\tkubernetes.default.svc.cluster.local\n"
                                   "Address: 10.96.0.1\n")
    assert cluster.kubectl("exec box -- nslookup").stderr.startswith(
        "BusyBox v1.36.1 multi-call binary.\n\nUsage: nslookup [-type=QUERY_TYPE] [-debug] HOST")


# -- curl -----------------------------------------------------------------------------------------
def test_busybox_has_no_curl(cluster):
    r = cluster.kubectl("exec box -- curl http://web")
    assert r.stderr == ("OCI runtime exec failed: exec failed: unable to start container process: "
                        'exec: "curl": executable file not found in $PATH: unknown\n'
                        "command terminated with exit code 126\n")
    assert cluster.kubectl("exec box -- sh -c 'curl http://web'").stderr == (
        "sh: curl: not found\ncommand terminated with exit code 127\n")


def test_curl_silent(cluster):
    r = cluster.kubectl("exec c -- curl -s http://web")
    assert (r.stdout, r.stderr, r.exit_code) == (NGINX_WELCOME, "", 0)


def test_curl_shows_its_progress_meter_without_a_terminal(cluster):
    r = cluster.kubectl("exec c -- curl http://web.default")
    assert r.stdout == NGINX_WELCOME
    assert r.stderr == (METER + ZERO + "\r100   615  100   615    0     0   600k      0 --:--:-- "
                        "--:--:-- --:--:--  600k\n")


@pytest.mark.parametrize("args, code, message", [
    ("http://nope", 6, "Could not resolve host: nope"),
    ("http://lonely", 7, "Failed to connect to lonely port 80 after 0 ms: Could not connect to "
                         "server"),
    ("http://web:81", 28, "Failed to connect to web port 81 after 134316 ms: Could not connect "
                          "to server"),
    ("--connect-timeout 3 http://web:81", 28, "Failed to connect to web port 81 after 3001 ms: "
                                              "Timeout was reached"),
    ("-m 2 http://web:81", 28, "Failed to connect to web port 81 after 2001 ms: Timeout was "
                               "reached"),
    ("-f http://web/nope", 22, "The requested URL returned error: 404"),
    ("ftp2://web", 1, 'Protocol "ftp2" not supported'),
])
def test_curl_errors(cluster, args, code, message):
    r = cluster.kubectl(f"exec c -- curl -sS {args}")
    assert (r.stdout, r.exit_code) == ("", code)
    assert r.stderr == f"curl: ({code}) {message}\ncommand terminated with exit code {code}\n"
    quiet = cluster.kubectl(f"exec c -- curl -s {args}")
    assert quiet.stderr == f"command terminated with exit code {code}\n"


def test_curl_error_after_its_meter(cluster):
    r = cluster.kubectl("exec c -- curl http://lonely")
    assert r.stderr == (METER + ZERO + "\ncurl: (7) Failed to connect to lonely port 80 after 0 "
                        "ms: Could not connect to server\ncommand terminated with exit code 7\n")


def test_curl_include_and_head(cluster):
    r = cluster.kubectl("exec c -- curl -si http://web/nope")
    head, body = r.stdout.split("\r\n\r\n", 1)
    assert head == ("HTTP/1.1 404 Not Found\r\nServer: nginx/1.27.5\r\nContent-Type: text/html"
                    "\r\nContent-Length: 146")
    assert body.startswith("<html>\n<head><title>404 Not Found</title></head>")
    assert cluster.kubectl("exec c -- curl -sI http://web").stdout == (
        "HTTP/1.1 200 OK\r\nServer: nginx/1.27.5\r\nContent-Type: text/html\r\n"
        "Content-Length: 615\r\n\r\n")


def test_curl_write_out_and_output_file(cluster):
    r = cluster.kubectl("exec c -- curl -s -o /dev/null -w '%{http_code}\\n' http://web/nope")
    assert r.stdout == "404\n"
    saved = cluster.kubectl("exec c -- sh -c 'curl -s -o page.html http://web && cat page.html'")
    assert saved.stdout == NGINX_WELCOME
    assert cluster.kubectl("exec c -- ls /home/curl_user").stdout == "page.html\n"
    assert cluster.kubectl("exec c -- curl -s -w %{http_code} http://lonely").stdout == "000"


def test_curl_verbose(cluster):
    r = cluster.kubectl("exec c -- curl -sv http://web/")
    ip = web_ip(cluster)
    assert r.stderr == (f"* Host web:80 was resolved.\n* IPv6: (none)\n* IPv4: {ip}\n"
                        f"*   Trying {ip}:80...\n* Connected to web ({ip}) port 80\n"
                        "* using HTTP/1.x\n> GET / HTTP/1.1\n> Host: web\n"
                        "> User-Agent: curl/8.11.1\n> Accept: */*\n> \n"
                        "* Request completely sent off\n< HTTP/1.1 200 OK\n"
                        "< Server: nginx/1.27.5\n< Content-Type: text/html\n"
                        "< Content-Length: 615\n< \n{ [615 bytes data]\n"
                        "* Connection #0 to host web left intact\n")


def test_curl_usage(cluster):
    assert cluster.kubectl("exec c -- curl").stderr == (
        "curl: try 'curl --help' or 'curl --manual' for more information\n"
        "command terminated with exit code 2\n")
    assert cluster.kubectl("exec c -- curl -s").stderr.startswith(
        "curl: (2) no URL specified\ncurl: try 'curl --help'")
    assert cluster.kubectl("exec c -- curl --nope http://web").stderr.startswith(
        "curl: option --nope: is unknown\ncurl: try 'curl --help'")


def test_debian_curl_is_7_88(cluster):
    r = cluster.kubectl(f"exec {web_pod(cluster)} -- curl -sS http://lonely")
    assert r.stderr.startswith("curl: (7) Failed to connect to lonely port 80 after 0 ms: "
                               "Couldn't connect to server\n")
    local = cluster.kubectl(f"exec {web_pod(cluster)} -- curl -s localhost")
    assert local.stdout == NGINX_WELCOME


def test_curl_posts_data(cluster):
    c = cluster
    assert c.apply("""
apiVersion: v1
kind: Pod
metadata: {name: story}
spec:
  containers: [{name: s, image: "kubelearn/story:1"}]
""").exit_code == 0
    c.settle()
    r = c.kubectl("""exec c -- curl -s -X POST -H 'Content-Type: application/json' """
                  """-d '{"text":"once"}' http://STORY:3000/story""".replace(
                      "STORY", c.get("pod", "story")["status"]["podIP"]))
    assert r.stdout == '{"message":"Text was stored!"}'
    assert c.kubectl("exec story -- wget -qO- localhost:3000/story").stdout == \
        '{"story":"once\\n"}'


# -- the curl image -------------------------------------------------------------------------------
def test_curlimages_entrypoint_puts_curl_in_front():
    app = curl_app("8.11.1")
    assert process_argv(app, {}) == ("script", ("curl",))
    assert process_argv(app, {"args": ["-s", "http://web"]}) == ("script",
                                                                 ("curl", "-s", "http://web"))
    assert process_argv(app, {"args": ["http://web"]}) == ("script", ("curl", "http://web"))
    assert process_argv(app, {"args": ["curl", "-s", "x"]}) == ("script", ("curl", "-s", "x"))
    assert process_argv(app, {"args": ["sh", "-c", "sleep 1"]})[1][0] == "sh"
    assert process_argv(app, {"command": ["sleep"], "args": ["60"]}) == ("script",
                                                                         ("sleep", "60"))
    assert process_argv(BUSYBOX_APP, {"args": ["-s"]}) == ("script", ("-s",))


# -- the shell's side -----------------------------------------------------------------------------
def box(files=None) -> ContainerFS:
    return ContainerFS(FileTree.from_files(files or {}, ROOT_DIRS))


def test_a_dry_run_cannot_foretell_the_network():
    with pytest.raises(NeedsNetwork) as needs:
        dry_run(["sh", "-c", "sleep 2; wget -qO- http://web; sleep 5"], box(),
                binaries={"wget", "nslookup"})
    assert needs.value.tool == "wget"
    assert dry_run(["sh", "-c", "sleep 2; wget -qO- http://web"], box()) == (2.0, 127)


def test_no_network_no_tool():
    process = run_once(["wget", "-qO-", "http://web"], box(), binaries={"wget"})
    err = "".join(chunk.text for chunk in process.out)
    assert (process.exit[1], err) == (1, "kubelearn: wget has no network here\n")
    result = run_command(BUSYBOX_APP, ["nslookup", "web"], box())
    assert (result.exit_code, result.stderr) == (1, "kubelearn: nslookup has no network here\n")


def test_pod_network_sends_from_the_pod(cluster):
    net = PodNetwork(cluster, "default", "box")
    answer = net.request("GET", f"http://{web_ip(cluster)}/")
    assert (answer.status, answer.text) == (200, NGINX_WELCOME)
    assert answer.pod.startswith("default/web-")
    assert repr(net) == "PodNetwork(default/box)"


def test_meter_and_progress_numbers():
    assert [_max5(n) for n in (0, 615, 99999, 100000, 10 * 1024 * 1024, 150 * 1024 * 1024)] == [
        "    0", "  615", "99999", "  97k", "10.0M", " 150M"]
    assert [smart_ulltoa5(n) for n in (0, 615, 99999, 123456, 5_000_000)] == [
        "    0", "  615", "99999", " 120k", "4882k"]
    assert progress_line("a-very-long-file-name.tar.gz", 615) == (
        "a-very-long-file-nam 100% |********************************|   615  0:00:00 ETA")
    assert progress_line("empty", 0) == "empty                    0 --:--:-- ETA"


def test_curl_verbose_request_with_data_and_fail_with_body(cluster):
    r = cluster.kubectl("exec c -- curl -sv -H 'X-Trace: 1' -d a=b http://web/")
    assert ("> User-Agent: curl/8.11.1\n> Accept: */*\n> X-Trace: 1\n> Content-Length: 3\n"
            "> Content-Type: application/x-www-form-urlencoded\n> \n} [3 bytes data]\n"
            "* upload completely sent off: 3 bytes\n< HTTP/1.1 ") in r.stderr
    assert "> POST / HTTP/1.1\n" in r.stderr
    body = cluster.kubectl("exec c -- curl -sS --fail-with-body http://web/nope")
    assert body.stdout.startswith("<html>\n<head><title>404 Not Found</title>")
    assert body.stderr == ("curl: (22) The requested URL returned error: 404\n"
                           "command terminated with exit code 22\n")
