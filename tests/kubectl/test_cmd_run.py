"""kubectl run: the pod generator, --expose, validation, and attaching on simulated time.

Goldens marked [obs-1.32] were printed by the real kubectl v1.32.4 client
(``--dry-run=client`` output and client-side errors; kubectl run needs API
discovery even for a dry run, so it ran against a stub discovery server). The
rest follow kubectl 1.32's pkg/cmd/run/run.go and generate/versioned/run.go.
"""
from __future__ import annotations

import json

import pytest

from kubelearn import Cluster


def run(cluster, line):
    result = cluster.kubectl(line)
    return result.stdout, result.stderr, result.exit_code


# [obs-1.32] kubectl run x --image=nginx --dry-run=client -o yaml
DEFAULT_YAML = """\
apiVersion: v1
kind: Pod
metadata:
  creationTimestamp: null
  labels:
    run: x
  name: x
spec:
  containers:
  - image: nginx
    name: x
    resources: {}
  dnsPolicy: ClusterFirst
  restartPolicy: Always
status: {}
"""

# [obs-1.32] kubectl run web --image=nginx --port=80 --dry-run=client -o yaml
PORT_YAML = """\
apiVersion: v1
kind: Pod
metadata:
  creationTimestamp: null
  labels:
    run: web
  name: web
spec:
  containers:
  - image: nginx
    name: web
    ports:
    - containerPort: 80
    resources: {}
  dnsPolicy: ClusterFirst
  restartPolicy: Always
status: {}
"""

# [obs-1.32] kubectl run web --image=nginx --labels=tier=fe,app=web --dry-run=client -o yaml
LABELS_YAML = """\
apiVersion: v1
kind: Pod
metadata:
  creationTimestamp: null
  labels:
    app: web
    tier: fe
  name: web
spec:
  containers:
  - image: nginx
    name: web
    resources: {}
  dnsPolicy: ClusterFirst
  restartPolicy: Always
status: {}
"""

# [obs-1.32] kubectl run x --image=nginx --env=A=1 --env=B=two --dry-run=client -o yaml
ENV_YAML = """\
apiVersion: v1
kind: Pod
metadata:
  creationTimestamp: null
  labels:
    run: x
  name: x
spec:
  containers:
  - env:
    - name: A
      value: "1"
    - name: B
      value: two
    image: nginx
    name: x
    resources: {}
  dnsPolicy: ClusterFirst
  restartPolicy: Always
status: {}
"""

# [obs-1.32] kubectl run x --image=nginx --restart=Never --dry-run=client -o yaml
NEVER_YAML = """\
apiVersion: v1
kind: Pod
metadata:
  creationTimestamp: null
  labels:
    run: x
  name: x
spec:
  containers:
  - image: nginx
    name: x
    resources: {}
  dnsPolicy: ClusterFirst
  restartPolicy: Never
status: {}
"""

# [obs-1.32] kubectl run sleeper --image=busybox --command --dry-run=client -o yaml -- sleep 3600
COMMAND_YAML = """\
apiVersion: v1
kind: Pod
metadata:
  creationTimestamp: null
  labels:
    run: sleeper
  name: sleeper
spec:
  containers:
  - command:
    - sleep
    - "3600"
    image: busybox
    name: sleeper
    resources: {}
  dnsPolicy: ClusterFirst
  restartPolicy: Always
status: {}
"""

# [obs-1.32] kubectl run sleeper --image=busybox --dry-run=client -o yaml -- sleep 3600
ARGS_YAML = """\
apiVersion: v1
kind: Pod
metadata:
  creationTimestamp: null
  labels:
    run: sleeper
  name: sleeper
spec:
  containers:
  - args:
    - sleep
    - "3600"
    image: busybox
    name: sleeper
    resources: {}
  dnsPolicy: ClusterFirst
  restartPolicy: Always
status: {}
"""

