"""Tests for kubelearn.node.env: a container's environment as the kubelet builds it
(makeEnvironmentVariables of kubelet v1.32), CreateContainerConfigError and its
retries, and the environment staying fixed for a container's run.

Upstream strings checked against kubernetes/kubernetes: pkg/kubelet/kubelet_pods.go
(``couldn't find key %v in ConfigMap %v/%v``, ``... in Secret %v/%v``), the
watch-based configmap/secret managers (NotFound for resource ``configmap`` /
``secret``: ``configmap "x" not found``), kuberuntime_container.go (event ``Failed``
``Error: <message>``, waiting reason ``CreateContainerConfigError``) and
the Service variables (pkg/kubelet/envvars) are in test_envvars.py.
"""
from __future__ import annotations

import pytest

from kubelearn import Cluster
from kubelearn.node.env import (ContainerConfigError, ContainerEnv, EnvironmentCache,
                                build_container_env, container_env, expand,
                                make_environment_variables, mapping_for, pod_hostname,
                                runtime_env)
from kubelearn.node.kubelet import KubeletManager, container_exited, container_logs


# -- $(VAR) expansion -------------------------------------------------------------------

@pytest.mark.parametrize("text, expected", [
    ("$(A)", "a"),
    ("x$(A)y$(B)z", "xaybz"),
    ("$$(A)", "$(A)"),                  # escaped
    ("$$$(A)", "$a"),
    ("$(MISSING)", "$(MISSING)"),       # unknown: left as written
    ("$(A", "$(A"),                     # unterminated
    ("$A", "$A"),                       # not the syntax
    ("cost: $5", "cost: $5"),
    ("end$", "end$"),
    ("$()", "$()"),
    ("", ""),
])
def test_expand_follows_upstream_expansion(text, expected):
    assert expand(text, mapping_for({"A": "a", "B": "b"})) == expected


def test_mapping_takes_the_first_context_that_has_the_name():
    mapping = mapping_for({"A": "env"}, {"A": "service", "B": "service"})
    assert (mapping("A"), mapping("B"), mapping("C")) == ("env", "service", "$(C)")


# -- makeEnvironmentVariables over a real API server --------------------------------------

@pytest.fixture
def c():
    return Cluster.minikube()


def pod_of(*, env=None, env_from=None, links=None, namespace="default", **meta):
    container = {"name": "app", "image": "busybox:1.36"}
    if env is not None:
        container["env"] = env
    if env_from is not None:
        container["envFrom"] = env_from
    spec = {"containers": [container], "nodeName": "minikube", "serviceAccountName": "default"}
    if links is not None:
        spec["enableServiceLinks"] = links
    return {"apiVersion": "v1", "kind": "Pod",
            "metadata": {"name": "p", "namespace": namespace, "uid": "u-1", **meta},
            "spec": spec}


def kubelet_env(c, pod, **kw):
    return make_environment_variables(c.api, pod, pod["spec"]["containers"][0],
                                      pod_ip=kw.get("pod_ip", "10.244.0.9"),
                                      host_ip="192.168.49.2",
                                      allocatable=kw.get("allocatable"))


def names(pairs):
    return [name for name, _ in pairs]


def test_a_plain_pod_sees_only_the_kubernetes_service(c):
    env = kubelet_env(c, pod_of())
    assert env == [("KUBERNETES_SERVICE_HOST", "10.96.0.1"), ("KUBERNETES_SERVICE_PORT", "443"),
                   ("KUBERNETES_SERVICE_PORT_HTTPS", "443"),
                   ("KUBERNETES_PORT", "tcp://10.96.0.1:443"),
                   ("KUBERNETES_PORT_443_TCP", "tcp://10.96.0.1:443"),
                   ("KUBERNETES_PORT_443_TCP_PROTO", "tcp"),
                   ("KUBERNETES_PORT_443_TCP_PORT", "443"),
                   ("KUBERNETES_PORT_443_TCP_ADDR", "10.96.0.1")]


