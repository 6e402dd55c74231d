"""create deployment, expose, scale and set image.

Goldens marked [obs-1.32] were printed by the real kubectl v1.32.4 client
(``--dry-run=client``, flag and usage errors); the rest follow kubectl 1.32's
create_deployment.go, expose.go (+ polymorphichelpers), scale.go and
set_image.go.
"""
from __future__ import annotations

import json

import pytest

from kubelearn import Cluster


def run(cluster, line):
    result = cluster.kubectl(line)
    return result.stdout, result.stderr, result.exit_code


# [obs-1.32] kubectl create deployment my-first-kube --image=repo/my-docker-image
#            --dry-run=client -o yaml
NOTES_DEPLOYMENT_YAML = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  creationTimestamp: null
  labels:
    app: my-first-kube
  name: my-first-kube
spec:
  replicas: 1
  selector:
    matchLabels:
      app: my-first-kube
  strategy: {}
  template:
    metadata:
      creationTimestamp: null
      labels:
        app: my-first-kube
    spec:
      containers:
      - image: repo/my-docker-image
        name: my-docker-image
        resources: {}
status: {}
"""

# [obs-1.32] kubectl create deployment web --image=nginx:1.25 --image=busybox --replicas=3
#            --port=80 --dry-run=client -o json
TWO_IMAGES_JSON = """\
{
    "kind": "Deployment",
    "apiVersion": "apps/v1",
    "metadata": {
        "name": "web",
        "creationTimestamp": null,
        "labels": {
            "app": "web"
        }
    },
    "spec": {
        "replicas": 3,
        "selector": {
            "matchLabels": {
                "app": "web"
            }
        },
        "template": {
            "metadata": {
                "creationTimestamp": null,
                "labels": {
                    "app": "web"
                }
            },
            "spec": {
                "containers": [
                    {
                        "name": "nginx",
                        "image": "nginx:1.25",
                        "ports": [
                            {
                                "containerPort": 80
                            }
                        ],
                        "resources": {}
                    },
                    {
                        "name": "busybox",
                        "image": "busybox",
                        "resources": {}
                    }
                ]
            }
        },
        "strategy": {}
    },
    "status": {}
}
"""

# [obs-1.32] kubectl create deployment web --image=busybox --port=80 --dry-run=client -o yaml
#            -n dev -- sleep 3600
COMMAND_YAML = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  creationTimestamp: null
  labels:
    app: web
  name: web
  namespace: dev
spec:
  replicas: 1
  selector:
    matchLabels:
      app: web
  strategy: {}
  template:
    metadata:
      creationTimestamp: null
      labels:
        app: web
    spec:
      containers:
      - command:
        - sleep
        - "3600"
        image: busybox
        name: busybox
        ports:
        - containerPort: 80
        resources: {}
status: {}
"""


# --- create deployment -----------------------------------------------------------------------

def test_create_deployment_dry_run_yaml_matches_kubectl(cluster, snapshot):
    before = snapshot(cluster)
    assert run(cluster, "create deployment my-first-kube --image=repo/my-docker-image "
                        "--dry-run=client -o yaml") == (NOTES_DEPLOYMENT_YAML, "", 0)
    assert snapshot(cluster) == before


def test_create_deployment_dry_run_json_keeps_go_field_order(cluster):
    assert run(cluster, "create deployment web --image=nginx:1.25 --image=busybox --replicas=3 "
                        "--port=80 --dry-run=client -o json") == (TWO_IMAGES_JSON, "", 0)


def test_create_deployment_command_after_dash_and_namespace(cluster):
    assert run(cluster, "create deployment web --image=busybox --port=80 --dry-run=client "
                        "-o yaml -n dev -- sleep 3600") == (COMMAND_YAML, "", 0)


@pytest.mark.parametrize("flags, expected", [
    ("--dry-run=client", "deployment.apps/web created (dry run)\n"),        # [obs-1.32]
    ("--dry-run=client -o name", "deployment.apps/web\n"),                  # [obs-1.32]
])
def test_create_deployment_dry_run_printers(cluster, flags, expected):
    assert run(cluster, f"create deployment web --image=nginx {flags}") == (expected, "", 0)