# [obs-1.32] kubectl run x --image=nginx --privileged --env=A=B --port=80
#            --image-pull-policy=Never -n dev --dry-run=client -o json -- a b
JSON = """\
{
    "kind": "Pod",
    "apiVersion": "v1",
    "metadata": {
        "name": "x",
        "namespace": "dev",
        "creationTimestamp": null,
        "labels": {
            "run": "x"
        }
    },
    "spec": {
        "containers": [
            {
                "name": "x",
                "image": "nginx",
                "args": [
                    "a",
                    "b"
                ],
                "ports": [
                    {
                        "containerPort": 80
                    }
                ],
                "env": [
                    {
                        "name": "A",
                        "value": "B"
                    }
                ],
                "resources": {},
                "imagePullPolicy": "Never",
                "securityContext": {
                    "privileged": true
                }
            }
        ],
        "restartPolicy": "Always",
        "dnsPolicy": "ClusterFirst"
    },
    "status": {}
}
"""

# [obs-1.32] kubectl run x --image=nginx --restart=OnFailure --image-pull-policy=IfNotPresent
#            --annotations=a=b,c=d --annotations=k= -n dev --dry-run=client -o yaml
EXTRAS_YAML = """\
apiVersion: v1
kind: Pod
metadata:
  annotations:
    a: b,c=d
    k: ""
  creationTimestamp: null
  labels:
    run: x
  name: x
  namespace: dev
spec:
  containers:
  - image: nginx
    imagePullPolicy: IfNotPresent
    name: x
    resources: {}
  dnsPolicy: ClusterFirst
  restartPolicy: OnFailure
status: {}
"""

# [obs-1.32] kubectl run web --image=nginx --expose --port=80 --dry-run=client -o yaml
EXPOSE_YAML = """\
apiVersion: v1
kind: Service
metadata:
  creationTimestamp: null
  name: web
spec:
  ports:
  - port: 80
    protocol: TCP
    targetPort: 80
  selector:
    run: web
status:
  loadBalancer: {}
---
---
apiVersion: v1
kind: Pod
metadata:
  creationTimestamp: null
  labels:
    run: web
  name: web
spec:
  containers:
  - image: nginx
    name: web
    ports:
    - containerPort: 80
    resources: {}
  dnsPolicy: ClusterFirst
  restartPolicy: Always
status: {}
"""

# [obs-1.32] kubectl run x --image=nginx --overrides='{"spec":{"nodeName":"n1","hostname":"h"}}'
#            --dry-run=client -o json
OVERRIDES_JSON = """\
{
    "kind": "Pod",
    "apiVersion": "v1",
    "metadata": {
        "name": "x",
        "creationTimestamp": null,
        "labels": {
            "run": "x"
        }
    },
    "spec": {
        "containers": [
            {
                "name": "x",
                "image": "nginx",
                "resources": {}
            }
        ],
        "restartPolicy": "Always",
        "dnsPolicy": "ClusterFirst",
        "nodeName": "n1",
        "hostname": "h"
    },
    "status": {}
}
"""

GOLDEN_LINES = {
    "run x --image=nginx --dry-run=client -o yaml": DEFAULT_YAML,
    "run web --image=nginx --port=80 --dry-run=client -o yaml": PORT_YAML,
    "run web --image=nginx --labels=tier=fe,app=web --dry-run=client -o yaml": LABELS_YAML,
    "run x --image=nginx --env=A=1 --env=B=two --dry-run=client -o yaml": ENV_YAML,
    "run x --image=nginx --restart=Never --dry-run=client -o yaml": NEVER_YAML,
    "run sleeper --image=busybox --command --dry-run=client -o yaml -- sleep 3600":
        COMMAND_YAML,
    "run sleeper --image=busybox --dry-run=client -o yaml -- sleep 3600": ARGS_YAML,
    "run x --image=nginx --privileged --env=A=B --port=80 --image-pull-policy=Never -n dev "
    "--dry-run=client -o json -- a b": JSON,
    "run x --image=nginx --restart=OnFailure --image-pull-policy=IfNotPresent "
    "--annotations=a=b,c=d --annotations=k= -n dev --dry-run=client -o yaml": EXTRAS_YAML,
    "run web --image=nginx --expose --port=80 --dry-run=client -o yaml": EXPOSE_YAML,
    "run x --image=nginx --overrides='{\"spec\":{\"nodeName\":\"n1\",\"hostname\":\"h\"}}' "
    "--dry-run=client -o json": OVERRIDES_JSON,
}