def test_services_of_the_namespace_existing_now_are_linked(c):
    c.kubectl("create deployment auth-service --image=nginx:1.25")
    c.kubectl("expose deployment auth-service --port=80")
    c.kubectl("create namespace other")
    c.kubectl("create deployment elsewhere --image=nginx:1.25 -n other")
    c.kubectl("expose deployment elsewhere --port=80 -n other")
    env = dict(kubelet_env(c, pod_of()))
    ip = c.api.get("Service", "auth-service", "default")["spec"]["clusterIP"]
    assert env["AUTH_SERVICE_SERVICE_HOST"] == ip
    assert env["AUTH_SERVICE_PORT"] == f"tcp://{ip}:80"
    assert not any(name.startswith("ELSEWHERE_") for name in env)
    other = dict(kubelet_env(c, pod_of(namespace="other")))
    assert "ELSEWHERE_SERVICE_HOST" in other and "AUTH_SERVICE_SERVICE_HOST" not in other
    assert other["KUBERNETES_SERVICE_HOST"] == "10.96.0.1"    # master service everywhere
    off = dict(kubelet_env(c, pod_of(links=False)))
    assert "AUTH_SERVICE_SERVICE_HOST" not in off and "KUBERNETES_SERVICE_HOST" in off


def test_values_expand_earlier_variables_and_services_only(c):
    env = dict(kubelet_env(c, pod_of(env=[
        {"name": "A", "value": "a"},
        {"name": "B", "value": "$(A)-$(C)-$$(A)-$(KUBERNETES_SERVICE_PORT)"},
        {"name": "C", "value": "c"},
        {"name": "E", "value": ""},
    ])))
    assert env["B"] == "a-$(C)-$(A)-443"         # C comes later: left as written
    assert env["E"] == ""


def test_config_map_and_secret_references(c):
    c.kubectl("create configmap data-store-env --from-literal=folder=story")
    c.kubectl("create secret generic db --from-literal=password=s3cr3t")
    env = kubelet_env(c, pod_of(env=[
        {"name": "STORY_FOLDER", "valueFrom": {"configMapKeyRef": {"name": "data-store-env",
                                                                   "key": "folder"}}},
        {"name": "DB_PASSWORD", "valueFrom": {"secretKeyRef": {"name": "db",
                                                               "key": "password"}}},
    ]))
    assert env[:2] == [("STORY_FOLDER", "story"), ("DB_PASSWORD", "s3cr3t")]


@pytest.mark.parametrize("ref, message", [
    ({"configMapKeyRef": {"name": "nope", "key": "k"}}, 'configmap "nope" not found'),
    ({"secretKeyRef": {"name": "nope", "key": "k"}}, 'secret "nope" not found'),
    ({"configMapKeyRef": {"name": "cfg", "key": "missing"}},
     "couldn't find key missing in ConfigMap default/cfg"),
    ({"secretKeyRef": {"name": "sec", "key": "missing"}},
     "couldn't find key missing in Secret default/sec"),
])
def test_missing_references_fail_with_upstream_messages(c, ref, message):
    c.kubectl("create configmap cfg --from-literal=k=v")
    c.kubectl("create secret generic sec --from-literal=k=v")
    with pytest.raises(ContainerConfigError) as err:
        kubelet_env(c, pod_of(env=[{"name": "X", "valueFrom": ref}]))
    assert err.value.message == message


def test_optional_references_are_skipped_silently(c):
    c.kubectl("create configmap cfg --from-literal=k=v")
    env = kubelet_env(c, pod_of(
        env=[{"name": "A", "valueFrom": {"configMapKeyRef": {"name": "nope", "key": "k",
                                                             "optional": True}}},
             {"name": "B", "valueFrom": {"configMapKeyRef": {"name": "cfg", "key": "x",
                                                             "optional": True}}},
             {"name": "C", "valueFrom": {"secretKeyRef": {"name": "nope", "key": "k",
                                                          "optional": True}}}],
        env_from=[{"configMapRef": {"name": "gone", "optional": True}},
                  {"secretRef": {"name": "gone", "optional": True}}]))
    assert not {"A", "B", "C"} & set(names(env))


def test_env_from_with_prefix_and_precedence(c):
    c.kubectl("create configmap cfg --from-literal=color=blue --from-literal=size=10 "
              "--from-literal=1st=x --from-literal=dotted.key=y")
    c.kubectl("create secret generic sec --from-literal=color=red --from-literal=token=t0k")
    env = kubelet_env(c, pod_of(
        env_from=[{"configMapRef": {"name": "cfg"}},
                  {"secretRef": {"name": "sec"}},
                  {"prefix": "CFG_", "configMapRef": {"name": "cfg"}}],
        env=[{"name": "size", "value": "explicit $(color)"}]))
    kubelet = dict(env)
    assert kubelet["color"] == "red"                 # a later source wins
    assert kubelet["size"] == "explicit red"         # env wins over envFrom, sees envFrom
    assert kubelet["token"] == "t0k" and kubelet["CFG_color"] == "blue"
    # v1.32 (RelaxedEnvironmentVariableValidation): no key is skipped any more
    assert kubelet["1st"] == "x" and kubelet["dotted.key"] == "y"
    assert names(env)[:4] == ["1st", "color", "dotted.key", "size"]