@pytest.mark.parametrize("image, name", [
    ("registry.k8s.io/e2e-test-images/agnhost:2.39", "agnhost"),            # [obs-1.32]
    ("gcr.io/google-samples/hello-app:1.0", "hello-app"),
    ("busybox@sha256:abc", "busybox"),                                      # [obs-1.32]
    ("kubelearn/hello:2", "hello"),
])
def test_container_name_from_image(cluster, image, name):
    out, _, _ = run(cluster, f"create deployment web --image={image} --dry-run=client -o json")
    assert json.loads(out)["spec"]["template"]["spec"]["containers"][0]["name"] == name


def test_container_name_with_underscore_gets_a_random_suffix(cluster):
    # [obs-1.32] foo.io:5000/x/y_z:1 → "y-z-4hxpr" (five letters of the name alphabet)
    out, _, _ = run(cluster, "create deployment web --image=foo.io:5000/x/y_z:1 "
                             "--dry-run=client -o json")
    name = json.loads(out)["spec"]["template"]["spec"]["containers"][0]["name"]
    assert name.startswith("y-z-") and len(name) == 9
    assert set(name[4:]) <= set("bcdfghjklmnpqrstvwxz2456789")


def test_create_deployment_creates_and_runs(cluster):
    assert run(cluster, "create deployment web --image=nginx:1.25 --replicas=2") == (
        "deployment.apps/web created\n", "", 0)
    cluster.settle()
    d = cluster.api.get("Deployment", "web", "default")
    assert d["spec"]["replicas"] == 2
    assert d["metadata"]["labels"] == {"app": "web"}
    assert d["status"]["availableReplicas"] == 2


def test_create_deployment_already_exists(cluster, snapshot):
    run(cluster, "create deployment web --image=nginx")
    before = snapshot(cluster)
    assert run(cluster, "create deployment web --image=nginx") == (
        "", 'error: failed to create deployment: deployments.apps "web" already exists\n', 1)
    assert snapshot(cluster) == before


@pytest.mark.parametrize("line, stderr", [
    # 1.32 logs this one as a klog line; 1.27/1.30/1.33 print it like this
    ("create deployment web", 'error: required flag(s) "image" not set\n'),
    ("create deployment --image=nginx",                                     # [obs-1.32]
     "error: exactly one NAME is required, got 0\n"
     "See 'kubectl create deployment -h' for help and examples\n"),
    ("create deployment a b --image=nginx",                                 # [obs-1.32]
     "error: exactly one NAME is required, got 2\n"
     "See 'kubectl create deployment -h' for help and examples\n"),
    ("create deployment web --image=nginx --image=busybox -- sleep 1",      # [obs-1.32]
     "error: cannot specify multiple --image options and command\n"),
    # the notes' "- -image=..." typo                                        [obs-1.32]
    ("create deployment my-first-kube - -image=repo/my-docker-image",
     "Error: unknown shorthand flag: 'i' in -image=repo/my-docker-image\n"
     "See 'kubectl create deployment --help' for usage.\n"),
    ("create deployment web --image=nginx -o wide",                         # [obs-1.32]
     'error: unable to match a printer suitable for the output format "wide", allowed formats '
     "are: go-template,go-template-file,json,jsonpath,jsonpath-as-json,jsonpath-file,name,"
     "template,templatefile,yaml\n"),
])
def test_create_deployment_errors(cluster, snapshot, line, stderr):
    before = snapshot(cluster)
    assert run(cluster, line) == ("", stderr, 1)
    assert snapshot(cluster) == before


def test_create_namespace_still_refuses_deployment_flags(cluster):
    stdout, stderr, code = run(cluster, "create namespace dev --image=nginx")
    assert (stdout, stderr.splitlines()[0], code) == ("", "Error: unknown flag: --image", 1)


# --- expose ----------------------------------------------------------------------------------