@pytest.mark.parametrize("line", sorted(GOLDEN_LINES))
def test_dry_run_client_prints_what_real_kubectl_prints(cluster, snapshot, line):
    before = snapshot(cluster)
    assert run(cluster, line) == (GOLDEN_LINES[line], "", 0)
    assert snapshot(cluster) == before


# [obs-1.32] stdout, stderr (klog lines left out) and exit code of the real client
OBSERVED = [
    ("run x --image=nginx --dry-run=client", "pod/x created (dry run)\n", "", 0),
    ("run x --image=nginx --dry-run=client -o name", "pod/x\n", "", 0),
    ("run web --image=nginx --expose --port=80 --dry-run=client",
     "service/web created (dry run)\npod/web created (dry run)\n", "", 0),
    ("run x --image=nginx --record --dry-run=client", "pod/x created (dry run)\n",
     "Flag --record has been deprecated, --record will be removed in the future\n", 0),
    ("run --image=nginx --dry-run=client -- x", "pod/x created (dry run)\n", "", 0),
    ("run x --image=nginx --foo", "",
     "Error: unknown flag: --foo\nSee 'kubectl run --help' for usage.\n", 1),
    ("run x --image=nginx --port", "",
     "Error: flag needs an argument: --port\nSee 'kubectl run --help' for usage.\n", 1),
    ("run --image=nginx", "",
     "error: NAME is required for run\nSee 'kubectl run -h' for help and examples\n", 1),
    ("run x --image=", "", "error: --image is required\n", 1),
    ("run x --image=NGINX", "",
     'error: Invalid image name "NGINX": invalid reference format\n', 1),
    ("run x --image=nginx: ", "",
     'error: Invalid image name "nginx:": invalid reference format\n', 1),
    ("run x --image=nginx --restart=Sometimes", "",
     "error: invalid restart policy: Sometimes\nSee 'kubectl run -h' for help and examples\n", 1),
    ("run x --image=nginx --image-pull-policy=Maybe", "",
     "error: invalid image pull policy: Maybe\nSee 'kubectl run -h' for help and examples\n", 1),
    ("run x --image=nginx -t", "",
     "error: -i/--stdin is required for containers with -t/--tty=true\n"
     "See 'kubectl run -h' for help and examples\n", 1),
    ("run x --image=nginx --expose", "",
     "error: --port must be set when exposing a service\n"
     "See 'kubectl run -h' for help and examples\n", 1),
    ("run x --image=nginx --rm", "",
     "error: --rm should only be used for attached containers\n"
     "See 'kubectl run -h' for help and examples\n", 1),
    ("run x --image=nginx -i --dry-run=client", "",
     "error: --dry-run=[server|client] can't be used with attached containers options "
     "(--attach, --stdin, or --tty)\nSee 'kubectl run -h' for help and examples\n", 1),
    ("run x --image=nginx --labels=bad", "", "error: unexpected label spec: bad\n", 1),
    ("run x --image=nginx --labels==x", "", "error: unexpected empty label key\n", 1),
    ("run x --image=nginx --env=1X=a", "", "error: invalid env: 1X=a\n", 1),
    ("run x --image=nginx --env=X", "", "error: invalid env: X\n", 1),
    ("run x --image=nginx --annotations=bad", "",
     "error: invalid annotations format: bad\n", 1),
    ("run x --image=nginx --port=http", "",
     'error: strconv.Atoi: parsing "http": invalid syntax\n', 1),
    ("run x --image=nginx -o wide", "",
     'error: unable to match a printer suitable for the output format "wide", allowed formats '
     "are: go-template,go-template-file,json,jsonpath,jsonpath-as-json,jsonpath-file,name,"
     "template,templatefile,yaml\n", 1),
    ("run x --image=nginx --dry-run=maybe", "",
     'error: Invalid dry-run value (maybe). Must be "none", "server", or "client".\n', 1),
    ("run x --image=nginx --override-type=bogus --overrides={}", "",
     "error: invalid override type: bogus\n", 1),
    ("run x --image=nginx --overrides={bad", "", "error: Invalid JSON Patch\n", 1),
    ("run x --image=nginx --pod-running-timeout=soon", "",
     'Error: invalid argument "soon" for "--pod-running-timeout" flag: time: invalid duration '
     "\"soon\"\nSee 'kubectl run --help' for usage.\n", 1),
]