def test_a_missing_env_from_source_fails_before_env(c):
    with pytest.raises(ContainerConfigError) as err:
        kubelet_env(c, pod_of(env_from=[{"secretRef": {"name": "creds"}}],
                              env=[{"name": "X", "valueFrom": {"configMapKeyRef": {
                                  "name": "cfg", "key": "k"}}}]))
    assert err.value.message == 'secret "creds" not found'


def test_downward_api_fields(c):
    pod = pod_of(labels={"app": "web", "tier": "front"}, annotations={"note": 'say "hi"'},
                 env=[{"name": n, "valueFrom": {"fieldRef": {"fieldPath": path}}}
                      for n, path in (("NAME", "metadata.name"), ("NS", "metadata.namespace"),
                                      ("UID", "metadata.uid"),
                                      ("APP", "metadata.labels['app']"),
                                      ("NOTE", "metadata.annotations['note']"),
                                      ("LABELS", "metadata.labels"),
                                      ("NODE", "spec.nodeName"),
                                      ("SA", "spec.serviceAccountName"),
                                      ("HOST_IP", "status.hostIP"),
                                      ("POD_IP", "status.podIP"),
                                      ("POD_IPS", "status.podIPs"))])
    env = dict(kubelet_env(c, pod))
    assert env["NAME"] == "p" and env["NS"] == "default" and env["UID"] == "u-1"
    assert env["APP"] == "web" and env["NOTE"] == 'say "hi"'
    assert env["LABELS"] == 'app="web"\ntier="front"'
    assert (env["NODE"], env["SA"]) == ("minikube", "default")
    assert (env["HOST_IP"], env["POD_IP"], env["POD_IPS"]) == ("192.168.49.2", "10.244.0.9",
                                                              "10.244.0.9")


def test_resource_fields_default_limits_to_node_allocatable(c):
    pod = pod_of(env=[
        {"name": "CPU_REQ", "valueFrom": {"resourceFieldRef": {"resource": "requests.cpu",
                                                               "divisor": "1m"}}},
        {"name": "MEM_LIMIT", "valueFrom": {"resourceFieldRef": {"resource": "limits.memory",
                                                                 "divisor": "1Mi"}}},
        {"name": "CPU_LIMIT", "valueFrom": {"resourceFieldRef": {"resource": "limits.cpu"}}}])
    pod["spec"]["containers"][0]["resources"] = {"requests": {"cpu": "250m"},
                                                 "limits": {"memory": "64Mi"}}
    env = dict(kubelet_env(c, pod, allocatable={"cpu": "2", "memory": "4Gi"}))
    assert (env["CPU_REQ"], env["MEM_LIMIT"], env["CPU_LIMIT"]) == ("250", "64", "2")


# -- what the process sees --------------------------------------------------------------

def test_runtime_merges_image_env_and_kubelet_env():
    app = {"env": {"PATH": "/opt/bin:/usr/bin", "HELLO_VERSION": "1"}}
    merged = runtime_env(app, "web-1", [("HELLO_VERSION", "override"), ("A", "1")])
    assert merged == [("PATH", "/opt/bin:/usr/bin"), ("HOSTNAME", "web-1"),
                      ("HELLO_VERSION", "override"), ("A", "1"), ("HOME", "/root")]
    plain = runtime_env({}, "p", [])
    assert plain == [("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"),
                     ("HOSTNAME", "p"), ("HOME", "/root")]


def test_hostname_is_the_pod_name_or_spec_hostname():
    assert pod_hostname({"metadata": {"name": "web-1"}, "spec": {}}) == "web-1"
    assert pod_hostname({"metadata": {"name": "web-1"}, "spec": {"hostname": "db"}}) == "db"
    assert pod_hostname({"metadata": {"name": "etcd"},
                         "spec": {"hostNetwork": True, "nodeName": "minikube"}}) == "minikube"


