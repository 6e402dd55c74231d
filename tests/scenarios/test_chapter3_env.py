"""Section 3.3 of the course notes (environment variables, "an environment file"
as a ConfigMap), typed as written, on ``Cluster.minikube()``.

The notes' fragments sit in the notes' own kind of Deployment. As typed they do
not parse: kubectl's YAML errors below were produced by real kubectl 1.32 on the
same files (``--dry-run=client``). Corrected, they run, and the chapter's claims
hold: a missing ConfigMap or key keeps the container in
``CreateContainerConfigError`` with the kubelet's message until it appears; the
environment is fixed when a container starts, so a changed ConfigMap needs
``kubectl rollout restart``; Services that exist before a pod starts show up in
its environment, later ones do not.
"""
from __future__ import annotations

from kubelearn import Cluster
from kubelearn.node.env import container_env

DEPLOYMENT_HEAD = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: story
spec:
  replicas: 1
  selector:
    matchLabels:
      app: story
  template:
    metadata:
      labels:
        app: story
    spec:
"""

# 3.3.1 as typed: ``containers`` holds a map, ``value`` is indented under ``name``.
NOTES_ENV_VALUE = DEPLOYMENT_HEAD + """\
      containers:
        env:
          - name: STORY_FOLDER
             value: “story”
"""

# 3.3.2 as typed: the same shape, with the comments of the notes.
NOTES_ENV_FROM_CONFIG_MAP = DEPLOYMENT_HEAD + """\
      containers:
        env:
          - name: STORY_FOLDER
             # We can refer to a ConfigMap
             valueFrom:
               configMapKeyRef:
                 name: data-store-env
                 # Which key to we want to pull out of the env file to use as the STORY_FOLDER value?
                 key: folder
"""

# environment.yaml exactly as in the notes (valid YAML: the curly quotes are part of the value)
NOTES_ENVIRONMENT = """\
apiVersion: v1
kind: ConfigMap
metadata:
  name: data-store-env
data:
  folder: “story”
"""

CONTAINER = """\
      containers:
        - name: story
          image: busybox:1.36
          command: ["sh", "-c", "echo STORY_FOLDER=$STORY_FOLDER; sleep 3600"]
          env:
"""

VALUE_FIXED = DEPLOYMENT_HEAD + CONTAINER + """\
            - name: STORY_FOLDER
              value: "story"
"""

CONFIG_MAP_FIXED = DEPLOYMENT_HEAD + CONTAINER + """\
            - name: STORY_FOLDER
              # We can refer to a ConfigMap
              valueFrom:
                configMapKeyRef:
                  name: data-store-env
                  key: folder