@pytest.mark.parametrize("line,out,err,code", OBSERVED)
def test_messages_and_exit_codes_match_real_kubectl(cluster, snapshot, line, out, err, code):
    before = snapshot(cluster)
    assert run(cluster, line) == (out, err, code)
    assert snapshot(cluster) == before


def test_missing_image_is_cobras_required_flag_error(cluster, snapshot):
    # 1.32 reports it as a klog line ('"command failed" err="required flag(s) \"image\" not
    # set"'); kubelearn prints the wording of 1.27, 1.30 and 1.33, as create deployment does
    before = snapshot(cluster)
    assert run(cluster, "run x") == ("", 'error: required flag(s) "image" not set\n', 1)
    assert snapshot(cluster) == before


def test_run_creates_a_pod_that_runs():
    c = Cluster()
    assert run(c, "run web --image=nginx --port=80 --labels=app=web") == (
        "pod/web created\n", "", 0)
    c.advance(10)
    pod = json.loads(c.kubectl("get pod web -o json").stdout)
    assert pod["metadata"]["labels"] == {"app": "web"}
    assert pod["status"]["phase"] == "Running"
    container = pod["spec"]["containers"][0]
    assert (container["name"], container["image"], container["ports"]) == (
        "web", "nginx", [{"containerPort": 80, "protocol": "TCP"}])
    assert pod["spec"]["restartPolicy"] == "Always"
    assert pod["spec"]["dnsPolicy"] == "ClusterFirst"
    assert c.kubectl("get pods -l app=web -o name").stdout == "pod/web\n"


def test_default_label_args_env_and_namespace():
    c = Cluster()
    c.kubectl("create namespace dev")
    assert run(c, "run sleeper -n dev --image=busybox --env=MODE=test --restart=Never "
                  "-- sleep 3600") == ("pod/sleeper created\n", "", 0)
    c.advance(10)
    pod = json.loads(c.kubectl("get pod sleeper -n dev -o json").stdout)
    assert pod["metadata"]["labels"] == {"run": "sleeper"}
    container = pod["spec"]["containers"][0]
    assert container["args"] == ["sleep", "3600"] and "command" not in container
    assert container["env"] == [{"name": "MODE", "value": "test"}]
    assert pod["spec"]["restartPolicy"] == "Never"
    assert pod["status"]["phase"] == "Running"


def test_command_flag_makes_the_words_the_command():
    c = Cluster()
    assert run(c, "run sleeper --image=busybox --command -- sleep 3600")[2] == 0
    container = c.get("Pod", "sleeper")["spec"]["containers"][0]
    assert container["command"] == ["sleep", "3600"] and "args" not in container


def test_server_dry_run_stores_nothing(snapshot):
    c = Cluster()
    before = snapshot(c)
    assert run(c, "run x --image=nginx --dry-run=server") == (
        "pod/x created (server dry run)\n", "", 0)
    # objects unchanged (the simulated server does use up a resourceVersion)
    assert snapshot(c)[:2] == before[:2]


def test_expose_creates_the_service_too():
    c = Cluster()
    assert run(c, "run web --image=nginx --port=80 --expose") == (
        "service/web created\npod/web created\n", "", 0)
    c.advance(10)
    service = json.loads(c.kubectl("get service web -o json").stdout)
    assert service["spec"]["selector"] == {"run": "web"}
    assert service["spec"]["ports"] == [{"port": 80, "protocol": "TCP", "targetPort": 80}]
    endpoints = c.kubectl("get endpoints web").stdout
    assert ":80" in endpoints


def test_an_existing_service_is_reported_after_the_pod():
    c = Cluster()
    c.kubectl("create -f -", "apiVersion: v1\nkind: Service\nmetadata: {name: web}\n"
                             "spec: {ports: [{port: 80}], selector: {app: other}}\n")
    assert run(c, "run web --image=nginx --port=80 --expose") == (
        "pod/web created\n", 'Error from server (AlreadyExists): services "web" already exists\n',
        1)