def test_command_and_args_expand_kubelet_variables_only():
    env = ContainerEnv((("PATH", "/bin"), ("GREETING", "hi")), (("GREETING", "hi"),))
    assert env.expand(["echo", "$(GREETING)", "$(PATH)", "$$(GREETING)"]) == \
        ["echo", "hi", "$(PATH)", "$(GREETING)"]


# -- the kubelet: CreateContainerConfigError, retries, env fixed at start -----------------

STORY_POD = """\
apiVersion: v1
kind: Pod
metadata:
  name: story
spec:
  containers:
  - name: app
    image: busybox:1.36
    command: ["sh", "-c", "echo folder=$STORY_FOLDER arg=$(STORY_FOLDER); sleep 3600"]
    env:
    - name: STORY_FOLDER
      valueFrom:
        configMapKeyRef:
          name: data-store-env
          key: folder
"""


def container_status(c, name="story"):
    return c.api.get("Pod", name, "default")["status"]["containerStatuses"][0]


def events(c, name="story"):
    return [(e["type"], e["reason"], e["message"], e.get("count", 1))
            for e in sorted(c.api.list("Event", "default"),
                            key=lambda e: (e["firstTimestamp"], e["metadata"]["name"]))
            if e["involvedObject"]["name"] == name]


def test_a_missing_config_map_gives_create_container_config_error(c):
    c.apply(STORY_POD)
    assert c.settle().settled                       # the retries are background work
    status = container_status(c)
    assert status["state"] == {"waiting": {"reason": "CreateContainerConfigError",
                                           "message": 'configmap "data-store-env" not found'}}
    assert c.api.get("Pod", "story", "default")["status"]["phase"] == "Pending"
    assert events(c)[-1] == ("Warning", "Failed", 'Error: configmap "data-store-env" not found',
                             1)
    assert container_env(c, "default", "story", "app") is None
    c.advance(60)                                   # the pod worker retries every 10-15 s
    failed = [e for e in events(c) if e[1] == "Failed"]
    assert len(failed) == 1 and 4 <= failed[0][3] <= 7
    pulled = [e for e in events(c) if e[1] == "Pulled"]
    assert pulled[-1][2] == 'Container image "busybox:1.36" already present on machine'


def test_the_container_starts_at_the_next_sync_once_the_key_exists(c):
    c.apply(STORY_POD)
    c.settle()
    c.kubectl("create configmap data-store-env --from-literal=other=x")
    assert c.settle().settled
    assert container_status(c)["state"]["waiting"]["message"] == \
        "couldn't find key folder in ConfigMap default/data-store-env"
    manifest = c.kubectl("create configmap data-store-env --from-literal=folder=story "
                         "--dry-run=client -o yaml").stdout
    assert c.kubectl("apply -f -", stdin=manifest).exit_code == 0
    before = c.now
    assert "waiting" in container_status(c)["state"]     # not instantly: at the next sync
    report = c.settle()                                  # the pending sync is now foreground
    assert report.settled and 0 < c.now - before <= 15.5
    assert set(container_status(c)["state"]) == {"running"}
    assert dict(container_env(c, "default", "story", "app"))["STORY_FOLDER"] == "story"
    c.advance(1)
    assert [line for _, line in container_logs(c, "default", "story", "app")] == \
        ["folder=story arg=story"]


def test_env_is_fixed_for_a_run_and_rebuilt_on_restart(c):
    c.kubectl("create configmap data-store-env --from-literal=folder=story")
    c.apply(STORY_POD.replace("busybox:1.36", "kubelearn/hello:1").replace(
        '    command: ["sh", "-c", "echo folder=$STORY_FOLDER arg=$(STORY_FOLDER); '
        'sleep 3600"]\n', ""))
    c.settle()
    assert dict(container_env(c, "default", "story", "app"))["STORY_FOLDER"] == "story"
    cm = c.api.get("ConfigMap", "data-store-env", "default")
    c.api.update({**cm, "data": {"folder": "tales"}})
    c.apply("apiVersion: v1\nkind: Service\nmetadata: {name: late}\nspec:\n"
            "  selector: {app: x}\n  ports: [{port: 80}]\n")
    c.advance(30)
    env = dict(container_env(c, "default", "story", "app"))
    assert env["STORY_FOLDER"] == "story" and "LATE_SERVICE_HOST" not in env
    assert env["HOSTNAME"] == "story" and env["HELLO_VERSION"] == "1"
    assert container_exited(c, "default", "story", "app", 1)
    c.advance(5)
    assert container_status(c)["restartCount"] == 1
    env = dict(container_env(c, "default", "story", "app"))
    assert env["STORY_FOLDER"] == "tales" and "LATE_SERVICE_HOST" in env
    previous = dict(container_env(c, "default", "story", "app", previous=True))
    assert previous["STORY_FOLDER"] == "story"