"""


def sh(c: Cluster, line: str, stdin: str | None = None) -> str:
    r = c.kubectl(line, stdin=stdin)
    return r.stdout + r.stderr


def story_pods(c: Cluster) -> list[list[str]]:
    return [row.split() for row in sh(c, "get pods -l app=story").splitlines()[1:]]


def the_pod(c: Cluster) -> str:
    running = [row[0] for row in story_pods(c) if row[2] != "Terminating"]
    assert len(running) == 1, story_pods(c)
    return running[0]


def test_the_notes_fragments_as_typed_give_kubectls_yaml_errors():
    c = Cluster.minikube()
    assert sh(c, "apply -f -", NOTES_ENV_VALUE) == (
        "error: error parsing STDIN: error converting YAML to JSON: yaml: line 18: mapping "
        "values are not allowed in this context\n")
    assert sh(c, "apply -f -", NOTES_ENV_FROM_CONFIG_MAP) == (
        "error: error parsing STDIN: error converting YAML to JSON: yaml: line 18: did not "
        "find expected key\n")
    indented = NOTES_ENV_VALUE.replace("             value", "            value")
    assert sh(c, "apply -f -", indented) == (
        'Error from server (BadRequest): error when creating "STDIN": Deployment in version '
        '"v1" cannot be handled as a Deployment: json: cannot unmarshal object into Go struct '
        "field PodSpec.spec.template.spec.containers of type []v1.Container\n")
    assert sh(c, "get deployments") == "No resources found in default namespace.\n"


def test_an_env_value_reaches_the_app():
    c = Cluster.minikube()
    assert sh(c, "apply -f -", VALUE_FIXED) == "deployment.apps/story created\n"
    c.advance(30)
    pod = the_pod(c)
    assert sh(c, f"logs {pod}") == "STORY_FOLDER=story\n"
    assert "      STORY_FOLDER:  story\n" in sh(c, f"describe pod {pod}")


def test_a_missing_config_map_then_key_then_the_pod_starts():
    c = Cluster.minikube()
    assert sh(c, "apply -f -", CONFIG_MAP_FIXED) == "deployment.apps/story created\n"
    c.settle()
    pod = the_pod(c)
    assert story_pods(c)[0][1:4] == ["0/1", "CreateContainerConfigError", "0"]
    text = sh(c, f"describe pod {pod}")
    assert ("    State:          Waiting\n"
            "      Reason:       CreateContainerConfigError\n") in text
    assert ("    Environment:\n"
            "      STORY_FOLDER:  <set to the key 'folder' of config map 'data-store-env'>  "
            "Optional: false\n") in text
    assert text.rstrip("\n").endswith(
        "  Warning  Failed     0s    kubelet            "
        'Error: configmap "data-store-env" not found')
    c.advance(30)                                   # the kubelet keeps retrying
    assert story_pods(c)[0][1:3] == ["0/1", "CreateContainerConfigError"]
    assert 'Error: configmap "data-store-env" not found' in sh(c, f"describe pod {pod}")

    # a ConfigMap without the key
    assert sh(c, "create configmap data-store-env --from-literal=fodler=story") == \
        "configmap/data-store-env created\n"
    c.settle()
    assert ("Error: couldn't find key folder in ConfigMap default/data-store-env"
            in sh(c, f"describe pod {pod}"))
    assert story_pods(c)[0][2] == "CreateContainerConfigError"

    # the notes' environment.yaml: the key appears, the pod starts at the kubelet's next sync
    out = sh(c, "apply -f -", NOTES_ENVIRONMENT)
    assert "configmap/data-store-env configured\n" in out
    assert story_pods(c)[0][2] == "CreateContainerConfigError"   # not instantly
    assert c.settle().settled
    assert story_pods(c)[0][1:4] == ["1/1", "Running", "0"]
    assert the_pod(c) == pod                         # the same pod: no restart needed
    assert sh(c, f"logs {pod}") == "STORY_FOLDER=“story”\n"   # the notes' curly quotes


def test_env_is_fixed_at_start_and_rollout_restart_picks_up_the_change():
    c = Cluster.minikube()
    sh(c, "create configmap data-store-env --from-literal=folder=story")
    sh(c, "apply -f -", CONFIG_MAP_FIXED)
    c.advance(30)
    first = the_pod(c)
    assert sh(c, f"logs {first}") == "STORY_FOLDER=story\n"

    changed = sh(c, "create configmap data-store-env --from-literal=folder=tales "
                    "--dry-run=client -o yaml")
    assert "configmap/data-store-env configured\n" in sh(c, "apply -f -", changed)
    c.advance(120)
    assert the_pod(c) == first
    assert dict(container_env(c, "default", first, "story"))["STORY_FOLDER"] == "story"

    assert sh(c, "rollout restart deployment/story") == "deployment.apps/story restarted\n"
    c.advance(60)
    second = the_pod(c)
    assert second != first
    assert sh(c, f"logs {second}") == "STORY_FOLDER=tales\n"


def test_secrets_in_env_are_decoded_and_describe_shows_sizes():
    c = Cluster.minikube()
    assert sh(c, "create secret generic db --from-literal=password=s3cr3t!") == \
        "secret/db created\n"
    manifest = DEPLOYMENT_HEAD + CONTAINER.replace("$STORY_FOLDER", "$DB_PASSWORD") + """\
            - name: DB_PASSWORD
              valueFrom:
                secretKeyRef:
                  name: db
                  key: password
"""
    sh(c, "apply -f -", manifest)
    c.advance(30)
    pod = the_pod(c)
    assert sh(c, f"logs {pod}") == "STORY_FOLDER=s3cr3t!\n"
    assert ("      DB_PASSWORD:  <set to the key 'password' in secret 'db'>  Optional: false\n"
            in sh(c, f"describe pod {pod}"))
    assert sh(c, "describe secret db") == (
        "Name:         db\nNamespace:    default\nLabels:       <none>\nAnnotations:  <none>\n"
        "\nType:  Opaque\n\nData\n====\npassword:  7 bytes\n")
    assert sh(c, "get secret db -o jsonpath={.data.password}") == "czNjcjN0IQ=="


def test_services_created_before_the_pod_are_in_its_environment():
    c = Cluster.minikube()
    sh(c, "create deployment auth-service --image=kubelearn/hello:1")
    sh(c, "expose deployment auth-service --port=80 --target-port=8080")
    sh(c, "apply -f -", VALUE_FIXED)
    c.advance(30)
    ip = c.api.get("Service", "auth-service", "default")["spec"]["clusterIP"]
    env = dict(container_env(c, "default", the_pod(c), "story"))
    assert env["AUTH_SERVICE_SERVICE_HOST"] == ip
    assert env["AUTH_SERVICE_SERVICE_PORT"] == "80"
    assert env["KUBERNETES_SERVICE_HOST"] == "10.96.0.1"

    # a Service created after the pod started is not there until the pod is replaced
    sh(c, "create deployment late --image=kubelearn/hello:1")
    sh(c, "expose deployment late --port=80 --target-port=8080")
    c.advance(30)
    assert "LATE_SERVICE_HOST" not in dict(container_env(c, "default", the_pod(c), "story"))
    sh(c, "rollout restart deployment/story")
    c.advance(60)
    assert "LATE_SERVICE_HOST" in dict(container_env(c, "default", the_pod(c), "story"))