def test_server_errors_leave_the_cluster_unchanged(snapshot):
    c = Cluster()
    before = snapshot(c)
    out, err, code = run(c, "run Bad_Name --image=nginx")
    assert (out, code) == ("", 1)
    assert err.startswith('The Pod "Bad_Name" is invalid: \n* metadata.name: Invalid value: '
                          '"Bad_Name": a lowercase RFC 1123 subdomain must consist of')
    assert run(c, "run x --image=nginx -n nowhere") == (
        "", 'Error from server (NotFound): namespaces "nowhere" not found\n', 1)
    assert snapshot(c) == before


def test_a_second_run_with_the_same_name_already_exists():
    c = Cluster()
    assert run(c, "run x --image=nginx")[2] == 0
    assert run(c, "run x --image=nginx") == (
        "", 'Error from server (AlreadyExists): pods "x" already exists\n', 1)


def test_overrides_reach_the_created_pod():
    c = Cluster()
    line = """run x --image=nginx --overrides='{"spec":{"nodeName":"worker-2"}}'"""
    assert run(c, line) == ("pod/x created\n", "", 0)
    assert c.get("Pod", "x")["spec"]["nodeName"] == "worker-2"


# --- attaching on simulated time ---------------------------------------------------------------

def test_rm_i_restart_never_prints_the_output_and_deletes_the_pod():
    c = Cluster()
    assert run(c, "run hello --image=busybox --rm -i --restart=Never -- echo hello") == (
        'hello\npod "hello" deleted\n', "", 0)
    assert c.kubectl("get pod hello").exit_code == 1


def test_attached_exit_code_is_the_containers():
    c = Cluster()
    assert run(c, 'run boom --image=busybox --rm -i --restart=Never -- sh -c "echo bye; '
                  'exit 3"') == ('bye\npod "boom" deleted\n',
                                 "pod default/boom terminated (Error)\n", 3)


def test_a_one_shot_client_reaches_a_service_by_name():
    """The notes' way to test a Service from inside the cluster."""
    c = Cluster()
    c.kubectl("create deployment web --image=nginx:1.27")
    c.kubectl("expose deployment web --port=80")
    c.settle()
    out, err, code = run(c, "run c --image=curlimages/curl --rm -i --restart=Never -- "
                            "-s -o /dev/null -w '%{http_code}\\n' http://web")
    assert (out, err, code) == ('200\npod "c" deleted\n', "", 0)
    out, err, code = run(c, "run w --image=busybox --rm -i --restart=Never -- "
                            "wget -qO- http://web.default")
    assert "<h1>Welcome to nginx!</h1>" in out and code == 0
    assert run(c, "run n --image=busybox --rm -i --restart=Never -- wget -qO- http://webb") == (
        "wget: bad address 'webb'\npod \"n\" deleted\n",
        "pod default/n terminated (Error)\n", 1)


def test_attach_without_rm_keeps_the_finished_pod():
    c = Cluster()
    assert run(c, 'run late --image=busybox --attach --restart=Never -- sh -c "sleep 5; '
                  'echo late"') == ("late\n", "", 0)
    assert "Completed" in c.kubectl("get pod late").stdout


def test_attached_process_that_never_ends_gives_up_after_the_timeout():
    c = Cluster()
    start = c.now
    out, err, code = run(c, "run forever --image=busybox --rm -i --restart=Never "
                            "--pod-running-timeout=10s -- sleep 3600")
    assert (out, code) == ('pod "forever" deleted\n', 1)
    assert err.startswith("error: kubelearn cannot stay attached to pod/forever: its container "
                          "was still running after 10s of simulated time")
    assert c.now - start < 30


@pytest.mark.parametrize("line,why", [
    ("run sh --image=busybox --rm -it --restart=Never -- sh", "-t/--tty"),
    ("run sh --image=busybox --rm -i --restart=Never", "-i/--stdin without a command"),
])
def test_what_a_notebook_cannot_do_is_refused_before_anything_is_created(snapshot, line, why):
    c = Cluster()
    before = snapshot(c)
    out, err, code = run(c, line)
    assert (out, code) == ("", 1)
    assert err.startswith("error: kubelearn cannot") and why in err
    assert snapshot(c) == before


def test_run_is_no_longer_refused(cluster):
    assert "does not support" not in cluster.kubectl("run x --image=nginx").stderr