@pytest.fixture
def notes_cluster():
    """Cluster.minikube() after the notes' first command (typo fixed)."""
    c = Cluster.minikube()
    assert c.kubectl("create deployment my-first-kube --image=repo/my-docker-image").ok
    c.settle()
    return c


def test_expose_as_in_the_notes(notes_cluster):
    c = notes_cluster
    assert run(c, "expose deployment my-first-kube --type=LoadBalancer --port=8080") == (
        "service/my-first-kube exposed\n", "", 0)
    svc = c.api.get("Service", "my-first-kube", "default")
    assert svc["spec"]["type"] == "LoadBalancer"
    assert svc["spec"]["selector"] == {"app": "my-first-kube"}
    assert svc["metadata"]["labels"] == {"app": "my-first-kube"}
    port = svc["spec"]["ports"][0]
    assert (port["port"], port["targetPort"], port["protocol"]) == (8080, 8080, "TCP")
    assert port["nodePort"] >= 30000


EXPOSE_YAML = """\
apiVersion: v1
kind: Service
metadata:
  creationTimestamp: null
  labels:
    app: my-first-kube
  name: my-first-kube
spec:
  ports:
  - port: 8080
    protocol: TCP
    targetPort: 8080
  selector:
    app: my-first-kube
  type: LoadBalancer
status:
  loadBalancer: {}
"""


def test_expose_dry_run_yaml(notes_cluster, snapshot):
    before = snapshot(notes_cluster)
    assert run(notes_cluster, "expose deployment my-first-kube --type=LoadBalancer --port=8080 "
                              "--dry-run=client -o yaml") == (EXPOSE_YAML, "", 0)
    assert snapshot(notes_cluster) == before


def test_expose_dry_run_json_in_go_order(notes_cluster):
    out, _, code = run(notes_cluster, "expose deploy/my-first-kube --port=80 --target-port=http "
                                      "--name=front -n default --dry-run=client -o json")
    assert code == 0
    assert out == """\
{
    "kind": "Service",
    "apiVersion": "v1",
    "metadata": {
        "name": "front",
        "namespace": "default",
        "creationTimestamp": null,
        "labels": {
            "app": "my-first-kube"
        }
    },
    "spec": {
        "ports": [
            {
                "protocol": "TCP",
                "port": 80,
                "targetPort": "http"
            }
        ],
        "selector": {
            "app": "my-first-kube"
        }
    },
    "status": {
        "loadBalancer": {}
    }
}
"""


def test_expose_takes_port_and_protocol_from_the_template(cluster, manifests):
    cluster.apply(manifests.WEB_DEPLOYMENT)          # containerPort 80
    assert run(cluster, "expose deployment web --type=NodePort")[0] == "service/web exposed\n"
    port = cluster.api.get("Service", "web", "default")["spec"]["ports"][0]
    assert (port["port"], port["targetPort"], port["protocol"]) == (80, 80, "TCP")


def test_expose_a_service_and_a_replicaset(cluster, manifests):
    cluster.apply(manifests.WEB_DEPLOYMENT)
    cluster.apply(manifests.WEB_SERVICE)
    cluster.settle()
    assert run(cluster, "expose service web --port=443 --target-port=8443 --name=web-https")[0] \
        == "service/web-https exposed\n"
    svc = cluster.api.get("Service", "web-https", "default")
    assert svc["spec"]["selector"] == {"app": "web"}
    rs = cluster.api.list("ReplicaSet", "default")[0]["metadata"]["name"]
    assert run(cluster, f"expose rs {rs} --port=80 --name=by-rs")[0] == \
        "service/by-rs exposed\n"
    by_rs = cluster.api.get("Service", "by-rs", "default")
    assert by_rs["spec"]["selector"]["app"] == "web"
    assert "pod-template-hash" in by_rs["spec"]["selector"]