def test_a_script_prints_its_environment(c):
    c.kubectl("create configmap cfg --from-literal=GREETING=hello")
    c.apply("""\
apiVersion: v1
kind: Pod
metadata: {name: show}
spec:
  restartPolicy: Never
  containers:
  - name: app
    image: busybox:1.36
    command: ["sh", "-c", "LOCAL=1; printenv GREETING; printenv NOPE || echo missing; env"]
    envFrom:
    - configMapRef: {name: cfg}
""")
    c.settle()
    lines = [line for _, line in container_logs(c, "default", "show", "app")]
    assert lines[:2] == ["hello", "missing"]
    assert lines[2:5] == ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
                          "HOSTNAME=show", "GREETING=hello"]
    assert lines[-1] == "HOME=/root" and not any(line.startswith("LOCAL=") for line in lines)


def test_same_seed_same_retries():
    def run():
        c = Cluster(seed=3)
        c.apply(STORY_POD)
        c.advance(100)
        return events(c)
    assert run() == run()


def test_running_container_reports_its_environment(c):
    from kubelearn.node.kubelet import running_container

    c.apply(STORY_POD.replace(
        "          name: data-store-env\n          key: folder\n",
        "          name: data-store-env\n          key: folder\n          optional: true\n"))
    c.settle()
    running = running_container(c, "default", "story", "app")
    assert running["env"] == container_env(c, "default", "story", "app")
    assert "STORY_FOLDER" not in dict(running["env"])        # optional and missing: left out


# -- shared between container starts (EnvironmentCache) --------------------------------------

@pytest.mark.parametrize("app", [
    {},
    {"env": {"NODE_VERSION": "14.21.3", "PATH": "/opt/bin"}, "home": "/home/node"},
    {"env": ["HOSTNAME=image-host", "B=2"]},          # the image sets HOSTNAME: it stays
])
@pytest.mark.parametrize("links", [True, False])
def test_a_plain_container_gets_what_build_container_env_builds(c, app, links):
    c.kubectl("create deployment web --image=nginx:1.25")
    c.kubectl("expose deployment web --port=80")
    cache = EnvironmentCache(c.api)
    for name in ("first", "second", "first"):
        pod = pod_of(links=links, name=name)
        expected = build_container_env(c.api, pod, pod["spec"]["containers"][0], app,
                                       pod_ip="10.244.0.9", host_ip="192.168.49.2")
        assert cache.plain_env("default", links, app, name) == expected


def test_service_variables_are_kept_until_a_service_changes(c):
    env = next(x for x in c.controllers if isinstance(x, KubeletManager)).environments
    before = env.service_env("default", True)
    assert env.service_env("default", True) is before                 # built once
    c.kubectl("create deployment web --image=nginx:1.25")
    assert env.service_env("default", True) is before                 # no Service written
    c.kubectl("expose deployment web --port=80")
    after = env.service_env("default", True)
    assert "WEB_SERVICE_HOST" not in before and "WEB_SERVICE_HOST" in after
    assert env.service_env("default", False) == before                # only the master one


def test_containers_see_the_services_that_exist_when_they_start(c):
    c.kubectl("create deployment web --image=nginx:1.25")
    c.settle()
    [first] = [p["metadata"]["name"] for p in c.api.list("Pod", "default")]
    c.kubectl("expose deployment web --port=80")
    c.kubectl("scale deployment web --replicas=2")
    c.settle()
    [second] = [p["metadata"]["name"] for p in c.api.list("Pod", "default")
                if p["metadata"]["name"] != first]
    old, new = (dict(container_env(c, "default", p, "nginx")) for p in (first, second))
    assert "WEB_SERVICE_HOST" not in old and new["WEB_SERVICE_HOST"]
    assert (old["HOSTNAME"], new["HOSTNAME"]) == (first, second)
    c.kubectl("delete service web")
    c.kubectl("scale deployment web --replicas=3")
    c.settle()
    [third] = [p["metadata"]["name"] for p in c.api.list("Pod", "default")
               if p["metadata"]["name"] not in (first, second)]
    assert "WEB_SERVICE_HOST" not in dict(container_env(c, "default", third, "nginx"))