@pytest.mark.parametrize("line, stderr", [
    ("expose deployment my-first-kube",
     "error: couldn't find port via --port flag or introspection\n"),
    ("expose configmap kube-root-ca.crt --port=80", "error: cannot expose a ConfigMap\n"),
    ("expose deployment nope --port=80",
     'Error from server (NotFound): deployments.apps "nope" not found\n'),
    ("expose deployment my-first-kube --port=http",
     'error: strconv.Atoi: parsing "http": invalid syntax\n'),
    ("expose",
     "error: You must provide one or more resources by argument or filename.\n"
     "Example resource specifications include:\n   '-f rsrc.yaml'\n   '--filename=rsrc.json'\n"
     "   '<resource> <name>'\n   '<resource>'\n"),
])
def test_expose_errors(notes_cluster, snapshot, line, stderr):
    before = snapshot(notes_cluster)
    assert run(notes_cluster, line) == ("", stderr, 1)
    assert snapshot(notes_cluster) == before


def test_expose_twice_is_already_exists(notes_cluster):
    run(notes_cluster, "expose deployment my-first-kube --port=8080")
    assert run(notes_cluster, "expose deployment my-first-kube --port=8080") == (
        "", 'Error from server (AlreadyExists): services "my-first-kube" already exists\n', 1)


def test_expose_a_bad_type_is_the_server_s_error(notes_cluster):
    out, err, code = run(notes_cluster, "expose deployment my-first-kube --port=80 --type=Public")
    assert (out, code) == ("", 1)
    assert err.startswith('The Service "my-first-kube" is invalid: spec.type: Unsupported value: '
                          '"Public"')


# --- scale -----------------------------------------------------------------------------------

def test_scale_as_in_the_notes(notes_cluster):
    c = notes_cluster
    assert run(c, "scale deployment/my-first-kube --replicas=3") == (
        "deployment.apps/my-first-kube scaled\n", "", 0)
    c.settle()
    assert c.api.get("Deployment", "my-first-kube", "default")["status"]["readyReplicas"] == 3
    assert len(c.api.list("Pod", "default")) == 3


def test_scale_a_replicaset_and_dry_runs(cluster, manifests, snapshot):
    cluster.apply(manifests.WEB_DEPLOYMENT)
    cluster.settle()
    rs = cluster.api.list("ReplicaSet", "default")[0]["metadata"]["name"]
    before = snapshot(cluster)
    assert run(cluster, "scale deployment web --replicas=5 --dry-run=client") == (
        "deployment.apps/web scaled (dry run)\n", "", 0)
    assert run(cluster, "scale deployment web --replicas=5 --dry-run=server") == (
        "deployment.apps/web scaled (server dry run)\n", "", 0)
    assert snapshot(cluster) == before
    assert run(cluster, f"scale rs/{rs} --replicas=1") == (
        f"replicaset.apps/{rs} scaled\n", "", 0)
    # the Deployment owns the ReplicaSet, so its controller scales it straight back
    assert cluster.api.get("ReplicaSet", rs, "default")["spec"]["replicas"] == 2
    assert cluster.api.get("ReplicaSet", rs, "default")["metadata"]["generation"] == 3


def test_scale_with_current_replicas_precondition(notes_cluster, snapshot):
    before = snapshot(notes_cluster)
    assert run(notes_cluster, "scale deployment my-first-kube --current-replicas=2 "
                              "--replicas=3") == (
        "", "error: Expected replicas to be 2, was 1\n", 1)
    assert snapshot(notes_cluster) == before
    assert run(notes_cluster, "scale deployment my-first-kube --current-replicas=1 "
                              "--replicas=3")[0] == "deployment.apps/my-first-kube scaled\n"


@pytest.mark.parametrize("line, stderr", [
    # 1.32 logs it as a klog line; 1.27/1.30/1.33 print it like this [obs]
    ("scale deployment/my-first-kube", 'error: required flag(s) "replicas" not set\n'),
    ("scale deployment/my-first-kube --replicas=-1",                        # [obs-1.32]
     "error: The --replicas=COUNT flag is required, and COUNT must be greater than or equal "
     "to 0\n"),
    ("scale deployment/nope --replicas=2",
     'Error from server (NotFound): deployments.apps "nope" not found\n'),
    ("scale deployment/my-first-kube --replicas=x",
     'Error: invalid argument "x" for "--replicas" flag: strconv.ParseInt: parsing "x": '
     "invalid syntax\nSee 'kubectl scale --help' for usage.\n"),
])
def test_scale_errors(notes_cluster, snapshot, line, stderr):
    before = snapshot(notes_cluster)
    assert run(notes_cluster, line) == ("", stderr, 1)
    assert snapshot(notes_cluster) == before


# --- set image -------------------------------------------------------------------------------

def test_set_image_as_in_the_notes(notes_cluster, snapshot):
    c = notes_cluster
    before = snapshot(c)
    # typed with the notes' placeholder container name
    assert run(c, "set image deployments/my-first-kube old-image-name=repo/new-image-name") == (
        "", 'error: unable to find container named "old-image-name"\n', 1)
    assert snapshot(c) == before
    # with the container name create deployment derived from the image
    assert run(c, "set image deployments/my-first-kube my-docker-image=repo/new-image-name") == (
        "deployment.apps/my-first-kube image updated\n", "", 0)
    d = c.api.get("Deployment", "my-first-kube", "default")
    assert d["spec"]["template"]["spec"]["containers"][0]["image"] == "repo/new-image-name"


def test_set_image_the_brief_s_form(cluster):
    cluster.kubectl("create deployment first-app --image=repo/kube-first-app")
    assert run(cluster, "set image deployment/first-app kube-first-app=repo/new-image-name") == (
        "deployment.apps/first-app image updated\n", "", 0)


def test_set_image_star_and_unchanged(cluster, manifests, snapshot):
    cluster.apply(manifests.WEB_DEPLOYMENT)
    assert run(cluster, "set image deployment/web *=nginx:1.26") == (
        "deployment.apps/web image updated\n", "", 0)
    before = snapshot(cluster)
    # nothing changes: kubectl skips the empty patch and prints nothing
    assert run(cluster, "set image deployment/web nginx=nginx:1.26") == ("", "", 0)
    assert snapshot(cluster) == before


def test_set_image_on_a_pod_and_dry_run(cluster, manifests, snapshot):
    cluster.apply(manifests.WEB_DEPLOYMENT)
    cluster.settle()
    pod = cluster.api.list("Pod", "default")[0]["metadata"]["name"]
    before = snapshot(cluster)
    assert run(cluster, f"set image pod/{pod} nginx=nginx:1.26 --dry-run=client") == (
        f"pod/{pod} image updated (dry run)\n", "", 0)
    assert snapshot(cluster) == before
    assert run(cluster, f"set image pod {pod} nginx=nginx:1.26")[0] == \
        f"pod/{pod} image updated\n"


@pytest.mark.parametrize("line, stderr", [
    ("set image deployment/web ngin=nginx:1.26",
     'error: unable to find container named "ngin"\n'),
    ("set image deployment/web", "error: at least one image update is required\n"),
    ("set image deployment/web *=a nginx=b",
     "error: all containers are already specified by *, but saw more than one "
     "container_name=container_image pairs\n"),
    ("set image deployment/web nginx=a deployment/other",
     "error: all resources must be specified before image changes: deployment/other\n"),
    ("set image deployment/nope nginx=a",
     'Error from server (NotFound): deployments.apps "nope" not found\n'),
    ("set image service/kubernetes nginx=a",
     "error: services/kubernetes the object is not a pod or does not have a pod template: "
     "*v1.Service\n"),
    ("set image",                                                           # [obs-1.32]
     "error: You must provide one or more resources by argument or filename.\n"
     "Example resource specifications include:\n   '-f rsrc.yaml'\n   '--filename=rsrc.json'\n"
     "   '<resource> <name>'\n   '<resource>'\n"),
    ("set foo", "error: unknown command \"foo\"\nSee 'kubectl set -h' for help and "
                "examples\n"),                                              # [obs-1.32]
])
def test_set_image_errors(cluster, manifests, snapshot, line, stderr):
    cluster.apply(manifests.WEB_DEPLOYMENT)
    before = snapshot(cluster)
    assert run(cluster, line) == ("", stderr, 1)
    assert snapshot(cluster) == before
